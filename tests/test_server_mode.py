"""The deployment of the README: one `chroma run` server, `dtp-kb serve --workers 2`, and an
ingestion in a third process. Searches succeed throughout, and what the ingestion adds is
found by both workers once it is done."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx

from conftest import ARTIFACTS, cli, make_settings, server_settings, serving
from ingest.pipeline import ingest_paths
from kb.knowledge import build_kb

QUESTIONS = ["places en MAS pour adultes", "répit des aidants", "hébergement d'urgence"]


def _note(folder: Path, n: int) -> None:
    (folder / f"note-{n}.md").write_text(
        f"# Note de suivi {n}\n\nLa maison d'accueil spécialisée ouvre {n + 10} places pour "
        f"adultes. Le répit des aidants progresse dans {n + 3} communes ; l'hébergement "
        f"d'urgence compte {n + 40} places.\n",
        encoding="utf-8",
    )


def _started(base: str) -> int:
    """Worker processes uvicorn reports as started (its log, beside the test artifacts)."""
    log = ARTIFACTS / f"server-{base.rsplit(':', 1)[1]}.log"
    return log.read_text().count("Started server process")


def test_two_workers_serve_while_another_process_ingests(chroma_port: int, tmp_path: Path) -> None:
    settings = server_settings(tmp_path / "data", chroma_port)
    folder = tmp_path / "docs"
    folder.mkdir()
    _note(folder, 0)
    ingest_paths(build_kb(settings), [folder])

    statuses: list[int] = []
    empty: list[str] = []
    done = threading.Event()
    with serving(settings, "--workers", "2", "--no-ui") as base:  # API-only workers
        deadline = time.monotonic() + 180  # /healthz answers once the first one is up
        while _started(base) < 2 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert _started(base) == 2

        def search() -> None:
            n = 0
            with httpx.Client(base_url=base, timeout=120) as http:
                while not done.is_set() or n < 4:
                    question = QUESTIONS[n % len(QUESTIONS)]
                    response = http.post("/v1/search", json={"query": question, "k": 5})
                    statuses.append(response.status_code)
                    if response.status_code == 200 and not response.json()["results"]:
                        empty.append(question)
                    n += 1

        readers = [threading.Thread(target=search) for _ in range(3)]
        for thread in readers:
            thread.start()
        try:
            for n in range(1, 3):  # another process ingests: add, and remove the oldest
                _note(folder, n)
                (folder / f"note-{n - 1}.md").unlink()
                run = cli(settings, "ingest", str(folder))
                assert run.returncode == 0, run.stderr
        finally:
            done.set()
            for thread in readers:
                thread.join(timeout=300)

        assert statuses and set(statuses) == {200}, statuses
        assert not empty, empty
        sources = set()
        with httpx.Client(base_url=base, timeout=120) as http:
            for _ in range(8):  # requests land on either worker
                body = http.post("/v1/search", json={"query": "note de suivi 2", "k": 3}).json()
                sources |= {r["source"] for r in body["results"]}
            ui = [http.get("/ui/").status_code for _ in range(4)]  # neither worker has it
        assert str((folder / "note-2.md").resolve()) in sources
        assert not any(s.endswith("note-0.md") for s in sources)
        assert set(ui) == {404}
    assert (settings.data_dir / "keyword").is_dir()  # beside the store, shared by the workers


def test_serve_refuses_several_workers_on_the_embedded_store(tmp_path: Path) -> None:
    run = cli(make_settings(tmp_path / "data"), "serve", "--workers", "2")
    assert run.returncode != 0
    assert "chroma run" in run.stderr
