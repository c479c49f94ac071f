"""Reading a French question about recommendations: which ones, which figure, which actor."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from kb.recommendations.asof import Period, named_period
from kb.recommendations.ids import ID, SHORT_FA, number_of
from kb.recommendations.search import RecordFilter, mentions
from kb.recommendations.types import Recommendation
from kb.text import analyze, fold

# The nouns only: "le guide recommande-t-il" is not about recommendations.
_REC = re.compile(r"\bpreconisations?\b|\brecommandations?\b|\bfiches? actions?\b|\bactions?\b")
# What a count counts: "combien de participants" is not a count of recommendations.
_COUNTED = re.compile(
    r"\b(?:combien|nombre)\s+(?:de|des|d')\s*(?:\d+\s+|[\w-]+\s+){0,2}?"
    r"(?:preconisations?|recommandations?|fiches? actions?|actions?)\b"
    r"|\bpar statut\b|\brepartition\b|\bdecompte\b"
)
# Questions the records do not answer: a number the method advises ("devrait-il retenir"),
# and which recommendations take up earlier ones (precedents, answered from the passages).
_ADVISED = re.compile(r"\b(devrai[et]n?t?|doi(?:t|vent)|faudrait|faut-il|conseill)\b")
_DERIVED = re.compile(
    r"inspir|\breprend\b|\breprenn?ent\b|\brepris(?:e|es)? (?:en|par)\b|\bprecedents?\b"
    r"|\bherit|\bdecoul|\bs'appui"
)
# What else says that one recommendation continues another.
_CONTINUES = re.compile(r"\bprolong|\bfait suite\b|\bsuite (?:a|d)\b|\brepris")
# "A-t-elle été signée ?", "Qu'est devenu … ?": where one thing stands, named by its subject.
_OUTCOME = re.compile(
    r"\ba-t-(?:il|elle)\b|\bont-(?:ils|elles)\b|\bqu'est devenue?s?\b|\bou en (?:est|etait)\b"
)
# A figure asked ("Quelle valeur en 2023 ?"): the passages', even when a title is restated.
_FIGURE = re.compile(r"\bquel(?:le)?s? (?:valeur|delai|taux|nombre|part|montant|chiffre)\b")
_BY_STATUS = re.compile(r"par (statut|etat)|repartition|selon (leur|le) (statut|etat)")
_STATUS = re.compile(
    r"\bou en (est|sont)\b|\bstatuts?\b|\betat\b|avancement|\bavancees?\b|\brealise|\btermin"
    r"|\ben cours\b|\breport|\babandon|\bengage|\bintegr|\bsuspen|\bdiffer|\bdemarr|\bsuivi\b"
    r"|\blancee?s?\b"
)
_PILOT = re.compile(
    r"\bpilot|\bporteurs?\b|\bportee?s? par\b|\bresponsables?\b|\bqui (porte|conduit|mene)"
)
_PARTNER = re.compile(
    r"partenaire|implique|associe|mobilise|\bnomment\b|\bcitent\b|concern|particip"
)
# A recommendation's follow-up named without the word: "a-t-il ouvert ?", "prévu par le PTSM".
_FOLLOW_UP = re.compile(
    r"\bqu'est devenue?s?\b|\bou en (?:est|sont|etai(?:en)?t)\b|\bprevue?s?\b|\bvu le jour\b"
    r"|\bouvert|\bmise? en (?:place|oeuvre)\b|\bbilan\b"
)
_NUMBER = re.compile(
    r"(?:preconisation|recommandation)s?\s*(?:n\s*°|no|numero|num\.?)?\s*(\d{1,2})\b(?![,.]?\d)"
    r"|\bP(\d{1,2})\b",
    re.IGNORECASE,
)
# Status words of a question ("réalisées", "pas encore démarrées"), most specific first.
_WANTED_STATUS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"partiel|en partie"), "partiellement_realisee"),
    (
        re.compile(
            r"\bnon (engage|demarr|commenc|lance|realise)|pas (encore )?(engage|demarr"
            r"|commenc|lance|realise)"
        ),
        "non_engagee",
    ),
    (re.compile(r"abandon|non retenu"), "abandonnee"),
    (re.compile(r"report|suspens|differ"), "reportee"),
    (re.compile(r"integre|reprises? dans"), "integree"),
    (re.compile(r"\ben cours\b|\bengagees?\b|en progression|\blancees?\b"), "en_cours"),
    (re.compile(r"\brealisees?\b|\btermine|\bachevee?s?\b"), "realisee"),
]
_THEMES = {
    "rapt": ("reponse accompagnee", "rapt"),
    "sans_abrisme": ("sans-abri", "sans abri", "mal-logement", "360"),
    "sante_mentale": ("sante mentale", "psychiatri", "ptsm"),
    "handicaps_rares": ("handicap rare", "handicaps rares"),
}


@dataclass
class Intent:
    kind: Literal["record", "count", "list"]
    where: RecordFilter
    ids: list[str] = field(default_factory=list)
    unknown_ids: list[str] = field(default_factory=list)
    by_status: bool = False
    pilot: bool = False
    actor: str | None = None
    when: Period | None = None  # the date the status is asked at, if the question names one
    noun: str = "préconisation"  # what the question calls them


def _find_actor(question: str, records: Sequence[Recommendation]) -> str | None:
    """The longest run of the question's words, from a capitalised one, naming some actor."""
    names = {r.pilot for r in records} | {p for r in records for p in r.partners}
    names.discard("")
    words = re.findall(r"[\w'’-]+", re.sub(r"\b(?:[ldLD]|qu|Qu)['’]", " ", question))
    best: str | None = None
    for i, word in enumerate(words):
        if not word[:1].isupper() or ID.fullmatch(word):
            continue
        for j in range(min(len(words), i + 7), i, -1):
            phrase = " ".join(words[i:j]).replace("’", "'")
            if (best is None or len(phrase) > len(best)) and any(
                mentions(n, phrase) for n in names
            ):
                best = phrase
                break
    return best


