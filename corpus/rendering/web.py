"""HTML and Markdown writers."""

from __future__ import annotations

from html import escape
from pathlib import Path

from .blocks import Block, Directive, Fields, Heading, ListBlock, Para, Quote, Table, inline_spans
from .source import FICTION_NOTICE, Source

_PAGE = """<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta name="dtp_id" content="{dtp_id}">
<style>
body {{ font-family: sans-serif; max-width: 60rem; margin: 2rem auto; line-height: 1.5; }}
table {{ border-collapse: collapse; margin: 1rem 0; }}
th, td {{ border: 1px solid #8eaadb; padding: .3rem .5rem; vertical-align: top; }}
th {{ background: #1f4e79; color: #fff; }}
blockquote {{ font-style: italic; border-left: 3px solid #1f4e79; padding-left: 1rem; }}
.notice {{ color: #9c0006; font-weight: bold; }}
.columns {{ column-count: 2; column-gap: 2rem; }}
</style>
</head>
<body>
<header><p class="notice">{notice}</p>
<p>{dtp_id} — {territory} — {date}</p></header>
<main>
<h1>{title}</h1>
{body}
</main>
<footer><p class="notice">{notice}</p></footer>
</body>
</html>
"""


def _inline(text: str) -> str:
    out = []
    for span, bold, italic in inline_spans(text):
        piece = escape(span, quote=False)
        out.append(
            f"<strong>{piece}</strong>" if bold else f"<em>{piece}</em>" if italic else piece
        )
    return "".join(out)


def _html_table(header: list[str] | None, rows: list[list[str]]) -> str:
    # One row per line and a newline between cells, so that a plain text extraction
    # (BeautifulSoup get_text) keeps cells apart.
    head = (
        "<tr>" + "\n".join(f"<th>{_inline(c)}</th>" for c in header) + "</tr>\n" if header else ""
    )
    body = "".join(
        "<tr>" + "\n".join(f"<td>{_inline(c)}</td>" for c in r) + "</tr>\n" for r in rows
    )
    return f"<table>\n{head}{body}</table>"


def _html_block(block: Block) -> str:
    if isinstance(block, Heading):
        level = block.level + 1  # the document title is the page's h1
        return f"<h{level}>{_inline(block.text)}</h{level}>"
    if isinstance(block, Para):
        return f"<p>{_inline(block.text)}</p>"
    if isinstance(block, ListBlock):
        tag = "ol" if block.ordered else "ul"
        return f"<{tag}>" + "".join(f"<li>{_inline(i)}</li>" for i in block.items) + f"</{tag}>"
    if isinstance(block, Table):
        return _html_table(block.header, block.rows)
    if isinstance(block, Fields):
        return _html_table(None, [[f"**{k}**", v] for k, v in block.rows])
    if isinstance(block, Quote):
        speaker = f"<footer>— {escape(block.speaker)}</footer>" if block.speaker else ""
        return f"<blockquote><p>{_inline(block.text)}</p>{speaker}</blockquote>"
    if isinstance(block, Directive) and block.name == "columns":
        return '<div class="columns">' if block.args[0] != "1" else "</div>"
    return ""


def render_html(source: Source, blocks: list[Block], out: Path) -> None:
    body = "\n".join(filter(None, (_html_block(b) for b in blocks)))
    if body.count('<div class="columns">') > body.count("</div>"):
        body += "\n</div>"
    out.write_text(
        _PAGE.format(
            title=escape(source.title),
            dtp_id=escape(str(source.meta["dtp_id"])),
            territory=escape(str(source.meta["territory"])),
            date=f"{source.date:%d/%m/%Y}",
            notice=FICTION_NOTICE,
            body=body,
        ),
        encoding="utf-8",
    )


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "/") for c in cells) + " |"


def _md_block(block: Block) -> str:
    if isinstance(block, Heading):
        return "#" * (block.level + 1) + " " + block.text
    if isinstance(block, Para):
        return block.text
    if isinstance(block, ListBlock):
        marks = [f"{n}." if block.ordered else "-" for n in range(1, len(block.items) + 1)]
        return "\n".join(f"{m} {i}" for m, i in zip(marks, block.items, strict=True))
    if isinstance(block, Table):
        sep = ["---"] * len(block.header)
        return "\n".join(_md_row(r) for r in [block.header, sep, *block.rows])
    if isinstance(block, Fields):
        return "\n".join(f"- **{k}** : {v}" for k, v in block.rows)
    if isinstance(block, Quote):
        speaker = f"\n>\n> — {block.speaker}" if block.speaker else ""
        return f"> {block.text}{speaker}"
    return ""


def render_md(source: Source, blocks: list[Block], out: Path) -> None:
    head = [
        f"# {source.title}",
        f"*{FICTION_NOTICE}* — {source.meta['dtp_id']} — {source.meta['territory']} — "
        f"{source.date:%d/%m/%Y}",
    ]
    parts = head + [text for text in (_md_block(b) for b in blocks) if text]
    parts.append(f"---\n*{FICTION_NOTICE}*")
    out.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
