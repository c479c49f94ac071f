"""Answers from the recommendation records: statuses, counts, pilots and partners, each cited.

A question about where recommendations stand, how many there are, or who carries them is
answered from the records, with the figure and a citation of the source of each status.
When it names a date or a dated document ("au bilan de juin 2018"), the status is the one
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
from kb.recommendations.asof import comment, has_source, status_at
from kb.recommendations.ids import id_pattern, number_of, shown
from kb.recommendations.question import Intent, parse_question
from kb.recommendations.search import role_of, select
from kb.recommendations.stated import Search, stated_count
from kb.recommendations.status import label, statuses
from kb.recommendations.types import Recommendation, SourceRef, StatusFact
from kb.text import fold
from kb.types import Answer, Citation

# A record's status as an answer states it: the fact it comes from, at the date asked or the
# latest; None when no source gives one (by then).
State = dict[str, StatusFact | None]

log = logging.getLogger(__name__)

MAX_LISTED = 30


class _Citations:
    """Numbers each cited (chunk, quote) once; uncited facts (no indexed chunk) get no marker."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], Citation] = {}

    def mark(self, ref: StatusFact | SourceRef | None) -> str:
        if ref is None or not ref.chunk_id:
            return ""
        key = (ref.chunk_id, ref.quote)
        if key not in self.items:
            self.items[key] = Citation(
                n=len(self.items) + 1,
                chunk_id=ref.chunk_id,
                document_id=ref.document_id,
                title=ref.title,
                source=ref.source,
                page=ref.page,
                quote=ref.quote,
            )
        return f" [{self.items[key].n}]"


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n <= 1 else many}"


def _current(record: Recommendation) -> StatusFact | None:
    """The fact the current status comes from."""
    for fact in reversed(record.history):
        if fact.status == record.status and fact.date == record.status_date:
            return fact
    return None


def _date(iso: str | None) -> str:
    if not iso:
        return "date inconnue"
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


def _shown_id(rec_id: str) -> str:
    """'PT-2021-FA3-4 (FA 3-4)': a fiche action also under the short number documents print;
    'Préconisation n°3' for a record known by its label only."""
    match = id_pattern().fullmatch(rec_id)
    short = re.fullmatch(r"FA(\d+)-(\d+)", match.group(2)) if match else None
    return f"{rec_id} (FA {short.group(1)}-{short.group(2)})" if short else shown(rec_id)


def _fact_phrase(fact: StatusFact | None, cite: _Citations) -> str:
    if fact is None:
        return "sans statut connu"
    return f"{fact.status_label} (« {fact.wording} », {_date(fact.date)}){cite.mark(fact)}"


def _status_phrase(record: Recommendation, cite: _Citations) -> str:
    if not record.status:
        return "sans statut connu"
    fact = _current(record)
    return (
        f"{record.status_label} (« {record.status_wording} », {_date(record.status_date)})"
        f"{cite.mark(fact)}"
    )


def _said(fact: StatusFact | None) -> str:
    """' — « comment »': what the source says beside the status, verbatim."""
    said = comment(fact) if fact else ""
    return f" — « {said} »" if said else ""


def _state(records: Sequence[Recommendation], intent: Intent) -> State:
    if intent.when is None:
        return {r.id: _current(r) for r in records}
    return {r.id: status_at(r, intent.when) for r in records}


def _nouns(intent: Intent, n: int) -> str:
    many = {"fiche action": "fiches actions"}.get(intent.noun, intent.noun + "s")
    return intent.noun if n <= 1 else many


def _stating(record: Recommendation, value: str) -> SourceRef | None:
    """A source whose quote states `value` (a pilot's name), for its citation."""
    wanted = " ".join(fold(value).split())
    for ref in record.sources:
        if ref.chunk_id and wanted in " ".join(fold(ref.quote).split()):
            return ref
    return None


