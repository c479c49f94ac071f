"""PDF: pypdf's text page by page (the reference for quotes), pdfplumber's layout on top.

pdfplumber gives what plain text loses: tables (each row is kept with its header) and
font sizes (larger or bold lines are headings, so each chunk knows its section).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from itertools import islice
from pathlib import Path
from typing import Any

from ingest.parsers import Page, ParsedDocument, first_line, register
from ingest.parsers.layout import Layout, build_blocks, running_lines, strip_running
from ingest.quality import readability
from kb.errors import IngestError

log = logging.getLogger(__name__)


def _read_text(path: Path) -> tuple[list[str], str]:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(str(path), "il est chiffré ; exportez une copie non protégée")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = (reader.metadata.title if reader.metadata else None) or ""
    except FileNotDecryptedError as exc:
        raise IngestError(str(path), "il est chiffré ; exportez une copie non protégée") from exc
    except IngestError:
        raise
    except Exception as exc:  # pypdf raises many types on damaged input; all mean "unreadable"
        raise IngestError(str(path), f"PDF illisible (fichier abîmé ou tronqué ?) : {exc}") from exc
    if not pages:
        raise IngestError(str(path), "le PDF n'a aucune page")
    return pages, title.strip()


def _mend(path: Path, texts: list[str]) -> list[str]:
    """Pages whose pypdf text is garbled, read again by pdfminer (through pdfplumber).

    With fontTools installed, pypdf decodes a CFF font by the encoding built into the font,
    which some InDesign exports fill with nonsense while their /Encoding is right; pdfminer
    follows /Encoding. A page garbled both ways stays as it is (ingest/quality.py judges it).
    """
    import pdfplumber

    judged = [readability(text) for text in texts]
    bad = [i for i, r in enumerate(judged) if r.doubtful]
    if not bad:
        return texts
    mended = list(texts)
    try:
        with pdfplumber.open(path) as pdf:
            for i in bad:
                other = pdf.pages[i].extract_text() or ""
                better = readability(other)
                if better.words > judged[i].words + 0.05 and not better.garbled:
                    mended[i] = other
    except Exception as exc:  # pdfminer fails on some files pypdf reads: keep pypdf's text
        log.warning("cannot read %s again with pdfminer (%s)", path, exc)
    return mended


Line = tuple[float, float, bool, str]  # top, font size, bold, text


def _lines(page: Any, tables: list[tuple[float, ...]]) -> list[Line]:
    """(top, font size, bold, text) of each visual line outside the tables' boxes."""

    def outside(word: dict[str, Any]) -> bool:
        x, top = word["x0"], word["top"]
        return not any(b[0] <= x <= b[2] and b[1] <= top <= b[3] for b in tables)

    words = page.extract_words(extra_attrs=["size", "fontname"], use_text_flow=True)
    lines: list[Line] = []
    for w in filter(outside, words):
        top, size = float(w["top"]), round(float(w["size"]), 1)
        bold = "bold" in w["fontname"].lower()
        if lines and abs(top - lines[-1][0]) < 1.0 and size == lines[-1][1]:
            last = lines[-1]
            lines[-1] = (last[0], size, last[2] and bold, f"{last[3]} {w['text']}")
        else:
            lines.append((top, size, bold, w["text"]))
    return lines


