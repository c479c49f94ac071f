"""A PDF without text: called a scan only when its pages carry images (drawn directly, in a
form, or inline), otherwise said to hold neither text nor image."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from test_hostile import drawings_pdf, flate_bomb_pdf, image_only_pdf

from ingest.parsers import parse
from kb.errors import IngestError

SCANNED = "les pages sont des images (document numérisé ? passez-le d'abord à l'OCR)"
EMPTY = "les pages ne contiennent ni texte ni image"


def _photo() -> object:
    """A grey page photo, as a scanner makes (noise, so no two rows are alike)."""
    import random

    from PIL import Image
    from reportlab.lib.utils import ImageReader

    rng = random.Random(7)
    image = Image.new("L", (120, 160))
    image.putdata([200 + rng.randrange(40) for _ in range(120 * 160)])
    return ImageReader(image)


def _canvas(path: Path, draw: str) -> None:
    """Two pages drawing an image ("image", "form": in a form of a form, "inline"), or
    nothing at all ("blank")."""
    from PIL import Image
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    if draw == "form":
        c.beginForm("photo")
        c.drawImage(_photo(), 0, 0, 595, 842)
        c.endForm()
    for _ in range(2):
        if draw == "image":
            c.drawImage(_photo(), 0, 0, 595, 842)  # reportlab wraps it in a form
        elif draw == "form":
            c.doForm("photo")
        elif draw == "inline":
            c.drawInlineImage(Image.new("L", (12, 16), 180), 0, 0, 60, 80)
        c.showPage()
    c.save()


def _reason(path: Path) -> str:
    with pytest.raises(IngestError) as refused:
        parse(path)
    assert refused.value.path == str(path)
    return refused.value.reason


def test_a_scanner_s_pages_are_called_a_scan(tmp_path: Path) -> None:
    """Each page one image XObject, drawn by the page itself."""
    image_only_pdf(tmp_path / "scan.pdf")
    assert _reason(tmp_path / "scan.pdf") == f"aucun texte n'a pu être extrait : {SCANNED}"


@pytest.mark.parametrize("draw", ["image", "form", "inline"])
def test_images_in_forms_or_inline_are_called_a_scan(tmp_path: Path, draw: str) -> None:
    _canvas(tmp_path / "scan.pdf", draw)
    assert _reason(tmp_path / "scan.pdf") == f"aucun texte n'a pu être extrait : {SCANNED}"


@pytest.mark.parametrize(
    "make",
    [lambda path: _canvas(path, "blank"), drawings_pdf, flate_bomb_pdf],
    ids=["blank", "shapes", "flate_bomb"],
)
def test_pages_without_image_are_not_called_a_scan(
    tmp_path: Path, make: Callable[[Path], None]
) -> None:
    """Blank pages; shapes only; a page whose content inflates to 1 GB of blanks (past
    pypdf's limit, so it is not searched for an inline image)."""
    make(tmp_path / "vide.pdf")
    reason = _reason(tmp_path / "vide.pdf")
    assert reason == f"aucun texte n'a pu être extrait : {EMPTY}"
    assert "numérisé" not in reason
