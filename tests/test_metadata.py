"""Metadata without a manifest: facets read off the documents, empty when unsure, one DTP id
for the documents of one DTP; measured against the ground truth of both corpora."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.facets import facet_accuracy, infer_folder
from ingest.metadata import (
    apply_correction,
    document_metadata,
    infer_metadata,
    link_dtps,
    tied_year,
)
from ingest.parsers import Page, ParsedDocument
from kb.settings import CHECKOUT_DIR
from kb.text import fold

SAMPLE = CHECKOUT_DIR / "corpus"
OTHER = CHECKOUT_DIR / "corpus" / "other"


def _doc(title: str, *pages: str) -> ParsedDocument:
    return ParsedDocument(title, [Page(i, t) for i, t in enumerate(pages, start=1)])


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("Bilan 2024 du PTSM 2022", 2022),
        ("Diagnostic territorial partagé en santé mentale de la\nVaudrenne (2022)", 2022),
        ("Suivi des préconisations du diagnostic à 360° de 2019 — mise à jour au 31/12/2022", 2019),
        ("Suivi des préconisations — état au 31/12/2023", None),  # a state's date
        ("Diagnostic territorial partagé\nFeuille de route 2023-2027", None),  # a plan's period
        ("Projet régional de santé 2018-2028", None),
    ],
)
def test_the_dtp_year_is_the_one_tied_to_the_diagnostic(text: str, year: int | None) -> None:
    assert tied_year(fold(text)) == year


def test_an_unsure_value_is_left_empty_not_wrong() -> None:
    # The cover that once gave dtp_id "COVID-2019" and territory "Juin".
    cover = (
        "Projet territorial de santé mentale\nLes effets de la crise COVID-2019 en Juin\n"
        "Document de travail\nJuin 2021"
    )
    meta = infer_metadata(_doc("PTSM : document de travail", cover, "Page deux."))
    assert meta.get("theme") == "sante_mentale"
    assert "territory" not in meta
    assert "dtp_id" not in meta


def test_a_cover_gives_every_facet_and_says_where_from() -> None:
    cover = (
        "Diagnostic territorial partagé\ndu sans-abrisme et du mal-logement\n"
        "Département de la Haute-Brume\nNovembre 2019"
    )
    text = "Le SIAO de la Haute-Brume et le 115 ont recensé les personnes à la rue. " * 3
    meta = infer_metadata(_doc("Diagnostic à 360° — Haute-Brume", cover, text))
    assert {k: meta.get(k) for k in ("theme", "territory", "year", "doc_type", "phase")} == {
        "theme": "sans_abrisme",
        "territory": "Haute-Brume",
        "year": 2019,
        "doc_type": "livret",
        "phase": "restitution",
    }
    assert meta["dtp_id"] == "SA-haute-brume-2019"
    sources = json.loads(str(meta["metadata_sources"]))
    assert sources["territory"] == "cover" and sources["dtp_id"] == "derived"


def _meta(**facets: object) -> dict:
    sources = {k: "cover" for k in facets if k not in ("dated", "dtp_id")}
    if "dtp_id" in facets:
        sources["dtp_id"] = "derived"
    return {**facets, "metadata_sources": json.dumps(sources)}


def test_the_documents_of_one_dtp_share_its_id() -> None:
    family = {"theme": "sante_mentale", "territory": "Val-de-Brume"}
    livret_2019 = _meta(**family, year=2019, doc_type="livret", dtp_id="SM-val-de-brume-2019")
    livret_2023 = _meta(**family, year=2023, doc_type="livret", dtp_id="SM-val-de-brume-2023")
    tracker = _meta(**family, doc_type="bilan_mise_en_oeuvre", phase="mise_en_oeuvre", dated=2022)
    note = _meta(**family, doc_type="guide", phase="cadrage", dated=2021)
    elsewhere = _meta(theme="sante_mentale", territory="Autre-Rive", doc_type="guide", dated=2021)
    linked = link_dtps([livret_2019, livret_2023, tracker, note, elsewhere])
    assert linked[2]["dtp_id"] == "SM-val-de-brume-2019"  # reviewed after 2019, before 2023
    assert linked[3]["dtp_id"] == "SM-val-de-brume-2023"  # written before the 2023 one
    assert linked[3]["year"] == 2023
    assert "dtp_id" not in linked[4]  # no DTP known there: left empty
    assert json.loads(linked[2]["metadata_sources"])["dtp_id"] == "linked"


def test_a_correction_wins_and_a_derived_id_follows_it() -> None:
    meta = _meta(theme="sante_mentale", territory="Juin", year=2022, dtp_id="SM-juin-2022")
    fixed = apply_correction(meta, {"territory": "Val-de-Brume", "doc_type": "guide"})
    assert fixed["territory"] == "Val-de-Brume"
    assert fixed["dtp_id"] == "SM-val-de-brume-2022"
    assert fixed["phase"] == "cadrage"
    assert json.loads(fixed["metadata_sources"])["territory"] == "correction"
    assert json.loads(fixed["metadata_sources"])["dtp_id"] == "derived"
    cleared = apply_correction(fixed, {"year": ""})
    assert "year" not in cleared and "dtp_id" not in cleared  # no year, no derived id
    assert cleared["metadata_method"] == "inferred+correction"


def test_front_matter_states_some_facets_the_rest_is_read() -> None:
    parsed = _doc("Diagnostic territorial partagé en santé mentale", "Texte.")
    parsed.metadata = {"territory": "Val-de-Brume"}
    meta = document_metadata(parsed, {})
    assert meta["territory"] == "Val-de-Brume" and meta["theme"] == "sante_mentale"


def test_sample_corpus_facets_without_its_manifest() -> None:
    score = facet_accuracy(infer_folder(SAMPLE / "docs"), SAMPLE / "manifest.csv")
    assert score.total >= 200
    assert score.accuracy >= 0.95, score.mistakes


def test_second_corpus_facets() -> None:
    truth = OTHER / "truth" / "facets.csv"
    score = facet_accuracy(infer_folder(OTHER / "docs"), truth)
    assert score.total >= 60
    assert score.accuracy >= 0.9, score.mistakes
    assert score.wrong <= score.empty + 2, score.mistakes  # unsure: empty, not wrong


def test_manifest_is_not_read_by_the_measurement(tmp_path: Path) -> None:
    # infer_folder reads the documents only: a manifest beside them changes nothing.
    doc = tmp_path / "note.md"
    doc.write_text("# Diagnostic territorial partagé en santé mentale\n\nTexte.\n", "utf-8")
    (tmp_path / "manifest.csv").write_text("path,territory\nnote.md,Ailleurs\n", "utf-8")
    assert "territory" not in infer_folder(tmp_path)[doc.resolve()]
