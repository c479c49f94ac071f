"""Precedents: recommendations of earlier DTPs (same theme, or another territory) on the same subject.

Similarity mixes the cosine of the embeddings with the overlap of French stems, so that a
shared rare word ("surdicécité", "répit") counts as much as a close paraphrase; the
reason shown is the list of shared words.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from kb import domain
from kb.recommendations.types import Precedent, Recommendation
from kb.settings import RecommendationSettings
from kb.text import analyze

log = logging.getLogger(__name__)

_WORD = re.compile(r"\w[\w'’-]*", re.UNICODE)


@lru_cache(maxsize=4)
def _generic(language: str) -> frozenset[str]:
    """Words every recommendation uses: they say nothing about its subject."""
    return frozenset(analyze(domain.profile().words("generic_recommendation"), language))


@lru_cache(maxsize=4096)
def terms(text: str, language: str = "french") -> frozenset[str]:
    """The subject stems of a text (generic recommendation verbs left out)."""
    return frozenset(analyze(text, language)) - _generic(language)


def shared_words(text: str, other: str, language: str = "french", limit: int = 6) -> list[str]:
    """Words of `text` whose stems `other` shares, in `text`'s order."""
    common = terms(text, language) & terms(other, language)
    words: list[str] = []
    seen: set[str] = set()
    for word in _WORD.findall(text):
        stems = set(analyze(word, language)) & common
        if stems and not stems <= seen:
            seen |= stems
            words.append(word.lower())
    return words[:limit]


def lexical(a: frozenset[str], b: frozenset[str]) -> float:
    """Overlap of two stem sets: shared / sqrt(|a| |b|) (a cosine on sets)."""
    if not a or not b:
        return 0.0
    return len(a & b) / float(np.sqrt(len(a) * len(b)))


def combined(cosine: float, overlap: float, weight: float) -> float:
    """One score in 0..1: e5 cosines live in about 0.7..1, so they are stretched first."""
    dense = min(1.0, max(0.0, (cosine - 0.7) / 0.3))
    return weight * dense + (1 - weight) * overlap


def is_candidate(later: Recommendation, earlier: Recommendation) -> bool:
    """An earlier DTP of the same theme, or an earlier DTP of another territory."""
    if earlier.dtp_id == later.dtp_id or earlier.year is None or later.year is None:
        return False
    if earlier.year >= later.year:
        return False
    return earlier.theme == later.theme or earlier.territory != later.territory


def find_precedents(
    record: Recommendation,
    records: Sequence[Recommendation],
    vectors: np.ndarray,
    config: RecommendationSettings,
    language: str = "french",
    mentions: bool = True,
) -> list[Precedent]:
    """The closest candidates above the threshold, best first (stated links first if `mentions`)."""
    # Without `mentions` the ranking is similarity alone: that is what the tests measure.
    index = {r.id: n for n, r in enumerate(records)}
    if record.id not in index:
        return []
    mine = vectors[index[record.id]]
    text = record.embed_text()
    own_terms = terms(text, language)
    scored: list[Precedent] = []
    for n, other in enumerate(records):
        if not is_candidate(record, other):
            continue
        other_text = other.embed_text()
        overlap = lexical(own_terms, terms(other_text, language))
        score = combined(float(mine @ vectors[n]), overlap, config.dense_weight)
        if other.theme == record.theme:
            score = min(1.0, score + config.theme_bonus)
        explicit = mentions and other.id in record.takes_up
        if score < config.min_score and not explicit:
            continue
        words = shared_words(text, other_text, language)
        reason = f"termes communs : {', '.join(words)}" if words else "formulation proche"
        if explicit:
            reason = f"le document indique qu'elle reprend {other.id} ; {reason}"
        scored.append(
            Precedent(
                id=other.id,
                dtp_id=other.dtp_id,
                title=other.title,
                territory=other.territory,
                year=other.year,
                status=other.status,
                status_label=other.status_label,
                score=round(score, 4),
                reason=reason,
            )
        )
    scored.sort(key=lambda p: (not (mentions and p.id in record.takes_up), -p.score))
    return scored[: config.precedents]


def rank_by_query(
    query: str,
    query_vector: np.ndarray,
    records: Sequence[Recommendation],
    vectors: np.ndarray,
    config: RecommendationSettings,
    language: str = "french",
) -> list[tuple[Recommendation, float, list[str]]]:
    """Records similar to a free-text query: (record, score, shared words), best first."""
    query_terms = terms(query, language)
    out = []
    for n, record in enumerate(records):
        text = record.embed_text()
        overlap = lexical(query_terms, terms(text, language))
        score = combined(float(query_vector @ vectors[n]), overlap, config.dense_weight)
        if score >= config.min_score:
            out.append((record, round(score, 4), shared_words(text, query, language)))
    out.sort(key=lambda item: -item[1])
    return out
