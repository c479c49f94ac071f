"""The knowledge base: the store, the embedder and the retriever, wired once by `build_kb`."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from typing import Any

import numpy as np

from kb import domain
from kb.answer import Answerer, Event, TermStats, Turn
from kb.embed import Embedder, load_embedder
from kb.errors import BadRequestError
from kb.keyword import SharedKeyword
from kb.recommendations.answer import answer_from_records
from kb.recommendations.store import RecommendationStore
from kb.rerank import CrossEncoderReranker
from kb.retrieve import HybridRetriever, facet_counts
from kb.settings import Settings
from kb.store import ChunkStore, Filters, open_client
from kb.types import Answer, Chunk, Document, SearchHit

log = logging.getLogger(__name__)

FILTER_FIELDS = (
    "dtp_id",
    "theme",
    "territory",
    "year",
    "edition",
    "doc_type",
    "phase",
    "document_id",
    "source",
    "page",
)


def check_filters(filters: Filters | None) -> Filters | None:
    unknown = sorted(set(filters or {}) - set(FILTER_FIELDS))
    if unknown:
        raise BadRequestError(
            f"unknown filter(s) {', '.join(unknown)}; allowed: {', '.join(FILTER_FIELDS)}"
        )
    return filters or None


class KnowledgeBase:
    def __init__(self, settings: Settings, store: ChunkStore) -> None:
        self.settings = settings
        self.store = store

    @cached_property
    def embedder(self) -> Embedder:
        # Loaded on first use: listing documents or counting chunks needs no model.
        return load_embedder(self.settings)

    @cached_property
    def keyword(self) -> SharedKeyword:
        """The keyword index and term statistics, saved under data_dir/keyword."""
        language = self.settings.retrieval.language
        return SharedKeyword(self.store, language, self.settings.data_dir / "keyword")

    @cached_property
    def retriever(self) -> HybridRetriever:
        config = self.settings.retrieval
        reranker = (
            CrossEncoderReranker(config.reranker, config.rerank_top) if config.reranker else None
        )
        return HybridRetriever(self.store, self.embedder, config, reranker, self.keyword)

    @cached_property
    def recommendations(self) -> RecommendationStore:
        config = self.settings.recommendations
        return RecommendationStore(
            open_client(self.settings),
            config.collection,
            lambda: self.embedder,
            hidden=self.store.unfinished,
        )

    def search(
        self, query: str, k: int | None = None, filters: Filters | None = None
    ) -> list[SearchHit]:
        return self.search_with_facets(query, k, filters)[0]

    def search_with_facets(
        self, query: str, k: int | None = None, filters: Filters | None = None
    ) -> tuple[list[SearchHit], dict[str, dict[str, int]]]:
        """The top hits, and facet counts over every candidate the query found."""
        if not query.strip():
            raise BadRequestError("the query is empty; type a question or keywords")
        k = k or self.settings.retrieval.k
        hits = self.retriever.candidates(query, k, check_filters(filters))
        return hits[:k], facet_counts(hits)

    @cached_property
    def answerer(self) -> Answerer:
        language = self.settings.retrieval.language
        return Answerer(
            self.settings.answer,
            self.search,
            TermStats(self.keyword),
            lambda: self.embedder,
            language,
            # Status, count and pilot questions go to the recommendation records first.
            route=lambda question, filters: answer_from_records(
                question, self.recommendations.all(), self.search, filters
            ),
        )

    def ask(
        self,
        question: str,
        filters: Filters | None = None,
        history: Sequence[Turn] | None = None,
    ) -> Answer:
        """A verified, cited answer; a follow-up is rewritten from `history` first."""
        if not question.strip():
            raise BadRequestError("the question is empty; type a question")
        return self.answerer.answer(question, check_filters(filters), history)

    def ask_stream(
        self,
        question: str,
        filters: Filters | None = None,
        history: Sequence[Turn] | None = None,
    ) -> Iterator[Event]:
        """The same answer as events: question, sentence..., citations, done."""
        if not question.strip():
            raise BadRequestError("the question is empty; type a question")
        return self.answerer.events(question, check_filters(filters), history)

    def add(self, chunks: Sequence[Chunk], embeddings: np.ndarray) -> None:
        """Store chunks of a document announced by `begin`; they stay invisible until `commit`."""
        self.store.add(chunks, embeddings)

    def begin(self, document_id: str, source: str) -> None:
        """Start writing a new version of `source` (its chunks, then its records)."""
        self.store.begin(document_id, source)

    def commit(self, document: Document) -> None:
        """The document is all stored: show it, and drop its source's older versions."""
        self.store.commit(document)

    def remove(self, source: str, *, rebuild: bool = True) -> None:
        """Drop a file from the index: its chunks and what it said about recommendations.

        `rebuild`: build the keyword index now (an ingest run builds it once at its end)."""
        self.hide(source)
        self.purge(source)
        if rebuild:
            self.keyword.rebuild()

    def hide(self, source: str) -> None:
        """First step of a removal: the file's chunks leave every read at once; until
        `purge`, it is unfinished (a dead process leaves it to `recover`)."""
        self.store.hide(source)

    def purge(self, source: str) -> None:
        """Delete what a hidden or half-written file left: its records, then its chunks."""
        self.recommendations.replace_source(source, [])
        self.store.purge(source)

    def build_keyword(self) -> None:
        """Build the keyword index every reader loads (the writer's last step after a change)."""
        self.keyword.rebuild()

    def recover(self) -> list[str]:
        """Clean the sources whose write or removal a dead process left unfinished."""
        sources = self.store.unfinished()
        for source in sources:
            log.warning("%s was left half indexed (interrupted run); cleaning it", source)
            self.purge(source)
        return sources

    def documents(self) -> list[Document]:
        return self.store.documents()

    def chunks_of(self, document_id: str) -> list[Chunk]:
        """A document's passages in reading order (none if it is not indexed)."""
        return self.store.chunks_of(document_id)

    def warm_up(self) -> dict[str, float]:
        """Load the model, the keyword index and Chroma's vector index side by side, so
        the first question waits for none of them. Returns seconds per part."""

        def timed(load: Callable[[], object]) -> float:
            start = time.perf_counter()
            load()
            return round(time.perf_counter() - start, 1)

        parts: dict[str, Callable[[], object]] = {
            "model": lambda: self.embedder.embed_queries(["diagnostic"]),
            "keyword": self.keyword.current,
            "vectors": self.store.warm,
        }
        with ThreadPoolExecutor(len(parts)) as pool:
            futures = {name: pool.submit(timed, load) for name, load in parts.items()}
            return {name: future.result() for name, future in futures.items()}

    def stats(self) -> dict[str, Any]:
        docs = self.documents()
        return {"documents": len(docs), "chunks": sum(d.chunks for d in docs)}


def build_kb(settings: Settings) -> KnowledgeBase:
    domain.configure(settings.domain.profile)
    return KnowledgeBase(settings, ChunkStore.open(settings))
