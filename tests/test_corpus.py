"""The sample corpus: rendered files, ground-truth tables and their agreement."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
import zipfile
from collections import Counter
from functools import cache
from pathlib import Path

from pypdf import PdfReader

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
NOTICE = "Document fictif"

# Facet values of DOMAIN.md (see corpus/WORLD.md, section 2).
THEMES = {"handicaps_rares", "sante_mentale", "sans_abrisme", "rapt"}
DOC_TYPES = {
    "livret",
    "guide",
    "fiche_synthese",
    "preconisations",
    "feuille_de_route",
    "bilan_mise_en_oeuvre",
}
PHASES = {"cadrage", "bilan", "concertation", "restitution", "mise_en_oeuvre"}
STATUSES = {
    "non_engagee",
    "en_cours",
    "realisee",
    "partiellement_realisee",
    "reportee",
    "abandonnee",
    "integree",
}


def _rows(name: str) -> list[dict[str, str]]:
    with (CORPUS / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def manifest() -> list[dict[str, str]]:
    return _rows("manifest.csv")


@cache
def recommendations() -> list[dict[str, str]]:
    return _rows("recommendations.csv")


@cache
def pdf_pages(path: str) -> tuple[str, ...]:
    return tuple(page.extract_text() or "" for page in PdfReader(CORPUS / path).pages)


def _pdfs() -> list[str]:
    return [row["path"] for row in manifest() if row["path"].endswith(".pdf")]


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_every_pdf_page_yields_text() -> None:
    for path in _pdfs():
        for number, text in enumerate(pdf_pages(path), start=1):
            assert len(text.strip()) > 50, f"{path} page {number} yields no text"


def test_every_document_says_it_is_fictional() -> None:
    for row in manifest():
        path = CORPUS / row["path"]
        if path.suffix == ".pdf":
            pages = pdf_pages(row["path"])
            missing = [n for n, text in enumerate(pages, start=1) if NOTICE not in text]
            assert not missing, f"{row['path']}: no fiction notice on pages {missing}"
        elif path.suffix in {".docx", ".xlsx"}:
            with zipfile.ZipFile(path) as archive:
                xml = " ".join(
                    archive.read(n).decode("utf-8")
                    for n in archive.namelist()
                    if n.endswith(".xml")
                )
            assert NOTICE in xml, row["path"]
        else:
            assert NOTICE in path.read_text(encoding="utf-8"), row["path"]


def test_manifest_matches_files_on_disk() -> None:
    listed = {row["path"] for row in manifest()}
    on_disk = {str(p.relative_to(CORPUS)) for p in (CORPUS / "docs").rglob("*") if p.is_file()}
    assert listed == on_disk
    assert len(listed) == len(manifest()), "a file is listed twice"


def test_manifest_uses_domain_facets() -> None:
    territories = {row["name"] for row in _rows("territories.csv")}
    for row in manifest():
        assert row["theme"] in THEMES, row
        assert row["doc_type"] in DOC_TYPES, row
        assert row["phase"] in PHASES, row
        assert row["territory"] in territories, row
        assert re.fullmatch(r"20\d\d", row["year"]), row
        assert int(row["edition"]) >= 1, row
        assert row["dtp_id"], row


def test_recommendation_statuses_are_normalised() -> None:
    for rec in recommendations():
        assert rec["status"] in STATUSES, rec
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", rec["status_date"]), rec
        assert rec["status_wording"], rec


def test_recommendations_belong_to_known_diagnostics() -> None:
    dtp_ids = {row["dtp_id"] for row in manifest()}
    ids = [rec["id"] for rec in recommendations()]
    assert len(ids) == len(set(ids)), "duplicate recommendation ids"
    for rec in recommendations():
        assert rec["dtp_id"] in dtp_ids, rec["id"]
        assert rec["id"].startswith(rec["dtp_id"] + "-"), rec["id"]


def test_every_recommendation_is_on_its_source_page() -> None:
    listed = {row["path"] for row in manifest()}
    for rec in recommendations():
        assert rec["source_path"] in listed, rec["id"]
        if not rec["source_path"].endswith(".pdf"):
            continue
        pages = pdf_pages(rec["source_path"])
        page = int(rec["source_page"])
        assert 1 <= page <= len(pages), rec["id"]
        text = _squash(pages[page - 1])
        assert re.search(rf"\b{re.escape(rec['id'])}\b", text), (rec["id"], page)
        assert _squash(rec["title"])[:40] in text, (rec["id"], "title not on the page")


def test_precedents_point_to_earlier_recommendations() -> None:
    by_id = {rec["id"]: rec for rec in recommendations()}
    year = {row["dtp_id"]: int(row["year"]) for row in manifest()}
    for rec in recommendations():
        if not rec["precedent_id"]:
            continue
        earlier = by_id.get(rec["precedent_id"])
        assert earlier is not None, f"{rec['id']}: unknown precedent {rec['precedent_id']}"
        assert earlier["dtp_id"] != rec["dtp_id"], rec["id"]
        assert year[earlier["dtp_id"]] < year[rec["dtp_id"]], rec["id"]


def test_corpus_rerenders_identically(tmp_path: Path) -> None:
    script = CORPUS / "render.py"
    subprocess.run(
        [sys.executable, str(script), "--out", str(tmp_path)], check=True, capture_output=True
    )
    for name in ("manifest.csv", "recommendations.csv", "territories.csv"):
        assert (tmp_path / name).read_bytes() == (CORPUS / name).read_bytes(), name
    for row in manifest():
        rendered = (tmp_path / row["path"]).read_bytes()
        assert rendered == (CORPUS / row["path"]).read_bytes(), f"{row['path']} differs"


def _region_of(territory: str) -> str:
    """The région a territory belongs to, walking up territories.csv."""
    rows = _rows("territories.csv")
    by_name = {r["name"]: r for r in rows}
    by_code = {r["code"]: r for r in rows if r["code"]}
    row = by_name[territory]
    while row["level"] != "region":
        row = by_code[row["parent"]]
    return row["name"]


def test_full_issue_thresholds() -> None:
    """The targets of the corpus issue; fails until the whole corpus is written."""
    rows = manifest()
    recs = recommendations()
    types = Counter(row["doc_type"] for row in rows)
    editions: dict[str, set[str]] = {}
    for row in rows:
        editions.setdefault(row["theme"], set()).add(row["edition"])
    formats = {Path(row["path"]).suffix[1:] for row in rows}
    checks = {
        ">= 30 documents": len(rows) >= 30,
        ">= 150 PDF pages": sum(len(pdf_pages(p)) for p in _pdfs()) >= 150,
        ">= 4 themes": len(editions) >= 4,
        ">= 2 regions": len({_region_of(row["territory"]) for row in rows}) >= 2,
        "a theme with >= 3 editions": max(len(e) for e in editions.values()) >= 3,
        "every format": {"pdf", "docx", "html", "md", "csv", "xlsx"} <= formats,
        "every doc_type": set(types) >= DOC_TYPES,
        ">= 6 synthesis sheets": types["fiche_synthese"] >= 6,
        ">= 2 implementation reviews": types["bilan_mise_en_oeuvre"] >= 2,
        ">= 6 diagnostics": len({row["dtp_id"] for row in rows}) >= 6,
        ">= 120 recommendations": len(recs) >= 120,
        ">= 15 precedent links": sum(1 for rec in recs if rec["precedent_id"]) >= 15,
    }
    missing = [name for name, ok in checks.items() if not ok]
    assert not missing, f"corpus not complete yet: {missing}"
