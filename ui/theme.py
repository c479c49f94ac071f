"""The look of a French public service, after the Système de Design de l'État (DSFR).

Gradio cannot load the DSFR itself; this theme takes its colours (blue France #000091,
red Marianne #E1000F used sparingly, grey neutrals), its typography (Marianne when the
browser has it, else a system sans-serif: no font is fetched) and its focus ring. Every text
colour below stands at 4.5:1 or more on its background. The dark variants are the light ones:
the DSFR's light theme is shown whatever the browser prefers.
"""

from __future__ import annotations

import gradio as gr

BLUE = "#000091"  # bleu France, sun-113
BLUE_HOVER = "#1212ff"
BLUE_SOFT = "#e3e3fd"  # blue-france-925
BLUE_LIGHT = "#f5f5fe"  # blue-france-975
RED = "#e1000f"  # rouge Marianne, main-472
TEXT = "#161616"  # grey-50
TEXT_MUTED = "#3a3a3a"  # grey-200 (11.4:1 on white)
TEXT_MENTION = "#666666"  # grey-425 (5.7:1 on white)
BORDER = "#929292"  # grey-625 (inputs: 3:1, as non-text contrast requires)
LINE = "#dddddd"  # grey-900
BACKGROUND_ALT = "#f6f6f6"  # grey-975
FOCUS = "#0a76f6"
FONT = ("Marianne", "arial", "sans-serif")

_BLUE_SCALE = gr.themes.Color(
    c50=BLUE_LIGHT,
    c100="#ececfe",
    c200=BLUE_SOFT,
    c300="#cacafb",
    c400="#8585f6",
    c500="#6a6af4",
    c600=BLUE,
    c700=BLUE,
    c800="#000074",
    c900="#00006d",
    c950="#000050",
    name="bleu-france",
)
_GREY_SCALE = gr.themes.Color(
    c50=BACKGROUND_ALT,
    c100="#eeeeee",
    c200=LINE,
    c300="#cecece",
    c400=BORDER,
    c500=TEXT_MENTION,
    c600="#555555",
    c700=TEXT_MUTED,
    c800="#2a2a2a",
    c900=TEXT,
    c950="#0a0a0a",
    name="gris-dsfr",
)

_VARIABLES = {
    "body_background_fill": "#ffffff",
    "body_text_color": TEXT,
    "body_text_color_subdued": TEXT_MUTED,
    "background_fill_primary": "#ffffff",
    "background_fill_secondary": BACKGROUND_ALT,
    "border_color_primary": LINE,
    "border_color_accent": BLUE,
    "border_color_accent_subdued": BLUE_SOFT,
    "color_accent": BLUE,
    "color_accent_soft": BLUE_SOFT,
    "link_text_color": BLUE,
    "link_text_color_hover": BLUE_HOVER,
    "link_text_color_visited": "#6a00b3",
    "link_text_color_active": BLUE,
    "block_background_fill": "#ffffff",
    "block_border_color": LINE,
    "block_label_background_fill": "#ffffff",
    "block_label_text_color": TEXT,
    "block_title_text_color": TEXT,
    "block_info_text_color": TEXT_MUTED,
    "block_label_text_weight": "500",
    "block_radius": "0px",
    "container_radius": "0px",
    "input_background_fill": "#eeeeee",  # DSFR inputs: grey fill, blue-grey bottom line
    "input_background_fill_focus": "#eeeeee",
    "input_border_color": BORDER,
    "input_border_color_focus": BLUE,
    "input_placeholder_color": TEXT_MENTION,
    "input_radius": "4px 4px 0 0",
    "input_shadow_focus": f"0 0 0 2px #ffffff, 0 0 0 4px {FOCUS}",
    "checkbox_background_color_selected": BLUE,
    "checkbox_border_color_selected": BLUE,
    "checkbox_border_color_focus": FOCUS,
    "checkbox_label_background_fill_selected": BLUE_SOFT,
    "checkbox_label_border_color_selected": BLUE,
    "checkbox_label_text_color_selected": BLUE,
    "button_primary_background_fill": BLUE,
    "button_primary_background_fill_hover": BLUE_HOVER,
    "button_primary_text_color": "#ffffff",
    "button_primary_text_color_hover": "#ffffff",
    "button_primary_border_color": BLUE,
    "button_primary_border_color_hover": BLUE_HOVER,
    "button_secondary_background_fill": "#ffffff",
    "button_secondary_background_fill_hover": BLUE_LIGHT,
    "button_secondary_text_color": BLUE,
    "button_secondary_text_color_hover": BLUE,
    "button_secondary_border_color": BLUE,
    "button_secondary_border_color_hover": BLUE,
    "button_cancel_background_fill": RED,
    "button_cancel_background_fill_hover": "#c9191e",
    "button_cancel_text_color": "#ffffff",
    "button_cancel_text_color_hover": "#ffffff",
    "button_cancel_border_color": RED,
    "button_large_radius": "0px",
    "button_medium_radius": "0px",
    "button_small_radius": "0px",
    "button_border_width": "1px",
    "loader_color": BLUE,
    "slider_color": BLUE,
    "table_even_background_fill": "#ffffff",
    "table_odd_background_fill": BACKGROUND_ALT,
    "table_border_color": LINE,
    "table_row_focus": BLUE_SOFT,
    "table_text_color": TEXT,
    "accordion_text_color": TEXT,
    "error_background_fill": "#ffe9e9",
    "error_border_color": "#ce0500",
    "error_text_color": "#ce0500",
    "stat_background_fill": BLUE_SOFT,
}


