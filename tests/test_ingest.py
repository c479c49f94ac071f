"""Ingestion end to end: real PDFs, the real model, a real Chroma in tmp_path."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from pypdf import PdfReader

from conftest import CORPUS, cli
from ingest.pipeline import discover, ingest_paths
from kb.knowledge import build_kb
from kb.settings import Settings
from pdfs import LIVRET_PAGES, make_pdf


def _docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    make_pdf(folder / "livret.pdf", LIVRET_PAGES, "Livret de démonstration")
    (folder / "note.md").write_text(
        "---\ntitle: Note de cadrage\ntheme: sante_mentale\nyear: 2021\n---\n"
        "# Note de cadrage\n\nLe comité de pilotage (COPIL) se réunit chaque trimestre.\n",
        encoding="utf-8",
    )
    return folder


def test_pages_are_kept_and_search_finds_the_right_page(settings: Settings, tmp_path: Path) -> None:
    folder = _docs(tmp_path)
    kb = build_kb(settings)
    report = ingest_paths(kb, [folder])
    assert report.count("indexed") == 2 and not report.failed

    hits = kb.search("places de SAMSAH pour adultes sourds", k=3)
    assert hits[0].chunk.title == "Livret de démonstration"
    assert hits[0].chunk.page == 2
    page_text = PdfReader(folder / "livret.pdf").pages[1].extract_text()
    assert hits[0].chunk.text in page_text

    note = kb.search("comité de pilotage trimestre", k=1)[0].chunk
    assert note.title == "Note de cadrage"
    assert note.metadata["theme"] == "sante_mentale" and note.metadata["year"] == 2021


def test_reingesting_unchanged_files_does_no_work(settings: Settings, tmp_path: Path) -> None:
    folder = _docs(tmp_path)
    kb = build_kb(settings)
    ingest_paths(kb, [folder])
    before = kb.stats()
    again = ingest_paths(kb, [folder])
    assert [r.status for r in again.results] == ["unchanged", "unchanged"]
    assert kb.stats() == before


def test_a_changed_file_replaces_its_old_chunks(settings: Settings, tmp_path: Path) -> None:
    folder = _docs(tmp_path)
    kb = build_kb(settings)
    ingest_paths(kb, [folder])
    make_pdf(
        folder / "livret.pdf", [["Version révisée : le SAMSAH ouvrira douze places."]], "Livret"
    )
    report = ingest_paths(kb, [folder])
    assert [r.status for r in report.results] == ["indexed", "unchanged"]
    docs = kb.documents()
    assert len(docs) == 2
    texts = " ".join(h.chunk.text for h in kb.search("SAMSAH places adultes sourds", k=10))
    assert "douze places" in texts
    assert "Aucune place de SAMSAH" not in texts


def test_broken_files_are_reported_and_the_rest_indexed(settings: Settings, tmp_path: Path) -> None:
    folder = _docs(tmp_path)
    (folder / "corrompu.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage")
    (folder / "vide.txt").write_bytes(b"")
    result = cli(settings, "ingest", str(folder))
    assert result.returncode == 1, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert "corrompu.pdf" in output and "PDF illisible" in output
    assert "vide.txt" in output and "le fichier est vide" in output
    assert "2 indexés" in output and "2 en échec" in output

    doctor = json.loads(cli(settings, "doctor", "--json").stdout)
    assert doctor["documents"] == 2
    assert doctor["chunks"] >= 2
    assert doctor["embedding"]["backend"] == "sentence-transformers"
    assert Path(doctor["embedding"]["model_path"]).is_dir()


def test_ignore_file_and_hidden_files_are_left_out(tmp_path: Path) -> None:
    folder = _docs(tmp_path)
    (folder / "src").mkdir()
    (folder / "src" / "source.md").write_text("# Source\n", encoding="utf-8")
    (folder / "README.md").write_text("# Lisez-moi\n", encoding="utf-8")
    (folder / ".cache.md").write_text("# caché\n", encoding="utf-8")
    (folder / ".dtpkbignore").write_text("# sources\nsrc/\nREADME.md\n", encoding="utf-8")
    names = [p.name for p in discover([folder], [".pdf", ".md"])]
    assert names == ["livret.pdf", "note.md"]


def test_a_file_gone_from_its_folder_leaves_the_index(settings: Settings, tmp_path: Path) -> None:
    folder = _docs(tmp_path)
    kb = build_kb(settings)
    ingest_paths(kb, [folder])
    gone = folder / "livret.pdf"
    gone.unlink()
    report = ingest_paths(kb, [folder])
    assert [(Path(r.path).name, r.status) for r in report.results] == [
        ("note.md", "unchanged"),
        ("livret.pdf", "removed"),
    ]
    assert [Path(d.source).name for d in kb.documents()] == ["note.md"]
    assert all(Path(h.chunk.source).exists() for h in kb.search("SAMSAH places adultes", k=10))
    # A tracker's recommendations leave with it.
    tracker = folder / "suivi.csv"
    shutil.copy(CORPUS / "docs" / "handicaps_rares" / "HR-2016_suivi_2020.csv", tracker)
    ingest_paths(kb, [folder])
    assert kb.recommendations.get("HR-2016-P01") is not None
    tracker.unlink()
    assert [r.status for r in ingest_paths(kb, [folder]).results] == ["unchanged", "removed"]
    assert kb.recommendations.all() == []
    # Indexing another folder leaves this one's files alone.
    other = tmp_path / "other"
    other.mkdir()
    (other / "autre.md").write_text("# Autre\n\nUn document sur les GEM.\n", encoding="utf-8")
    report = ingest_paths(kb, [other])
    assert [r.status for r in report.results] == ["indexed"]
    assert len(kb.documents()) == 2


def test_a_stopped_run_reads_no_more_files(settings: Settings, tmp_path: Path) -> None:
    """`stop` is asked before each file (a cancelled job, a server stopping): the files
    before it are stored whole and searchable, the others are not read."""
    folder = tmp_path / "notes"
    folder.mkdir()
    for n, topic in enumerate(["répit des aidants", "habitat inclusif", "équipe mobile"]):
        (folder / f"note-{n}.md").write_text(
            f"# Note {n}\n\nLe comité a examiné le {topic} dans le département.\n", encoding="utf-8"
        )
    asked = []

    def stop() -> bool:
        asked.append(True)
        return len(asked) > 1  # the first file goes, then the run stops

    kb = build_kb(settings)
    report = ingest_paths(kb, [folder], stop=stop)
    assert [(Path(r.path).name, r.status) for r in report.results] == [("note-0.md", "indexed")]
    assert [Path(d.source).name for d in kb.documents()] == ["note-0.md"]
    hits = kb.search("répit des aidants", k=3)
    assert hits and Path(hits[0].chunk.source).name == "note-0.md"
    # The next run does the rest.
    rest = ingest_paths(kb, [folder])
    assert [r.status for r in rest.results] == ["unchanged", "indexed", "indexed"]
