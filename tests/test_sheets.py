"""Spreadsheets shaped like real trackers: a title row above the header, merged cells, one
sheet per review, a two-level header; the header row is found by what it says."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.parsers import Page, ParsedDocument, parse
from ingest.parsers.sheet import header_row
from kb.domain import field_of_header, profile

HEADER = [
    "Axe",
    "N°",
    "Intitulé",
    "Porteur(s)",
    "Acteurs associés",
    "Niveau de réalisation",
    "Statut précédent",
    "Échéance prolongée",
]
TITLE_2023 = "Suivi des préconisations — mise à jour du 31/12/2023"
TITLE_2024 = "Suivi des préconisations — mise à jour du 30/06/2024"
AXIS_1 = "Axe 1 — Repérer et évaluer"
AXIS_2 = "Axe 2 — Accompagner les parcours"


def _rows(page: Page) -> list[tuple[str, list[str]]]:
    return [(b.text, b.context.splitlines()) for b in page.blocks if b.kind == "row"]


def _spans_hold(doc: ParsedDocument) -> None:
    for page in doc.pages:
        for block in page.blocks:
            assert block.text in page.text, block.text


def _tracker(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    first.title = "Suivi 2023"
    second = book.create_sheet("Suivi 2024")
    for sheet, title, statuses in (
        (first, TITLE_2023, ("En cours", "Non engagée", "Non atteint")),
        (second, TITLE_2024, ("Réalisée", "En cours de déploiement", "Reportée à 2025")),
    ):
        sheet["A1"] = title
        sheet.merge_cells("A1:H1")
        # row 2 left blank, the header on row 3
        for column, name in enumerate(HEADER, start=1):
            sheet.cell(row=3, column=column, value=name)
        sheet.append([AXIS_1, "Préconisation n°1", "Recenser les situations", "ERHR", "MDPH"])
        sheet.append([None, "Préconisation n°2", "Former les aidants", "CREAI", "ARS; CD"])
        sheet.append([AXIS_2, "Préconisation n°3", "Créer une équipe mobile", "ARS", None])
        sheet.merge_cells("A4:A5")  # the axis spans its two recommendations
        for row, status in zip((4, 5, 6), statuses, strict=True):
            sheet.cell(row=row, column=6, value=status)
            sheet.cell(row=row, column=7, value="Non engagée")
            sheet.cell(row=row, column=8, value="2025")
    book.save(str(path))
    return path


def test_xlsx_tracker_header_below_a_merged_title(tmp_path: Path) -> None:
    doc = parse(_tracker(tmp_path / "suivi.xlsx"))
    _spans_hold(doc)
    assert [p.number for p in doc.pages] == [1, 2]
    for page, sheet, title in (
        (doc.pages[0], "Suivi 2023", TITLE_2023),
        (doc.pages[1], "Suivi 2024", TITLE_2024),
    ):
        # the title row is text (once, not repeated across its merged cells), above the rows
        assert page.text.splitlines()[0] == title
        assert page.blocks[0].kind == "text"
        assert page.blocks[0].text == title
        assert {b.section for b in page.blocks} == {sheet}
        rows = _rows(page)
        assert [text.split(" ; ")[1] for text, _ in rows] == [
            "Préconisation n°1",
            "Préconisation n°2",
            "Préconisation n°3",
        ]
        for _, context in rows:
            assert context[0] == title  # each row carries its sheet's dated title
    # the header is row 3, every column named as printed
    text, context = _rows(doc.pages[0])[0]
    assert text == (
        f"{AXIS_1} ; Préconisation n°1 ; Recenser les situations ; ERHR ; MDPH ; En cours"
        " ; Non engagée ; 2025"
    )
    assert context[1:] == [
        f"Axe : {AXIS_1}",
        "N° : Préconisation n°1",
        "Intitulé : Recenser les situations",
        "Porteur(s) : ERHR",
        "Acteurs associés : MDPH",
        "Niveau de réalisation : En cours",
        "Statut précédent : Non engagée",
        "Échéance prolongée : 2025",
    ]
    # the merged axis reaches the row below it, whose own cell is empty in the file
    second_text, second = _rows(doc.pages[0])[1]
    assert second_text.startswith(" ; Préconisation n°2")
    assert f"Axe : {AXIS_1}" in second
    assert f"Axe : {AXIS_2}" in _rows(doc.pages[0])[2][1]
    # the newer sheet's state is there, dated by its own title
    assert "Niveau de réalisation : Réalisée" in _rows(doc.pages[1])[0][1]
    assert [profile().document_date.search(p.text).group(1) for p in doc.pages] == [  # type: ignore[union-attr]
        "31/12/2023",
        "30/06/2024",
    ]


def test_the_tracker_headers_mean_their_fields() -> None:
    assert [field_of_header(h) for h in HEADER] == [
        "axis",
        "label",
        "title",
        "pilot",
        "partners",
        "status",
        None,
        "timeline",
    ]


def test_xlsx_two_level_header(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Bilan"
    sheet["A1"] = "Bilan à mi-parcours"
    sheet["A2"] = "Bilan à mi-parcours"  # a title written twice: kept once
    sheet.append(["N°", "Intitulé", "Pilote", "Statut", None])
    sheet.append([None, None, None, "2023", "2024"])
    # "Statut" spans its two years; the other headers span both header rows
    for merged in ("D3:E3", "A3:A4", "B3:B4", "C3:C4"):
        sheet.merge_cells(merged)
    sheet.append(["Action 1.1", "Ouvrir un SAMSAH", "ARS", "En cours", "Réalisée"])
    path = tmp_path / "bilan.xlsx"
    book.save(str(path))

    [page] = parse(path).pages
    assert page.blocks[0].text == "Bilan à mi-parcours"
    [(text, context)] = _rows(page)
    assert text == "Action 1.1 ; Ouvrir un SAMSAH ; ARS ; En cours ; Réalisée"
    assert context == [
        "Bilan à mi-parcours",
        "N° : Action 1.1",
        "Intitulé : Ouvrir un SAMSAH",
        "Pilote : ARS",
        "Statut 2023 : En cours",
        "Statut 2024 : Réalisée",
    ]


def test_csv_tracker_with_a_title_and_a_date_line(tmp_path: Path) -> None:
    path = tmp_path / "suivi_ptsm.csv"
    raw = (
        "Tableau de suivi du PTSM;;;;\n"
        "Mise à jour :;30/06/2024;;;\n"
        ";;;;\n"
        "N°;Intitulé;Porteur(s);Co-pilote(s);Statut au 30/06/2024\n"
        "Fiche action n°1;Créer un CLSM;Ville;CH;Réalisée\n"
        "Fiche action n°2;Former les aidants;UNAFAM;;Non engagée\n"
    )
    path.write_text(raw, encoding="utf-8")
    doc = parse(path)
    _spans_hold(doc)
    [page] = doc.pages
    assert page.blocks[0].kind == "text"
    assert page.blocks[0].text == "Tableau de suivi du PTSM\nMise à jour : 30/06/2024"
    assert profile().document_date.search(page.text).group(1) == "30/06/2024"  # type: ignore[union-attr]
    rows = _rows(page)
    assert [text for text, _ in rows] == [
        "Fiche action n°1;Créer un CLSM;Ville;CH;Réalisée",
        "Fiche action n°2;Former les aidants;UNAFAM;;Non engagée",
    ]
    assert all(text in raw for text, _ in rows)
    assert rows[1][1] == [
        "Tableau de suivi du PTSM",
        "Mise à jour : 30/06/2024",
        "N° : Fiche action n°2",
        "Intitulé : Former les aidants",
        "Porteur(s) : UNAFAM",
        "Statut au 30/06/2024 : Non engagée",
    ]


def test_csv_title_row_above_a_header_of_unknown_words(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Export 2024,,\nid,pilot,status\nA-1,ARS,done\n", encoding="utf-8")
    [page] = parse(path).pages
    assert _rows(page) == [
        ("A-1,ARS,done", ["Export 2024", "id : A-1", "pilot : ARS", "status : done"])
    ]


TITLE = "Suivi de la mise en œuvre 2023"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # a title merged across the columns, a blank row, the header
        (
            [[TITLE] * 5, [""] * 5, ["N°", "Intitulé", "Porteur(s)", "Statut 2023", "Commentaire"]],
            2,
        ),
        # a title and a dated line in two cells each, then the header
        (
            [
                ["Tableau de suivi", "DTP 2019"],
                ["Mise à jour :", "30/06/2024"],
                ["Réf.", "Action", "Pilote", "Partenaires", "Avancement"],
                ["1.1", "Créer un GEM", "CD", "ARS", "en cours"],
            ],
            2,
        ),
        # the header is the row naming the most fields, not the first of several cells
        (
            [
                ["Préconisations", "DTP handicaps rares", "Région"],
                ["N°", "Préconisation", "Pilote", "Partenaires", "Statut au 31/12/2023"],
                ["P1", "Préconisation", "ERHR", "MDPH", "Réalisée"],
            ],
            1,
        ),
        # no header word: the first row of two different cells
        ([["Liste"], ["code", "libellé du site"], ["A", "B"]], 1),
        # no row of two cells: no table
        ([["Situation au 30/06/2021"], ["Voir l'onglet Suivi"]], -1),
        ([], -1),
    ],
)
def test_header_row(rows: list[list[str]], expected: int) -> None:
    assert header_row(rows) == expected


def test_header_row_looks_at_the_first_rows_only() -> None:
    notes = [[f"Note {n}"] for n in range(20)]
    assert header_row([*notes, ["N°", "Pilote", "Statut"]]) == -1


def test_csv_title_line_with_a_comma_and_no_delimiter_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "suivi.csv"
    raw = (
        "Suivi des préconisations, mise à jour du 30/06/2024\r\n"
        "N°;Intitulé;Porteur(s);Acteurs associés;Niveau de réalisation\r\n"
        "Préconisation n°1;Repérer, évaluer et orienter;ERHR;MDPH, CREAI;Réalisé comme prévu\r\n"
        "Préconisation n°2;Former les aidants;CREAI;;Objectif non atteint\r\n"
    )
    path.write_bytes(raw.encode("cp1252"))
    [page] = parse(path).pages
    assert page.blocks[0].text == "Suivi des préconisations, mise à jour du 30/06/2024"
    rows = _rows(page)
    assert [text for text, _ in rows] == raw.splitlines()[2:]
    assert rows[0][1] == [
        "Suivi des préconisations, mise à jour du 30/06/2024",
        "N° : Préconisation n°1",
        "Intitulé : Repérer, évaluer et orienter",
        "Porteur(s) : ERHR",
        "Acteurs associés : MDPH, CREAI",
        "Niveau de réalisation : Réalisé comme prévu",
    ]


def test_a_newer_dated_sheet_wins_and_the_older_is_history(tmp_path: Path) -> None:
    import openpyxl

    from ingest.recommendations import extract_recommendations
    from kb.recommendations.merge import merge

    wb = openpyxl.Workbook()
    states = (
        ("Suivi 2023", "Non engagée", "Suivi des préconisations — mise à jour du 31/12/2023"),
        ("Suivi 2024", "Réalisée", "Suivi des préconisations — mise à jour du 30/06/2024"),
    )
    for name, status, title in states:
        ws = wb.create_sheet(name)
        ws.append([title])
        ws.merge_cells("A1:D1")
        ws.append([])
        ws.append(["N°", "Préconisation", "Porteur(s)", "Niveau de réalisation"])
        ws.append([3, "Créer une équipe mobile", "CH de Test", status])
    del wb["Sheet"]
    wb.save(tmp_path / "suivi.xlsx")
    found = extract_recommendations(
        parse(tmp_path / "suivi.xlsx"), "suivi.xlsx", "doc", {"dtp_id": "SM-T-2022"}
    )
    assert {o.rec_id for o in found} == {"SM-T-2022/preconisation-3"}
    record = merge("SM-T-2022/preconisation-3", found)
    assert (record.status, record.status_date, record.pilot) == (
        "realisee",
        "2024-06-30",
        "CH de Test",
    )
    assert [(f.status, f.date) for f in record.history] == [
        ("non_engagee", "2023-12-31"),
        ("realisee", "2024-06-30"),
    ]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "cp1252"])
def test_csv_in_the_encodings_spreadsheet_software_writes(tmp_path: Path, encoding: str) -> None:
    """Excel's "Unicode text" is UTF-16 with a BOM; its "CSV UTF-8" starts with a BOM; the
    French default is Windows-1252."""
    path = tmp_path / "suivi.csv"
    text = "N°;Intitulé;Statut\n1;Créer une équipe mobile d'appui;Réalisée\n2;Former les aidants;Non engagée\n"
    path.write_bytes(text.encode(encoding))
    doc = parse(path)
    rows = _rows(doc.pages[0])
    assert [raw for raw, _ in rows] == [
        "1;Créer une équipe mobile d'appui;Réalisée",
        "2;Former les aidants;Non engagée",
    ]
    assert "Intitulé : Créer une équipe mobile d'appui" in rows[0][1]
