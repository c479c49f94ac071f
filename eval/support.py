"""Calibration of the verifier's thresholds on the evaluation questions.

Supported pairs: each question's evidence (a span of its expected page, not a whole
sentence) against the passages of its expected pages, without the verbatim shortcut. Unsupported pairs: the same
sentence with its figure changed (against its own passages), and each evidence against
the passages of another question of the same diagnostic (same topic, other facts).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from eval.questions import CORPUS, Question
from kb.answer.verify import Verifier
from kb.knowledge import KnowledgeBase
from kb.settings import AnswerSettings
from kb.types import Chunk

log = logging.getLogger(__name__)


def _expected_chunks(
    q: Question, by_page: dict[tuple[str, int], list[Chunk]], root: Path
) -> list[Chunk]:
    root = root.resolve()
    return [c for rel, page in q.expected for c in by_page.get((str(root / rel), page), [])]


def _altered(sentence: str) -> str | None:
    """The sentence with its first figure changed, or None if it states none."""
    match = re.search(r"\d+", sentence)
    if not match:
        return None
    value = int(match.group())
    return sentence[: match.start()] + str(value + 7) + sentence[match.end() :]


def pairs(
    kb: KnowledgeBase, questions: Iterable[Question], root: Path = CORPUS
) -> list[tuple[str, list[Chunk], bool]]:
    """(sentence, passages, supported?) pairs built from the questions' evidence."""
    by_page: dict[tuple[str, int], list[Chunk]] = {}
    for chunk in kb.store.iter_chunks():
        by_page.setdefault((str(Path(chunk.source).resolve()), chunk.page), []).append(chunk)
    usable = [q for q in questions if q.answerable and q.evidence]
    own = {q.id: _expected_chunks(q, by_page, root) for q in usable}
    out: list[tuple[str, list[Chunk], bool]] = []
    for q in usable:
        passages = own[q.id]
        if not passages:
            continue
        out.append((q.evidence, passages, True))
        if (altered := _altered(q.evidence)) is not None:
            out.append((altered, passages, False))
        other = next(
            (
                o
                for o in usable
                if o.id != q.id
                and o.filters.get("dtp_id") == q.filters.get("dtp_id")
                and own[o.id]
                and not set(o.expected) & set(q.expected)
            ),
            None,
        )
        if other is not None:
            out.append((q.evidence, own[other.id], False))
    return out


def calibrate(kb: KnowledgeBase, questions: list[Question], root: Path = CORPUS) -> dict[str, Any]:
    """Evidence scores of every pair, and the thresholds that best separate them."""
    scored = []
    settings = AnswerSettings(min_lexical_support=0.0, min_semantic_support=0.0)
    verifier = Verifier(settings, kb.settings.retrieval.language, lambda: kb.embedder)
    for sentence, passages, label in pairs(kb, questions, root):
        # No verbatim shortcut: the embedding evidence is what is being calibrated.
        found = verifier.evidence(sentence, passages, shortcut=False)
        scored.append((found.lexical, found.semantic or 0.0, found.figures_ok, label))
    best = (0.0, 0.0, 0.0)
    for lex in [i / 20 for i in range(6, 19)]:
        for sem in [0.70 + i / 100 for i in range(26)]:
            right = [(f and lx >= lex and sm >= sem) == label for lx, sm, f, label in scored]
            accuracy = sum(right) / len(right)
            if accuracy > best[0]:
                best = (accuracy, lex, sem)
    positives = sum(1 for *_, label in scored if label)

    def accuracy_at(lex: float, sem: float) -> float:
        right = [(f and lx >= lex and sm >= sem) == label for lx, sm, f, label in scored]
        return round(sum(right) / len(right), 4)

    return {
        "at": {
            f"{lex}/{sem}": accuracy_at(lex, sem)
            for lex in (0.5, 0.6, 0.75, 0.9)
            for sem in (0.8, 0.85, 0.9)
        },
        "pairs": len(scored),
        "supported_pairs": positives,
        "accuracy": round(best[0], 4),
        "min_lexical_support": best[1],
        "min_semantic_support": round(best[2], 2),
    }
