"""The evaluation corpora: the sample corpus (our own renderer) and a second corpus made with
another tool chain (python-docx + LibreOffice, no manifest); each with its questions and its
ground truth, measured and reported separately."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kb.settings import CHECKOUT_DIR


@dataclass(frozen=True)
class Corpus:
    name: str
    root: Path  # question and truth paths are relative to it
    docs: Path  # what is indexed
    questions: Path
    records: Path  # ground truth of the recommendation records
    facets: Path | None = None  # ground truth of the facets, when no manifest gives them

    @property
    def label(self) -> str:
        return {"sample": "corpus d'exemple", "other": "second corpus"}.get(self.name, self.name)


SAMPLE = Corpus(
    "sample",
    CHECKOUT_DIR / "corpus",
    CHECKOUT_DIR / "corpus",  # its .dtpkbignore leaves out sources, tooling and truth
    Path(__file__).with_name("questions.jsonl"),
    CHECKOUT_DIR / "corpus" / "recommendations.csv",
)
OTHER = Corpus(
    "other",
    CHECKOUT_DIR / "corpus" / "other",
    CHECKOUT_DIR / "corpus" / "other" / "docs",
    CHECKOUT_DIR / "corpus" / "other" / "questions.jsonl",
    CHECKOUT_DIR / "corpus" / "other" / "truth" / "records.csv",
    CHECKOUT_DIR / "corpus" / "other" / "truth" / "facets.csv",
)
CORPORA = {c.name: c for c in (SAMPLE, OTHER)}
