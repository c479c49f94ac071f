"""`dtp-kb serve`: the API and the UI in one uvicorn server."""

from __future__ import annotations

from typing import Annotated

import typer


def serve_command(
    host: Annotated[str | None, typer.Option(help="Default: DTPKB_API__HOST.")] = None,
    port: Annotated[int | None, typer.Option(help="Default: DTPKB_API__PORT.")] = None,
) -> None:
    """Serve the HTTP API (/v1, docs at /docs) and the chat UI (/ui)."""
    import uvicorn

    from api.app import create_app
    from kb.cli import load_settings

    settings = load_settings()
    host = host or settings.api.host
    port = port or settings.api.port
    # The app decides who may read from the interface it really listens on.
    settings = settings.model_copy(
        update={"api": settings.api.model_copy(update={"host": host, "port": port})}
    )
    typer.echo(f"DTP knowledge base: http://{host}:{port}/ui  (API docs: /docs)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
