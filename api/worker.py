"""The ingestion worker: one thread of the API process running queued jobs through the same
pipeline as `dtp-kb ingest`, one ingestion run per job."""

from __future__ import annotations

import fcntl
import logging
import threading
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ingest.jobs import JobStore
from kb.knowledge import KnowledgeBase

if TYPE_CHECKING:
    from ingest.pipeline import FileResult

log = logging.getLogger(__name__)


class Worker:
    def __init__(self, kb: KnowledgeBase, jobs: JobStore, write_lock: threading.Lock) -> None:
        self.kb = kb
        self.jobs = jobs
        self.write_lock = write_lock
        self.wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="dtpkb-ingest", daemon=True)
        self._lock: IO[str] | None = None

    def start(self) -> None:
        self._thread.start()

    def _elected(self) -> bool:
        """Whether this process runs the jobs. With several API workers (`serve --workers`)
        one process at a time does, the holder of a lock file under data_dir; when it dies
        the lock is freed and another takes over, resuming what it left running."""
        if self._lock is not None:
            return True
        path = self.kb.settings.data_dir / "ingest-worker.lock"
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._lock = handle
        resumed = self.jobs.requeue_running()
        if resumed:
            log.warning("resuming ingestion jobs interrupted by a stop: %s", ", ".join(resumed))
        return True

    def stop(self) -> None:
        self._stop.set()
        self.wake.set()
        self._thread.join(timeout=60)
        if self._lock is not None:
            self._lock.close()  # frees the lock for another process
            self._lock = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            if not self._elected():
                self._stop.wait(5.0)
                continue
            job_id = self.jobs.claim()
            if job_id is None:
                self.wake.wait(1.0)
                self.wake.clear()
                continue
            try:
                self.run(job_id)
            except Exception:  # the worker must outlive any one job
                log.exception("ingestion job %s failed", job_id)
                for n, _ in self.jobs.pending(job_id):
                    self.jobs.set_file(job_id, n, "failed", "erreur interne (voir le journal)")
                self.jobs.finish(job_id)

    def run(self, job_id: str) -> None:
        """The job's pending files in one ingestion run (one keyword build at its end, however
        many files: at a million passages a build takes minutes). Cancelling, or stopping
        the server, takes effect between two files."""
        from ingest.pipeline import ingest_paths

        pending = self.jobs.pending(job_id)
        waiting: dict[Path, list[int]] = {}
        for n, path in pending:
            waiting.setdefault(path.resolve(), []).append(n)

        def started(path: Path) -> None:
            for n in waiting.get(path, []):
                self.jobs.set_file(job_id, n, "running")

        def reported(result: FileResult) -> None:
            if result.status == "removed":
                return
            for n in waiting.pop(Path(result.path).resolve(), []):
                if result.status == "failed":
                    self.jobs.set_file(job_id, n, "failed", result.reason)
                else:
                    chunks = result.chunks or self._chunks(result.path)
                    self.jobs.set_file(job_id, n, result.status, None, chunks)
            if waiting:
                started(next(iter(waiting)))

        def halted() -> bool:
            return self._stop.is_set() or self.jobs.state(job_id) == "cancelled"

        if pending and not halted():
            started(next(iter(waiting)))
            with self.write_lock:
                ingest_paths(self.kb, [p for _, p in pending], on_file=reported, stop=halted)
        if self._stop.is_set():
            return  # left running: queued again at the next start
        for numbers in waiting.values():  # not read: cancelled, or gone before its turn
            for n in numbers:
                if self.jobs.state(job_id) == "cancelled":
                    self.jobs.set_file(job_id, n, "queued")  # finish() marks it cancelled
                else:
                    self.jobs.set_file(job_id, n, "failed", "fichier introuvable")
        self.jobs.finish(job_id)

    def _chunks(self, source: str) -> int:
        return next((d.chunks for d in self.kb.documents() if d.source == source), 0)
