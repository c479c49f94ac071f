"""Parsers, one per file type, in a registry keyed by suffix.

A parser turns a file into a `ParsedDocument` (title and page texts) or raises
`IngestError` with a reason a person can act on. Built-in parsers register exactly as a
new one would: `@register(".ext")`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kb.errors import IngestError
from kb.types import MetaValue


@dataclass
class ParsedDocument:
    title: str
    pages: list[str] = field(default_factory=list)  # page texts; page n is pages[n - 1]
    metadata: dict[str, MetaValue] = field(default_factory=dict)


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
        raise IngestError(str(path), f"unsupported file type '{path.suffix}' (supported: {known})")
    if path.stat().st_size == 0:
        raise IngestError(str(path), "the file is empty")
    document = parser(path)
    if not any(page.strip() for page in document.pages):
        raise IngestError(
            str(path), "no text could be extracted (a scanned document? run OCR on it first)"
        )
    return document


def first_line(text: str, default: str) -> str:
    """The first non-empty line, as a fallback title."""
    for line in text.splitlines():
        if line.strip():
            return line.strip().lstrip("#").strip()[:200]
    return default


# Built-in parsers register themselves on import.
from ingest.parsers import pdf, text  # noqa: E402, F401
