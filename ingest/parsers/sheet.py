"""Spreadsheets: CSV (delimiter sniffed) and XLSX (openpyxl), one page per sheet.

Real trackers open with a title ("Suivi des préconisations — mise à jour du 30/06/2024"),
merge cells (a title across the columns, an axis down its rows) and keep one sheet per
review. So the header row is found by what it says (the row naming the most record
fields), rows above it are kept as text, and a merged range's value fills each of its cells.
Each data row is a block: its text is the row as the file holds it (CSV: the raw line;
XLSX: the cell values joined with " ; "), its context the sheet's title lines (which carry
its date) and the "Header : value" lines. A sheet with no row of two cells is kept as text.
"""

from __future__ import annotations

import csv
import logging
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from ingest.parsers import Block, Page, ParsedDocument, register, row_context
from ingest.parsers.text import decode_text
from kb.domain import field_of_header
from kb.errors import IngestError

log = logging.getLogger(__name__)

XLSX_SEPARATOR = " ; "
_DELIMITERS = ";,\t|"
HEADER_SCAN = 15  # a header lower than this is not a tracker's header
CAPTION_LINES = 3
CAPTION_CHARS = 200
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    delimiter = _delimiter(sample)
    try:  # the sniffer still tells the quoting
        return csv.Sniffer().sniff(sample, delimiters=delimiter)
    except csv.Error:
        return type("Sniffed", (csv.excel,), {"delimiter": delimiter})


def _delimiter(sample: str) -> str:
    """The delimiter the most lines use the same number of times: a title line above the
    table (no delimiter, or one comma) must not decide, as the first line or the sniffer would."""
    lines = [line for line in sample.splitlines()[:50] if line.strip()]

    def agreement(delimiter: str) -> tuple[int, int]:
        counts = Counter(n for line in lines if (n := line.count(delimiter)))
        return max(((agreeing, n) for n, agreeing in counts.items()), default=(0, 0))

    best = max(_DELIMITERS, key=agreement)
    return best if agreement(best)[0] else ","


def _rows_with_lines(text: str, dialect: Any) -> Iterator[tuple[list[str], str]]:
    """Each CSV record with the raw text it was read from (a quoted field may span lines)."""
    consumed: list[str] = []

    def lines() -> Iterator[str]:
        for line in text.splitlines(keepends=True):
            consumed.append(line)
            yield line

    for row in csv.reader(lines(), dialect):
        raw = "".join(consumed).rstrip("\r\n")
        consumed.clear()
        yield row, raw


def header_row(rows: Sequence[Sequence[str]]) -> int:
    """The index of the row naming the columns: among the first rows, the one whose cells
    name the most record fields ("N°", "Porteur(s)", "Statut 2023"), else the first row of
    two different cells; -1 when no row has two (a notice, a list)."""
    best, best_fields, first = -1, 1, -1
    for index, cells in enumerate(rows[:HEADER_SCAN]):
        distinct = {" ".join(c.split()) for c in cells} - {""}
        if len(distinct) < 2:
            continue  # blank, or a title (a merged title repeats one value)
        if first < 0:
            first = index
        fields = len({field_of_header(c) for c in distinct} - {None})
        if fields > best_fields:
            best, best_fields = index, fields
    return best if best >= 0 else first


def _subheader(header: list[str], cells: list[str]) -> bool:
    """Whether `cells` name the parts of merged header cells ("Statut" over "2023" | "2024")."""
    # A header cell merged down over both rows repeats there: it names no part.
    filled = [c for c, value in enumerate(cells) if value and value != _at(header, c)]
    return bool(filled) and all(
        _at(header, c) and _at(header, c) in (_at(header, c - 1), _at(header, c + 1))
        for c in filled
    )


def _at(cells: Sequence[str], index: int) -> str:
    return cells[index] if 0 <= index < len(cells) else ""


def _line(cells: Sequence[str]) -> str:
    """A row outside the table as one line: its cells once each ("Mise à jour : 30/06/2024")."""
    parts: list[str] = []
    for cell in cells:
        value = " ".join(cell.split())
        if value and (not parts or value != parts[-1]):
            parts.append(value)
    line = parts[0] if parts else ""
    for part in parts[1:]:
        line += f" {part}" if line.endswith(":") else f"{XLSX_SEPARATOR}{part}"
    return line


