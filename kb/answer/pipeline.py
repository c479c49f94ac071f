"""From a question (and the conversation) to a verified, cited answer, whole or streamed.

rewrite the follow-up -> retrieve -> decide whether to answer -> extract (or generate with
the optional LLM) -> verify every sentence -> events: question, sentence..., citations, done.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from kb.answer.conversation import Turn, rewrite
from kb.answer.evidence import TermStats, numbers, question_type
from kb.answer.extractive import extractive_answer
from kb.answer.gate import Relevance, abstention, relevance, with_focus
from kb.answer.llm import LLM, load_llm, messages_for
from kb.answer.verify import Checker, Verifier, split_cited
from kb.embed import Embedder
from kb.settings import AnswerSettings
from kb.store import Filters
from kb.types import Answer, AnswerSentence, SearchHit

log = logging.getLogger(__name__)

Search = Callable[[str, int, Filters | None], list[SearchHit]]
# Answers some questions from structured records first (statuses of recommendations).
Route = Callable[[str, Filters | None], Answer | None]
Event = tuple[str, dict[str, Any]]


@dataclass
class Prepared:
    question: str  # as asked
    searched: str  # rewritten from the history when it is a follow-up
    qtype: str
    filters: Filters | None
    hits: list[SearchHit]
    relevance: Relevance


def sentence_event(s: AnswerSentence) -> Event:
    return "sentence", s.model_dump()


def answer_events(answer: Answer) -> Iterator[Event]:
    """The events of an answer that is already complete (the extractive path)."""
    yield "question", {"question": answer.question, "question_type": answer.question_type}
    if answer.abstained:
        yield (
            "sentence",
            {"text": answer.answer, "citations": [], "support": 0.0, "supported": False},
        )
    for s in answer.sentences:
        yield sentence_event(s)
    yield "citations", {"citations": [c.model_dump() for c in answer.citations]}
    yield "done", answer.model_dump()


class Answerer:
    """Answers questions over whatever `search` returns, with the settings' thresholds."""

    def __init__(
        self,
        settings: AnswerSettings,
        search: Search,
        stats: TermStats,
        embedder: Callable[[], Embedder],
        language: str = "french",
        route: Route | None = None,
    ) -> None:
        self.settings = settings
        self.route = route
        self.search = search
        self.stats = stats
        self.language = language
        self.verifier = Verifier(settings, language, embedder)

    @cached_property
    def llm(self) -> LLM | None:
        return load_llm(self.settings.llm)

    @property
    def generative(self) -> bool:
        return self.settings.llm.backend != "none"

    def prepare(
        self, question: str, filters: Filters | None, history: Sequence[Turn] | None
    ) -> Prepared:
        """Rewrite, retrieve and judge relevance."""
        searched = rewrite(question, history, self.settings.history_turns)
        n = max(self.settings.passages, self.settings.llm.passages, self.settings.gate_passages)
        # The search ranks pages (a page's chunks together); an answer wants the best
        # passages whatever their page, so it reads a wider pool best chunk first.
        pool = self.search(searched, n * 10, filters)
        ranked = sorted(pool, key=lambda h: h.score, reverse=True)
        at = min(n, self.settings.gate_passages) - 1
        hits = with_focus(searched, ranked, n, at, self.language)
        found = relevance(searched, hits, self.settings, self.stats, self.language)
        return Prepared(question, searched, question_type(searched), filters, hits, found)

    @staticmethod
    def _quotable(p: Prepared) -> list[SearchHit]:
        """The passages the answer may quote (see `Relevance.quotable`)."""
        allowed = p.relevance.quotable
        return p.hits if allowed is None else [h for h in p.hits if h.chunk.chunk_id in allowed]

    def _label(self, answer: Answer, p: Prepared) -> Answer:
        return answer.model_copy(update={"question": p.searched, "question_type": p.qtype})

    def extractive(self, p: Prepared) -> Answer:
        """The passages' own sentences, audited; an abstention when none fits."""
        if not p.relevance.answerable:
            return self._label(abstention(p.searched, p.hits, p.filters, p.relevance), p)
        drafted = extractive_answer(
            p.searched, self._quotable(p), self.settings, self.stats, self.language, p.qtype
        )
        if drafted is None:
            return self._label(abstention(p.searched, p.hits, p.filters, p.relevance), p)
        chunks = {h.chunk.chunk_id: h.chunk for h in p.hits}
        return self._label(self.verifier.audit(drafted, chunks), p)

    def routed(
        self, question: str, filters: Filters | None, history: Sequence[Turn] | None
    ) -> Answer | None:
        """The answer from the records, when the route takes the (rewritten) question."""
        if self.route is None:
            return None
        searched = rewrite(question, history, self.settings.history_turns)
        answer = self.route(searched, filters)
        if answer is None or answer.abstained:
            return None  # the passages may still hold the answer
        # The figures of the question stand in the answer or its sources ("le plan d'actions
        # 2024-2026" is the title of the document cited).
        stated = numbers(
            " ".join([answer.answer, *(f"{c.title} {c.quote}" for c in answer.citations)])
        )
        if not numbers(searched) <= stated:
            log.info("records answer ignored: it does not mention %s", numbers(searched) - stated)
            return None
        return self.verifier.annotate(answer).model_copy(
            update={"question": searched, "question_type": question_type(searched)}
        )

    def answer(
        self,
        question: str,
        filters: Filters | None = None,
        history: Sequence[Turn] | None = None,
    ) -> Answer:
        """The whole answer at once."""
        if (routed := self.routed(question, filters, history)) is not None:
            return routed
        p = self.prepare(question, filters, history)
        if not self.generative or not p.relevance.answerable:
            return self.extractive(p)
        final: dict[str, Any] = {}
        for name, data in self._generate(p):
            if name == "done":
                final = data
        return Answer.model_validate(final)

    def events(
        self,
        question: str,
        filters: Filters | None = None,
        history: Sequence[Turn] | None = None,
    ) -> Iterator[Event]:
        """The answer as events: sentences as soon as they are verified, then citations."""
        if (routed := self.routed(question, filters, history)) is not None:
            yield from answer_events(routed)
            return
        p = self.prepare(question, filters, history)
        if not self.generative or not p.relevance.answerable:
            yield from answer_events(self.extractive(p))
            return
        yield from self._generate(p)

    def _generate(self, p: Prepared) -> Iterator[Event]:
        """LLM answer, each sentence verified as it completes; extractive if none survives."""
        yield "question", {"question": p.searched, "question_type": p.qtype}
        assert self.llm is not None
        passages = [h.chunk for h in self._quotable(p)[: self.settings.llm.passages]]
        checker = Checker(self.verifier, passages, "llm")
        buffer, done = "", 0
        for piece in self.llm.stream(messages_for(p.searched, passages)):
            buffer += piece
            parts = split_cited(buffer)
            # All but the last sentence are complete (the last may still grow).
            while done < len(parts) - 1:
                kept = checker.add(*parts[done])
                done += 1
                if kept is not None:
                    yield sentence_event(kept)
        for sentence, markers in split_cited(buffer)[done:]:
            kept = checker.add(sentence, markers)
            if kept is not None:
                yield sentence_event(kept)
        answer = checker.result()
        log.info(
            "LLM answer: %d sentence(s) kept, %d removed",
            len(answer.sentences),
            len(answer.rejected),
        )
        if not any(s.supported for s in answer.sentences):
            fallback = self.extractive(p)
            for s in fallback.sentences:
                yield sentence_event(s)
            answer = fallback.model_copy(update={"rejected": answer.rejected})
        answer = self._label(answer, p)
        yield "citations", {"citations": [c.model_dump() for c in answer.citations]}
        yield "done", answer.model_dump()
