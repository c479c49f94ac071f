"""Hybrid retrieval: dense (Chroma) + BM25 over French terms, fused by reciprocal rank."""

from __future__ import annotations

import logging
from collections import Counter

import numpy as np

from kb.domain import about_records, asks_precedent, chunk_role, expand_acronyms
from kb.embed import Embedder
from kb.keyword import FACETS, SharedKeyword, chunks_for
from kb.query import matches_named, named_facets
from kb.rerank import CrossEncoderReranker
from kb.settings import RetrievalSettings
from kb.store import ChunkStore, Filters
from kb.text import analyze
from kb.types import Chunk, SearchHit

log = logging.getLogger(__name__)


class KeywordIndex:
    """BM25 over every chunk of the store, from the shared keyword artefact (`kb.keyword`)."""

    def __init__(self, store: ChunkStore, shared: SharedKeyword) -> None:
        self._store = store
        self.shared = shared

    def facet_values(self) -> dict[str, set[object]]:
        """Every value of each DTP facet present in the index."""
        return self.shared.current()[0].facet_values()

    def search(self, query: str, n: int, filters: Filters | None = None) -> list[Chunk]:
        index, visible = self.shared.current()
        terms = analyze(query, self.shared.language)
        if not index.n or not terms:
            return []
        vocab = index.bm25.vocab_dict
        terms = [t for t in terms if t in vocab]
        if not terms:
            return []
        scores = index.bm25.get_scores(terms)
        mask = index.mask(filters, visible)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        top = [int(i) for i in top_n(scores, n) if scores[i] > 0]
        return chunks_for(self._store, [index.ids[i].decode() for i in top])


def top_n(scores: np.ndarray, n: int) -> np.ndarray:
    """Indices of the `n` best scores, best first, ties by index: the first `n` of a stable
    argsort, without sorting the whole corpus."""
    if len(scores) > n:
        kth = np.partition(scores, len(scores) - n)[len(scores) - n]
        candidates = np.flatnonzero(scores >= kth)
    else:
        candidates = np.arange(len(scores))
    return candidates[np.argsort(-scores[candidates], kind="stable")][:n]


class HybridRetriever:
    def __init__(
        self,
        store: ChunkStore,
        embedder: Embedder,
        settings: RetrievalSettings,
        reranker: CrossEncoderReranker | None = None,
        shared: SharedKeyword | None = None,
    ) -> None:
        self._store = store
        self._embedder = embedder
        self._settings = settings
        self._reranker = reranker
        shared = shared or SharedKeyword(store, settings.language, None)
        self.keyword = KeywordIndex(store, shared)
        # A chunk id names fixed content (document hash, position), so its role never changes.
        self._roles: dict[str, str | None] = {}

    def candidates(self, query: str, k: int, filters: Filters | None = None) -> list[SearchHit]:
        """Every hit of both legs, fused and (if configured) reranked, best first."""
        settings = self._settings
        n = max(settings.candidates, k)
        about, derived = about_records(query), asks_precedent(query)
        if settings.expand_acronyms:
            query = expand_acronyms(query)
        vector = self._embedder.embed_queries([query])[0]
        dense = self._store.query(vector, n, filters)
        keyword = self.keyword.search(query, n, filters)
        hits = fuse(dense, keyword, settings.rrf_k, settings.dense_weight, settings.bm25_weight)
        recommendation = 1.0 if about else settings.recommendation_weight
        weights = {
            "navigation": settings.navigation_weight,
            "recommendation": recommendation,
            "precedent": settings.precedent_weight if derived else recommendation,
        }
        for hit in hits:
            hit.score *= weights.get(self._role(hit.chunk) or "", 1.0)
        hits.sort(key=lambda h: h.score, reverse=True)
        if settings.facet_boost and not filters:
            named = named_facets(query, self.keyword.facet_values())
            if named:
                bonus = settings.facet_boost / (settings.rrf_k + 1)
                for hit in hits:
                    hit.score += bonus * matches_named(hit.chunk.metadata, named) / len(named)
                hits.sort(key=lambda h: h.score, reverse=True)
        if self._reranker:
            return self._reranker.rerank(query, hits)
        return by_page(hits, settings.page_weight, settings.document_weight)

    def _role(self, chunk: Chunk) -> str | None:
        if chunk.chunk_id not in self._roles:
            self._roles[chunk.chunk_id] = role(chunk)
        return self._roles[chunk.chunk_id]

    def search(
        self, query: str, k: int | None = None, filters: Filters | None = None
    ) -> list[SearchHit]:
        k = k or self._settings.k
        return self.candidates(query, k, filters)[:k]


def facet_counts(hits: list[SearchHit]) -> dict[str, dict[str, int]]:
    """How many of the hits fall under each value of each DTP facet."""
    counts: dict[str, Counter[str]] = {f: Counter() for f in FACETS}
    for hit in hits:
        for facet in FACETS:
            value = hit.chunk.metadata.get(facet)
            if value is not None and value != "":
                counts[facet][str(value)] += 1
    return {f: dict(c.most_common()) for f, c in counts.items() if c}


def role(chunk: Chunk) -> str | None:
    """What a chunk is besides content (see `kb.domain.chunk_role`)."""
    return chunk_role(chunk.text, chunk.context)


def by_page(hits: list[SearchHit], page_weight: float, document_weight: float) -> list[SearchHit]:
    """Hits grouped by page, best page first: a page scores its best chunk plus a share of
    its next two chunks and of its document's three best (a table whose rows all match, a
    document that answers throughout), so one page is one place in the ranking."""
    pages: dict[tuple[str, int], list[SearchHit]] = {}
    documents: dict[str, list[float]] = {}
    for hit in hits:  # best first
        pages.setdefault((hit.chunk.document_id, hit.chunk.page), []).append(hit)
        documents.setdefault(hit.chunk.document_id, []).append(hit.score)

    def page_score(group: list[SearchHit]) -> float:
        others = sum(h.score for h in group[1:3])
        document = sum(documents[group[0].chunk.document_id][:3])
        return group[0].score + page_weight * others + document_weight * document

    ranked = sorted(pages.values(), key=page_score, reverse=True)
    return [hit for group in ranked for hit in group]


def fuse(
    dense: list[tuple[Chunk, float]],
    keyword: list[Chunk],
    rrf_k: int,
    dense_weight: float = 1.0,
    bm25_weight: float = 1.0,
) -> list[SearchHit]:
    """Weighted reciprocal rank fusion of the two legs (Cormack et al., 2009)."""
    hits: dict[str, SearchHit] = {}
    for rank, (chunk, similarity) in enumerate(dense, start=1):
        hits[chunk.chunk_id] = SearchHit(
            chunk=chunk,
            score=dense_weight / (rrf_k + rank),
            dense_score=similarity,
            dense_rank=rank,
        )
    for rank, chunk in enumerate(keyword, start=1):
        hit = hits.setdefault(chunk.chunk_id, SearchHit(chunk=chunk, score=0.0))
        hit.score += bm25_weight / (rrf_k + rank)
        hit.bm25_rank = rank
    return sorted(hits.values(), key=lambda h: h.score, reverse=True)
