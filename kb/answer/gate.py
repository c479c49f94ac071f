"""Whether the retrieved passages can answer at all, and the helpful refusal when they cannot."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from kb.answer.evidence import (
    TermStats,
    generic_terms,
    numbers,
    question_type,
    salient_terms,
    stated,
    years,
)
from kb.domain import Profile, expand_acronyms, profile
from kb.settings import AnswerSettings
from kb.text import analyze, fold
from kb.types import Answer, Chunk, SearchHit

log = logging.getLogger(__name__)

ABSTAIN = "Je n'ai pas trouvé dans les documents indexés de passage qui réponde à cette question."
_FACETS = ("dtp_id", "year", "territory", "theme", "doc_type")
# Names (capitalised words inside the sentence, compounds kept whole) and acronyms.
_NAME = re.compile(r"(?<=[\s'’])[A-ZÀ-Ý][\w'’-]+(?:[\s-][A-ZÀ-Ý][\w'’-]+)*|\b[A-Z]{2,}\w*")
# What the question asks for: the noun after "combien de" or "quel(le)(s) [est] [le]".
_FOCUS = re.compile(
    r"\b(?:combien\s+(?:de\s+|d['’]\s*)|quel(?:le)?s?\s+(?:(?:est|sont|était|étaient)\s+)?"
    r"(?:(?:le|la|les|l['’])\s*)?)((?:[\w-]+\s+)?[\w-]+)",
    re.IGNORECASE,
)
# "combien de personnes avec une dysphasie grave": the complement says what is counted.
_COMPLEMENT = re.compile(
    r"^\s*(?:avec|présentant|atteinte?s?\s+d(?:e\s+|['’])|souffrant\s+d(?:e\s+|['’])|ayant)\s*"
    r"(?:(?:une|un|des|du|de\s+la|de|la|le|les)\s+|[ld]['’]\s*)?([\w-]+)",
    re.IGNORECASE,
)
# Adjectives that come before the noun they qualify ("quelle bonne pratique").
_PRENOMINAL = frozenset(
    "bon bonne bons bonnes grand grande grands grandes petit petite petits petites premier "
    "première premiers premières principal principale principaux principales seul seule "
    "seuls seules nouveau nouvelle nouveaux nouvelles autre autres dernier dernière".split()
)
# A quantity is asked for by a word its answer rarely uses ("quelle proportion" -> "38 %").
_COUNTED = re.compile(
    r"^\s*(?:de\s+(?:la\s+|l['’]\s*)?|d['’]\s*|des\s+|du\s+)([\w-]{4,})", re.IGNORECASE
)
_QUANTITY_WORDS = re.compile(
    r"^(?:nombre|part|proportion|pourcentage|taux|ratio|moyenne|effectif|montant|valeur|"
    r"délai|durée|temps|âge)s?$",
    re.IGNORECASE,
)
# A question about plans may name a year no document has reached yet.
_FORWARD = re.compile(
    r"\b(?:prévue?s?|programmée?s?|planifiée?s?|envisagée?s?|échéances?|horizon|à venir)\b",
    re.IGNORECASE,
)


@dataclass
class Relevance:
    """How well the best passages match the question; `answerable` applies the thresholds."""

    dense: float = 0.0
    coverage: float = 0.0  # idf-weighted share of the question's terms in the best passage
    missing_numbers: list[str] = field(default_factory=list)
    missing_names: list[str] = field(default_factory=list)
    missing_terms: list[str] = field(default_factory=list)
    missing_focus: list[str] = field(default_factory=list)
    # The date of the newest document of the passages' diagnostics, when the question asks
    # about a later year (nothing in them can report on it).
    outdated: int | None = None
    answerable: bool = False
    # The passages an answer may quote: when the question names places or structures, those
    # naming all of them (in their text, title or facets); None: any.
    quotable: list[str] | None = None


def _bag(chunk: Chunk, language: str) -> set[str]:
    """A passage's terms, with the acronyms of what it spells out and the reverse (a question
    about the PTSM is covered by "projet territorial de santé mentale")."""
    facets = " ".join(str(chunk.metadata.get(f, "")) for f in _FACETS)
    text = expand_acronyms(f"{chunk.title}\n{chunk.context}\n{stated(chunk)}\n{facets}")
    return set(analyze(text, language))


def _figures(chunk: Chunk) -> set[str]:
    facets = " ; ".join(str(chunk.metadata.get(f, "")) for f in _FACETS)
    return numbers(f"{chunk.title}\n{chunk.context}\n{stated(chunk)}\n{facets}")


def missing_names(question: str, bag: set[str], language: str) -> list[str]:
    """Places, establishments and acronyms of the question that no top passage mentions
    (an acronym counts as mentioned when its expansion is)."""
    generic = generic_terms(language)
    out = []
    for name in dict.fromkeys(_NAME.findall(question)):
        terms = set(analyze(name, language)) - generic
        if not terms or terms <= bag:
            continue
        expansion = profile().acronyms.get(name)
        if expansion and set(analyze(expansion, language)) <= bag:
            continue
        out.append(name)
    return out


def _territories(question: str, hits: Sequence[SearchHit]) -> list[str]:
    """The names of the question that are the territory of some passage found."""
    known = {fold(str(t)) for h in hits if (t := h.chunk.metadata.get("territory"))}
    return [n for n in dict.fromkeys(_NAME.findall(question)) if fold(n) in known]


def _names_all(names: list[str], bag: set[str], language: str) -> bool:
    return all(set(analyze(name, language)) <= bag for name in names)


def focus(question: str) -> list[str]:
    """The noun the question asks for and what qualifies it ("Quel est le budget annuel…" ->
    ["budget"]; "Combien de personnes avec une dysphasie…" -> ["personnes", "dysphasie"])."""
    match = _FOCUS.search(question)
    if match is None:
        return []
    words = [w for w in match.group(1).split() if w.lower() not in _PRENOMINAL][:1]
    rest = question[match.start(1) + len(words[0]) :] if words else ""
    if words and (complement := _COMPLEMENT.match(rest)):
        words.append(complement.group(1))
    elif words and _QUANTITY_WORDS.match(words[0]) and (counted := _COUNTED.match(rest)):
        words.append(counted.group(1))  # "le taux de pauvreté": what the rate is of
    return words


def with_focus(
    question: str, pool: Sequence[SearchHit], n: int, at: int, language: str
) -> list[SearchHit]:
    """The best `n` passages of `pool` (best first). When none holds what the question asks
    for ("Quelles pistes … ?") and one of the next `n` holds all of it, that one takes place
    `at` (among those the gate examines): the list of pistes may rank just below the cover
    and the title of its own document."""
    top = list(pool[:n])
    generic = generic_terms(language)
    wanted = {
        t
        for word in focus(question)
        if not _QUANTITY_WORDS.match(word)
        for t in analyze(word, language)
        if t not in generic
    }
    if not wanted or any(wanted & _bag(h.chunk, language) for h in top):
        return top
    for hit in pool[n : 2 * n]:
        if wanted <= _bag(hit.chunk, language):
            log.debug("focus %s found below the top passages: %s", wanted, hit.chunk.chunk_id)
            return [*top[:at], hit, *top[at:]][:n]
    return top


def missing_focus(
    question: str, bag: set[str], stats: TermStats, settings: AnswerSettings, language: str
) -> list[str]:
    """What the question asks for, when it is a rare word of the corpus that no top passage
    holds (a word the corpus never uses is more likely a paraphrase), or a word of one of the
    profile's paraphrase groups none of whose words they hold."""
    generic = generic_terms(language)
    return [
        word
        for word in focus(question)
        if not _QUANTITY_WORDS.match(word)
        and (
            any(
                t not in bag
                and t not in generic
                and stats.known(t)
                and stats.rare(t, settings.max_focus_share, settings.min_focus_count)
                for t in analyze(word, language)
            )
            or _unparaphrased(word, bag, language)
        )
    ]


