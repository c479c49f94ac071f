"""`/v1/feedback`: rate an answer (anyone who may ask), list the ratings (admins)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from api import examples
from api.auth import AdminReader, Reader
from api.deps import Offset
from api.examples import ok
from kb.errors import BadRequestError
from kb.feedback import Feedback, FeedbackStore, Rating
from kb.types import Citation

router = APIRouter(prefix="/v1", tags=["feedback"])


def get_feedback(request: Request) -> FeedbackStore:
    return request.app.state.feedback  # type: ignore[no-any-return]


Store = Annotated[FeedbackStore, Depends(get_feedback)]


class FeedbackIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "question": "À quel âge les ruptures de parcours apparaissent-elles ?",
                    "answer": "Surtout entre 16 et 25 ans [1].",
                    "citations": [
                        {
                            "n": 1,
                            "chunk_id": "4be1c0d2a9f3-0007",
                            "document_id": "4be1c0d2a9f3",
                            "title": "Livret du diagnostic",
                            "source": "docs/handicaps_rares/livret.pdf",
                            "page": 12,
                            "quote": "Les ruptures apparaissent surtout entre 16 et 25 ans.",
                        }
                    ],
                    "filters": {"theme": "handicaps_rares"},
                    "rating": -1,
                    "comment": "La réponse oublie la petite enfance.",
                }
            ]
        },
    )

    question: str = Field(min_length=1, max_length=4000)
    answer: str = Field(max_length=50_000, description="The answer's text as it was shown.")
    citations: list[Citation] = Field(default_factory=list, max_length=100)
    filters: dict[str, Any] = Field(default_factory=dict)
    rating: Rating = Field(description="1 (useful) or -1 (wrong or useless).")
    comment: str | None = Field(None, max_length=4000)


@router.post("/feedback", status_code=201)
def add_feedback(body: FeedbackIn, store: Store, key: Reader) -> Feedback:
    """Rate an answer, with an optional comment; open to whoever may ask questions."""
    return store.add(
        body.question,
        body.answer,
        body.citations,
        body.rating,
        comment=body.comment,
        filters=body.filters,
        who=key.name if key else None,
    )


@router.get("/feedback", responses=ok([examples.feedback]))
def list_feedback(
    admin: AdminReader,
    store: Store,
    rating: Annotated[int | None, Query(ge=-1, le=1, description="Only 1, or only -1.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Offset = 0,
) -> list[Feedback]:
    """The ratings, latest first (admins). `dtp-kb feedback export` turns them into
    evaluation questions."""
    if rating not in (None, 1, -1):
        raise BadRequestError(f"rating vaut 1 ou -1, pas {rating}")
    return store.list(limit, offset, rating)
