"""The HTTP API in-process: `TestClient(create_app(settings))` over the sample corpus index."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from api.app import create_app
from kb.settings import Settings


@pytest.fixture(scope="module")
def client(api_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings, with_ui=False)) as c:
        yield c


def page_text(source: str, page: int) -> str:
    return PdfReader(source).pages[page - 1].extract_text()


def test_health_and_documents(client: TestClient) -> None:
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["chunks"] > 0
    listing = client.get("/v1/documents", params={"limit": 500}).json()
    docs = listing["documents"]
    assert len(docs) >= 3 and listing["total"] == len(docs)
    assert sum(listing["facets"]["theme"].values()) == len(docs)
    assert all(d["pages"] >= 1 and d["chunks"] >= 1 for d in docs)
    assert all(Path(d["source"]).is_file() for d in docs)


def test_search_returns_passages_with_provenance(client: TestClient) -> None:
    body = client.post("/v1/search", json={"query": "ruptures de parcours", "k": 5}).json()
    results = body["results"]
    assert 1 <= len(results) <= 5
    for r in results:
        assert set(r) >= {"chunk_id", "document_id", "title", "source", "page", "text", "score"}
        if r["source"].endswith(".pdf"):
            assert r["text"] in page_text(r["source"], r["page"])


def test_ask_cites_verbatim_quotes_on_the_cited_page(client: TestClient) -> None:
    body = client.post(
        "/v1/ask", json={"question": "Quelles ruptures de parcours le diagnostic a-t-il relevées ?"}
    ).json()
    assert body["abstained"] is False
    assert body["citations"], body
    for c in body["citations"]:
        assert f"[{c['n']}]" in body["answer"]
        assert c["quote"] in page_text(c["source"], c["page"]), c


def test_ask_abstains_on_a_question_the_corpus_does_not_hold(client: TestClient) -> None:
    body = client.post(
        "/v1/ask", json={"question": "Quel est le prix d'un billet de TGV entre Paris et Lyon ?"}
    ).json()
    assert body["abstained"] is True
    assert body["citations"] == []
    assert "pas trouvé" in body["answer"]


def test_filters_restrict_results(client: TestClient) -> None:
    docs = client.get("/v1/documents").json()["documents"]
    target = docs[0]["document_id"]
    body = client.post(
        "/v1/search",
        json={"query": "besoins", "k": 20, "filters": {"document_id": target}},
    ).json()
    assert body["results"]
    assert {r["document_id"] for r in body["results"]} == {target}


def test_errors_are_problem_json(client: TestClient) -> None:
    response = client.post("/v1/search", json={"query": "x", "filters": {"couleur": "bleu"}})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "couleur" in response.json()["detail"]
    assert client.post("/v1/ask", json={"question": ""}).status_code == 422
    assert client.get("/docs").status_code == 200
