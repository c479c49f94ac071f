"""Ground truth: manifest.csv, recommendations.csv (with real source pages), territories.csv."""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from pypdf import PdfReader

from .data import CorpusData, DataError, Recommendation
from .source import Source

MANIFEST_COLUMNS = [
    "path",
    "dtp_id",
    "theme",
    "territory",
    "year",
    "edition",
    "doc_type",
    "phase",
    "format",
    "title",
]
RECOMMENDATION_COLUMNS = [
    "id",
    "dtp_id",
    "title",
    "pilot",
    "partners",
    "status",
    "status_date",
    "source_path",
    "source_page",
    "precedent_id",
    "axis",
    "status_wording",
    "status_source",
]


def squash(text: str) -> str:
    """Collapse whitespace, so text wrapped over lines still matches."""
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=64)
def pdf_pages(path: Path) -> tuple[str, ...]:
    return tuple(squash(page.extract_text() or "") for page in PdfReader(path).pages)


def source_page(rec: Recommendation, docs_dir: Path) -> int:
    """1-based page of rec.source where the recommendation is defined (id next to its title)."""
    path = docs_dir / rec.source
    if path.suffix != ".pdf":
        return 1
    pages = pdf_pages(path)
    heading = squash(f"{rec.id} — {rec.title}")[:60]
    for predicate in (lambda t: heading in t, lambda t: re.search(rf"\b{rec.id}\b", t)):
        for number, text in enumerate(pages, start=1):
            if predicate(text):
                return number
    raise DataError(f"{rec.id} is not printed in {rec.source}")


def _write(path: Path, columns: list[str], rows: list[dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_manifest(sources: list[Source], path: Path) -> None:
    rows: list[dict[str, object]] = [
        {
            **{key: s.meta[key] for key in MANIFEST_COLUMNS[1:8]},
            "path": f"docs/{s.output}",
            "format": s.format,
            "title": s.title,
        }
        for s in sorted(sources, key=lambda s: s.output)
    ]
    _write(path, MANIFEST_COLUMNS, rows)


def write_recommendations(data: CorpusData, docs_dir: Path, path: Path) -> None:
    rows: list[dict[str, object]] = []
    for rec in sorted(data.recommendations.values(), key=lambda r: r.id):
        latest = rec.latest
        rows.append(
            {
                "id": rec.id,
                "dtp_id": rec.dtp_id,
                "title": rec.title,
                "pilot": rec.pilot,
                "partners": "; ".join(rec.partners),
                "status": latest.status,
                "status_date": latest.date.isoformat(),
                "source_path": f"docs/{rec.source}",
                "source_page": source_page(rec, docs_dir),
                "precedent_id": rec.precedent,
                "axis": f"{rec.axis}. {rec.axis_title}",
                "status_wording": latest.wording,
                "status_source": f"docs/{latest.source}",
            }
        )
    _write(path, RECOMMENDATION_COLUMNS, rows)


def write_territories(data: CorpusData, path: Path) -> None:
    rows: list[dict[str, object]] = [
        {"code": r["code"], "name": r["name"], "level": "region", "parent": ""}
        for r in data.world["regions"]
    ]
    for dep in data.world["departements"]:
        rows.append(
            {
                "code": dep["code"],
                "name": dep["name"],
                "level": "departement",
                "parent": dep["region"],
            }
        )
        rows += [
            {"code": "", "name": t, "level": "territoire_de_proximite", "parent": dep["code"]}
            for t in dep.get("territoires", [])
        ]
    _write(path, ["code", "name", "level", "parent"], rows)
