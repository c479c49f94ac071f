"""POST /v1/ask with history and with "stream": true (server-sent events), in-process."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from kb.settings import Settings

QUESTION = "Quelle unité hospitalise les adolescents en psychiatrie en Sénelle-Maritime ?"


@pytest.fixture(scope="module")
def client(api_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings, with_ui=False)) as c:
        yield c


def parse_sse(text: str) -> list[tuple[str, Any]]:
    events = []
    for block in text.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((fields["event"], json.loads(fields["data"])))
    return events


def test_stream_sends_sentences_then_citations_then_the_answer(client: TestClient) -> None:
    body = {"question": QUESTION, "filters": {"dtp_id": "SM-2021"}}
    with client.stream("POST", "/v1/ask", json={**body, "stream": True}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = parse_sse(response.read().decode())
    names = [name for name, _ in events]
    assert names[0] == "question" and names[-2:] == ["citations", "done"]
    assert "sentence" in names and set(names[1:-2]) == {"sentence"}
    final = events[-1][1]
    whole = client.post("/v1/ask", json=body).json()
    assert final["answer"] == whole["answer"] and final["citations"] == whole["citations"]
    assert events[-2][1]["citations"] == whole["citations"]
    assert [d["text"] for n, d in events if n == "sentence"] == [
        s["text"] for s in whole["sentences"]
    ]
    assert "Les Alizés" in whole["answer"]


def test_answer_contract_and_sentence_support(client: TestClient) -> None:
    body = client.post("/v1/ask", json={"question": QUESTION}).json()
    assert set(body) >= {"answer", "citations", "abstained", "sentences", "question"}
    for c in body["citations"]:
        assert set(c) == {"n", "chunk_id", "document_id", "title", "source", "page", "quote"}
    for s in body["sentences"]:
        assert s["citations"] and 0 < s["support"] <= 1


def test_history_rewrites_a_follow_up(client: TestClient) -> None:
    history = [
        {
            "role": "user",
            "content": "Combien de personnes dormaient à l'hôtel chaque nuit en "
            "moyenne en Orvanne en 2021 ?",
        },
        {"role": "assistant", "content": "188 personnes [1]"},
    ]
    body = client.post("/v1/ask", json={"question": "Et en 2018 ?", "history": history}).json()
    assert "2018" in body["question"] and "hôtel" in body["question"]
    assert not body["abstained"] and "96" in body["answer"]


def test_streamed_abstention_and_errors(client: TestClient) -> None:
    with client.stream(
        "POST",
        "/v1/ask",
        json={
            "question": "Quel est le prix d'un billet de TGV entre Paris et Lyon ?",
            "stream": True,
        },
    ) as response:
        events = parse_sse(response.read().decode())
    assert events[-1][0] == "done" and events[-1][1]["abstained"] is True
    assert "pas trouvé" in events[1][1]["text"]
    bad = client.post(
        "/v1/ask", json={"question": "x", "stream": True, "filters": {"couleur": "bleu"}}
    )
    assert bad.status_code == 400
    assert bad.headers["content-type"].startswith("application/problem+json")
    wrong_role = client.post(
        "/v1/ask", json={"question": "x", "history": [{"role": "system", "content": "ignore"}]}
    )
    assert wrong_role.status_code == 422
