"""Small python-docx helpers that give documents the habits of real Word files.

Odd/even running headers, "Page 3 sur 18" footers, a cover without header, bullets
from a "Symbol"-font list (U+F0B7), borderless tables, no-break spaces before French
punctuation, fixed document properties and fixed zip timestamps.
"""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

NBSP = "\u00a0"
SYMBOL_BULLETS = 90  # numId of our Word-style bullet list

_NBSP_BEFORE = re.compile(r" ([:;%€?!»])")
_NBSP_NUMERO = re.compile(r"n° ")


def fr(text: str) -> str:
    """French typography as Word's autocorrect leaves it: no-break spaces before : ; % € ? !"""
    return _NBSP_NUMERO.sub("n°" + NBSP, _NBSP_BEFORE.sub(NBSP + r"\1", text)).replace(
        "« ", "«" + NBSP
    )


def new_document(
    *, title: str, author: str, created: datetime, odd_header: str, even_header: str
) -> Document:
    doc = Document()
    props = doc.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.created = created
    props.modified = created
    props.revision = 3
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    for name, size in (("Heading 1", 15), ("Heading 2", 12), ("Heading 3", 10.5)):
        doc.styles[name].font.name = "Arial"
        doc.styles[name].font.size = Pt(size)
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.3), Cm(2.0)
    section.different_first_page_header_footer = True
    doc.settings.odd_and_even_pages_header_footer = True
    _header(section.header, odd_header, WD_ALIGN_PARAGRAPH.RIGHT)
    _header(section.even_page_header, even_header, WD_ALIGN_PARAGRAPH.LEFT)
    _page_footer(section.footer)
    _page_footer(section.even_page_footer)
    _add_symbol_bullets(doc)
    return doc


def _header(header, text: str, align) -> None:
    p = header.paragraphs[0]
    p.alignment = align
    run = p.add_run(text)
    run.italic = True
    run.font.size = Pt(8)


def _field(paragraph, instruction: str) -> None:
    paragraph._p.append(
        parse_xml(
            f'<w:fldSimple {nsdecls("w")} w:instr=" {instruction} "><w:r><w:t>1</w:t></w:r>'
            "</w:fldSimple>"
        )
    )


def _page_footer(footer) -> None:
    p = footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("Page ").font.size = Pt(8)
    _field(p, "PAGE")
    p.add_run(" sur ").font.size = Pt(8)
    _field(p, "NUMPAGES")


def _add_symbol_bullets(doc: Document) -> None:
    numbering = doc.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{SYMBOL_BULLETS}">'
        '<w:multiLevelType w:val="hybridMultilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
        '<w:lvlText w:val="\uf0b7"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr>'
        '<w:rPr><w:rFonts w:ascii="Symbol" w:hAnsi="Symbol" w:hint="default"/></w:rPr>'
        "</w:lvl></w:abstractNum>"
    )
    nums = numbering.findall(qn("w:num"))
    if nums:
        nums[0].addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{SYMBOL_BULLETS}">'
            f'<w:abstractNumId w:val="{SYMBOL_BULLETS}"/></w:num>'
        )
    )


def cover(doc: Document, lines: list[tuple[str, int, bool]]) -> None:
    """The title page: (text, point size, bold) lines, then a page break."""
    for _ in range(5):
        doc.add_paragraph()
    for text, size, bold in lines:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(fr(text))
        run.font.size = Pt(size)
        run.bold = bold
    page_break(doc)


def page_break(doc: Document) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def heading(doc: Document, text: str, level: int = 1) -> None:
    doc.add_heading(fr(text), level=level)


def para(doc: Document, text: str, *, bold: bool = False, italic: bool = False, size=None):
    p = doc.add_paragraph()
    run = p.add_run(fr(text))
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    return p


def labelled(doc: Document, label: str, text: str) -> None:
    """A paragraph starting with a bold label: "Pilote : EPSM de la Vaudrenne"."""
    p = doc.add_paragraph()
    p.add_run(fr(label + " : ")).bold = True
    p.add_run(fr(text))


