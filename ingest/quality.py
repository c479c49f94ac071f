"""Is extracted text readable? A garbled document is rejected, a garbled page dropped.

A PDF whose fonts carry no usable text mapping (custom encodings, subset fonts without a
ToUnicode table) extracts as strings like "pçîîWJJWçHfHè2WçH" or "!\"#$%&'())*+%": garbage
that would be searched, retrieved and quoted. Text is judged on its tokens. In prose, forms
and tables alike, nearly all of the text is in tokens shaped like words, numbers or codes,
and some of the words are the language's commonest ones (the French and English stop words
of bm25s, the package our keyword index uses). Garbled text fails one or the other: glued,
punctuation-ridden tokens, or word-shaped tokens that are no words ("Fgxgnqrrgogpv").
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from kb.errors import IngestError

if TYPE_CHECKING:
    from pathlib import Path

    from ingest.parsers import ParsedDocument

log = logging.getLogger(__name__)

_LOWER = "a-zß-öø-ÿœ"
_UPPER = "A-ZÀ-ÖØ-ÞŒ"
# A word (lower, Capitalised or CAPITALS, with inner apostrophes or hyphens: "l'élève",
# "Haute-Garonne"), a number, date, amount or ordinal ("31/12/2023", "45%", "1er"), or a code
# ("L312-1", "AB-2020-P01", "ER_PRS_F", "PHQ9", "n°3", "km²").
_PART = rf"(?:(?:[{_UPPER}]?[{_LOWER}]+)+|[{_UPPER}]+)"  # camelCase too: "InDesign"
_WORD = re.compile(
    rf"^{_PART}(?:['’-]{_PART})*$"
    r"|^[.,/:%€$°²h+-]*\d[\d.,/:%€$°²h+-]*$"
    r"|^\d+(?:er|re|ère|e|ème|eme|è|nd|nde|h\d*|km²?|m²|k?€|ans?)$"
    r"|^[A-Z\d]+(?:[-_./][A-Z\d]+)+$|^[A-Z]*\d+[A-Z\d]*$"
    r"|^[nN]°\d*$|^(?:k?m²|km|[kM]€)$"
)
# A path, file name or identifier: word-shaped parts joined ("SocialGouv/mon-psy-sante",
# "guide_medecin_2023.pdf").
_JOINERS = re.compile(r"[/_.`:@=+-]+")
_LETTERS = re.compile(rf"^[{_UPPER}{_LOWER}'’-]+$")
_SPLIT = re.compile(r"[\s;,|]+")  # table cells run together in sheets and CSV text
# Punctuation around a token, bullets and marks (Word's Symbol bullet U+F0B7, DEL).
_EDGE = "\"'’«»“”()[]{}.,;:!?…•▪–—-*/\\|_□■☐●○>\x7f\uf0b7\uf0a7\uf0d8"

# Thresholds, from the readable and garbled files of ../shared/realdocs and the corpus: the
# least readable real page (a table, a form) keeps 0.86 of its text in word-shaped tokens and
# 0.12 common words; garbled pages have 0.12-0.80 and common words near 0 when word-shaped.
MIN_WORD_SHARE = 0.8
MIN_COMMON_SHARE = 0.05
DOUBTFUL_WORD_SHARE = 0.9
MIN_TOKENS = 30  # fewer tokens (a cover, a title page): too little to judge


@dataclass(frozen=True)
class Readability:
    tokens: int
    words: float  # share of the text (in characters) in word-, number- or code-shaped tokens
    letters: int  # tokens made of letters only
    common: float  # share of those that are common French or English words

    @property
    def doubtful(self) -> bool:
        """Less of it is word-shaped than in any readable page seen, however short it is:
        worth reading again another way (see ingest/parsers/pdf.py)."""
        return self.words < DOUBTFUL_WORD_SHARE

    @property
    def garbled(self) -> bool:
        if self.tokens < MIN_TOKENS:
            return False
        return self.words < MIN_WORD_SHARE or (
            self.letters >= MIN_TOKENS and self.common < MIN_COMMON_SHARE
        )


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_FRENCH

    return frozenset(w.lower() for w in (*STOPWORDS_FRENCH, *STOPWORDS_EN))


def _word_shaped(token: str) -> bool:
    if _WORD.match(token):
        return True
    parts = [p for p in _JOINERS.split(token) if p]
    return len(parts) > 1 and all(_WORD.match(p) for p in parts)


def readability(text: str) -> Readability:
    tokens = [t for t in (t.strip(_EDGE) for t in _SPLIT.split(text)) if t]
    if not tokens:
        return Readability(0, 1.0, 0, 1.0)
    # Weighted by length: a garbled font often glues a whole line into one long token.
    words = sum(len(t) for t in tokens if _word_shaped(t)) / sum(map(len, tokens))
    letters = [t.lower().replace("’", "'") for t in tokens if _LETTERS.match(t)]
    common = _common()
    known = sum(t in common or t.split("'")[0] in common for t in letters)
    return Readability(len(tokens), words, len(letters), known / max(len(letters), 1))


def check_readable(parsed: ParsedDocument, path: Path) -> ParsedDocument:
    """`parsed` without its garbled pages; IngestError when most of it is garbled."""
    judged = [(page, readability(page.text)) for page in parsed.pages]
    bad = [page.number for page, r in judged if r.garbled]
    kept = [page for page, r in judged if not r.garbled]
    # The kept pages are judged together too: pages too short to judge one by one add up.
    if len(bad) * 2 > len(judged) or readability("\n".join(p.text for p in kept)).garbled:
        why = (
            "the fonts of this PDF carry no usable text mapping; run OCR on it (e.g. "
            "`ocrmypdf --force-ocr`) or export it again with embedded Unicode fonts"
            if path.suffix.lower() == ".pdf"
            else "is it in another encoding or language? save it as UTF-8 French text"
        )
        raise IngestError(
            str(path), f"its text comes out garbled ({len(bad)} of {len(judged)} pages): {why}"
        )
    if bad:
        log.warning("%s: pages %s dropped, their text comes out garbled", path, bad)
        parsed.pages = kept
    return parsed
