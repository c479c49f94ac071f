from __future__ import annotations

from fastapi import APIRouter

from api.deps import KB
from api.schemas import SearchRequest, SearchResponse, SearchResult

router = APIRouter(prefix="/v1", tags=["search"])


@router.post("/search")
def search(body: SearchRequest, kb: KB) -> SearchResponse:
    """Passages ranked by hybrid retrieval (dense + French BM25, reciprocal rank fusion)."""
    hits, facets = kb.search_with_facets(body.query, body.k, body.filters)
    return SearchResponse(
        facets=facets,
        results=[
            SearchResult(
                chunk_id=h.chunk.chunk_id,
                document_id=h.chunk.document_id,
                title=h.chunk.title,
                source=h.chunk.source,
                page=h.chunk.page,
                text=h.chunk.text,
                score=h.score,
                metadata=h.chunk.metadata,
            )
            for h in hits
        ],
    )
