"""Documents added, corrected and removed by people: what `POST|PATCH|DELETE /v1/documents`
and the UI's « Documents » tab both call, so the two take one path into the index."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, BinaryIO

from ingest.chunking import document_id
from ingest.corrections import CorrectionStore, correct_document, find_document, validate
from ingest.jobs import Job, JobStore
from ingest.uploads import remove_upload, store_upload
from kb.knowledge import KnowledgeBase
from kb.settings import Settings
from kb.types import Document, MetaValue


def store_files(
    settings: Settings, files: list[tuple[BinaryIO, str | None]]
) -> list[tuple[Path, str]]:
    """Copy uploaded files under the uploads folder, checked by content: (path, document id).

    Raises TooLargeError or UnsupportedTypeError on the first file refused."""
    limit = settings.api.max_upload_mb * 2**20
    stored = []
    for stream, name in files:
        path = store_upload(settings.data_dir, stream, name, limit)
        stored.append((path, document_id(path)))
    return stored


def queue_files(
    settings: Settings,
    jobs: JobStore,
    stored: list[tuple[Path, str]],
    facets: dict[str, Any] | None,
    submitter: str | None,
) -> Job:
    """Record the facets given over the inferred ones ("" clears one) as a correction of
    each stored file, kept on every re-ingest, and queue their ingestion."""
    if facets:
        checked = validate(facets)
        corrections = CorrectionStore(settings.data_dir)
        for path, doc_id in stored:
            corrections.save(str(path), doc_id, checked)
    return jobs.create(list(stored), submitter)


def correct(
    kb: KnowledgeBase, lock: threading.Lock, key: str, facets: dict[str, MetaValue | None]
) -> Document:
    """Correct a document's facets (None or "" clears one); applied at once, kept on re-ingest."""
    find_document(kb, key)  # not found before anything is written
    with lock:
        return correct_document(kb, key, {k: ("" if v is None else v) for k, v in facets.items()})


def delete(kb: KnowledgeBase, lock: threading.Lock, key: str) -> Document:
    """Remove a document: its passages, its recommendation records and its uploaded file."""
    doc = find_document(kb, key)
    with lock:
        kb.remove(doc.source)
        remove_upload(kb.settings.data_dir, doc.source)
    return doc
