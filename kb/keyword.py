"""The keyword artefact: BM25 and term statistics, built once per change of the store and
shared by every process that reads it.

The writer (an ingest, a removal) builds it from the chunks of the complete documents and
saves it beside the store, in a folder per generation:

    data_dir/keyword/<generation>-<token>/   bm25s files, ids.npy, codes.npy, stats.json
    data_dir/keyword/CURRENT                 the name of the live folder, replaced atomically

Readers memory-map it and never read the chunks out of Chroma: a hit's text and metadata
are fetched by id. Documents removed or replaced since the build are masked until the next
build; documents added since are found by the dense leg only, until the writer's build at
the end of its run (a reader never rebuilds a saved artefact: during an ingest every file
changes the store, and N readers rebuilding after each file is the cost this module
removes). Only when no artefact can be loaded (an index from an earlier version) does a
reader build it, once, and save it for the others.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from kb.store import ChunkStore, Filters
from kb.text import analyze
from kb.types import Chunk, indexed_text

log = logging.getLogger(__name__)

FACETS = ("dtp_id", "theme", "territory", "year", "doc_type", "phase")
# Fields the keyword leg can filter on without reading a chunk (the API's filters).
FIELDS = ("document_id", "source", "page", *FACETS, "edition")
CURRENT = "CURRENT"


@dataclass
class Artefact:
    generation: int
    content: int
    bm25: Any  # bm25s.BM25
    ids: np.ndarray  # chunk ids, bytes, in index order
    codes: np.ndarray  # (chunks, FIELDS) index into `values`, -1: no value
    values: dict[str, list[Any]]
    df: dict[str, int]
    n: int
    years: dict[str, list[str]]  # years each document names
    latest: dict[str, int]  # date of each diagnostic's latest document
    name: str = ""

    def facet_values(self) -> dict[str, set[object]]:
        return {f: set(self.values[f]) for f in FACETS}

    def mask(self, filters: Filters | None, visible: set[str] | None) -> np.ndarray | None:
        """Chunks allowed by `filters` and belonging to a `visible` document (None: all)."""
        keep = np.ones(len(self.ids), dtype=bool)
        rules = dict(filters or {})
        if visible is not None:
            rules = {**rules, "__visible": list(visible)}
        if not rules:
            return None
        for key, value in rules.items():
            field = "document_id" if key == "__visible" else key
            if field not in self.values:
                return np.zeros(len(self.ids), dtype=bool)
            allowed = value if isinstance(value, list | tuple | set) else [value]
            codes = [i for i, v in enumerate(self.values[field]) if v in allowed]
            column = self.codes[:, FIELDS.index(field)]
            keep &= np.isin(column, np.asarray(codes, dtype=np.int32))
        return keep


def keyword_text(chunk: Chunk) -> str:
    # The title is searchable too: questions often name the diagnostic.
    return f"{chunk.title}\n{indexed_text(chunk)}"


def build(chunks: Iterable[Chunk], language: str, generation: int, content: int) -> Artefact:
    """BM25, document frequencies and the facet columns, in one pass over the chunks."""
    import bm25s

    from kb.answer.evidence import diagnostic_of, document_date, years

    # bm25s sets its own logger to DEBUG when imported; keep it at the application's level.
    logging.getLogger("bm25s").setLevel(max(logging.getLogger().level, logging.INFO))
    ids: list[str] = []
    # Each chunk's terms as ids into `vocab`: a list of references to one int per term, not
    # a string per occurrence (at a million chunks, gigabytes).
    vocab: dict[str, int] = {}
    corpus: list[list[int]] = []
    df: Counter[str] = Counter()
    values: dict[str, dict[Any, int]] = {f: {} for f in FIELDS}
    codes: list[list[int]] = []
    named: dict[str, set[str]] = {}
    latest: dict[str, int] = {}
    for chunk in chunks:
        ids.append(chunk.chunk_id)
        terms = analyze(keyword_text(chunk), language)
        df.update(set(terms))
        # An empty-token document keeps bm25s happy on empty or stop-word-only chunks.
        corpus.append([vocab.setdefault(term, len(vocab)) for term in terms or [""]])
        meta = {**chunk.metadata, "document_id": chunk.document_id}
        meta |= {"source": chunk.source, "page": chunk.page}
        row = []
        for f in FIELDS:
            value = meta.get(f)
            row.append(-1 if value in (None, "") else values[f].setdefault(value, len(values[f])))
        codes.append(row)
        named.setdefault(chunk.document_id, set()).update(years(f"{chunk.title}\n{chunk.text}"))
        date, key = document_date(chunk), diagnostic_of(chunk)
        if date is not None and date > latest.get(key, 0):
            latest[key] = date
    bm25 = bm25s.BM25()
    if corpus:
        bm25.index((corpus, vocab), show_progress=False)
    log.info("keyword index built over %d chunks", len(ids))
    return Artefact(
        generation=generation,
        content=content,
        bm25=bm25,
        ids=np.array(ids, dtype=np.bytes_),
        codes=np.array(codes, dtype=np.int32).reshape(len(ids), len(FIELDS)),
        values={f: list(v) for f, v in values.items()},
        df=dict(df),
        n=len(ids),
        years={d: sorted(y) for d, y in named.items()},
        latest=latest,
    )


def save(artefact: Artefact, root: Path) -> str:
    """Write the artefact to a new folder under `root` and make it the current one."""
    root.mkdir(parents=True, exist_ok=True)
    name = f"{artefact.generation:09d}-{uuid.uuid4().hex[:8]}"
    tmp = root / f".tmp-{name}"
    if artefact.n:
        artefact.bm25.save(tmp / "bm25", show_progress=False)
    tmp.mkdir(parents=True, exist_ok=True)
    np.save(tmp / "ids.npy", artefact.ids)
    np.save(tmp / "codes.npy", artefact.codes)
    stats = {
        "generation": artefact.generation,
        "content": artefact.content,
        "values": artefact.values,
        "df": artefact.df,
        "n": artefact.n,
        "years": artefact.years,
        "latest": artefact.latest,
    }
    (tmp / "stats.json").write_text(json.dumps(stats, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, root / name)
    pointer = root / f".{CURRENT}-{name}"
    pointer.write_text(name, encoding="utf-8")
    os.replace(pointer, root / CURRENT)
    artefact.name = name
    _prune(root, keep={name, *_newest(root, 2)})
    return name


def _newest(root: Path, n: int) -> list[str]:
    names = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    return names[-n:]


def _prune(root: Path, keep: set[str]) -> None:
    # The previous folder stays: a reader may be opening it. Older ones go.
    for path in root.iterdir():
        if path.is_dir() and path.name not in keep and not path.name.startswith(".tmp"):
            shutil.rmtree(path, ignore_errors=True)


def current_name(root: Path) -> str | None:
    try:
        return (root / CURRENT).read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def load(root: Path, name: str) -> Artefact | None:
    """The artefact saved as `name`, memory-mapped; None if it is gone or unreadable."""
    import bm25s

    folder = root / name
    try:
        stats = json.loads((folder / "stats.json").read_text(encoding="utf-8"))
        bm25 = None
        if stats["n"]:
            bm25 = bm25s.BM25.load(folder / "bm25", mmap=True, show_progress=False)
        ids = np.load(folder / "ids.npy", mmap_mode="r")
        codes = np.load(folder / "codes.npy", mmap_mode="r")
    except (OSError, ValueError, KeyError) as exc:
        log.warning("keyword index %s unreadable (%s); it will be rebuilt", folder, exc)
        return None
    return Artefact(
        generation=int(stats["generation"]),
        content=int(stats["content"]),
        bm25=bm25,
        ids=ids,
        codes=codes,
        values=stats["values"],
        df=stats["df"],
        n=int(stats["n"]),
        years=stats["years"],
        latest={k: int(v) for k, v in stats["latest"].items()},
        name=name,
    )


class SharedKeyword:
    """The current artefact of a store, for a reader (`current`) or the writer (`rebuild`).

    `root` None keeps the artefact in memory only (nothing is saved)."""

    def __init__(self, store: ChunkStore, language: str, root: Path | None) -> None:
        self._store = store
        self.language = language
        self._root = root
        self._lock = threading.Lock()
        self._artefact: Artefact | None = None
        self._visible: tuple[int, set[str] | None] = (-1, None)

    def current(self) -> tuple[Artefact, set[str] | None]:
        """The artefact to search, and the documents still visible (None: all of them)."""
        generation, content = self._store.versions()
        with self._lock:
            art = self._artefact
            if self._root is not None:
                name = current_name(self._root)
                if name and (art is None or art.name != name):
                    art = load(self._root, name) or art
            if art is None or (self._root is None and art.content != content):
                art = self._build_and_save()
            self._artefact = art
            if art.generation == generation:
                return art, None
            if self._visible[0] != generation:
                visible = {d.document_id for d in self._store.documents()}
                self._visible = (generation, visible)
            return art, self._visible[1]

    def rebuild(self) -> Artefact:
        """Build and save the artefact unless the saved one is of the store's generation."""
        generation, _ = self._store.versions()
        with self._lock:
            if self._root is not None:
                name = current_name(self._root)
                saved = load(self._root, name) if name else None
                if saved is not None and saved.generation == generation:
                    self._artefact = saved
                    return saved
            self._artefact = self._build_and_save()
            return self._artefact

    def _build_and_save(self) -> Artefact:
        generation, content = self._store.versions()  # before reading: a later change shows
        art = build(self._store.iter_chunks(), self.language, generation, content)
        if self._root is not None:
            save(art, self._root)
        return art


def chunks_for(store: ChunkStore, ids: list[str]) -> list[Chunk]:
    """The chunks of `ids` still in the store, in the order of `ids`."""
    found: Mapping[str, Chunk] = {c.chunk_id: c for c in store.get(ids)}
    return [found[i] for i in ids if i in found]
