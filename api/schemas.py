"""Request and response bodies of the HTTP API."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from kb.answer.conversation import Turn
from kb.types import MetaValue

FilterValue = MetaValue | list[MetaValue]
FILTERS_DOC = (
    "Metadata filters, all of which must match: {field: value or [values]}. Fields: dtp_id, "
    "theme, territory, year, edition, doc_type, phase, document_id, source, page."
)


class SearchRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "query": "ruptures de parcours à l'adolescence",
                    "k": 5,
                    "filters": {"theme": "sante_mentale", "year": [2019, 2021]},
                }
            ]
        },
    )
    query: str = Field(min_length=1, examples=["ruptures de parcours à l'adolescence"])
    k: int = Field(8, ge=1, le=50)
    filters: dict[str, FilterValue] | None = Field(None, description=FILTERS_DOC)


class SearchResult(BaseModel):
    chunk_id: str
    document_id: str
    title: str
    source: str
    page: int
    text: str
    score: float
    metadata: dict[str, MetaValue]


class SearchResponse(BaseModel):
    results: list[SearchResult]
    facets: dict[str, dict[str, int]] = Field(
        default_factory=dict,
        description="Counts per value of each DTP facet over all the candidates found.",
    )


class AskRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "question": "Quels besoins non couverts le diagnostic a-t-il relevés ?",
                    "filters": {"dtp_id": "SM-val-de-brume-2021"},
                    "history": [],
                    "stream": False,
                }
            ]
        },
    )
    question: str = Field(
        min_length=1, examples=["Quels besoins non couverts le diagnostic a-t-il relevés ?"]
    )
    filters: dict[str, FilterValue] | None = Field(None, description=FILTERS_DOC)
    history: list[Turn] = Field(
        default_factory=list,
        max_length=50,
        description="The conversation so far, oldest first: a follow-up question (« et en "
        "2019 ? ») is rewritten from it before the search.",
    )
    stream: bool = Field(
        False,
        description="Answer as server-sent events: `question`, then one `sentence` per "
        "verified sentence as soon as it is ready, then `citations`, then `done` (the whole "
        "answer); `error` if it fails midway.",
    )
