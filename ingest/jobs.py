"""Ingestion jobs, persisted in `<data_dir>/jobs.sqlite3`: queued, running, done, failed or
cancelled, with each file's state, reason and passages, and who submitted them.

The store survives the process: jobs left `running` by a dead server are queued again at
start-up (`requeue_running`), and the crash-safe pipeline redoes their half-written file.
"""

from __future__ import annotations

import secrets
import sqlite3
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from kb import sqlite
from kb.errors import ConflictError, NotFoundError

FILE = "jobs.sqlite3"
JobState = Literal["queued", "running", "done", "failed", "cancelled"]
FileState = Literal["queued", "running", "indexed", "unchanged", "failed", "cancelled"]
# A job's state in words, for people (the UI, the API's refusals).
JOB_STATES: dict[str, str] = {
    "queued": "en attente",
    "running": "en cours",
    "done": "terminée",
    "failed": "terminée avec des échecs",
    "cancelled": "annulée",
}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY, state TEXT NOT NULL, submitter TEXT, created TEXT NOT NULL,
    started TEXT, finished TEXT
);
CREATE TABLE IF NOT EXISTS job_files (
    job_id TEXT NOT NULL, n INTEGER NOT NULL, path TEXT NOT NULL, name TEXT NOT NULL,
    document_id TEXT, state TEXT NOT NULL, reason TEXT, chunks INTEGER DEFAULT 0,
    PRIMARY KEY (job_id, n)
);
"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class JobFile(BaseModel):
    name: str = Field(examples=["livret_2024.pdf"])
    document_id: str | None = None
    state: FileState
    reason: str | None = Field(None, description="Why the file failed, in words.")
    chunks: int = 0


class Job(BaseModel):
    id: str = Field(examples=["7c1d9e0a4b2f"])
    state: JobState
    submitter: str | None = Field(None, description="Name of the key that submitted it.")
    created: str
    started: str | None = None
    finished: str | None = Field(
        None,
        description="When it ended. A running job cancelled keeps the state 'cancelled' "
        "with no end time until the file it is reading is done: it is over once this is set.",
    )
    progress: float = Field(0.0, description="Share of the files handled, 0 to 1.")
    files: list[JobFile]


