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
    # Measured in session 6 (eval/RESULTS.md): fact coverage 0.836, abstention 11/12 (0.917),
    # false abstention 1/55 (0.018), 19 of 21 status questions: the targets are 0.80,
    # 0.85, 0.05. The floors sit one question below (a fresh index ranks a few passages
    # differently from the one measured).
    assert answers["citation_verbatim"] == 1.0
    assert answers["fact_coverage"] >= 0.80, answers["misses"]["facts"]
    assert answers["abstention_recall"] >= 0.83, answers["misses"]["missed_abstention"]
    assert answers["false_abstention"] <= 0.05, answers["misses"]["false_abstention"]
    status = answers["status_questions"]
    assert status["right"] >= status["questions"] - 2, answers["misses"]["status_questions"]


@pytest.mark.parametrize(
    ("question", "said"),
    [
        # A diagnostic numbered two ways (its préconisations, its roadmap's actions): the
        # count keeps the scheme asked, and quotes the document's own count in words.
        (
            "Combien d'actions de la feuille de route du PTSM de la Vaudrenne sont réalisées ?",
            ["3 des 11 actions", "trois actions sur onze sont réalisées"],
        ),
        (
            "Combien des douze préconisations du diagnostic santé mentale de la Vaudrenne sont "
            "réalisées au 30 juin 2024 ?",
            ["2 des 12 préconisations", "deux sont réalisées"],
        ),
        # Named by its subject, shown under its printed label, with the field asked.
        (
            "Quel est le statut de la fiche action sur le protocole « sortants » dans le plan "
            "d'actions 2024-2026 ?",
            ["FA 3-1", "Pas encore engagée"],
        ),
        (
            "Qui porte l'action 2.2 sur les soins somatiques et quels sont ses indicateurs de suivi ?",
            ["EPSM de la Vaudrenne", "Indicateurs de suivi : ", "consultations somatiques"],
        ),
        # Which follows which, from the links the documents state, with the sentence stating
        # it: "s'inscrit dans la continuité de …", "Rappel : la préconisation n°6 du DTP …".
        (
            "Quelle préconisation de 2023 fait suite à la formation des travailleurs sociaux au "
            "Logement d'abord prévue en 2019 ?",
            ["Préconisation n°9", "préconisation n°10 du diagnostic de 2019", "continuité"],
        ),
        (
            "La préconisation n°10 du diagnostic à 360° de 2019 a-t-elle été reprise en 2023 ?",
            ["Oui : la préconisation n°9"],
        ),
        (
            "La fiche FA 1-2 du plan d'actions 2024-2026 fait-elle suite à une préconisation du "
            "diagnostic de 2019 ?",
            ["FA 1-2", "préconisation n°6", "150 logements"],
        ),
        # A budget asked in other words than the documents use: answered by what they say of
        # its financing, not by the same service's other columns.
        (
            "Quel budget a été alloué à l'équipe mobile pour adolescents de la Vaudrenne ?",
            ["financement"],
        ),
        # The pistes of a working group, ranked just below its cover page, all of them
        # quoted (not only those sharing the question's words).
        (
            "Quelles pistes le groupe de travail Enfants et adolescents du DTP santé mentale "
            "a-t-il proposées ?",
            ["Piste 1 :", "Piste 3 :", "Piste 5 :", "assistants familiaux"],
        ),
    ],
)
def test_records_answers_on_the_second_corpus(
    other_settings: Settings, question: str, said: list[str]
) -> None:
    answer = build_kb(other_settings).ask(question)
    assert not answer.abstained, answer.answer
    for part in said:
        assert part in answer.answer, (part, answer.answer)


def test_status_questions_are_counted_on_both(
    sample: dict[str, Any], other: dict[str, Any]
) -> None:
    for figures in (sample, other):
        asked = [q for q in figures["questions"] if is_status_or_count(q)]
        assert len(asked) >= 10
        assert figures["answers"]["status_questions"]["questions"] == len(asked)
