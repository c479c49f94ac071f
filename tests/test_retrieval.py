"""Retrieval over the real sample corpus: filters, facets, French analysis, structure."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from pypdf import PdfReader

from ingest.metadata import infer_metadata
from ingest.parsers import parse
from kb.domain import about_records, asks_precedent
from kb.domain import expand_acronyms as expand
from kb.knowledge import KnowledgeBase, build_kb
from kb.retrieve import FACETS, HybridRetriever, role
from kb.settings import Settings
from kb.types import Chunk

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
QUERIES = [
    "ruptures de parcours à l'adolescence",
    "places en MAS pour adultes",
    "formation des professionnels",
    "hébergement d'urgence et SIAO",
    "santé mentale des adolescents",
]


@pytest.fixture(scope="module")
def kb(corpus_settings: Settings) -> KnowledgeBase:
    return build_kb(corpus_settings)


def facet_values(kb: KnowledgeBase) -> dict[str, list[object]]:
    values: dict[str, set[object]] = {f: set() for f in FACETS}
    for doc in kb.documents():
        for facet in FACETS:
            if facet in doc.metadata:
                values[facet].add(doc.metadata[facet])
    return {f: sorted(v, key=str) for f, v in values.items() if v}


def test_a_filtered_query_never_returns_a_chunk_outside_its_filter(kb: KnowledgeBase) -> None:
    values = facet_values(kb)
    assert {"theme", "dtp_id", "year", "doc_type"} <= set(values)
    checked = 0
    for facet, query in itertools.product(values, QUERIES):
        for value in values[facet][:4]:
            for hit in kb.search(query, k=20, filters={facet: value}):
                assert hit.chunk.metadata[facet] == value, (facet, value, hit.chunk.chunk_id)
                checked += 1
    # Two facets at once, and a list of values.
    themes = values["theme"][:2]
    for hit in kb.search("préconisations", k=30, filters={"theme": themes, "year": values["year"]}):
        assert hit.chunk.metadata["theme"] in themes
        checked += 1
    assert checked > 100


def test_facet_counts_cover_the_candidates(kb: KnowledgeBase) -> None:
    hits, facets = kb.search_with_facets("préconisations sur la scolarisation", k=5)
    assert len(hits) == 5
    assert sum(facets["theme"].values()) >= 5
    assert set(facets) <= set(FACETS)
    filtered, narrowed = kb.search_with_facets(
        "préconisations", k=5, filters={"theme": "sante_mentale"}
    )
    assert filtered and list(narrowed["theme"]) == ["sante_mentale"]


def test_table_rows_are_chunks_with_their_header(kb: KnowledgeBase) -> None:
    hits = kb.search("HR-2016-P01 pilote", k=10, filters={"doc_type": "preconisations"})
    rows = [h.chunk for h in hits if h.chunk.metadata.get("kind") == "row"]
    assert rows, "recommendation table rows should be chunks of their own"
    row = next(r for r in rows if "HR-2016-P01" in r.text)
    assert "Pilote :" in row.context and "N° : HR-2016-P01" in row.context
    page = PdfReader(row.source).pages[row.page - 1].extract_text()
    assert row.text in page  # the quotable text stays verbatim


def test_running_headers_are_removed_and_sections_kept() -> None:
    livret = CORPUS / "docs" / "handicaps_rares" / "HR-2016_livret.pdf"
    parsed = parse(livret)
    page = parsed.pages[6]
    assert "Document fictif" not in page.text.splitlines()[0]
    assert all(not b.text.startswith("Page ") for b in page.blocks)
    sections = {b.section for p in parsed.pages for b in p.blocks}
    assert any("Données du territoire" in s for s in sections)


def test_metadata_inferred_from_the_document_itself() -> None:
    parsed = parse(CORPUS / "docs" / "handicaps_rares" / "HR-2016_livret.pdf")
    meta = infer_metadata(parsed)
    assert meta["dtp_id"] == "HR-2016" and meta["year"] == 2016
    assert meta["theme"] == "handicaps_rares"
    assert meta["doc_type"] == "livret" and meta["phase"] == "restitution"
    assert meta["territory"] == "Lisière-Océane"


def test_acronyms_expand_both_ways() -> None:
    assert "maison départementale des personnes handicapées" in expand("rôle de la MDPH")
    assert "MDPH" in expand("la maison départementale des personnes handicapées")
    assert expand("une question sans sigle") == "une question sans sigle"


def test_acronym_query_finds_the_spelled_out_passage(kb: KnowledgeBase) -> None:
    hits = kb.retriever.keyword.search(expand("CAMSP"), 10)
    assert any("action médico-sociale précoce" in h.text.lower() or "CAMSP" in h.text for h in hits)


def test_chunks_of_one_page_are_ranked_together(kb: KnowledgeBase) -> None:
    # A table's matching rows come one after another, so a page takes one place in the
    # ranking (pages are what citations and the evaluation count).
    hits = kb.search("places d'hébergement et nuitées hôtelières en Orvanne", k=30)
    pages = [(h.chunk.document_id, h.chunk.page) for h in hits]
    seen: list[tuple[str, int]] = []
    for page in pages:
        if not seen or seen[-1] != page:
            assert page not in seen, f"page {page} comes back after another page"
            seen.append(page)
    assert len(seen) < len(pages), "some page should hold several matching chunks"


def _chunk(text: str, context: str = "") -> Chunk:
    return Chunk(
        chunk_id="c", document_id="d", source="s.pdf", title="t", page=1, text=text, context=context
    )


def test_navigation_and_recommendation_chunks_are_told_apart() -> None:
    assert role(_chunk("1. Contexte et méthode\n .  .  .  .  .  .  .  . 4")) == "navigation"
    assert role(_chunk("CMP\nCentre médico-psychologique", "Annexes\nSigle : CMP")) == "navigation"
    assert role(_chunk("1. Combien de personnes ?\n2. Où vivent-elles ?")) == "navigation"
    asks = (
        "1.1 Pourquoi un diagnostic ?\nLa demande d'hébergement a doublé de 2018 à 2021. Où ? Qui ?"
    )
    assert role(_chunk(asks)) is None
    foreword = _chunk("Ce livret rend compte du diagnostic.", "Livret > Avant-propos")
    assert role(foreword) == "navigation"
    assert role(_chunk("HR-DA-2023-P06\n2\nProlonger l'unité d'enseignement")) == "recommendation"
    assert role(_chunk("Le diagnostic a repéré 172 personnes.")) is None
    fiche = _chunk(
        "Axe\n2. Répit\nReprend\nHR-2016-P11", "Liste > RAPT-2018-P08 — Développer le répit"
    )
    assert role(fiche) == "precedent"


def test_what_a_question_is_about() -> None:
    assert about_records("Le GEM prévu par le PTSM a-t-il vu le jour ?")
    assert about_records("Où en est SG-HR-2021-P20 ?")
    assert about_records("Quelle préconisation reprend celle de 2016 ?")
    assert not about_records("Combien de places compte la MAS Le Clos des Tilleuls ?")
    assert not about_records("Quels sont les besoins des aidants en Orvanne ?")
    assert asks_precedent("Quelle préconisation prolonge celle de 2016 sur le répit ?")
    assert asks_precedent("Sur quelle action du PTSM cette recommandation s'appuie-t-elle ?")
    assert not asks_precedent("Où en est la préconisation SG-HR-2021-P20 ?")


def test_a_needs_question_gets_the_finding_before_the_recommendation(kb: KnowledgeBase) -> None:
    # Evaluation question hr-012: the recommendation's row restates the finding in a few
    # words and wins on both legs unless it steps back for a question that is not about it.
    question = (
        "Que se passe-t-il pour les élèves sourds avec troubles associés de l'unité "
        "d'enseignement externalisée à l'entrée au collège (diagnostic 2023) ?"
    )
    settings = kb.settings.retrieval
    flat = HybridRetriever(
        kb.store, kb.embedder, settings.model_copy(update={"recommendation_weight": 1.0})
    )
    assert role(flat.search(question, 1)[0].chunk) == "recommendation"
    first = kb.search(question, 1)[0].chunk
    assert role(first) is None
    assert first.metadata["dtp_id"] == "HR-DA-2023"


def test_a_question_about_recommendations_keeps_their_rows(kb: KnowledgeBase) -> None:
    question = "Quel est le statut de la préconisation sur l'unité d'enseignement au collège ?"
    settings = kb.settings.retrieval
    flat = HybridRetriever(
        kb.store, kb.embedder, settings.model_copy(update={"recommendation_weight": 1.0})
    )
    hits = kb.search(question, 5)
    assert [h.chunk.chunk_id for h in hits] == [h.chunk.chunk_id for h in flat.search(question, 5)]
    assert any(role(h.chunk) in ("recommendation", "precedent") for h in hits[:3])


def test_a_precedent_question_gets_the_passage_that_links_both(kb: KnowledgeBase) -> None:
    question = (
        "Quelle préconisation du diagnostic RAPT de Haute-Vélisse prolonge la recommandation "
        "de 2016 sur l'accueil temporaire ?"
    )
    first = kb.search(question, 1)[0].chunk
    assert role(first) == "precedent"
    named = f"{first.context}\n{first.text}"
    assert "RAPT-2018-P" in named and "HR-2016-P" in named


def test_warm_up_loads_every_part_of_an_empty_or_a_full_index(
    kb: KnowledgeBase, settings: Settings
) -> None:
    """The API's start-up: model, keyword index and Chroma's vectors, side by side."""
    empty = build_kb(settings)
    for each in (empty, kb):
        parts = each.warm_up()
        assert set(parts) == {"model", "keyword", "vectors"}
        assert all(seconds >= 0 for seconds in parts.values())
    assert empty.search("aidants") == []
    assert kb.search("aidants")
