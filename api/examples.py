"""Examples shown in the OpenAPI document (/docs), one per success response.

Each is built from the response's own model, so an example that drifts from its model fails
at import time (and tests/test_openapi.py checks them against the published schemas).
Names and places are neutral inventions.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from ingest.jobs import Job, JobFile
from kb.access import ApiKey, AuditEntry, NewKey
from kb.feedback import Feedback
from kb.recommendations.types import StatusFact
from kb.types import Answer, AnswerSentence, Citation, Document

DOC_ID = "4be1c0d2a9f37e15"
SOURCE = "/srv/dtp-kb/data/uploads/9f2c…/VB-2021_livret.pdf"
FACETS = {
    "dtp_id": "SM-val-de-brume-2021",
    "theme": "sante_mentale",
    "territory": "Val-de-Brume",
    "year": 2021,
    "doc_type": "livret",
    "phase": "restitution",
}


def ok(example: Any, status: int = 200, media_type: str = "application/json") -> dict:  # type: ignore[type-arg]
    """A route's `responses=` entry showing `example` for its success status."""
    value = as_json(example)
    return {status: {"content": {media_type: {"example": value}}}}


def as_json(value: Any) -> Any:
    """A model (or a list or dict of them) as the JSON the API sends."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    return value


citation = Citation(
    n=1,
    chunk_id=f"{DOC_ID}-0012",
    document_id=DOC_ID,
    title="Diagnostic territorial partagé en santé mentale — Val-de-Brume",
    source=SOURCE,
    page=12,
    quote="Les ruptures de parcours apparaissent surtout entre 16 et 25 ans.",
)
answer = Answer(
    answer="Les ruptures apparaissent surtout entre 16 et 25 ans [1].",
    citations=[citation],
    sentences=[
        AnswerSentence(
            text="Les ruptures apparaissent surtout entre 16 et 25 ans.",
            citations=[1],
            support=0.92,
        )
    ],
    question="À quel âge les ruptures de parcours apparaissent-elles ?",
    question_type="other",
)
document = Document(
    document_id=DOC_ID,
    source=SOURCE,
    title="Diagnostic territorial partagé en santé mentale — Val-de-Brume",
    pages=48,
    chunks=131,
    metadata=FACETS,
)
job = Job(
    id="7c1d9e0a4b2f",
    state="running",
    submitter="coordination-vb",
    created="2025-03-14T09:30:00+00:00",
    started="2025-03-14T09:30:01+00:00",
    progress=0.5,
    files=[
        JobFile(name="VB-2021_livret.pdf", document_id=DOC_ID, state="indexed", chunks=131),
        JobFile(name="VB-2021_feuille_de_route.xlsx", document_id="a31f…", state="running"),
    ],
)
queued_job = job.model_copy(
    update={
        "state": "queued",
        "started": None,
        "progress": 0.0,
        "files": [f.model_copy(update={"state": "queued", "chunks": 0}) for f in job.files],
    }
)
api_key = ApiKey(
    id="3f9a1c2e", name="coordination-vb", role="contributeur", created="2025-03-01T08:00:00+00:00"
)
new_key = NewKey(**api_key.model_dump(), key="dtpkb_3f9a1c2e_Yk3q…")
audit_entry = AuditEntry(
    at="2025-03-14T09:30:00+00:00",
    key_id="3f9a1c2e",
    key_name="coordination-vb",
    method="POST",
    path="/v1/documents",
    target="job 7c1d9e0a4b2f: VB-2021_livret.pdf",
    status=202,
)
feedback = Feedback.model_validate(Feedback.model_json_schema()["examples"][0])
status_fact = StatusFact(
    status="en_cours",
    status_label="En cours",
    wording="en progression",
    date="2024-02-15",
    source=SOURCE,
    page=31,
    quote="FA 2-3 — Former les équipes d'accueil : en progression.",
)
recommendation = {
    "id": "SM-val-de-brume-2021/FA 2-3",
    "dtp_id": "SM-val-de-brume-2021",
    "theme": "sante_mentale",
    "territory": "Val-de-Brume",
    "year": 2021,
    "edition": 1,
    "axis": "Axe 2 — Prévenir les ruptures",
    "title": "Former les équipes d'accueil au repérage",
    "pilot": "Conseil départemental",
    "partners": ["MDPH", "ARS"],
    "timeline": "2022-2024",
    "indicators": "Nombre de professionnels formés",
    "status": "en_cours",
    "status_label": "En cours",
    "status_wording": "en progression",
    "status_date": "2024-02-15",
    "conflict": False,
    "sources": [{"source": SOURCE, "page": 31, "quote": status_fact.quote}],
}
precedent = {
    "id": "SM-cap-senelle-2017/P4",
    "dtp_id": "SM-cap-senelle-2017",
    "title": "Former les professionnels de l'accueil",
    "territory": "Cap-Sénelle",
    "year": 2017,
    "status": "realisee",
    "status_label": "Réalisée",
    "score": 0.71,
    "reason": "termes communs : former, accueil, repérage",
}
