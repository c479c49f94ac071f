"""Recommendation records over the whole rendered corpus, against corpus/recommendations.csv.

The ground truth is only read here, to measure: extraction never sees it. Run with `-s` to
see the measured rates.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import CORPUS, cli
from ingest.parsers import parse
from kb.knowledge import KnowledgeBase, build_kb
from kb.recommendations.answer import answer_from_records as _answer
from kb.recommendations.search import mentions
from kb.recommendations.service import record_with_precedents
from kb.recommendations.status import label
from kb.settings import Settings
from kb.types import Answer


def answer_from_records(question: str, kb: KnowledgeBase) -> Answer | None:
    """The records' answer, as `KnowledgeBase.ask` routes it."""
    return _answer(question, kb.recommendations.all(), kb.search)


def _csv(name: str) -> list[dict[str, str]]:
    with (CORPUS / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


TRUTH = _csv("recommendations.csv")
YEAR = {row["dtp_id"]: int(row["year"]) for row in _csv("manifest.csv")}


@pytest.fixture(scope="module")
def kb(corpus_settings: Settings) -> KnowledgeBase:
    return build_kb(corpus_settings)


@pytest.fixture(scope="module")
def client(corpus_settings: Settings):  # type: ignore[no-untyped-def]
    from api.app import create_app

    with TestClient(create_app(corpus_settings, with_ui=False)) as c:
        yield c


@cache
def _page_texts(source: str) -> list[str]:
    return [page.text for page in parse(Path(source)).pages]


def test_extraction_finds_id_pilot_and_latest_status(kb: KnowledgeBase) -> None:
    records = {r.id: r for r in kb.recommendations.all()}
    misses = []
    for row in TRUTH:
        record = records.get(row["id"])
        got = (record.pilot, record.status) if record else None
        if got != (row["pilot"], row["status"]):
            misses.append((row["id"], got, (row["pilot"], row["status"], row["status_source"])))
    rate = 1 - len(misses) / len(TRUTH)
    print(
        f"\nextraction: {len(TRUTH) - len(misses)}/{len(TRUTH)} = {rate:.1%} right id, pilot, status"
    )
    assert rate >= 0.95, misses[:20]


def test_every_status_is_dated_and_cited_on_its_page(kb: KnowledgeBase) -> None:
    records = kb.recommendations.all()
    assert records
    for record in records:
        if record.status:
            assert record.history and record.status_date, record.id
        for fact in record.history:
            pages = _page_texts(fact.source)
            assert Path(fact.source).is_file() and 1 <= fact.page <= len(pages), record.id
            assert fact.quote and fact.quote in pages[fact.page - 1], (record.id, fact.source)
            assert fact.status_label == label(fact.status) and fact.wording
        for ref in record.sources:
            assert ref.quote in _page_texts(ref.source)[ref.page - 1], (record.id, ref.source)


def test_status_dates_follow_the_documents(kb: KnowledgeBase) -> None:
    records = {r.id: r for r in kb.recommendations.all()}
    right = sum(
        1 for row in TRUTH if (r := records.get(row["id"])) and r.status_date == row["status_date"]
    )
    print(f"\nstatus dates: {right}/{len(TRUTH)}")
    assert right / len(TRUTH) >= 0.95


def _precedent_rate(kb: KnowledgeBase, mentions_count: bool) -> tuple[float, list[object]]:
    from kb.recommendations.precedents import find_precedents

    records, vectors = kb.recommendations.vectors()
    by_id = {r.id: r for r in records}
    pairs = [(row["id"], row["precedent_id"]) for row in TRUTH if row["precedent_id"]]
    assert pairs
    config = kb.settings.recommendations
    misses = []
    for later, earlier in pairs:
        record = by_id.get(later)
        found = (
            find_precedents(record, records, vectors, config, mentions=mentions_count)
            if record
            else []
        )
        if not found or found[0].id != earlier:
            misses.append((later, earlier, [(p.id, p.score) for p in found[:3]]))
    return 1 - len(misses) / len(pairs), misses


def test_the_earlier_recommendation_is_the_first_precedent(kb: KnowledgeBase) -> None:
    similarity, misses = _precedent_rate(kb, mentions_count=False)
    with_mentions, _ = _precedent_rate(kb, mentions_count=True)
    print(
        f"\nprecedent top-1: similarity alone {similarity:.1%}, with stated links {with_mentions:.1%}"
    )
    assert similarity >= 0.8, misses
    assert with_mentions >= similarity


def test_precedents_carry_a_score_and_a_reason(kb: KnowledgeBase) -> None:
    later = next(row for row in TRUTH if row["precedent_id"])
    record, precedents = record_with_precedents(kb, later["id"])
    assert precedents
    for p in precedents:
        assert 0 <= p.score <= 1 and p.reason and p.dtp_id != record.dtp_id
        assert YEAR[p.dtp_id] < YEAR[record.dtp_id]


def _evaluation_set() -> list[tuple[str, str, object]]:
    """(question, kind, expected) built from the ground truth: statuses and counts."""
    questions: list[tuple[str, str, object]] = []
    for row in TRUTH:
        questions.append((f"Où en est la préconisation {row['id']} ?", "status", row["status"]))
    for dtp in sorted({row["dtp_id"] for row in TRUTH}):
        rows = [row for row in TRUTH if row["dtp_id"] == dtp]
        questions.append(
            (f"Combien de préconisations compte le diagnostic {dtp} ?", "count", len(rows))
        )
        for status in ("realisee", "en_cours", "non_engagee"):
            n = sum(row["status"] == status for row in rows)
            word = {"realisee": "réalisées", "en_cours": "en cours", "non_engagee": "non engagées"}
            questions.append(
                (f"Combien de préconisations du diagnostic {dtp} sont {word[status]} ?", "count", n)
            )
    for year in sorted({YEAR[row["dtp_id"]] for row in TRUTH}):
        n = sum(row["status"] == "realisee" and YEAR[row["dtp_id"]] == year for row in TRUTH)
        questions.append((f"Quelles préconisations de {year} sont réalisées ?", "count", n))
    mdph = sum(
        mentions(row["pilot"], "MDPH")
        or any(mentions(p, "MDPH") for p in row["partners"].split("; "))
        for row in TRUTH
    )
    questions.append(("Quelles préconisations impliquent la MDPH ?", "count", mdph))
    questions.append(
        (
            "Combien de préconisations par statut ?",
            "by_status",
            Counter(row["status"] for row in TRUTH),
        )
    )
    return questions


def _right(answer: str, kind: str, expected: object) -> bool:
    first = answer.splitlines()[0]
    if kind == "status":
        return f" est {label(str(expected))} (" in first
    if kind == "count":
        match = re.match(r"(\d+) ", first)
        return bool(match) and int(match.group(1)) == expected
    counts = {lab: int(n) for n, lab in re.findall(r"(\d+) ([^,\[.\d]+?)(?: \[|,|\.$)", first)}
    return all(counts.get(label(s, n)) == n for s, n in expected.items())  # type: ignore[attr-defined]


def test_status_and_count_questions_get_the_right_figure(kb: KnowledgeBase) -> None:
    questions = _evaluation_set()
    wrong = []
    for question, kind, expected in questions:
        answer = answer_from_records(question, kb)
        if answer is None or not _right(answer.answer, kind, expected):
            wrong.append((question, expected, answer.answer[:200] if answer else None))
    rate = 1 - len(wrong) / len(questions)
    print(f"\nstatus/count questions: {len(questions) - len(wrong)}/{len(questions)} = {rate:.1%}")
    assert rate >= 0.9, wrong[:15]


def test_answers_cite_the_source_of_each_status(kb: KnowledgeBase) -> None:
    answer = kb.ask("Où en est la préconisation HR-2016-P05 ?")
    assert not answer.abstained and answer.citations
    assert "HR-2016-P05" in answer.answer
    for citation in answer.citations:
        assert citation.chunk_id and citation.page >= 1
        assert citation.quote in _page_texts(citation.source)[citation.page - 1]
        assert f"[{citation.n}]" in answer.answer


def test_status_at_the_date_the_question_names(kb: KnowledgeBase) -> None:
    # The list of November 2021 says "engagée"; the committee of June 2023 says "en cours".
    answer = answer_from_records(
        "Quel était le statut de la préconisation SG-HR-2021-P20 à la publication de la liste "
        "en novembre 2021 ?",
        kb,
    )
    assert answer is not None and not answer.abstained
    first, *rest = answer.answer.splitlines()
    assert first.startswith("En novembre 2021, ") and "(« engagée », 18/11/2021)" in first
    assert any("Statut le plus récent" in line and "20/06/2023" in line for line in rest)
    cited = {c.n: c for c in answer.citations}
    n = int(first.split("18/11/2021) [")[1].split("]")[0])
    assert cited[n].source.endswith("SG-HR-2021_preconisations.pdf") and "engagée" in cited[n].quote

    # A count at the date of a review: 3 done at the June 2018 review (5 by the end of 2020).
    answer = answer_from_records(
        "Combien de préconisations du diagnostic HR-2016 étaient réalisées au 30 juin 2018 ?", kb
    )
    assert answer is not None and answer.answer.startswith("3 des 18 préconisations")
    assert "HR-2016-P03, P14, P17" in answer.answer
    for citation in answer.citations:
        page = " ".join(_page_texts(citation.source)[citation.page - 1].split())
        assert " ".join(citation.quote.split()) in page


def test_a_recommendation_named_by_its_subject(kb: KnowledgeBase) -> None:
    answer = answer_from_records(
        "La convention territoriale « Une réponse accompagnée pour tous » de Haute-Vélisse "
        "a-t-elle été signée ?",
        kb,
    )
    assert answer is not None and "RAPT-2018-P05" in answer.answer
    assert " est réalisée (« réalisée », 12/10/2018)" in answer.answer


def test_no_records_answer_for_a_date_no_source_covers(kb: KnowledgeBase) -> None:
    for question in (
        "Quels statuts le comité de suivi de juin 2025 a-t-il attribués aux préconisations du "
        "DTP de Sud-Garance ?",
        "Où en était la préconisation HR-2016-P05 en janvier 2030 ?",
    ):
        answer = answer_from_records(question, kb)
        assert answer is None or answer.abstained, answer.answer if answer else question
        assert answer is None or "Aucun document indexé" in answer.answer


def test_other_questions_go_to_the_passages(kb: KnowledgeBase) -> None:
    for question in (
        "Quelles ruptures de parcours le diagnostic a-t-il relevées ?",
        "Quels besoins de répit pour les aidants ?",
        "Quelles préconisations portent sur la formation ?",
        # A verb, not the noun; a number the guide advises; precedents, not statuses.
        "Combien de participants et de séances le guide méthodologique du CREAI recommande-t-il "
        "pour un groupe de travail ?",
        "Combien de préconisations prioritaires un COPIL devrait-il retenir d'après le guide "
        "méthodologique du CREAI ?",
        "Combien de préconisations du diagnostic de Sud-Garance s'inspirent directement de "
        "celles du DTP handicaps rares de Lisière-Océane ?",
    ):
        assert answer_from_records(question, kb) is None, question


def test_api_lists_filters_and_paginates(client: TestClient) -> None:
    everything = client.get("/v1/recommendations", params={"limit": 500}).json()
    assert everything["total"] >= len(TRUTH) * 0.95
    item = everything["items"][0]
    for field in (
        "id",
        "dtp_id",
        "title",
        "pilot",
        "partners",
        "status",
        "status_label",
        "status_date",
        "sources",
    ):
        assert field in item
    assert all({"source", "page", "quote"} <= set(s) for s in item["sources"])
    page = client.get("/v1/recommendations", params={"limit": 5, "offset": 5}).json()
    assert [i["id"] for i in page["items"]] == [i["id"] for i in everything["items"][5:10]]
    assert page["total"] == everything["total"]

    hr = client.get("/v1/recommendations", params={"dtp_id": "HR-2016", "limit": 500}).json()
    assert hr["total"] == sum(row["dtp_id"] == "HR-2016" for row in TRUTH)
    done = client.get("/v1/recommendations", params={"status": "realisee", "limit": 500}).json()
    assert done["total"] and all(i["status"] == "realisee" for i in done["items"])
    mdph = client.get("/v1/recommendations", params={"partner": "MDPH", "limit": 500}).json()
    assert all(any("MDPH" in p for p in i["partners"]) for i in mdph["items"])
    ars = client.get("/v1/recommendations", params={"pilot": "ARS Lisière-Océane"}).json()
    assert ars["total"] and all(i["pilot"].startswith("ARS Lisière-Océane") for i in ars["items"])
    y2019 = client.get("/v1/recommendations", params={"year": 2019, "limit": 500}).json()
    assert y2019["total"] and all(YEAR[i["dtp_id"]] == 2019 for i in y2019["items"])
    words = client.get("/v1/recommendations", params={"q": "répit aidants"}).json()
    assert words["total"] and all("répit" in i["title"].lower() or i["id"] for i in words["items"])
    bad = client.get("/v1/recommendations", params={"status": "fini"})
    assert bad.status_code == 400 and bad.headers["content-type"] == "application/problem+json"


def test_api_detail_history_and_precedents(client: TestClient) -> None:
    later = next(row for row in TRUTH if row["precedent_id"])
    body = client.get(f"/v1/recommendations/{later['id']}").json()
    assert body["history"] and body["history"][-1]["date"] <= body["status_date"]
    assert all(
        {"status", "status_label", "wording", "date", "source", "page", "quote"} <= set(f)
        for f in body["history"]
    )
    scores = [p["score"] for p in body["precedents"]]
    assert body["precedents"] and all(
        {"id", "dtp_id", "score", "reason"} <= set(p) for p in body["precedents"]
    )
    assert body["precedents"][0]["id"] == later["precedent_id"] or scores == sorted(
        scores, reverse=True
    )
    missing = client.get("/v1/recommendations/XX-1999-P99")
    assert missing.status_code == 404


def test_api_precedents_and_stats(client: TestClient) -> None:
    found = client.get(
        "/v1/precedents", params={"query": "formation des équipes des MDPH", "dtp_id": "HR-DV-2019"}
    ).json()
    assert found["recommendations"] and found["passages"]
    assert all(r["dtp_id"] != "HR-DV-2019" for r in found["recommendations"])
    assert all(p["dtp_id"] != "HR-DV-2019" for p in found["passages"])
    assert set(found["facets"]) == {"dtp_id", "theme", "territory", "year"}
    stats = client.get("/v1/stats/recommendations").json()
    per_dtp = {row["dtp_id"]: row for row in stats["dtp"]}
    for dtp, n in Counter(row["dtp_id"] for row in TRUTH).items():
        assert per_dtp[dtp]["total"] == n
        assert sum(per_dtp[dtp]["counts"].values()) == n
    assert stats["labels"]["realisee"] == "réalisée"


def test_cli_mirrors_the_api(corpus_settings: Settings) -> None:
    stats = json.loads(cli(corpus_settings, "recommendations", "stats", "--json").stdout)
    assert stats["total"] >= len(TRUTH) * 0.95
    listed = json.loads(
        cli(
            corpus_settings,
            "recommendations",
            "list",
            "--dtp-id",
            "HR-2016",
            "--status",
            "realisee",
            "--json",
        ).stdout
    )
    assert all(i["dtp_id"] == "HR-2016" and i["status"] == "realisee" for i in listed["items"])
    shown = json.loads(
        cli(corpus_settings, "recommendations", "show", "HR-2016-P05", "--json").stdout
    )
    assert shown["id"] == "HR-2016-P05" and shown["history"]
    missing = cli(corpus_settings, "recommendations", "show", "XX-1999-P99")
    assert missing.returncode == 1 and missing.stderr.startswith("error: no recommendation")
    found = json.loads(
        cli(corpus_settings, "precedents", "répit des aidants", "-k", "3", "--json").stdout
    )
    assert found["recommendations"] and len(found["recommendations"]) <= 3


def test_statements_merge_across_documents_and_reingest_replaces_them(
    settings: Settings, tmp_path: Path
) -> None:
    from ingest.pipeline import ingest_paths

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "liste.csv").write_text(
        "N°;Intitulé;Pilote;Partenaires;Statut;Date du statut\n"
        "XX-2020-P01;Former les aidants au répit;ARS Exemple;MDPH Exemple, CD Exemple;"
        "à programmer;2020-01-15\n"
        "XX-2020-P02;Créer un registre partagé;CD Exemple;MDPH Exemple;à programmer;2020-01-15\n",
        encoding="utf-8",
    )
    review = docs / "bilan.csv"
    review.write_text(
        "N°;Préconisation;Statut au 30/06/2021\nXX-2020-P01;Former;terminée\n", encoding="utf-8"
    )
    kb = build_kb(settings)
    assert not ingest_paths(kb, [docs]).failed
    record = kb.recommendations.get("XX-2020-P01")
    assert record is not None
    assert (record.status, record.status_wording, record.status_date) == (
        "realisee",
        "terminée",
        "2021-06-30",
    )
    assert [f.wording for f in record.history] == ["à programmer", "terminée"]
    assert record.partners == ["MDPH Exemple", "CD Exemple"] and record.pilot == "ARS Exemple"
    assert not record.conflict

    (docs / "bilan_bis.csv").write_text(
        "N°;Statut au 30/06/2021\nXX-2020-P01;en suspens\n", encoding="utf-8"
    )
    ingest_paths(kb, [docs])
    record = kb.recommendations.get("XX-2020-P01")
    assert record is not None and record.conflict
    assert {f.wording for f in record.history if f.date == "2021-06-30"} == {
        "terminée",
        "en suspens",
    }

    review.write_text(
        "N°;Préconisation;Statut au 30/06/2021\nXX-2020-P01;Former;réalisée en partie\n",
        encoding="utf-8",
    )
    ingest_paths(kb, [docs])
    record = kb.recommendations.get("XX-2020-P01")
    assert record is not None
    assert "terminée" not in {f.wording for f in record.history}
    assert {f.status for f in record.history if f.date == "2021-06-30"} == {
        "partiellement_realisee",
        "reportee",
    }
    untouched = kb.recommendations.get("XX-2020-P02")
    assert untouched is not None and untouched.status == "non_engagee"
