"""Spreadsheets: CSV (delimiter sniffed) and XLSX (openpyxl), one page per sheet.

Each data row is a block: its text is the row as the file holds it (CSV: the raw line;
XLSX: the cell values joined with " ; "), its context the "Header : value" lines. A sheet
whose first row is not a header (a single column, a notice) is kept as text.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from ingest.parsers import Block, Page, ParsedDocument, register, row_context
from kb.errors import IngestError

log = logging.getLogger(__name__)

XLSX_SEPARATOR = " ; "
_DELIMITERS = ";,\t|"


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        log.info("%s is not UTF-8; read as Windows-1252", path)
        return raw.decode("cp1252", errors="replace")


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS)
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        best = max(_DELIMITERS, key=first.count)
        return type("Sniffed", (csv.excel,), {"delimiter": best if first.count(best) else ","})


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


def _table_page(number: int, rows: list[tuple[list[str], str]], section: str) -> Page:
    """A page whose first non-empty row names the columns; or plain lines when it does not."""
    rows = [(cells, raw) for cells, raw in rows if any(c.strip() for c in cells)]
    text = "\n".join(raw for _, raw in rows)
    if not rows:
        return Page(number=number, text="", blocks=[])
    header = [c.strip() for c in rows[0][0]]
    if sum(1 for c in header if c) < 2:
        return Page(number=number, text=text, blocks=[Block(text=text, section=section)])
    blocks = [
        Block(text=raw, kind="row", section=section, context=row_context(header, cells))
        for cells, raw in rows[1:]
    ]
    return Page(number=number, text=text, blocks=blocks)


@register(".csv")
def parse_csv(path: Path) -> ParsedDocument:
    text = _decode(path)
    try:
        rows = list(_rows_with_lines(text, _dialect(text[:8192])))
    except csv.Error as exc:
        raise IngestError(
            str(path), f"not a readable CSV file (line {exc}); check its quoting"
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
    rows = []
    for values in sheet.iter_rows(values_only=True):
        cells = [_cell(v) for v in values]
        while cells and not cells[-1]:
            cells.pop()
        rows.append((cells, XLSX_SEPARATOR.join(cells)))
    return rows


@register(".xlsx")
def parse_xlsx(path: Path) -> ParsedDocument:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl errors all mean "unreadable"
        raise IngestError(
            str(path),
            "not a readable XLSX workbook (damaged, password-protected, or an old .xls? "
            f"save it as .xlsx): {exc}",
        ) from exc
    try:
        pages = [
            _table_page(number, _sheet_rows(sheet), str(sheet.title))
            for number, sheet in enumerate(book.worksheets, start=1)
        ]
        title = (book.properties.title or "").strip() or path.stem.replace("_", " ")
    except Exception as exc:
        raise IngestError(str(path), f"a sheet of the workbook cannot be read: {exc}") from exc
    finally:
        book.close()
    return ParsedDocument(title=title, pages=pages)