def _named_by_title(
    question: str, records: Sequence[Recommendation], filters: Mapping[str, object]
) -> list[str]:
    """The one recommendation whose title the question restates ("la convention … a-t-elle
    été signée ?" for "Signer la convention …"), if one stands out."""
    asked = set(analyze(question))
    dtps = filters.get("dtp_id")
    scored = sorted(
        (
            (len(title & asked) / len(title), r.id)
            for r in records
            if (title := set(analyze(r.title)))
            and len(title) >= 3
            and (not dtps or r.dtp_id in (dtps if isinstance(dtps, list | tuple) else [dtps]))
        ),
        reverse=True,
    )
    if scored and scored[0][0] >= 0.75 and (len(scored) < 2 or scored[1][0] < scored[0][0] - 0.2):
        return [scored[0][1]]
    return []


def _wanted_statuses(folded: str) -> list[str]:
    for pattern, status in _WANTED_STATUS:
        if pattern.search(folded):
            return [status]
    return []


def about_recommendations(question: str) -> bool:
    """Whether a question is about recommendations, their follow-up, pilots or precedents
    (rather than about a territory's needs, resources or method)."""
    if ID.search(question.upper()):
        return True
    folded = fold(question)
    patterns = (_REC, _DERIVED, _STATUS, _PILOT, _FOLLOW_UP)
    return any(pattern.search(folded) for pattern in patterns)


def asks_precedent(question: str) -> bool:
    """Whether a question asks which recommendation takes up, continues or inspires which."""
    folded = fold(question)
    return bool(_DERIVED.search(folded) or _CONTINUES.search(folded))


