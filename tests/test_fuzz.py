"""The HTTP API under generated and malformed requests: never a server error, and every
refusal a problem+json body; without a key, and past authentication with an admin key. Over
a small index, not the whole corpus, in both store modes (embedded, and a `chroma run`
server of its own)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from contextlib import ExitStack, suppress

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from hypothesis.strategies import SearchStrategy
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi

from api.app import create_app
from conftest import CORPUS, STORE_MODES, chroma_server, make_settings, server_settings
from ingest.pipeline import ingest_paths
from kb.access import AccessStore, NewKey
from kb.knowledge import build_kb
from kb.settings import Settings
from pdfs import LIVRET_PAGES, make_pdf


@pytest.fixture(scope="module", params=STORE_MODES)
def config(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    root = tmp_path_factory.mktemp("fuzz")
    folder = root / "docs"
    folder.mkdir()
    make_pdf(folder / "livret.pdf", LIVRET_PAGES, "Livret de démonstration")
    shutil.copy(CORPUS / "docs" / "handicaps_rares" / "HR-2016_suivi_2020.csv", folder)
    with ExitStack() as stack:
        if request.param == "server":
            port = stack.enter_context(chroma_server(root / "chroma-server"))
            config = server_settings(root / "data", port)
        else:
            config = make_settings(root / "data")
        report = ingest_paths(build_kb(config), [folder])
        assert report.count("indexed") == 2, report.failed
        yield config


@pytest.fixture(scope="module")
def admin(config: Settings) -> NewKey:
    return AccessStore(config.data_dir).create("fuzz-admin", "admin")


@pytest.fixture(scope="module")
def client(config: Settings) -> Iterator[TestClient]:
    """The app, its lifespan (knowledge base, ingestion worker) run here once: stopped, the
    worker's current file included, before the store's server of `config` stops."""
    with TestClient(create_app(config, with_ui=False)) as c:
        yield c


@pytest.fixture(scope="module")
def api_schema(client: TestClient):  # type: ignore[no-untyped-def]
    # Not `from_asgi`: it would start a second lifespan of the app (a second worker) that
    # schemathesis keeps running until the interpreter exits.
    schema = schemathesis.openapi.from_dict(client.get("/openapi.json").json())
    schema.app = client.app
    return schema


@pytest.fixture(scope="module")
def session(client: TestClient) -> asgi.ASGIClient:
    """Calls into the app without a lifespan of their own: the one `client` runs serves them."""
    return asgi.get_client(client.app)


def _fuzz(
    operation,  # type: ignore[no-untyped-def]
    strategy: SearchStrategy,  # type: ignore[type-arg]
    session: asgi.ASGIClient,
    headers: dict[str, str] | None,
    examples: int,
) -> list[int]:
    """Send `examples` cases drawn from `strategy`: never a 5xx, every 4xx a problem+json.
    The statuses answered."""
    statuses: list[int] = []

    @given(case=strategy)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case) -> None:  # type: ignore[no-untyped-def]
        response = case.call_and_validate(
            session=session, headers=headers, checks=[not_a_server_error]
        )
        statuses.append(response.status_code)
        if response.status_code >= 400:
            kind = response.headers.get("content-type", [""])[0]  # a list of values here
            assert kind.startswith("application/problem+json"), (operation.label, kind)

    check()
    return statuses


def test_no_server_error_on_generated_requests(api_schema, session: asgi.ASGIClient) -> None:  # type: ignore[no-untyped-def]
    """Valid and invalid requests for every operation, 25 of each, without a key (schemathesis's
    pytest plugin does not run under pytest 9, so its strategies are driven here)."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 8
    calls = 0
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                calls += len(
                    _fuzz(operation, operation.as_strategy(generation_mode=mode), session, None, 25)
                )
            except Unsatisfiable:
                # No parameters or body to get wrong (GET /healthz): nothing negative to send.
                assert mode is GenerationMode.NEGATIVE, operation.label
    assert calls >= 10 * len(operations)


# What needs a key past 127.0.0.1's open reads: writes, and the admins' reads. In this
# order: a document is corrected before it may be deleted.
KEYED = (
    "POST /v1/documents",
    "PATCH /v1/documents/{document_id}",
    "DELETE /v1/documents/{document_id}",
    "POST /v1/jobs/{job_id}/retry",
    "DELETE /v1/jobs/{job_id}",
    "GET /v1/keys",
    "POST /v1/keys",
    "DELETE /v1/keys/{key_id}",
    "GET /v1/audit",
    "POST /v1/feedback",
    "GET /v1/feedback",
)
FINAL = ("done", "failed", "cancelled")


