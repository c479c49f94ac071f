"""Tracker spreadsheets as coordinators keep them: an XLSX with a title row, merged cells and
two dated sheets, and a cp1252 CSV exported by Excel with ';' separators."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from pathlib import Path

import docxkit
import sa_data
import sm_data
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

FIXED = datetime(2024, 7, 1, 8, 0)
AXIS_SHORT = {1: "1. Repérage", 2: "2. Parcours", 3: "3. Crise", 4: "4. Pilotage"}
ECHEANCE_PROLONGEE = {1: "31/12/2024", 5: "2025", 6: "2025", 8: "2025"}
PRS = {
    1: "PRS — objectif 3.2",
    3: "PRS — objectif 3.4",
    5: "SRS — handicap psychique",
    12: "PRS — objectif 1.1",
}


def _sheet(ws, title: str, header: list[str], rows: list[list[object]], groups) -> None:
    width = len(header)
    ws.append([title] + [None] * (width - 1))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws["A1"].font = Font(bold=True, size=13)
    group_row = [None] * width
    for label, first, _ in groups:
        group_row[first - 1] = label
    ws.append(group_row)
    for _, first, last in groups:
        ws.merge_cells(start_row=2, start_column=first, end_row=2, end_column=last)
    ws.append(header)
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True)
    for row in rows:
        ws.append(row)
    # The axis column is merged over the rows of each axis, as people do by hand.
    start = 4
    for r in range(4, 4 + len(rows) + 1):
        value = ws.cell(row=r, column=3).value if r < 4 + len(rows) else object()
        if value != ws.cell(row=start, column=3).value:
            if r - 1 > start:
                for rr in range(start + 1, r):
                    ws.cell(row=rr, column=3).value = None
                ws.merge_cells(start_row=start, start_column=3, end_row=r - 1, end_column=3)
            start = r
    for col, w in zip("ABCDEFGHIJK", (5, 48, 13, 26, 22, 34, 18, 22, 14, 22, 50), strict=False):
        ws.column_dimensions[col].width = w


def sm_tracker(path: Path) -> None:
    wb = Workbook()
    old = wb.active
    old.title = "État 31-12-2023"
    rows = []
    for n, title, pilot, partners, axis in sm_data.PRECONISATIONS:
        wording = sm_data.TRACKER_2023[n]
        percent = {"Réalisé": "100 %"}.get(wording, "0 %" if "engagée" in wording else "50 %")
        rows.append([n, title, AXIS_SHORT[axis], pilot, partners, wording, percent])
    _sheet(
        old,
        "Suivi des préconisations — état au 31/12/2023",
        [
            "N°",
            "Préconisation",
            "Axe",
            "Référent",
            "Acteurs associés",
            "Statut 2023",
            "Avancement 2023",
        ],
        rows,
        [("Préconisation", 1, 3), ("Pilotage", 4, 5), ("Suivi", 6, 7)],
    )
    new = wb.create_sheet("MAJ 30-06-2024")
    rows = []
    for n, title, pilot, partners, axis in sm_data.PRECONISATIONS:
        wording, _, comment = sm_data.BILAN_2024[n]
        co_pilot, _, others = partners.partition(", ")
        rows.append(
            [
                n,
                title,
                AXIS_SHORT[axis],
                pilot,
                co_pilot,
                others,
                sm_data.TRACKER_2023[n],
                wording,
                ECHEANCE_PROLONGEE.get(n, ""),
                PRS.get(n, ""),
                comment,
            ]
        )
    _sheet(
        new,
        "Suivi des préconisations — mise à jour du 30/06/2024",
        [
            "N°",
            "Intitulé de la préconisation",
            "Axe",
            "Porteur(s)",
            "Co-pilote(s)",
            "Acteurs associés",
            "Statut précédent",
            "Niveau de réalisation",
            "Échéance prolongée",
            "Lien avec le PRS",
            "Commentaire",
        ],
        rows,
        [("Préconisation", 1, 3), ("Pilotage", 4, 6), ("Suivi au 30/06/2024", 7, 11)],
    )
    wb.active = 1
    wb.properties.creator = "DAC de la Vaudrenne"
    wb.properties.title = "Suivi des préconisations DTP santé mentale"
    wb.properties.created = FIXED
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    _freeze_xlsx(path)


def _freeze_xlsx(path: Path) -> None:
    """openpyxl stamps the save time into docProps/core.xml; put the fixed date back."""
    stamp = FIXED.strftime("%Y-%m-%dT%H:%M:%SZ")
    docxkit.freeze_zip(
        path,
        {
            "docProps/core.xml": lambda xml: re.sub(
                rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), xml
            )
        },
    )


def sa_csv(path: Path) -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    title = "Suivi des préconisations du diagnostic à 360° de 2019 — mise à jour au 31/12/2022"
    header = [
        "N°",
        "Préconisation",
        "Porteur(s)",
        "Partenaires",
        "Échéance initiale",
        "Statut 2021",
        "Avancement au 31/12/2022",
        "Commentaire",
    ]
    writer.writerow([title] + [""] * (len(header) - 1))
    writer.writerow(header)
    for n, title_, porteur, partners in sa_data.PRECONISATIONS_2019:
        old, new, _, comment = sa_data.SUIVI_2019[n]
        echeance = "2021" if n in (1, 3, 7) else "2022"
        writer.writerow([n, title_, porteur, partners, echeance, old, new, docxkit.fr(comment)])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue().encode("cp1252"))