def parse_question(
    question: str, records: Sequence[Recommendation], filters: Mapping[str, object] | None = None
) -> Intent | None:
    """What a question asks of the records, or None when it is not a status/count/actor one."""
    upper = question.upper()
    explicit = list(dict.fromkeys(m.group(0) for m in ID.finditer(upper)))
    known = {r.id for r in records}
    rest = ID.sub(" ", upper)
    folded = fold(ID.sub(" ", question))
    numbers = [f"FA{a}-{b}" for a, b in SHORT_FA.findall(rest)]
    numbers += [f"P{int(a or b):02d}" for a, b in _NUMBER.findall(folded)]
    count, status = bool(_COUNTED.search(folded)), bool(_STATUS.search(folded))
    named = status or _OUTCOME.search(folded)
    if not (explicit or numbers or count or _FIGURE.search(folded)) and named:
        explicit = _named_by_title(question, records, filters or {})
    is_rec = bool(explicit or numbers or _REC.search(folded))
    pilot = bool(_PILOT.search(folded))
    partner = bool(_PARTNER.search(folded))
    if not is_rec or not (count or status or pilot or partner or explicit):
        return None
    if _DERIVED.search(folded) or (_ADVISED.search(folded) and not explicit):
        return None
    when = named_period(question)
    if when is not None:  # "au 30 juin 2018" is a date, not the year of a diagnostic
        rest = rest.replace(when.end[:4], " ", 1)

    actor = _find_actor(ID.sub(" ", question), records) if (pilot or partner) else None
    where = _filters(question, rest, folded, actor, records, filters or {})
    if actor:
        if pilot and not partner:
            where.pilot = actor
        elif partner and not pilot and "partenaire" in folded:
            where.partner = actor
        else:
            where.actor = actor
    kind: Literal["record", "count", "list"] = "list"
    ids = [i for i in explicit if i in known]
    if explicit or numbers:
        kind = "record"
        pool = [r for r in records if where.matches(r)] if where.dtp_id or where.year else records
        ids += [r.id for r in pool if number_of(r.id) in numbers and r.id not in ids]
    elif count:
        kind = "count"
    if kind != "record":
        where.status = _wanted_statuses(folded)
    return Intent(
        kind=kind,
        where=where,
        ids=ids,
        unknown_ids=[i for i in explicit if i not in known],
        by_status=bool(_BY_STATUS.search(folded)) or (count and not where.status),
        pilot=pilot and not actor,
        actor=actor,
        when=when,
        noun=_noun(folded),
    )


def _noun(folded: str) -> str:
    if re.search(r"\bfiches? actions?\b", folded):
        return "fiche action"
    if re.search(r"\brecommandations?\b", folded):
        return "recommandation"
    return "préconisation"


def _filters(
    question: str,
    rest: str,
    folded: str,
    actor: str | None,
    records: Sequence[Recommendation],
    filters: Mapping[str, object],
) -> RecordFilter:
    """Filters given with the question, and those it states (a DTP, a year, a theme, a place)."""

    def listed(key: str) -> list[str]:
        value = filters.get(key)
        values = value if isinstance(value, list | tuple) else [value] if value is not None else []
        return [str(v) for v in values]

    dtps = sorted({r.dtp_id for r in records}, key=len, reverse=True)
    dtp_ids = listed("dtp_id") or [
        d for d in dtps if re.search(rf"(?<![\w-]){re.escape(d)}(?![\w-])", rest)
    ]
    for dtp in dtp_ids:
        rest = rest.replace(dtp, " ")
    years = [int(y) for y in listed("year")] or [
        int(y)
        for y in re.findall(r"\b((?:19|20)\d{2})\b", rest)
        if int(y) in {r.year for r in records}
    ]
    themes = listed("theme") or [t for t, cues in _THEMES.items() if any(c in folded for c in cues)]
    place = fold(question.replace(actor, " ")) if actor else folded
    territories = listed("territory") or [
        t
        for t in {r.territory for r in records if r.territory}
        if re.search(rf"(?<!\w){re.escape(fold(t))}(?!\w)", place)
    ]
    return RecordFilter(dtp_id=dtp_ids, theme=themes, territory=territories, year=years)
