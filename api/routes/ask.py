"""POST /v1/ask: a verified, cited answer, whole (JSON) or streamed (server-sent events)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from api import examples
from api.deps import KB
from api.schemas import AskRequest
from kb.answer import Event
from kb.errors import KBError
from kb.types import Answer

log = logging.getLogger(__name__)

router = APIRouter(prefix="/v1", tags=["ask"])


def sse(events: Iterator[Event]) -> Iterator[str]:
    """Server-sent events; a failure midway becomes an `error` event (the status is sent)."""
    try:
        for name, data in events:
            yield f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
    except KBError as exc:
        log.warning("streamed answer failed: %s", exc)
        problem = {"title": exc.title, "status": exc.status, "detail": str(exc)}
        yield f"event: error\ndata: {json.dumps(problem, ensure_ascii=False)}\n\n"


@router.post(
    "/ask",
    response_model=Answer,
    responses={
        200: {
            "content": {
                "application/json": {"example": examples.as_json(examples.answer)},
                "text/event-stream": {
                    "example": 'event: question\ndata: {"question": "À quel âge ?"}\n\n'
                    'event: sentence\ndata: {"text": "Surtout entre 16 et 25 ans.", '
                    '"citations": [1]}\n\n'
                    "event: citations\ndata: [...]\n\nevent: done\ndata: {...}\n\n"
                },
            },
            "description": "The answer; server-sent events when `stream` is true.",
        }
    },
)
def ask(body: AskRequest, kb: KB) -> Answer | StreamingResponse:
    """A French answer built from the corpus, each sentence cited and verified; `abstained`
    when the documents do not hold the answer. `history` rewrites follow-ups; `stream`
    answers as server-sent events."""
    if body.stream:
        # Bad filters or an empty question fail here, before the stream starts.
        events = kb.ask_stream(body.question, body.filters, body.history)
        return StreamingResponse(
            sse(events),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    return kb.ask(body.question, body.filters, body.history)
