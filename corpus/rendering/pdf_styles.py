"""Fonts and paragraph styles for the PDF writer."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
ACCENT = colors.HexColor("#1f4e79")
LIGHT = colors.HexColor("#dbe5f1")


@lru_cache(maxsize=1)
def font_family() -> tuple[str, str, str, str]:
    """(regular, bold, italic, bold italic) font names.

    DejaVu Sans covers every French character (œ, « », ’, €); reportlab's built-in
    Helvetica is the fallback when the Debian fonts-dejavu-core files are absent.
    """
    faces = {
        "DejaVuSans": "DejaVuSans.ttf",
        "DejaVuSans-Bold": "DejaVuSans-Bold.ttf",
        "DejaVuSans-Oblique": "DejaVuSans-Oblique.ttf",
        "DejaVuSans-BoldOblique": "DejaVuSans-BoldOblique.ttf",
    }
    if not all((_DEJAVU / f).exists() for f in faces.values()):
        return "Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique"
    for name, file in faces.items():
        pdfmetrics.registerFont(TTFont(name, str(_DEJAVU / file)))
    pdfmetrics.registerFontFamily(
        "DejaVuSans",
        normal="DejaVuSans",
        bold="DejaVuSans-Bold",
        italic="DejaVuSans-Oblique",
        boldItalic="DejaVuSans-BoldOblique",
    )
    return tuple(faces)  # type: ignore[return-value]


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    regular, bold, italic, _ = font_family()
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=13.5, spaceAfter=5)
    return {
        "body": body,
        "bullet": ParagraphStyle(
            "bullet", parent=body, leftIndent=14, bulletIndent=4, spaceAfter=2
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=body,
            fontName=bold,
            fontSize=16,
            leading=20,
            textColor=ACCENT,
            spaceBefore=6,
            spaceAfter=10,
            keepWithNext=1,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontName=bold,
            fontSize=12.5,
            leading=16,
            textColor=ACCENT,
            spaceBefore=10,
            spaceAfter=6,
            keepWithNext=1,
        ),
        "h3": ParagraphStyle(
            "h3",
            parent=body,
            fontName=bold,
            fontSize=10.5,
            leading=14,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8, leading=10, spaceAfter=0),
        "cell_head": ParagraphStyle(
            "cell_head",
            parent=body,
            fontName=bold,
            fontSize=8,
            leading=10,
            spaceAfter=0,
            textColor=colors.white,
        ),
        "quote": ParagraphStyle(
            "quote",
            parent=body,
            fontName=italic,
            leftIndent=22,
            rightIndent=22,
            textColor=colors.HexColor("#333333"),
            spaceAfter=1,
        ),
        "speaker": ParagraphStyle(
            "speaker",
            parent=body,
            fontSize=8.5,
            leftIndent=22,
            rightIndent=22,
            textColor=colors.HexColor("#555555"),
            spaceAfter=8,
        ),
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontName=bold,
            fontSize=24,
            leading=30,
            textColor=ACCENT,
            spaceAfter=14,
        ),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=14, leading=19, spaceAfter=10),
        "notice": ParagraphStyle(
            "notice",
            parent=body,
            fontName=bold,
            fontSize=11,
            alignment=TA_CENTER,
            textColor=colors.HexColor("#9c0006"),
        ),
        "toc1": ParagraphStyle("toc1", parent=body, fontName=bold, fontSize=10, leading=14),
        "toc2": ParagraphStyle("toc2", parent=body, fontSize=9, leading=12, leftIndent=14),
    }
