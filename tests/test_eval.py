"""The evaluation's figures on both corpora, against the targets: the sample corpus (our own
renderer, a manifest) and the second corpus (Word documents exported by LibreOffice, other
numbering, no manifest). Same metrics, reported apart; `dtp-kb eval` prints the same."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from conftest import make_settings
from eval.answers import evaluate_answers, is_status_or_count
from eval.corpora import OTHER, SAMPLE, Corpus
from eval.facets import facet_accuracy
from eval.harness import evaluate_retrieval
from eval.questions import load_questions
from eval.records import record_accuracy
from kb.knowledge import KnowledgeBase, build_kb
from kb.settings import Settings


@pytest.fixture(scope="session")
def other_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """An index of the second corpus, built once per session (no manifest: inferred facets)."""
    from ingest.pipeline import ingest_paths

    settings = make_settings(tmp_path_factory.mktemp("other-index"))
    report = ingest_paths(build_kb(settings), [OTHER.docs])
    assert not report.failed, report.failed
    return settings


def _figures(kb: KnowledgeBase, corpus: Corpus) -> dict[str, Any]:
    questions = load_questions(corpus.questions)
    retrieval = evaluate_retrieval(kb, questions, corpus.root)
    return {
        "facets": facet_accuracy(kb, corpus.facets) if corpus.facets else None,
        "retrieval": retrieval["modes"]["hybrid"],
        "answers": evaluate_answers(kb, questions),
        "records": record_accuracy(kb, corpus),
        "questions": questions,
    }


@pytest.fixture(scope="module")
def sample(corpus_settings: Settings) -> Iterator[dict[str, Any]]:
    yield _figures(build_kb(corpus_settings), SAMPLE)


@pytest.fixture(scope="module")
def other(other_settings: Settings) -> Iterator[dict[str, Any]]:
    yield _figures(build_kb(other_settings), OTHER)


def test_sample_corpus_holds_its_figures(sample: dict[str, Any]) -> None:
    retrieval, answers, records = sample["retrieval"], sample["answers"], sample["records"]
    assert retrieval["recall@5"] >= 0.93, retrieval
    assert retrieval["mrr"] >= 0.75, retrieval
    assert answers["fact_coverage"] >= 0.85, answers["misses"]
    assert answers["abstention_recall"] == 1.0, answers["misses"]["missed_abstention"]
    status = answers["status_questions"]
    assert status["right"] == status["questions"] >= 20, answers["misses"]["status_questions"]
    assert records["found"] == records["latest_status"] == records["pilot"] == 1.0, records
    assert records["records"] == 132


def test_second_corpus_meets_its_targets(other: dict[str, Any]) -> None:
    retrieval, answers, records = other["retrieval"], other["answers"], other["records"]
    assert len(other["questions"]) >= 40
    assert records["found"] >= 0.95, records["misses"]["found"]
    assert records["latest_status"] >= 0.95, records["misses"]["status"]
    assert records["pilot"] >= 0.90, records["misses"]["pilot"]
    facets = other["facets"]
    assert facets.accuracy >= 0.90, facets.mistakes
    assert retrieval["recall@5"] >= 0.90, retrieval
    # Answers on this corpus are below the targets (fact coverage 0.80, abstention
    # 0.85, false abstention 0.05): measured 0.67 / 0.54 / 0.07 (eval/RESULTS.md). What holds:
    assert answers["citation_verbatim"] == 1.0
    assert answers["fact_coverage"] >= 0.6, answers["misses"]["facts"]


def test_status_questions_are_counted_on_both(
    sample: dict[str, Any], other: dict[str, Any]
) -> None:
    for figures in (sample, other):
        asked = [q for q in figures["questions"] if is_status_or_count(q)]
        assert len(asked) >= 10
        assert figures["answers"]["status_questions"]["questions"] == len(asked)
