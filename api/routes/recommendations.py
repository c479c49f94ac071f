"""Recommendations as tracked records: list, detail with history and precedents, stats."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api import examples
from api.deps import KB
from api.examples import ok
from kb.errors import BadRequestError
from kb.recommendations.search import RecordFilter, labels, select, stats_by_dtp, status_counts
from kb.recommendations.service import (
    PassageHit,
    PrecedentHit,
    record_with_precedents,
    search_precedents,
)
from kb.recommendations.types import Precedent, Recommendation, StatusFact

router = APIRouter(prefix="/v1", tags=["recommendations"])

Many = Annotated[list[str] | None, Query(description="Repeat, or separate values with commas.")]


class SourceOut(BaseModel):
    source: str
    page: int
    quote: str = Field(description="Verbatim text of that page.")


class RecommendationOut(BaseModel):
    id: str
    dtp_id: str
    theme: str
    territory: str
    year: int | None
    edition: int | None
    axis: str
    title: str
    pilot: str
    partners: list[str]
    timeline: str
    indicators: str
    status: str | None = Field(description="Normalised: non_engagee, en_cours, realisee...")
    status_label: str | None
    status_wording: str | None = Field(description="The wording of the source, as printed.")
    status_date: str | None
    conflict: bool
    sources: list[SourceOut]


class RecommendationDetail(RecommendationOut):
    description: str
    finding: str
    takes_up: list[str] = Field(description="Ids the documents say it takes up.")
    history: list[StatusFact] = Field(description="Every dated, cited status, oldest first.")
    precedents: list[Precedent] = Field(description="Earlier similar recommendations, best first.")


class RecommendationPage(BaseModel):
    items: list[RecommendationOut]
    total: int


def _out(record: Recommendation) -> dict[str, object]:
    data = record.model_dump(exclude={"history", "description", "finding", "takes_up"})
    data["sources"] = [
        {"source": s.source, "page": s.page, "quote": s.quote} for s in record.sources
    ]
    return data


def _split(values: list[str] | None) -> list[str]:
    return [v.strip() for value in values or [] for v in value.split(",") if v.strip()]


def _years(values: list[str] | None) -> list[int]:
    try:
        return [int(v) for v in _split(values)]
    except ValueError as exc:
        raise BadRequestError(f"year must be a number: {exc}") from exc


@router.get("/recommendations", responses=ok({"items": [examples.recommendation], "total": 1}))
def list_recommendations(
    kb: KB,
    dtp_id: Many = None,
    theme: Many = None,
    territory: Many = None,
    year: Many = None,
    status: Many = None,
    pilot: str | None = None,
    partner: str | None = None,
    axis: str | None = None,
    q: str | None = Query(None, description="Words that must all appear (stemmed)."),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=2**31 - 1),
) -> RecommendationPage:
    """Recommendations with their current status and its sources, filtered and paginated."""
    where = RecordFilter(
        dtp_id=_split(dtp_id),
        theme=_split(theme),
        territory=_split(territory),
        year=_years(year),
        status=_split(status),
        pilot=pilot,
        partner=partner,
        axis=axis,
        q=q,
    )
    chosen = select(kb.recommendations.all(), where)
    page = chosen[offset : offset + limit]
    return RecommendationPage(
        items=[RecommendationOut.model_validate(_out(r)) for r in page], total=len(chosen)
    )


@router.get(
    "/recommendations/{rec_id}",
    responses=ok(
        {
            **examples.recommendation,
            "description": "Proposer une formation commune au repérage des troubles.",
            "finding": "Les équipes d'accueil repèrent tard les troubles psychiques.",
            "takes_up": [],
            "history": [examples.status_fact],
            "precedents": [examples.precedent],
        }
    ),
)
def get_recommendation(rec_id: str, kb: KB) -> RecommendationDetail:
    """One recommendation: its status history (every source) and its precedents."""
    record, precedents = record_with_precedents(kb, rec_id)
    data = {
        **_out(record),
        "description": record.description,
        "finding": record.finding,
        "takes_up": record.takes_up,
        "history": record.history,
        "precedents": precedents,
    }
    return RecommendationDetail.model_validate(data)


class PrecedentsResponse(BaseModel):
    query: str
    recommendations: list[PrecedentHit]
    passages: list[PassageHit]
    facets: dict[str, dict[str, int]] = Field(
        description="Counts by dtp_id, theme, territory, year."
    )


@router.get(
    "/precedents",
    responses=ok(
        {
            "query": "formation des équipes d'accueil",
            "recommendations": [{**examples.precedent, "pilot": "ARS"}],
            "passages": [
                {
                    "chunk_id": examples.citation.chunk_id,
                    "document_id": examples.DOC_ID,
                    "title": examples.document.title,
                    "source": examples.SOURCE,
                    "page": 31,
                    "text": examples.status_fact.quote,
                    "score": 0.64,
                    "dtp_id": "SM-val-de-brume-2021",
                    "theme": "sante_mentale",
                    "territory": "Val-de-Brume",
                    "year": 2021,
                }
            ],
            "facets": {"territory": {"Cap-Sénelle": 1}, "year": {"2017": 1}},
        }
    ),
)
def precedents(
    kb: KB,
    query: str = Query(min_length=1, examples=["formation des équipes des MDPH"]),
    dtp_id: str | None = Query(None, description="Leave out this DTP (look elsewhere)."),
    theme: str | None = None,
    territory: str | None = None,
    k: int = Query(10, ge=1, le=50),
) -> PrecedentsResponse:
    """Similar recommendations and passages from other editions and territories, with facets."""
    return PrecedentsResponse.model_validate(
        search_precedents(kb, query, dtp_id=dtp_id, theme=theme, territory=territory, k=k)
    )


@router.get(
    "/stats/recommendations",
    responses=ok(
        {
            "total": 12,
            "counts": {"en_cours": 7, "realisee": 3, "non_engagee": 2},
            "dtp": [
                {
                    "dtp_id": "SM-val-de-brume-2021",
                    "theme": "sante_mentale",
                    "territory": "Val-de-Brume",
                    "year": 2021,
                    "total": 12,
                    "counts": {"en_cours": 7, "realisee": 3, "non_engagee": 2},
                }
            ],
            "labels": {"en_cours": "En cours", "realisee": "Réalisée"},
        }
    ),
)
def recommendation_stats(
    kb: KB, dtp_id: Many = None, theme: Many = None, territory: Many = None, year: Many = None
) -> dict[str, object]:
    """Counts by current status, per DTP and in all."""
    where = RecordFilter(
        dtp_id=_split(dtp_id), theme=_split(theme), territory=_split(territory), year=_years(year)
    )
    chosen = select(kb.recommendations.all(), where)
    return {
        "total": len(chosen),
        "counts": status_counts(chosen),
        "dtp": stats_by_dtp(chosen),
        "labels": labels(),
    }
