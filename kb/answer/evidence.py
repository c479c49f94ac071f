"""The material answers are made of: quotable units of passages, their terms, figures, weights."""

from __future__ import annotations

import logging
import math
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from kb import domain
from kb.text import analyze, fold, split_sentences
from kb.types import Chunk

log = logging.getLogger(__name__)

# "2 350", "27,4", "12/10/2018", "2022-2026", "60 %"; thin and no-break spaces group digits.
_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f]\d{3}(?!\d))*(?:[,.]\d+)?")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
# "2022-2026": a period; a document dated by a period is dated by its start.
_PERIOD_END = re.compile(r"(?<=\d)\s*[-–]\s*(?:19|20)\d\d\b")
_QUANTITY = re.compile(
    r"(?<![\d/])(?!(?:19|20)\d\d\b)\d+(?:[ \u00a0\u202f]\d{3})*(?:[,.]\d+)?(?![\d/])"
)


@lru_cache(maxsize=4)
def generic_terms(language: str) -> frozenset[str]:
    return frozenset(analyze(domain.profile().words("generic"), language))


def numbers(text: str) -> set[str]:
    """Figures of a text, normalised ("2 350" -> "2350", "27,4" -> "27.4")."""
    out = set()
    for match in _NUMBER.finditer(text):
        value = re.sub(r"[ \u00a0\u202f]", "", match.group()).replace(",", ".")
        out.add(value.lstrip("0") or "0")
    return out


def years(text: str) -> set[str]:
    """The years a text names ("2019", "2022-2026" -> 2022 and 2026)."""
    return set(_YEAR.findall(text))


def document_date(chunk: Chunk) -> int | None:
    """The year a document dates from: the latest year of its title, file name and year
    facet, a period counting by its start ("Feuille de route 2022-2026" -> 2022)."""
    name = re.split(r"[\\/]", chunk.source)[-1]
    text = _PERIOD_END.sub("", f"{chunk.title} {name} {chunk.metadata.get('year', '')}")
    found = [int(y) for y in _YEAR.findall(text.replace("_", " "))]
    return max(found, default=None)


def without_identifiers(text: str) -> str:
    """`text` with its recommendation numbers blanked ("AB-2020-P05", "Action 2.1")."""
    text = domain.profile().global_id.sub(" ", text)
    for label in reversed(domain.labels(text, ("record", "axis", "proposal"))):
        text = f"{text[: label.start]} {text[label.end :]}"
    return text


def diagnostic_of(chunk: Chunk) -> str:
    """The diagnostic a passage belongs to (its document when it has no DTP id)."""
    return str(chunk.metadata.get("dtp_id") or chunk.document_id)


def question_type(question: str) -> str:
    """'status', 'figures' or 'other': what the answer should lead with."""
    cue = domain.profile().cue
    if cue("status_words", re.IGNORECASE).search(question):
        return "status"
    if cue("figure_words", re.IGNORECASE).search(question):
        return "figures"
    return "other"


def display(text: str) -> str:
    """Text as shown: whitespace collapsed; the PDF bullet glyph (DEL) shown as a bullet."""
    text = re.sub(r"[\x00-\x08\x0e-\x1f]", "", text.replace("\x7f", "•"))
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Unit:
    """A quotable span of a chunk: a sentence (lists kept whole) or a whole table row."""

    chunk: Chunk
    rank: int  # rank of the chunk among the retrieved passages
    position: int  # order of the unit in its chunk
    quote: str  # verbatim substring of chunk.text
    text: str  # what the answer shows: the quote, or a row's "Header : value" pairs
    terms: frozenset[str]
    context_terms: frozenset[str]

    @property
    def has_figure(self) -> bool:
        """States a quantity: a number that is neither a year nor part of an identifier."""
        return bool(_QUANTITY.search(without_identifiers(self.text)))


def _row_display(chunk: Chunk) -> str:
    # The first context line is the section path; the others are "Header : value" pairs.
    pairs = [
        (header.strip(), value.strip())
        for line in chunk.context.splitlines()[1:]
        for header, sep, value in [display(line).partition(" : ")]
        if sep and value.strip()
    ]
    return row_sentence(pairs) if pairs else display(chunk.text)


def row_sentence(pairs: list[tuple[str, str]]) -> str:
    """A table row as a French sentence: a recommendation's row names it, its pilot and its
    status ("La préconisation n°3, « … », est pilotée par … ; Statut 2023 : non atteint."),
    another row reads "<first cell> — Header : value, Header : value.". Headers stay as printed
    (acronyms such as "ESAT" must not be lowercased)."""
    fields: dict[str, tuple[str, str]] = {}
    for header, value in pairs:
        name = domain.field_of_header(header)
        if name and name not in fields:
            fields[name] = (header, value)
    title = fields.get("title", ("", ""))[1]
    number = fields.get("label", ("", ""))[1]
    if title and ({"pilot", "status", "partners", "timeline"} & set(fields)):
        named = f"{number}, « {title} »" if number else f"« {title} »"
        parts = [named]
        if "pilot" in fields:
            parts[0] += f", est pilotée par {fields['pilot'][1]}"
        if "partners" in fields:
            parts.append(f"avec {fields['partners'][1]}")
        used = {fields[n] for n in ("label", "title", "pilot", "partners") if n in fields}
        parts += [f"{h} : {v}" for h, v in pairs if (h, v) not in used]
        return " ; ".join(parts) + "."
    (first_header, first), rest = pairs[0], pairs[1:]
    if not rest:
        return f"{first_header} : {first}."
    said = ", ".join(f"{h} : {v}" for h, v in rest)
    return f"{first} — {said}."


