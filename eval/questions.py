"""The evaluation questions: French questions over the sample corpus, with their answers' pages."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.settings import CHECKOUT_DIR

QUESTIONS = Path(__file__).with_name("questions.jsonl")
CORPUS = CHECKOUT_DIR / "corpus"
TYPES = (
    "needs",
    "resources",
    "status",
    "precedent",
    "methodology",
    "figures",
    "unanswerable",
    "feedback",  # exported from user ratings (dtp-kb feedback export), to be reviewed
)


@dataclass
class Question:
    id: str
    question: str
    type: str
    expected: list[tuple[str, int]]  # (path relative to the corpus folder, 1-based page)
    evidence: str = ""
    facts: list[str] = field(default_factory=list)
    filters: dict[str, Any] = field(default_factory=dict)

    @property
    def answerable(self) -> bool:
        return bool(self.expected)


def load_questions(path: Path = QUESTIONS) -> list[Question]:
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            question = Question(
                id=raw["id"],
                question=raw["question"],
                type=raw["type"],
                expected=[(e["source"], int(e["page"])) for e in raw.get("expected", [])],
                evidence=raw.get("evidence", ""),
                facts=list(raw.get("facts", [])),
                filters=dict(raw.get("filters") or {}),
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not a valid question ({exc})") from exc
        if question.type not in TYPES:
            raise ValueError(f"{path}:{number}: unknown type {question.type!r}")
        questions.append(question)
    return questions
