"""Extractive answers: the passages' own sentences, chosen for the question, each with its [n]."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from kb import domain
from kb.answer.evidence import TermStats, Unit, folded, salient_terms, units_of
from kb.answer.gate import focus
from kb.settings import AnswerSettings
from kb.text import analyze
from kb.types import Answer, AnswerSentence, Citation, SearchHit

log = logging.getLogger(__name__)


@dataclass
class Scored:
    score: float
    unit: Unit


def score_units(
    question: str,
    hits: Sequence[SearchHit],
    settings: AnswerSettings,
    stats: TermStats,
    language: str,
    qtype: str,
) -> list[Scored]:
    """Every unit of the top passages that shares a term with the question or goes on from
    one that does, best first."""
    terms = salient_terms(question, language) or analyze(question, language)
    weights = stats.weights(terms)
    total = sum(weights.values()) or 1.0
    scored = []
    for rank, hit in enumerate(hits[: settings.passages]):
        previous = 0.0
        for unit in units_of(hit.chunk, rank, language):
            own = sum(weights[t] for t in terms if t in unit.terms) / total
            score = 0.0
            if own:
                near = (
                    sum(weights[t] for t in terms if t in unit.terms or t in unit.context_terms)
                    / total
                )
                # The sentence's own words first; its section and title break ties between
                # passages; a better-ranked passage wins what remains.
                score = 0.7 * own + 0.3 * near + settings.rank_bonus / (rank + 1)
                if qtype == "figures" and unit.has_figure:
                    score += settings.figure_bonus
            # A sentence often goes on with what the one before it said ("Seuls 14 d'entre
            # eux…", "Elle est accessible en LSF…"): it keeps a share of that one's score.
            carried = settings.continuation * previous
            previous = score
            if max(score, carried) > 0:
                scored.append(Scored(max(score, carried), unit))
    scored.sort(key=lambda s: -s.score)
    return scored


def choose(scored: list[Scored], settings: AnswerSettings) -> list[Scored]:
    """The best units, no duplicates, none far below the best one."""
    if not scored:
        return []
    floor = scored[0].score * settings.min_relative_score
    chosen: list[Scored] = []
    seen: set[str] = set()
    for item in scored:
        key = folded(item.unit.text)
        if item.score < floor or any(key in s or s in key for s in seen):
            continue
        seen.add(key)
        chosen.append(item)
        if len(chosen) == settings.max_sentences:
            break
    return chosen


def listed_items(
    question: str, chosen: list[Scored], settings: AnswerSettings, language: str
) -> list[Scored]:
    """`chosen`, and when the question asks for things a numbering scheme prints ("Quelles
    pistes … ?", "Quelles préconisations … ?"), every numbered item of that scheme in the
    chosen passages ("Piste 1 : …" to "Piste 5 : …"), not only those sharing its words."""
    asked = [w for w in focus(question)[:1] if w.lower().endswith(("s", "x"))]
    if not asked or not chosen:
        return chosen
    stem = analyze(asked[0], language)[:1]
    kinds = ("record", "proposal")
    have = {(c.unit.chunk.chunk_id, c.unit.position) for c in chosen}
    added: list[Scored] = []
    passages = {c.unit.chunk.chunk_id: c.unit for c in reversed(chosen)}  # best one's rank
    for first in passages.values():
        chunk = first.chunk
        for unit in units_of(chunk, first.rank, language):
            labels = domain.labels(unit.text, kinds)
            if (
                labels
                and labels[0].start <= 2
                and analyze(labels[0].printed, language)[:1] == stem
                and (chunk.chunk_id, unit.position) not in have
            ):
                added.append(Scored(chosen[-1].score, unit))
    return chosen + added[: 2 * settings.max_sentences]


def order(chosen: list[Scored], qtype: str) -> list[Unit]:
    """Grouped by source (best source first), in reading order; a figure question leads with
    its best figure."""
    lead = next((c for c in chosen if c.unit.has_figure), None) if qtype == "figures" else None
    best_of_doc: dict[str, float] = {}
    for c in chosen:
        doc = c.unit.chunk.document_id
        best_of_doc[doc] = max(best_of_doc.get(doc, 0.0), c.score)
    if lead is not None:
        best_of_doc[lead.unit.chunk.document_id] = float("inf")

    def key(c: Scored) -> tuple[float, int, int, str, int]:
        u = c.unit
        first = 0 if c is lead else 1
        doc = -best_of_doc[u.chunk.document_id]
        return (doc, first, u.chunk.page, u.chunk.chunk_id, u.position)

    return [c.unit for c in sorted(chosen, key=key)]


def compose(units: list[Unit], generator: str = "extractive") -> Answer:
    """The answer text, one [n] per unit, a paragraph per source document."""
    citations: list[Citation] = []
    sentences: list[AnswerSentence] = []
    paragraphs: list[list[str]] = []
    last_doc = None
    for unit in units:
        chunk = unit.chunk
        citations.append(
            Citation(
                n=len(citations) + 1,
                chunk_id=chunk.chunk_id,
                document_id=chunk.document_id,
                title=chunk.title,
                source=chunk.source,
                page=chunk.page,
                quote=unit.quote,
            )
        )
        n = citations[-1].n
        sentences.append(AnswerSentence(text=unit.text, citations=[n], support=1.0))
        if chunk.document_id != last_doc:
            paragraphs.append([])
            last_doc = chunk.document_id
        paragraphs[-1].append(f"{unit.text} [{n}]")
    text = "\n\n".join(" ".join(p) for p in paragraphs)
    return Answer(answer=text, citations=citations, sentences=sentences, generator=generator)


def extractive_answer(
    question: str,
    hits: Sequence[SearchHit],
    settings: AnswerSettings,
    stats: TermStats,
    language: str = "french",
    qtype: str = "other",
) -> Answer | None:
    """The cited extractive answer, or None when no passage sentence shares a term with it."""
    chosen = choose(score_units(question, hits, settings, stats, language, qtype), settings)
    if not chosen:
        return None
    chosen = listed_items(question, chosen, settings, language)
    return compose(order(chosen, qtype))
