"""DOCX, HTML, CSV and XLSX parsing on small files written here, and broken files reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.parsers import ParsedDocument, parse
from kb.errors import IngestError


def _rows(doc: ParsedDocument) -> list[tuple[int, str, str, str]]:
    return [
        (page.number, block.text, block.context, block.section)
        for page in doc.pages
        for block in page.blocks
        if block.kind == "row"
    ]


def _spans_hold(doc: ParsedDocument) -> None:
    for page in doc.pages:
        for block in page.blocks:
            assert block.text in page.text, block.text


def test_docx_headings_sections_tables_and_page_breaks(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.core_properties.title = "Compte rendu du comité de suivi"
    document.add_heading("Compte rendu du comité de suivi", level=0)
    document.add_heading("1. Point d'étape", level=1)
    document.add_paragraph("Le comité examine les préconisations du diagnostic.")
    table = document.add_table(rows=0, cols=3)
    for cells in (
        ["N°", "Pilote", "Statut au 20/06/2023"],
        ["SG-HR-2021-P01", "ERHR Sud-Garance", "en progression"],
        ["SG-HR-2021-P02", "MDPH de Garance-du-Nord", "terminée"],
    ):
        row = table.add_row().cells
        for cell, text in zip(row, cells, strict=True):
            cell.paragraphs[0].add_run(text).bold = cells[0] == "N°"
    document.add_page_break()
    document.add_heading("2. Fiche", level=1)
    fiche = document.add_table(rows=0, cols=2)
    for label, value in (("Pilote", "ARS Sud-Garance"), ("Statut", "engagée (20/06/2023)")):
        cells = fiche.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].text = value
    path = tmp_path / "cr.docx"
    document.save(str(path))

    doc = parse(path)
    assert doc.title == "Compte rendu du comité de suivi"
    assert [p.number for p in doc.pages] == [1, 2]
    _spans_hold(doc)
    rows = _rows(doc)
    page, text, context, section = rows[0]
    assert page == 1 and "SG-HR-2021-P01" in text
    assert context.splitlines() == [
        "N° : SG-HR-2021-P01",
        "Pilote : ERHR Sud-Garance",
        "Statut au 20/06/2023 : en progression",
    ]
    assert section.endswith("1. Point d'étape")
    fiche_page, _, fiche_context, fiche_section = rows[-1]
    assert fiche_page == 2 and fiche_section.endswith("2. Fiche")
    assert fiche_context == "Pilote : ARS Sud-Garance\nStatut : engagée (20/06/2023)"
    text_blocks = [b for p in doc.pages for b in p.blocks if b.kind == "text"]
    assert any("Le comité examine" in b.text for b in text_blocks)


def test_html_headings_paragraphs_and_tables(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        """<!DOCTYPE html><html lang="fr"><head><title>Conférence de restitution</title>
        <meta name="dtp_id" content="SG-HR-2021"><style>p { color: red }</style></head>
        <body><nav><a href="/">Accueil</a></nav><main>
        <h1>Conférence de restitution</h1>
        <p>Les résultats seront présentés le <strong>18 novembre 2021</strong>.</p>
        <h2>Le diagnostic en chiffres</h2>
        <table><tr><th>Indicateur</th><th>Valeur</th></tr>
        <tr><td>Personnes repérées</td><td>236</td></tr></table>
        <script>var x = 1;</script></main></body></html>""",
        encoding="utf-8",
    )
    doc = parse(path)
    assert doc.title == "Conférence de restitution"
    assert doc.metadata == {"dtp_id": "SG-HR-2021"}
    _spans_hold(doc)
    assert "Accueil" not in doc.text and "var x" not in doc.text and "color" not in doc.text
    assert "Les résultats seront présentés le 18 novembre 2021 ." in doc.text
    [(_, text, context, section)] = _rows(doc)
    assert text == "Personnes repérées | 236"
    assert context == "Indicateur : Personnes repérées\nValeur : 236"
    assert section == "Conférence de restitution > Le diagnostic en chiffres"


def test_csv_semicolons_quoted_newlines_raw_lines(tmp_path: Path) -> None:
    path = tmp_path / "suivi.csv"
    raw = (
        "N°;Pilote;Statut;Commentaire\n"
        'HR-2016-P01;ERHR Lisière-Océane;en cours;"deux lignes\ndans une cellule"\n'
        "\n"
        "HR-2016-P02;ARS Lisière-Océane;réalisée;\n"
    )
    path.write_text(raw, encoding="utf-8")
    doc = parse(path)
    _spans_hold(doc)
    rows = _rows(doc)
    assert [r[1] for r in rows] == [
        'HR-2016-P01;ERHR Lisière-Océane;en cours;"deux lignes\ndans une cellule"',
        "HR-2016-P02;ARS Lisière-Océane;réalisée;",
    ]
    assert all(r[1] in raw for r in rows)
    assert rows[0][2].splitlines()[:3] == [
        "N° : HR-2016-P01",
        "Pilote : ERHR Lisière-Océane",
        "Statut : en cours",
    ]


def test_csv_commas_are_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("id,pilot,status\nA-2020-P01,ARS,done\nA-2020-P02,CD,open\n", encoding="utf-8")
    rows = _rows(parse(path))
    assert rows[1][2] == "id : A-2020-P02\npilot : CD\nstatus : open"


def test_xlsx_one_page_per_sheet_cells_joined(tmp_path: Path) -> None:
    from datetime import date

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Suivi"
    sheet.append(["N°", "Pilote", "Statut", "Date du statut"])
    sheet.append(["HR-DV-2019-P01", "Institut La Clarté", "en cours", date(2021, 6, 30)])
    sheet.append(["HR-DV-2019-P02", None, "amorcée", None])
    notes = book.create_sheet("Lisez-moi")
    notes.append(["Situation au 30/06/2021"])
    path = tmp_path / "suivi.xlsx"
    book.save(str(path))

    doc = parse(path)
    assert [p.number for p in doc.pages] == [1, 2]
    _spans_hold(doc)
    rows = _rows(doc)
    assert rows[0][1] == "HR-DV-2019-P01 ; Institut La Clarté ; en cours ; 2021-06-30"
    assert rows[1][1] == "HR-DV-2019-P02 ;  ; amorcée"
    assert rows[0][2].endswith("Date du statut : 2021-06-30")
    assert rows[0][3] == "Suivi"
    assert doc.pages[1].text == "Situation au 30/06/2021"
    assert doc.pages[1].blocks[0].kind == "text"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("broken.xlsx", b"PK\x03\x04 this is no workbook", "classeur XLSX illisible"),
        ("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "XLSX illisible"),
        ("broken.docx", b"not a zip at all", "DOCX illisible"),
    ],
)
def test_broken_office_files_are_reported_with_a_reason(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError) as caught:
        parse(path)
    assert caught.value.path == str(path)
    assert reason in caught.value.reason
    assert "enregistrez-le au format" in caught.value.reason


def test_the_default_extensions_cover_every_format() -> None:
    from ingest.parsers import PARSERS
    from kb.settings import IngestSettings

    extensions = IngestSettings().extensions
    for suffix in (".docx", ".html", ".htm", ".csv", ".xlsx"):
        assert suffix in extensions and suffix in PARSERS


def test_a_text_file_without_text_is_not_called_a_scan(tmp_path: Path) -> None:
    """Only a PDF can be a scanned document; a Markdown file holding front matter only is
    just empty of text."""
    path = tmp_path / "fiche.md"
    path.write_text("---\ntitle: Fiche\ntheme: sante_mentale\n---\n\n", encoding="utf-8")
    with pytest.raises(IngestError) as refused:
        parse(path)
    assert "aucun texte n'a pu être extrait" in str(refused.value)
    assert "numérisé" not in str(refused.value)
