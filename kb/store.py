"""The chunk store: one Chroma collection holding chunks, their embeddings and metadata.

Chroma is the single source of truth; documents are derived from their chunks' metadata.
Embeddings are always computed by us and passed in (Chroma's own default would try to
download a model).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from kb.errors import StoreError
from kb.settings import Settings
from kb.types import Chunk, Document, MetaValue, chunk_metadata

log = logging.getLogger(__name__)

Filters = Mapping[str, MetaValue | Sequence[MetaValue]]
_RESERVED = {"document_id", "source", "title", "page", "context"}
_BATCH = 2000


def open_client(settings: Settings):  # type: ignore[no-untyped-def]
    """An embedded PersistentClient, or an HTTP client when a Chroma host is configured."""
    import chromadb
    from chromadb.config import Settings as ChromaConfig

    config = ChromaConfig(anonymized_telemetry=False)
    try:
        if settings.chroma.host:
            return chromadb.HttpClient(
                host=settings.chroma.host, port=settings.chroma.port, settings=config
            )
        settings.chroma_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=config)
    except Exception as exc:  # chromadb raises many types; all mean "store unavailable"
        where = settings.chroma.host or settings.chroma_dir
        raise StoreError(f"cannot open the Chroma store at {where}: {exc}") from exc


def where_clause(filters: Filters | None) -> dict[str, Any] | None:
    """Chroma `where` for {field: value or [values]} (all fields must match)."""
    if not filters:
        return None
    clauses = [
        {key: {"$in": list(value)}} if isinstance(value, list | tuple) else {key: {"$eq": value}}
        for key, value in filters.items()
    ]
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def matches(metadata: Mapping[str, Any], filters: Filters | None) -> bool:
    """Python twin of `where_clause`, for the keyword leg."""
    for key, value in (filters or {}).items():
        allowed = value if isinstance(value, list | tuple) else [value]
        if metadata.get(key) not in allowed:
            return False
    return True


def _chunk(chunk_id: str, text: str, meta: Mapping[str, Any]) -> Chunk:
    return Chunk(
        chunk_id=chunk_id,
        document_id=str(meta["document_id"]),
        source=str(meta["source"]),
        title=str(meta["title"]),
        page=int(meta["page"]),
        text=text,
        context=str(meta.get("context", "")),
        metadata={k: v for k, v in meta.items() if k not in _RESERVED},
    )


class ChunkStore:
    def __init__(self, client: Any, collection: str) -> None:
        self._client = client
        self._collection = client.get_or_create_collection(
            collection,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine"}},
        )

    @classmethod
    def open(cls, settings: Settings) -> ChunkStore:
        return cls(open_client(settings), settings.chroma.collection)

    def count(self) -> int:
        return int(self._collection.count())

    def generation(self) -> int:
        """Bumped by every change, so readers in other processes see when to refresh."""
        fresh = self._client.get_collection(self._collection.name, embedding_function=None)
        return int((fresh.metadata or {}).get("generation", 0))

    def bump_generation(self) -> None:
        self._collection.modify(metadata={"generation": self.generation() + 1})

    def document_id_for(self, source: str) -> str | None:
        """The id of the document currently indexed for `source`, if any."""
        got = self._collection.get(where={"source": source}, limit=1, include=["metadatas"])
        return str(got["metadatas"][0]["document_id"]) if got["ids"] else None

    def source_for(self, document_id: str) -> str | None:
        got = self._collection.get(
            where={"document_id": document_id}, limit=1, include=["metadatas"]
        )
        return str(got["metadatas"][0]["source"]) if got["ids"] else None

    def add(self, chunks: Sequence[Chunk], embeddings: np.ndarray) -> None:
        for start in range(0, len(chunks), _BATCH):
            batch = chunks[start : start + _BATCH]
            self._collection.upsert(
                ids=[c.chunk_id for c in batch],
                documents=[c.text for c in batch],
                metadatas=[chunk_metadata(c) for c in batch],
                embeddings=embeddings[start : start + _BATCH].astype(np.float32),
            )

    def update_document(self, document_id: str, changes: Mapping[str, MetaValue | None]) -> int:
        """Set metadata fields on every chunk of a document (None removes a field); chunks
        changed. Chroma merges the given fields into each chunk's metadata."""
        ids = self._collection.get(where={"document_id": document_id}, include=[])["ids"]
        for start in range(0, len(ids), _BATCH):
            batch = ids[start : start + _BATCH]
            self._collection.update(ids=batch, metadatas=[dict(changes) for _ in batch])
        return len(ids)

    def delete_source(self, source: str, keep_document: str | None = None) -> None:
        """Remove the chunks of `source`, except those of `keep_document` (its new version)."""
        where: dict[str, Any] = {"source": source}
        if keep_document:
            where = {"$and": [where, {"document_id": {"$ne": keep_document}}]}
        self._collection.delete(where=where)

    def query(
        self, embedding: np.ndarray, n: int, filters: Filters | None = None
    ) -> list[tuple[Chunk, float]]:
        """Nearest chunks with their cosine similarity, best first."""
        if self.count() == 0:
            return []
        got = self._collection.query(
            query_embeddings=[embedding.astype(np.float32)],
            n_results=n,
            where=where_clause(filters),
            include=["documents", "metadatas", "distances"],
        )
        return [
            (_chunk(cid, text, meta), 1.0 - float(dist))
            for cid, text, meta, dist in zip(
                got["ids"][0],
                got["documents"][0],
                got["metadatas"][0],
                got["distances"][0],
                strict=True,
            )
        ]

    def iter_chunks(self) -> Iterator[Chunk]:
        """Every chunk, in pages of a few thousand (for the keyword index)."""
        offset = 0
        while True:
            got = self._collection.get(
                include=["documents", "metadatas"], limit=_BATCH, offset=offset
            )
            if not got["ids"]:
                return
            for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
                yield _chunk(cid, text, meta)
            offset += len(got["ids"])

    def documents(self) -> list[Document]:
        docs: dict[str, Document] = {}
        for chunk in self.iter_chunks():
            doc = docs.get(chunk.document_id)
            if doc is None:
                meta = {
                    k: v for k, v in chunk.metadata.items() if k not in ("section", "pages", "kind")
                }
                doc = docs[chunk.document_id] = Document(
                    document_id=chunk.document_id,
                    source=chunk.source,
                    title=chunk.title,
                    pages=int(chunk.metadata.get("pages", chunk.page)),
                    chunks=0,
                    metadata=meta,
                )
            doc.chunks += 1
        return sorted(docs.values(), key=lambda d: d.source)
