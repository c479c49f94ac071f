"""DOCX with python-docx: heading styles become sections, tables become row blocks.

Pages follow the document's explicit page breaks (Word's own layout is not in the file).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ingest.parsers import ParsedDocument, first_line, register
from ingest.parsers.flow import Heading, Item, PageBreak, Para, Table, build_pages
from kb.errors import IngestError

log = logging.getLogger(__name__)

_HEADING_STYLE = re.compile(r"^(?:heading|titre)\s*(\d)?$", re.IGNORECASE)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _heading_level(style_name: str) -> int | None:
    name = style_name.strip()
    if name.lower() in ("title", "titre"):
        return 1
    match = _HEADING_STYLE.match(name)
    return int(match.group(1) or 1) + 1 if match else None


def _breaks_before(paragraph: Any) -> bool:
    props = paragraph._p.pPr
    return props is not None and props.find(f"{_W}pageBreakBefore") is not None


def _breaks_inside(paragraph: Any) -> bool:
    return any(br.get(f"{_W}type") == "page" for br in paragraph._p.iter(f"{_W}br"))


def _is_bold(cell: Any) -> bool:
    runs = [r for p in cell.paragraphs for r in p.runs if r.text.strip()]
    return bool(runs) and all(r.bold for r in runs)


def _table(table: Any) -> Table:
    rows: list[list[str]] = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:  # a merged cell is repeated: keep it once
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(cell.text)
        rows.append(cells)
    first = table.rows[0] if table.rows else None
    repeated = (
        first is not None
        and first._tr.trPr is not None
        and first._tr.trPr.find(f"{_W}tblHeader") is not None
    )
    header = repeated or (first is not None and all(_is_bold(c) for c in first.cells))
    return Table(rows=rows, header=bool(header))


def _items(document: Any) -> Iterator[Item]:
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "tbl":
            yield _table(DocxTable(element, document))
        elif tag == "p":
            paragraph = Paragraph(element, document)
            if _breaks_before(paragraph):
                yield PageBreak()
            level = _heading_level(paragraph.style.name if paragraph.style else "")
            yield Heading(level, paragraph.text) if level else Para(paragraph.text)
            if _breaks_inside(paragraph):
                yield PageBreak()


@register(".docx")
def parse_docx(path: Path) -> ParsedDocument:
    import docx

    try:
        document = docx.Document(str(path))
        pages = build_pages(_items(document))
        title = (document.core_properties.title or "").strip()
    except Exception as exc:  # python-docx raises many types on damaged input
        raise IngestError(
            str(path),
            f"DOCX illisible (fichier abîmé, ou ancien .doc renommé ? enregistrez-le au format .docx) : {exc}",
        ) from exc
    return ParsedDocument(title=title or first_line(pages[0].text, path.stem), pages=pages)
