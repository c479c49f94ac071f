"""Typed provenance: what is stored, what is found, what is answered."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

# Metadata values Chroma can store and filter on.
MetaValue = str | int | float | bool


class Document(BaseModel):
    """An ingested file."""

    document_id: str = Field(description="Hash of the file's content.")
    source: str = Field(description="Path of the ingested file.")
    title: str
    pages: int
    chunks: int
    metadata: dict[str, MetaValue] = Field(default_factory=dict)


class Chunk(BaseModel):
    """A passage of a document, the unit that is embedded, indexed and cited."""

    chunk_id: str
    document_id: str
    source: str
    title: str
    page: int = Field(description="1-based page the passage stands on.")
    text: str = Field(description="Verbatim text of the page: what a citation quotes.")
    context: str = Field(
        "", description="Section path and table headers: indexed with the text, never quoted."
    )
    metadata: dict[str, MetaValue] = Field(default_factory=dict)


def indexed_text(chunk: Chunk) -> str:
    """What is embedded and keyword-indexed for a chunk: its context, then its text."""
    return f"{chunk.context}\n{chunk.text}" if chunk.context else chunk.text


class SearchHit(BaseModel):
    chunk: Chunk
    score: float = Field(description="Fused score: higher is better.")
    dense_score: float | None = Field(None, description="Cosine similarity to the query.")
    bm25_rank: int | None = None
    dense_rank: int | None = None
    rerank_score: float | None = Field(None, description="Cross-encoder score, if reranked.")


class Citation(BaseModel):
    """Points at a retrieved chunk; `quote` stands verbatim in that chunk's text."""

    n: int = Field(description="The marker [n] used in the answer.")
    chunk_id: str
    document_id: str
    title: str
    source: str
    page: int
    quote: str


class AnswerSentence(BaseModel):
    """One sentence of an answer, the markers it carries and how well its sources support it."""

    text: str = Field(description="The sentence, without its [n] markers.")
    citations: list[int] = Field(default_factory=list, description="Its markers [n].")
    support: float = Field(
        description="0 to 1: evidence (terms, figures, meaning) that the cited passages hold it."
    )
    supported: bool = True


class Answer(BaseModel):
    answer: str
    citations: list[Citation] = Field(default_factory=list)
    abstained: bool = False
    sentences: list[AnswerSentence] = Field(
        default_factory=list, description="The answer's sentences with their verification."
    )
    rejected: list[AnswerSentence] = Field(
        default_factory=list,
        description="Generated sentences removed because their sources did not support them.",
    )
    question: str | None = Field(
        None, description="The question as searched: a follow-up rewritten from the history."
    )
    question_type: str | None = Field(None, description="'figures', 'status' or 'other'.")
    generator: str = Field(
        "extractive", description="'extractive' (the passages' own sentences) or 'llm'."
    )


def chunk_metadata(chunk: Chunk) -> dict[str, Any]:
    """The flat record stored next to a chunk's embedding in the vector store."""
    return {
        **chunk.metadata,
        "context": chunk.context,
        "document_id": chunk.document_id,
        "source": chunk.source,
        "title": chunk.title,
        "page": chunk.page,
    }
