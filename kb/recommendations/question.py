"""Reading a French question about recommendations: which ones, which figure, which actor."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from kb import domain
from kb.recommendations.asof import Period, named_period
from kb.recommendations.ids import id_pattern, number_of, question_numbers, scheme_of
from kb.recommendations.search import RecordFilter, mentions
from kb.recommendations.types import Recommendation
from kb.text import analyze, fold

# Record fields a question may ask for, each with its profile cue list "asks_<field>".
ASKED_FIELDS = ("indicators", "timeline", "partners")


def _cue(name: str) -> re.Pattern[str]:
    """A question cue list of the domain profile (on folded text)."""
    return domain.profile().cue(name)


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
    scheme: str = ""  # the numbering scheme that noun names, if any
    asked: list[str] = field(default_factory=list)  # fields asked beside the status


def _find_actor(question: str, records: Sequence[Recommendation]) -> str | None:
    """The longest run of the question's words, from a capitalised one, naming some actor."""
    names = {r.pilot for r in records} | {p for r in records for p in r.partners}
    names.discard("")
    words = re.findall(r"[\w'’-]+", re.sub(r"\b(?:[ldLD]|qu|Qu)['’]", " ", question))
    best: str | None = None
    for i, word in enumerate(words):
        if not word[:1].isupper() or id_pattern().fullmatch(word):
            continue
        for j in range(min(len(words), i + 7), i, -1):
            phrase = " ".join(words[i:j]).replace("’", "'")
            if (best is None or len(phrase) > len(best)) and any(
                mentions(n, phrase) for n in names
            ):
                best = phrase
                break
    return best


def named_by_title(
    question: str,
    records: Sequence[Recommendation],
    filters: Mapping[str, object],
    single: bool = False,
) -> list[str]:
    """The one recommendation the question names by its subject, if one stands out: it
    restates most of its title ("la convention … a-t-elle été signée ?" for "Signer la
    convention …"), or it asks about one recommendation ("la fiche action sur le protocole
    « sortants »", or any text `single` says names one) and the title's rare words it shares
    weigh twice any other title's."""
    asked = set(analyze(question))
    dtps = filters.get("dtp_id")
    pool = [
        (r, title)
        for r in records
        if (title := set(analyze(r.title)))
        and len(title) >= 3
        and (not dtps or r.dtp_id in (dtps if isinstance(dtps, list | tuple) else [dtps]))
    ]
    # "la fiche action sur …" is one of the fiches actions, not a préconisation on the subject.
    scheme = noun_of(fold(question))[1]
    pool = [(r, t) for r, t in pool if scheme_of(r.id) == scheme] or pool
    if not pool:
        return []
    covered = sorted(((len(t & asked) / len(t), r.id) for r, t in pool), reverse=True)
    best, second = covered[0], covered[1] if len(covered) > 1 else (0.0, "")
    if best[0] >= 0.75 and best[0] - second[0] >= 0.2:
        return [best[1]]
    if not single and not _cue("one_record").search(fold(question)):
        return []
    frequency = Counter(term for _, title in pool for term in title)
    weight = {t: math.log(1 + len(pool) / n) for t, n in frequency.items()}
    mass = sorted(
        ((sum(weight[t] for t in t_ & asked), len(t_ & asked), r.id) for r, t_ in pool),
        reverse=True,
    )
    top, runner = mass[0], mass[1] if len(mass) > 1 else (0.0, 0, "")
    if top[1] >= 2 and top[0] >= 2 * runner[0]:
        return [top[2]]
    return []


def _wanted_statuses(folded: str) -> list[str]:
    for status, pattern in domain.profile().wanted_status:
        if pattern.search(folded):
            return [status]
    return []


def parse_question(
    question: str, records: Sequence[Recommendation], filters: Mapping[str, object] | None = None
) -> Intent | None:
    """What a question asks of the records, or None when it is not a status/count/actor one."""
    upper = question.upper()
    ids = id_pattern()
    explicit = list(dict.fromkeys(m.group(0) for m in ids.finditer(upper)))
    known = {r.id for r in records}
    rest = ids.sub(" ", upper)
    folded = fold(ids.sub(" ", question))
    numbers = question_numbers(ids.sub(" ", question))
    count, status = bool(_cue("count").search(folded)), bool(_cue("status").search(folded))
    named = status or _cue("outcome").search(folded)
    if not (explicit or numbers or count or _cue("figure").search(folded)) and named:
        explicit = named_by_title(question, records, filters or {})
    is_rec = bool(explicit or numbers or _cue("records").search(folded))
    pilot = bool(_cue("pilot").search(folded))
    partner = bool(_cue("partner").search(folded))
    if not is_rec or not (count or status or pilot or partner or explicit):
        return None
    if _cue("precedent").search(folded) or (_cue("advised").search(folded) and not explicit):
        return None
    when = named_period(question)
    if when is not None:  # "au 30 juin 2018" is a date, not the year of a diagnostic
        rest = rest.replace(when.end[:4], " ", 1)

    actor = _find_actor(ids.sub(" ", question), records) if (pilot or partner) else None
    where = stated_filters(question, rest, folded, actor, records, filters or {})
    if actor:
        if pilot and not partner:
            where.pilot = actor
        elif partner and not pilot and "partenaire" in folded:
            where.partner = actor
        else:
            where.actor = actor
    kind: Literal["record", "count", "list"] = "list"
    noun, scheme = noun_of(folded)
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
        by_status=bool(_cue("by_status").search(folded)) or (count and not where.status),
        pilot=pilot and not actor,
        actor=actor,
        when=when,
        noun=noun,
        scheme=scheme,
        asked=[f for f in ASKED_FIELDS if _cue(f"asks_{f}").search(folded)],
    )


def noun_of(folded: str) -> tuple[str, str]:
    """What the question calls the records ("fiche action", "recommandation"...) and the
    numbering scheme that names ("" when it names none)."""
    for pattern, noun, scheme in domain.profile().nouns:
        if pattern.search(folded):
            return noun, scheme
    return "préconisation", ""


def stated_filters(
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
    themes = listed("theme") or [
        t.value for t in domain.profile().themes if any(c in folded for c in t.question_cues)
    ]
    place = fold(question.replace(actor, " ")) if actor else folded
    territories = listed("territory") or [
        t
        for t in {r.territory for r in records if r.territory}
        if re.search(rf"(?<!\w){re.escape(fold(t))}(?!\w)", place)
    ]
    return RecordFilter(dtp_id=dtp_ids, theme=themes, territory=territories, year=years)
