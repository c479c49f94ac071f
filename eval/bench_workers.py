"""The deployment of the README measured: one `chroma run` server, `dtp-kb serve --workers N`,
several clients at once. Throughput and latency of searches and answers for each N, and the
memory of each worker process, over the sample corpus's index."""

from __future__ import annotations

import itertools
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from eval.bench_serve import free_port, memory_mb, read_figures, serving, start_server
from eval.harness import build_index
from eval.metrics import percentile
from eval.questions import load_questions
from kb.settings import Settings


@contextmanager
def chroma_server(path: Path, logs: Path) -> Iterator[int]:
    """`chroma run --path <path>` (the CLI chromadb installs) on a free port, its output in
    `logs`/chroma-<port>.log; yields the port."""
    port = free_port()
    exe = Path(sys.executable).with_name("chroma")
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / f"chroma-{port}.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(exe), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"chroma run did not start: {log.read_text()[-2000:]}")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2).is_success:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _workers(pid: int) -> list[int]:
    """The worker processes uvicorn started under `pid` (none: it serves alone)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    found = [int(c) for c in children.read_text().split()] if children.exists() else []
    # uvicorn's multiprocess mode also starts a resource tracker: workers hold the model.
    return [c for c in found if memory_mb(c)["rss_mb"] > 200]


def _load(base: str, path: str, key: str, questions: list[str], clients: int, seconds: float):  # type: ignore[no-untyped-def]
    """`clients` threads sending requests for `seconds`: (latencies in ms, errors)."""
    times: list[float] = []
    errors: list[int] = []
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def client(offset: int) -> None:
        cycle = itertools.islice(itertools.cycle(questions), offset, None)
        with httpx.Client(base_url=base, timeout=300) as http:
            while time.monotonic() < stop:
                body = {key: next(cycle)} | ({"k": 8} if key == "query" else {})
                start = time.perf_counter()
                status = http.post(path, json=body).status_code
                with lock:
                    (times if status == 200 else errors).append(
                        (time.perf_counter() - start) * 1000 if status == 200 else status
                    )

    threads = [threading.Thread(target=client, args=(n * 7,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, errors


def _figures(times: list[float], errors: list[int], seconds: float) -> dict[str, Any]:
    return {
        "per_s": round(len(times) / seconds, 2),
        "p50_ms": round(percentile(times, 50), 1) if times else None,
        "p95_ms": round(percentile(times, 95), 1) if times else None,
        "n": len(times),
        "errors": len(errors),
    }


def run_workers_bench(
    settings: Settings, workers: list[int], clients: int, seconds: float, work: Path
) -> dict[str, Any]:
    """Index the sample corpus once (embedded), serve a copy of it from `chroma run`, then
    measure `serve --workers N` for each N."""
    work.mkdir(parents=True, exist_ok=True)
    settings = settings.model_copy(update={"models_dir": settings.resolved_models_dir})
    indexed = build_index(settings.model_copy(update={"data_dir": work})).settings.data_dir
    served = work / "served"
    shutil.rmtree(served, ignore_errors=True)
    shutil.copytree(indexed, served)
    questions = [q.question for q in load_questions() if q.answerable]
    result: dict[str, Any] = {"clients": clients, "seconds": seconds, "workers": {}}
    with chroma_server(served / "chroma", work) as port:
        remote = settings.model_copy(
            update={
                "data_dir": served,
                "chroma": settings.chroma.model_copy(update={"host": "127.0.0.1", "port": port}),
            }
        )
        for n in workers:
            proc, base = start_server(remote, work / f"serve-{n}.log", "--workers", str(n))
            try:
                deadline = time.monotonic() + 300
                while len(_workers(proc.pid)) < n and time.monotonic() < deadline:
                    time.sleep(0.5)
                with httpx.Client(base_url=base, timeout=300) as http:  # warm every worker
                    for q in questions[: 4 * n]:
                        http.post("/v1/search", json={"query": q, "k": 8})
                row: dict[str, Any] = {
                    "search": _figures(
                        *_load(base, "/v1/search", "query", questions, clients, seconds), seconds
                    ),
                    "ask": _figures(
                        *_load(base, "/v1/ask", "question", questions, clients, seconds), seconds
                    ),
                }
                pids = _workers(proc.pid) or [proc.pid]
                row["rss_mb"] = [memory_mb(p)["rss_mb"] for p in pids]
                result["workers"][str(n)] = row
            finally:
                proc.terminate()
                proc.wait(timeout=60)
    return result


def write_workers_report(result: dict[str, Any], command: str, out: Path) -> Path:
    """`out/WORKERS.md`: a row per number of API workers."""
    lines = [
        "# API workers over one Chroma server",
        "",
        f"Command: `{command}` ({time.strftime('%Y-%m-%d %H:%M')}, this machine: 2 cores).",
        "",
        f"The sample corpus's index served by `chroma run`; {result['clients']} clients send "
        f"requests at once for {result['seconds']:g} s (searches, then answers), the evaluation "
        "questions in turn.",
        "",
        "| API workers | searches/s | search p50 / p95 ms | answers/s | ask p50 / p95 ms "
        "| errors | RSS per worker MB |",
        "|---|---|---|---|---|---|---|",
    ]
    for n, row in result["workers"].items():
        s, a = row["search"], row["ask"]
        lines.append(
            f"| {n} | {s['per_s']} | {s['p50_ms']} / {s['p95_ms']} | {a['per_s']} | "
            f"{a['p50_ms']} / {a['p95_ms']} | {s['errors'] + a['errors']} | "
            f"{', '.join(f'{m:.0f}' for m in row['rss_mb'])} |"
        )
    path = out / "WORKERS.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_served_bench(
    settings: Settings, data: Path, queries: int, asks: int, *, ui: bool = True
) -> dict[str, Any]:
    """One `dtp-kb serve` over an existing data folder whose store `chroma run` serves (the
    folder `dtp-kb bench scale` grew): start-up, search and ask p50/p95, API memory."""
    with chroma_server(data / "chroma", data.parent) as port:
        remote = settings.model_copy(
            update={
                "data_dir": data,
                "models_dir": settings.resolved_models_dir,
                "chroma": settings.chroma.model_copy(update={"host": "127.0.0.1", "port": port}),
            }
        )
        log = data.parent / "serve-served.log"
        with serving(remote, log, *([] if ui else ["--no-ui"])) as (http, proc, start):
            return read_figures(http, proc, start, queries, asks)
