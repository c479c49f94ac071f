"""How an answer from the records names a recommendation, states its status and cites its
sources, in French: "FA 3-1 (diagnostic PT-x-2023) « … » (pilote : … [1]) est réalisée
(« Réalisée », 31/01/2024) [2]"."""

from __future__ import annotations

import re
from collections import Counter

from kb import domain
from kb.recommendations.asof import comment
from kb.recommendations.ids import id_pattern, is_global, number_of, shown
from kb.recommendations.question import Intent
from kb.recommendations.types import Recommendation, SourceRef, StatusFact
from kb.text import fold
from kb.types import Citation


class Citations:
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


def current(record: Recommendation) -> StatusFact | None:
    """The fact the current status comes from."""
    for fact in reversed(record.history):
        if fact.status == record.status and fact.date == record.status_date:
            return fact
    return None


def shown_date(iso: str | None) -> str:
    if not iso:
        return "date inconnue"
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


def shown_id(rec_id: str) -> str:
    """'PT-2021-FA3-4 (FA 3-4)': a fiche action also under the short number documents print;
    'Préconisation n°3' for a record known by its label only."""
    match = id_pattern().fullmatch(rec_id)
    short = re.fullmatch(r"FA(\d+)-(\d+)", match.group(2)) if match else None
    return f"{rec_id} (FA {short.group(1)}-{short.group(2)})" if short else shown(rec_id)


def record_name(record: Recommendation) -> str:
    """The record's number as its documents print it ("FA 3-1", "Action 2.1"), else as the
    profile prints its scheme; a global id as is."""
    if is_global(record.id) or "/" not in record.id:
        return shown_id(record.id)
    slug = number_of(record.id)
    printed = Counter(
        " ".join(found.printed.split())
        for ref in record.sources
        for found in domain.labels(ref.quote)
        if found.slug == slug and found.printed[:1].isupper()
    )
    return printed.most_common(1)[0][0] if printed else shown(record.id)


def record_head(record: Recommendation) -> str:
    """'La préconisation AB-2020-P03 « … »', 'FA 3-1 (diagnostic PT-x-2023) « … »': a label
    is only unique within its diagnostic, which is named."""
    if is_global(record.id) or "/" not in record.id:
        return f"La préconisation {record_name(record)} « {record.title} »"
    return f"{record_name(record)} (diagnostic {record.dtp_id}) « {record.title} »"


def fact_phrase(fact: StatusFact | None, cite: Citations) -> str:
    if fact is None:
        return "sans statut connu"
    return f"{fact.status_label} (« {fact.wording} », {shown_date(fact.date)}){cite.mark(fact)}"


def status_phrase(record: Recommendation, cite: Citations) -> str:
    if not record.status:
        return "sans statut connu"
    fact = current(record)
    return (
        f"{record.status_label} (« {record.status_wording} », {shown_date(record.status_date)})"
        f"{cite.mark(fact)}"
    )


def said_beside(fact: StatusFact | None) -> str:
    """' — « comment »': what the source says beside the status, verbatim."""
    said = comment(fact) if fact else ""
    return f" — « {said} »" if said else ""


def stating(record: Recommendation, value: str) -> SourceRef | None:
    """A source whose quote states `value` (a pilot's name), for its citation."""
    wanted = " ".join(fold(value).split())
    for ref in record.sources:
        if ref.chunk_id and wanted in " ".join(fold(ref.quote).split()):
            return ref
    return None


_FIELD_NAMES = {
    "indicators": "Indicateurs de suivi",
    "timeline": "Échéance",
    "partners": "Partenaires",
}


def asked_fields(record: Recommendation, intent: Intent, cite: Citations) -> list[str]:
    """The fields the question asks for beside the status, each with the source stating it;
    said plainly when the record has none."""
    lines = []
    for name in intent.asked:
        value = getattr(record, name)
        value = ", ".join(value) if isinstance(value, list) else value
        if value:
            lines.append(f"{_FIELD_NAMES[name]} : {value}{cite.mark(stating(record, value))}.")
        else:
            lines.append(f"{_FIELD_NAMES[name]} : non précisé dans les documents indexés.")
    return lines
