"""Follow-up questions ("et en 2019 ?") rewritten from the conversation before retrieval."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, Field

from kb import domain
from kb.answer.evidence import salient_terms

log = logging.getLogger(__name__)


class Turn(BaseModel):
    """One message of the conversation so far."""

    role: Literal["user", "assistant"]
    content: str = Field(max_length=20_000)


_CONNECTOR = re.compile(
    r"^\s*(?:et\s+(?:alors|aussi|sinon)?\s*|mais\s+|ou\s+|qu['’]en\s+est-il\s+|"
    r"même\s+question\s*(?:pour|en|sur|dans)?\s*|idem\s*(?:pour|en)?\s*|"
    r"(?:et\s+)?concernant\s+|(?:et\s+)?s'agissant\s+)",
    re.IGNORECASE,
)
_STARTS_WITH_PREPOSITION = re.compile(
    r"^(pour|en|dans|chez|à|au|aux|du|de|des|sur|avec|après|avant)\b", re.IGNORECASE
)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
# Names (capitalised words not opening the sentence), years and identifiers like AB-2020-P03.
_ENTITY = re.compile(
    r"\b(?:[A-Z]{2,}[\w-]*|(?<=\s)[A-ZÀ-Ý][\w'’-]+(?:[\s-][A-ZÀ-Ý][\w'’-]+)*|(?:19|20)\d{2})\b"
)


def is_follow_up(question: str) -> bool:
    """Whether a question leans on the previous one (connector, anaphora, or too few words)."""
    if _CONNECTOR.match(question) or domain.profile().cue("anaphora", re.IGNORECASE).search(
        question
    ):
        return True
    return len(salient_terms(question, "french")) <= 1


def _bare(text: str) -> str:
    return text.strip().rstrip("?!. ").strip()


def _replace_phrase(previous: str, fragment: str) -> str | None:
    """Swap the previous question's phrase that opens with the fragment's preposition."""
    match = _STARTS_WITH_PREPOSITION.match(fragment)
    if not match:
        return None
    preposition = match.group(1).lower()
    family = {"du", "de", "des"} if preposition in {"du", "de", "des"} else {preposition}
    found = None
    for m in re.finditer(r"\b(\w+)\b", previous):
        if m.group(1).lower() in family and m.start() > 0:
            found = m
    if found is None:
        return None
    # The phrase runs to the next comma, preposition or the end.
    rest = previous[found.end() :]
    stop = re.search(r",|\b(?:pour|dans|chez|avec|selon|et|en|à|au|aux|sur)\b", rest)
    end = found.end() + (stop.start() if stop else len(rest))
    return f"{previous[: found.start()]}{fragment} {previous[end:].lstrip()}".strip()


def rewrite_one(question: str, previous: str) -> str:
    """`question` made standalone using `previous` (itself standalone)."""
    if not is_follow_up(question):
        return question
    fragment = _bare(_CONNECTOR.sub("", question, count=1))
    prev = _bare(previous)
    years, prev_years = _YEAR.findall(fragment), _YEAR.findall(prev)
    rest = _bare(_YEAR.sub("", fragment))
    if years and prev_years and rest.lower() in {"", "en", "pour", "de", "au", "dès", "à"}:
        out = prev
        for old, new in zip(prev_years, years, strict=False):
            out = out.replace(old, new, 1)
        return out + " ?"
    if domain.profile().cue("anaphora", re.IGNORECASE).search(question) and not _CONNECTOR.match(
        question
    ):
        found = list(dict.fromkeys(_ENTITY.findall(prev)))
        entities = [
            e for e in found if e not in question and not any(e != o and e in o for o in found)
        ]
        return f"{_bare(question)} ({' '.join(entities)}) ?" if entities else question
    swapped = _replace_phrase(prev, fragment) if fragment else None
    if swapped:
        return swapped + " ?"
    return f"{prev}, {fragment} ?" if fragment else prev + " ?"


def rewrite(question: str, history: Sequence[Turn] | None, max_turns: int = 6) -> str:
    """The question to search: follow-ups completed from the user's earlier questions."""
    asked = [t.content for t in (history or [])[-2 * max_turns :] if t.role == "user"]
    standalone = None
    for earlier in asked:
        earlier = earlier.strip()
        if not earlier:
            continue
        standalone = earlier if standalone is None else rewrite_one(earlier, standalone)
    if standalone is None:
        return question
    rewritten = rewrite_one(question, standalone)
    if rewritten != question:
        log.info("follow-up %r rewritten as %r", question, rewritten)
    return rewritten
