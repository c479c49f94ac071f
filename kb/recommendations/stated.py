"""Where a document states, in its own words, the figure counted from the records.

A count computed from the records ("8 des 20 préconisations") is checked against the
passages of that diagnostic: a sentence giving the same number of recommendations
("Huit préconisations sur vingt sont réalisées") is quoted verbatim, with its citation.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kb import domain
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
    # "8 préconisations", "huit préconisations sur vingt", "7 des 24 fiches actions".
    nouns = "|".join(domain.profile().data["questions"]["records"])
    return re.compile(rf"(?<![\w,.-])(?:{number})\s+(?:des\s+\d+\s+|sur\s+\d+\s+)?(?:{nouns})")


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, in order."""
    spans, at = [], 0
    for sentence in split_sentences(text):
        start = text.index(sentence, at)
        at = start + len(sentence)
        spans.append((start, at))
    return spans


def stated_count(search: Search, question: str, dtp_id: str, n: int) -> SourceRef | None:
    """The first passage sentence of `dtp_id`'s documents stating `n` recommendations."""
    if n <= 0:
        return None
    pattern = _count_pattern(n)
    for hit in search(question, 10, {"dtp_id": dtp_id}):
        text = hit.chunk.text
        spans = _sentences(text)
        for i, (start, end) in enumerate(spans):
            sentence = " ".join(text[start:end].split())
            if not pattern.search(fold(sentence)):
                continue
            if i and _PRONOUN.match(sentence):
                start = spans[i - 1][0]
            chunk = hit.chunk
            return SourceRef(
                source=chunk.source,
                page=chunk.page,
                quote=" ".join(text[start:end].split()),
                document_id=chunk.document_id,
                title=chunk.title,
                chunk_id=chunk.chunk_id,
            )
    return None
