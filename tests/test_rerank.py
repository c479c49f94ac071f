"""The optional cross-encoder: real loading and scoring code, on a tiny model the test builds."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from ingest.pipeline import ingest_paths
from kb.knowledge import build_kb
from kb.rerank import CrossEncoderReranker
from kb.settings import Settings
from pdfs import LIVRET_PAGES, make_pdf


def tiny_cross_encoder(folder: Path) -> Path:
    """A 2-layer BERT cross-encoder with a word-level tokenizer, saved like any model."""
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import BertConfig, BertForSequenceClassification, PreTrainedTokenizerFast

    words = "le la les de des une un place places samsah mdph adultes sourds préconisation".split()
    vocab = {t: i for i, t in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", *words])}
    raw = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
    raw.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=raw,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
    )
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        num_labels=1,
    )
    BertForSequenceClassification(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_cross_encoder(tmp_path_factory.mktemp("tiny-cross-encoder"))


def test_reranker_reorders_hits_by_its_scores(
    settings: Settings, tmp_path: Path, model_path: Path
) -> None:
    make_pdf(tmp_path / "livret.pdf", LIVRET_PAGES, "Livret")
    reranked = settings.model_copy(
        update={"retrieval": settings.retrieval.model_copy(update={"reranker": str(model_path)})}
    )
    kb = build_kb(reranked)
    ingest_paths(kb, [tmp_path / "livret.pdf"])
    hits = kb.search("places de SAMSAH pour adultes sourds", k=3)
    scores = [h.rerank_score for h in hits]
    assert all(s is not None for s in scores)
    assert scores == sorted(scores, reverse=True)
    # Deterministic: the same query gives the same scores.
    again = [h.rerank_score for h in kb.search("places de SAMSAH pour adultes sourds", k=3)]
    assert again == scores


def test_a_missing_reranker_is_a_clear_error(tmp_path: Path) -> None:
    from kb.errors import ModelError

    with pytest.raises(ModelError, match="cannot load the reranker"):
        CrossEncoderReranker(str(tmp_path / "absent"), top=5)
