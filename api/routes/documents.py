"""`PATCH /v1/documents/{id}`: a person's correction of a document's facets (listing is in
search.py: `GET /v1/documents`)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from api.auth import Writer
from api.deps import KB
from kb.types import Document

router = APIRouter(prefix="/v1", tags=["documents"])


class FacetsIn(BaseModel):
    """The facets to correct; null or "" clears one. Others are left as they are."""

    model_config = ConfigDict(extra="forbid")

    dtp_id: str | None = None
    theme: str | None = Field(None, description="handicaps_rares, sante_mentale, ...")
    territory: str | None = None
    year: int | None = None
    edition: int | None = None
    doc_type: str | None = Field(None, description="livret, guide, fiche_synthese, ...")
    phase: str | None = None


@router.patch("/documents/{document_id}")
def correct(document_id: str, facets: FacetsIn, kb: KB, key: Writer) -> Document:
    """Correct a document's facets: applied at once to its passages and recommendation
    records, and kept when the file is ingested again (moved or edited)."""
    from ingest.corrections import correct_document, find_document

    find_document(kb, document_id)  # 404 before anything is written
    given = facets.model_dump(exclude_unset=True)
    return correct_document(
        kb, document_id, {k: ("" if v is None else v) for k, v in given.items()}
    )
