"""The HTTP API under generated and malformed requests: never a server error, and every
refusal a problem+json body. Over a small index, not the whole corpus, in both store modes
(embedded, and a `chroma run` server of its own)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from api.app import create_app
from conftest import CORPUS, STORE_MODES, chroma_server, make_settings, server_settings
from ingest.pipeline import ingest_paths
from kb.knowledge import build_kb
from pdfs import LIVRET_PAGES, make_pdf


@pytest.fixture(scope="module", params=STORE_MODES)
def app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FastAPI]:
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
        yield create_app(config, with_ui=False)


@pytest.fixture(scope="module")
def api_schema(app: FastAPI):  # type: ignore[no-untyped-def]
    return schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def test_no_server_error_on_generated_requests(api_schema) -> None:  # type: ignore[no-untyped-def]
    """Valid and invalid requests for every operation, 25 of each (schemathesis's pytest
    plugin does not run under pytest 9, so its strategies are driven here)."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 8
    calls = 0
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=25,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def check(case) -> None:  # type: ignore[no-untyped-def]
                nonlocal calls
                calls += 1
                case.call_and_validate(checks=[not_a_server_error])

            try:
                check()
            except Unsatisfiable:
                # No parameters or body to get wrong (GET /healthz): nothing negative to send.
                assert mode is GenerationMode.NEGATIVE, operation.label
    assert calls >= 10 * len(operations)


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
