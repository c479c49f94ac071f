"""Feedback on answers (thumbs up or down, an optional comment) in `<data_dir>/feedback.sqlite3`,
and its export as evaluation questions (the `eval/questions.jsonl` format).

Used in-process by the chat UI and over HTTP by `/v1/feedback`:

    store = FeedbackStore(settings.data_dir)
    store.add(question, answer.answer, answer.citations, -1, comment="...", filters={...})
    export_questions(store.list(), Path("eval/questions-feedback.jsonl"), only_negative=True)
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from kb import sqlite
from kb.errors import BadRequestError
from kb.settings import CHECKOUT_DIR
from kb.types import Citation

FILE = "feedback.sqlite3"
CORPUS = CHECKOUT_DIR / "corpus"
# The eval loader needs a type; a reviewer replaces this one with the question's real type.
QUESTION_TYPE = "feedback"
Rating = Literal[1, -1]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT, question TEXT NOT NULL, answer TEXT NOT NULL,
    citations TEXT NOT NULL, filters TEXT NOT NULL, rating INTEGER NOT NULL,
    comment TEXT, created_at TEXT NOT NULL, who TEXT
);
"""

_EXAMPLE_CITATION = {
    "n": 1,
    "chunk_id": "4be1c0d2a9f3-0007",
    "document_id": "4be1c0d2a9f3",
    "title": "Livret du diagnostic",
    "source": "docs/handicaps_rares/livret.pdf",
    "page": 12,
    "quote": "Les ruptures apparaissent surtout entre 16 et 25 ans.",
}


class Feedback(BaseModel):
    """One rated answer, as stored."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 42,
                    "question": "À quel âge les ruptures de parcours apparaissent-elles ?",
                    "answer": "Surtout entre 16 et 25 ans [1].",
                    "citations": [_EXAMPLE_CITATION],
                    "filters": {"theme": "handicaps_rares"},
                    "rating": -1,
                    "comment": "La réponse oublie la petite enfance.",
                    "created_at": "2025-03-14T09:30:00+00:00",
                    "who": "coordination-hr",
                }
            ]
        }
    )

    id: int
    question: str
    answer: str = Field(description="The answer's text as it was shown.")
    citations: list[Citation] = Field(description="The answer's citations.")
    filters: dict[str, Any] = Field(description="The filters the question was asked with.")
    rating: Rating = Field(description="+1 (useful) or -1 (wrong or useless).")
    comment: str | None = None
    created_at: str
    who: str | None = Field(None, description="Name of the API key that sent it, if any.")


class FeedbackStore:
    """`FeedbackStore(data_dir)` keeps `data_dir/feedback.sqlite3`; a path ending in
    `.sqlite3` is taken as the database file itself."""

    def __init__(self, path: Path) -> None:
        path = Path(path)
        self.path = path if path.suffix == ".sqlite3" else path / FILE
        sqlite.create(self.path, _SCHEMA)

    def _db(self) -> AbstractContextManager[sqlite3.Connection]:
        return sqlite.connect(self.path)

    def add(
        self,
        question: str,
        answer: str,
        citations: Sequence[Citation | Mapping[str, Any]],
        rating: int,
        *,
        comment: str | None = None,
        filters: Mapping[str, Any] | None = None,
        who: str | None = None,
    ) -> Feedback:
        """Store one rating (+1 or -1) of an answer; the stored entry."""
        if rating not in (1, -1):
            raise BadRequestError(f"la note doit valoir 1 ou -1, pas {rating!r}")
        if not question.strip():
            raise BadRequestError("la question notée est vide")
        cited = [Citation.model_validate(c).model_dump() for c in citations]
        comment = (comment or "").strip() or None
        with self._db() as db:
            cursor = db.execute(
                "INSERT INTO feedback (question, answer, citations, filters, rating, comment, "
                "created_at, who) VALUES (?,?,?,?,?,?,?,?)",
                (
                    question.strip(),
                    answer,
                    json.dumps(cited, ensure_ascii=False),
                    json.dumps(dict(filters or {}), ensure_ascii=False),
                    rating,
                    comment,
                    datetime.now(UTC).isoformat(timespec="seconds"),
                    who,
                ),
            )
            row = db.execute("SELECT * FROM feedback WHERE id = ?", (cursor.lastrowid,)).fetchone()
        return _entry(row)

    def list(
        self, limit: int | None = None, offset: int = 0, rating: int | None = None
    ) -> list[Feedback]:
        """The entries, latest first; only those of one rating if given."""
        where, args = ("WHERE rating = ?", [rating]) if rating is not None else ("", [])
        with self._db() as db:
            rows = db.execute(
                f"SELECT * FROM feedback {where} ORDER BY id DESC LIMIT ? OFFSET ?",
                (*args, -1 if limit is None else limit, offset),
            ).fetchall()
        return [_entry(r) for r in rows]


def _entry(row: sqlite3.Row) -> Feedback:
    data = dict(row)
    data["citations"] = json.loads(data["citations"])
    data["filters"] = json.loads(data["filters"])
    return Feedback(**data)


def _source(source: str, corpus: Path) -> str:
    """A cited file as the eval expects it: relative to the corpus folder when inside it."""
    try:
        return Path(source).resolve().relative_to(corpus.resolve()).as_posix()
    except ValueError:
        return source


def as_questions(
    entries: Iterable[Feedback], *, only_negative: bool = False, corpus: Path = CORPUS
) -> list[dict[str, Any]]:
    """Evaluation questions to review, one per distinct question and filters (the latest
    rating wins): the cited pages as expected sources, the rating and comment kept beside."""
    chosen: dict[tuple[str, str], Feedback] = {}
    for entry in sorted(entries, key=lambda e: e.id):
        chosen[(" ".join(entry.question.lower().split()), json.dumps(entry.filters))] = entry
    out = []
    for entry in sorted(chosen.values(), key=lambda e: e.id):
        if only_negative and entry.rating != -1:
            continue
        expected: list[dict[str, Any]] = []
        for c in entry.citations:
            ref = {"source": _source(c.source, corpus), "page": c.page}
            if ref not in [{"source": e["source"], "page": e["page"]} for e in expected]:
                expected.append({**ref, "document_id": c.document_id})
        out.append(
            {
                "id": f"feedback-{entry.id:04d}",
                "question": entry.question,
                "type": QUESTION_TYPE,
                "expected": expected,
                "evidence": "",
                "facts": [],
                "filters": entry.filters,
                "review": {
                    "rating": entry.rating,
                    "comment": entry.comment,
                    "answer": entry.answer,
                    "who": entry.who,
                    "created_at": entry.created_at,
                },
            }
        )
    return out


def export_questions(
    entries: Iterable[Feedback],
    output: Path,
    *,
    only_negative: bool = False,
    corpus: Path = CORPUS,
) -> int:
    """Write `as_questions(...)` to `output` as JSON lines; the number of questions written."""
    questions = as_questions(entries, only_negative=only_negative, corpus=corpus)
    output.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(q, ensure_ascii=False) for q in questions]
    output.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return len(questions)
