"""The small Markdown subset the corpus sources use, parsed into typed blocks.

Supported: `#`/`##`/`###` headings, paragraphs, `-` and `1.` lists, pipe tables,
`>` quotes (a last line starting with an em dash is the speaker), `**bold**`,
`*italic*`, and directives written as HTML comments: `<!-- columns: 2 -->`,
`<!-- columns: 1 -->`, `<!-- pagebreak -->`, `<!-- toc -->`,
`<!-- recommendations: HR-2016 fiches axis=1 -->`, `<!-- review: HR-2016-bilan-2018 -->`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_DIRECTIVE = re.compile(r"^<!--\s*([a-z_]+)\s*:?\s*(.*?)\s*-->$")
_INLINE = re.compile(r"(\*\*[^*]+\*\*|\*[^*]+\*)")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Para:
    text: str


@dataclass(frozen=True)
class ListBlock:
    items: list[str]
    ordered: bool = False


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Quote:
    text: str
    speaker: str = ""


@dataclass(frozen=True)
class Directive:
    name: str
    args: list[str] = field(default_factory=list)

    def option(self, key: str, default: str = "") -> str:
        for arg in self.args:
            if arg.startswith(key + "="):
                return arg.split("=", 1)[1]
        return default


@dataclass(frozen=True)
class Fields:
    """A label/value record (a recommendation's fiche), rendered as a two-column box."""

    rows: list[tuple[str, str]]


Block = Heading | Para | ListBlock | Table | Quote | Directive | Fields


def inline_spans(text: str) -> list[tuple[str, bool, bool]]:
    """Split `text` into (text, bold, italic) runs."""
    spans: list[tuple[str, bool, bool]] = []
    for part in _INLINE.split(text):
        if not part:
            continue
        if part.startswith("**") and part.endswith("**") and len(part) > 4:
            spans.append((part[2:-2], True, False))
        elif part.startswith("*") and part.endswith("*") and len(part) > 2:
            spans.append((part[1:-1], False, True))
        else:
            spans.append((part, False, False))
    return spans


def plain(text: str) -> str:
    """Text without inline markup."""
    return "".join(span for span, _, _ in inline_spans(text))


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _table(lines: list[str]) -> Table:
    rows = [_cells(line) for line in lines if not re.match(r"^\|?[\s:|-]+\|?$", line)]
    return Table(header=rows[0], rows=rows[1:])


def _quote(lines: list[str]) -> Quote:
    body = [line.lstrip(">").strip() for line in lines]
    speaker = ""
    if body and body[-1].startswith("—"):
        speaker = body.pop().lstrip("— ").strip()
    return Quote(text=" ".join(line for line in body if line), speaker=speaker)


def _take(lines: list[str], start: int, prefix: tuple[str, ...]) -> int:
    end = start
    while end < len(lines) and lines[end].lstrip().startswith(prefix):
        end += 1
    return end


def parse(markdown: str) -> list[Block]:
    """Parse a source body into blocks."""
    lines = markdown.splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if not line:
            i += 1
        elif match := _DIRECTIVE.match(line):
            blocks.append(Directive(match.group(1), match.group(2).split()))
            i += 1
        elif match := re.match(r"^(#{1,3})\s+(.*)$", line):
            blocks.append(Heading(len(match.group(1)), match.group(2).strip()))
            i += 1
        elif line.startswith("|"):
            end = _take(lines, i, ("|",))
            blocks.append(_table(lines[i:end]))
            i = end
        elif line.startswith(">"):
            end = _take(lines, i, (">",))
            blocks.append(_quote(lines[i:end]))
            i = end
        elif re.match(r"^(- |\d+\. )", line):
            ordered = not line.startswith("- ")
            end = i
            items: list[str] = []
            while end < len(lines) and re.match(r"^(- |\d+\. )", lines[end].strip()):
                items.append(re.sub(r"^(- |\d+\. )", "", lines[end].strip()))
                end += 1
            blocks.append(ListBlock(items, ordered))
            i = end
        else:
            end = i
            while end < len(lines) and lines[end].strip() and not _starts_block(lines[end]):
                end += 1
            blocks.append(Para(" ".join(part.strip() for part in lines[i:end])))
            i = end
    return blocks


def _starts_block(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped.startswith(("#", "|", ">", "<!--")) or re.match(r"^(- |\d+\. )", stripped))
