"""Recommendation records in a second Chroma collection, next to the chunks.

One entry per recommendation id: the embedding of its title and description (computed by
our embedder), the merged record and every observation it was merged from, as JSON in
the metadata. Re-ingesting a document replaces what that document said, nothing else.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from kb.embed import Embedder
from kb.recommendations.ids import dtp_of, global_numbers
from kb.recommendations.merge import merge, resolve_references
from kb.recommendations.types import Observation, Recommendation
from kb.text import analyze

log = logging.getLogger(__name__)

# Share of title terms a title-only statement must share with a record to be about it.
_SAME_TITLE = 0.6


@dataclass
class _Entry:
    record: Recommendation
    observations: list[Observation]
    text: str
    embedding: np.ndarray | None


class RecommendationStore:
    def __init__(
        self,
        client: Any,
        collection: str,
        embedder: Callable[[], Embedder],
        hidden: Callable[[], Collection[str]] = tuple,
    ) -> None:
        """`hidden`: the sources not completely indexed (being written or removed, or left
        so by a dead process); what they say is left out of every read, as their chunks are."""
        self._client = client
        self._embedder = embedder
        self._hidden = hidden
        self._collection = client.get_or_create_collection(
            collection, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
        )
        self._cache: tuple[int, dict[str, _Entry]] | None = None
        self._view: tuple[tuple[int, frozenset[str]], dict[str, _Entry]] | None = None

    def count(self) -> int:
        return int(self._collection.count())

    def _generation(self) -> int:
        fresh = self._client.get_collection(self._collection.name, embedding_function=None)
        return int((fresh.metadata or {}).get("generation", 0))

    def _entries(self) -> dict[str, _Entry]:
        """Every record as read: one per recommendation, merged from the observations of
        the completely indexed sources, references resolved."""
        generation, stored = self._load()
        key = (generation, frozenset(self._hidden()))
        if self._view and self._view[0] == key:
            return self._view[1]
        visible: dict[str, _Entry] = {}
        for rec_id, entry in stored.items():
            seen = [o for o in entry.observations if o.source.source not in key[1]]
            if not seen:
                continue
            record = (
                entry.record.model_copy(deep=True)
                if len(seen) == len(entry.observations)
                else merge(rec_id, seen)
            )
            visible[rec_id] = dataclasses.replace(entry, record=record, observations=seen)
        view = _unify(visible)
        resolve_references([e.record for e in view.values()])
        self._view = (key, view)
        return view

    def _load(self) -> tuple[int, dict[str, _Entry]]:
        """(generation, stored entries), cached until another writer (or process) bumps
        the generation."""
        generation = self._generation()
        if self._cache and self._cache[0] == generation:
            return self._cache
        got = self._collection.get(include=["documents", "metadatas", "embeddings"])
        entries: dict[str, _Entry] = {}
        embeddings = got.get("embeddings")
        for n, rec_id in enumerate(got["ids"]):
            meta = got["metadatas"][n]
            vector = embeddings[n] if embeddings is not None else None
            entries[rec_id] = _Entry(
                record=Recommendation.model_validate_json(str(meta["record"])),
                observations=[
                    Observation.model_validate(o) for o in json.loads(str(meta["observations"]))
                ],
                text=got["documents"][n] or "",
                embedding=np.asarray(vector, dtype=np.float32) if vector is not None else None,
            )
        self._cache = (generation, entries)
        return self._cache

    def replace_source(self, source: str, observations: Sequence[Observation]) -> int:
        """Replace what `source` says about recommendations by `observations`; records touched."""
        entries = self._load()[1]
        new: dict[str, list[Observation]] = {}
        for obs in observations:
            new.setdefault(obs.rec_id, []).append(obs)
        touched = {
            i for i, e in entries.items() if any(o.source.source == source for o in e.observations)
        }
        touched |= set(new)
        if not touched:
            return 0
        upserts: dict[str, _Entry] = {}
        deleted: list[str] = []
        for rec_id in sorted(touched):
            old = entries.get(rec_id)
            kept = [o for o in (old.observations if old else []) if o.source.source != source]
            merged_obs = sorted(
                kept + new.get(rec_id, []), key=lambda o: o.source.source.split("/")
            )
            if not merged_obs:
                deleted.append(rec_id)
                continue
            record = merge(rec_id, merged_obs)
            text = record.embed_text() or rec_id
            vector = old.embedding if old and old.text == text else None
            upserts[rec_id] = _Entry(record, merged_obs, text, vector)
        stale = [i for i, e in upserts.items() if e.embedding is None]
        if stale:
            vectors = self._embedder().embed_passages([upserts[i].text for i in stale])
            for rec_id, vector in zip(stale, vectors, strict=True):
                upserts[rec_id].embedding = vector
        if deleted:
            self._collection.delete(ids=deleted)
        if upserts:
            ids = list(upserts)
            self._collection.upsert(
                ids=ids,
                documents=[upserts[i].text for i in ids],
                embeddings=np.stack([upserts[i].embedding for i in ids]).astype(np.float32),
                metadatas=[_metadata(upserts[i]) for i in ids],
            )
        self._collection.modify(metadata={"generation": self._generation() + 1})
        log.info("%s: %d recommendations updated, %d removed", source, len(upserts), len(deleted))
        return len(upserts) + len(deleted)

    def all(self) -> list[Recommendation]:
        """Every record, in id order."""
        entries = self._entries()
        return [entries[i].record for i in sorted(entries, key=_sort_key)]

    def get(self, rec_id: str) -> Recommendation | None:
        entry = self._entries().get(rec_id)
        return entry.record if entry else None

    def vectors(self) -> tuple[list[Recommendation], np.ndarray]:
        """Records and their embeddings, rows aligned."""
        entries = self._entries()
        ids = [i for i in sorted(entries, key=_sort_key) if entries[i].embedding is not None]
        if not ids:
            return [], np.empty((0, 0), np.float32)
        return [entries[i].record for i in ids], np.stack([entries[i].embedding for i in ids])


def _same_title(rec_id: str, entries: dict[str, _Entry]) -> str | None:
    """The numbered record of the same DTP whose title a title-only statement restates."""
    dtp, _, slug = rec_id.rpartition("/")
    words = set(slug[1:].split("-"))
    best, score = None, 0.0
    for other, entry in entries.items():
        if other == rec_id or dtp_of(other) != dtp or "/~" in other:
            continue
        title = set(analyze(entry.record.title))
        shared = len(words & title) / max(len(words | title), 1)
        if shared > score:
            best, score = other, shared
    return best if score >= _SAME_TITLE else None


def _unify(entries: dict[str, _Entry]) -> dict[str, _Entry]:
    """One record per recommendation: a record known by its label in one document
    ("PT-2021/fiche-action-1.1") and by its global id in others ("PT-2021-FA1-1") goes under
    the global id; a review's title-only row goes to the record whose title it restates."""
    for rec_id in [i for i in entries if "/" in i]:
        dtp, _, slug = rec_id.rpartition("/")
        if slug.startswith("~"):
            target = _same_title(rec_id, entries)
            if target is None:  # about no known recommendation: not one of its own
                entries.pop(rec_id)
                continue
        else:
            numbers = global_numbers(slug)
            target = next((f"{dtp}-{n}" for n in numbers if f"{dtp}-{n}" in entries), None)
        if target is None:
            continue
        into, gone = entries[target], entries.pop(rec_id)
        into.observations = into.observations + [
            o.model_copy(update={"rec_id": target}) for o in gone.observations
        ]
        into.record = merge(target, into.observations)
    return entries


def _sort_key(rec_id: str) -> tuple[Any, ...]:
    """AB-2020-P2 before AB-2020-P10: numbers compare as numbers."""
    import re

    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", rec_id))


def _metadata(entry: _Entry) -> dict[str, Any]:
    record = entry.record
    flat = {
        "dtp_id": record.dtp_id,
        "theme": record.theme,
        "territory": record.territory,
        "year": record.year or 0,
        "status": record.status or "",
        "record": record.model_dump_json(),
        "observations": json.dumps(
            [o.model_dump() for o in entry.observations], ensure_ascii=False
        ),
    }
    return flat
