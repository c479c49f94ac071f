"""Documents over HTTP against a real `dtp-kb serve`: keys and roles, upload -> 202 -> job ->
searchable, the original file, correction, deletion, 413/415, the audit, and a server
killed in the middle of a job that resumes it on restart without duplicating a chunk."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from conftest import ARTIFACTS, CORPUS, _free_port, env_for, make_settings
from kb.access import AccessStore
from kb.settings import Settings
from kb.types import Citation

HR = CORPUS / "docs" / "handicaps_rares"
PDF = HR / "HR-2016_preconisations.pdf"
CSV = HR / "HR-2016_suivi_2020.csv"
SG = CORPUS / "docs" / "sud_garance"
NOT_PDF = [SG / "SG-HR-2021_note_cadrage.md", SG / "SG-HR-2021_compte_rendu_comite_suivi_2023.docx"]
FINAL = ("done", "failed", "cancelled")


@contextmanager
def serving(settings: Settings, name: str, **env: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """`dtp-kb serve` over `settings`' index, uploads limited to 1 MB; (base URL, process)."""
    port = _free_port()
    exe = Path(sys.executable).with_name("dtp-kb")
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / f"server-{name}.log"
    full_env = {**env_for(settings), "DTPKB_API__MAX_UPLOAD_MB": "1", **env}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(exe), "serve", "--port", str(port)], env=full_env, stdout=out, stderr=out
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        if proc.poll() is not None:
            pytest.fail(f"server exited with {proc.returncode}: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"server did not start: {log.read_text()[-2000:]}")
        time.sleep(0.5)
    try:
        yield base, proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def upload_files() -> list[tuple[str, tuple[str, bytes, str]]]:
    return [
        ("files", (PDF.name, PDF.read_bytes(), "application/pdf")),
        ("files", (CSV.name, CSV.read_bytes(), "text/csv")),
    ]


def wait_for(http: httpx.Client, job_id: str, timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = http.get(f"/v1/jobs/{job_id}").json()
        if job["state"] in FINAL:
            return job
        time.sleep(0.5)
    pytest.fail(f"job {job_id} not finished after {timeout} s: {job}")


def records_citing(http: httpx.Client, source: str) -> list[str]:
    """Ids of the recommendation records with a source in the file `source`."""
    items = http.get("/v1/recommendations", params={"limit": 500}).json()["items"]
    return [r["id"] for r in items if any(s["source"] == source for s in r["sources"])]


def is_problem(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return str(response.json()["detail"])


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    """Chunks per document of a plain `ingest_paths` of the two files: the reference."""
    from ingest.pipeline import ingest_paths
    from kb.knowledge import build_kb

    folder = tmp_path_factory.mktemp("clean-files")
    for f in (PDF, CSV):
        shutil.copy(f, folder / f.name)
    kb = build_kb(make_settings(tmp_path_factory.mktemp("clean-index")))
    report = ingest_paths(kb, [folder])
    assert report.count("indexed") == 2, report.results
    assert kb.store.count() == sum(d.chunks for d in kb.documents())
    counts = {d.document_id: d.chunks for d in kb.documents()}
    counts["records"] = kb.recommendations.count()
    return counts


def test_documents_over_http(tmp_path: Path, clean: dict[str, int]) -> None:
    settings = make_settings(tmp_path / "data")
    access = AccessStore(settings.data_dir)
    admin = access.create("admin-tests", "admin").key
    lecteur = access.create("lecture", "lecteur").key
    contributeur = access.create("coordination", "contributeur").key
    metadata = json.dumps({"territory": "Lisière-Océane"})

    with (
        serving(settings, "documents") as (base, _),
        httpx.Client(base_url=base, timeout=120) as http,
    ):
        detail = is_problem(http.post("/v1/documents", files=upload_files()), 401)
        assert "Authorization: Bearer" in detail
        low = http.post("/v1/documents", files=upload_files(), headers=bearer(lecteur))
        assert "rôle" in is_problem(low, 403)

        sent = http.post(
            "/v1/documents",
            files=upload_files(),
            data={"metadata": metadata},
            headers=bearer(contributeur),
        )
        assert sent.status_code == 202, sent.text
        job = sent.json()
        assert job["state"] in ("queued", "running") and job["submitter"] == "coordination"
        assert [f["name"] for f in job["files"]] == [PDF.name, CSV.name]

        # Progress as server-sent events, until the job is finished.
        events = []
        with http.stream("GET", f"/v1/jobs/{job['id']}/events", timeout=180) as stream:
            for line in stream.iter_lines():
                if line.startswith("event: "):
                    events.append(line.removeprefix("event: "))
                if line == "event: done":
                    break
        assert events[-1] == "done"
        job = http.get(f"/v1/jobs/{job['id']}").json()
        assert job["state"] == "done", job
        assert [f["state"] for f in job["files"]] == ["indexed", "indexed"]
        assert job["progress"] == 1.0
        assert http.get("/v1/jobs").json()[0]["id"] == job["id"]
        pdf_id = job["files"][0]["document_id"]
        assert {f["document_id"]: f["chunks"] for f in job["files"]} == {
            k: v for k, v in clean.items() if k != "records"
        }

        hits = http.post(
            "/v1/search", json={"query": "préconisations handicap rare recensement", "k": 10}
        ).json()["results"]
        assert pdf_id in {h["document_id"] for h in hits}

        doc = http.get(f"/v1/documents/{pdf_id}").json()
        assert doc["metadata"]["territory"] == "Lisière-Océane"  # the upload's metadata
        assert doc["status"]["state"] == "indexed" and doc["pages"] == 5
        # Where each value came from: the upload's metadata is a correction, the year is read
        # off the document.
        assert doc["metadata_sources"]["territory"] == "correction"
        assert doc["metadata"]["year"] == 2016
        assert doc["metadata_sources"]["year"] not in ("", "correction")
        # Its recommendation records: as many as the records endpoint cites it for.
        cited = records_citing(http, doc["source"])
        assert doc["records"] == len(cited) > 0
        # Stored under uploads/<sha256 of the content>/<its name>.
        for f in (PDF, CSV):
            digest = hashlib.sha256(f.read_bytes()).hexdigest()
            assert (settings.data_dir / "uploads" / digest / f.name).is_file()
        assert Path(doc["source"]).parent.name == hashlib.sha256(PDF.read_bytes()).hexdigest()

        listing = http.get("/v1/documents").json()
        assert listing["total"] == 2 and listing["facets"]["territory"] == {"Lisière-Océane": 2}
        # A page at a time: pages are disjoint and cover the listing.
        pages = [
            http.get("/v1/documents", params={"limit": 1, "offset": n}).json() for n in (0, 1, 2)
        ]
        assert [p["total"] for p in pages] == [2, 2, 2]
        ids = [[d["document_id"] for d in p["documents"]] for p in pages]
        assert [len(i) for i in ids] == [1, 1, 0] and ids[0] != ids[1]
        assert set(ids[0] + ids[1]) == {d["document_id"] for d in listing["documents"]}

        original = http.get(f"/v1/documents/{pdf_id}/file")
        assert original.status_code == 200
        assert original.headers["content-type"] == "application/pdf"
        assert original.headers["content-disposition"].startswith("inline")
        assert original.content == PDF.read_bytes()

        fixed = http.patch(
            f"/v1/documents/{pdf_id}",
            json={"territory": "Cap-Sénelle", "year": 2017},
            headers=bearer(contributeur),
        )
        assert fixed.status_code == 200, fixed.text
        doc = http.get(f"/v1/documents/{pdf_id}").json()
        assert doc["metadata"]["year"] == 2017
        assert doc["metadata_sources"]["year"] == "correction"
        found = http.post(
            "/v1/search",
            json={"query": "préconisations", "filters": {"territory": "Cap-Sénelle"}},
        ).json()["results"]
        assert found and {h["document_id"] for h in found} == {pdf_id}
        assert http.get("/v1/documents", params={"territory": "Cap-Sénelle"}).json()["total"] == 1

        exe = ("evil.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + os.urandom(4000), "application/pdf")
        refused = http.post("/v1/documents", files={"files": exe}, headers=bearer(contributeur))
        assert "ni un PDF" in is_problem(refused, 415)
        empty_zip = io.BytesIO()
        with zipfile.ZipFile(empty_zip, "w") as z:
            z.writestr("readme.bin", os.urandom(100))
        fake = ("rapport.pdf", empty_zip.getvalue(), "application/pdf")
        refused = http.post("/v1/documents", files={"files": fake}, headers=bearer(contributeur))
        is_problem(refused, 415)
        big = ("gros.txt", b"diagnostic territorial partag\xc3\xa9\n" * 60_000, "text/plain")
        too_big = http.post("/v1/documents", files={"files": big}, headers=bearer(contributeur))
        assert "taille maximale de 1 Mo" in is_problem(too_big, 413)

        gone = http.delete(f"/v1/documents/{pdf_id}", headers=bearer(contributeur))
        assert gone.status_code == 200, gone.text
        assert http.get(f"/v1/documents/{pdf_id}").status_code == 404
        assert records_citing(http, doc["source"]) == []  # its records went with it
        for record in cited:
            left_of = http.get(f"/v1/recommendations/{record}")
            assert left_of.status_code == 404 or doc["source"] not in str(left_of.json())
        left = http.post(
            "/v1/search", json={"query": "préconisations", "filters": {"document_id": pdf_id}}
        ).json()["results"]
        assert left == []
        uploads = [p.name for p in (settings.data_dir / "uploads").rglob("*") if p.is_file()]
        assert uploads == [CSV.name]

        audit = http.get("/v1/audit", headers=bearer(admin)).json()
        writes = [(a["method"], a["path"].split("/")[2], a["status"]) for a in reversed(audit)]
        assert writes == [
            ("POST", "documents", 202),
            ("PATCH", "documents", 200),
            ("POST", "documents", 415),
            ("POST", "documents", 415),
            ("POST", "documents", 413),
            ("DELETE", "documents", 200),
        ]
        assert all(a["key_name"] == "coordination" for a in audit)
        assert is_problem(http.get("/v1/audit", headers=bearer(contributeur)), 403)

    stored = access.path.read_bytes()
    for key in (admin, lecteur, contributeur):
        assert key.encode() not in stored
        secret = key.split("_", 2)[2]  # dtpkb_<id>_<secret>; the secret may hold "_" itself
        assert secret.encode() not in stored


def test_a_killed_server_resumes_its_job(tmp_path: Path, clean: dict[str, int]) -> None:
    """The server dies (SIGKILL) after a file's chunks are stored and before its records;
    restarted, it takes the job up again and the index equals a clean ingest."""
    from kb.knowledge import build_kb

    settings = make_settings(tmp_path / "data")
    key = bearer(AccessStore(settings.data_dir).create("service", "contributeur").key)
    with serving(settings, "crash", DTPKB_INGEST__CRASH_AT="after_chunks") as (base, proc):
        sent = httpx.post(f"{base}/v1/documents", files=upload_files(), headers=key, timeout=60)
        assert sent.status_code == 202, sent.text
        job_id = sent.json()["id"]
        assert proc.wait(timeout=180) == -signal.SIGKILL

    with serving(settings, "resumed") as (base, _), httpx.Client(base_url=base, timeout=60) as http:
        job = wait_for(http, job_id)
        assert job["state"] == "done", job
        assert [f["state"] for f in job["files"]] == ["indexed", "indexed"]

    kb = build_kb(settings)
    docs = kb.documents()
    assert {d.document_id: d.chunks for d in docs} == {
        k: v for k, v in clean.items() if k != "records"
    }
    assert kb.store.count() == sum(d.chunks for d in docs)  # each chunk once, none left over
    assert kb.store.unfinished() == []
    assert kb.recommendations.count() == clean["records"]


def test_a_failed_file_is_run_again(tmp_path: Path, clean: dict[str, int]) -> None:
    """A file refused under one setting (too many passages) is indexed by a retry once the
    setting is raised; a job with nothing failed cannot be retried."""
    settings = make_settings(tmp_path / "data")
    key = bearer(AccessStore(settings.data_dir).create("service", "contributeur").key)
    reader = bearer(AccessStore(settings.data_dir).create("lecture", "lecteur").key)
    files = {"files": (PDF.name, PDF.read_bytes(), "application/pdf")}
    with (
        serving(settings, "strict", DTPKB_INGEST__MAX_CHUNKS="2") as (base, _),
        httpx.Client(base_url=base, timeout=60) as http,
    ):
        sent = http.post("/v1/documents", files=files, headers=key)
        assert sent.status_code == 202, sent.text
        job = wait_for(http, sent.json()["id"])
        assert job["state"] == "failed", job
        assert (
            job["files"][0]["state"] == "failed"
            and "ingest.max_chunks" in job["files"][0]["reason"]
        )
        assert http.get("/v1/documents").json()["total"] == 0

    with serving(settings, "retry") as (base, _), httpx.Client(base_url=base, timeout=60) as http:
        assert http.post(f"/v1/jobs/{job['id']}/retry").status_code == 401
        assert http.post(f"/v1/jobs/{job['id']}/retry", headers=reader).status_code == 403
        again = http.post(f"/v1/jobs/{job['id']}/retry", headers=key)
        assert again.status_code == 202, again.text
        assert (
            again.json()["files"][0]["state"] == "queued"
            and again.json()["files"][0]["reason"] is None
        )
        job = wait_for(http, job["id"])
        assert job["state"] == "done", job
        pdf_id = job["files"][0]["document_id"]
        assert job["files"][0] == {
            "name": PDF.name,
            "document_id": pdf_id,
            "state": "indexed",
            "reason": None,
            "chunks": clean[pdf_id],
        }
        assert http.get(f"/v1/documents/{pdf_id}").json()["chunks"] == clean[pdf_id]
        nothing = http.post(f"/v1/jobs/{job['id']}/retry", headers=key)
        assert "aucun fichier en échec" in is_problem(nothing, 409)


def test_a_cited_passage_of_a_file_that_is_not_a_pdf_opens_in_context(tmp_path: Path) -> None:
    """A Markdown note and a Word report uploaded; an answer cites each; the link the chat
    gives its citation (no page to jump to in those formats) opens the passage in context:
    a French page with the cited passage highlighted among its page's others."""
    from html import escape

    from ui.chat import citation_url

    settings = make_settings(tmp_path / "data")
    access = AccessStore(settings.data_dir)
    key = bearer(access.create("service", "contributeur").key)
    files = [("files", (f.name, f.read_bytes(), "application/octet-stream")) for f in NOT_PDF]
    cases = {
        ".md": "Quel est le budget du diagnostic ?",
        ".docx": "Quelles décisions le comité régional de suivi a-t-il prises ?",
    }
    with (
        serving(settings, "passages") as (base, _),
        httpx.Client(base_url=base, timeout=120) as http,
    ):
        sent = http.post("/v1/documents", files=files, headers=key)
        assert sent.status_code == 202, sent.text
        assert wait_for(http, sent.json()["id"])["state"] == "done"
        for suffix, question in cases.items():
            answer = http.post("/v1/ask", json={"question": question}).json()
            cited = [c for c in answer["citations"] if c["source"].endswith(suffix)]
            assert cited, (suffix, answer)
            citation = Citation.model_validate(cited[0])
            url = citation_url(citation)
            assert url == f"/v1/documents/{citation.document_id}/passages/{citation.chunk_id}"
            page = http.get(url)
            assert page.status_code == 200, page.text
            assert page.headers["content-type"].startswith("text/html")
            html = page.text
            assert '<html lang="fr">' in html and "le passage cité est surligné" in html
            highlighted = html.split('<mark id="passage">', 1)[1].split("</mark>", 1)[0]
            assert escape(citation.quote) in highlighted
            assert f"/v1/documents/{citation.document_id}/file" in html
        missing = f"/v1/documents/{citation.document_id}/passages/inconnu"
        assert "inconnu" in is_problem(http.get(missing), 404)