def _layouts(path: Path, n_pages: int) -> list[Layout]:
    """Headings and tables of every page; plain layouts if pdfplumber cannot read the file."""
    import pdfplumber

    try:
        with pdfplumber.open(path) as pdf:
            per_page = []
            for page in pdf.pages:
                found = page.find_tables()
                lines = _lines(page, [t.bbox for t in found])
                per_page.append((lines, [t.extract() for t in found]))
    except Exception as exc:  # layout is a bonus: the text alone is still worth indexing
        log.warning("no layout for %s (%s); indexing its text only", path, exc)
        return [Layout() for _ in range(n_pages)]

    sizes: Counter[float] = Counter()
    for lines, _ in per_page:
        for _top, size, _bold, text in lines:
            sizes[size] += len(text)
    body = sizes.most_common(1)[0][0] if sizes else 10.0

    def is_heading(size: float, bold: bool, text: str) -> bool:
        big = size >= body * 1.3 or (bold and size >= body * 1.08)
        return big and len(text) <= 160 and any(c.isalpha() for c in text)

    heading_sizes = sorted(
        {s for lines, _ in per_page for _, s, b, t in lines if is_heading(s, b, t)}, reverse=True
    )
    level = {size: i + 1 for i, size in enumerate(heading_sizes)}
    layouts: list[Layout] = []
    for lines, tables in per_page:
        headings: list[tuple[int, str]] = []
        previous: Line | None = None
        for line in lines:
            top, size, bold, text = line
            if not is_heading(size, bold, text):
                previous = None
                continue
            if previous and previous[1] == size and top - previous[0] <= size * 1.8:
                headings[-1] = (level[size], f"{headings[-1][1]} {text}")  # a wrapped heading
            else:
                headings.append((level[size], text))
            previous = line
        layouts.append(Layout(headings=headings, tables=tables))
    return layouts[:n_pages]


@register(".pdf")
def parse_pdf(path: Path) -> ParsedDocument:
    texts, title = _read_text(path)
    texts = _mend(path, texts)
    if not any(text.strip() for text in texts):
        raise IngestError(str(path), _no_text_reason(path))
    running = running_lines(texts)
    layouts = _layouts(path, len(texts))
    sections: list[tuple[int, str]] = []
    pages: list[Page] = []
    for number, (raw, layout) in enumerate(zip(texts, layouts, strict=False), start=1):
        text = strip_running(raw, running)
        pages.append(Page(number=number, text=text, blocks=build_blocks(text, layout, sections)))
    return ParsedDocument(title=title or first_line(texts[0], path.stem), pages=pages)


_INSPECTED_PAGES = 20  # enough to tell a scan; an untrusted file is walked no further
_FORM_DEPTH = 3  # forms nested in forms: a scan's image is at most a level or two down
# An inline image: BI, its short dictionary, ID (bounded, so the search stays linear).
_INLINE_IMAGE = re.compile(rb"(?:^|\s)BI\s.{0,4096}?\sID\s", re.S)


def _no_text_reason(path: Path) -> str:
    """Why a PDF gives no text, from what its first pages draw: images (a scan to OCR),
    or neither text nor image."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            reader.decrypt("")
        images = any(_draws_image(page) for page in islice(reader.pages, _INSPECTED_PAGES))
    except Exception as exc:  # the text was read already; the pages' images are a hint only
        log.warning("cannot look for images in %s (%s)", path, exc)
        return "aucun texte n'a pu être extrait"
    if images:
        return (
            "aucun texte n'a pu être extrait : les pages sont des images "
            "(document numérisé ? passez-le d'abord à l'OCR)"
        )
    return "aucun texte n'a pu être extrait : les pages ne contiennent ni texte ni image"


def _draws_image(page: Any) -> bool:
    """Whether a page holds an image: an image XObject (itself or in a form), or one
    inline in its content stream."""
    if _has_image_xobject(page.get("/Resources"), _FORM_DEPTH):
        return True
    try:
        # Decompressed within pypdf's own limit (a Flate bomb stops there).
        content = page.get_contents()
        return content is not None and bool(_INLINE_IMAGE.search(content.get_data()))
    except Exception as exc:  # a content stream pypdf refuses: no inline image seen
        log.info("content stream of a page not inspected (%s)", exc)
        return False


def _has_image_xobject(resources: Any, depth: int) -> bool:
    resources = resources.get_object() if resources is not None else None
    if not isinstance(resources, dict):
        return False
    xobjects = resources.get("/XObject")
    xobjects = xobjects.get_object() if xobjects is not None else None
    if not isinstance(xobjects, dict):
        return False
    for ref in xobjects.values():
        xobject = ref.get_object()
        if not isinstance(xobject, dict):
            continue
        kind = xobject.get("/Subtype")
        if kind == "/Image":
            return True
        if (
            kind == "/Form"
            and depth > 0
            and _has_image_xobject(xobject.get("/Resources"), depth - 1)
        ):
            return True
    return False
