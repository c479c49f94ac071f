"""`dtp-kb calibrate`: the answer gate's thresholds for the configured embedding model.

The dense threshold (and the coverage floor) are scales of one model: a cosine of 0.80 means
"close" for multilingual-e5-small and something else for another model. This measures, on a
small labelled set (answerable questions and near-misses the corpus cannot answer), the
values that keep false abstentions at or below `max_false` while abstaining on as many
near-misses as possible; the verifier's support thresholds come from `eval.support`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from eval.questions import Question
from eval.support import calibrate as calibrate_support
from kb.knowledge import KnowledgeBase


def _signals(kb: KnowledgeBase, q: Question) -> tuple[float, float, bool]:
    """(best dense score, coverage, whether a rule other than the two thresholds abstains)."""
    answerer = kb.answerer
    prepared = answerer.prepare(q.question, q.filters or None, None)
    found = prepared.relevance
    others = bool(found.missing_numbers or found.missing_names or found.missing_focus)
    return found.dense, found.coverage, others or found.outdated is not None


def calibrate_gate(
    kb: KnowledgeBase, questions: list[Question], max_false: float = 0.05
) -> dict[str, Any]:
    """The dense and coverage thresholds that best separate answerable questions from
    near-misses, with at most `max_false` of the answerable ones refused."""
    rows = [(*_signals(kb, q), q.answerable) for q in questions]
    answerable = [r for r in rows if r[3]] or [(1.0, 1.0, False, True)]
    misses = [r for r in rows if not r[3]]
    best: tuple[float, float, float, float] | None = None
    for dense in [0.60 + i / 200 for i in range(70)]:
        for coverage in [i / 20 for i in range(0, 13)]:
            refused = [r[2] or r[0] < dense or r[1] < coverage for r in answerable]
            caught = [r[2] or r[0] < dense or r[1] < coverage for r in misses]
            false = sum(refused) / len(answerable)
            recall = sum(caught) / len(caught) if caught else 1.0
            if false > max_false:
                continue
            key = (recall, -false, dense, coverage)
            if best is None or key > best:
                best = key
    recall, false, dense, coverage = best or (0.0, 0.0, 0.0, 0.0)
    return {
        "questions": len(rows),
        "near_misses": len(misses),
        "min_dense_score": round(dense, 3),
        "min_coverage": round(coverage, 2),
        "abstention_recall": round(recall, 3),
        "false_abstention": round(-false, 3),
        "current": {
            "min_dense_score": kb.settings.answer.min_dense_score,
            "min_coverage": kb.settings.answer.min_coverage,
        },
    }


def calibrate(kb: KnowledgeBase, questions: list[Question], root: Path) -> dict[str, Any]:
    """Gate and verifier thresholds for the configured model, with the settings to export."""
    gate = calibrate_gate(kb, questions)
    support = calibrate_support(kb, [q for q in questions if q.answerable], root)
    env = {
        "DTPKB_ANSWER__MIN_DENSE_SCORE": gate["min_dense_score"],
        "DTPKB_ANSWER__MIN_COVERAGE": gate["min_coverage"],
        "DTPKB_ANSWER__MIN_LEXICAL_SUPPORT": support["min_lexical_support"],
        "DTPKB_ANSWER__MIN_SEMANTIC_SUPPORT": support["min_semantic_support"],
    }
    return {"gate": gate, "support": support, "env": env}
