"""Who may call what: `Authorization: Bearer <key>` checked against the key store.

`reader` guards reads (open or keyed, per `api.read_access`); `Writer`/`Admin` guard writes,
and every write they guard is recorded in the audit trail with its outcome.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.exceptions import HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from kb.access import AccessStore, ApiKey, rank
from kb.errors import ForbiddenError, KBError, UnauthorizedError
from kb.settings import ApiSettings

_LOCAL = {"127.0.0.1", "localhost", "::1"}
bearer = HTTPBearer(auto_error=False, description="Une clé d'API : dtp-kb keys create")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def get_access(request: Request) -> AccessStore:
    return request.app.state.access  # type: ignore[no-any-return]


def _key(request: Request, credentials: HTTPAuthorizationCredentials | None) -> ApiKey:
    if credentials is None:
        raise UnauthorizedError(
            "une clé d'API est nécessaire : envoyez l'en-tête « Authorization: Bearer <clé> » "
            "(un administrateur la crée avec dtp-kb keys create)"
        )
    key = get_access(request).authenticate(credentials.credentials)
    if key is None:
        raise UnauthorizedError("clé d'API inconnue ou révoquée ; demandez-en une nouvelle")
    return key


def _check(key: ApiKey, role: str) -> ApiKey:
    if rank(key.role) < rank(role):
        raise ForbiddenError(
            f"la clé « {key.name} » a le rôle {key.role} ; il faut le rôle {role} ou plus"
        )
    return key


def reads_need_a_key(config: ApiSettings) -> bool:
    """Setting `api.read_access`: 'auto' asks a key unless the server listens on loopback only."""
    if config.read_access == "auto":
        return config.host not in _LOCAL
    return config.read_access == "key"


def reader(request: Request, credentials: Credentials) -> ApiKey | None:
    """Reads: open, or a `lecteur` key at least (setting `api.read_access`)."""
    if not reads_need_a_key(request.app.state.settings.api) and credentials is None:
        return None
    return _check(_key(request, credentials), "lecteur")


def _audited(role: str):  # type: ignore[no-untyped-def]
    def dependency(request: Request, credentials: Credentials) -> Iterator[ApiKey]:
        key = _check(_key(request, credentials), role)
        status = 500
        try:
            yield key
            status = getattr(request.scope.get("route"), "status_code", None) or 200
        except KBError as exc:
            status = exc.status
            raise
        except HTTPException as exc:
            status = exc.status_code
            raise
        finally:
            target = getattr(request.state, "audit_target", None) or "/".join(
                str(v) for v in request.path_params.values()
            )
            get_access(request).record(
                key, request.method, request.url.path, target or None, status
            )

    return dependency


def admin_reader(request: Request, credentials: Credentials) -> ApiKey:
    """Admin reads (keys, audit): an admin key, not recorded."""
    return _check(_key(request, credentials), "admin")


Writer = Annotated[ApiKey, Depends(_audited("contributeur"))]
Admin = Annotated[ApiKey, Depends(_audited("admin"))]
AdminReader = Annotated[ApiKey, Depends(admin_reader)]
Reader = Annotated[ApiKey | None, Depends(reader)]
