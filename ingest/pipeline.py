"""Files -> parsed pages -> chunks -> embeddings -> the knowledge base, one file at a time.

A file that cannot be read is reported with its reason and skipped; the others go on.
A file whose content has not changed since it was indexed costs one hash and one lookup.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Literal

from ingest.chunking import chunk_document, document_id
from ingest.corrections import correction_for, link_documents
from ingest.manifest import metadata_for
from ingest.metadata import document_metadata
from ingest.parsers import PARSERS, parse
from ingest.recommendations import index_recommendations
from kb.errors import IngestError
from kb.knowledge import KnowledgeBase
from kb.types import indexed_text

log = logging.getLogger(__name__)

Status = Literal["indexed", "unchanged", "removed", "failed"]


@dataclass
class FileResult:
    path: str
    status: Status
    chunks: int = 0
    reason: str | None = None


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)

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


def ingest_file(kb: KnowledgeBase, path: Path) -> FileResult:
    source = str(path)
    if not path.is_file():
        raise IngestError(source, "no such file")
    doc_id = document_id(path)
    if kb.store.document_id_for(source) == doc_id:
        return FileResult(source, "unchanged")
    elsewhere = kb.store.source_for(doc_id)
    if elsewhere and Path(elsewhere).exists():
        raise IngestError(source, f"same content as {elsewhere}, which is already indexed")
    parsed = parse(path)
    meta = document_metadata(
        parsed, metadata_for(path), correction_for(kb.settings, source, doc_id), path
    )
    chunks = chunk_document(parsed, doc_id, source, kb.settings.ingest, meta)
    embeddings = kb.embedder.embed_passages([indexed_text(c) for c in chunks])
    kb.add(chunks, embeddings)
    index_recommendations(kb, parsed, source, doc_id, meta, chunks)
    return FileResult(source, "indexed", chunks=len(chunks))


def ingest_paths(
    kb: KnowledgeBase,
    paths: Iterable[Path],
    on_file: Callable[[FileResult], None] | None = None,
) -> IngestReport:
    """Index the files under `paths`; a folder's indexed files that are gone from it (deleted,
    moved, now ignored) leave the index, so citations never point at a missing file."""
    paths = list(paths)
    report = IngestReport()
    found = discover(paths, kb.settings.ingest.extensions)
    for path in found:
        try:
            result = ingest_file(kb, path)
        except IngestError as exc:
            log.warning("skipped %s: %s", exc.path, exc.reason)
            result = FileResult(exc.path, "failed", reason=exc.reason)
        report.results.append(result)
        if on_file:
            on_file(result)
    for source in _gone(kb, paths, found):
        kb.remove(source)
        log.info("removed %s from the index: no longer in its folder", source)
        report.results.append(FileResult(source, "removed"))
        if on_file:
            on_file(report.results[-1])
    link_documents(kb)  # documents of one DTP share its id, whatever order they came in
    return report


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
