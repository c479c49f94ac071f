"""What the API and the command line ask of the records: details, precedents, lookups."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel

from kb.errors import BadRequestError, NotFoundError
from kb.recommendations.precedents import find_precedents, rank_by_query
from kb.recommendations.search import RecordFilter
from kb.recommendations.types import Precedent, Recommendation

if TYPE_CHECKING:
    from kb.knowledge import KnowledgeBase


class PrecedentHit(Precedent):
    pilot: str = ""


class PassageHit(BaseModel):
    chunk_id: str
    document_id: str
    title: str
    source: str
    page: int
    text: str
    score: float
    dtp_id: str = ""
    theme: str = ""
    territory: str = ""
    year: int | None = None


def record_with_precedents(
    kb: KnowledgeBase, rec_id: str
) -> tuple[Recommendation, list[Precedent]]:
    """A recommendation and its precedents, best first; NotFoundError names the fix."""
    store = kb.recommendations
    record = store.get(rec_id.strip().upper())
    if record is None:
        raise NotFoundError(f"no recommendation {rec_id}; list them with GET /v1/recommendations")
    config = kb.settings.recommendations
    records, vectors = store.vectors()
    found = find_precedents(record, records, vectors, config, kb.settings.retrieval.language)
    return record, found


def search_precedents(
    kb: KnowledgeBase,
    query: str,
    *,
    dtp_id: str | None = None,
    theme: str | None = None,
    territory: str | None = None,
    k: int = 10,
) -> dict[str, object]:
    """What the precedents endpoint and command return."""
    if not query.strip():
        raise BadRequestError("the query is empty; describe the subject of the recommendation")
    config = kb.settings.recommendations
    records, vectors = kb.recommendations.vectors()
    vector = kb.embedder.embed_queries([query])[0]
    ranked = rank_by_query(query, vector, records, vectors, config, kb.settings.retrieval.language)
    keep = RecordFilter(theme=[theme] if theme else [], territory=[territory] if territory else [])
    recs = [
        PrecedentHit(
            id=r.id,
            dtp_id=r.dtp_id,
            title=r.title,
            territory=r.territory,
            year=r.year,
            status=r.status,
            status_label=r.status_label,
            score=score,
            pilot=r.pilot,
            reason=f"termes communs : {', '.join(words)}" if words else "formulation proche",
        )
        for r, score, words in ranked
        if r.dtp_id != dtp_id and keep.matches(r)
    ][:k]
    filters = {key: value for key, value in (("theme", theme), ("territory", territory)) if value}
    hits = kb.search(query, k * 3, filters or None)
    passages = [
        PassageHit(
            chunk_id=h.chunk.chunk_id,
            document_id=h.chunk.document_id,
            title=h.chunk.title,
            source=h.chunk.source,
            page=h.chunk.page,
            text=h.chunk.text,
            score=h.score,
            **{
                f: h.chunk.metadata.get(f)
                for f in ("dtp_id", "theme", "territory", "year")
                if h.chunk.metadata.get(f) is not None
            },
        )
        for h in hits
        if not dtp_id or h.chunk.metadata.get("dtp_id") != dtp_id
    ][:k]
    facets: dict[str, dict[str, int]] = {}
    for field in ("dtp_id", "theme", "territory", "year"):
        counts: dict[str, int] = {}
        for item in [*recs, *passages]:
            value = getattr(item, field, None)
            if value not in (None, ""):
                counts[str(value)] = counts.get(str(value), 0) + 1
        facets[field] = dict(sorted(counts.items(), key=lambda kv: -kv[1]))
    return {"query": query, "recommendations": recs, "passages": passages, "facets": facets}
