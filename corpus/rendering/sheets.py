"""CSV and XLSX trackers ("tableaux de suivi") built from the recommendation data."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from .data import CorpusData
from .source import FICTION_NOTICE, Source
from .zipfix import freeze_zip

HEADER = [
    "N°",
    "Axe",
    "Intitulé",
    "Pilote",
    "Partenaires",
    "Échéance",
    "Indicateur",
    "Statut",
    "Date du statut",
    "Commentaire",
    "Avertissement",
]


def tracker_rows(source: Source, data: CorpusData) -> list[list[str]]:
    """One row per recommendation of the tracked DTP, with its status on the source's date."""
    rows = []
    for rec in data.of_dtp(str(source.meta.get("tracker", source.meta["dtp_id"]))):
        status = rec.status_at(source.date)
        rows.append(
            [
                rec.id,
                f"{rec.axis}. {rec.axis_title}",
                rec.title,
                rec.pilot,
                ", ".join(rec.partners),
                rec.timeline,
                rec.indicator,
                status.wording,
                status.date.isoformat(),
                status.comment,
                FICTION_NOTICE,
            ]
        )
    return rows


def render_csv(source: Source, data: CorpusData, out: Path) -> None:
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(tracker_rows(source, data))


def render_xlsx(source: Source, data: CorpusData, out: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Suivi"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in tracker_rows(source, data):
        sheet.append(row)
    sheet.oddHeader.center.text = f"{source.short_title} — {source.meta['dtp_id']}"
    sheet.oddFooter.center.text = FICTION_NOTICE
    about = book.create_sheet("Lisez-moi")
    for line in (
        source.title,
        f"Diagnostic : {source.meta['dtp_id']}",
        f"Territoire : {source.meta['territory']}",
        f"Situation au {source.date:%d/%m/%Y}",
        FICTION_NOTICE,
    ):
        about.append([line])
    stamp = datetime.combine(source.date, datetime.min.time())
    book.properties.creator = "dtp-kb corpus/render.py"
    book.properties.title = source.title
    book.properties.created = book.properties.modified = stamp
    book.save(str(out))
    freeze_zip(out, source.date)
