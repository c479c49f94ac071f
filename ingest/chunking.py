"""Page texts -> chunks, never across a page boundary, so each chunk has one page."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from kb.settings import IngestSettings
from kb.types import Chunk, MetaValue
from ingest.parsers import ParsedDocument


def document_id(path: Path) -> str:
    """Content hash: the same bytes are the same document, wherever they lie."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:24]


@lru_cache(maxsize=4)
def _splitter(chunk_size: int, chunk_overlap: int):  # type: ignore[no-untyped-def]
    from llama_index.core.node_parser import SentenceSplitter

    return SentenceSplitter(chunk_size=chunk_size, chunk_overlap=chunk_overlap)


def chunk_document(
    parsed: ParsedDocument,
    doc_id: str,
    source: str,
    settings: IngestSettings,
    metadata: dict[str, MetaValue] | None = None,
) -> list[Chunk]:
    splitter = _splitter(settings.chunk_size, min(settings.chunk_overlap, settings.chunk_size // 2))
    meta = {**parsed.metadata, **(metadata or {}), "pages": len(parsed.pages)}
    chunks: list[Chunk] = []
    for page_number, page_text in enumerate(parsed.pages, start=1):
        if not page_text.strip():
            continue
        for text in splitter.split_text(page_text):
            chunks.append(
                Chunk(
                    chunk_id=f"{doc_id}-{len(chunks):05d}",
                    document_id=doc_id,
                    source=source,
                    title=parsed.title,
                    page=page_number,
                    text=text,
                    metadata=meta,
                )
            )
    return chunks
