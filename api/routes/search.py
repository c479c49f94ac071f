from __future__ import annotations

from fastapi import APIRouter

from api import examples
from api.deps import KB
from api.examples import ok
from api.schemas import SearchRequest, SearchResponse, SearchResult

router = APIRouter(prefix="/v1", tags=["search"])


@router.post(
    "/search",
    responses=ok(
        {
            "results": [
                {
                    "chunk_id": examples.citation.chunk_id,
                    "document_id": examples.DOC_ID,
                    "title": examples.document.title,
                    "source": examples.SOURCE,
                    "page": 12,
                    "text": examples.citation.quote,
                    "score": 0.0328,
                    "metadata": examples.FACETS,
                }
            ],
            "facets": {"territory": {"Val-de-Brume": 4, "Cap-Sénelle": 1}, "year": {"2021": 5}},
        }
    ),
)
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
