"""Status wordings of real documents -> the normalised values of DOMAIN.md, and French labels."""

from __future__ import annotations

import re
from datetime import date

from kb.text import fold

STATUSES: dict[str, str] = {
    "non_engagee": "non engagée",
    "en_cours": "en cours",
    "realisee": "réalisée",
    "partiellement_realisee": "partiellement réalisée",
    "reportee": "reportée",
    "abandonnee": "abandonnée",
    "integree": "intégrée à un autre plan",
}

# First match wins, on the accent-folded wording: the order settles overlaps
# ("en cours de réalisation" is in progress, "réalisée en partie" is partial).
_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"partiel|en partie"), "partiellement_realisee"),
    (
        re.compile(
            r"\bnon (engage|enclench|demarr|commenc|lance|realis|initi)|\ba (programmer|engager"
            r"|lancer|planifier|demarrer)|\bpas (encore )?(engage|demarr|commenc|lance)"
            r"|\bnon debut|\bprevue?s?\b|\ba venir"
        ),
        "non_engagee",
    ),
    (re.compile(r"abandon|non retenu|supprim|annul|renonc"), "abandonnee"),
    (re.compile(r"suspen|report|differ|ajourn|\bgele|en attente|decal"), "reportee"),
    (re.compile(r"integr|repris|transfer|absorb|fusionn"), "integree"),
    (
        re.compile(
            r"en cours|engage|progress|amorc|demarr|lance|en voie|initie|deploiement|avance"
        ),
        "en_cours",
    ),
    (
        re.compile(r"termin|realis|mise? en (oeuvre|place)|atteint|achev|accompli|\bfait"),
        "realisee",
    ),
]

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
    folded = fold(" ".join(wording.split()))
    folded = folded.replace("œ", "oe")
    for pattern, status in _RULES:
        if pattern.search(folded):
            return status
    return None


def label(status: str, count: int = 1) -> str:
    """French label of a normalised status ('en_cours' -> 'en cours'), plural above one."""
    text = STATUSES.get(status, status)
    return text.replace("ée", "ées", 1) if count > 1 else text


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
