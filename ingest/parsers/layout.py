"""Page structure shared by the parsers: running headers and footers, headings, table rows.

The page text (pypdf's, for PDFs) stays the reference: every block is a verbatim span of
it. Layout facts found by other means (pdfplumber's tables and font sizes) are located in
that text by their words, so nothing is paraphrased.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ingest.parsers import Block, row_context

_DOT_LEADER = re.compile(r"(?:\s?\.){5,}\s*\d*\s*$")


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()))


def running_lines(pages: Sequence[str], edge: int = 6) -> set[str]:
    """Lines (digits masked) at the top or bottom of at least half the pages, and rarely
    anywhere else (a fiche's "Statut" line ends many pages, but is no footer)."""
    if len(pages) < 3:
        return set()
    seen: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    for text in pages:
        lines = [ln for ln in text.splitlines() if ln.strip()]
        seen.update({_key(ln) for ln in lines[:edge] + lines[-edge:]})
        inside.update({_key(ln) for ln in lines[edge:-edge]})
    return {k for k, n in seen.items() if n >= max(3, len(pages) // 2) and inside[k] * 3 < n}


def strip_running(text: str, running: set[str]) -> str:
    """`text` without its leading and trailing running lines: still a span of `text`.

    A page holding nothing but such lines keeps them: they are its text, not its frame."""
    lines = text.splitlines(keepends=True)
    start, end = 0, len(lines)
    while start < end and (not lines[start].strip() or _key(lines[start]) in running):
        start += 1
    while end > start and (not lines[end - 1].strip() or _key(lines[end - 1]) in running):
        end -= 1
    if start == end:
        return text.strip("\n")
    return "".join(lines[start:end]).strip("\n")


def words_pattern(text: str) -> re.Pattern[str] | None:
    """A regex matching `text`'s words with any white space between them."""
    words = text.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(w) for w in words))


@dataclass
class Layout:
    """What a parser knows about a page beyond its text."""

    headings: list[tuple[int, str]] = field(default_factory=list)  # (level, text), in order
    tables: list[list[list[str]]] = field(default_factory=list)  # rows of cells; row 0 = header


@dataclass
class _Event:
    start: int
    end: int
    kind: str  # "heading" | "row"
    level: int = 0
    label: str = ""
    context: str = ""


def _find(
    pattern: re.Pattern[str] | None, text: str, cursor: int, taken: list[_Event]
) -> re.Match[str] | None:
    """The first match of `pattern` from `cursor` that overlaps no event already placed."""
    while pattern:
        match = pattern.search(text, cursor)
        if not match:
            return None
        if not any(match.start() < e.end and e.start < match.end() for e in taken):
            return match
        cursor = match.start() + 1
    return None


def _is_key_value(table: list[list[str]]) -> bool:
    """A two-column table of short labels and their values (a fiche), not a data table."""
    return all(len(row) == 2 for row in table) and all(
        len((row[0] or "").split()) <= 5 for row in table
    )


def _locate(text: str, layout: Layout) -> list[_Event]:
    """Table rows first (they are the most specific), then headings outside them."""
    events: list[_Event] = []
    cursor = 0
    for table in layout.tables:
        cells = [[c or "" for c in row] for row in table if any(row)]
        if not cells:
            continue
        if _is_key_value(cells):
            # A fiche is one block: every label with its value, in one chunk.
            whole = words_pattern(" ".join(" ".join(row) for row in cells))
            match = _find(whole, text, cursor, events)
            if match:
                context = "\n".join(row_context([row[0]], [row[1]]) for row in cells)
                events.append(_Event(match.start(), match.end(), "row", context=context))
                cursor = match.end()
            continue
        header, rows = cells[0], cells[1:]
        head = _find(words_pattern(" ".join(header)), text, cursor, events)
        if head:
            # The header row is no block of its own: it is in every row's context.
            events.append(_Event(head.start(), head.end(), "skip"))
            cursor = head.end()
        for row in rows:
            match = _find(words_pattern(" ".join(row)), text, cursor, events)
            if match:
                context = row_context(header, row)
                events.append(_Event(match.start(), match.end(), "row", context=context))
                cursor = match.end()
    cursor = 0
    for level, heading in layout.headings:
        match = _find(words_pattern(heading), text, cursor, events)
        if match:
            events.append(_Event(match.start(), match.end(), "heading", level, heading))
            cursor = match.end()
    return sorted(events, key=lambda e: e.start)


def _text_blocks(text: str, start: int, end: int, section: str) -> list[Block]:
    """Verbatim text blocks of text[start:end], leaving out table-of-contents lines."""
    blocks: list[Block] = []
    run_start: int | None = None
    position = start
    for line in text[start:end].splitlines(keepends=True):
        is_toc = bool(_DOT_LEADER.search(line.rstrip("\n")))
        if is_toc and run_start is not None:
            blocks.append(Block(text=text[run_start:position], section=section))
            run_start = None
        elif not is_toc and run_start is None and line.strip():
            run_start = position
        position += len(line)
    if run_start is not None:
        blocks.append(Block(text=text[run_start:end], section=section))
    return [Block(text=b.text.strip(), section=b.section) for b in blocks if b.text.strip()]


def build_blocks(text: str, layout: Layout, sections: list[tuple[int, str]]) -> list[Block]:
    """Blocks of one page in reading order; `sections` (level, heading) carries across pages."""
    blocks: list[Block] = []
    position = 0

    def path() -> str:
        return " > ".join(h for _, h in sections)

    for event in _locate(text, layout):
        blocks += _text_blocks(text, position, event.start, path())
        if event.kind == "heading":
            while sections and sections[-1][0] >= event.level:
                sections.pop()
            sections.append((event.level, " ".join(event.label.split())))
            position = event.start  # the heading opens the text block that follows it
            continue
        if event.kind == "row":
            blocks.append(
                Block(
                    text=text[event.start : event.end],
                    kind="row",
                    section=path(),
                    context=event.context,
                )
            )
        position = event.end
    blocks += _text_blocks(text, position, len(text), path())
    return blocks