class JobStore:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / FILE
        sqlite.create(self.path, _SCHEMA)

    def _db(self) -> AbstractContextManager[sqlite3.Connection]:
        return sqlite.connect(self.path)

    def create(self, files: list[tuple[Path, str | None]], submitter: str | None) -> Job:
        """A queued job over stored files: (path, document id)."""
        job_id = secrets.token_hex(6)
        with self._db() as db:
            db.execute(
                "INSERT INTO jobs (id, state, submitter, created) VALUES (?, 'queued', ?, ?)",
                (job_id, submitter, _now()),
            )
            db.executemany(
                "INSERT INTO job_files (job_id, n, path, name, document_id, state) "
                "VALUES (?, ?, ?, ?, ?, 'queued')",
                [(job_id, n, str(p), p.name, d) for n, (p, d) in enumerate(files)],
            )
        return self.get(job_id)

    def get(self, job_id: str) -> Job:
        with self._db() as db:
            row = db.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"aucune tâche d'indexation n'a l'identifiant '{job_id}'")
            files = db.execute(
                "SELECT name, document_id, state, reason, chunks FROM job_files "
                "WHERE job_id = ? ORDER BY n",
                (job_id,),
            ).fetchall()
        handled = sum(f["state"] not in ("queued", "running") for f in files)
        return Job(
            **dict(row),
            progress=handled / len(files) if files else 1.0,
            files=[JobFile(**dict(f)) for f in files],
        )

    def jobs(self, limit: int = 50, offset: int = 0) -> list[Job]:
        """The latest jobs first."""
        with self._db() as db:
            ids = db.execute(
                "SELECT id FROM jobs ORDER BY created DESC, rowid DESC LIMIT ? OFFSET ?",
                (limit, offset),
            ).fetchall()
        return [self.get(r["id"]) for r in ids]

    def claim(self) -> str | None:
        """Mark the oldest queued job running; its id, or None when the queue is empty."""
        with self._db() as db:
            row = db.execute(
                "SELECT id FROM jobs WHERE state = 'queued' ORDER BY created, rowid LIMIT 1"
            ).fetchone()
            if row is None:
                return None
            db.execute(
                "UPDATE jobs SET state = 'running', started = COALESCE(started, ?) WHERE id = ?",
                (_now(), row["id"]),
            )
        return str(row["id"])

    def pending(self, job_id: str) -> list[tuple[int, Path]]:
        """The files of a job still to do, in order."""
        with self._db() as db:
            rows = db.execute(
                "SELECT n, path FROM job_files WHERE job_id = ? AND state IN ('queued', 'running') "
                "ORDER BY n",
                (job_id,),
            ).fetchall()
        return [(int(r["n"]), Path(r["path"])) for r in rows]

    def set_file(
        self, job_id: str, n: int, state: FileState, reason: str | None = None, chunks: int = 0
    ) -> None:
        with self._db() as db:
            db.execute(
                "UPDATE job_files SET state = ?, reason = ?, chunks = ? WHERE job_id = ? AND n = ?",
                (state, reason, chunks, job_id, n),
            )

    def state(self, job_id: str) -> str:
        return self.get(job_id).state

    def finish(self, job_id: str) -> Job:
        """Close a job: failed if one of its files failed, else done (or cancelled)."""
        job = self.get(job_id)
        if job.state == "cancelled":
            state = "cancelled"
        else:
            state = "failed" if any(f.state == "failed" for f in job.files) else "done"
        with self._db() as db:
            db.execute(
                "UPDATE job_files SET state = 'cancelled' WHERE job_id = ? AND state = 'queued'",
                (job_id,),
            )
            db.execute(
                "UPDATE jobs SET state = ?, finished = ? WHERE id = ?", (state, _now(), job_id)
            )
        return self.get(job_id)

    def cancel(self, job_id: str) -> Job:
        """A queued job is cancelled at once; a running one after its current file."""
        job = self.get(job_id)
        if job.state not in ("queued", "running"):
            raise ConflictError(
                f"la tâche {job_id} est déjà {JOB_STATES[job.state]} : il n'y a plus rien à "
                f"annuler (ses fichiers en échec ou annulés se relancent par POST "
                f"/v1/jobs/{job_id}/retry)"
            )
        with self._db() as db:
            db.execute("UPDATE jobs SET state = 'cancelled' WHERE id = ?", (job_id,))
            if job.state == "queued":
                db.execute(
                    "UPDATE job_files SET state = 'cancelled' WHERE job_id = ? AND state = 'queued'",
                    (job_id,),
                )
                db.execute("UPDATE jobs SET finished = ? WHERE id = ?", (_now(), job_id))
        return self.get(job_id)

    def retry(self, job_id: str) -> Job:
        """Queue a finished job's failed (or cancelled) files again."""
        job = self.get(job_id)
        if job.state in ("queued", "running"):
            raise ConflictError(
                f"la tâche {job_id} est {JOB_STATES[job.state]} : attendez qu'elle soit "
                "terminée pour la relancer"
            )
        with self._db() as db:
            changed = db.execute(
                "UPDATE job_files SET state = 'queued', reason = NULL "
                "WHERE job_id = ? AND state IN ('failed', 'cancelled')",
                (job_id,),
            ).rowcount
            if not changed:
                raise ConflictError(f"la tâche {job_id} n'a aucun fichier en échec à relancer")
            db.execute("UPDATE jobs SET state = 'queued', finished = NULL WHERE id = ?", (job_id,))
        return self.get(job_id)

    def requeue_running(self) -> list[str]:
        """Jobs a dead process left running: queued again (their files are redone cleanly)."""
        with self._db() as db:
            ids = [r["id"] for r in db.execute("SELECT id FROM jobs WHERE state = 'running'")]
            db.execute("UPDATE jobs SET state = 'queued' WHERE state = 'running'")
            db.execute("UPDATE job_files SET state = 'queued' WHERE state = 'running'")
        return ids

    def latest_for(self, document_id: str) -> JobFile | None:
        """The last job's entry for a document, for its ingest status."""
        with self._db() as db:
            row = db.execute(
                "SELECT f.name, f.document_id, f.state, f.reason, f.chunks FROM job_files f "
                "JOIN jobs j ON j.id = f.job_id WHERE f.document_id = ? "
                "ORDER BY j.created DESC, j.rowid DESC LIMIT 1",
                (document_id,),
            ).fetchone()
        return JobFile(**dict(row)) if row else None
