"""Hybrid retrieval: dense (Chroma) + BM25 over French terms, fused by reciprocal rank."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import numpy as np

from kb.embed import Embedder
from kb.settings import RetrievalSettings
from kb.store import ChunkStore, Filters, matches
from kb.text import analyze
from kb.types import Chunk, SearchHit, indexed_text

log = logging.getLogger(__name__)


@dataclass
class _KeywordIndex:
    chunks: list[Chunk]
    bm25: object  # bm25s.BM25
    signature: int


class KeywordIndex:
    """BM25 over every chunk of the store, rebuilt when the store's content changes."""

    def __init__(self, store: ChunkStore, language: str) -> None:
        self._store = store
        self._language = language
        self._index: _KeywordIndex | None = None
        self._lock = threading.Lock()

    def _current(self) -> _KeywordIndex:
        signature = self._store.generation()
        with self._lock:
            if self._index is None or self._index.signature != signature:
                self._index = self._build(signature)
            return self._index

    def invalidate(self) -> None:
        with self._lock:
            self._index = None

    def _build(self, signature: int) -> _KeywordIndex:
        import bm25s

        chunks = list(self._store.iter_chunks())
        bm25 = bm25s.BM25()
        # An empty-token document keeps bm25s happy on empty or stop-word-only chunks.
        corpus = [analyze(_indexed_text(c), self._language) or [""] for c in chunks]
        if corpus:
            bm25.index(corpus, show_progress=False)
        log.info("keyword index built over %d chunks", len(chunks))
        return _KeywordIndex(chunks=chunks, bm25=bm25, signature=signature)

    def search(self, query: str, n: int, filters: Filters | None = None) -> list[Chunk]:
        index = self._current()
        terms = [t for t in analyze(query, self._language)]
        if not index.chunks or not terms:
            return []
        vocab = index.bm25.vocab_dict  # type: ignore[attr-defined]
        terms = [t for t in terms if t in vocab]
        if not terms:
            return []
        scores = index.bm25.get_scores(terms)  # type: ignore[attr-defined]
        if filters:
            mask = np.array([matches(c.metadata | _core(c), filters) for c in index.chunks])
            scores = np.where(mask, scores, 0.0)
        top = np.argsort(-scores, kind="stable")[:n]
        return [index.chunks[i] for i in top if scores[i] > 0]


def _core(chunk: Chunk) -> dict[str, object]:
    return {"document_id": chunk.document_id, "source": chunk.source, "page": chunk.page}


def _indexed_text(chunk: Chunk) -> str:
    # The title is searchable too: questions often name the diagnostic.
    return f"{chunk.title}\n{indexed_text(chunk)}"


class HybridRetriever:
    def __init__(
        self, store: ChunkStore, embedder: Embedder, settings: RetrievalSettings
    ) -> None:
        self._store = store
        self._embedder = embedder
        self._settings = settings
        self.keyword = KeywordIndex(store, settings.language)

    def search(
        self, query: str, k: int | None = None, filters: Filters | None = None
    ) -> list[SearchHit]:
        k = k or self._settings.k
        n = max(self._settings.candidates, k)
        vector = self._embedder.embed_queries([query])[0]
        dense = self._store.query(vector, n, filters)
        keyword = self.keyword.search(query, n, filters)
        return fuse(dense, keyword, self._settings.rrf_k)[:k]


def fuse(
    dense: list[tuple[Chunk, float]], keyword: list[Chunk], rrf_k: int
) -> list[SearchHit]:
    """Reciprocal rank fusion of the two legs (Cormack et al., 2009)."""
    hits: dict[str, SearchHit] = {}
    for rank, (chunk, similarity) in enumerate(dense, start=1):
        hits[chunk.chunk_id] = SearchHit(
            chunk=chunk, score=1.0 / (rrf_k + rank), dense_score=similarity, dense_rank=rank
        )
    for rank, chunk in enumerate(keyword, start=1):
        hit = hits.setdefault(chunk.chunk_id, SearchHit(chunk=chunk, score=0.0))
        hit.score += 1.0 / (rrf_k + rank)
        hit.bm25_rank = rank
    return sorted(hits.values(), key=lambda h: h.score, reverse=True)
