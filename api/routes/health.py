from __future__ import annotations

from fastapi import APIRouter

from api.deps import KB

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(kb: KB) -> dict[str, object]:
    """Liveness and the index's size."""
    return {"status": "ok", "chunks": kb.store.count()}
