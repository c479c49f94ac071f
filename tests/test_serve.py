"""The real server (`dtp-kb serve` in a subprocess), called with a real HTTP client."""

from __future__ import annotations

import httpx


def test_served_api_answers_with_citations(served_api: str) -> None:
    with httpx.Client(base_url=served_api, timeout=60) as http:
        assert http.get("/healthz").json()["status"] == "ok"
        body = http.post(
            "/v1/ask", json={"question": "Qui pilote les préconisations sur la scolarisation ?"}
        ).json()
        assert set(body) >= {"answer", "citations", "abstained"}
        if not body["abstained"]:
            assert body["citations"]
            first = body["citations"][0]
            assert set(first) == {
                "n",
                "chunk_id",
                "document_id",
                "title",
                "source",
                "page",
                "quote",
            }
        assert http.get("/docs").status_code == 200
        assert http.get("/openapi.json").json()["paths"].keys() >= {
            "/healthz",
            "/v1/search",
            "/v1/ask",
            "/v1/documents",
        }
        assert http.get("/ui/").status_code == 200


def test_served_api_survives_bad_requests(served_api: str) -> None:
    with httpx.Client(base_url=served_api, timeout=60) as http:
        assert http.post("/v1/search", content=b"{not json").status_code == 422
        assert http.post("/v1/search", json={"query": "a", "k": 1000}).status_code == 422
        bad = http.post("/v1/search", json={"query": "a", "filters": {"x": 1}})
        assert bad.status_code == 400
        assert http.get("/healthz").status_code == 200
