"""Column headers and fiche labels -> record fields, by meaning; a document's own date."""

from __future__ import annotations

import re

from ingest.parsers import ParsedDocument
from kb.recommendations.status import parse_date
from kb.text import fold

_FIELDS: list[tuple[str, re.Pattern[str]]] = [
    ("takes_up", re.compile(r"reprend|precedent|anterieur|issue? de|suite de|prolonge|lien")),
    ("status_date", re.compile(r"^date( du statut| de (mise a jour|suivi|l'etat))?$|^mis a jour")),
    (
        "status",
        re.compile(
            r"^(nouveau |dernier )?(statut|etat d'avancement|etat|avancement)"
            r"( actuel| au .*| a la date .*| en .*| \(.*\)| le .*)?$"
        ),
    ),
    ("axis", re.compile(r"^(axes?|orientations?)\b")),
    ("title", re.compile(r"^(intitule|titre|libelle|preconisation|recommandation|action|objet)")),
    ("description", re.compile(r"^objectifs?\b")),
    ("finding", re.compile(r"^constats?\b")),
    ("pilot", re.compile(r"^(pilotes?|porteurs?|responsables?|pilotage|porte par)\b")),
    ("partners", re.compile(r"^partenaires?\b")),
    ("timeline", re.compile(r"^(echeances?|calendrier|delais?|periode|horizon)\b")),
    ("indicators", re.compile(r"^indicateurs?\b")),
    ("comment", re.compile(r"^(commentaires?|observations?|remarques?|precisions?)\b")),
]
RECORD_FIELDS = {"pilot", "partners", "status", "timeline", "indicators", "description", "finding"}
_DOC_DATE = re.compile(
    r"\b(?:Date|Situation au|Mise à jour|Bilan au|Point au)\s*:?\s*\n?\s*"
    r"(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}(?:er)? \w+ \d{4})",
)


def field_of(header: str) -> str | None:
    """The record field a column header or fiche label stands for."""
    key = fold(" ".join(header.replace("*", "").split())).strip(" :")
    for name, pattern in _FIELDS:
        if pattern.search(key):
            return name
    return None


def document_date(parsed: ParsedDocument) -> str | None:
    """The date a document speaks as of: a 'Date' field near its start, or its metadata."""
    for page in parsed.pages[:2]:
        match = _DOC_DATE.search(page.text)
        if match and (when := parse_date(match.group(1))):
            return when
    raw = parsed.metadata.get("date")
    return parse_date(str(raw)) if raw else None


_LABEL = re.compile(
    r"^(fiche action|axes?|constats?|objectifs?( generaux| general| operationnels)?|etapes"
    r"|pilotes?|porteurs?|partenaires?|public vise|publics?|territoires?|echeances?|calendrier"
    r"|moyens|financements?|indicateurs?( de suivi)?|(nouveau )?statut( au .{6,12})?"
    r"|etat d'avancement|reprend|commentaires?|intitule)$"
)


def is_label(line: str) -> bool:
    return bool(_LABEL.match(fold(" ".join(line.replace("*", "").split())).strip(" :")))
