"""Plain text and Markdown: one page; Markdown headings become sections, pipe tables rows."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.parsers import Page, ParsedDocument, first_line, register
from ingest.parsers.layout import Layout, build_blocks
from kb.errors import IngestError
from kb.types import MetaValue

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)
_TABLE = re.compile(r"(?:^\|.*\|[ \t]*\n?){2,}", re.MULTILINE)
_RULE = re.compile(r"^\|?[\s:|-]+\|?$")


def front_matter(text: str) -> tuple[dict[str, MetaValue], str]:
    """YAML front matter (`---` ... `---`) as metadata, and the body after it."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---", 4)
    if end < 0:
        return {}, text
    import yaml

    try:
        data = yaml.safe_load(text[4:end]) or {}
    except yaml.YAMLError:
        return {}, text
    if not isinstance(data, dict):
        return {}, text
    meta = {str(k): v for k, v in data.items() if isinstance(v, str | int | float | bool)}
    return meta, text[end + 4 :].lstrip("\n")


def markdown_layout(body: str) -> Layout:
    """Headings and pipe tables of a Markdown text."""
    headings = [(len(m.group(1)), m.group(2)) for m in _HEADING.finditer(body)]
    tables: list[list[list[str]]] = []
    for match in _TABLE.finditer(body):
        rows = [
            [cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in match.group(0).splitlines()
            if line.strip() and not _RULE.match(line.strip())
        ]
        tables.append(rows)
    return Layout(headings=headings, tables=tables)


@register(".txt", ".md", ".markdown")
def parse_text(path: Path) -> ParsedDocument:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError(str(path), f"not UTF-8 text ({exc.reason}); re-save it as UTF-8") from exc
    meta, body = front_matter(text)
    title = str(meta.pop("title", "") or first_line(body, path.stem))
    layout = markdown_layout(body) if path.suffix.lower() != ".txt" else Layout()
    page = Page(number=1, text=body, blocks=build_blocks(body, layout, []))
    return ParsedDocument(title=title, pages=[page], metadata=meta)
