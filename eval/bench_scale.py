"""`dtp-kb bench scale`: what ingestion, search and answers cost as the index grows.

1. Writes a synthetic corpus (`corpus/scale.py`) and ingests it end to end: pages/s,
   chunks/s, and where the run's time goes (`ingest.pipeline.PHASES`).
2. Grows the index to each of the sizes asked with copies of the ingested documents: the
   chunks' real texts and metadata under new ids, and the real embeddings plus Gaussian
   noise (renormalised), since this machine cannot embed a million passages. This measures
   cost (time, memory, disk), never retrieval quality.
3. At each size: the writer's keyword build and the disk used; then a real `dtp-kb serve`
   process is started and measured over HTTP (`eval.bench_serve`): start-up, search and
   ask p50/p95, memory; then one new file is ingested and the first search and answer
   after it are timed.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from eval.bench_serve import measure_server
from kb.knowledge import KnowledgeBase, build_kb
from kb.settings import CHECKOUT_DIR, Settings
from kb.store import document_of
from kb.types import Chunk

log = logging.getLogger(__name__)

NOISE = 0.15  # norm of the noise against a unit embedding: cosine to the original ~0.99
CHANGE = """# Note de suivi {n}

Le comité de pilotage du diagnostic territorial partagé s'est réuni le {n} mars pour
examiner l'avancement des préconisations sur l'habitat inclusif et le répit des aidants.
"""


def write_corpus(pages: int, out: Path) -> dict[str, Any]:
    """The synthetic corpus of `pages` PDF pages under `out/docs` (corpus/scale.py)."""
    start = time.perf_counter()
    script = CHECKOUT_DIR / "corpus" / "scale.py"
    subprocess.run(
        [sys.executable, str(script), "--pages", str(pages), "--out", str(out)], check=True
    )
    files = sorted((out / "docs").rglob("*.pdf"))
    return {"files": len(files), "seconds": round(time.perf_counter() - start, 1)}


def measure_ingest(kb: KnowledgeBase, docs: Path) -> dict[str, Any]:
    """Ingest `docs` into an empty index, end to end."""
    from ingest.pipeline import ingest_paths

    start = time.perf_counter()
    report = ingest_paths(kb, [docs])
    wall = time.perf_counter() - start
    chunks = sum(r.chunks for r in report.results)
    return {
        "files": report.count("indexed"),
        "failed": report.count("failed"),
        "pages": report.pages,
        "chunks": chunks,
        "seconds": round(wall, 1),
        "pages_per_s": round(report.pages / wall, 2),
        "chunks_per_s": round(chunks / wall, 2),
        # parse: the time the run waited for a file to be read (reading runs ahead).
        "share": {k: round(v / wall, 3) for k, v in report.seconds.items()},
        "workers": kb.settings.ingest.parse_workers,
    }


def _originals(kb: KnowledgeBase) -> list[tuple[list[Chunk], np.ndarray]]:
    """Each ingested (not copied) document's chunks and embeddings."""
    by_document: dict[str, list[Chunk]] = {}
    for chunk in kb.store.iter_chunks():
        if "~" not in chunk.document_id:
            by_document.setdefault(chunk.document_id, []).append(chunk)
    return [(c, kb.store.vectors([x.chunk_id for x in c])) for c in by_document.values()]


def grow(kb: KnowledgeBase, target: int, seed: int = 0) -> dict[str, Any]:
    """Add copies of the ingested documents until the index holds `target` chunks."""
    rng = np.random.default_rng(seed + target)
    originals = _originals(kb)
    start = time.perf_counter()
    count = kb.store.count()
    copy = 1 + max((int(d.document_id.rsplit("~", 1)[1]) for d in _copies(kb)), default=0)
    while originals and count < target:
        for chunks, vectors in originals:
            if count >= target:
                break
            tag = f"~{copy}"
            clones = [
                c.model_copy(
                    update={
                        "chunk_id": c.chunk_id + tag,
                        "document_id": c.document_id + tag,
                        "source": c.source + tag,
                    }
                )
                for c in chunks
            ]
            noise = rng.normal(0, NOISE / np.sqrt(vectors.shape[1]), vectors.shape)
            moved = vectors + noise.astype(np.float32)
            moved /= np.linalg.norm(moved, axis=1, keepdims=True)
            kb.begin(clones[0].document_id, clones[0].source)
            kb.add(clones, moved)
            kb.commit(document_of(clones))
            count += len(clones)
        copy += 1
    seconds = time.perf_counter() - start
    return {"chunks": kb.store.count(), "seconds": round(seconds, 1)}


def _copies(kb: KnowledgeBase) -> list[Any]:
    return [d for d in kb.documents() if "~" in d.document_id]


def disk(folder: Path) -> float:
    """Megabytes under `folder`."""
    total = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return round(total / 1e6, 1)