def _caption(lines: list[str]) -> list[str]:
    """The lines above a table that every row keeps in its context: the title and any dated
    line (a tracker's date says which state of the recommendations a row gives)."""
    kept = [line for n, line in enumerate(lines) if n == 0 or _YEAR.search(line)]
    return [line[:CAPTION_CHARS] for line in kept[:CAPTION_LINES]]


def _table_page(number: int, rows: list[tuple[list[str], str]], section: str) -> Page:
    """A page of the rows under the header row; the rows above it as text."""
    rows = [(cells, raw) for cells, raw in rows if any(c.strip() for c in cells)]
    if not rows:
        return Page(number=number, text="", blocks=[])
    at = header_row([cells for cells, _ in rows])
    if at < 0:
        text = "\n".join(raw for _, raw in rows)
        return Page(number=number, text=text, blocks=[Block(text=text, section=section)])
    above: list[str] = []
    for cells, _ in rows[:at]:
        line = _line(cells)
        if line and (not above or line != above[-1]):  # a title merged down repeats
            above.append(line)
    header = [" ".join(c.split()) for c in rows[at][0]]
    body = rows[at + 1 :]
    if body and _subheader(header, body[0][0]):
        sub = body.pop(0)[0]
        header = [h if _at(sub, c) in ("", h) else f"{h} {sub[c]}" for c, h in enumerate(header)]
    lines = [*above, *(raw for _, raw in rows[at:])]
    blocks = [Block(text="\n".join(above), section=section)] if above else []
    caption = _caption(above)
    blocks += [
        Block(
            text=raw,
            kind="row",
            section=section,
            context="\n".join([*caption, row_context(header, cells)]),
        )
        for cells, raw in body
    ]
    return Page(number=number, text="\n".join(lines), blocks=blocks)


@register(".csv")
def parse_csv(path: Path) -> ParsedDocument:
    text = decode_text(path)  # UTF-8, UTF-16 with a BOM, Windows-1252...
    try:
        rows = list(_rows_with_lines(text, _dialect(text[:8192])))
    except csv.Error as exc:
        raise IngestError(
            str(path), f"CSV illisible (ligne {exc}) ; vérifiez ses guillemets"
        ) from exc
    title = path.stem.replace("_", " ")
    return ParsedDocument(title=title, pages=[_table_page(1, rows, title)])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _sheet_rows(sheet: Any) -> list[tuple[list[str], str]]:
    """Each row's cells, a merged range's value in each of its cells, and the row as the
    file holds it (values only where they are written)."""
    values = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    raws = [XLSX_SEPARATOR.join(_trimmed(cells)) for cells in values]
    for merged in sheet.merged_cells.ranges:
        value = values[merged.min_row - 1][merged.min_col - 1]
        for row in values[merged.min_row - 1 : merged.max_row]:
            row[merged.min_col - 1 : merged.max_col] = [value] * (
                merged.max_col - merged.min_col + 1
            )
    return [(_trimmed(cells), raw) for cells, raw in zip(values, raws, strict=True)]


def _trimmed(cells: list[str]) -> list[str]:
    cells = list(cells)
    while cells and not cells[-1]:
        cells.pop()
    return cells


@register(".xlsx")
def parse_xlsx(path: Path) -> ParsedDocument:
    from openpyxl import load_workbook

    try:
        # Not read-only: merged ranges are only known to a fully loaded sheet.
        book = load_workbook(path, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl errors all mean "unreadable"
        raise IngestError(
            str(path),
            "classeur XLSX illisible (abîmé, protégé par mot de passe, ou ancien .xls ? "
            f"enregistrez-le au format .xlsx) : {exc}",
        ) from exc
    try:
        pages = [
            _table_page(number, _sheet_rows(sheet), str(sheet.title))
            for number, sheet in enumerate(book.worksheets, start=1)
        ]
        title = (book.properties.title or "").strip() or path.stem.replace("_", " ")
    except Exception as exc:
        raise IngestError(str(path), f"une feuille du classeur est illisible : {exc}") from exc
    finally:
        book.close()
    return ParsedDocument(title=title, pages=pages)
