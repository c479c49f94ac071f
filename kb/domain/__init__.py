"""The DTP domain profile: the field's vocabulary as data, and the small API the rest calls.

Every word list used to read DTP documents and questions is in `profile.toml` (themes,
document types, numbering, statuses, headers, acronyms, page furniture, question cues);
a deployment extends it with its own file (setting `domain.profile`). Entry points call
`configure(path)` once; everything else calls the functions below.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from kb.domain.loader import Profile
from kb.domain.numbering import Label, global_ids_in, label_text, labels_in
from kb.domain.status import status_label, status_of
from kb.text import fold

__all__ = [
    "Label",
    "Profile",
    "about_records",
    "asks_precedent",
    "chunk_role",
    "configure",
    "doc_type_of",
    "expand_acronyms",
    "field_of_header",
    "global_ids",
    "is_furniture",
    "label_text",
    "labels",
    "phase_of",
    "profile",
    "status_label",
    "status_of",
    "theme_of",
]

_active: Profile | None = None


def configure(extra: Path | None = None) -> Profile:
    """Use the built-in profile extended by `extra` (a deployment's own file) from now on."""
    global _active
    _active = _load(extra)
    return _active


@lru_cache(maxsize=4)
def _load(extra: Path | None) -> Profile:
    return Profile.load(extra)


def profile() -> Profile:
    """The profile in use (the built-in one until an entry point configures another)."""
    return _active or configure(None)


# --- facets ------------------------------------------------------------------------------
def _score(values: tuple, text: str) -> Counter[str]:
    return Counter({c.value: sum(text.count(cue) for cue in c.cues) for c in values})


def theme_of(title: str, text: str = "") -> str | None:
    """The DTP family a document is about, from cue words (its title weighs more); None when
    no family clearly leads."""
    p = profile()
    weight = int(p.data["title_weight"])
    scores = _score(p.themes, fold(text)) + Counter(
        {k: weight * v for k, v in _score(p.themes, fold(title)).items()}
    )
    ranked = scores.most_common(2)
    if not ranked or ranked[0][1] < int(p.data["theme_min_hits"]):
        return None
    if len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1]:
        return None
    return ranked[0][0]


def doc_type_of(title: str, text: str = "") -> str | None:
    """The document type its title names (else its first page), most specific type first."""
    p = profile()
    for place in (fold(title), fold(text)):
        for doc_type in p.doc_types:
            if any(cue in place for cue in doc_type.cues):
                return doc_type.value
    return None


def phase_of(doc_type: str) -> str | None:
    return next((d.phase for d in profile().doc_types if d.value == doc_type), None)


# --- recommendations ---------------------------------------------------------------------
def labels(text: str, kinds: tuple[str, ...] = ("record",)) -> list[Label]:
    return labels_in(text, profile(), kinds)


def global_ids(text: str) -> list[str]:
    return global_ids_in(text, profile())


def field_of_header(header: str) -> str | None:
    """The record field a column header or a fiche label stands for ("Porteur(s)" -> pilot);
    None for any other header, including look-alikes ("Statut précédent", "Lien avec le PRS")."""
    key = fold(" ".join(header.replace("*", "").replace("\u00a0", " ").split())).strip(" :")
    p = profile()
    if not key or p.header_ignore.match(key):
        return None
    for name, pattern in p.header_fields:
        if pattern.match(key):
            return name
    # "Pilote / porteur(s)", "Partenaires / acteurs associés": either part names the field.
    parts = [part for part in key.split("/") if part.strip()]
    if len(parts) > 1:
        return next((f for part in parts if (f := field_of_header(part)) is not None), None)
    return None


# --- questions ---------------------------------------------------------------------------
def about_records(question: str) -> bool:
    """Whether a question is about recommendations, their follow-up, pilots or precedents
    (rather than about a territory's needs, resources or method)."""
    if global_ids(question.upper()) or labels(question):
        return True
    folded = fold(question)
    p = profile()
    names = ("records", "precedent", "status", "pilot", "follow_up")
    return any(p.cue(name).search(folded) for name in names)


def asks_precedent(question: str) -> bool:
    """Whether a question asks which recommendation takes up, continues or inspires which."""
    folded = fold(question)
    return bool(
        profile().cue("precedent").search(folded) or profile().cue("continues").search(folded)
    )


def expand_acronyms(query: str) -> str:
    """The query followed by the expansion of each acronym it uses, and the acronym of each
    expansion it spells out."""
    words = {w.upper() for w in re.findall(r"\b[A-Za-zÀ-ÿ][\w-]*\b", query) if len(w) >= 2}
    folded = fold(query)
    acronyms = profile().acronyms
    extra = [
        acronyms[acronym] if acronym in words else acronym
        for acronym, expansion in _folded_acronyms(profile())
        if acronym in words or expansion in folded
    ]
    return f"{query} ({'; '.join(extra)})" if extra else query


@lru_cache(maxsize=4)
def _folded_acronyms(p: Profile) -> tuple[tuple[str, str], ...]:
    return tuple((acronym, fold(expansion)) for acronym, expansion in p.acronyms.items())


# --- chunks ------------------------------------------------------------------------------
_QUESTION = re.compile(r"[^.!?]*\?")


def chunk_role(text: str, context: str = "") -> str | None:
    """What a chunk is besides content: "navigation" (a table of contents, a list of acronyms
    or of questions, a foreword, references: they name every topic and state none first-hand),
    "recommendation" (a recommendation's row or fiche, which restates the finding it answers)
    or "precedent" (one that also names a recommendation it takes up)."""
    p = profile()
    section = fold(context.partition("\n")[0].rsplit(" > ", 1)[-1]).strip()
    if (
        p.dot_leaders.search(text)
        or p.acronym_list.search(context)
        or p.navigation_sections.match(section)
        or _questions(text)
    ):
        return "navigation"
    named = labels(text)
    if not global_ids(text) and not named:
        return None
    # The diagnostics named: a row's context carries its table's id column too.
    diagnostics = {m.group(1) for m in p.global_id.finditer(f"{context}\n{text}")}
    if len(diagnostics) > 1 or (named and p.takes_up_cues.search(fold(text))):
        return "precedent"
    return "recommendation"


def _questions(text: str) -> bool:
    """Mostly a list of questions (a note's "questions évaluatives"), not one question."""
    if text.count("?") < 2:
        return False
    asked = _QUESTION.findall(text)
    return len(asked) >= 2 and sum(map(len, asked)) >= 0.5 * len(text.strip())


def is_furniture(line: str) -> bool:
    """A running header or footer, a page number, a cover block: no content."""
    return bool(profile().furniture.search(line))