def dsfr_theme() -> gr.themes.Base:
    """A Gradio theme in the DSFR's colours, the same in light and dark mode."""
    theme = gr.themes.Base(
        primary_hue=_BLUE_SCALE,
        secondary_hue=_BLUE_SCALE,
        neutral_hue=_GREY_SCALE,
        radius_size=gr.themes.sizes.radius_none,
        font=FONT,
        font_mono=("ui-monospace", "monospace"),
    )
    values = dict(_VARIABLES)
    for name, value in _VARIABLES.items():
        if hasattr(theme, f"{name}_dark"):
            values[f"{name}_dark"] = value
    return theme.set(**values)


# Only what the theme's variables cannot say: the header, the focus ring on every control
# (DSFR: 2px #0a76f6, offset 2px), links that look like links, the red used as an accent.
CSS = f"""
.gradio-container {{ max-width: 1200px !important; margin: 0 auto !important; }}
#dtp-header {{ border-bottom: 1px solid {LINE}; box-shadow: 0 8px 8px -8px rgba(0,0,0,.16);
  padding: 1rem 0 .75rem; margin-bottom: .5rem; }}
#dtp-header .service {{ display: flex; align-items: center; gap: 1rem; }}
#dtp-header {{ border-top: 4px solid {BLUE}; }}
#dtp-header .name {{ font-size: 1.25rem; font-weight: 700; color: {TEXT}; margin: 0; }}
#dtp-header .tagline {{ font-size: .875rem; color: {TEXT_MUTED}; margin: .125rem 0 0; }}
#dtp-intro {{ color: {TEXT_MUTED}; }}
*:focus-visible, button:focus-visible, a:focus-visible, input:focus-visible,
textarea:focus-visible, [role="tab"]:focus-visible {{
  outline: 2px solid {FOCUS} !important; outline-offset: 2px !important; }}
.prose a, .message a, #dtp-header a {{ color: {BLUE}; text-decoration: underline;
  text-underline-offset: 2px; }}
.prose a:hover, .message a:hover {{ color: {BLUE_HOVER}; }}
button[role="tab"] {{ color: {TEXT} !important; font-weight: 500; }}
button[role="tab"][aria-selected="true"] {{ color: {BLUE} !important;
  border-top: 2px solid {BLUE} !important; background: #ffffff !important; }}
.dtp-warning {{ border-left: 4px solid {RED}; padding: .5rem 1rem; background: #fff4f3;
  color: {TEXT}; }}
.dtp-ok {{ border-left: 4px solid #18753c; padding: .5rem 1rem; background: #b8fec9;
  color: {TEXT}; }}
footer {{ display: none !important; }}
#job-files, #doc-list {{ --font-mono: Marianne, arial, sans-serif; }}
"""

# Gradio's own words (upload area, chat buttons), in French whatever the browser's language:
# its French catalogue serves French browsers; these replace the English fallback.
FRENCH = {
    "upload_text.drop_file": "Déposez vos fichiers ici",
    "upload_text.click_to_upload": "Cliquez pour choisir des fichiers",
    "common.or": "ou",
    "common.clear": "Effacer",
    "common.download": "Télécharger",
    "common.error": "Erreur",
    "common.loading": "Chargement",
    "common.remove": "Retirer",
    "common.submit": "Envoyer",
    "common.empty": "Vide",
    "file.uploading": "Envoi en cours…",
    "chatbot.like": "Réponse utile",
    "chatbot.dislike": "Réponse pas utile",
    "chatbot.copy_message": "Copier le message",
    "chatbot.copied_message": "Message copié",
    "chatbot.clear": "Effacer",
    "chatbot.retry": "Réessayer",
    "chatbot.undo": "Annuler",
}


def french() -> gr.I18n:
    return gr.I18n(en=FRENCH)


HEADER = """
<header id="dtp-header" role="banner">
  <div class="service">
    <div>
      <p class="name">Base de connaissances des diagnostics territoriaux partagés</p>
      <p class="tagline">Questions, sources citées et suivi des documents des DTP</p>
    </div>
  </div>
</header>
"""
