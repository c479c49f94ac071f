"""Files -> parsed pages -> chunks -> embeddings -> the knowledge base.

A file that cannot be read is reported with its reason and skipped; the others go on.
Each file is read and chunked in a child process with a time and a memory limit
(`ingest.sandbox`); `ingest.parse_workers` files are read ahead while the model embeds
the files read before, and the passages of consecutive small files are embedded together.
Files are still stored one by one, in order. A file whose content has not changed since it
was completely indexed costs one hash and one lookup. A document is written in a fixed
order (announced, chunks, recommendation records, then made visible), so a run that dies
half way leaves nothing visible that the next run does not clean and redo.
"""

from __future__ import annotations

import fcntl
import logging
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Any, Literal, TypeVar

import numpy as np

from ingest.chunking import chunk_document, document_id
from ingest.corrections import correction_for, link_documents
from ingest.manifest import metadata_for
from ingest.metadata import document_metadata
from ingest.parsers import PARSERS, ParsedDocument, parse
from ingest.recommendations import index_recommendations
from ingest.sandbox import Sandbox, refuse_in_child
from kb.errors import IngestError, KBError
from kb.knowledge import KnowledgeBase
from kb.settings import IngestSettings
from kb.store import document_of
from kb.types import Chunk, MetaValue, indexed_text

log = logging.getLogger(__name__)

Status = Literal["indexed", "unchanged", "removed", "failed"]
T = TypeVar("T")


@dataclass
class FileResult:
    path: str
    status: Status
    chunks: int = 0
    reason: str | None = None
    pages: int = 0


# Where an ingest run's time goes: waiting for a file to be read (parsing runs ahead, so
# this is the wait, not the parsers' time), embedding, writing to the store, and the
# run's last steps (removals, DTP links, the keyword index).
PHASES = ("parse", "embed", "store", "finish")


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(PHASES, 0.0))
    pages: int = 0  # pages of the files indexed

    @contextmanager
    def timed(self, phase: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[phase] += time.perf_counter() - start

    def count(self, status: Status) -> int:
        return sum(r.status == status for r in self.results)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]


IGNORE_FILE = ".dtpkbignore"


