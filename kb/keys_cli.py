"""`dtp-kb keys create | list | revoke`: the API keys (mirrors /v1/keys)."""

from __future__ import annotations

from typing import Annotated

import typer

keys = typer.Typer(help="API keys and their roles (lecteur, contributeur, admin).")


def _store():  # type: ignore[no-untyped-def]
    from kb.access import AccessStore
    from kb.cli_support import load_settings

    return AccessStore(load_settings().data_dir)


@keys.command("create")
def create(
    role: Annotated[str, typer.Option(help="lecteur, contributeur or admin.")],
    name: Annotated[str, typer.Option(help="Who or what uses the key.")],
) -> None:
    """Create a key and print it: it is shown this once, only its hash is kept."""
    key = _store().create(name, role)
    typer.echo(key.key)
    typer.echo(
        f"key {key.id} ({key.name}, {key.role}): keep it now, it cannot be shown again", err=True
    )


@keys.command("list")
def list_keys(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Every key: id, name, role, creation date, revocation date."""
    from kb.cli_support import emit

    found = _store().keys()
    if as_json:
        emit([k.model_dump() for k in found])
        return
    for k in found:
        state = f"revoked {k.revoked}" if k.revoked else "active"
        typer.echo(f"{k.id}  {k.role:<12}  {k.name}  (created {k.created}, {state})")


@keys.command("revoke")
def revoke(key_id: Annotated[str, typer.Argument(help="The key's id (see keys list).")]) -> None:
    """Revoke a key: the API refuses it from now on."""
    key = _store().revoke(key_id)
    typer.echo(f"revoked {key.id} ({key.name}, {key.role})")


def register(app: typer.Typer) -> None:
    app.add_typer(keys, name="keys")
