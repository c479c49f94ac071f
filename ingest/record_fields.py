"""Column headers and fiche labels -> record fields (through the domain profile); a document's
own date."""

from __future__ import annotations

from ingest.parsers import ParsedDocument
from kb import domain
from kb.recommendations.status import parse_date


def field_of(header: str) -> str | None:
    """The record field a column header or fiche label stands for."""
    return domain.field_of_header(header)


def record_fields() -> frozenset[str]:
    """Fields that make a table row or a fiche a recommendation statement."""
    return domain.profile().record_fields


def document_date(parsed: ParsedDocument) -> str | None:
    """The date a document speaks as of: a 'Date' field near its start, or its metadata."""
    pattern = domain.profile().document_date
    for page in parsed.pages[:2]:
        match = pattern.search(page.text)
        if match and (when := parse_date(match.group(1))):
            return when
    raw = parsed.metadata.get("date")
    return parse_date(str(raw)) if raw else None


def is_label(line: str) -> bool:
    """A fiche's field label standing alone ("Pilote :", "Indicateurs de suivi")."""
    text = " ".join(line.replace("*", "").split()).strip(" :")
    return 0 < len(text) <= 60 and ":" not in text and field_of(text) is not None
