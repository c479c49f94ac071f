"""Cancelling ingestion jobs over a real `dtp-kb serve`: a queued job at once, a running one
after the file it is reading; the files not read are not indexed and the index holds no half
document; a finished job cannot be cancelled (409); cancelling needs a contributor key."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest
from test_documents_api import bearer, is_problem, serving, wait_for

from conftest import CORPUS, make_settings
from kb.access import AccessStore

HR = CORPUS / "docs" / "handicaps_rares"
# Small files first: the job is cancelled while it reads one of them, the livret is never read.
PDFS = [
    HR / "HR-2016_fiche_synthese_GT1.pdf",
    HR / "HR-2016_fiche_synthese_GT2.pdf",
    HR / "HR-2016_fiche_synthese_GT3.pdf",
    HR / "HR-2016_livret.pdf",
]
CSV = HR / "HR-2016_suivi_2020.csv"


def _reading(http: httpx.Client, job_id: str, timeout: float = 60) -> None:
    """Wait until the worker reads one of the job's files."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = http.get(f"/v1/jobs/{job_id}").json()
        if any(f["state"] == "running" for f in job["files"]):
            return
        time.sleep(0.05)
    pytest.fail(f"job {job_id} not started after {timeout} s: {job}")


def _done_event(http: httpx.Client, job_id: str) -> dict:  # type: ignore[type-arg]
    """The job as the `done` server-sent event gives it (the stream's last event)."""
    name = ""
    with http.stream("GET", f"/v1/jobs/{job_id}/events", timeout=180) as stream:
        for line in stream.iter_lines():
            if line.startswith("event: "):
                name = line.removeprefix("event: ")
            elif line.startswith("data: ") and name == "done":
                return json.loads(line.removeprefix("data: "))  # type: ignore[no-any-return]
    pytest.fail(f"the events of job {job_id} ended with no done event")


def test_cancelling_a_queued_and_a_running_job(tmp_path: Path) -> None:
    from kb.knowledge import build_kb

    settings = make_settings(tmp_path / "data")
    access = AccessStore(settings.data_dir)
    key = bearer(access.create("service", "contributeur").key)
    reader = bearer(access.create("lecture", "lecteur").key)
    pdfs = [("files", (p.name, p.read_bytes(), "application/pdf")) for p in PDFS]
    csv = {"files": (CSV.name, CSV.read_bytes(), "text/csv")}

    with (
        serving(settings, "cancel") as (base, _),
        httpx.Client(base_url=base, timeout=60) as http,
    ):
        first = http.post("/v1/documents", files=pdfs, headers=key)
        second = http.post("/v1/documents", files=csv, headers=key)
        assert first.status_code == second.status_code == 202, (first.text, second.text)
        running, queued = first.json()["id"], second.json()["id"]

        assert "Authorization: Bearer" in is_problem(http.delete(f"/v1/jobs/{queued}"), 401)
        assert "rôle" in is_problem(http.delete(f"/v1/jobs/{queued}", headers=reader), 403)
        is_problem(http.delete("/v1/jobs/000000000000", headers=key), 404)

        # The second job waits behind the first: cancelled at once, nothing of it read.
        gone = http.delete(f"/v1/jobs/{queued}", headers=key)
        assert gone.status_code == 200, gone.text
        job = gone.json()
        assert job["state"] == "cancelled" and job["finished"], job
        assert [f["state"] for f in job["files"]] == ["cancelled"]

        # The first, while it reads a file: cancelled now, let go of after that file.
        _reading(http, running)
        stopped = http.delete(f"/v1/jobs/{running}", headers=key)
        assert stopped.status_code == 200, stopped.text
        assert stopped.json()["state"] == "cancelled"
        assert stopped.json()["finished"] is None  # the worker still holds it
        job = _done_event(http, running)  # the event stream ends once the worker lets go
        assert job["finished"], job
        assert job["state"] == "cancelled", job
        states = {f["name"]: f["state"] for f in job["files"]}
        assert set(states.values()) <= {"indexed", "cancelled"}, states
        assert states[PDFS[-1].name] == "cancelled", states
        indexed = {f["document_id"] for f in job["files"] if f["state"] == "indexed"}

        # Cancelling again, or a job the worker has finished, is a conflict.
        again = is_problem(http.delete(f"/v1/jobs/{running}", headers=key), 409)
        assert "déjà annulée" in again and "retry" in again
        assert http.get(f"/v1/jobs/{running}").json() == job  # unchanged by the refusal

        # What was read is searchable, what was not is not.
        listing = http.get("/v1/documents").json()
        assert {d["document_id"] for d in listing["documents"]} == indexed
        hits = http.post("/v1/search", json={"query": "handicap rare", "k": 20}).json()
        assert {h["document_id"] for h in hits["results"]} <= indexed

        # A cancelled job's files run again on a retry; once done, it cannot be cancelled.
        assert http.post(f"/v1/jobs/{queued}/retry", headers=key).status_code == 202
        done = wait_for(http, queued)
        assert done["state"] == "done" and done["files"][0]["state"] == "indexed", done
        finished = is_problem(http.delete(f"/v1/jobs/{queued}", headers=key), 409)
        assert "déjà terminée" in finished
        indexed.add(done["files"][0]["document_id"])

    kb = build_kb(settings)
    docs = kb.documents()
    assert {d.document_id for d in docs} == indexed
    assert kb.store.count() == sum(d.chunks for d in docs)  # no passage of a file not read
    assert kb.store.unfinished() == []  # no half document
