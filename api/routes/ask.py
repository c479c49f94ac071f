from __future__ import annotations

from fastapi import APIRouter

from api.deps import KB
from api.schemas import AskRequest
from kb.types import Answer

router = APIRouter(prefix="/v1", tags=["ask"])


@router.post("/ask")
def ask(body: AskRequest, kb: KB) -> Answer:
    """A French answer built from the corpus, each sentence cited; `abstained` when it cannot."""
    return kb.ask(body.question, body.filters)
