"""Recommendation data: the YAML records, their dated status history, the world."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

STATUSES = (
    "non_engagee",
    "en_cours",
    "realisee",
    "partiellement_realisee",
    "reportee",
    "abandonnee",
    "integree",
)


class DataError(ValueError):
    """Recommendation or review data is inconsistent."""


@dataclass(frozen=True)
class StatusEntry:
    date: date
    wording: str
    status: str
    source: str
    comment: str = ""


@dataclass
class Recommendation:
    id: str
    dtp_id: str
    axis: int
    axis_title: str
    title: str
    pilot: str
    partners: list[str]
    timeline: str
    indicator: str
    source: str
    finding: str = ""
    objective: str = ""
    public: str = ""
    precedent: str = ""
    # Optional fiche-action fields (PTSM roadmaps): display number, steps, area, means.
    label: str = ""
    steps: str = ""
    territory: str = ""
    means: str = ""
    history: list[StatusEntry] = field(default_factory=list)

    def status_at(self, when: date) -> StatusEntry:
        """The latest status known on `when` (the initial one if none is older)."""
        known = [entry for entry in self.history if entry.date <= when]
        return known[-1] if known else self.history[0]

    @property
    def latest(self) -> StatusEntry:
        return self.history[-1]


@dataclass(frozen=True)
class Review:
    id: str
    dtp_id: str
    date: date
    source: str
    updates: list[dict[str, str]]


@dataclass
class CorpusData:
    recommendations: dict[str, Recommendation]
    reviews: dict[str, Review]
    world: dict[str, Any]

    def of_dtp(self, dtp_id: str, axis: int | None = None) -> list[Recommendation]:
        return [
            rec
            for rec in self.recommendations.values()
            if rec.dtp_id == dtp_id and (axis is None or rec.axis == axis)
        ]


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_status_map(path: Path) -> dict[str, str]:
    """Original wording (lower-cased) -> normalised status."""
    mapping: dict[str, str] = {}
    for status, wordings in _yaml(path).items():
        if status not in STATUSES:
            raise DataError(f"{path}: unknown normalised status {status!r}")
        for wording in wordings:
            mapping[wording.lower()] = status
    return mapping


def normalise(wording: str, mapping: dict[str, str], where: str) -> str:
    try:
        return mapping[wording.lower()]
    except KeyError:
        raise DataError(f"{where}: status wording {wording!r} is not in statuses.yaml") from None


def _recommendations(path: Path, mapping: dict[str, str]) -> list[Recommendation]:
    doc = _yaml(path)
    recs = []
    for raw in doc["recommendations"]:
        initial = raw.pop("status")
        # YAML reads "timeline: 2017" as an int: every text field is kept as str.
        raw = {k: v if k == "axis" or isinstance(v, list) else str(v) for k, v in raw.items()}
        rec = Recommendation(
            dtp_id=doc["dtp_id"],
            axis_title=doc["axes"][raw["axis"]],
            source=raw.pop("source", doc["source"]),
            partners=list(raw.pop("partners", [])),
            **raw,
        )
        when = initial.get("date", doc["date"])
        status = normalise(initial["wording"], mapping, rec.id)
        rec.history.append(StatusEntry(when, initial["wording"], status, rec.source))
        recs.append(rec)
    return recs


def _review(path: Path) -> Review:
    doc = _yaml(path)
    return Review(doc["id"], doc["dtp_id"], doc["date"], doc["source"], doc["updates"])


def _apply(review: Review, recs: dict[str, Recommendation], mapping: dict[str, str]) -> None:
    for update in review.updates:
        rec = recs.get(update["id"])
        if rec is None:
            raise DataError(f"review {review.id}: unknown recommendation {update['id']}")
        status = normalise(update["status"], mapping, f"{review.id}/{rec.id}")
        entry = StatusEntry(
            review.date, update["status"], status, review.source, update.get("comment", "")
        )
        rec.history.append(entry)
        rec.history.sort(key=lambda e: e.date)


def load_data(data_dir: Path) -> CorpusData:
    """Load world.yaml, statuses.yaml, recommendations/*.yaml and reviews/*.yaml."""
    mapping = load_status_map(data_dir / "statuses.yaml")
    recs: dict[str, Recommendation] = {}
    for path in sorted((data_dir / "recommendations").glob("*.yaml")):
        for rec in _recommendations(path, mapping):
            if rec.id in recs:
                raise DataError(f"{path}: duplicate recommendation id {rec.id}")
            recs[rec.id] = rec
    reviews = {}
    for path in sorted((data_dir / "reviews").glob("*.yaml")):
        review = _review(path)
        _apply(review, recs, mapping)
        reviews[review.id] = review
    for rec in recs.values():
        if rec.precedent and rec.precedent not in recs:
            raise DataError(f"{rec.id}: precedent {rec.precedent} does not exist")
    return CorpusData(recs, reviews, _yaml(data_dir / "world.yaml"))
