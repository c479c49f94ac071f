"""PDF writer (reportlab platypus): title page, running header/footer, TOC, tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    ListFlowable,
    ListItem,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus import Table as RLTable

from .blocks import Block, Fields, Heading, ListBlock, Para, Quote, Table, inline_spans
from .pdf_styles import ACCENT, LIGHT, font_family, styles
from .source import FICTION_NOTICE, Source

MARGIN = 2 * cm


def markup(text: str) -> str:
    """Inline Markdown -> reportlab paragraph markup."""
    out = []
    for span, bold, italic in inline_spans(text):
        piece = escape(span)
        out.append(f"<b>{piece}</b>" if bold else f"<i>{piece}</i>" if italic else piece)
    return "".join(out)


class _Heading(Paragraph):
    def __init__(self, text: str, level: int) -> None:
        super().__init__(markup(text), styles()[f"h{level}"])
        self.level = level
        self.plain_text = "".join(s for s, _, _ in inline_spans(text))


class CorpusDoc(BaseDocTemplate):
    """A document with a title page and body pages carrying header and footer."""

    def __init__(self, path: Path, source: Source) -> None:
        size = landscape(A4) if source.meta.get("orientation") == "landscape" else A4
        super().__init__(
            str(path),
            pagesize=size,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + 0.4 * cm,
            bottomMargin=MARGIN,
            title=source.title,
            author=str(source.meta.get("authors", "")),
            subject=f"{source.meta['dtp_id']} — {FICTION_NOTICE}",
            creator="dtp-kb corpus/render.py",
            producer="dtp-kb corpus/render.py",
            invariant=1,
        )
        self.source = source
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates(
            [
                PageTemplate("title", [frame], onPage=self._title_page),
                PageTemplate("body", [frame], onPage=self._body_page),
            ]
        )
        self._bookmarks = 0
        self._outline_level = -1

    def _title_page(self, canvas: Any, doc: Any) -> None:
        regular = font_family()[0]
        canvas.saveState()
        canvas.setFont(regular, 8)
        canvas.drawCentredString(self.pagesize[0] / 2, MARGIN / 2, FICTION_NOTICE)
        canvas.restoreState()

    def _body_page(self, canvas: Any, doc: Any) -> None:
        regular, bold, _, _ = font_family()
        width, height = self.pagesize
        top = height - MARGIN + 0.2 * cm
        canvas.saveState()
        canvas.setStrokeColor(ACCENT)
        canvas.setFont(regular, 7.5)
        canvas.drawString(MARGIN, top, self.source.short_title)
        canvas.setFont(bold, 7.5)
        canvas.drawRightString(width - MARGIN, top, str(self.source.meta["dtp_id"]))
        canvas.line(MARGIN, top - 4, width - MARGIN, top - 4)
        canvas.line(MARGIN, MARGIN - 0.4 * cm, width - MARGIN, MARGIN - 0.4 * cm)
        canvas.setFont(regular, 7.5)
        canvas.drawString(MARGIN, MARGIN - 0.8 * cm, FICTION_NOTICE)
        canvas.drawRightString(width - MARGIN, MARGIN - 0.8 * cm, f"Page {doc.page}")
        canvas.restoreState()

    def beforeDocument(self) -> None:  # noqa: N802 (reportlab hook, once per multiBuild pass)
        self._bookmarks = 0
        self._outline_level = -1

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (reportlab hook)
        if not isinstance(flowable, _Heading) or flowable.level > 2:
            return
        self._bookmarks += 1
        key = f"h{self._bookmarks}"
        self.canv.bookmarkPage(key)
        # PDF outlines cannot skip a level (a sheet may start at "##").
        level = min(flowable.level - 1, self._outline_level + 1)
        self._outline_level = level
        self.canv.addOutlineEntry(flowable.plain_text, key, level)
        self.notify("TOCEntry", (flowable.level - 1, flowable.plain_text, self.page, key))


def _col_widths(rows: list[list[str]], total: float) -> list[float]:
    """Share `total` by content length, never narrower than a column's longest word."""
    bold = font_family()[1]
    weights, minimums = [], []
    for col in range(len(rows[0])):
        texts = ["".join(s for s, _, _ in inline_spans(r[col])) for r in rows if col < len(r)]
        weights.append(min(max(len(t) for t in texts), 60) + 4)
        longest = max((w for t in texts for w in t.split()), key=len, default="")
        minimums.append(stringWidth(longest, bold, 8) + 14)  # + cell padding
    fixed: dict[int, float] = {}
    while True:  # pin too-narrow columns to their minimum, share the rest, until stable
        free = [i for i in range(len(weights)) if i not in fixed]
        room = total - sum(fixed.values())
        share = {i: room * weights[i] / sum(weights[j] for j in free) for i in free}
        narrow = {i: minimums[i] for i in free if share[i] < minimums[i]}
        if not narrow or len(narrow) == len(free):
            return [fixed.get(i, share.get(i, 0.0)) for i in range(len(weights))]
        fixed.update(narrow)


def _table(block: Table, width: float) -> RLTable:
    st = styles()
    head = [Paragraph(markup(c), st["cell_head"]) for c in block.header]
    body = [[Paragraph(markup(c), st["cell"]) for c in row] for row in block.rows]
    table = RLTable(
        [head, *body],
        colWidths=_col_widths([block.header, *block.rows], width),
        repeatRows=1,
        hAlign="LEFT",
    )
    table.setStyle(
        [
            ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#8eaadb")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f2f6fb")]),
        ]
    )
    return table


def _fields(block: Fields, width: float) -> RLTable:
    st = styles()
    data = [
        [Paragraph(f"<b>{escape(k)}</b>", st["cell"]), Paragraph(markup(v), st["cell"])]
        for k, v in block.rows
    ]
    table = RLTable(data, colWidths=[0.24 * width, 0.76 * width], hAlign="LEFT")
    table.setStyle(
        [
            ("BACKGROUND", (0, 0), (0, -1), LIGHT),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#8eaadb")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    return table


def _list(block: ListBlock) -> ListFlowable:
    items = [ListItem(Paragraph(markup(i), styles()["bullet"])) for i in block.items]
    kind: dict[str, str] = {"bulletType": "1", "bulletFormat": "%s."}
    if not block.ordered:
        kind = {"bulletType": "bullet", "start": "•"}
    return ListFlowable(items, leftIndent=14, bulletFontSize=8, **kind)


def flowable(block: Block, width: float) -> list[Flowable]:
    """The flowables for one block (layout directives are handled by the caller)."""
    st = styles()
    if isinstance(block, Heading):
        return [_Heading(block.text, block.level)]
    if isinstance(block, Para):
        return [Paragraph(markup(block.text), st["body"])]
    if isinstance(block, ListBlock):
        return [_list(block), Spacer(1, 4)]
    if isinstance(block, Table):
        return [_table(block, width), Spacer(1, 8)]
    if isinstance(block, Fields):
        return [_fields(block, width), Spacer(1, 6)]
    if isinstance(block, Quote):
        parts = [Paragraph(markup(block.text), st["quote"])]
        if block.speaker:
            parts.append(Paragraph("— " + escape(block.speaker), st["speaker"]))
        return [KeepTogether(parts)]
    raise ValueError(f"unexpected block {block!r}")
