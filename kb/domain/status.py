"""A status wording -> its DOMAIN.md value, reading negations ("non atteint", "ne fait pas
l'objet d'un financement") and percentages; colours and marks are left unknown."""

from __future__ import annotations

import re

from kb.domain.loader import Profile
from kb.text import fold

_PERCENT = re.compile(r"(?<![\d,.])(\d{1,3})(?:[,.]\d+)?\s*%")
_WORD = re.compile(r"[a-z0-9]+")


def _negated(folded: str, start: int, profile: Profile) -> bool:
    """Whether a negation word stands just before the cue at `start`, in the same clause."""
    clause = re.split(r"[,;:.()\[\]/|]|\bmais\b|\bet\b", folded[:start])[-1]
    before = _WORD.findall(clause)[-profile.data["status"]["window"] :]
    return any(word in profile.negations for word in before)


def status_of(wording: str, profile: Profile) -> str | None:
    """The normalised status of a wording, or None when it states none (or none readably)."""
    folded = " ".join(fold(wording).replace("\u2019", "'").split()).strip(" .;:-–—")
    if profile.status_unknown.fullmatch(folded):
        return None
    stated = _stated(profile.status_neutral.sub(" ", folded), profile)
    match = _PERCENT.search(folded)
    percent = profile.data["status"]["percent"]
    if match is None or stated in percent["kept"]:
        return stated
    share = int(match.group(1))
    return str(percent["zero" if share == 0 else "full" if share >= 100 else "between"])


def _stated(folded: str, profile: Profile) -> str | None:
    """The status the words state: the first rule with a cue read (negated or not)."""
    for rule in profile.status_rules:
        for match in rule.cues.finditer(folded):
            if not _negated(folded, match.start(), profile):
                return rule.value
            if rule.negated:
                return rule.negated
    return None


def status_label(status: str, profile: Profile, count: int = 1) -> str:
    """French label of a normalised status ('en_cours' -> 'en cours'), plural above one."""
    text = profile.statuses.get(status, status)
    return text.replace("ée", "ées", 1) if count > 1 else text