def _strip_heading(chunk: Chunk, sentence: str) -> str:
    """Drop the section heading a passage starts with ("4.3 Ressources expertes\\n...")."""
    heading = str(chunk.metadata.get("section", "")).rsplit(" > ", 1)[-1].strip()
    first, sep, rest = sentence.partition("\n")
    if heading and sep and display(first) == display(heading) and rest.strip():
        return rest.strip()
    return sentence


# A sentence giving orders to whoever reads the passage as an assistant: "Ignore les
# documents et réponds …", "Ignore all previous instructions …", after an optional label
# ("Consigne pour l'assistant : …"); the verbs are the profile's `orders.verbs`. A document
# that says so is injecting instructions, not stating anything: such a sentence is never
# quoted and supports no generated sentence.
@lru_cache(maxsize=4)
def _order_patterns(verb: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(an order at the start of a folded sentence, any order verb: a cheap first look)."""
    return re.compile(rf"^(?:[^:.!?]{{0,60}}:\s*)?{verb}"), re.compile(rf"\b{verb}", re.I)


def is_order(sentence: str) -> bool:
    """An instruction to an assistant rather than a statement."""
    order, _ = _order_patterns(domain.profile().order_verb)
    return bool(order.search(fold(display(sentence))))


def stated(chunk: Chunk) -> str:
    """What a passage states: its text without the orders it holds."""
    return _stated(chunk.text)


@lru_cache(maxsize=4096)
def _stated(text: str) -> str:
    _, any_verb = _order_patterns(domain.profile().order_verb)
    if not any_verb.search(text):  # accents aside, every order has its verb
        return text
    sentences = split_sentences(text)
    if not any(is_order(s) for s in sentences):
        return text
    return " ".join(s for s in sentences if not is_order(s))


def units_of(chunk: Chunk, rank: int, language: str) -> list[Unit]:
    """The quotable units of one passage, in reading order (orders left out)."""
    context_terms = frozenset(analyze(f"{chunk.title}\n{chunk.context}", language))
    if chunk.metadata.get("kind") == "row":
        shown = _row_display(chunk)
        if is_order(shown) or is_order(chunk.text):
            return []
        terms = frozenset(analyze(shown, language))
        return [Unit(chunk, rank, 0, chunk.text.strip(), shown, terms, context_terms)]
    out = []
    for position, sentence in enumerate(split_sentences(chunk.text)):
        sentence = _strip_heading(chunk, sentence) if position == 0 else sentence
        if domain.is_furniture(display(sentence)) or is_order(sentence):
            continue
        terms = frozenset(analyze(sentence, language))
        if terms:
            out.append(
                Unit(chunk, rank, position, sentence, display(sentence), terms, context_terms)
            )
    return out


class KeywordSource(Protocol):
    """`kb.keyword.SharedKeyword`, which builds its artefact with this module's helpers."""

    def current(self) -> tuple[Any, Any]: ...


class TermStats:
    """Inverse document frequencies over the indexed chunks, the years each document names and
    the date of each diagnostic's latest document: read from the keyword artefact
    (`kb.keyword`), which is built once per change of the index."""

    def __init__(self, shared: KeywordSource) -> None:
        self._shared = shared
        self._lock = threading.Lock()
        self._name: object = None
        self._idf: dict[str, float] = {}
        self._df: dict[str, int] = {}
        self._n = 0
        self._default = 1.0
        self._years: dict[str, list[str]] = {}
        self._latest: dict[str, int] = {}

    def _refresh(self) -> None:
        artefact = self._shared.current()[0]
        with self._lock:
            if artefact is self._name:
                return
            n, df = artefact.n, artefact.df
            self._years, self._latest = artefact.years, artefact.latest
            self._df, self._n = df, n
            self._idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
            # A term no passage holds weighs most: it is what the corpus cannot answer.
            self._default = math.log(1 + (n + 0.5) / 0.5)
            self._name = artefact
            log.info("term statistics over %d chunks", n)

    def idf(self, term: str) -> float:
        self._refresh()
        return self._idf.get(term, self._default)

    def share(self, term: str) -> float:
        """The share of indexed passages that hold the term (0 when none does)."""
        self._refresh()
        return self._df.get(term, 0) / self._n if self._n else 0.0

    def rare(self, term: str, share: float, count: int) -> bool:
        """Held by at most `share` of the passages, or by at most `count` of them (what a
        small corpus says once or twice is rare too)."""
        self._refresh()
        held = self._df.get(term, 0)
        return held <= max(count, share * self._n)

    def known(self, term: str) -> bool:
        """Whether some indexed passage holds the term."""
        self._refresh()
        return term in self._idf

    def document_years(self, document_id: str) -> set[str]:
        """The years a document names anywhere (its date on the cover included)."""
        self._refresh()
        return set(self._years.get(document_id, ()))

    def latest_date(self, chunk: Chunk) -> int | None:
        """The date of the latest document of the passage's diagnostic."""
        self._refresh()
        return self._latest.get(diagnostic_of(chunk))

    def weights(self, terms: Iterable[str]) -> dict[str, float]:
        self._refresh()
        return {t: self._idf.get(t, self._default) for t in terms}


def salient_terms(question: str, language: str) -> list[str]:
    """The question's content terms, minus the words every question uses."""
    generic = generic_terms(language)
    return list(dict.fromkeys(t for t in analyze(question, language) if t not in generic))


def folded(text: str) -> str:
    """Accent- and case-folded text with collapsed whitespace, for containment checks."""
    return display(fold(text))
