"""The date a question asks about ("au bilan de juin 2018"), and a record's status at that date."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from kb import domain
from kb.recommendations.ids import ids_in
from kb.recommendations.status import MONTHS, dates
from kb.recommendations.types import Recommendation, StatusFact
from kb.text import fold

_MONTH = "(" + "|".join(MONTHS) + ")"
_MONTH_YEAR = re.compile(rf"\b{_MONTH} ((?:19|20)\d{{2}})\b")
_PART_YEAR = re.compile(r"\b(fin|debut|mi)[- ]((?:19|20)\d{2})\b")
_PARTS = {"debut": (1, 3), "mi": (5, 8), "fin": (9, 12)}
_PART_NAMES = {"debut": "début ", "mi": "mi-", "fin": "fin "}
_MONTH_NAMES = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
)
# A day named exactly still matches a source dated a little before (a tracker "au 30 juin"
# reviewed by a committee on the 20th).
_SLACK = timedelta(days=31)


@dataclass(frozen=True)
class Period:
    """The span of dates a question names, inclusive, and how the answer says it."""

    start: str
    end: str
    label: str  # as the answer says it: "au 30/06/2018", "en juin 2018", "fin 2022", "en 2023"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def named_period(question: str) -> Period | None:
    """The date or period the question asks the status at, if it names one."""
    folded = fold(question)
    found: list[tuple[int, date, date, str]] = [
        (position, when - _SLACK, when, f"au {when:%d/%m/%Y}") for position, when in dates(question)
    ]
    if not found:
        for m in _MONTH_YEAR.finditer(folded):
            year, month = int(m.group(2)), MONTHS[m.group(1)]
            name = f"en {_MONTH_NAMES[month - 1]} {year}"
            found.append((m.start(), date(year, month, 1), _month_end(year, month), name))
        for m in _PART_YEAR.finditer(folded):
            year, (first, last) = int(m.group(2)), _PARTS[m.group(1)]
            name = f"{_PART_NAMES[m.group(1)]}{year}"
            found.append((m.start(), date(year, first, 1), _month_end(year, last), name))
    if not found:
        for m in domain.profile().cue("review_year").finditer(folded):
            year = int(m.group(2))
            found.append((m.start(), date(year, 1, 1), date(year, 12, 31), f"en {year}"))
    if not found:
        return None
    _, start, end, text = min(found)
    return Period(start.isoformat(), end.isoformat(), text)


def status_at(record: Recommendation, period: Period) -> StatusFact | None:
    """The status the record had at the end of `period`: its latest dated fact by then.

    Among facts of that date, the one agreeing with most of them wins (as for the latest).
    """
    dated = [f for f in record.history if f.date and f.date <= period.end]
    if not dated:
        return None
    last = max(f.date or "" for f in dated)
    same = [f for f in dated if f.date == last]
    return max(same, key=lambda f: sum(g.status == f.status for g in same))


def has_source(records: list[Recommendation], period: Period) -> bool:
    """Whether some source speaks at the period or after it; if not, the period is beyond
    every follow-up document and its statuses are unknown."""
    return any(f.date and f.date >= period.start for r in records for f in r.history)


def comment(fact: StatusFact) -> str:
    """What the source says next to the status (a tracker's comment column), if anything."""
    quote = " ".join(fact.quote.split())
    wording = " ".join(fact.wording.split())
    at = fold(quote).rfind(fold(wording)) if wording else -1
    if at < 0:
        return ""
    rest = quote[at + len(wording) :]
    rest = re.sub(r"^[\s;|,\"(]*(?:\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})?[\s;|,\")]*", "", rest)
    header, sep, value = rest.partition(" : ")
    if sep and domain.field_of_header(header) in ("status_date", "comment"):
        rest = value
    # Page furniture after the comment (a footer, a disclaimer) is not part of it.
    furniture = domain.profile().furniture.search(rest)
    rest = rest[: furniture.start()] if furniture else rest
    rest = rest.strip(' ;|"')
    # A fiche's next label, a list's "Reprend …" or a livret's scattered cells: no comment.
    if (
        not rest
        or re.match(r"^(Reprend\b|[A-ZÉ][\w' ]{1,30} :)", rest)
        or len(rest.split()) < (10 if ids_in(rest) else 4)
        or len(rest) > 400
    ):
        return ""
    return rest
