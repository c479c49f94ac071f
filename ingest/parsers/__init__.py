"""Parsers, one per file type, in a registry keyed by suffix.

A parser turns a file into a `ParsedDocument`: a title, metadata, and pages of `Block`s in
reading order. A block is either running text or one table row; its `text` is always a
verbatim span of the page's text (so a citation's quote can be checked against the
source), while `context` carries what helps a reader or a retriever understand it (the
table's column headers). Parsers raise `IngestError` with a reason a person can act on.
Built-in parsers register exactly as a new one would: `@register(".ext")`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ingest.quality import check_readable
from kb.errors import IngestError
from kb.types import MetaValue


@dataclass
class Block:
    text: str  # verbatim span of the page text
    kind: Literal["text", "row"] = "text"
    section: str = ""  # heading path, "2. Données > 2.1 Une région contrastée"
    context: str = ""  # for rows: "Header: value" lines


@dataclass
class Page:
    number: int  # 1-based
    text: str  # the page's text as extracted (headers and footers removed)
    blocks: list[Block] = field(default_factory=list)


@dataclass
class ParsedDocument:
    title: str
    pages: list[Page] = field(default_factory=list)
    metadata: dict[str, MetaValue] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.pages)


Parser = Callable[[Path], ParsedDocument]
PARSERS: dict[str, Parser] = {}


def register(*suffixes: str) -> Callable[[Parser], Parser]:
    def add(parser: Parser) -> Parser:
        for suffix in suffixes:
            PARSERS[suffix.lower()] = parser
        return parser

    return add


def parse(path: Path) -> ParsedDocument:
    """Parse `path` with the parser registered for its suffix."""
    parser = PARSERS.get(path.suffix.lower())
    if parser is None:
        known = ", ".join(sorted(PARSERS))
        raise IngestError(
            str(path),
            f"type de fichier non pris en charge « {path.suffix} » (formats acceptés : {known})",
        )
    if path.stat().st_size == 0:
        raise IngestError(str(path), "le fichier est vide")
    document = parser(path)
    if not any(block.text.strip() for page in document.pages for block in page.blocks):
        if any(page.text.strip() for page in document.pages):
            raise IngestError(str(path), "aucun passage à indexer (seulement un sommaire ?)")
        # Not called a scan: the PDF parser says so itself, from its pages' images.
        raise IngestError(str(path), "aucun texte n'a pu être extrait")
    return check_readable(document, path)


def first_line(content: str, default: str) -> str:
    """The first non-empty line, as a fallback title."""
    for line in content.splitlines():
        if line.strip():
            return line.strip().lstrip("#").strip()[:200]
    return default


def row_context(header: list[str], row: list[str]) -> str:
    """A table row as "Header: value" lines, so it reads (and embeds) on its own."""
    pairs = ((" ".join(h.split()), " ".join(v.split())) for h, v in zip(header, row, strict=False))
    return "\n".join(f"{h} : {v}" if h else v for h, v in pairs if v)


# Built-in parsers register themselves on import.
from ingest.parsers import docx, html, pdf, sheet, text  # noqa: E402, F401
