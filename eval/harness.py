"""`dtp-kb eval`: index the sample corpus, then measure retrieval per mode and question type."""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from statistics import mean
from typing import Any

from eval.metrics import Page, ndcg_at, percentile, recall_at, reciprocal_rank
from eval.questions import CORPUS, Question
from kb.knowledge import KnowledgeBase, build_kb
from kb.settings import Settings
from kb.types import Chunk

log = logging.getLogger(__name__)

MODES = ("bm25", "dense", "hybrid", "hybrid+filters")
K = 10  # pages ranked
# Chunks read to rank K pages: a page is ranked by its best chunk (MaxP, Dai & Callan 2019),
# so three rows of one table take one place in the ranking, not three.
CHUNKS = 40


def eval_settings(settings: Settings, name: str = "sample") -> Settings:
    """The evaluation's own index of one corpus, beside (never inside) the user's."""
    folder = settings.data_dir / "eval" / name
    return settings.model_copy(
        update={"data_dir": folder, "models_dir": settings.resolved_models_dir}
    )


def build_index(
    settings: Settings, corpus: Path = CORPUS, progress: bool = False, name: str = "sample"
) -> KnowledgeBase:
    """Index `corpus` into the evaluation's data folder (unchanged files cost nothing)."""
    from tqdm import tqdm

    from ingest.pipeline import discover, ingest_paths

    kb = build_kb(eval_settings(settings, name))
    total = len(discover([corpus], kb.settings.ingest.extensions))
    with tqdm(total=total, unit="fichier", desc="Index d'évaluation", disable=not progress) as bar:
        report = ingest_paths(kb, [corpus], on_file=lambda _: bar.update())
    for failed in report.failed:
        log.warning("evaluation corpus: %s not indexed: %s", failed.path, failed.reason)
    return kb


def _pages(chunks: list[Chunk], corpus: Path) -> list[Page]:
    """The distinct pages of `chunks`, in the order of their first chunk."""
    root = corpus.resolve()
    out: dict[Page, None] = {}
    for chunk in chunks:
        path = Path(chunk.source)
        relative = path.relative_to(root).as_posix() if path.is_relative_to(root) else chunk.source
        out.setdefault((relative, chunk.page), None)
    return list(out)


def searchers(kb: KnowledgeBase) -> dict[str, Callable[[Question], list[Chunk]]]:
    def dense(q: Question) -> list[Chunk]:
        vector = kb.embedder.embed_queries([q.question])[0]
        return [chunk for chunk, _ in kb.store.query(vector, CHUNKS)]

    return {
        "bm25": lambda q: kb.retriever.keyword.search(q.question, CHUNKS),
        "dense": dense,
        "hybrid": lambda q: [h.chunk for h in kb.search(q.question, CHUNKS)],
        "hybrid+filters": lambda q: [h.chunk for h in kb.search(q.question, CHUNKS, q.filters)],
    }


def _summary(rows: list[dict[str, float]]) -> dict[str, float]:
    keys = ("recall@1", "recall@5", "recall@10", "hit@5", "mrr", "ndcg@10")
    summary = {key: round(mean(r[key] for r in rows), 4) for key in keys}
    times = [r["ms"] for r in rows]
    summary |= {
        "latency_ms_p50": round(percentile(times, 50), 1),
        "latency_ms_p95": round(percentile(times, 95), 1),
        "questions": len(rows),
    }
    return summary


def evaluate_retrieval(
    kb: KnowledgeBase, questions: list[Question], corpus: Path = CORPUS
) -> dict[str, Any]:
    answerable = [q for q in questions if q.answerable]
    kb.search("diagnostic", 1)  # load the model and the keyword index before timing
    modes: dict[str, Any] = {}
    by_type: dict[str, Any] = {}
    misses: dict[str, list[str]] = {}
    for mode, search in searchers(kb).items():
        rows: list[dict[str, float]] = []
        typed: dict[str, list[dict[str, float]]] = defaultdict(list)
        misses[mode] = []
        for q in answerable:
            start = time.perf_counter()
            ranked = _pages(search(q), corpus)
            ms = (time.perf_counter() - start) * 1000
            relevant = set(q.expected)
            row = {
                "recall@1": recall_at(ranked, relevant, 1),
                "recall@5": recall_at(ranked, relevant, 5),
                "recall@10": recall_at(ranked, relevant, 10),
                # Any one expected page in the top 5 (most questions name two that both answer).
                "hit@5": float(recall_at(ranked, relevant, 5) > 0),
                "mrr": reciprocal_rank(ranked, relevant),
                "ndcg@10": ndcg_at(ranked, relevant, 10),
                "ms": ms,
            }
            rows.append(row)
            typed[q.type].append(row)
            if row["recall@5"] == 0:
                misses[mode].append(q.id)
        modes[mode] = _summary(rows)
        by_type[mode] = {t: _summary(r) for t, r in sorted(typed.items())}
    return {
        "questions": len(questions),
        "answerable": len(answerable),
        "chunks": kb.store.count(),
        "modes": modes,
        "by_type": by_type,
        "misses_at_5": misses,
    }


def print_report(result: dict[str, Any], echo: Callable[[str], None]) -> None:
    echo(
        f"{result['questions']} questions ({result['answerable']} answerable), "
        f"{result['chunks']} chunks"
    )
    head = (
        f"{'mode':<16}{'R@1':>7}{'R@5':>7}{'R@10':>7}{'Hit@5':>7}{'MRR':>7}{'nDCG@10':>9}"
        f"{'p50 ms':>8}{'p95 ms':>8}"
    )
    echo(head)
    for mode, m in result["modes"].items():
        echo(
            f"{mode:<16}{m['recall@1']:>7.3f}{m['recall@5']:>7.3f}{m['recall@10']:>7.3f}"
            f"{m['hit@5']:>7.3f}"
            f"{m['mrr']:>7.3f}{m['ndcg@10']:>9.3f}{m['latency_ms_p50']:>8.1f}{m['latency_ms_p95']:>8.1f}"
        )
    echo("\nhybrid by question type:")
    for qtype, m in result["by_type"]["hybrid"].items():
        echo(
            f"  {qtype:<14}{m['questions']:>4} q  R@5 {m['recall@5']:.3f}  MRR {m['mrr']:.3f}  "
            f"nDCG@10 {m['ndcg@10']:.3f}"
        )
    if "answers" in result:
        shown = {k: v for k, v in result["answers"].items() if k != "misses"}
        echo("\nanswers: " + ", ".join(f"{k} {v}" for k, v in shown.items()))
    if "facets" in result:
        shown = {k: v for k, v in result["facets"].items() if k not in ("mistakes", "per_facet")}
        echo("facets: " + ", ".join(f"{k} {v}" for k, v in shown.items()))
    if "records" in result:
        shown = {k: v for k, v in result["records"].items() if k != "misses"}
        echo("records: " + ", ".join(f"{k} {v}" for k, v in shown.items()))
