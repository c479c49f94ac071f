"""DTP metadata of a document: from a manifest when there is one, else read off its first page.

Every document records how its metadata was found (`metadata_method`): `manifest`,
`front_matter` (Markdown) or `inferred` (the rules below, from the title and first page).
"""

from __future__ import annotations

import re
from collections import Counter

from ingest.parsers import ParsedDocument
from kb.text import fold
from kb.types import MetaValue

# Checked in order: the first family whose cue appears wins.
THEMES: list[tuple[str, tuple[str, ...]]] = [
    ("rapt", ("reponse accompagnee pour tous", "rapt")),
    ("sans_abrisme", ("sans-abri", "sans abri", "mal-logement", "mal logement", "ethos")),
    ("sante_mentale", ("sante mentale", "psychiatri", "ptsm")),
    ("handicaps_rares", ("handicap rare", "handicaps rares", "surdicecite", "erhr")),
]
DOC_TYPES: list[tuple[str, tuple[str, ...]]] = [
    (
        "bilan_mise_en_oeuvre",
        (
            "bilan de mise en oeuvre",
            "bilan de la mise en oeuvre",
            "tableau de suivi",
            "suivi de la mise en oeuvre",
        ),
    ),
    ("feuille_de_route", ("feuille de route",)),
    ("fiche_synthese", ("fiche de synthese", "synthese du groupe")),
    ("guide", ("guide methodologique", "guide pour conduire")),
    ("preconisations", ("preconisations", "liste des preconisations")),
    ("livret", ("livret", "diagnostic territorial partage")),
]
_FACETS = ("dtp_id", "theme", "territory", "year", "edition", "doc_type", "phase")
PHASES = {
    "guide": "cadrage",
    "fiche_synthese": "concertation",
    "livret": "restitution",
    "preconisations": "restitution",
    "feuille_de_route": "restitution",
    "bilan_mise_en_oeuvre": "mise_en_oeuvre",
}
_DTP_ID = re.compile(r"\b[A-Z]{2,5}(?:-[A-Z]{2,5})*-(?:19|20)\d{2}\b")
_YEAR = re.compile(r"\b(?:19[89]\d|20\d\d)\b")
_NAME = r"([A-ZÀ-Ý][\w'’]*(?:-[\w'’]+)*(?: [A-ZÀ-Ý][\w'’]*(?:-[\w'’]+)*)*)"
_TERRITORY = [
    re.compile(r"^Territoire\s*:?\s*\n?" + _NAME, re.MULTILINE),  # a title page's label
    re.compile(r"\b(?:[Rr]égion|[Dd]épartement(?: de la| de l'| du| des| de)?)\s+" + _NAME),
    re.compile(r"\b(?:en|de la|du|de l'|dans l')\s*" + _NAME),
]


def _first(cues: list[tuple[str, tuple[str, ...]]], text: str) -> str | None:
    for value, words in cues:
        if any(w in text for w in words):
            return value
    return None


def infer_metadata(parsed: ParsedDocument) -> dict[str, MetaValue]:
    """Facets read off the title and the first page; only what was actually found."""
    first = parsed.pages[0].text if parsed.pages else ""
    head = f"{parsed.title}\n{first[:3000]}"
    folded_title, folded = fold(parsed.title), fold(head)
    meta: dict[str, MetaValue] = {}
    theme = _first(THEMES, folded)
    doc_type = _first(DOC_TYPES, folded_title) or _first(DOC_TYPES, folded)
    if theme:
        meta["theme"] = theme
    if doc_type:
        meta["doc_type"] = doc_type
        meta["phase"] = PHASES[doc_type]
    if match := _DTP_ID.search(head):
        meta["dtp_id"] = match.group(0)
    # A DTP's year is its own, even in a later review of it.
    years = _YEAR.findall(str(meta.get("dtp_id", ""))) or _YEAR.findall(parsed.title)
    years = years or _YEAR.findall(first[:3000])
    if years:
        meta["year"] = int(Counter(years).most_common(1)[0][0])
    for pattern in _TERRITORY:
        if match := pattern.search(head):
            meta["territory"] = " ".join(match.group(1).split())
            break
    return meta


def document_metadata(
    parsed: ParsedDocument, manifest: dict[str, MetaValue]
) -> dict[str, MetaValue]:
    """Manifest values first, then front matter, then inference; with the method used."""
    if manifest:
        return manifest
    front = {k: v for k, v in parsed.metadata.items() if k in _FACETS}
    if front:
        return {**front, "metadata_method": "front_matter"}
    return {**infer_metadata(parsed), "metadata_method": "inferred"}
