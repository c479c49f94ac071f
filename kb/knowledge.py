"""The knowledge base: the store, the embedder and the retriever, wired once by `build_kb`."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import cached_property
from typing import Any

import numpy as np

from kb.answer import extractive_answer
from kb.embed import Embedder, load_embedder
from kb.errors import BadRequestError
from kb.retrieve import HybridRetriever
from kb.settings import Settings
from kb.store import ChunkStore, Filters
from kb.types import Answer, Chunk, Document, SearchHit

log = logging.getLogger(__name__)

FILTER_FIELDS = (
    "dtp_id", "theme", "territory", "year", "edition", "doc_type", "phase", "document_id",
    "source", "page",
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
    def retriever(self) -> HybridRetriever:
        return HybridRetriever(self.store, self.embedder, self.settings.retrieval)

    def search(
        self, query: str, k: int | None = None, filters: Filters | None = None
    ) -> list[SearchHit]:
        if not query.strip():
            raise BadRequestError("the query is empty; type a question or keywords")
        return self.retriever.search(query, k, check_filters(filters))

    def ask(self, question: str, filters: Filters | None = None) -> Answer:
        filters = check_filters(filters)
        hits = self.search(question, self.settings.answer.passages, filters)
        return extractive_answer(
            question, hits, self.settings.answer, self.settings.retrieval.language, filters
        )

    def add(self, chunks: Sequence[Chunk], embeddings: np.ndarray) -> None:
        """Index the chunks of one new document version, then drop its older versions."""
        self.store.add(chunks, embeddings)
        if chunks:
            self.store.delete_source(chunks[0].source, keep_document=chunks[0].document_id)
        self.store.bump_generation()

    def documents(self) -> list[Document]:
        return self.store.documents()

    def stats(self) -> dict[str, Any]:
        docs = self.documents()
        return {"documents": len(docs), "chunks": sum(d.chunks for d in docs)}


def build_kb(settings: Settings) -> KnowledgeBase:
    return KnowledgeBase(settings, ChunkStore.open(settings))
