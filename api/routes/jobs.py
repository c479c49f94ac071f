"""`/v1/jobs`: ingestion jobs, their progress (also as server-sent events), cancel, retry."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from api import examples
from api.auth import Reader, Writer
from api.deps import Jobs, Offset
from api.examples import ok
from ingest.jobs import Job, JobStore

router = APIRouter(prefix="/v1", tags=["jobs"])


@router.get("/jobs", responses=ok([examples.job]))
def list_jobs(
    jobs: Jobs,
    reader: Reader,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> list[Job]:
    """Ingestion jobs, latest first."""
    return jobs.jobs(limit, offset)


@router.get("/jobs/{job_id}", responses=ok(examples.job))
def get_job(job_id: str, jobs: Jobs, reader: Reader) -> Job:
    """A job: its state (queued, running, done, failed, cancelled) and each file's."""
    return jobs.get(job_id)


async def _events(jobs: JobStore, job_id: str, request: Request) -> AsyncIterator[str]:
    last = None
    while not await request.is_disconnected():
        job = await run_in_threadpool(jobs.get, job_id)
        body = job.model_dump_json()
        if body != last:
            last = body
            # A cancelled job is over only once its current file is (`finished` set).
            over = job.finished is not None
            yield f"event: {'done' if over else 'progress'}\ndata: {body}\n\n"
            if over:
                return
        else:
            yield ": waiting\n\n"  # keeps proxies from closing an idle stream
        await asyncio.sleep(0.5)


@router.get(
    "/jobs/{job_id}/events",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {
                "text/event-stream": {
                    "example": 'event: progress\ndata: {"id": "7c1d9e0a4b2f", "state": '
                    '"running", "progress": 0.5, ...}\n\n'
                }
            },
            "description": "`progress` events as the job moves, then one `done` event.",
        }
    },
)
def job_events(job_id: str, request: Request, jobs: Jobs, reader: Reader) -> StreamingResponse:
    """The job's progress as server-sent events, until it is finished."""
    jobs.get(job_id)  # 404 before the stream starts
    return StreamingResponse(
        _events(jobs, job_id, request),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.delete(
    "/jobs/{job_id}", responses=ok(examples.queued_job.model_copy(update={"state": "cancelled"}))
)
def cancel_job(job_id: str, jobs: Jobs, key: Writer) -> Job:
    """Cancel a job: a queued one at once, a running one after its current file."""
    return jobs.cancel(job_id)


@router.post("/jobs/{job_id}/retry", status_code=202, responses=ok(examples.queued_job, 202))
def retry_job(job_id: str, request: Request, jobs: Jobs, key: Writer) -> Job:
    """Queue a finished job's failed or cancelled files again."""
    job = jobs.retry(job_id)
    request.state.audit_target = job_id
    request.app.state.worker.wake.set()
    return job
