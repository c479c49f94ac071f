"""What every `dtp-kb` command group needs (settings, JSON output), apart from `kb.cli` so the
groups it registers itself (keys, feedback) do not import it back."""

from __future__ import annotations

import json
from typing import Any

import typer


def load_settings():  # type: ignore[no-untyped-def]
    from pydantic import ValidationError

    from kb.settings import Settings

    try:
        return Settings()
    except ValidationError as exc:
        raise typer.BadParameter(f"invalid DTPKB_ settings: {exc}") from exc


def emit(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