def _finished(client: TestClient, timeout: float = 120) -> list[dict]:  # type: ignore[type-arg]
    """The jobs, once every one of them is finished."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        jobs = client.get("/v1/jobs", params={"limit": 500}).json()
        if all(j["finished"] for j in jobs):
            return jobs  # type: ignore[no-any-return]
        time.sleep(0.2)
    pytest.fail(f"jobs still at work after {timeout} s: {jobs}")


def _cancel_all(client: TestClient, key: dict[str, str]) -> list[dict]:  # type: ignore[type-arg]
    """Cancel the queued and running jobs; the jobs once the worker has let go of them."""
    for job in client.get("/v1/jobs", params={"limit": 500}).json():
        if job["state"] in ("queued", "running"):
            assert client.delete(f"/v1/jobs/{job['id']}", headers=key).status_code == 200
    return _finished(client)


def test_no_server_error_past_authentication(
    api_schema,  # type: ignore[no-untyped-def]
    session: asgi.ASGIClient,
    client: TestClient,
    admin: NewKey,
    config: Settings,
) -> None:
    """The operations behind a key, with an admin key: generated requests (valid ones also
    aimed at ids that exist: a document, a finished job, a key) never get a server error.
    Every job they start is cancelled or done before the app stops; the fuzzing's own key
    stays valid."""
    key = {"Authorization": f"Bearer {admin.key}"}
    note = ("note.md", "# Note\n\nLe diagnostic recense les aidants épuisés.\n".encode())
    sent = client.post("/v1/documents", files={"files": note}, headers=key)
    assert sent.status_code == 202, sent.text
    done = _finished(client)[0]
    assert done["state"] == "done", done
    victim = AccessStore(config.data_dir).create("fuzz-victime", "lecteur")
    existing = {
        "document_id": [done["files"][0]["document_id"], _livret_id(client)],
        "job_id": [done["id"]],
        "key_id": [victim.id],  # never the fuzzing's own key: revoking it would end the run
    }

    operations = {
        op.label: op for op in (result.ok() for result in api_schema.get_all_operations())
    }
    assert operations.keys() >= set(KEYED), set(KEYED) - operations.keys()
    statuses: dict[str, list[int]] = {}
    for label in KEYED:
        operation = operations[label]
        names = [p.name for p in operation.path_parameters]
        strategy = operation.as_strategy(generation_mode=GenerationMode.POSITIVE)
        if names:
            aimed = [
                operation.as_strategy(
                    generation_mode=GenerationMode.POSITIVE,
                    path_parameters={names[0]: value},
                )
                for value in existing[names[0]]
            ]
            strategy = st.one_of(strategy, *aimed)
        statuses[label] = _fuzz(operation, strategy, session, key, 30)
        with suppress(Unsatisfiable):  # nothing to get wrong but the path
            strategy = operation.as_strategy(generation_mode=GenerationMode.NEGATIVE)
            _fuzz(operation, strategy, session, key, 15)
        assert AccessStore(config.data_dir).authenticate(admin.key) is not None, label

    for label, positive in statuses.items():
        assert not {401, 403} & set(positive), (label, positive)  # the key was taken
        if "{" in label:  # ids that exist were aimed at, not only unknown ones
            assert set(positive) - {404}, (label, positive)
    jobs = _cancel_all(client, key)
    assert all(j["state"] in FINAL for j in jobs)
    kb = client.app.state.kb  # type: ignore[attr-defined]
    assert kb.store.unfinished() == []
    assert kb.store.count() == sum(d.chunks for d in kb.documents())


def _livret_id(client: TestClient) -> str:
    docs = client.get("/v1/documents").json()["documents"]
    return next(d["document_id"] for d in docs if d["source"].endswith("livret.pdf"))


def _is_problem(response, status: int) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]


@pytest.mark.parametrize(
    "body",
    [
        b"{",
        b'{"query": }',
        b"\xff\xfe\x00garbage",
        b"[]",
        b'{"query": "x", "k": "beaucoup"}',
        b'{"query": "x", "inconnu": 1}',
        b'{"question": "ok"}',
    ],
)
def test_malformed_json_is_a_422_problem(client: TestClient, body: bytes) -> None:
    response = client.post("/v1/search", content=body, headers={"content-type": "application/json"})
    _is_problem(response, 422)


def test_a_huge_body_is_a_413_problem(client: TestClient) -> None:
    big = b'{"query": "' + b"a" * 5_000_000 + b'"}'
    response = client.post("/v1/search", content=big, headers={"content-type": "application/json"})
    _is_problem(response, 413)


@pytest.mark.parametrize(
    "text",
    [
        "\ud800 surrogat seul",
        "\x00\x01\x02 contrôles",
        "\u202e\u200b\ufeff invisibles",
        "🏳️‍🌈" * 200,
        "ＳＡＭＳＡＨ ｐｌａｃｅｓ",
        "a" * 20_000,
        " \n\t ",
    ],
)
def test_junk_unicode_never_breaks_the_server(client: TestClient, text: str) -> None:
    import json

    for path, field in (("/v1/search", "query"), ("/v1/ask", "question")):
        body = json.dumps({field: text})  # ASCII escapes: a lone surrogate stays valid JSON
        response = client.post(path, content=body, headers={"content-type": "application/json"})
        assert response.status_code < 500, (path, text[:20], response.text[:300])
        if response.status_code >= 400:
            _is_problem(response, response.status_code)


def test_unknown_paths_and_methods_are_problems(client: TestClient) -> None:
    _is_problem(client.get("/v1/nulle-part"), 404)
    _is_problem(client.delete("/v1/search"), 405)
    _is_problem(client.get("/v1/recommendations/%00%ff"), 404)


@pytest.mark.parametrize("path", ["/v1/jobs", "/v1/documents", "/v1/recommendations"])
def test_an_offset_past_any_store_is_a_422_problem(client: TestClient, path: str) -> None:
    """Found by the fuzzing above: 2**63 reached SQLite as an integer it cannot hold (500)."""
    _is_problem(client.get(path, params={"offset": 2**63}), 422)