def _record_answer(records: Sequence[Recommendation], intent: Intent, cite: _Citations) -> str:
    lines: list[str] = []
    for unknown in intent.unknown_ids:
        lines.append(f"Aucune préconisation {unknown} ne figure dans les documents indexés.")
    for record in records[:10]:
        pilot = f"pilote : {record.pilot}{cite.mark(_stating(record, record.pilot))}"
        head = f"La préconisation {_shown_id(record.id)} « {record.title} » ({pilot})"
        if intent.when is not None:
            lines += _dated_record(record, head, intent, cite)
            continue
        groups: dict[tuple[str, str | None], list[StatusFact]] = {}
        for fact in record.history:
            groups.setdefault((fact.wording, fact.date), []).append(fact)
        now = (record.status_wording or "", record.status_date)
        phrase = _status_phrase(record, cite)
        marks = dict.fromkeys(cite.mark(f) for f in groups.pop(now, [])[:3])
        also = "".join(m for m in marks if m not in phrase)
        lines.append(f"{head} est {phrase}{also}.{_said(_current(record))}")
        if groups:
            steps = " ; ".join(
                f"{wording} ({_date(date)}){''.join(cite.mark(f) for f in facts[:3])}"
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


def _dated_record(record: Recommendation, head: str, intent: Intent, cite: _Citations) -> list[str]:
    """The status at the date asked, with its source; then the latest when it differs."""
    assert intent.when is not None
    when, fact, latest = intent.when.label, status_at(record, intent.when), _current(record)
    if fact is None:
        first = next((f for f in record.history if f.date), None)
        known = f" ; le premier statut connu est {_fact_phrase(first, cite)}" if first else ""
        return [f"{head} n'a pas de statut connu {when}{known}."]
    source = f", selon « {fact.title} »" if fact.title else ""
    lines = [
        f"{when.capitalize()}, {head[0].lower()}{head[1:]} était "
        f"{_fact_phrase(fact, cite)}{source}.{_said(fact)}"
    ]
    if latest is not None and (latest.date, latest.status) != (fact.date, fact.status):
        lines.append(f"Statut le plus récent : {_fact_phrase(latest, cite)}.{_said(latest)}")
    elif latest is not None:
        lines.append("C'est aussi son statut le plus récent.")
    told = {(f.date, f.status) for f in (fact, latest) if f is not None}
    steps = [f for f in record.history if f.date and (f.date, f.status) not in told]
    if steps:
        shown = " ; ".join(f"{f.wording} ({_date(f.date)}){cite.mark(f)}" for f in steps[-4:])
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


def _breakdown(records: Sequence[Recommendation], state: State, cite: _Citations) -> str:
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
            names.append(shown(record.id))
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
    cite: _Citations,
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
    records: Sequence[Recommendation], state: State, cite: _Citations, actor: str | None = None
) -> list[str]:
    """One line per record; with what its source says beside the status when they are few."""
    lines, few = [], len(records) <= 5
    for record in records[:MAX_LISTED]:
        role = role_of(record, actor) if actor else None
        named = record.pilot if role == "pilote" else actor
        fact = state[record.id]
        said = _said(fact) if few else ""
        lines.append(
            f"- {_shown_id(record.id)} « {record.title} »"
            f"{f' — {role} ({named})' if role else ''} : {_fact_phrase(fact, cite)}{said}"
        )
    if len(records) > MAX_LISTED:
        lines.append(f"… et {len(records) - MAX_LISTED} autres.")
    return lines


def _list_answer(
    scoped: Sequence[Recommendation],
    chosen: Sequence[Recommendation],
    intent: Intent,
    state: State,
    cite: _Citations,
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
        f" Le dernier point connu date du {_date(last.date)} (« {last.title or last.source} »)."
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
    intent = parse_question(question, records, filters)
    if intent is None:
        return None
    cite = _Citations()
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
        scoped = select(records, replace(intent.where, status=[]))
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
            stated = stated_count(search, question, dtps.pop(), len(chosen))
        compose = _count_answer if intent.kind == "count" else _list_answer
        text = compose(scoped, chosen, intent, state, cite, stated)
    log.info("answered from %d recommendation records (%s)", len(chosen), intent.kind)
    return Answer(answer=text, citations=list(cite.items.values()), abstained=abstained)