def _ignored(folder: Path) -> list[str]:
    """Glob patterns of a folder's `.dtpkbignore` (one a line, `#` comments; `dir/` a folder)."""
    ignore = folder / IGNORE_FILE
    if not ignore.is_file():
        return []
    lines = (line.strip() for line in ignore.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _skip(relative: Path, patterns: list[str]) -> bool:
    parts = relative.parts
    for pattern in patterns:
        if pattern.endswith("/"):
            if any(fnmatch(p, pattern.rstrip("/")) for p in parts[:-1]):
                return True
        elif fnmatch(relative.as_posix(), pattern) or fnmatch(relative.name, pattern):
            return True
    return False


def discover(paths: Iterable[Path], extensions: Iterable[str]) -> list[Path]:
    """Files named directly, and files with a known extension under named folders.

    Under a folder, hidden files and what its `.dtpkbignore` lists are left out.
    """
    wanted = {e.lower() for e in extensions} & set(PARSERS)
    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        patterns = _ignored(path)
        found += sorted(
            p
            for p in path.rglob("*")
            if p.is_file()
            and p.suffix.lower() in wanted
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
            and not _skip(p.relative_to(path), patterns)
        )
    return list(dict.fromkeys(p.resolve() for p in found))


Prepared = tuple[ParsedDocument, dict[str, MetaValue], list[Chunk]]


def prepare(
    path: Path, doc_id: str, settings: IngestSettings, correction: dict[str, MetaValue]
) -> Prepared:
    """Parse and chunk one file (run in the sandbox: this is where hostile input bites)."""
    parsed = parse(path)
    meta = document_metadata(parsed, metadata_for(path), correction, path)
    chunks = chunk_document(parsed, doc_id, str(path), settings, meta)
    if not chunks:
        raise IngestError(str(path), "aucun passage à indexer")
    if len(chunks) > settings.max_chunks:
        raise IngestError(
            str(path),
            f"trop long : {len(chunks)} passages, plus que {settings.max_chunks} "
            "(ingest.max_chunks) ; découpez-le",
        )
    return parsed, meta, chunks


def _embed(kb: KnowledgeBase, chunks: list[Chunk]) -> np.ndarray:
    """Embeddings of the chunks; a text repeated (the same page again and again) once."""
    texts = [indexed_text(c) for c in chunks]
    unique = list(dict.fromkeys(texts))
    vectors = kb.embedder.embed_passages(unique)
    row = {text: n for n, text in enumerate(unique)}
    return np.asarray(vectors)[[row[t] for t in texts]]


def _crash_here(settings: IngestSettings, point: str) -> None:
    """Tests only (`ingest.crash_at`): die as a power cut would, with no clean-up."""
    if settings.crash_at == point:
        log.warning("ingest.crash_at=%s: killing this process", point)
        os.kill(os.getpid(), signal.SIGKILL)


def _plan(kb: KnowledgeBase, path: Path, claimed: dict[str, str]) -> tuple[str, dict] | None:
    """The document id and correction of a file to index; None if it is unchanged.

    `claimed`: document ids of this run's files so far, so a copy is refused even before
    the first one is stored."""
    source = str(path)
    if not path.is_file():
        raise IngestError(source, "fichier introuvable")
    doc_id = document_id(path)
    if kb.store.document_id_for(source) == doc_id:
        return None
    elsewhere = claimed.get(doc_id) or kb.store.source_for(doc_id)
    if elsewhere and elsewhere != source and Path(elsewhere).exists():
        raise IngestError(source, f"même contenu que {elsewhere}, déjà indexé")
    claimed[doc_id] = source
    return doc_id, correction_for(kb.settings, source, doc_id)


def _store(kb: KnowledgeBase, prepared: Prepared, embeddings: np.ndarray) -> FileResult:
    parsed, meta, chunks = prepared
    config = kb.settings.ingest
    doc_id, source = chunks[0].document_id, chunks[0].source
    kb.begin(doc_id, source)
    for start in range(0, len(chunks), config.write_batch):
        if start:
            _crash_here(config, "between_batches")
        end = start + config.write_batch
        kb.add(chunks[start:end], embeddings[start:end])
    _crash_here(config, "after_chunks")
    index_recommendations(kb, parsed, source, doc_id, meta, chunks)
    kb.commit(document_of(chunks))
    return FileResult(source, "indexed", chunks=len(chunks), pages=len(parsed.pages))


def ingest_file(kb: KnowledgeBase, path: Path, sandbox: Sandbox | None = None) -> FileResult:
    """Index one file (no clean-up, removal or keyword build: see `ingest_paths`)."""
    refuse_in_child()
    config = kb.settings.ingest
    planned = _plan(kb, path, {})
    if planned is None:
        return FileResult(str(path), "unchanged")
    doc_id, correction = planned
    with Sandbox(config.parse_timeout, config.parse_memory_mb) as own:
        box = sandbox or own
        prepared = box.run(str(path), prepare, path, doc_id, config, correction)
    return _store(kb, prepared, _embed(kb, prepared[2]))


Outcome = FileResult | Future[Prepared]


def _read_ahead(
    kb: KnowledgeBase, found: list[Path], sandbox: Sandbox, ahead: int
) -> Iterator[tuple[Path, Outcome]]:
    """Each file with its outcome, in order: a result already (unchanged, refused) or the
    future of its parse, started up to `ahead` files before it is needed."""
    config = kb.settings.ingest
    claimed: dict[str, str] = {}
    queue: deque[tuple[Path, Outcome]] = deque()
    files = iter(found)
    while True:
        while sum(isinstance(o, Future) for _, o in queue) < ahead:
            path = next(files, None)
            if path is None:
                break
            try:
                planned = _plan(kb, path, claimed)
            except IngestError as exc:
                queue.append((path, FileResult(exc.path, "failed", reason=exc.reason)))
                continue
            if planned is None:
                queue.append((path, FileResult(str(path), "unchanged")))
                continue
            doc_id, correction = planned
            future = sandbox.submit(str(path), prepare, path, doc_id, config, correction)
            queue.append((path, future))
        if not queue:
            return
        yield queue.popleft()


def ingest_paths(
    kb: KnowledgeBase,
    paths: Iterable[Path],
    on_file: Callable[[FileResult], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> IngestReport:
    """Index the files under `paths`; a folder's indexed files that are gone from it (deleted,
    moved, now ignored) leave the index, so citations never point at a missing file.

    First, what an interrupted run left half written is cleaned (and so redone below).
    One ingestion runs at a time over one data directory (`dtp-kb ingest`, the API's job
    worker): a second one waits, so it never cleans the first one's document as "left half
    written". `stop` is asked before each file: once it says so, the files left are not
    read (the run still ends cleanly, keyword index built)."""
    refuse_in_child()
    with one_writer(kb.settings.data_dir):
        return _ingest_paths(kb, list(paths), on_file, stop)


@contextmanager
def one_writer(data_dir: Path) -> Iterator[None]:
    """Hold the ingestion lock of `data_dir` (a lock file, freed when the process dies)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / "ingest.lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning("another ingestion is running over %s: waiting for it to end", data_dir)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _ingest_paths(
    kb: KnowledgeBase,
    paths: list[Path],
    on_file: Callable[[FileResult], None] | None,
    stop: Callable[[], bool] | None = None,
) -> IngestReport:
    report = IngestReport()
    kb.recover()
    found = discover(paths, kb.settings.ingest.extensions)
    config = kb.settings.ingest

    def done(result: FileResult) -> None:
        report.results.append(result)
        if on_file:
            on_file(result)

    batch: list[tuple[Path, Prepared]] = []

    def flush() -> None:
        """Embed the gathered files' passages in one call, then store the files in order."""
        if not batch:
            return
        with report.timed("embed"):
            embeddings = _embed(kb, [c for _, (_, _, chunks) in batch for c in chunks])
        offset = 0
        for path, prepared in batch:
            size = len(prepared[2])
            with report.timed("store"):
                vectors = embeddings[offset : offset + size]
                result = _guarded(kb, path, _store, kb, prepared, vectors)
            offset += size
            if result.status == "indexed":
                report.pages += len(prepared[0].pages)
            done(result)
        batch.clear()

    workers = config.parse_workers
    with Sandbox(config.parse_timeout, config.parse_memory_mb, workers) as sandbox:
        for path, outcome in _read_ahead(kb, found, sandbox, workers + 1):
            if stop is not None and stop():
                log.info("ingestion stopped before %s", path)
                break
            if isinstance(outcome, FileResult):
                flush()  # results keep the files' order
                _log_failure(outcome)
                done(outcome)
                continue
            with report.timed("parse"):
                result = _guarded(kb, path, outcome.result)
            if isinstance(result, FileResult):
                flush()
                done(result)
                continue
            batch.append((path, result))
            if sum(len(chunks) for _, (_, _, chunks) in batch) >= config.embed_batch:
                flush()
        flush()
    with report.timed("finish"):
        for source in _gone(kb, paths, found):
            kb.hide(source)
            _crash_here(config, "while_removing")
            kb.purge(source)
            log.info("removed %s from the index: no longer in its folder", source)
            done(FileResult(source, "removed"))
        link_documents(kb)  # documents of one DTP share its id, whatever order they came in
        kb.build_keyword()  # once for the whole run: readers load it instead of rebuilding it
    return report


def _log_failure(result: FileResult) -> None:
    if result.status == "failed":
        log.warning("skipped %s: %s", result.path, result.reason)


def _guarded(kb: KnowledgeBase, path: Path, step: Callable[..., T], *args: Any) -> T | FileResult:
    """`step(*args)`, or the file's failure: refused, or a bug that must not end the run."""
    try:
        return step(*args)
    except IngestError as exc:
        result = FileResult(exc.path, "failed", reason=exc.reason)
    except KBError:
        raise  # the store or the model is unavailable: no use going on
    except Exception as exc:  # a bug on one file must not end the run
        log.exception("failed on %s", path)
        kb.recover()  # what this file left half written
        reason = f"erreur interne pendant son indexation ({type(exc).__name__} : {exc})"
        result = FileResult(str(path), "failed", reason=reason)
    _log_failure(result)
    return result


def _gone(kb: KnowledgeBase, paths: list[Path], found: list[Path]) -> list[str]:
    """Indexed sources under the folders of `paths` that are not among the `found` files."""
    folders = [p.resolve() for p in paths if p.is_dir()]
    if not folders:
        return []
    present = {str(p) for p in found}
    return sorted(
        doc.source
        for doc in kb.documents()
        if doc.source not in present
        and any(Path(doc.source).is_relative_to(folder) for folder in folders)
    )
