"""Typed dependencies: routes get what the lifespan opened once."""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import Depends, Query, Request

from ingest.jobs import JobStore
from kb.knowledge import KnowledgeBase


def get_kb(request: Request) -> KnowledgeBase:
    return request.app.state.kb  # type: ignore[no-any-return]


def get_jobs(request: Request) -> JobStore:
    return request.app.state.jobs  # type: ignore[no-any-return]


def get_write_lock(request: Request) -> threading.Lock:
    """Held while the index is written (the worker's file, a correction, a deletion)."""
    return request.app.state.write_lock  # type: ignore[no-any-return]


KB = Annotated[KnowledgeBase, Depends(get_kb)]
Jobs = Annotated[JobStore, Depends(get_jobs)]
WriteLock = Annotated[threading.Lock, Depends(get_write_lock)]
# Where a page of a listing starts: bounded, so that no store is asked for a row past what
# its integers hold (SQLite's are 64-bit).
Offset = Annotated[int, Query(ge=0, le=2**31 - 1)]
