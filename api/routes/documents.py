"""`/v1/documents`: upload (a 202 and an ingestion job), list, read, download, correct, delete."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field

from api import examples
from api.auth import Reader, Writer
from api.deps import KB, Jobs, Offset, WriteLock
from api.examples import ok
from ingest.jobs import Job, JobFile
from ingest.metadata import FACETS
from kb.errors import BadRequestError, NotFoundError
from kb.types import Document

router = APIRouter(prefix="/v1", tags=["documents"])

_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".csv": "text/csv",
    ".md": "text/markdown",
    ".txt": "text/plain",
}
METADATA_DOC = (
    'Facets applied to every uploaded file, over those inferred: {"territory": "Val-de-Brume", '
    '"year": 2021, ...}; kept when the file is ingested again.'
)


class FacetsIn(BaseModel):
    """The facets to correct; null or "" clears one. Others are left as they are."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"territory": "Cap-Sénelle"}]}
    )

    dtp_id: str | None = None
    theme: str | None = Field(None, description="handicaps_rares, sante_mentale, ...")
    territory: str | None = None
    year: int | None = Field(None, ge=1000, le=9999)
    edition: int | None = Field(None, ge=1, le=999)
    doc_type: str | None = Field(None, description="livret, guide, fiche_synthese, ...")
    phase: str | None = None


class DocumentList(BaseModel):
    total: int = Field(description="Documents matching the filters.")
    facets: dict[str, dict[str, int]] = Field(description="Counts per value of each facet.")
    documents: list[Document]


class DocumentDetail(Document):
    metadata_sources: dict[str, Any] = Field(
        default_factory=dict, description="Where each facet's value came from."
    )
    records: int = Field(0, description="Recommendation records read from it.")
    status: JobFile | None = Field(None, description="Its last ingestion job's entry, if any.")
    file_url: str = Field(examples=["/v1/documents/4be1…/file"])


@router.post(
    "/documents",
    status_code=202,
    responses=ok(examples.queued_job, 202),
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "example": {
                        "files": ["VB-2021_livret.pdf", "VB-2021_feuille_de_route.xlsx"],
                        "metadata": '{"territory": "Val-de-Brume", "year": 2021}',
                    }
                }
            }
        }
    },
)
async def upload(
    request: Request,
    key: Writer,
    jobs: Jobs,
    files: Annotated[list[UploadFile], File(description="One or several files.")],
    metadata: Annotated[str | None, Form(description=METADATA_DOC)] = None,
) -> Job:
    """Store the files (checked by content: PDF, DOCX, XLSX, HTML, TXT, MD, CSV) and queue
    their ingestion; follow the job at `/v1/jobs/{id}`. 413 past `api.max_upload_mb`, 415 for
    an unsupported content."""
    from starlette.concurrency import run_in_threadpool

    from ingest.corrections import validate
    from ingest.intake import queue_files, store_files

    settings = request.app.state.settings
    facets = validate(_metadata(metadata)) if metadata and metadata.strip() else None
    stored = await run_in_threadpool(
        store_files, settings, [(upload.file, upload.filename) for upload in files]
    )
    job = queue_files(settings, jobs, stored, facets, key.name)
    request.app.state.worker.wake.set()
    names = ", ".join(p.name for p, _ in stored)
    request.state.audit_target = f"job {job.id}: {names}"
    return job


