"""Answers from the recommendation records: statuses, counts, pilots and partners, each cited.

A question about where recommendations stand, how many there are, who carries them, or which
one follows which (`lineage`) is answered from the records, with the figure and a citation of
the source of each status. When it names a date or a dated document ("au bilan de juin 2018"), the status is the one
the sources gave by then, and the latest is mentioned when it differs; when no source speaks
at or after that date, the records do not answer. Any other question returns None and goes
to the passages.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace

from kb import domain
from kb.recommendations.asof import has_source, status_at
from kb.recommendations.ids import number_of, scheme_of
from kb.recommendations.lineage import answer_lineage
from kb.recommendations.phrasing import (
    Citations,
    asked_fields,
    current,
    fact_phrase,
    record_head,
    record_name,
    said_beside,
    shown_date,
    stating,
    status_phrase,
)
from kb.recommendations.question import Intent, parse_question
from kb.recommendations.search import role_of, select
from kb.recommendations.stated import Search, stated_count
from kb.recommendations.status import label, statuses
from kb.recommendations.types import Recommendation, SourceRef, StatusFact
from kb.types import Answer

# A record's status as an answer states it: the fact it comes from, at the date asked or the
# latest; None when no source gives one (by then).
State = dict[str, StatusFact | None]

log = logging.getLogger(__name__)

MAX_LISTED = 30


def _state(records: Sequence[Recommendation], intent: Intent) -> State:
    if intent.when is None:
        return {r.id: current(r) for r in records}
    return {r.id: status_at(r, intent.when) for r in records}


def _nouns(intent: Intent, n: int) -> str:
    many = {"fiche action": "fiches actions"}.get(intent.noun, intent.noun + "s")
    return intent.noun if n <= 1 else many


def _record_answer(records: Sequence[Recommendation], intent: Intent, cite: Citations) -> str:
    lines: list[str] = []
    for unknown in intent.unknown_ids:
        lines.append(f"Aucune préconisation {unknown} ne figure dans les documents indexés.")
    for record in records[:10]:
        pilot = f"pilote : {record.pilot}{cite.mark(stating(record, record.pilot))}"
        head = f"{record_head(record)} ({pilot})"
        if intent.when is not None:
            lines += _dated_record(record, head, intent, cite)
            continue
        groups: dict[tuple[str, str | None], list[StatusFact]] = {}
        for fact in record.history:
            groups.setdefault((fact.wording, fact.date), []).append(fact)
        now = (record.status_wording or "", record.status_date)
        phrase = status_phrase(record, cite)
        marks = dict.fromkeys(cite.mark(f) for f in groups.pop(now, [])[:3])
        also = "".join(m for m in marks if m not in phrase)
        lines.append(f"{head} est {phrase}{also}.{said_beside(current(record))}")
        lines += asked_fields(record, intent, cite)
        if groups:
            steps = " ; ".join(
                f"{wording} ({shown_date(date)}){''.join(cite.mark(f) for f in facts[:3])}"
                for (wording, date), facts in list(groups.items())[-4:]
            )
            lines.append(f"Statuts antérieurs : {steps}.")
        if record.conflict:
            same = [f for f in record.history if f.date == record.status_date]
            shown = " ; ".join(
                f"« {f.wording} » selon {f.title or f.source}{cite.mark(f)}" for f in same
            )
            lines.append(f"Attention, les sources divergent à cette date : {shown}.")
    return "\n".join(lines)


def _dated_record(record: Recommendation, head: str, intent: Intent, cite: Citations) -> list[str]:
    """The status at the date asked, with its source; then the latest when it differs."""
    assert intent.when is not None
    when, fact, latest = intent.when.label, status_at(record, intent.when), current(record)
    if fact is None:
        first = next((f for f in record.history if f.date), None)
        known = f" ; le premier statut connu est {fact_phrase(first, cite)}" if first else ""
        return [f"{head} n'a pas de statut connu {when}{known}."]
    source = f", selon « {fact.title} »" if fact.title else ""
    lines = [
        f"{when.capitalize()}, {re.sub('^La ', 'la ', head)} était "
        f"{fact_phrase(fact, cite)}{source}.{said_beside(fact)}",
        *asked_fields(record, intent, cite),
    ]
    if latest is not None and (latest.date, latest.status) != (fact.date, fact.status):
        lines.append(f"Statut le plus récent : {fact_phrase(latest, cite)}.{said_beside(latest)}")
    elif latest is not None:
        lines.append("C'est aussi son statut le plus récent.")
    told = {(f.date, f.status) for f in (fact, latest) if f is not None}
    steps = [f for f in record.history if f.date and (f.date, f.status) not in told]
    if steps:
        shown = " ; ".join(f"{f.wording} ({shown_date(f.date)}){cite.mark(f)}" for f in steps[-4:])
        lines.append(f"Autres statuts connus : {shown}.")
    return lines


def _scope(intent: Intent) -> str:
    where = intent.where
    parts = []
    if where.dtp_id:
        parts.append("du diagnostic " + ", ".join(where.dtp_id))
    if where.year:
        parts.append("des diagnostics de " + ", ".join(str(y) for y in where.year))
    if where.theme:
        labels = {theme.value: theme.label for theme in domain.profile().themes}
        parts.append("du thème " + ", ".join(labels.get(t, t) for t in where.theme))
    if where.territory:
        parts.append("en " + ", ".join(where.territory))
    actor = where.actor or where.pilot or where.partner
    if actor:
        role = (
            "pilotée" if where.pilot else "ayant pour partenaire" if where.partner else "impliquant"
        )
        parts.append(f"{role} « {actor} »" if role != "pilotée" else f"pilotées par « {actor} »")
    return (" " + " ".join(parts)) if parts else ""


def _counts(records: Sequence[Recommendation], state: State) -> dict[str, int]:
    """Counts by status (as stated), in DOMAIN.md order; 'inconnu' for records with none."""
    counts = Counter((f.status if (f := state[r.id]) else "inconnu") for r in records)
    return {s: counts[s] for s in (*statuses(), "inconnu") if counts[s]}


def _breakdown(records: Sequence[Recommendation], state: State, cite: Citations) -> str:
    """'2 en cours [1], 5 réalisées [2] [3]…': counts by status, with their sources."""
    parts = []
    for status, n in _counts(records, state).items():
        group = [r for r in records if (f := state[r.id]) and f.status == status]
        marks = "".join(dict.fromkeys(cite.mark(state[r.id]) for r in group[:3]))
        name = label(status, n) if status != "inconnu" else "sans statut connu"
        parts.append(f"{n} {name}{marks}")
    return ", ".join(parts)


def _compact(records: Sequence[Recommendation]) -> str:
    """'AB-2020-P03, P14, P17': the ids as follow-up tables list them."""
    names: list[str] = []
    for i, record in enumerate(records[:MAX_LISTED]):
        same = i and records[i - 1].dtp_id == record.dtp_id
        if "/" in record.id:  # known by its label: "Préconisation n°3, n°5"
            names.append(record_name(record))
        else:
            names.append(number_of(record.id) if same else record.id)
    return ", ".join(names)


def _sources(chosen: Sequence[Recommendation], state: State) -> str:
    """', selon « title »': the documents the statuses at the date asked come from."""
    titles = list(dict.fromkeys(f.title for r in chosen if (f := state[r.id]) and f.title))
    return f", selon {' et '.join(f'« {t} »' for t in titles)}" if 0 < len(titles) <= 2 else ""


def _count_answer(
    scoped: Sequence[Recommendation],
    chosen: Sequence[Recommendation],
    intent: Intent,
    state: State,
    cite: Citations,
    stated: SourceRef | None = None,
) -> str:
    """The figure first: how many of the recommendations in scope have the status asked."""
    scope, when, total = _scope(intent), intent.when, len(scoped)
    at = when.label if when else "(statut le plus récent de chacune)"
    if intent.where.status:
        n, wanted = len(chosen), intent.where.status[0]
        verb = ("était" if n <= 1 else "étaient") if when else ("est" if n <= 1 else "sont")
        if n == 0:
            head = f"0 {intent.noun} sur {total}{scope} n'{verb} {label(wanted)} {at}"
            return f"{head}. Sur {total} : {_breakdown(scoped, state, cite)}."
        head = f"{n} des {total} {_nouns(intent, total)}{scope} {verb} {label(wanted, n)} {at}"
        head += f"{_sources(chosen, state) if when else ''} : {_compact(chosen)}."
        lines = [head]
        if stated is not None:
            lines.append(f"Selon « {stated.title} » : « {stated.quote} »{cite.mark(stated)}.")
        return "\n".join([*lines, *_listing(chosen, state, cite)])
    by = f"par statut {when.label}" if when else "par statut le plus récent"
    lines = [f"{total} {_nouns(intent, total)}{scope}, {by} : {_breakdown(scoped, state, cite)}."]
    by_dtp = sorted({r.dtp_id for r in scoped})
    if len(by_dtp) > 1:
        for dtp in by_dtp:
            group = [r for r in scoped if r.dtp_id == dtp]
            detail = ", ".join(
                f"{n} {label(s, n) if s != 'inconnu' else 'sans statut'}"
                for s, n in _counts(group, state).items()
            )
            lines.append(f"- {dtp} ({len(group)}) : {detail}")
    return "\n".join(lines)


def _listing(
    records: Sequence[Recommendation], state: State, cite: Citations, actor: str | None = None
) -> list[str]:
    """One line per record; with what its source says beside the status when they are few."""
    lines, few = [], len(records) <= 5
    for record in records[:MAX_LISTED]:
        role = role_of(record, actor) if actor else None
        named = record.pilot if role == "pilote" else actor
        fact = state[record.id]
        said = said_beside(fact) if few else ""
        lines.append(
            f"- {record_name(record)} « {record.title} »"
            f"{f' — {role} ({named})' if role else ''} : {fact_phrase(fact, cite)}{said}"
        )
    if len(records) > MAX_LISTED:
        lines.append(f"… et {len(records) - MAX_LISTED} autres.")
    return lines


def _list_answer(
    scoped: Sequence[Recommendation],
    chosen: Sequence[Recommendation],
    intent: Intent,
    state: State,
    cite: Citations,
    stated: SourceRef | None = None,
) -> str:
    if intent.where.status:
        return _count_answer(scoped, chosen, intent, state, cite, stated)
    n = len(chosen)
    when = f", statut {intent.when.label}{_sources(chosen, state)}" if intent.when else ""
    head = f"{n} {_nouns(intent, n)}{_scope(intent)}{when}."
    actor = intent.where.actor or intent.where.pilot or intent.where.partner
    return "\n".join([head, *_listing(chosen, state, cite, actor=actor)])


def _no_source(scoped: Sequence[Recommendation], intent: Intent) -> Answer:
    """The date asked is beyond every source: say so, and abstain."""
    assert intent.when is not None
    last = max(
        (f for r in scoped for f in r.history if f.date), key=lambda f: f.date or "", default=None
    )
    known = (
        f" Le dernier point connu date du {shown_date(last.date)} (« {last.title or last.source} »)."
        if last
        else ""
    )
    subject = (
        f"de la préconisation {scoped[0].id}"
        if intent.kind == "record" and len(scoped) == 1
        else f"des préconisations{_scope(intent)}"
    )
    return Answer(
        answer=f"Aucun document indexé ne donne le statut {subject} {intent.when.label}.{known}",
        abstained=True,
    )


def _same_scheme(scoped: list[Recommendation], intent: Intent) -> list[Recommendation]:
    """The records of the numbering scheme the question names, when the diagnostics in scope
    number things several ways ("les actions de la feuille de route" are not its
    préconisations); all of them when the question names none, or none of them match."""
    same = [r for r in scoped if scheme_of(r.id) == intent.scheme] if intent.scheme else []
    return same or scoped


def answer_from_records(
    question: str,
    records: Sequence[Recommendation],
    search: Search,
    filters: Mapping[str, object] | None = None,
) -> Answer | None:
    """A cited answer from the records, or None when the question is not for them;
    `search` finds the passages that state a count in the documents' own words."""
    if not records:
        return None
    if (lineage := answer_lineage(question, records, search, filters)) is not None:
        return lineage
    intent = parse_question(question, records, filters)
    if intent is None:
        return None
    cite = Citations()
    abstained = False
    if intent.kind == "record":
        chosen = [r for r in records if r.id in intent.ids]
        if not chosen and not intent.unknown_ids:
            return None
        if chosen and intent.when and not has_source(chosen, intent.when):
            return _no_source(chosen, intent)
        text = _record_answer(chosen, intent, cite)
        abstained = not chosen  # only unknown ids: the passages may still say something
    else:
        scoped = _same_scheme(select(records, replace(intent.where, status=[])), intent)
        if not scoped:
            return Answer(
                answer=f"Aucune préconisation{_scope(intent)} ne figure dans les documents "
                "indexés. Essayez d'élargir la question (diagnostic, année, acteur).",
                abstained=True,
            )
        if intent.when and not has_source(scoped, intent.when):
            return _no_source(scoped, intent)
        state = _state(scoped, intent)
        wanted = set(intent.where.status)
        chosen = [
            r
            for r in scoped
            if not wanted or ((f := state[r.id]) is not None and f.status in wanted)
        ]
        dtps = {r.dtp_id for r in scoped}
        stated = None
        if intent.where.status and len(dtps) == 1:
            wider = {"theme": scoped[0].theme} if scoped[0].theme else None
            status = intent.where.status[0]
            stated = stated_count(search, question, dtps.pop(), len(chosen), status, wider)
        compose = _count_answer if intent.kind == "count" else _list_answer
        text = compose(scoped, chosen, intent, state, cite, stated)
    log.info("answered from %d recommendation records (%s)", len(chosen), intent.kind)
    return Answer(answer=text, citations=list(cite.items.values()), abstained=abstained)