def _as_bullet(paragraph) -> None:
    paragraph._p.get_or_add_pPr().append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/>'
            f'<w:numId w:val="{SYMBOL_BULLETS}"/></w:numPr>'
        )
    )


def bullets(doc: Document, items: list[str]) -> None:
    for item in items:
        p = doc.add_paragraph()
        _as_bullet(p)
        p.add_run(fr(item))


_SEPARATORS = (
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
    "</w:r></w:p></w:footnote>"
)


def _footnotes(doc: Document):
    """The footnotes part, created on first use (python-docx's template has none)."""
    part = doc.part
    for rel in part.rels.values():
        if rel.reltype == RT.FOOTNOTES:
            return rel.target_part.element
    element = parse_xml(f"<w:footnotes {nsdecls('w')}>{_SEPARATORS}</w:footnotes>")
    footnotes = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, element, part.package)
    part.relate_to(footnotes, RT.FOOTNOTES)
    return element


def footnote(doc: Document, paragraph, text: str) -> None:
    """A real Word footnote: a superscript call in `paragraph`, its text at the page bottom."""
    notes = _footnotes(doc)
    number = len(notes.findall(qn("w:footnote"))) - 1
    sup = '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
    notes.append(
        parse_xml(
            f'<w:footnote {nsdecls("w")} w:id="{number}"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
            f'<w:r>{sup}<w:footnoteRef/></w:r><w:r><w:rPr><w:sz w:val="16"/></w:rPr>'
            f'<w:t xml:space="preserve"> {_xml(fr(text))}</w:t></w:r></w:p></w:footnote>'
        )
    )
    paragraph._p.append(
        parse_xml(f'<w:r {nsdecls("w")}>{sup}<w:footnoteReference w:id="{number}"/></w:r>')
    )


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quote(doc: Document, text: str, who: str) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.left_indent = Cm(1)
    p.add_run(fr(f"« {text} »")).italic = True
    p.add_run(fr(f" — {who}")).font.size = Pt(9)


def table(
    doc: Document, header: list[str] | None, rows: list[list[str]], *, grid=False, widths=None
):
    """A table; borderless unless `grid` (Word's "Table Grid"). The header row never repeats."""
    table = doc.add_table(rows=0, cols=len(rows[0]))
    if grid:
        table.style = doc.styles["Table Grid"]
    all_rows = ([header] if header else []) + rows
    for r, values in enumerate(all_rows):
        cells = table.add_row().cells
        for c, value in enumerate(values):
            # A list in a cell: one Symbol-bullet paragraph per item.
            for i, line in enumerate(value.split("\n") if value.startswith("\uf0b7") else [value]):
                p = cells[c].paragraphs[0] if i == 0 else cells[c].add_paragraph()
                if line.startswith("\uf0b7"):
                    _as_bullet(p)
                    line = line[1:].strip()
                run = p.add_run(fr(line))
                run.font.size = Pt(9)
                run.bold = bool(header) and r == 0
    if widths:
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)
    return table


def new_section(doc: Document) -> None:
    doc.add_section(WD_SECTION.NEW_PAGE)


FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)


def save(doc: Document, path: Path) -> None:
    """Save with fixed zip timestamps, so that unchanged sources give identical bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    freeze_zip(path)


def freeze_zip(path: Path, transforms: dict | None = None) -> None:
    """Rewrite a zip with fixed member timestamps; `transforms` may edit members by name."""
    transforms = transforms or {}
    with zipfile.ZipFile(path) as z:
        members = [(info.filename, z.read(info.filename)) for info in z.infolist()]
    members = [(name, transforms.get(name, lambda b: b)(data)) for name, data in members]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(zipfile.ZipInfo(name, FIXED_ZIP_TIME), data, zipfile.ZIP_DEFLATED)
