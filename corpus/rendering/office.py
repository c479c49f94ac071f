"""DOCX writer (python-docx)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from .blocks import Block, Directive, Fields, Heading, ListBlock, Para, Quote, Table, inline_spans
from .source import FICTION_NOTICE, Source
from .zipfix import freeze_zip


def _runs(paragraph: DocxParagraph, text: str) -> None:
    for span, bold, italic in inline_spans(text):
        run = paragraph.add_run(span)
        run.bold, run.italic = bold or None, italic or None


def _page_field(paragraph: DocxParagraph) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _header_footer(doc: DocxDocument, source: Source) -> None:
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_footer.paragraphs[0].text = FICTION_NOTICE
    section.header.paragraphs[0].text = f"{source.short_title} — {source.meta['dtp_id']}"
    footer = section.footer.paragraphs[0]
    footer.text = f"{FICTION_NOTICE} — page "
    _page_field(footer)


def _table(doc: DocxDocument, header: list[str] | None, rows: list[list[str]]) -> DocxTable:
    ncols = len(header or rows[0])
    table = doc.add_table(rows=0, cols=ncols)
    table.style = "Table Grid"
    if header:
        cells = table.add_row().cells
        for cell, text in zip(cells, header, strict=True):
            _runs(cell.paragraphs[0], f"**{text}**")
        repeat = OxmlElement("w:tblHeader")
        table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            _runs(cell.paragraphs[0], text)
    return table


def _block(doc: DocxDocument, block: Block) -> None:
    if isinstance(block, Heading):
        doc.add_heading(block.text.replace("*", ""), level=block.level)
    elif isinstance(block, Para):
        _runs(doc.add_paragraph(), block.text)
    elif isinstance(block, ListBlock):
        style = "List Number" if block.ordered else "List Bullet"
        for item in block.items:
            _runs(doc.add_paragraph(style=style), item)
    elif isinstance(block, Table):
        _table(doc, block.header, block.rows)
        doc.add_paragraph()
    elif isinstance(block, Fields):
        _table(doc, None, [[f"**{k}**", v] for k, v in block.rows])
        doc.add_paragraph()
    elif isinstance(block, Quote):
        _runs(doc.add_paragraph(style="Quote"), block.text)
        if block.speaker:
            doc.add_paragraph(f"— {block.speaker}")
    elif isinstance(block, Directive) and block.name == "pagebreak":
        doc.add_page_break()
    # columns/toc have no DOCX rendering: the text is kept in one column.


def render_docx(source: Source, blocks: list[Block], out: Path) -> None:
    doc = Document()
    doc.styles["Normal"].font.size = Pt(10)
    stamp = datetime.combine(source.date, datetime.min.time())
    props = doc.core_properties
    props.title, props.author = source.title, str(source.meta.get("authors", ""))
    props.subject = f"{source.meta['dtp_id']} — {FICTION_NOTICE}"
    props.created = props.modified = stamp
    props.last_modified_by, props.revision = "dtp-kb corpus/render.py", 1
    props.comments = FICTION_NOTICE
    _header_footer(doc, source)
    doc.add_heading(source.title, level=0)
    if source.meta.get("subtitle"):
        doc.add_paragraph(str(source.meta["subtitle"]))
    doc.add_paragraph(
        f"Diagnostic : {source.meta['dtp_id']} — Territoire : "
        f"{source.meta['territory']} — Date : {source.date:%d/%m/%Y}"
    )
    _runs(
        doc.add_paragraph(),
        f"**{FICTION_NOTICE}** — territoires, structures et personnes sont inventés.",
    )
    for block in blocks:
        _block(doc, block)
    doc.save(str(out))
    freeze_zip(out, source.date)
