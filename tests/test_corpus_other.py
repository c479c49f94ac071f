"""The second test corpus (corpus/other): the committed files agree with its ground truth.

Fast: reads the committed PDFs with pypdf (and the DOCX, XLSX and CSV with their libraries);
no index, no model, no LibreOffice.
"""

from __future__ import annotations

import csv
import json
import re
from functools import cache
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from eval.questions import TYPES, load_questions

ROOT = Path(__file__).resolve().parents[1] / "corpus" / "other"
STATUSES = {"non_engagee", "en_cours", "realisee", "partiellement_realisee", "reportee", "abandonnee", "integree"}  # fmt: skip
THEMES = {"handicaps_rares", "sante_mentale", "sans_abrisme", "rapt"}
DOC_TYPES = {"livret", "guide", "fiche_synthese", "preconisations", "feuille_de_route", "bilan_mise_en_oeuvre"}  # fmt: skip
PHASES = {"cadrage", "bilan", "concertation", "restitution", "mise_en_oeuvre"}


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


@cache
def pages(relative: str) -> list[str]:
    path = ROOT / relative
    if path.suffix == ".pdf":
        return [norm(p.extract_text() or "") for p in PdfReader(path).pages]
    if path.suffix == ".docx":
        doc = Document(str(path))
        cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
        return [norm(" ".join([p.text for p in doc.paragraphs] + cells))]
    if path.suffix == ".xlsx":
        wb = load_workbook(path, read_only=True)
        return [
            norm(
                " ".join(str(v) for r in ws.iter_rows(values_only=True) for v in r if v is not None)
            )
            for ws in wb.worksheets
        ]
    return [norm(path.read_bytes().decode("cp1252").replace(";", " "))]


def rows(name: str) -> list[dict[str, str]]:
    with (ROOT / "truth" / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_facets_cover_every_document_and_use_the_vocabulary() -> None:
    facets = rows("facets.csv")
    documents = {p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").rglob("*") if p.is_file()}
    assert {f["path"] for f in facets} == documents
    for f in facets:
        assert f["theme"] in THEMES and f["doc_type"] in DOC_TYPES and f["phase"] in PHASES, f
    assert not list(ROOT.rglob("manifest.csv")), (
        "metadata must be inferred, not read off a manifest"
    )


def test_each_record_is_printed_where_the_truth_says() -> None:
    records = rows("records.csv")
    assert len(records) >= 30
    labels = {f"{r['dtp']}|{r['label']}" for r in records}
    for r in records:
        assert r["latest_status"] in STATUSES, r
        source = pages(r["source_path"])[int(r["source_page"]) - 1]
        assert norm(r["label"]) in source, r
        status = pages(r["status_source_path"])[int(r["status_source_page"]) - 1]
        assert norm(r["latest_status_wording"]) in status, r
        if r["takes_up"]:
            assert r["takes_up"] in labels, r
            # The precedent is only in prose: "prolonge la préconisation n°6 du DTP de 2019".
            earlier = r["takes_up"].split("|")[1].replace("Préconisation ", "préconisation ")
            assert earlier in source, r


def test_questions_have_the_eval_format_and_their_evidence_on_the_expected_page() -> None:
    questions = load_questions(ROOT / "questions.jsonl")
    by_type = {t: sum(q.type == t for q in questions) for t in TYPES}
    assert len(questions) >= 45
    assert by_type["status"] >= 10 and by_type["precedent"] >= 5 and by_type["unanswerable"] >= 10
    for q in questions:
        if q.type == "unanswerable":
            assert not q.expected, q.id
            continue
        assert q.expected and q.evidence and q.facts, q.id
        texts = [pages(source)[page - 1] for source, page in q.expected]
        assert any(norm(q.evidence) in text for text in texts), q.id


@cache
def sample_names() -> set[str]:
    """Territories of the sample corpus, and the establishments listed in its WORLD.md."""
    sample = Path(__file__).resolve().parents[1] / "corpus"
    with (sample / "territories.csv").open(encoding="utf-8", newline="") as f:
        names = {row["name"] for row in csv.DictReader(f)}
    for line in (sample / "WORLD.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if line.startswith("| ") and len(cells) == 6 and cells[1] and cells[1] != "Type":
            names.add(cells[0])
    return names


@pytest.mark.parametrize("relative", sorted(r["path"] for r in rows("facets.csv")))
def test_no_global_ids_and_no_place_of_the_sample_corpus(relative: str) -> None:
    text = " ".join(pages(relative))
    assert not re.search(r"\b[A-Z]{2,}(-[A-Z]{2,})?-\d{4}-P\d+", text)
    assert not [name for name in sample_names() if name in text]


def test_questions_file_is_one_json_object_a_line() -> None:
    lines = (ROOT / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    assert all(json.loads(line)["id"] for line in lines)
