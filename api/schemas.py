"""Request and response bodies of the HTTP API."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from kb.types import MetaValue

FilterValue = MetaValue | list[MetaValue]
FILTERS_DOC = (
    "Metadata filters, all of which must match: {field: value or [values]}. Fields: dtp_id, "
    "theme, territory, year, edition, doc_type, phase, document_id, source, page."
)


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
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


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: str = Field(
        min_length=1, examples=["Quels besoins non couverts le diagnostic a-t-il relevés ?"]
    )
    filters: dict[str, FilterValue] | None = Field(None, description=FILTERS_DOC)
