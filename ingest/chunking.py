"""Blocks -> chunks. A chunk never crosses a page or a section; a table row is one chunk.

A chunk's `text` is a verbatim span of its page (what a citation quotes); its `context`
(section path, and a row's "Header : value" lines) is indexed with it but never quoted.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from ingest.parsers import Block, ParsedDocument
from kb.settings import IngestSettings
from kb.types import Chunk, MetaValue

# Bump when parsing or chunking changes what a file yields: every file is then re-indexed
# instead of being reported unchanged.
INDEX_FORMAT = "2"


def document_id(path: Path) -> str:
    """Content hash: the same bytes are the same document, wherever they lie."""
    digest = hashlib.sha256(f"dtp-kb index format {INDEX_FORMAT}\n".encode())
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:24]


@lru_cache(maxsize=4)
def _splitter(chunk_size: int, chunk_overlap: int):  # type: ignore[no-untyped-def]
    from llama_index.core.node_parser import SentenceSplitter

    return SentenceSplitter(chunk_size=chunk_size, chunk_overlap=chunk_overlap)


def _is_bare_heading(block: Block) -> bool:
    """A block holding nothing but its own section's heading (the next one carries it)."""
    last = block.section.rsplit(" > ", 1)[-1]
    return block.kind == "text" and " ".join(block.text.split()) == last


def _pieces(block: Block, settings: IngestSettings) -> list[str]:
    if block.kind == "row" and len(block.text) <= settings.chunk_size * 6:
        return [block.text]
    overlap = min(settings.chunk_overlap, settings.chunk_size // 2)
    return _splitter(settings.chunk_size, overlap).split_text(block.text)


def chunk_document(
    parsed: ParsedDocument,
    doc_id: str,
    source: str,
    settings: IngestSettings,
    metadata: dict[str, MetaValue] | None = None,
) -> list[Chunk]:
    meta = {**parsed.metadata, **(metadata or {}), "pages": len(parsed.pages)}
    chunks: list[Chunk] = []
    for page in parsed.pages:
        for block in page.blocks:
            if not block.text.strip() or _is_bare_heading(block):
                continue
            context = "\n".join(part for part in (block.section, block.context) if part)
            for text in _pieces(block, settings):
                chunks.append(
                    Chunk(
                        chunk_id=f"{doc_id}-{len(chunks):05d}",
                        document_id=doc_id,
                        source=source,
                        title=parsed.title,
                        page=page.number,
                        text=text,
                        context=context,
                        metadata={**meta, "section": block.section[-500:], "kind": block.kind},
                    )
                )
    return chunks
