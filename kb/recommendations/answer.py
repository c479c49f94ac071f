"""Answers from the recommendation records: statuses, counts, pilots and partners, each cited.

A question about where recommendations stand, how many there are, or who carries them is
answered from the records, with the figure and a citation of the source of each status.
Any other question returns None and goes to the passages.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from kb.recommendations.question import Intent, parse_question
from kb.recommendations.search import role_of, select, status_counts
from kb.recommendations.status import label
from kb.recommendations.types import Recommendation, SourceRef, StatusFact
from kb.text import fold
from kb.types import Answer, Citation

if TYPE_CHECKING:
    from kb.knowledge import KnowledgeBase

log = logging.getLogger(__name__)

MAX_LISTED = 30
THEMES = {
    "handicaps_rares": "handicaps rares",
    "sante_mentale": "santé mentale",
    "sans_abrisme": "sans-abrisme et mal-logement",
    "rapt": "« Une réponse accompagnée pour tous »",
}


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


def _status_phrase(record: Recommendation, cite: _Citations) -> str:
    if not record.status:
        return "sans statut connu"
    fact = _current(record)
    return (
        f"{record.status_label} (« {record.status_wording} », {_date(record.status_date)})"
        f"{cite.mark(fact)}"
    )


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
        head = f"La préconisation {record.id} « {record.title} » ({pilot})"
        groups: dict[tuple[str, str | None], list[StatusFact]] = {}
        for fact in record.history:
            groups.setdefault((fact.wording, fact.date), []).append(fact)
        now = (record.status_wording or "", record.status_date)
        phrase = _status_phrase(record, cite)
        marks = dict.fromkeys(cite.mark(f) for f in groups.pop(now, [])[:3])
        also = "".join(m for m in marks if m not in phrase)
        lines.append(f"{head} est {phrase}{also}.")
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


def _scope(intent: Intent) -> str:
    where = intent.where
    parts = []
    if where.dtp_id:
        parts.append("du diagnostic " + ", ".join(where.dtp_id))
    if where.year:
        parts.append("des diagnostics de " + ", ".join(str(y) for y in where.year))
    if where.theme:
        parts.append("du thème " + ", ".join(THEMES.get(t, t) for t in where.theme))
    if where.territory:
        parts.append("en " + ", ".join(where.territory))
    actor = where.actor or where.pilot or where.partner
    if actor:
        role = (
            "pilotée" if where.pilot else "ayant pour partenaire" if where.partner else "impliquant"
        )
        parts.append(f"{role} « {actor} »" if role != "pilotée" else f"pilotées par « {actor} »")
    return (" " + " ".join(parts)) if parts else ""


def _breakdown(records: Sequence[Recommendation], cite: _Citations) -> str:
    """'2 en cours [1], 5 réalisées [2] [3]…': counts by current status, with their sources."""
    parts = []
    for status, n in status_counts(records).items():
        group = [r for r in records if (r.status or "inconnu") == status]
        marks = "".join(dict.fromkeys(cite.mark(_current(r)) for r in group[:3]))
        name = label(status, n) if status != "inconnu" else "sans statut connu"
        parts.append(f"{n} {name}{marks}")
    return ", ".join(parts)


def _count_answer(
    scoped: Sequence[Recommendation],
    chosen: Sequence[Recommendation],
    intent: Intent,
    cite: _Citations,
) -> str:
    """The figure first: how many of the recommendations in scope have the status asked."""
    scope = _scope(intent)
    if intent.where.status:
        n = len(chosen)
        verb = "est" if n <= 1 else "sont"
        head = f"{_plural(n, 'préconisation', 'préconisations')}{scope} {verb} "
        head += (
            f"{label(intent.where.status[0], n)} (statut le plus récent de chaque préconisation)"
        )
        if not chosen:
            return f"{head}. Sur {len(scoped)} : {_breakdown(scoped, cite)}."
        return "\n".join([f"{head}, sur {len(scoped)}.", *_listing(chosen, cite)])
    total = _plural(len(scoped), "préconisation", "préconisations")
    lines = [f"{total}{scope}, par statut le plus récent : {_breakdown(scoped, cite)}."]
    by_dtp = sorted({r.dtp_id for r in scoped})
    if len(by_dtp) > 1:
        for dtp in by_dtp:
            group = [r for r in scoped if r.dtp_id == dtp]
            detail = ", ".join(
                f"{n} {label(s, n) if s != 'inconnu' else 'sans statut'}"
                for s, n in status_counts(group).items()
            )
            lines.append(f"- {dtp} ({len(group)}) : {detail}")
    return "\n".join(lines)


def _listing(
    records: Sequence[Recommendation], cite: _Citations, actor: str | None = None
) -> list[str]:
    lines = []
    for record in records[:MAX_LISTED]:
        role = role_of(record, actor) if actor else None
        named = record.pilot if role == "pilote" else actor
        status = _status_phrase(record, cite)
        lines.append(
            f"- {record.id} « {record.title} »{f' — {role} ({named})' if role else ''} : {status}"
        )
    if len(records) > MAX_LISTED:
        lines.append(f"… et {len(records) - MAX_LISTED} autres.")
    return lines


def _list_answer(
    scoped: Sequence[Recommendation],
    chosen: Sequence[Recommendation],
    intent: Intent,
    cite: _Citations,
) -> str:
    if intent.where.status:
        return _count_answer(scoped, chosen, intent, cite)
    head = f"{_plural(len(chosen), 'préconisation', 'préconisations')}{_scope(intent)}."
    actor = intent.where.actor or intent.where.pilot or intent.where.partner
    return "\n".join([head, *_listing(chosen, cite, actor=actor)])


def answer_from_records(
    question: str, kb: KnowledgeBase, filters: Mapping[str, object] | None = None
) -> Answer | None:
    """A cited answer from the records, or None when the question is not for them."""
    if kb.recommendations.count() == 0:
        return None
    records = kb.recommendations.all()
    intent = parse_question(question, records, filters)
    if intent is None:
        return None
    cite = _Citations()
    abstained = False
    if intent.kind == "record":
        chosen = [r for r in records if r.id in intent.ids]
        if not chosen and not intent.unknown_ids:
            return None
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
        chosen = select(scoped, intent.where)
        compose = _count_answer if intent.kind == "count" else _list_answer
        text = compose(scoped, chosen, intent, cite)
    log.info("answered from %d recommendation records (%s)", len(chosen), intent.kind)
    return Answer(answer=text, citations=list(cite.items.values()), abstained=abstained)
