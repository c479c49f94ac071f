"""Answer quality on the evaluation questions: key facts covered, abstentions, verbatim
citations, and the latency of `kb.ask`."""

from __future__ import annotations

import logging
import re
import time
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from statistics import mean
from typing import Any

from eval.metrics import percentile
from eval.questions import Question
from kb.knowledge import KnowledgeBase
from kb.text import fold
from kb.types import Answer

log = logging.getLogger(__name__)


def normalise(text: str) -> str:
    """Case-, accent- and whitespace-folded, with one kind of apostrophe and quote."""
    text = text.replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return " ".join(fold(text).split())


# A question asking how many recommendations ("Combien de préconisations…", "combien des 20
# préconisations", "Combien de fiches actions…"), whatever its type.
_COUNT_OF_RECS = re.compile(
    r"\bcombien (?:de|des|d')\s*(?:\d+ )?(?:\w+ )?(?:preconisations|recommandations|fiches actions)\b"
)


def is_status_or_count(q: Question) -> bool:
    """A status question of the set, or one counting recommendations: the must-show set."""
    return q.answerable and (
        q.type == "status" or bool(_COUNT_OF_RECS.search(normalise(q.question)))
    )


def facts_found(answer: str, facts: list[str]) -> int:
    shown = normalise(answer)
    return sum(normalise(f) in shown for f in facts)


@lru_cache(maxsize=256)
def _pdf_page(source: str, page: int) -> str:
    from pypdf import PdfReader

    return " ".join(PdfReader(source).pages[page - 1].extract_text().split())


def page_text(kb: KnowledgeBase, source: str, page: int, pages: dict[tuple[str, int], str]) -> str:
    """The cited page's text, whitespace-collapsed: pypdf's for a PDF, else its chunks'."""
    if source.lower().endswith(".pdf") and Path(source).is_file():
        return _pdf_page(source, page)
    return pages.get((source, page), "")


def _chunk_pages(kb: KnowledgeBase) -> dict[tuple[str, int], str]:
    joined: dict[tuple[str, int], list[str]] = defaultdict(list)
    for chunk in kb.store.iter_chunks():
        joined[(chunk.source, chunk.page)].append(chunk.text)
    return {key: " ".join(" ".join(texts).split()) for key, texts in joined.items()}


def _verbatim(kb: KnowledgeBase, answer: Answer, pages: dict[tuple[str, int], str]) -> list[bool]:
    return [
        " ".join(c.quote.split()) in page_text(kb, c.source, c.page, pages)
        for c in answer.citations
    ]


def _cited(answer: Answer) -> list[bool]:
    """Per answer sentence: does it carry a marker that names one of the answer's citations?"""
    known = {c.n for c in answer.citations}
    if answer.sentences:
        return [bool(set(s.citations) & known) for s in answer.sentences if s.supported]
    from kb.answer.verify import split_cited

    return [bool(set(m) & known) for _, m in split_cited(answer.answer)]


def evaluate_answers(
    kb: KnowledgeBase, questions: list[Question], use_filters: bool = True
) -> dict[str, Any]:
    """Fact coverage, abstention recall, false abstention, verbatim citations and latency;
    and the status/count questions answered with every expected fact."""
    kb.ask("diagnostic territorial partagé")  # load the model and indexes before timing
    pages = _chunk_pages(kb)
    times: list[float] = []
    coverage: list[float] = []
    by_type: dict[str, list[float]] = defaultdict(list)
    abstained_right: list[bool] = []
    abstained_wrong: list[bool] = []
    verbatim: list[bool] = []
    cited: list[bool] = []
    status_right: list[bool] = []
    misses: dict[str, list[str]] = {
        "facts": [],
        "false_abstention": [],
        "missed_abstention": [],
        "status_questions": [],
    }
    for q in questions:
        start = time.perf_counter()
        answer = kb.ask(q.question, (q.filters or None) if use_filters else None)
        times.append((time.perf_counter() - start) * 1000)
        verbatim += _verbatim(kb, answer, pages)
        cited += _cited(answer) if not answer.abstained else []
        if not q.answerable:
            abstained_right.append(answer.abstained)
            if not answer.abstained:
                misses["missed_abstention"].append(q.id)
            continue
        abstained_wrong.append(answer.abstained)
        if answer.abstained:
            misses["false_abstention"].append(q.id)
        if q.facts:
            share = facts_found(answer.answer, q.facts) / len(q.facts)
            coverage.append(share)
            by_type[q.type].append(share)
            if share < 1:
                misses["facts"].append(q.id)
        if is_status_or_count(q):
            # Right: answered (no abstention) with every expected fact, figures included.
            right = not answer.abstained and facts_found(answer.answer, q.facts) == len(q.facts)
            status_right.append(right)
            if not right:
                misses["status_questions"].append(q.id)
    return {
        "questions": len(questions),
        "filters": use_filters,
        "fact_coverage": _mean(coverage),
        "fact_coverage_by_type": {t: _mean(v) for t, v in sorted(by_type.items())},
        "status_questions": {
            "questions": len(status_right),
            "right": sum(status_right),
            "rate": _mean(status_right),
        },
        "abstention_recall": _mean(abstained_right),
        "false_abstention": _mean(abstained_wrong),
        "citation_verbatim": _mean(verbatim),
        "sentences_cited": _mean(cited),
        "citations": len(verbatim),
        "latency_ms_p50": round(percentile(times, 50), 1),
        "latency_ms_p95": round(percentile(times, 95), 1),
        "misses": misses,
    }


def _mean(values: list[float] | list[bool]) -> float:
    return round(mean(float(v) for v in values), 4) if values else 0.0


def explain(kb: KnowledgeBase, q: Question, use_filters: bool = True) -> dict[str, Any]:
    """One question's answer next to what was expected, to study a miss."""
    answer = kb.ask(q.question, (q.filters or None) if use_filters else None)
    shown = normalise(answer.answer)
    return {
        "id": q.id,
        "type": q.type,
        "question": q.question,
        "abstained": answer.abstained,
        "facts": {f: normalise(f) in shown for f in q.facts},
        "answer": re.sub(r"\s+", " ", answer.answer)[:1500],
    }
