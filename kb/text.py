"""French text analysis for the keyword leg: elisions, stop words, Snowball stems, folded accents."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TOKEN = re.compile(r"\w+", re.UNICODE)
# l'avis, d'accueil, qu'il, jusqu'à, aujourd'hui stays whole (no elided article before it)
_ELISION = re.compile(r"\b(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’](?=\w)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=(?:«\s?|[\"(\[])?[A-ZÀ-ÖØ-Þ0-9])")


def fold(text: str) -> str:
    """Lower-case and strip accents ("Équipe" -> "equipe")."""
    # NFKD leaves the ligatures whole: "œuvre" must fold to "oeuvre".
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _stemmer(language: str):  # type: ignore[no-untyped-def]
    import Stemmer  # PyStemmer: Snowball stemmers in C

    return Stemmer.Stemmer(language)


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_FRENCH

    return frozenset(fold(w) for w in STOPWORDS_FRENCH)


def analyze(text: str, language: str = "french") -> list[str]:
    """Terms of `text` for BM25: elisions cut, stop words dropped, stemmed, accent-folded."""
    text = _ELISION.sub(" ", text)
    words = [w.lower() for w in _TOKEN.findall(text)]
    stops = _stopwords()
    words = [w for w in words if fold(w) not in stops and (len(w) > 1 or w.isdigit())]
    return [fold(stem) for stem in _stemmer(language).stemWords(words)]


def split_sentences(text: str) -> list[str]:
    """Sentences of a passage, each an exact substring of `text` (stripped)."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        start = 0
        for match in _SENTENCE_END.finditer(block):
            out.append(block[start : match.start()])
            start = match.end()
        out.append(block[start:])
    return [s.strip() for s in out if s.strip()]
