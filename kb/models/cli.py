"""`dtp-kb models ...`: prepare the bundled embedding model."""

from __future__ import annotations

import json
import time
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add the `models` command group to the main CLI."""
    models = typer.Typer(
        help="Embedding models prepared from installed packages.", no_args_is_help=True
    )

    @models.command("prepare")
    def prepare(
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Write the bundled multilingual-e5-small as a sentence-transformers folder."""
        from kb.cli import load_settings
        from kb.models.prepare import is_prepared, prepare_model

        settings = load_settings()
        already = is_prepared(settings)
        start = time.perf_counter()
        path = prepare_model(settings)
        seconds = time.perf_counter() - start
        if as_json:
            typer.echo(
                json.dumps(
                    {"path": str(path), "already_prepared": already, "seconds": round(seconds, 2)}
                )
            )
        elif already:
            typer.echo(f"{path} (already prepared)")
        else:
            typer.echo(f"{path} (prepared in {seconds:.1f} s)")

    app.add_typer(models, name="models")
