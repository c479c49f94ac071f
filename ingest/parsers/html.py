"""HTML with BeautifulSoup: headings become sections, paragraphs text, tables row blocks."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ingest.parsers import ParsedDocument, first_line, register
from ingest.parsers.flow import Heading, Item, Para, Table, build_pages
from kb.errors import IngestError
from kb.types import MetaValue

log = logging.getLogger(__name__)

_SKIP = {"script", "style", "noscript", "template", "nav", "svg", "form", "button", "head"}
_BLOCK = [
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "blockquote",
    "figure",
    "figcaption",
    "pre",
    "address",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
]
_FACETS = ("dtp_id", "theme", "territory", "year", "edition", "doc_type", "phase")


def _text(tag: Any) -> str:
    return " ".join(tag.get_text(" ", strip=True).split())


def _table(tag: Any) -> Table:
    rows: list[list[str]] = []
    header = False
    for n, tr in enumerate(tag.find_all("tr")):
        if tr.find_parent("table") is not tag:
            continue  # a nested table's rows belong to that table
        cells = tr.find_all(["th", "td"], recursive=False)
        if n == 0:
            header = bool(cells) and (
                all(c.name == "th" for c in cells) or tr.find_parent("thead") is not None
            )
        rows.append([_text(c) for c in cells])
    return Table(rows=rows, header=header)


def _items(root: Any) -> Iterator[Item]:
    """Headings, tables and paragraphs in reading order; inline markup stays in its paragraph.

    Walks the tree with its own stack: thousands of nested elements are no recursion."""
    stack = [iter(root.children)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        name = getattr(child, "name", None)
        if name is None:
            if type(child).__name__ == "NavigableString" and str(child).strip():
                yield Para(str(child))
            continue
        if name in _SKIP:
            continue
        if len(name) == 2 and name[0] == "h" and name[1].isdigit():
            yield Heading(int(name[1]), _text(child))
        elif name == "table":
            yield _table(child)
        elif name in _BLOCK and not child.find(_BLOCK):
            yield Para(_text(child))
        elif name in _BLOCK:
            stack.append(iter(child.children))
        else:
            yield Para(_text(child))


@register(".html", ".htm")
def parse_html(path: Path) -> ParsedDocument:
    from bs4 import BeautifulSoup

    raw = path.read_bytes()
    try:
        soup = BeautifulSoup(raw, "html.parser")
    except Exception as exc:  # bs4 rarely fails; when it does the file is not HTML
        raise IngestError(str(path), f"page HTML illisible : {exc}") from exc
    metadata: dict[str, MetaValue] = {}
    for meta in soup.find_all("meta"):
        name, content = str(meta.get("name") or "").lower(), meta.get("content")
        if name in _FACETS and content:
            metadata[name] = (
                int(content) if name in ("year", "edition") and content.isdigit() else content
            )
    title = _text(soup.title) if soup.title else ""
    pages = build_pages(_items(soup.body or soup))
    return ParsedDocument(
        title=title or first_line(pages[0].text, path.stem), pages=pages, metadata=metadata
    )