def run_scale_bench(
    settings: Settings,
    sizes: list[int],
    pages: int,
    work: Path,
    queries: int,
    asks: int,
    reuse: bool = False,
) -> dict[str, Any]:
    """The figures of the module docstring, as a dict (see `write_report`)."""
    data = work / "data"
    settings = settings.model_copy(
        update={"data_dir": data, "models_dir": settings.resolved_models_dir}
    )
    result: dict[str, Any] = {"sizes": {}}
    saved = work / "result.json"  # the figures so far, so that a later run can grow further
    if reuse and saved.is_file():
        result |= json.loads(saved.read_text(encoding="utf-8"))
    else:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        result["corpus"] = write_corpus(pages, work / "corpus")
        result["ingest"] = measure_ingest(build_kb(settings), work / "corpus" / "docs")
        saved.write_text(json.dumps(result, indent=2), encoding="utf-8")
        log.info("ingest: %s", result["ingest"])
    kb = build_kb(settings)
    for n, size in enumerate(sorted(sizes)):
        row: dict[str, Any] = {"growth": grow(kb, size)}
        start = time.perf_counter()
        kb.build_keyword()
        row["keyword_build_s"] = round(time.perf_counter() - start, 1)
        row["disk_mb"] = {"chroma": disk(settings.chroma_dir), "keyword": disk(data / "keyword")}
        change = work / "change" / f"note-{size}-{n}.md"
        change.parent.mkdir(exist_ok=True)
        # Its own text at each size: a copy of an earlier size's note would be refused as
        # already indexed.
        change.write_text(
            CHANGE.format(n=n + 2) + f"\n(Index de {size} passages.)\n", encoding="utf-8"
        )
        row |= measure_server(settings, kb, change, queries, asks)
        row["chunks"] = kb.store.count()
        result["sizes"][str(size)] = row
        saved.write_text(json.dumps(result, indent=2), encoding="utf-8")
        log.info("%d chunks: %s", size, row)
    return result


def write_report(result: dict[str, Any], command: str, out: Path) -> tuple[Path, Path]:
    """`out/scale.json` and `out/SCALE.md` (a table per part), with the command that ran."""
    result = {"command": command, "date": time.strftime("%Y-%m-%d %H:%M"), **result}
    out.mkdir(parents=True, exist_ok=True)
    path = out / "scale.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    ing = result["ingest"]
    lines = [
        "# Scale benchmark",
        "",
        f"Command: `{command}` ({result['date']}, this machine: {os.cpu_count()} cores).",
        "",
        "## Ingestion (synthetic corpus, empty index)",
        "",
        "| files | pages | chunks | seconds | pages/s | chunks/s | parse wait | embed | store |"
        " finish |",
        "|---|---|---|---|---|---|---|---|---|---|",
        f"| {ing['files']} | {ing['pages']} | {ing['chunks']} | {ing['seconds']} |"
        f" {ing['pages_per_s']} | {ing['chunks_per_s']} |"
        + "".join(f" {ing['share'][k]:.0%} |" for k in ("parse", "embed", "store", "finish")),
        "",
        "Shares of the run's wall time. Files are read ahead in the sandbox pool while the"
        " model embeds, so 'parse wait' is the time the run waited for a file to be read.",
        "",
        "## Grown index",
        "",
        "Past the ingested chunks, the index holds copies of them: real texts and metadata"
        " under new ids, real embeddings plus Gaussian noise (cosine ~0.99 to the original)."
        " These rows measure cost (time, memory, disk), not retrieval quality.",
        "",
        "| chunks | start-up s | search p50 / p95 ms | ask p50 / p95 ms | API RSS MB (peak) |"
        " keyword build s | ingest 1 file s | 1st search after ms | 1st ask after ms |"
        " disk MB (chroma + keyword) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in result["sizes"].values():
        after = row["after_change"]
        lines.append(
            f"| {row['chunks']:,} | {row['startup_s']} |"
            f" {row['search']['p50_ms']} / {row['search']['p95_ms']} |"
            f" {row['ask']['p50_ms']} / {row['ask']['p95_ms']} |"
            f" {row['memory_end']['rss_mb']:.0f} ({row['memory_end']['peak_rss_mb']:.0f}) |"
            f" {row['keyword_build_s']} | {row['change_ingest_s']} |"
            f" {after['first_search_ms']}{'' if after['found'] else ' (new file not found)'} |"
            f" {after['first_ask_ms']} |"
            f" {row['disk_mb']['chroma']:.0f} + {row['disk_mb']['keyword']:.0f} |"
        )
    lines += [
        "",
        "Start-up: from launching `dtp-kb serve` to its first search answered (model and"
        " keyword index loaded). Search and ask: over HTTP, the evaluation questions in turn."
        " 'ingest 1 file': another process ingests one new file, keyword build included;"
        " then the server's first search (which finds the new file) and first answer.",
        "",
    ]
    md = out / "SCALE.md"
    md.write_text("\n".join(lines), encoding="utf-8")
    return path, md
