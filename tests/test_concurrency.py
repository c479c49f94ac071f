"""Searches and answers run without pause while an ingestion adds, replaces and removes
documents: no error, no hit outside a complete document version, no half document."""

from __future__ import annotations

import threading
import traceback
from pathlib import Path

from ingest.pipeline import ingest_paths
from kb.knowledge import build_kb
from kb.settings import Settings
from pdfs import LIVRET_PAGES, make_pdf

ROUNDS = 6
QUESTIONS = [
    "places de SAMSAH pour adultes sourds",
    "Qui pilote la formation des professionnels ?",
    "calendrier du comité de suivi",
    "solutions de répit pour les aidants",
]


def _write_round(folder: Path, n: int) -> None:
    """Round n: `suivi.md` replaced, `note-n.md` added and `note-(n-1).md` removed."""
    (folder / "suivi.md").write_text(
        f"# Comité de suivi, séance {n}\n\nLe comité de suivi s'est réuni pour la séance {n}. "
        f"Le calendrier prévoit {n + 2} réunions par an et un point sur le répit des aidants.\n\n"
        "## Répit\n\nLes solutions de répit pour les aidants restent insuffisantes "
        f"dans {n + 1} communes du territoire.\n",
        encoding="utf-8",
    )
    (folder / f"note-{n - 1}.md").unlink(missing_ok=True)
    (folder / f"note-{n}.md").write_text(
        f"# Note {n}\n\nLa formation des professionnels est pilotée par la MDPH (note {n}).\n",
        encoding="utf-8",
    )


def test_reads_during_writes_see_complete_documents_only(
    settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    make_pdf(folder / "livret.pdf", LIVRET_PAGES, "Livret de démonstration")
    _write_round(folder, 0)
    kb = build_kb(settings)
    ingest_paths(kb, [folder])

    # Every complete version ever visible: {document_id: {chunk_id: text}}.
    versions: dict[str, dict[str, str]] = {}
    lock = threading.Lock()

    def record_versions() -> None:
        chunks: dict[str, dict[str, str]] = {}
        for chunk in kb.store.iter_chunks():
            chunks.setdefault(chunk.document_id, {})[chunk.chunk_id] = chunk.text
        with lock:
            versions.update(chunks)

    record_versions()
    seen: list[tuple[str, str, str]] = []  # (document_id, chunk_id, text) of every hit
    listed: list[tuple[str, int]] = []  # (document_id, chunks) of every listed document
    keyword: list[dict[str, int]] = []  # chunks per document the keyword index was built on
    errors: list[str] = []
    done = threading.Event()

    def reader(offset: int) -> None:
        n = offset
        while not done.is_set():
            try:
                question = QUESTIONS[n % len(QUESTIONS)]
                for hit in kb.search(question, k=5):
                    seen.append((hit.chunk.document_id, hit.chunk.chunk_id, hit.chunk.text))
                answer = kb.ask(question)
                for citation in answer.citations:
                    seen.append((citation.document_id, citation.chunk_id, citation.quote))
                listed.extend((d.document_id, d.chunks) for d in kb.documents())
                counts: dict[str, int] = {}
                for chunk in kb.store.iter_chunks():
                    counts[chunk.document_id] = counts.get(chunk.document_id, 0) + 1
                keyword.append(counts)
            except Exception:
                errors.append(traceback.format_exc())
            n += 1

    readers = [threading.Thread(target=reader, args=(i,)) for i in range(2)]
    for thread in readers:
        thread.start()
    try:
        reports = []
        for n in range(1, ROUNDS + 1):
            _write_round(folder, n)
            reports.append(ingest_paths(kb, [folder]))
            record_versions()
    finally:
        done.set()
        for thread in readers:
            thread.join(timeout=300)

    assert not errors, errors[0]
    for report in reports:
        assert not report.failed, report.failed
        statuses = sorted(r.status for r in report.results)
        assert statuses == ["indexed", "indexed", "removed", "unchanged"], statuses
    assert len(seen) > 20 and len(listed) > 10, "the readers did run during the writes"
    for document_id, chunk_id, text in seen:
        assert chunk_id in versions.get(document_id, {}), (document_id, chunk_id)
        assert text in versions[document_id][chunk_id]
    for document_id, chunks in listed:
        assert len(versions.get(document_id, {})) == chunks, (document_id, chunks)
    for counts in keyword:
        for document_id, chunks in counts.items():
            assert len(versions[document_id]) == chunks, (document_id, chunks)
    final = {d.document_id for d in kb.documents()}
    assert len(final) == 3 and sum(d.chunks for d in kb.documents()) == kb.store.count()


def test_a_second_ingestion_waits_for_the_first(settings: Settings, tmp_path: Path) -> None:
    """Two writers over one data directory (the CLI while the API's job worker runs): the
    second waits, instead of cleaning the first one's document as "left half written"."""
    import subprocess
    import sys
    import time

    from conftest import env_for
    from ingest.pipeline import one_writer

    folder = tmp_path / "docs"
    folder.mkdir()
    make_pdf(folder / "livret.pdf", LIVRET_PAGES, "Livret de démonstration")
    exe = Path(sys.executable).with_name("dtp-kb")
    with one_writer(settings.data_dir):
        proc = subprocess.Popen(
            [str(exe), "ingest", str(folder)],
            env=env_for(settings),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        time.sleep(20)  # model loaded, and waiting
        assert proc.poll() is None, proc.communicate()[0]
        assert build_kb(settings).stats()["documents"] == 0
    output, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, output
    assert "another ingestion is running" in output
    assert build_kb(settings).stats()["documents"] == 1
