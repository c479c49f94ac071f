"""Assemble a PDF: title page, table of contents, column sections, page breaks."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.platypus import (
    Flowable,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
)
from reportlab.platypus import Table as RLTable
from reportlab.platypus.flowables import BalancedColumns
from reportlab.platypus.tableofcontents import TableOfContents

from .blocks import Block, Directive, Heading
from .pdf import ACCENT, CorpusDoc, flowable
from .pdf_styles import styles
from .source import FICTION_NOTICE, Source

_COLUMN_GAP = 14.0


def title_page(source: Source, width: float) -> list[Flowable]:
    st = styles()
    meta = source.meta
    facts = [
        ("Diagnostic", str(meta["dtp_id"])),
        ("Territoire", str(meta["territory"])),
        ("Date", source.date.strftime("%d/%m/%Y")),
        ("Réalisation", str(meta.get("authors", ""))),
    ]
    box = RLTable(
        [
            [Paragraph(f"<b>{escape(k)}</b>", st["body"]), Paragraph(escape(v), st["body"])]
            for k, v in facts
            if v
        ],
        colWidths=[0.25 * width, 0.75 * width],
    )
    box.setStyle(
        [("LINEABOVE", (0, 0), (-1, 0), 1, ACCENT), ("LINEBELOW", (0, -1), (-1, -1), 1, ACCENT)]
    )
    notice = Paragraph(
        escape(FICTION_NOTICE) + " — territoires, structures et personnes sont inventés.",
        st["notice"],
    )
    out: list[Flowable] = [Spacer(1, 90), Paragraph(escape(source.title), st["title"])]
    if meta.get("subtitle"):
        out.append(Paragraph(escape(str(meta["subtitle"])), st["subtitle"]))
    out += [Spacer(1, 40), box, Spacer(1, 60), notice, NextPageTemplate("body"), PageBreak()]
    return out


def _toc() -> list[Flowable]:
    toc = TableOfContents()
    toc.levelStyles = [styles()["toc1"], styles()["toc2"]]
    return [Paragraph("Sommaire", styles()["h1"]), toc, PageBreak()]


def _columns(blocks: list[Block], width: float, ncols: int) -> Flowable:
    col_width = (width - _COLUMN_GAP * (ncols - 1)) / ncols
    content = [f for b in blocks for f in flowable(b, col_width)]
    return BalancedColumns(
        content, nCols=ncols, spaceBefore=4, spaceAfter=8, innerPadding=_COLUMN_GAP / 2
    )


def body(source: Source, blocks: list[Block], width: float) -> list[Flowable]:
    """Flowables of the body, honouring pagebreak/toc/columns directives."""
    chapter_breaks = bool(source.meta.get("chapter_page_break", False))
    out: list[Flowable] = []
    pending: list[Block] = []
    ncols = 1
    for block in blocks:
        if isinstance(block, Directive) and block.name == "columns":
            if pending:
                out.append(_columns(pending, width, ncols))
                pending = []
            ncols = int(block.args[0])
            continue
        if ncols > 1:
            pending.append(block)
            continue
        if isinstance(block, Directive):
            out += _layout_directive(block)
        else:
            is_chapter = isinstance(block, Heading) and block.level == 1
            if chapter_breaks and is_chapter and out and not isinstance(out[-1], PageBreak):
                out.append(PageBreak())
            out += flowable(block, width)
    if pending:
        out.append(_columns(pending, width, ncols))
    return out


def _layout_directive(directive: Directive) -> list[Flowable]:
    if directive.name == "pagebreak":
        return [PageBreak()]
    if directive.name == "toc":
        return _toc()
    raise ValueError(f"unknown directive {directive.name!r}")


def render_pdf(source: Source, blocks: list[Block], out: Path) -> None:
    doc = CorpusDoc(out, source)
    story = title_page(source, doc.width) + body(source, blocks, doc.width)
    doc.multiBuild(story)