def _metadata(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise BadRequestError(f"le champ metadata n'est pas du JSON valide ({exc})") from None
    if not isinstance(value, dict):
        raise BadRequestError('le champ metadata doit être un objet JSON : {"territory": …}')
    return value


@router.get(
    "/documents",
    responses=ok(
        {
            "total": 1,
            "facets": {f: {str(v): 1} for f, v in examples.FACETS.items()},
            "documents": [examples.document],
        }
    ),
)
def list_documents(
    kb: KB,
    reader: Reader,
    dtp_id: str | None = None,
    theme: str | None = None,
    territory: str | None = None,
    year: Annotated[int | None, Query(ge=1000, le=9999)] = None,
    doc_type: str | None = None,
    phase: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> DocumentList:
    """The indexed documents matching every given facet, with facet counts, a page at a time."""
    wanted = {
        "dtp_id": dtp_id,
        "theme": theme,
        "territory": territory,
        "year": year,
        "doc_type": doc_type,
        "phase": phase,
    }
    wanted = {k: v for k, v in wanted.items() if v is not None}
    docs = [d for d in kb.documents() if all(d.metadata.get(k) == v for k, v in wanted.items())]
    facets = {
        f: dict(Counter(str(d.metadata[f]) for d in docs if d.metadata.get(f) not in (None, "")))
        for f in FACETS
    }
    return DocumentList(total=len(docs), facets=facets, documents=docs[offset : offset + limit])


@router.get(
    "/documents/{document_id}",
    responses=ok(
        {
            **examples.as_json(examples.document),
            "metadata_sources": {"territory": "correction", "year": "filename"},
            "records": 24,
            "status": examples.job.files[0],
            "file_url": f"/v1/documents/{examples.DOC_ID}/file",
        }
    ),
)
def get_document(document_id: str, kb: KB, jobs: Jobs, reader: Reader) -> DocumentDetail:
    """A document: its facets and where each came from, pages, passages, recommendation
    records and last ingestion status."""
    from ingest.corrections import find_document

    doc = find_document(kb, document_id)
    records = sum(
        any(s.document_id == doc.document_id for s in r.sources) for r in kb.recommendations.all()
    )
    return DocumentDetail(
        **doc.model_dump(),
        metadata_sources=json.loads(str(doc.metadata.get("metadata_sources") or "{}")),
        records=records,
        status=jobs.latest_for(doc.document_id),
        file_url=f"/v1/documents/{doc.document_id}/file",
    )


@router.get(
    "/documents/{document_id}/file",
    response_class=FileResponse,
    responses={
        200: {
            "content": {"application/pdf": {"example": "%PDF-1.7 …"}},
            "description": "The original file, with its own content type.",
        }
    },
)
def get_file(document_id: str, kb: KB, reader: Reader) -> FileResponse:
    """The original file with its content type; a PDF opens in the browser (add `#page=N`)."""
    from ingest.corrections import find_document

    doc = find_document(kb, document_id)
    path = Path(doc.source)
    if not path.is_file():
        raise NotFoundError(f"le fichier de ce document n'est plus là : {doc.source}")
    suffix = path.suffix.lower()
    return FileResponse(
        path,
        media_type=_TYPES.get(suffix, "application/octet-stream"),
        filename=path.name,
        content_disposition_type="inline" if suffix == ".pdf" else "attachment",
        headers={"X-Content-Type-Options": "nosniff"},
    )


@router.patch(
    "/documents/{document_id}",
    responses=ok(
        examples.document.model_copy(
            update={"metadata": {**examples.FACETS, "territory": "Cap-Sénelle"}}
        )
    ),
)
def correct(document_id: str, facets: FacetsIn, kb: KB, key: Writer, lock: WriteLock) -> Document:
    """Correct a document's facets: applied at once to its passages and recommendation
    records, and kept when the file is ingested again (moved or edited)."""
    from ingest.intake import correct as correct_facets

    return correct_facets(kb, lock, document_id, facets.model_dump(exclude_unset=True))


@router.delete("/documents/{document_id}", responses=ok(examples.document))
def delete(document_id: str, request: Request, kb: KB, key: Writer, lock: WriteLock) -> Document:
    """Remove a document: its passages, its recommendation records and its uploaded file."""
    from ingest.intake import delete as delete_document

    doc = delete_document(kb, lock, document_id)
    request.state.audit_target = f"{doc.document_id} ({Path(doc.source).name})"
    return doc
