"""`dtp-kb serve`: the API and the UI in one uvicorn server, in one or several processes."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from fastapi import FastAPI


def serve_command(
    host: Annotated[str | None, typer.Option(help="Default: DTPKB_API__HOST.")] = None,
    port: Annotated[int | None, typer.Option(help="Default: DTPKB_API__PORT.")] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Worker processes (uvicorn). More than one needs a Chroma server "
            "(DTPKB_CHROMA__HOST): the embedded store is not safe across processes.",
        ),
    ] = 1,
    ui: Annotated[
        bool | None, typer.Option("--ui/--no-ui", help="Serve the chat UI. Default: DTPKB_API__UI.")
    ] = None,
) -> None:
    """Serve the HTTP API (/v1, docs at /docs) and the chat UI (/ui)."""
    import uvicorn

    from api.app import create_app
    from kb.cli import load_settings

    settings = load_settings()
    host = host or settings.api.host
    port = port or settings.api.port
    ui = settings.api.ui if ui is None else ui
    if workers > 1 and not settings.chroma.host:
        raise typer.BadParameter(
            "several workers share one index only through a Chroma server: start "
            "`chroma run --path DIR --port 8001` and set DTPKB_CHROMA__HOST (and "
            "DTPKB_CHROMA__PORT), or serve with one worker",
            param_hint="--workers",
        )
    # The app decides who may read from the interface it really listens on.
    settings = settings.model_copy(
        update={"api": settings.api.model_copy(update={"host": host, "port": port, "ui": ui})}
    )
    where = f"http://{host}:{port}"
    typer.echo(
        f"DTP knowledge base: {where}/ui  (API docs: /docs)"
        if ui
        else f"DTP knowledge base API: {where}/docs"
    )
    if workers == 1:
        uvicorn.run(create_app(settings, with_ui=ui), host=host, port=port, log_level="info")
        return
    # Each worker process imports the app factory and builds its settings from the same
    # DTPKB_ environment; they share the Chroma server and data_dir's keyword index.
    os.environ["DTPKB_API__HOST"], os.environ["DTPKB_API__PORT"] = host, str(port)
    os.environ["DTPKB_API__UI"] = str(ui).lower()
    uvicorn.run(
        "api.cli:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
    )


def app_from_environment() -> FastAPI:
    """The app of one worker process (`serve --workers N`), from DTPKB_ settings."""
    from api.app import create_app
    from kb.cli import load_settings

    settings = load_settings()
    return create_app(settings, with_ui=settings.api.ui)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
