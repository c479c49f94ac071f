from __future__ import annotations

from fastapi import APIRouter

from api.deps import KB
from api.examples import ok

router = APIRouter(tags=["health"])


@router.get("/healthz", responses=ok({"status": "ok", "chunks": 1523}))
def healthz(kb: KB) -> dict[str, object]:
    """Liveness and the index's size."""
    return {"status": "ok", "chunks": kb.store.count()}
