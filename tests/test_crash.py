"""kill -9 during `dtp-kb ingest`, at random moments and at the two risky points: the next
run leaves documents, chunks and recommendation records equal to a clean ingest."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import CORPUS, cli, env_for, make_settings
from kb.knowledge import build_kb
from kb.settings import Settings

DOCS = CORPUS / "docs" / "handicaps_rares"
KILLS = 10
# Small batches, so that a document is written in several (and "between_batches" exists).
BATCH = {"DTPKB_INGEST__WRITE_BATCH": "5"}


def _final(folder: Path) -> None:
    """The files as they end: a preconisations PDF and a tracker."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    shutil.copy(DOCS / "HR-2016_preconisations.pdf", folder)
    shutil.copy(DOCS / "HR-2016_suivi_2020.csv", folder)


def _earlier(folder: Path) -> None:
    """An earlier state: another version of the PDF, and a tracker since deleted."""
    _final(folder)
    with (folder / "HR-2016_preconisations.pdf").open("ab") as f:
        f.write(b"\n% an earlier save of the same document\n")
    shutil.copy(DOCS / "HR-DV-2019_suivi_2021.xlsx", folder)


def _ingest(settings: Settings, folder: Path, **env: str) -> subprocess.Popen[str]:
    exe = Path(sys.executable).with_name("dtp-kb")
    return subprocess.Popen(
        [str(exe), "ingest", str(folder)],
        env={**env_for(settings), **BATCH, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its sandbox children die with it, as in a power cut
    )


def _finish(proc: subprocess.Popen[str], kill: bool = False) -> tuple[int, str]:
    """Wait for the run (killing it and its sandbox children first if `kill`)."""
    try:
        if kill and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:  # a failure above: leave no process behind
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    return proc.returncode, out + err


def _snapshot(settings: Settings) -> dict[str, Any]:
    kb = build_kb(settings)
    chunks = {c.chunk_id: (c.text, c.document_id, c.metadata) for c in kb.store.iter_chunks()}
    return {
        "documents": [d.model_dump() for d in kb.documents()],
        "chunks": chunks,
        "stored chunks": kb.store.count(),
        "records": [r.model_dump() for r in kb.recommendations.all()],
        "unfinished": kb.store.unfinished(),
    }


@pytest.mark.timeout(1800)  # about 15 runs of `dtp-kb ingest`, each loading the model
def _same_as_clean(got: dict[str, Any], expected: dict[str, Any]) -> None:
    """The index after a crash and one more run equals a clean ingest's (`_snapshot`s)."""
    assert got["unfinished"] == []
    assert got["documents"] == expected["documents"]
    assert got["chunks"] == expected["chunks"]
    assert got["stored chunks"] == expected["stored chunks"] == len(expected["chunks"])
    assert got["records"] == expected["records"]


def test_kill_9_anywhere_then_one_more_run_equals_a_clean_ingest(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    clean = make_settings(tmp_path / "clean")
    crashed = make_settings(tmp_path / "crashed")

    _final(folder)
    start = time.monotonic()
    code, output = _finish(_ingest(clean, folder))
    clean_seconds = time.monotonic() - start
    assert code == 0, output

    _earlier(folder)
    code, output = _finish(_ingest(crashed, folder))
    assert code == 0, output

    # The two risky points: the changed PDF's chunks stored, its records not yet; and
    # its chunks half stored.
    _final(folder)
    for point in ("after_chunks", "between_batches"):
        code, output = _finish(_ingest(crashed, folder, DTPKB_INGEST__CRASH_AT=point))
        assert code == -signal.SIGKILL, output
        assert f"ingest.crash_at={point}" in output

    # Random moments, the folder switching between its two states, so each run has work to
    # do: a replaced PDF, a removed tracker, an added one.
    rng = random.Random(13)
    kills = 0
    for n in range(3 * KILLS):
        (_earlier if n % 2 else _final)(folder)
        proc = _ingest(crashed, folder)
        try:
            time.sleep(rng.uniform(0.5, clean_seconds))
        finally:
            alive = proc.poll() is None
            code, output = _finish(proc, kill=True)
        kills += alive
        assert code in (0, -signal.SIGKILL), output
        if kills == KILLS:
            break
    assert kills == KILLS

    _final(folder)
    code, output = _finish(_ingest(crashed, folder))
    assert code == 0, output

    expected, got = _snapshot(clean), _snapshot(crashed)
    assert expected["records"], "the files hold recommendation records"
    _same_as_clean(got, expected)


def test_a_crash_after_the_chunks_leaves_nothing_visible(tmp_path: Path) -> None:
    """The bug of issue 13: a file killed between its chunks and its records was then
    reported unchanged, its records lost."""
    folder = tmp_path / "docs"
    _final(folder)
    settings = make_settings(tmp_path / "data")
    code, output = _finish(_ingest(settings, folder, DTPKB_INGEST__CRASH_AT="after_chunks"))
    assert code == -signal.SIGKILL, output
    doctor = cli(settings, "doctor", "--json")
    assert '"documents": 0' in doctor.stdout, doctor.stdout + doctor.stderr
    code, output = _finish(_ingest(settings, folder))
    assert code == 0, output
    assert "2 indexés, 0 inchangés" in output
    kb = build_kb(settings)
    assert len(kb.recommendations.all()) > 0
    assert kb.stats()["chunks"] == kb.store.count()


@pytest.mark.timeout(900)  # four runs of `dtp-kb ingest`, each loading the model
def test_a_crash_in_the_middle_of_a_removal(tmp_path: Path) -> None:
    """A file deleted from the folder, the run killed once it is hidden and before its
    records and chunks are purged: nothing of it is found meanwhile (search, answers,
    records), and the next run leaves the index equal to a clean ingest of the remaining
    file."""
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(DOCS / "HR-2016_suivi_2020.csv", folder)
    clean = make_settings(tmp_path / "clean")
    code, output = _finish(_ingest(clean, folder))
    assert code == 0, output

    removed = folder / "HR-DV-2019_suivi_2021.xlsx"
    shutil.copy(DOCS / removed.name, removed)
    crashed = make_settings(tmp_path / "crashed")
    code, output = _finish(_ingest(crashed, folder))
    assert code == 0, output
    kb = build_kb(crashed)
    doc = next(d for d in kb.documents() if d.source == str(removed))
    chunks = kb.chunks_of(doc.document_id)
    assert chunks and any(
        s.source == str(removed) for r in kb.recommendations.all() for s in r.sources
    ), "the removed file had passages and records"

    removed.unlink()
    code, output = _finish(_ingest(crashed, folder, DTPKB_INGEST__CRASH_AT="while_removing"))
    assert code == -signal.SIGKILL, output
    assert "ingest.crash_at=while_removing" in output

    # Between the crash and the next run: its chunks and records are still stored, and
    # never found; what the records say is what the remaining file says.
    expected = _snapshot(clean)
    kb = build_kb(crashed)
    assert [r.model_dump() for r in kb.recommendations.all()] == expected["records"]
    assert kb.recommendations.count() > len(expected["records"])
    assert kb.store.unfinished() == [str(removed)]
    assert len(kb.store.get([c.chunk_id for c in chunks])) == len(chunks)
    assert str(removed) not in {d.source for d in kb.documents()}
    assert kb.chunks_of(doc.document_id) == []
    assert all(c.source != str(removed) for c in kb.store.iter_chunks())
    for chunk in chunks[:6]:
        hits = kb.search(chunk.text, k=20)
        assert hits and all(h.chunk.source != str(removed) for h in hits), chunk.text
        assert kb.search(chunk.text, k=5, filters={"source": str(removed)}) == []
        answer = kb.ask(chunk.text)
        assert all(c.source != str(removed) for c in answer.citations), answer.answer

    code, output = _finish(_ingest(crashed, folder))
    assert code == 0, output
    got = _snapshot(crashed)
    assert expected["records"], "the remaining file holds recommendation records"
    _same_as_clean(got, expected)
