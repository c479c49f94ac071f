"""A real `dtp-kb serve` process measured over HTTP: start-up, search and ask latency,
memory, and the first search and answer after an ingest made by another process."""

from __future__ import annotations

import itertools
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from eval.metrics import percentile
from eval.questions import load_questions
from kb.knowledge import KnowledgeBase
from kb.settings import Settings

CHANGED = "comité de pilotage note de suivi habitat inclusif répit des aidants"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_env(settings: Settings) -> dict[str, str]:
    """The environment of a `dtp-kb` process using `settings`' index, model and store."""
    env = {
        **os.environ,
        "DTPKB_DATA_DIR": str(settings.data_dir),
        "DTPKB_MODELS_DIR": str(settings.resolved_models_dir),
    }
    if settings.chroma.host:
        env |= {"DTPKB_CHROMA__HOST": settings.chroma.host}
        env |= {"DTPKB_CHROMA__PORT": str(settings.chroma.port)}
    return env


def memory_mb(pid: int) -> dict[str, float]:
    """Resident memory now and at its peak (VmRSS, VmHWM) of a process, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = round(int(value.split()[0]) / 1024, 1)
    return {"rss_mb": fields["VmRSS"], "peak_rss_mb": fields["VmHWM"]}


def _timed(http: httpx.Client, path: str, body: dict[str, Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    response = http.post(path, json=body)
    response.raise_for_status()
    return (time.perf_counter() - start) * 1000, response.json()


def _summary(times: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(times, 50), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "n": len(times),
    }


def start_server(settings: Settings, log: Path, *args: str) -> tuple[subprocess.Popen, str]:
    """`dtp-kb serve` on a free port; returns the process and its base URL once it answers."""
    port = free_port()
    exe = Path(sys.executable).with_name("dtp-kb")
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(exe), "serve", "--port", str(port), *args],
            env=serve_env(settings),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"dtp-kb serve exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{base}/healthz", timeout=5).status_code == 200:
                return proc, base
        except httpx.TransportError:
            time.sleep(0.2)


@contextmanager
def serving(
    settings: Settings, log: Path, *args: str
) -> Iterator[tuple[httpx.Client, subprocess.Popen, float]]:
    """A `dtp-kb serve` process (with `args`), a client of it and the time it was started;
    stopped after."""
    start = time.perf_counter()
    proc, base = start_server(settings, log, *args)
    try:
        with httpx.Client(base_url=base, timeout=600) as http:
            yield http, proc, start
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def read_figures(
    http: httpx.Client, proc: subprocess.Popen, start: float, n_search: int, n_ask: int
) -> dict[str, Any]:
    """Start-up (until the first search is answered), search and ask p50/p95, memory."""
    questions = [q.question for q in load_questions() if q.answerable]
    first, _ = _timed(http, "/v1/search", {"query": questions[0], "k": 8})
    out: dict[str, Any] = {
        "startup_s": round(time.perf_counter() - start, 1),
        "first_search_ms": round(first, 1),
    }
    cycle = itertools.cycle(questions)
    times = [_timed(http, "/v1/search", {"query": q, "k": 8})[0] for q in _take(cycle, n_search)]
    out["search"] = _summary(times)
    times = [_timed(http, "/v1/ask", {"question": q})[0] for q in _take(cycle, n_ask)]
    out["ask"] = _summary(times)
    out["memory"] = memory_mb(proc.pid)
    return out


def measure_server(
    settings: Settings, writer: KnowledgeBase, change: Path, n_search: int, n_ask: int
) -> dict[str, Any]:
    """Figures of one `dtp-kb serve` process over the index of `settings`, then those of the
    first search and answer after `change` is ingested."""
    from ingest.pipeline import ingest_paths

    with serving(settings, change.with_suffix(".log")) as (http, proc, start):
        out = read_figures(http, proc, start, n_search, n_ask)
        begin = time.perf_counter()
        ingest_paths(writer, [change])
        out["change_ingest_s"] = round(time.perf_counter() - begin, 1)
        ms, body = _timed(http, "/v1/search", {"query": CHANGED, "k": 8})
        source = str(change.resolve())
        out["after_change"] = {
            "first_search_ms": round(ms, 1),
            "found": any(r["source"] == source for r in body["results"]),
            "first_ask_ms": round(_timed(http, "/v1/ask", {"question": CHANGED})[0], 1),
        }
        out["memory_end"] = memory_mb(proc.pid)
    return out


def _take(cycle: itertools.cycle, n: int) -> list[str]:
    return list(itertools.islice(cycle, n))
