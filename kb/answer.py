"""Extractive answers: the passages' own sentences, each followed by the marker of its source."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from kb.settings import AnswerSettings
from kb.text import analyze, fold, split_sentences
from kb.types import Answer, Citation, SearchHit

ABSTAIN = (
    "Je n'ai pas trouvé dans les documents indexés de passage qui réponde à cette question."
)


def _display(sentence: str) -> str:
    return re.sub(r"\s+", " ", sentence).strip()


def relevance(question: str, hits: Sequence[SearchHit], language: str) -> tuple[float, float]:
    """(best cosine similarity, share of the question's terms found in the best passages)."""
    dense = max((h.dense_score for h in hits if h.dense_score is not None), default=0.0)
    terms = set(analyze(question, language))
    if not terms:
        return dense, 0.0
    found: set[str] = set()
    for hit in hits[:3]:
        found |= terms & set(analyze(f"{hit.chunk.title} {hit.chunk.text}", language))
    return dense, len(found) / len(terms)


def abstention(
    question: str, hits: Sequence[SearchHit], filters: Mapping[str, object] | None
) -> Answer:
    """A helpful refusal: what was searched, which filters to relax, what came closest."""
    lines = [ABSTAIN, f"Recherche effectuée : « {question} »."]
    if filters:
        shown = ", ".join(f"{k} = {v}" for k, v in filters.items())
        lines.append(f"Filtres appliqués : {shown}. Essayez de les élargir.")
    near = list(dict.fromkeys(f"{h.chunk.title} (p. {h.chunk.page})" for h in hits[:3]))
    if near:
        lines.append("Documents les plus proches, à consulter : " + " ; ".join(near) + ".")
    return Answer(answer="\n".join(lines), citations=[], abstained=True)


def extractive_answer(
    question: str,
    hits: Sequence[SearchHit],
    settings: AnswerSettings,
    language: str = "french",
    filters: Mapping[str, object] | None = None,
) -> Answer:
    dense, overlap = relevance(question, hits, language)
    if not hits or dense < settings.min_dense_score or overlap < settings.min_term_overlap:
        return abstention(question, hits, filters)

    terms = set(analyze(question, language))
    passages = hits[: settings.passages]
    scored: list[tuple[float, int, int, str]] = []
    for rank, hit in enumerate(passages):
        for position, sentence in enumerate(split_sentences(hit.chunk.text)):
            shared = terms & set(analyze(sentence, language))
            if shared:
                # More of the question's terms first; the better passage breaks ties.
                score = len(shared) / len(terms) + 0.1 / (rank + 1)
                scored.append((score, rank, position, sentence))

    chosen: list[tuple[int, int, str]] = []
    seen: set[str] = set()
    for _score, rank, position, sentence in sorted(scored, key=lambda s: -s[0]):
        key = fold(_display(sentence))
        if key in seen:
            continue
        seen.add(key)
        chosen.append((rank, position, sentence))
        if len(chosen) == settings.max_sentences:
            break
    if not chosen:
        return abstention(question, hits, filters)

    citations: dict[tuple[int, str], Citation] = {}
    parts: list[str] = []
    for rank, _position, sentence in sorted(chosen):
        chunk = passages[rank].chunk
        citation = citations.setdefault(
            (rank, sentence),
            Citation(
                n=len(citations) + 1,
                chunk_id=chunk.chunk_id,
                document_id=chunk.document_id,
                title=chunk.title,
                source=chunk.source,
                page=chunk.page,
                quote=sentence,
            ),
        )
        parts.append(f"{_display(sentence)} [{citation.n}]")
    return Answer(answer=" ".join(parts), citations=list(citations.values()), abstained=False)
