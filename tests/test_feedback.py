"""Ratings of answers: stored by `/v1/feedback` (open like questions, listed for admins) and
exported by `dtp-kb feedback export` as evaluation questions the eval loader reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from conftest import CORPUS, cli, make_settings
from eval.questions import load_questions
from ingest.pipeline import ingest_paths
from kb.access import AccessStore
from kb.errors import BadRequestError
from kb.feedback import FeedbackStore, export_questions
from kb.knowledge import build_kb

PDF = CORPUS / "docs" / "handicaps_rares" / "HR-2016_preconisations.pdf"
QUESTION = (
    "Quelles préconisations concernent le recensement des personnes en situation de handicap rare ?"
)


def test_store_keeps_ratings_and_refuses_others(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path)
    assert store.path == tmp_path / "feedback.sqlite3"
    first = store.add("Q ?", "R.", [], 1, filters={"year": 2016}, who="moi")
    second = store.add("Q2 ?", "R2.", [], -1, comment="  faux  ")
    assert [e.id for e in store.list()] == [second.id, first.id]  # latest first
    assert store.list(rating=1) == [first]
    assert second.comment == "faux" and first.filters == {"year": 2016} and first.who == "moi"
    with pytest.raises(BadRequestError, match="1 ou -1"):
        store.add("Q ?", "R.", [], 0)
    assert FeedbackStore(tmp_path / "feedback.sqlite3").list(limit=1) == [second]


def test_feedback_over_http_then_exported_as_eval_questions(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data")
    assert ingest_paths(build_kb(settings), [PDF]).count("indexed") == 1  # in place: corpus path
    access = AccessStore(settings.data_dir)
    admin = {"Authorization": f"Bearer {access.create('chef', 'admin').key}"}
    lecteur = {"Authorization": f"Bearer {access.create('lecture', 'lecteur').key}"}

    with TestClient(create_app(settings, with_ui=False)) as client:
        answer = client.post("/v1/ask", json={"question": QUESTION}).json()
        assert answer["citations"], answer
        body = {
            "question": QUESTION,
            "answer": answer["answer"],
            "citations": answer["citations"],
            "filters": {"doc_type": "preconisations"},
            "rating": -1,
            "comment": "Il manque le pilote.",
        }
        sent = client.post("/v1/feedback", json=body)  # reads are open on 127.0.0.1
        assert sent.status_code == 201, sent.text
        assert sent.json()["who"] is None and sent.json()["rating"] == -1
        up = client.post("/v1/feedback", json={**body, "question": "Autre ?", "rating": 1})
        assert up.status_code == 201
        assert up.json()["comment"] == "Il manque le pilote."
        keyed = client.post(
            "/v1/feedback", json={**body, "question": "Encore ?", "comment": None}, headers=lecteur
        )
        assert keyed.json()["who"] == "lecture"
        assert client.post("/v1/feedback", json={**body, "rating": 0}).status_code == 422

        assert client.get("/v1/feedback").status_code == 401
        assert client.get("/v1/feedback", headers=lecteur).status_code == 403
        listed = client.get("/v1/feedback", headers=admin).json()
        assert [e["question"] for e in listed] == ["Encore ?", "Autre ?", QUESTION]
        negative = client.get("/v1/feedback", params={"rating": -1}, headers=admin).json()
        assert [e["question"] for e in negative] == ["Encore ?", QUESTION]

    output = tmp_path / "eval" / "questions-feedback.jsonl"
    result = cli(settings, "feedback", "export", "--output", str(output), "--only-negative")
    assert result.returncode == 0, result.stderr
    assert "2 question(s)" in result.stdout
    questions = load_questions(output)
    assert [q.question for q in questions] == [QUESTION, "Encore ?"]
    first = questions[0]
    assert first.type == "feedback" and first.filters == {"doc_type": "preconisations"}
    cited = {(c["source"], c["page"]) for c in answer["citations"]}
    assert set(first.expected) == {
        (Path(source).relative_to(CORPUS).as_posix(), page) for source, page in cited
    }
    assert all((CORPUS / source).is_file() for source, _ in first.expected)
    raw = json.loads(output.read_text(encoding="utf-8").splitlines()[0])
    assert raw["review"]["comment"] == "Il manque le pilote."
    assert {e["document_id"] for e in raw["expected"]} == {
        c["document_id"] for c in answer["citations"]
    }

    everything = tmp_path / "all.jsonl"
    assert export_questions(FeedbackStore(settings.data_dir).list(), everything) == 3
    assert len(load_questions(everything)) == 3
