"""The `dtp-kb` command line. It mirrors the HTTP API.

The core commands live here; the layers above kb (ingest, api, eval) add theirs through
the `dtp_kb.cli` entry-point group, so kb never imports them.
"""

from __future__ import annotations

import logging
import sys
from importlib.metadata import entry_points
from typing import Annotated, Any

import typer

from kb.cli_support import emit, load_settings
from kb.errors import KBError

app = typer.Typer(
    help="Knowledge base over Diagnostics Territoriaux Partagés (DTP).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

FilterOption = Annotated[
    list[str] | None,
    typer.Option("--filter", "-f", help="FIELD=VALUE, repeatable (e.g. -f theme=handicaps_rares)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def open_kb():  # type: ignore[no-untyped-def]
    from kb.knowledge import build_kb

    return build_kb(load_settings())


def parse_filters(items: list[str] | None) -> dict[str, Any]:
    filters: dict[str, Any] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise typer.BadParameter(f"filter '{item}' is not FIELD=VALUE")
        filters[key.strip()] = int(value) if value.strip().isdigit() else value.strip()
    return filters


@app.callback()
def _main(verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    # bm25s sets its own logger to DEBUG; keep it as quiet as the rest.
    logging.getLogger("bm25s").setLevel(logging.INFO if verbose else logging.WARNING)


@app.command()
def search(
    query: str,
    k: Annotated[int, typer.Option("--k", "-k", help="Number of results.")] = 8,
    filters: FilterOption = None,
    as_json: JsonOption = False,
) -> None:
    """Search passages (hybrid dense + BM25)."""
    hits, facets = open_kb().search_with_facets(query, k, parse_filters(filters))
    if as_json:
        emit({"results": [h.model_dump() for h in hits], "facets": facets})
        return
    for i, hit in enumerate(hits, start=1):
        text = " ".join(hit.chunk.text.split())
        typer.echo(f"{i}. {hit.chunk.title}, p. {hit.chunk.page}  [{hit.score:.4f}]")
        typer.echo(f"   {text[:240]}")


@app.command()
def ask(question: str, filters: FilterOption = None, as_json: JsonOption = False) -> None:
    """Answer a question in French, with citations."""
    answer = open_kb().ask(question, parse_filters(filters))
    if as_json:
        emit(answer.model_dump())
        return
    typer.echo(answer.answer)
    for c in answer.citations:
        typer.echo(f"  [{c.n}] {c.title}, p. {c.page} — {c.source}")


@app.command()
def doctor(as_json: JsonOption = False) -> None:
    """Show the configuration, the embedding model and the index's counts."""
    kb = open_kb()
    settings = kb.settings
    report = {
        "data_dir": str(settings.data_dir),
        "embedding": kb.embedder.describe(),
        "store": {
            "mode": "http" if settings.chroma.host else "embedded",
            "location": (
                f"{settings.chroma.host}:{settings.chroma.port}"
                if settings.chroma.host
                else str(settings.chroma_dir)
            ),
            "collection": settings.chroma.collection,
        },
        **kb.stats(),
    }
    if as_json:
        emit(report)
        return
    for key, value in report.items():
        typer.echo(f"{key}: {value}")


def _register_plugins() -> None:
    for ep in sorted(entry_points(group="dtp_kb.cli"), key=lambda e: e.name):
        ep.load()(app)


def main() -> None:
    from kb import feedback_cli, keys_cli

    keys_cli.register(app)
    feedback_cli.register(app)
    _register_plugins()
    try:
        app()
    except KBError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(1)
