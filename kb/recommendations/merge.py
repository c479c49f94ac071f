"""Merge what several documents say about one recommendation into one record."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from kb.recommendations.ids import dtp_of, number_of, split_list, year_of
from kb.recommendations.types import Observation, Recommendation, SourceRef, StatusFact

_TEXT_FIELDS = ("axis", "title", "description", "finding", "pilot", "timeline", "indicators")


def _vote(observations: Sequence[Observation], name: str) -> str:
    """The value stated by the richest observations (most fields); ties go to the longest."""
    weights: Counter[str] = Counter()
    for obs in observations:
        value = obs.fields.get(name, "").strip()
        if value:
            weights[value] += len(obs.fields)
    if not weights:
        return ""
    return max(weights, key=lambda v: (weights[v], len(v), v))


def _facets(rec_id: str, observations: Sequence[Observation]) -> dict[str, object]:
    """The DTP's facets, from documents of that DTP (a later DTP may mention an earlier one)."""
    dtp_id = dtp_of(rec_id)
    own = [o.doc for o in observations if o.doc.get("dtp_id") == dtp_id]
    facets: dict[str, object] = {}
    for key in ("theme", "territory", "year", "edition"):
        values = Counter(d[key] for d in own if d.get(key) not in (None, ""))
        if values:
            facets[key] = values.most_common(1)[0][0]
    facets.setdefault("year", year_of(dtp_id))
    return facets


def _history(observations: Sequence[Observation]) -> list[StatusFact]:
    facts: dict[tuple[object, ...], StatusFact] = {}
    for obs in observations:
        fact = obs.status
        if fact is not None:
            facts.setdefault((fact.status, fact.wording, fact.date, fact.source, fact.page), fact)
    return sorted(facts.values(), key=lambda f: (f.date or "", f.source, f.page))


def current_status(history: Sequence[StatusFact]) -> tuple[StatusFact | None, bool]:
    """The latest fact, and whether facts of that same date disagree."""
    if not history:
        return None, False
    latest = max((f.date or "") for f in history)
    last = [f for f in history if (f.date or "") == latest]
    counts = Counter(f.status for f in last)
    winner = max(
        counts, key=lambda s: (counts[s], max(i for i, f in enumerate(last) if f.status == s))
    )
    chosen = [f for f in last if f.status == winner][-1]
    return chosen, len(counts) > 1


def merge(rec_id: str, observations: Sequence[Observation]) -> Recommendation:
    history = _history(observations)
    current, conflict = current_status(history)
    sources: dict[tuple[str, int, str], SourceRef] = {}
    for obs in observations:
        sources.setdefault((obs.source.source, obs.source.page, obs.source.quote), obs.source)
    facets = _facets(rec_id, observations)
    texts = {name: _vote(observations, name) for name in _TEXT_FIELDS}
    partners = _vote(observations, "partners")
    takes_up = sorted({i for obs in observations for i in obs.takes_up if i != rec_id})
    return Recommendation(
        id=rec_id,
        dtp_id=dtp_of(rec_id),
        theme=str(facets.get("theme") or ""),
        territory=str(facets.get("territory") or ""),
        year=_int(facets.get("year")),
        edition=_int(facets.get("edition")),
        **{**texts, "title": texts["title"] or _vote(observations, "short_title")},
        partners=split_list(partners),
        status=current.status if current else None,
        status_label=current.status_label if current else None,
        status_wording=current.wording if current else None,
        status_date=current.date if current else None,
        conflict=conflict,
        history=history,
        sources=sorted(sources.values(), key=lambda s: (s.source, s.page)),
        takes_up=takes_up,
    )


def _int(value: object) -> int | None:
    try:
        return int(str(value)) if value not in (None, "") else None
    except ValueError:
        return None


def resolve_references(records: Sequence[Recommendation]) -> None:
    """Turn prose references ("?2019/preconisation-5": the préconisation n°5 of a 2019 DTP)
    into record ids: the record with that number in an earlier DTP of the same theme, that
    year if named, the same territory first. Unresolved references are dropped."""
    by_number: dict[str, list[Recommendation]] = {}
    for record in records:
        by_number.setdefault(number_of(record.id), []).append(record)
    for record in records:
        if not any(ref.startswith("?") for ref in record.takes_up):
            continue
        resolved = []
        for ref in record.takes_up:
            if not ref.startswith("?"):
                resolved.append(ref)
                continue
            when, _, slug = ref[1:].partition("/")
            candidates = [
                other
                for other in by_number.get(slug, [])
                if other.dtp_id != record.dtp_id
                and (not when or other.year == int(when))
                and (when or not record.year or (other.year or 0) < record.year)
                and (not record.theme or not other.theme or other.theme == record.theme)
            ]
            if candidates:
                best = max(
                    candidates,
                    key=lambda o: (o.territory == record.territory, o.year or 0),
                )
                resolved.append(best.id)
        record.takes_up = sorted(set(resolved))
