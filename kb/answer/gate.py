"""Whether the retrieved passages can answer at all, and the helpful refusal when they cannot."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from kb.answer.evidence import TermStats, generic_terms, numbers, salient_terms
from kb.glossary import ACRONYMS
from kb.settings import AnswerSettings
from kb.text import analyze
from kb.types import Answer, Chunk, SearchHit

log = logging.getLogger(__name__)

ABSTAIN = (
    "Je n'ai pas trouvé dans les documents indexés de passage qui réponde à cette question."
)
_FACETS = ("dtp_id", "year", "territory", "theme", "doc_type")
# Names (capitalised words inside the sentence, compounds kept whole) and acronyms.
_NAME = re.compile(r"(?<=[\s'’])[A-ZÀ-Ý][\w'’-]+(?:[\s-][A-ZÀ-Ý][\w'’-]+)*|\b[A-Z]{2,}\w*")


@dataclass
class Relevance:
    """How well the best passages match the question; `answerable` applies the thresholds."""

    dense: float = 0.0
    coverage: float = 0.0  # idf-weighted share of the question's terms in the best passage
    missing_numbers: list[str] = field(default_factory=list)
    missing_names: list[str] = field(default_factory=list)
    missing_terms: list[str] = field(default_factory=list)
    answerable: bool = False


def _bag(chunk: Chunk, language: str) -> set[str]:
    facets = " ".join(str(chunk.metadata.get(f, "")) for f in _FACETS)
    return set(analyze(f"{chunk.title}\n{chunk.context}\n{chunk.text}\n{facets}", language))


def _figures(chunk: Chunk) -> set[str]:
    facets = " ; ".join(str(chunk.metadata.get(f, "")) for f in _FACETS)
    return numbers(f"{chunk.title}\n{chunk.context}\n{chunk.text}\n{facets}")


def missing_names(question: str, bag: set[str], language: str) -> list[str]:
    """Places, establishments and acronyms of the question that no top passage mentions
    (an acronym counts as mentioned when its expansion is)."""
    generic = generic_terms(language)
    out = []
    for name in dict.fromkeys(_NAME.findall(question)):
        terms = set(analyze(name, language)) - generic
        if not terms or terms <= bag:
            continue
        expansion = ACRONYMS.get(name)
        if expansion and set(analyze(expansion, language)) <= bag:
            continue
        out.append(name)
    return out


def relevance(
    question: str,
    hits: Sequence[SearchHit],
    settings: AnswerSettings,
    stats: TermStats,
    language: str,
) -> Relevance:
    """Score the top passages against the question and decide whether to answer."""
    if not hits:
        return Relevance()
    top = hits[: settings.gate_passages]
    dense = max((h.dense_score for h in hits if h.dense_score is not None), default=0.0)
    terms = salient_terms(question, language) or analyze(question, language)
    weights = stats.weights(terms)
    total = sum(weights.values()) or 1.0
    bags = [_bag(h.chunk, language) for h in top]
    coverage = max(sum(weights[t] for t in terms if t in bag) / total for bag in bags)
    union = set().union(*bags)
    missing_terms = [t for t in terms if t not in union]
    figures = set().union(*(_figures(h.chunk) for h in top))
    missing_numbers = sorted(numbers(question) - figures)
    names = missing_names(question, union, language)
    answerable = (
        dense >= settings.min_dense_score
        and coverage >= settings.min_coverage
        and not missing_numbers
        and not names
    )
    found = Relevance(dense, coverage, missing_numbers, names, missing_terms, answerable)
    log.debug("relevance of %r: %s", question, found)
    return found


def abstention(
    question: str,
    hits: Sequence[SearchHit],
    filters: Mapping[str, object] | None,
    found: Relevance | None = None,
) -> Answer:
    """A helpful refusal: what was searched, what is missing, filters to relax, near documents."""
    lines = [ABSTAIN, f"Recherche effectuée : « {question} »."]
    missing = (found.missing_numbers + found.missing_names) if found else []
    if missing:
        shown = ", ".join(missing)
        lines.append(f"Aucun des passages les plus proches ne mentionne : {shown}.")
    if filters:
        shown = ", ".join(f"{k} = {v}" for k, v in filters.items())
        lines.append(f"Filtres appliqués : {shown}. Essayez de les élargir ou de les retirer.")
    else:
        lines.append("Vous pouvez reformuler la question ou préciser le diagnostic, "
                     "le territoire ou l'année.")
    near = list(dict.fromkeys(f"{h.chunk.title} (p. {h.chunk.page})" for h in hits[:3]))
    if near:
        lines.append("Documents les plus proches, à consulter : " + " ; ".join(near) + ".")
    return Answer(answer="\n".join(lines), citations=[], abstained=True)
