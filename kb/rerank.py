"""Optional second stage: a cross-encoder (sentence-transformers) re-scores the top hits."""

from __future__ import annotations

import logging
from pathlib import Path

from kb.errors import ModelError
from kb.types import SearchHit, indexed_text

log = logging.getLogger(__name__)


class CrossEncoderReranker:
    def __init__(self, model: str, top: int) -> None:
        from sentence_transformers import CrossEncoder

        local = Path(model).expanduser().is_dir()
        try:
            self._model = CrossEncoder(model, device="cpu", local_files_only=local)
        except (OSError, ValueError) as exc:
            raise ModelError(
                f"cannot load the reranker {model!r}: {exc}. Set retrieval.reranker to a "
                "local cross-encoder folder, or leave it empty to rank without it"
            ) from exc
        self.top = top
        self.model = model

    def rerank(self, query: str, hits: list[SearchHit]) -> list[SearchHit]:
        """The first `top` hits re-ordered by the cross-encoder; the rest keep their order."""
        head, tail = hits[: self.top], hits[self.top :]
        if not head:
            return hits
        scores = self._model.predict([(query, indexed_text(h.chunk)) for h in head])
        for hit, score in zip(head, scores, strict=True):
            hit.rerank_score = float(score)
        return sorted(head, key=lambda h: -(h.rerank_score or 0.0)) + tail
