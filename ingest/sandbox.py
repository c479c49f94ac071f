"""Run a parser in a child process, with a time limit and a memory limit.

A hostile or merely huge file can make a parser loop, recurse, or allocate without end;
in a child process that costs the child, never the ingest run or the server. Any failure
in the child (an `IngestError`, another exception, a signal) comes back as an
`IngestError` naming the file and the reason.

Children are forked from a forkserver (never from the parent, which may hold torch and
its threads), which imports the parser libraries once: a child then starts in
milliseconds. `Sandbox.submit` runs up to `workers` children at a time, so parsing can go
on while the parent embeds.
"""

from __future__ import annotations

import logging
import multiprocessing
import resource
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from kb.errors import ConfigError, IngestError

log = logging.getLogger(__name__)

T = TypeVar("T")

# Imported once by the forkserver, so that each child starts warm.
PRELOAD = [
    "ingest.pipeline",
    "pypdf",
    "pdfplumber",
    "docx",
    "openpyxl",
    "bs4",
    "charset_normalizer",
    "llama_index.core.node_parser",
]
_start_lock = threading.Lock()
_CHILD_NAME = "dtpkb-parse"
_NOT_STARTED = "les processus de lecture ne démarrent pas"
_GUARD = (
    "si l'ingestion est lancée par un script Python, placez l'appel sous "
    '`if __name__ == "__main__":` (chaque processus de lecture réimporte ce script)'
)


def refuse_in_child() -> None:
    """Stop an ingest started by a parsing child: that happens when the child re-imports a
    script that ingests at import time, and such a run would clean the parent's store
    under its feet."""
    if multiprocessing.current_process().name == _CHILD_NAME:
        raise ConfigError(f"{_NOT_STARTED} ; {_GUARD}")


def _child(conn: Connection, memory_bytes: int, fn: Callable[..., Any], args: tuple) -> None:
    conn.send(("started", None))  # the child got past its start-up: what follows is the file's
    if memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        result: tuple[str, Any] = ("ok", fn(*args))
    except IngestError as exc:
        # Parsers wrap what they catch; running out of memory is ours to report.
        memory = isinstance(exc.__cause__, MemoryError)
        result = ("memory", None) if memory else ("refused", exc.reason)
    except MemoryError:
        result = ("memory", None)
    except BaseException as exc:  # any parser bug is this file's failure, not the run's
        result = ("error", f"{type(exc).__name__}: {str(exc)[:300]}")
    try:
        conn.send(result)
    except MemoryError:
        conn.send(("memory", None))
    finally:
        conn.close()


def _size(megabytes: int) -> str:
    return f"{megabytes / 1024:g} Go" if megabytes >= 1024 else f"{megabytes} Mo"


class Sandbox:
    """Runs `fn(*args)` for one file in a fresh child process with limits."""

    def __init__(self, timeout: float, memory_mb: int, workers: int = 1) -> None:
        self.timeout = timeout
        self.memory_mb = memory_mb
        self._context = multiprocessing.get_context("forkserver")
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sandbox")

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def submit(self, source: str, fn: Callable[..., T], *args: Any) -> Future[T]:
        """Start `fn(*args)` in a child as soon as a worker is free."""
        return self._pool.submit(self.run, source, fn, *args)

    def run(self, source: str, fn: Callable[..., T], *args: Any) -> T:
        """`fn(*args)` in a child; raises `IngestError(source, reason)` on any failure."""
        with _start_lock:  # the forkserver's preload list is read when it first starts
            self._context.set_forkserver_preload(PRELOAD)
        reader, writer = self._context.Pipe(duplex=False)
        memory = self.memory_mb * 1024 * 1024
        child = self._context.Process(
            target=_child, args=(writer, memory, fn, args), name=_CHILD_NAME, daemon=True
        )
        child.start()
        writer.close()
        try:
            self._started(reader, child)
            if not reader.poll(self.timeout):
                raise IngestError(
                    source,
                    f"lecture interrompue après {self.timeout:g} s (ingest.parse_timeout) ; "
                    "le fichier est trop gros ou abîmé : découpez-le ou réparez-le",
                )
            try:
                status, payload = reader.recv()
            except EOFError:
                child.join(5)
                raise IngestError(source, self._died(child.exitcode)) from None
        finally:
            if child.is_alive():
                child.kill()
            child.join()
            reader.close()
        if status == "ok":
            return payload  # type: ignore[no-any-return]
        if status == "refused":
            raise IngestError(source, payload)
        if status == "memory":
            raise IngestError(source, self._too_big())
        raise IngestError(source, f"la lecture de ce fichier a échoué ({payload})")

    def _started(self, reader: Connection, child: multiprocessing.process.BaseProcess) -> None:
        """Wait for the child to say it started; a child that dies before is no file's fault
        but the environment's, and every other file would fail the same way."""
        try:
            if reader.poll(self.timeout) and reader.recv()[0] == "started":
                return
        except EOFError:
            pass
        child.join(5)
        raise ConfigError(f"{_NOT_STARTED} (code de sortie {child.exitcode}) ; {_GUARD}")

    def _too_big(self) -> str:
        return (
            f"sa lecture demande plus de {_size(self.memory_mb)} de mémoire "
            "(ingest.parse_memory_mb) ; découpez le fichier"
        )

    def _died(self, exitcode: int | None) -> str:
        if exitcode is not None and exitcode < 0:
            # Past RLIMIT_AS, native code often aborts or faults instead of raising.
            return f"la lecture a planté (signal {-exitcode}) : le fichier est abîmé, ou {self._too_big()}"
        return f"la lecture s'est arrêtée sans réponse (code de sortie {exitcode})"
