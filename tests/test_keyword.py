"""The keyword artefact: built once by the writer, loaded by readers, masked after removals."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from ingest.pipeline import ingest_file, ingest_paths
from kb.answer import TermStats
from kb.keyword import CURRENT, SharedKeyword, current_name
from kb.knowledge import KnowledgeBase, build_kb
from kb.retrieve import top_n
from kb.settings import Settings
from kb.text import analyze

NOTES = {
    "mas.md": "# Places en MAS\n\nLe territoire compte 120 places en maison d'accueil "
    "spécialisée pour adultes handicapés.\n",
    "siao.md": "# Hébergement d'urgence\n\nLe SIAO oriente les personnes sans abri vers "
    "l'hébergement d'urgence et le logement accompagné.\n",
    "ados.md": "# Santé mentale\n\nLes ruptures de parcours des adolescents en santé mentale "
    "sont fréquentes à la sortie de l'hôpital.\n",
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in NOTES.items():
        (docs / name).write_text(text, encoding="utf-8")
    return docs


def ids(kb: KnowledgeBase, query: str) -> list[str]:
    return [c.chunk_id for c in kb.retriever.keyword.search(query, 10)]


def test_the_writer_builds_it_once_and_a_new_reader_loads_it(
    settings: Settings, folder: Path
) -> None:
    writer = build_kb(settings)
    ingest_paths(writer, [folder])
    root = settings.data_dir / "keyword"
    name = current_name(root)
    assert name and (root / name / "bm25").is_dir() and (root / CURRENT).is_file()

    reader = build_kb(settings)
    artefact, visible = reader.keyword.current()
    assert artefact.name == name and visible is None  # loaded, not rebuilt
    assert artefact.n == writer.stats()["chunks"]
    # The same hits as an index built in memory from the chunks.
    fresh = SharedKeyword(reader.store, "french", None)
    for query in ("places en MAS pour adultes", "hébergement d'urgence SIAO", "adolescents"):
        hits = ids(reader, query)
        assert hits and hits == [
            fresh.current()[0].ids[i].decode()
            for i in top_n(fresh.current()[0].bm25.get_scores(_known(fresh, query)), 10)
            if fresh.current()[0].bm25.get_scores(_known(fresh, query))[i] > 0
        ]
    # A second ingest with nothing changed keeps the artefact.
    ingest_paths(writer, [folder])
    assert current_name(root) == name


def _known(shared: SharedKeyword, query: str) -> list[str]:
    vocab = shared.current()[0].bm25.vocab_dict
    return [t for t in analyze(query) if t in vocab]


def test_term_statistics_come_from_the_artefact(settings: Settings, folder: Path) -> None:
    kb = build_kb(settings)
    ingest_paths(kb, [folder])
    stats = TermStats(build_kb(settings).keyword)
    chunks = list(kb.store.iter_chunks())
    holding = sum("siao" in analyze(f"{c.title}\n{c.context}\n{c.text}") for c in chunks)
    assert holding >= 1
    assert stats.share("siao") == pytest.approx(holding / len(chunks))
    assert not stats.known("zzzinconnu") and stats.known("siao")


def test_a_removed_document_is_masked_until_the_next_build(
    settings: Settings, folder: Path
) -> None:
    writer = build_kb(settings)
    ingest_paths(writer, [folder])
    reader = build_kb(settings)
    before = reader.keyword.current()[0].name
    assert ids(reader, "SIAO hébergement")
    source = str((folder / "siao.md").resolve())
    writer.remove(source, rebuild=False)
    assert ids(reader, "SIAO hébergement") == []
    artefact, visible = reader.keyword.current()
    assert artefact.name == before and visible is not None  # masked, not rebuilt
    assert ids(reader, "places MAS adultes")
    writer.build_keyword()
    artefact, visible = reader.keyword.current()
    assert artefact.name != before and visible is None
    assert ids(reader, "SIAO hébergement") == []


def test_a_file_indexed_since_the_build_waits_for_the_writers_build(
    settings: Settings, folder: Path
) -> None:
    writer = build_kb(settings)
    ingest_paths(writer, [folder])
    reader = build_kb(settings)
    before = reader.keyword.current()[0].name
    extra = folder / "camsp.md"
    extra.write_text("# CAMSP\n\nLe CAMSP accueille les jeunes enfants.\n", encoding="utf-8")
    ingest_file(writer, extra)  # one file, no build at the end (as mid-run in an ingest)
    # The reader keeps the saved artefact (no rebuild per file); the dense leg finds it.
    assert ids(reader, "CAMSP jeunes enfants") == []
    assert reader.keyword.current()[0].name == before
    assert any(h.chunk.source == str(extra.resolve()) for h in reader.search("CAMSP", 5))
    writer.build_keyword()
    assert ids(reader, "CAMSP jeunes enfants")


def test_a_reader_builds_and_saves_it_when_there_is_none(settings: Settings, folder: Path) -> None:
    ingest_paths(build_kb(settings), [folder])
    root = settings.data_dir / "keyword"
    shutil.rmtree(root)  # an index made by an earlier version
    reader = build_kb(settings)
    assert ids(reader, "places en MAS pour adultes")
    assert current_name(root) == reader.keyword.current()[0].name


def test_filters_apply_to_the_keyword_leg(settings: Settings, folder: Path) -> None:
    kb = build_kb(settings)
    ingest_paths(kb, [folder])
    source = str((folder / "mas.md").resolve())
    assert kb.retriever.keyword.search("hébergement places adolescents", 10, {"source": source})
    hits = kb.retriever.keyword.search("hébergement places", 10, {"source": [source]})
    assert hits and all(h.source == source for h in hits)
    assert kb.retriever.keyword.search("places", 10, {"source": "nowhere"}) == []


def test_top_n_is_the_head_of_a_stable_sort() -> None:
    rng = np.random.default_rng(0)
    for _ in range(50):
        scores = rng.integers(0, 4, size=200).astype(np.float32)
        n = int(rng.integers(1, 250))
        assert list(top_n(scores, n)) == list(np.argsort(-scores, kind="stable")[:n])