def _group(word: str, language: str) -> set[str]:
    """The stems of the profile's paraphrase group `word` belongs to (empty: none)."""
    stems = set(analyze(word, language))
    for group_stems in _paraphrase_stems(profile(), language):
        if stems and stems <= group_stems:
            return set(group_stems)
    return set()


@lru_cache(maxsize=4)
def _paraphrase_stems(p: Profile, language: str) -> tuple[frozenset[str], ...]:
    """Each paraphrase group of profile `p` as its stems (analysed once per profile)."""
    return tuple(frozenset(analyze(" ".join(group), language)) for group in p.paraphrases)


def _unparaphrased(word: str, bag: set[str], language: str) -> bool:
    """`word` belongs to a group of the profile's paraphrases and no word of it stands in
    the passages."""
    group = _group(word, language)
    return bool(group) and not group & bag


def _saying_focus(question: str, hits: Sequence[SearchHit], language: str) -> set[str] | None:
    """The passages holding a word of the focus's paraphrase group ("le budget alloué":
    those speaking of money), or None when the focus has no group."""
    groups = [g for word in focus(question) if (g := _group(word, language))]
    if not groups:
        return None
    wanted = set().union(*groups)
    return {h.chunk.chunk_id for h in hits if wanted & _bag(h.chunk, language)}


def outdated(question: str, hits: Sequence[SearchHit], stats: TermStats) -> int | None:
    """The date of the passages' newest document when the question asks about a later year
    (and is not about what was planned)."""
    asked = [int(y) for y in years(question)]
    dates = [d for h in hits if (d := stats.latest_date(h.chunk)) is not None]
    if not asked or not dates or _FORWARD.search(question):
        return None
    latest = max(dates)
    return latest if max(asked) > latest else None


