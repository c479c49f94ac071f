"""Verification of every answer: each sentence cited, and supported by the passages it cites.

Evidence per sentence: its figures must all stand in the cited passages (hard rule), its
content terms must mostly stand there (lexical), and its meaning must be close to one of
their sentences (embedding cosine). A sentence that stands verbatim in a cited passage is
supported by construction. Unknown markers are dropped; unsupported sentences are removed
(or flagged, by setting).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from kb.answer.evidence import Unit, folded, numbers, stated, units_of
from kb.embed import Embedder
from kb.settings import AnswerSettings
from kb.text import analyze, split_sentences
from kb.types import Answer, AnswerSentence, Chunk, Citation

log = logging.getLogger(__name__)

_MARKERS = r"\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\]"
_MARKER = re.compile(_MARKERS)
_LEADING_MARKERS = re.compile(rf"^(?:\s*{_MARKERS})+")
FLAG = " (non étayé par les sources)"


def split_cited(text: str) -> list[tuple[str, list[int]]]:
    """Sentences of a generated text with their markers ("… 2019 [1][3]." -> [1, 3])."""
    out: list[tuple[str, list[int]]] = []
    for piece in split_sentences(text):
        lead = _LEADING_MARKERS.match(piece)
        if lead and out:  # "phrase. [1] Suite": the marker closes the previous sentence
            out[-1][1].extend(int(n) for n in re.findall(r"\d+", lead.group()))
            piece = piece[lead.end() :]
        markers = [int(n) for m in _MARKER.findall(piece) for n in re.findall(r"\d+", m)]
        clean = re.sub(r"\s+([.,;:!?])", r"\1", " ".join(_MARKER.sub("", piece).split()))
        if re.search(r"[^\W\d_]", clean):  # a sentence has letters; "[1" is a marker to come
            out.append((clean, list(dict.fromkeys(markers))))
        elif out:
            out[-1][1].extend(markers)
    return [(s, list(dict.fromkeys(m))) for s, m in out]


@dataclass
class Evidence:
    support: float
    lexical: float
    semantic: float | None
    figures_ok: bool
    supported: bool
    quotes: list[Unit]  # the best unit of each cited passage that backs the sentence


class Verifier:
    """Scores sentences against passages with the thresholds of `AnswerSettings`."""

    def __init__(
        self,
        settings: AnswerSettings,
        language: str,
        embedder: Callable[[], Embedder] | None = None,
    ) -> None:
        self.settings = settings
        self.language = language
        self._embedder = embedder

    def _semantic(self, sentence: str, units: Sequence[Unit]) -> np.ndarray | None:
        if self._embedder is None or not units:
            return None
        vectors = self._embedder().embed_passages([sentence, *(u.text for u in units)])
        return vectors[1:] @ vectors[0]

    def evidence(
        self,
        sentence: str,
        chunks: Sequence[Chunk],
        semantic: bool = True,
        shortcut: bool = True,
    ) -> Evidence:
        """How well `chunks` together support `sentence` (`semantic`: also by embeddings;
        `shortcut`: a sentence standing verbatim in a passage is supported outright)."""
        units = [u for i, c in enumerate(chunks) for u in units_of(c, i, self.language)]
        if not units:
            return Evidence(0.0, 0.0, None, False, False, [])
        terms = set(analyze(sentence, self.language))
        bag = set().union(*(u.terms | u.context_terms for u in units))
        lexical = len(terms & bag) / len(terms) if terms else 0.0
        # What the passages state: an order they hold ("réponds que …") backs nothing.
        context = " ".join(f"{c.context} {stated(c)}" for c in chunks)
        figures_ok = numbers(sentence) <= numbers(context)
        target = folded(sentence)
        verbatim = shortcut and any(target in folded(stated(c)) for c in chunks)
        overlaps = np.array([len(terms & u.terms) / (len(terms) or 1) for u in units])
        if verbatim:
            similarity: float | None = 1.0
            scores = overlaps
        else:
            cosines = self._semantic(sentence, units) if semantic else None
            similarity = float(cosines.max()) if cosines is not None else None
            scores = overlaps if cosines is None else overlaps + cosines
        quotes = []
        for i in range(len(chunks)):
            mine = [(scores[j], u) for j, u in enumerate(units) if u.rank == i and overlaps[j]]
            if mine:
                quotes.append(max(mine, key=lambda s: s[0])[1])
        s = self.settings
        scaled = 1.0 if similarity is None else _scale(similarity, s.min_semantic_support)
        support = 0.0 if not figures_ok else round(min(lexical, scaled), 3)
        supported = bool(
            quotes
            and figures_ok
            and (verbatim or lexical >= s.min_lexical_support)
            and (verbatim or similarity is None or similarity >= s.min_semantic_support)
        )
        return Evidence(support, lexical, similarity, figures_ok, supported, quotes)

    def verify(self, text: str, passages: Sequence[Chunk], generator: str = "llm") -> Answer:
        """Cite, check and keep or drop each sentence of a generated `text`."""
        checker = Checker(self, passages, generator)
        for sentence, markers in split_cited(text):
            checker.add(sentence, markers)
        return checker.result()

    def audit(self, answer: Answer, chunks: dict[str, Chunk]) -> Answer:
        """Check an answer made of quotes: citations of unknown chunks or with a quote not in
        their chunk are dropped, and each sentence gets its support from what it cites."""
        valid = {
            c.n: c
            for c in answer.citations
            if c.chunk_id in chunks and c.quote in chunks[c.chunk_id].text
        }
        sentences = []
        for s in answer.sentences:
            cited = [chunks[valid[n].chunk_id] for n in s.citations if n in valid]
            found = self.evidence(s.text, cited, semantic=False) if cited else None
            ok = bool(
                found and found.figures_ok and found.lexical >= self.settings.min_lexical_support
            )
            sentences.append(
                s.model_copy(
                    update={
                        "citations": [n for n in s.citations if n in valid],
                        "support": found.support if found else 0.0,
                        "supported": ok,
                    }
                )
            )
        if len(valid) < len(answer.citations):
            log.warning("%d citation(s) dropped by the audit", len(answer.citations) - len(valid))
        return answer.model_copy(update={"citations": list(valid.values()), "sentences": sentences})

    def annotate(self, answer: Answer) -> Answer:
        """Sentences and support for an answer built elsewhere (the recommendation records),
        checked against the quotes it cites; nothing is removed, weak sentences are flagged."""
        if answer.abstained or answer.sentences:
            return answer
        quotes = {
            c.n: Chunk(
                chunk_id=c.chunk_id,
                document_id=c.document_id,
                source=c.source,
                title=c.title,
                page=c.page,
                text=c.quote,
            )
            for c in answer.citations
        }
        sentences = []
        for line in answer.answer.splitlines():
            for sentence, markers in split_cited(line):
                cited = [quotes[n] for n in markers if n in quotes]
                found = self.evidence(sentence, cited, semantic=False) if cited else None
                ok = bool(
                    found
                    and found.figures_ok
                    and found.lexical >= self.settings.min_lexical_support
                )
                sentences.append(
                    AnswerSentence(
                        text=sentence,
                        citations=[n for n in markers if n in quotes],
                        support=found.support if found else 0.0,
                        supported=ok,
                    )
                )
        return answer.model_copy(update={"sentences": sentences, "generator": "records"})

    def _best_single(
        self, sentence: str, passages: Sequence[Chunk], current: Evidence | None
    ) -> Evidence:
        best = current or Evidence(0.0, 0.0, None, False, False, [])
        for chunk in passages:
            found = self.evidence(sentence, [chunk])
            if found.supported and (not best.supported or found.support > best.support):
                best = found
        return best


class Checker:
    """Verifies generated sentences one at a time (so they can be streamed), numbering the
    citations of the sentences it keeps.

    Markers [n] refer to `passages` (1-based); unknown ones are dropped; a sentence with no
    valid marker is attached to the one passage that supports it, if any.
    """

    def __init__(self, verifier: Verifier, passages: Sequence[Chunk], generator: str) -> None:
        self.verifier = verifier
        self.passages = list(passages)
        self.generator = generator
        self.citations: dict[tuple[str, str], Citation] = {}
        self.kept: list[AnswerSentence] = []
        self.rejected: list[AnswerSentence] = []
        self.parts: list[str] = []

    def add(self, sentence: str, markers: list[int]) -> AnswerSentence | None:
        """The sentence as kept (cited or flagged), or None when it is removed."""
        passages = self.passages
        cited = [passages[m - 1] for m in markers if 1 <= m <= len(passages)]
        if len(cited) < len(markers):
            log.info("unknown marker(s) dropped in %r", sentence)
        found = self.verifier.evidence(sentence, cited) if cited else None
        if found is None or not found.supported:
            found = self.verifier._best_single(sentence, passages, found)
        if found.supported:
            numbers_of = []
            for unit in found.quotes:
                key = (unit.chunk.chunk_id, unit.quote)
                if key not in self.citations:
                    self.citations[key] = _citation(len(self.citations) + 1, unit)
                numbers_of.append(self.citations[key].n)
            kept = AnswerSentence(text=sentence, citations=numbers_of, support=found.support)
            self.parts.append(f"{sentence} {''.join(f'[{n}]' for n in numbers_of)}")
        else:
            kept = AnswerSentence(
                text=sentence, citations=[], support=found.support, supported=False
            )
            log.info("unsupported sentence (support %.2f): %r", found.support, sentence)
            if self.verifier.settings.unsupported == "remove":
                self.rejected.append(kept)
                return None
            self.parts.append(sentence + FLAG)
        self.kept.append(kept)
        return kept

    def result(self) -> Answer:
        return Answer(
            answer=" ".join(self.parts),
            citations=list(self.citations.values()),
            sentences=self.kept,
            rejected=self.rejected,
            generator=self.generator,
        )


def _scale(cosine: float, threshold: float) -> float:
    """Cosine mapped to 0..1, 0.5 at the support threshold (e5 cosines sit in 0.7..1)."""
    low = threshold - (1 - threshold)
    return float(min(1.0, max(0.0, (cosine - low) / (1 - low))))


def _citation(n: int, unit: Unit) -> Citation:
    c = unit.chunk
    return Citation(
        n=n,
        chunk_id=c.chunk_id,
        document_id=c.document_id,
        title=c.title,
        source=c.source,
        page=c.page,
        quote=unit.quote,
    )
