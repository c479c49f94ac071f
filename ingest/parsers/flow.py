"""Pages and blocks from a document's flow of headings, paragraphs and tables (DOCX, HTML).

These formats have no fixed page text, so the page text is written here, one line per
paragraph or table row (cells joined by " | "), and every block is a span of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ingest.parsers import Block, Page, row_context

CELL_SEPARATOR = " | "


@dataclass
class Heading:
    level: int
    text: str


@dataclass
class Para:
    text: str


@dataclass
class Table:
    rows: list[list[str]]
    header: bool  # the first row names the columns


@dataclass
class PageBreak:
    pass


Item = Heading | Para | Table | PageBreak


def clean(text: str) -> str:
    return " ".join(text.split())


@dataclass
class _PageBuilder:
    number: int
    sections: list[tuple[int, str]]
    lines: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    open_text: int | None = None  # first line of the text block being written

    def path(self) -> str:
        return " > ".join(h for _, h in self.sections)

    def close_text(self) -> None:
        if self.open_text is not None and self.open_text < len(self.lines):
            text = "\n".join(self.lines[self.open_text :])
            self.blocks.append(Block(text=text, section=self.path()))
        self.open_text = None

    def heading(self, item: Heading) -> None:
        self.close_text()
        while self.sections and self.sections[-1][0] >= item.level:
            self.sections.pop()
        self.sections.append((item.level, item.text))
        self.open_text = len(self.lines)  # the heading opens the text block that follows it
        self.lines.append(item.text)

    def para(self, item: Para) -> None:
        if self.open_text is None:
            self.open_text = len(self.lines)
        self.lines.append(item.text)

    def table(self, item: Table) -> None:
        self.close_text()
        rows = [[clean(c) for c in row] for row in item.rows if any(c.strip() for c in row)]
        if not rows:
            return
        width = max(len(r) for r in rows)
        if not item.header and width == 2:
            # A key/value table (a fiche): one block, its labels as the context.
            start = len(self.lines)
            self.lines += [CELL_SEPARATOR.join(r) for r in rows]
            context = "\n".join(f"{r[0]} : {r[1]}" for r in rows if len(r) == 2 and r[1])
            text = "\n".join(self.lines[start:])
            self.blocks.append(Block(text=text, kind="row", section=self.path(), context=context))
            return
        header, body = rows[0], rows[1:]
        self.lines.append(CELL_SEPARATOR.join(header))
        for row in body:
            line = CELL_SEPARATOR.join(row)
            self.lines.append(line)
            self.blocks.append(
                Block(text=line, kind="row", section=self.path(), context=row_context(header, row))
            )

    def page(self) -> Page:
        self.close_text()
        return Page(number=self.number, text="\n".join(self.lines), blocks=self.blocks)


def build_pages(items: Iterable[Item]) -> list[Page]:
    """Pages cut at explicit page breaks; sections carry across pages."""
    sections: list[tuple[int, str]] = []
    builder = _PageBuilder(1, sections)
    pages: list[Page] = []
    for item in items:
        if isinstance(item, PageBreak):
            if builder.lines:
                pages.append(builder.page())
                builder = _PageBuilder(builder.number + 1, sections)
        elif isinstance(item, Heading) and clean(item.text):
            builder.heading(Heading(item.level, clean(item.text)))
        elif isinstance(item, Para) and clean(item.text):
            builder.para(Para(clean(item.text)))
        elif isinstance(item, Table):
            builder.table(item)
    if builder.lines or not pages:
        pages.append(builder.page())
    return pages