def _answering(covered: list[float], coverage: float, settings: AnswerSettings) -> list[int]:
    """The top passages that could answer: those covering a good share of what the best one
    covers."""
    shared = [n for n, share in enumerate(covered) if share >= settings.answering_share * coverage]
    return shared or list(range(len(covered)))


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
    # A word no passage uses cannot tell passages apart: most often a paraphrase ("prison"
    # for "détention"). Coverage counts the words the corpus knows; a question made mostly
    # of unknown words is about something else.
    known = [t for t in terms if stats.known(t)]
    weights = stats.weights(known)
    total = sum(weights.values()) or 1.0
    bags = [_bag(h.chunk, language) for h in top]
    # An answer quotes passages that name the territory the question names (in their text,
    # title or facets): the poverty rate of one territory is not answered by another
    # territory's livret, nor by a passage of the first one about something else.
    quotable: list[str] | None = None
    judged = list(range(len(top)))
    names: list[str] = []
    places = _territories(question, hits)
    if places:
        judged = [n for n in judged if _names_all(places, bags[n], language)]
        quotable = [
            h.chunk.chunk_id for h in hits if _names_all(places, _bag(h.chunk, language), language)
        ]
        if not judged:
            names = places
            judged = list(range(len(top)))
    covered = [sum(weights[t] for t in known if t in bags[n]) / total for n in judged]
    coverage = max(covered)
    if len(known) * 2 < len(terms):
        coverage = 0.0
    union = set().union(*(bags[n] for n in judged))
    missing_terms = [t for t in terms if t not in union]
    # The years a question names must stand in the passages that answer it (those covering
    # a good share of what the best one covers), not in any passage.
    answering = [judged[i] for i in _answering(covered, coverage, settings)]
    near = set().union(*(bags[n] for n in answering))
    # A year may date a document rather than a fact ("le guide de 2015"): the documents of the
    # passages name it somewhere. Other figures must stand in the passages when the question
    # asks for figures; elsewhere ("après 20 ans") they weigh as its other terms do.
    figures = set().union(*(_figures(top[n].chunk) for n in answering))
    figures |= set().union(*(stats.document_years(top[n].chunk.document_id) for n in answering))
    exact = question_type(question) == "figures"
    missing_numbers = sorted(
        n for n in numbers(question) - figures if exact or n in years(question)
    )
    names = names or missing_names(question, near, language)
    asked = missing_focus(question, union, stats, settings, language)
    if places and exact and not asked:
        # The figure a question asks for about a territory must be of something that stands
        # in that territory's passages, rare word or not: the corpus knowing it elsewhere
        # (another territory's poverty rate) is the near miss, not a paraphrase.
        asked = [
            word
            for word in focus(question)
            if not _QUANTITY_WORDS.match(word)
            and any(
                t not in union and t not in generic_terms(language) and stats.known(t)
                for t in analyze(word, language)
            )
        ]
    # A focus said in other words ("budget", "financement") is quoted from the passages
    # that say it, not from those on the same subject that do not.
    saying = _saying_focus(question, hits, language)
    if saying:
        allowed = quotable if quotable is not None else [h.chunk.chunk_id for h in hits]
        quotable = [c for c in allowed if c in saying] or quotable
    late = outdated(question, top, stats)
    answerable = (
        dense >= settings.min_dense_score
        and coverage >= settings.min_coverage
        and not missing_numbers
        and not names
        and not asked
        and late is None
    )
    found = Relevance(
        dense, coverage, missing_numbers, names, missing_terms, asked, late, answerable, quotable
    )
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
    missing = (found.missing_numbers + found.missing_names + found.missing_focus) if found else []
    if missing:
        shown = ", ".join(missing)
        lines.append(f"Aucun des passages les plus proches ne mentionne : {shown}.")
    if found and found.outdated is not None:
        lines.append(
            f"Les documents les plus récents de ce diagnostic datent de "
            f"{found.outdated} : ils ne peuvent rendre compte d'une période postérieure."
        )
    if filters:
        shown = ", ".join(f"{k} = {v}" for k, v in filters.items())
        lines.append(f"Filtres appliqués : {shown}. Essayez de les élargir ou de les retirer.")
    else:
        lines.append(
            "Vous pouvez reformuler la question ou préciser le diagnostic, "
            "le territoire ou l'année."
        )
    near = list(dict.fromkeys(f"{h.chunk.title} (p. {h.chunk.page})" for h in hits[:3]))
    if near:
        lines.append("Documents les plus proches, à consulter : " + " ; ".join(near) + ".")
    return Answer(answer="\n".join(lines), citations=[], abstained=True)
