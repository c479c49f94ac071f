"""`build_ui(get)`: the French interface for professionals, mounted by the API at /ui.

The UI works with the objects the server opened (`ui.services.Services`: knowledge base, key
store, job queue), never with Chroma, and writes through the same functions as the API.
"""

from __future__ import annotations

import os

# Before gradio is imported: no usage reporting from a public-sector tool.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from collections.abc import Callable  # noqa: E402

import gradio as gr  # noqa: E402

from ui.chat import FILTERS, chat_tab, refresh_filters, render_answer  # noqa: E402
from ui.documents import documents_tab  # noqa: E402
from ui.recommendations import recommendation_tabs  # noqa: E402
from ui.services import Services  # noqa: E402
from ui.theme import HEADER  # noqa: E402

__all__ = ["LOGIN", "build_ui", "render_answer"]

TITLE = "Base de connaissances des diagnostics territoriaux partagés"
INTRO = (
    "Posez une question sur les besoins, les ressources ou les préconisations des "
    "diagnostics territoriaux partagés (DTP). Chaque réponse cite le document et la page "
    "d'où elle provient ; si les documents ne contiennent pas la réponse, l'assistant le dit."
)

# The login asked when reads need a key (`api.read_access`): the key is the password.
LOGIN = (
    "La lecture de cette base demande une clé d'API : saisissez votre nom, puis votre clé "
    "(rôle lecteur ou plus) comme mot de passe. Un administrateur la crée avec "
    "« dtp-kb keys create »."
)


def build_ui(get: Callable[[], Services]) -> gr.Blocks:
    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        gr.HTML(HEADER)
        gr.Markdown(INTRO, elem_id="dtp-intro")
        with gr.Tabs():
            with gr.Tab("Questions", elem_id="tab-chat") as chat:
                dropdowns = chat_tab(get)
            recommendation_tabs(demo, lambda: get().kb)
            with gr.Tab("Documents", elem_id="tab-documents") as documents:
                docs = documents_tab(get)

        def filters(*current: str | None) -> list[object]:
            return refresh_filters(get, *current)

        # The chat's filters offer the facets of the documents indexed now.
        demo.load(filters, dropdowns, dropdowns)
        chat.select(filters, dropdowns, dropdowns)
        documents.select(docs["refresh"], docs["filters"], docs["listed"])
        assert len(dropdowns) == len(FILTERS)
    return demo
