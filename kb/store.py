"""The chunk store: one Chroma collection holding chunks, their embeddings and metadata.

Chroma is the single source of truth. Next to the chunks, a small collection holds one
marker per document, written last: a document is visible (to queries, to the keyword
index, to the list of documents, to the "unchanged" test) only once its marker says
"done", so a crash never leaves half a document in sight. A marker still "writing" or
"removing" names a source the next ingest run cleans and redoes (`unfinished`, `purge`).
Markers live in Chroma itself, so this holds with an embedded store and a `chroma run`
server alike. Embeddings are always computed by us and passed in (Chroma's own default
would try to download a model).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Literal

import numpy as np

from kb.errors import StoreError
from kb.settings import Settings
from kb.types import Chunk, Document, MetaValue, chunk_metadata

log = logging.getLogger(__name__)

Filters = Mapping[str, MetaValue | Sequence[MetaValue]]
_RESERVED = {"document_id", "source", "title", "page", "context"}
_BATCH = 2000
_DONE, _WRITING, _REMOVING = "done", "writing", "removing"
MarkerState = Literal["done", "writing", "removing"]


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


def document_of(chunks: Sequence[Chunk]) -> Document:
    """The document the chunks of one file make up (its facts are on every chunk)."""
    first = chunks[0]
    meta = {k: v for k, v in first.metadata.items() if k not in ("section", "pages", "kind")}
    return Document(
        document_id=first.document_id,
        source=first.source,
        title=first.title,
        pages=int(first.metadata.get("pages", first.page)),  # type: ignore[arg-type]
        chunks=len(chunks),
        metadata=meta,
    )


class ChunkStore:
    def __init__(self, client: Any, collection: str) -> None:
        self._client = client
        self._collection = client.get_or_create_collection(
            collection,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine"}},
        )
        markers = f"{collection}_documents"
        existing = {c if isinstance(c, str) else c.name for c in client.list_collections()}
        self._markers = client.get_or_create_collection(markers, embedding_function=None)
        if markers not in existing and self.count():
            self._adopt()

    def _adopt(self) -> None:
        """An index made before markers existed: its documents were complete by then."""
        docs: dict[str, list[Chunk]] = {}
        for chunk in self._all_chunks():
            docs.setdefault(chunk.document_id, []).append(chunk)
        self._mark([(document_of(chunks), _DONE) for chunks in docs.values()])
        log.info("index from an earlier version: %d documents marked complete", len(docs))

    # --- markers -----------------------------------------------------------------------
    def _mark(self, entries: Sequence[tuple[Document, MarkerState]]) -> None:
        """Write markers in one call (one transaction: readers see all or none of them)."""
        if not entries:
            return
        self._markers.upsert(
            ids=[doc.document_id for doc, _ in entries],
            embeddings=[[0.0] for _ in entries],  # a marker is looked up by id, never by vector
            metadatas=[
                {
                    "source": doc.source,
                    "state": state,
                    "title": doc.title,
                    "pages": doc.pages,
                    "chunks": doc.chunks,
                    "metadata": json.dumps(doc.metadata, ensure_ascii=False),
                }
                for doc, state in entries
            ],
        )

    def _markers_where(
        self, where: dict[str, Any] | None = None, ids: list[str] | None = None
    ) -> list[tuple[Document, str]]:
        got = self._markers.get(ids=ids, where=where, include=["metadatas"])
        return [
            (
                Document(
                    document_id=doc_id,
                    source=str(meta["source"]),
                    title=str(meta.get("title", "")),
                    pages=int(meta.get("pages", 0)),
                    chunks=int(meta.get("chunks", 0)),
                    metadata=json.loads(str(meta.get("metadata") or "{}")),
                ),
                str(meta["state"]),
            )
            for doc_id, meta in zip(got["ids"], got["metadatas"], strict=True)
        ]

    def _completed(self) -> dict[str, Document]:
        return {d.document_id: d for d, state in self._markers_where() if state == _DONE}

    def begin(self, document_id: str, source: str) -> None:
        """Announce a document's write: until `commit`, it is unfinished and invisible."""
        doc = Document(document_id=document_id, source=source, title="", pages=0, chunks=0)
        self._mark([(doc, _WRITING)])

    def commit(self, document: Document) -> None:
        """Make `document` visible and retire its source's older versions, in this order."""
        older = [
            d
            for d, _ in self._markers_where({"source": document.source})
            if d.document_id != document.document_id
        ]
        # One call: the new version appears as the old ones disappear.
        self._mark([(document, _DONE)] + [(d, _REMOVING) for d in older])
        if older:
            where = {
                "$and": [
                    {"source": document.source},
                    {"document_id": {"$ne": document.document_id}},
                ]
            }
            self._collection.delete(where=where)
            self._markers.delete(ids=[d.document_id for d in older])
        self.bump_generation()

    def hide(self, source: str) -> None:
        """First step of removing a source: its documents disappear from every read."""
        self._mark([(d, _REMOVING) for d, _ in self._markers_where({"source": source})])
        self.bump_generation(content=False)

    def purge(self, source: str) -> None:
        """Delete every chunk and marker of `source` (after `hide`, or to clean a crash)."""
        self._collection.delete(where={"source": source})
        self._markers.delete(where={"source": source})
        self.bump_generation(content=False)

    def unfinished(self) -> list[str]:
        """Sources whose write or removal has not finished: under way, or its process died."""
        got = self._markers.get(where={"state": {"$ne": _DONE}}, include=["metadatas"])
        return sorted({str(meta["source"]) for meta in got["metadatas"]})

    @classmethod
    def open(cls, settings: Settings) -> ChunkStore:
        return cls(open_client(settings), settings.chroma.collection)

    def count(self) -> int:
        return int(self._collection.count())

    def warm(self) -> None:
        """Have Chroma load the vector index now (it does on the first query): one query
        with a stored vector, so no model is needed."""
        stored = self._collection.get(limit=1, include=["embeddings"])["embeddings"]
        if stored is not None and len(stored):
            self._collection.query(query_embeddings=[stored[0]], n_results=1)

    def generation(self) -> int:
        """Bumped by every change, so readers in other processes see when to refresh."""
        return self.versions()[0]

    def versions(self) -> tuple[int, int]:
        """(generation, content): the second counts only the changes that add or alter
        chunks, not removals (a keyword index stays usable after a removal, masked)."""
        fresh = self._client.get_collection(self._collection.name, embedding_function=None)
        meta = fresh.metadata or {}
        return int(meta.get("generation", 0)), int(meta.get("content", 0))

    def bump_generation(self, content: bool = True) -> None:
        generation, changes = self.versions()
        changes += content
        self._collection.modify(metadata={"generation": generation + 1, "content": changes})

    def document_id_for(self, source: str) -> str | None:
        """The id of the document completely indexed for `source`, if any."""
        markers = self._markers_where({"source": source})
        if any(state != _DONE for _, state in markers):
            return None
        return markers[0][0].document_id if markers else None

    def source_for(self, document_id: str) -> str | None:
        got = self._markers.get(ids=[document_id], include=["metadatas"])
        if not got["ids"] or got["metadatas"][0]["state"] != _DONE:
            return None
        return str(got["metadatas"][0]["source"])

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
        # The list of documents is read from the markers: they follow.
        for doc, state in self._markers_where(ids=[document_id]):
            meta = {**doc.metadata, **changes}
            doc.metadata = {k: v for k, v in meta.items() if v is not None}
            self._mark([(doc, state)])  # type: ignore[list-item]
        return len(ids)

    def query(
        self, embedding: np.ndarray, n: int, filters: Filters | None = None
    ) -> list[tuple[Chunk, float]]:
        """Nearest chunks with their cosine similarity, best first.

        The documents not complete are left out by id (there are few: those being written
        or removed), then each hit's document is checked again, since one may have begun
        or ended meanwhile. Listing the complete ones instead costs a clause of thousands
        of ids on a large index."""
        unfinished = self._markers.get(where={"state": {"$ne": _DONE}}, include=[])["ids"]
        clauses = [where_clause(filters)]
        if unfinished:
            clauses.append({"document_id": {"$nin": unfinished}})
        clauses = [c for c in clauses if c]
        got = self._collection.query(
            query_embeddings=[embedding.astype(np.float32)],
            n_results=n,
            where={"$and": clauses} if len(clauses) > 1 else clauses[0] if clauses else None,
            include=["documents", "metadatas", "distances"],
        )
        hits = [
            (_chunk(cid, text, meta), 1.0 - float(dist))
            for cid, text, meta, dist in zip(
                got["ids"][0],
                got["documents"][0],
                got["metadatas"][0],
                got["distances"][0],
                strict=True,
            )
        ]
        done = self._done({c.document_id for c, _ in hits})
        return [(c, score) for c, score in hits if c.document_id in done]

    def _done(self, document_ids: set[str]) -> set[str]:
        """Those of `document_ids` whose marker says complete."""
        if not document_ids:
            return set()
        got = self._markers.get(ids=list(document_ids), include=["metadatas"])
        return {
            doc_id
            for doc_id, meta in zip(got["ids"], got["metadatas"], strict=True)
            if meta["state"] == _DONE
        }

    def get(self, ids: Sequence[str]) -> list[Chunk]:
        """The stored chunks of `ids` (those still there), in no particular order."""
        if not ids:
            return []
        got = self._collection.get(ids=list(ids), include=["documents", "metadatas"])
        return [
            _chunk(cid, text, meta)
            for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        ]

    def vectors(self, ids: Sequence[str]) -> np.ndarray:
        """The stored embeddings of `ids`, in the order of `ids` (all must exist)."""
        got = self._collection.get(ids=list(ids), include=["embeddings"])
        row = {cid: n for n, cid in enumerate(got["ids"])}
        return np.asarray(got["embeddings"], dtype=np.float32)[[row[i] for i in ids]]

    def _all_chunks(self) -> Iterator[Chunk]:
        """Every stored chunk, finished or not, in pages of a few thousand."""
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

    def iter_chunks(self) -> Iterator[Chunk]:
        """Every chunk of the complete documents (for the keyword index).

        Read a few documents at a time, each whole: a document that is being replaced or
        removed while we read is left out rather than half read."""
        batch: list[Document] = []
        for doc in [*self.documents(), None]:
            if doc is not None:
                batch.append(doc)
                if sum(d.chunks for d in batch) < _BATCH:
                    continue
            if not batch:
                return
            got = self._collection.get(
                where={"document_id": {"$in": [d.document_id for d in batch]}},
                include=["documents", "metadatas"],
            )
            by_document: dict[str, list[Chunk]] = {}
            for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
                by_document.setdefault(str(meta["document_id"]), []).append(_chunk(cid, text, meta))
            for d in batch:
                chunks = by_document.get(d.document_id, [])
                if len(chunks) == d.chunks:
                    yield from sorted(chunks, key=lambda c: c.chunk_id)
            batch = []

    def chunks_of(self, document_id: str) -> list[Chunk]:
        """The chunks of a completely indexed document, in reading order."""
        if self.source_for(document_id) is None:
            return []
        got = self._collection.get(
            where={"document_id": document_id}, include=["documents", "metadatas"]
        )
        chunks = [
            _chunk(cid, text, meta)
            for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        ]
        return sorted(chunks, key=lambda c: c.chunk_id)

    def documents(self) -> list[Document]:
        """The completely indexed documents, by source."""
        return sorted(self._completed().values(), key=lambda d: d.source)
