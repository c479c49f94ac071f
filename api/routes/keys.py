"""API keys and the audit trail, for admins: `/v1/keys`, `/v1/audit`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from api import examples
from api.auth import Admin, AdminReader, get_access
from api.deps import Offset
from api.examples import ok
from kb.access import AccessStore, ApiKey, AuditEntry, NewKey, Role

router = APIRouter(prefix="/v1", tags=["access"])
Access = Annotated[AccessStore, Depends(get_access)]


class KeyIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"name": "coordination-vb", "role": "contributeur"}]},
    )
    name: str = Field(min_length=1, max_length=200, examples=["coordination-hr"])
    role: Role = Field(examples=["contributeur"])


@router.post("/keys", status_code=201, responses=ok(examples.new_key, 201))
def create_key(body: KeyIn, admin: Admin, access: Access, request: Request) -> NewKey:
    """Create a key; the clear key is in this answer only."""
    key = access.create(body.name, body.role)
    request.state.audit_target = f"key {key.id} ({key.name}, {key.role})"
    return key


@router.get("/keys", responses=ok([examples.api_key]))
def list_keys(admin: AdminReader, access: Access) -> list[ApiKey]:
    """Every key, revoked ones included, without their secrets."""
    return access.keys()


@router.delete(
    "/keys/{key_id}",
    responses=ok(examples.api_key.model_copy(update={"revoked": "2025-03-20T17:00:00+00:00"})),
)
def revoke_key(key_id: str, admin: Admin, access: Access) -> ApiKey:
    """Revoke a key: it is refused from now on (401)."""
    return access.revoke(key_id)


@router.get("/audit", responses=ok([examples.audit_entry]))
def audit(
    admin: AdminReader,
    access: Access,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Offset = 0,
) -> list[AuditEntry]:
    """The writes made through the API, latest first: who, what, when, with what outcome."""
    return access.audit(limit, offset)
