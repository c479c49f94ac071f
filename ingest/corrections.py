"""A person's corrections of document metadata, kept across re-ingests.

Corrections live in `<data_dir>/corrections.json`, one entry per document, keyed by both its
path and its content hash: a moved file (same content) and an edited file (same path) keep
their correction. Applied last when a document is indexed (`ingest.metadata.
document_metadata`), and at once, when made, to the indexed chunks and to the document's
recommendation records.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ingest.metadata import FACETS, apply_correction, link_dtps
from kb.domain import profile
from kb.errors import BadRequestError, NotFoundError
from kb.knowledge import KnowledgeBase
from kb.settings import Settings
from kb.types import Document, MetaValue

log = logging.getLogger(__name__)

FILE = "corrections.json"
# Fields of a document's metadata that inference, linking or a correction may change.
TRACKED = (*FACETS, "metadata_sources", "metadata_method")


class CorrectionStore:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / FILE

    def _read(self) -> list[dict[str, Any]]:
        if not self.path.is_file():
            return []
        try:
            return list(json.loads(self.path.read_text(encoding="utf-8"))["corrections"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise BadRequestError(
                f"the corrections file {self.path} is unreadable ({exc}); fix or remove it"
            ) from exc

    def _write(self, entries: list[dict[str, Any]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole to a temporary file, then renamed: a crash never leaves half a file.
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".corrections-")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"corrections": entries}, f, ensure_ascii=False, indent=2)
        os.replace(tmp, self.path)

    def _find(self, entries: list[dict[str, Any]], source: str, document_id: str) -> int | None:
        by_content = [i for i, e in enumerate(entries) if e["document_id"] == document_id]
        by_path = [i for i, e in enumerate(entries) if e["source"] == source]
        found = by_content or by_path
        return found[0] if found else None

    def get(self, source: str, document_id: str) -> dict[str, MetaValue]:
        """The facets corrected for this file (same content anywhere, or same path)."""
        entries = self._read()
        at = self._find(entries, source, document_id)
        return dict(entries[at]["facets"]) if at is not None else {}

    def save(self, source: str, document_id: str, facets: dict[str, MetaValue]) -> dict:
        """Merge `facets` into the document's correction; the whole correction."""
        entries = self._read()
        at = self._find(entries, source, document_id)
        merged = {**(entries[at]["facets"] if at is not None else {}), **facets}
        entry = {
            "source": source,
            "document_id": document_id,
            "facets": merged,
            "updated": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        if at is None:
            entries.append(entry)
        else:
            entries[at] = entry
        self._write(entries)
        return merged


def correction_for(settings: Settings, source: str, document_id: str) -> dict[str, MetaValue]:
    return CorrectionStore(settings.data_dir).get(source, document_id)


def validate(facets: dict[str, Any]) -> dict[str, MetaValue]:
    """Facets as stored: known names, known values for the closed ones, years as numbers;
    an empty value ("" or null) clears a facet."""
    p = profile()
    allowed = {
        "theme": [t.value for t in p.themes],
        "doc_type": [d.value for d in p.doc_types],
        "phase": list(p.phases),
    }
    out: dict[str, MetaValue] = {}
    for facet, value in facets.items():
        if facet not in FACETS:
            raise BadRequestError(f"unknown facet '{facet}'; facets: {', '.join(FACETS)}")
        if value is None or (isinstance(value, str) and not value.strip()):
            out[facet] = ""
        elif facet in ("year", "edition"):
            try:
                out[facet] = int(value)
            except (TypeError, ValueError):
                raise BadRequestError(f"{facet} must be a number, not '{value}'") from None
            if facet == "year" and not 1900 <= int(value) <= 2100:
                raise BadRequestError(f"year {value} is not a plausible year")
        elif facet in allowed and str(value) not in allowed[facet]:
            raise BadRequestError(
                f"{facet} '{value}' is unknown; values: {', '.join(allowed[facet])}"
            )
        elif isinstance(value, str | int | float | bool):
            out[facet] = " ".join(str(value).split()) if isinstance(value, str) else value
        else:
            raise BadRequestError(f"{facet} must be a text or a number")
    if not out:
        raise BadRequestError("nothing to correct: give at least one facet")
    return out


def find_document(kb: KnowledgeBase, key: str) -> Document:
    """A document by its id or by the path of its file."""
    docs = kb.documents()
    try:
        path = str(Path(key).expanduser().resolve())
    except (RuntimeError, OSError, ValueError):  # '~nobody', a NUL byte: not a path of ours
        path = key
    for doc in docs:
        if key in (doc.document_id, doc.source) or doc.source == path:
            return doc
    raise NotFoundError(f"no indexed document has the id or path '{key}' (see dtp-kb documents)")


def correct_document(kb: KnowledgeBase, key: str, facets: dict[str, Any]) -> Document:
    """Record a correction and apply it at once to the document's chunks and records."""
    doc = find_document(kb, key)
    correction = CorrectionStore(kb.settings.data_dir).save(
        doc.source, doc.document_id, validate(facets)
    )
    _update(kb, doc, apply_correction(doc.metadata, correction))
    kb.build_keyword()  # the keyword leg filters on the facets it was built with
    return find_document(kb, doc.document_id)


def link_documents(kb: KnowledgeBase) -> int:
    """Give the indexed documents of one DTP the same DTP (see `link_dtps`); documents changed.

    Run after an ingest: a tracker indexed before its livret gets the livret's DTP too.
    """
    docs = kb.documents()
    changed = 0
    for doc, meta in zip(docs, link_dtps([d.metadata for d in docs]), strict=True):
        if any(meta.get(k) != doc.metadata.get(k) for k in TRACKED):
            _update(kb, doc, meta)
            changed += 1
    return changed


def _update(kb: KnowledgeBase, doc: Document, meta: dict[str, MetaValue]) -> None:
    changes = {k: meta.get(k) for k in TRACKED if meta.get(k) != doc.metadata.get(k)}
    if not changes:
        return
    kb.store.update_document(doc.document_id, changes)
    kb.store.bump_generation()
    log.info("%s: metadata now %s", doc.source, {k: v for k, v in changes.items()})
    _reindex_records(kb, doc, meta)


def _reindex_records(kb: KnowledgeBase, doc: Document, meta: dict[str, MetaValue]) -> None:
    """The document's recommendation records carry its facets: read them again with the new
    ones (the file is parsed again; nothing is re-embedded unless a record's text changed)."""
    from ingest.parsers import parse
    from ingest.recommendations import index_recommendations
    from ingest.sandbox import Sandbox

    path = Path(doc.source)
    if not path.is_file():
        log.warning("%s is gone: its recommendation records keep their old facets", path)
        return
    config = kb.settings.ingest
    with Sandbox(config.parse_timeout, config.parse_memory_mb) as sandbox:
        parsed = sandbox.run(doc.source, parse, path)  # bounded, like the first reading
    chunks = kb.store.chunks_of(doc.document_id)
    index_recommendations(kb, parsed, doc.source, doc.document_id, meta, chunks)
