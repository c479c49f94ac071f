"""Filtering and counting recommendation records (what the API, the CLI and answers share)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kb.errors import BadRequestError
from kb.recommendations.status import label, statuses
from kb.recommendations.types import Recommendation
from kb.text import analyze, fold


@dataclass
class RecordFilter:
    """Every given criterion must hold; list criteria accept any of their values."""

    dtp_id: list[str] = field(default_factory=list)
    theme: list[str] = field(default_factory=list)
    territory: list[str] = field(default_factory=list)
    year: list[int] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    axis: str | None = None
    pilot: str | None = None
    partner: str | None = None
    actor: str | None = None  # pilot or partner
    q: str | None = None

    def __post_init__(self) -> None:
        unknown = sorted(set(self.status) - set(statuses()))
        if unknown:
            raise BadRequestError(
                f"unknown status {', '.join(unknown)}; use one of {', '.join(statuses())}"
            )

    def matches(self, record: Recommendation) -> bool:
        checks = (
            not self.dtp_id or record.dtp_id in self.dtp_id,
            not self.theme or record.theme in self.theme,
            not self.territory or fold(record.territory) in {fold(t) for t in self.territory},
            not self.year or record.year in self.year,
            not self.status or record.status in self.status,
            not self.axis or _axis_matches(self.axis, record.axis),
            not self.pilot or mentions(record.pilot, self.pilot),
            not self.partner or any(mentions(p, self.partner) for p in record.partners),
            not self.actor or role_of(record, self.actor) is not None,
            not self.q or _text_matches(self.q, record),
        )
        return all(checks)


def mentions(name: str, wanted: str) -> bool:
    """'MDPH' is in 'MDPH du Cantal': whole words, ignoring case and accents."""
    needle = " ".join(fold(wanted).split())
    if not needle:
        return False
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", " ".join(fold(name).split())) is not None


def role_of(record: Recommendation, actor: str) -> str | None:
    """'pilote' or 'partenaire' when `actor` carries or takes part in the recommendation."""
    if mentions(record.pilot, actor):
        return "pilote"
    if any(mentions(p, actor) for p in record.partners):
        return "partenaire"
    return None


def _axis_matches(wanted: str, axis: str) -> bool:
    wanted = wanted.strip()
    if wanted.isdigit():
        return axis.split(".")[0].strip() == wanted
    return fold(wanted) in fold(axis)


def _text_matches(query: str, record: Recommendation) -> bool:
    wanted = set(analyze(query))
    haystack = " ".join(
        [
            record.id,
            record.title,
            record.description,
            record.finding,
            record.axis,
            record.pilot,
            *record.partners,
            record.indicators,
        ]
    )
    return bool(wanted) and wanted <= set(analyze(haystack)) or fold(query) in fold(haystack)


def select(records: Iterable[Recommendation], where: RecordFilter) -> list[Recommendation]:
    return [r for r in records if where.matches(r)]


def status_counts(records: Sequence[Recommendation]) -> dict[str, int]:
    """Counts by current status, in DOMAIN.md order; 'inconnu' for records with none."""
    counts = Counter(r.status or "inconnu" for r in records)
    ordered = {s: counts[s] for s in statuses() if counts[s]}
    if counts["inconnu"]:
        ordered["inconnu"] = counts["inconnu"]
    return ordered


def stats_by_dtp(records: Sequence[Recommendation]) -> list[dict[str, object]]:
    """For each DTP: its facets, its number of recommendations and their counts by status."""
    by_dtp: dict[str, list[Recommendation]] = {}
    for record in records:
        by_dtp.setdefault(record.dtp_id, []).append(record)
    rows = []
    for dtp_id in sorted(by_dtp, key=lambda d: (by_dtp[d][0].year or 0, d)):
        group = by_dtp[dtp_id]
        rows.append(
            {
                "dtp_id": dtp_id,
                "theme": group[0].theme,
                "territory": group[0].territory,
                "year": group[0].year,
                "total": len(group),
                "counts": status_counts(group),
            }
        )
    return rows


def labels() -> dict[str, str]:
    return {status: label(status) for status in statuses()}
