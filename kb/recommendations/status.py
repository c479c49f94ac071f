"""Statuses of recommendations (read by the domain profile) and the dates they hold at."""

from __future__ import annotations

import re
from datetime import date

from kb import domain
from kb.text import fold

_DATE_NUM = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
MONTHS = {
    "janvier": 1,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
}
_DATE_WORDS = re.compile(r"\b(1er|\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})\b")


def normalise(wording: str) -> str | None:
    """The DOMAIN.md value of a status wording, or None when it is not a status."""
    return domain.status_of(wording, domain.profile())


def label(status: str, count: int = 1) -> str:
    """French label of a normalised status ('en_cours' -> 'en cours'), plural above one."""
    return domain.status_label(status, domain.profile(), count)


def statuses() -> dict[str, str]:
    """Every normalised status and its French label, in the profile's order."""
    return domain.profile().statuses


def dates(text: str) -> list[tuple[int, date]]:
    """Every full date in `text` (31/12/2020, 2020-12-31, 31 décembre 2020) with its
    position, in order."""
    folded = fold(text).replace("œ", "oe")
    found: list[tuple[int, date | None]] = []
    for match in _DATE_NUM.finditer(folded):
        day, month, year = (int(g) for g in match.groups())
        found.append((match.start(), _safe(year, month, day)))
    for match in _DATE_ISO.finditer(folded):
        year, month, day = (int(g) for g in match.groups())
        found.append((match.start(), _safe(year, month, day)))
    for match in _DATE_WORDS.finditer(folded):
        day = 1 if match.group(1) == "1er" else int(match.group(1))
        found.append((match.start(), _safe(int(match.group(3)), MONTHS[match.group(2)], day)))
    return sorted((pos, d) for pos, d in found if d is not None)


def parse_date(text: str) -> str | None:
    """The first date in `text` as ISO."""
    found = dates(text)
    return found[0][1].isoformat() if found else None


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def split_wording(value: str) -> tuple[str, str | None]:
    """'à programmer (15/11/2016)' -> ('à programmer', '2016-11-15')."""
    value = " ".join(value.split())
    when = parse_date(value)
    wording = re.sub(
        r"\s*[(\[]?\s*(au |le |depuis )?\d{1,2}[/.]\d{1,2}[/.]\d{4}\s*[)\]]?", " ", value
    )
    wording = re.sub(r"\s*[(\[]?\s*\d{4}-\d{2}-\d{2}\s*[)\]]?", " ", wording)
    return " ".join(wording.split()).strip(" -–—:;,"), when
