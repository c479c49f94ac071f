"""Where a document states, in its own words, the figure counted from the records.

A count computed from the records ("8 des 20 préconisations") is checked against the
passages of that diagnostic: a sentence giving the same number of recommendations
("Huit préconisations sur vingt sont réalisées") is quoted verbatim, with its citation.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kb import domain
from kb.recommendations.ids import year_of
from kb.recommendations.types import SourceRef
from kb.text import fold, split_sentences
from kb.types import SearchHit

_WORDS = (
    "zero un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze"
    " seize dix-sept dix-huit dix-neuf vingt"
).split()
# A sentence opening on a pronoun needs the one before it to be understood.
_PRONOUN = re.compile(r"^(Il|Elle|Ils|Elles|Celui-ci|Celle-ci|Ce dernier|Cette derni[eè]re)\b")

Search = Callable[[str, int, dict[str, object] | None], list[SearchHit]]


def _count_pattern(n: int) -> re.Pattern[str]:
    said = [str(n)] + ([_WORDS[n]] if n < len(_WORDS) else [])
    number = "|".join(re.escape(s) for s in said)
    nouns = "|".join(domain.profile().data["questions"]["records"])
    # The number names recommendations: "8 préconisations", "huit préconisations sur vingt",
    # "7 des 24 fiches actions"; or it is the subject of a status: "(sur les douze
    # préconisations,) deux sont réalisées".
    named = rf"(?:{number})\s+(?:des\s+\d+\s+|sur\s+\d+\s+)?(?:{nouns})"
    subject = rf"(?:{number})\s+(?:ne\s+|n')?(?:sont|est|etaient|etait|ont|a)\b"
    return re.compile(rf"(?<![\w,.-])(?:(?P<named>{named})|{subject})")


# Where the clause of a count ends: "deux sont réalisées, deux sont en cours".
_CLAUSE_END = re.compile(r"[;,.:(]|\bet\b")


def _states(folded: str, n: int, status: str) -> bool:
    """`folded` (a sentence) counts `n` recommendations with `status`. The clause's status
    is read as a question's is, most specific first ("partiellement réalisées" is not
    "réalisées", "ne sont pas réalisées" neither). "deux sont …" must say the status; "il
    reprend 7 des 24 fiches actions" names recommendations and says no other status."""
    for match in _count_pattern(n).finditer(folded):
        end = _CLAUSE_END.search(folded, match.end())
        clause = folded[match.start() : end.start() if end else len(folded)]
        said = next((v for v, cue in domain.profile().wanted_status if cue.search(clause)), None)
        if said == status or (said is None and match.group("named")):
            return True
    return False


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, in order."""
    spans, at = [], 0
    for sentence in split_sentences(text):
        start = text.index(sentence, at)
        at = start + len(sentence)
        spans.append((start, at))
    return spans


def stated_count(
    search: Search,
    question: str,
    dtp_id: str,
    n: int,
    status: str,
    wider: dict[str, object] | None = None,
) -> SourceRef | None:
    """The first passage sentence stating that `n` recommendations of `dtp_id` have `status`:
    in that diagnostic's documents, else in the `wider` ones (a later diagnostic's livret
    reviewing it) when the sentence names the diagnostic's year."""
    if n <= 0:
        return None
    year = str(year_of(dtp_id) or "")
    tries = [({"dtp_id": dtp_id}, "")] + ([(wider, year)] if wider is not None and year else [])
    for filters, must in tries:
        for hit in search(question, 10, filters):
            quote = _stating(hit.chunk.text, n, status, must)
            if quote:
                chunk = hit.chunk
                return SourceRef(
                    source=chunk.source,
                    page=chunk.page,
                    quote=quote,
                    document_id=chunk.document_id,
                    title=chunk.title,
                    chunk_id=chunk.chunk_id,
                )
    return None


def _stating(text: str, n: int, status: str, must: str) -> str:
    """The sentence of `text` stating the count (with the one before when it opens on a
    pronoun), "" if none; `must`: a word the sentence must hold."""
    spans = _sentences(text)
    for i, (start, end) in enumerate(spans):
        sentence = " ".join(text[start:end].split())
        if must and must not in sentence:
            continue
        if not _states(fold(sentence), n, status):
            continue
        if i and _PRONOUN.match(sentence):
            start = spans[i - 1][0]
        return " ".join(text[start:end].split())
    return ""
