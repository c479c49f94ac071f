"""Ranking metrics over (source, page) relevance: recall@k, reciprocal rank, nDCG@k."""

from __future__ import annotations

import math
from collections.abc import Sequence

Page = tuple[str, int]


def _first_hits(ranked: Sequence[Page], relevant: set[Page]) -> list[int]:
    """1-based ranks at which each relevant page first appears."""
    seen: set[Page] = set()
    ranks = []
    for rank, page in enumerate(ranked, start=1):
        if page in relevant and page not in seen:
            seen.add(page)
            ranks.append(rank)
    return ranks


def recall_at(ranked: Sequence[Page], relevant: set[Page], k: int) -> float:
    return sum(r <= k for r in _first_hits(ranked, relevant)) / len(relevant)


def reciprocal_rank(ranked: Sequence[Page], relevant: set[Page]) -> float:
    hits = _first_hits(ranked, relevant)
    return 1.0 / hits[0] if hits else 0.0


def ndcg_at(ranked: Sequence[Page], relevant: set[Page], k: int) -> float:
    """Binary-gain nDCG: each relevant page counts once, at its first rank."""
    dcg = sum(1.0 / math.log2(r + 1) for r in _first_hits(ranked, relevant) if r <= k)
    ideal = sum(1.0 / math.log2(r + 1) for r in range(1, min(len(relevant), k) + 1))
    return dcg / ideal


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))
    return ordered[index]
