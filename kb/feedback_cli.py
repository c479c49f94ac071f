"""`dtp-kb feedback list | export`: the ratings of answers (mirrors GET /v1/feedback)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

feedback = typer.Typer(help="Ratings of answers (thumbs up or down), and their export.")


def _store():  # type: ignore[no-untyped-def]
    from kb.cli_support import load_settings
    from kb.feedback import FeedbackStore

    return FeedbackStore(load_settings().data_dir)


@feedback.command("list")
def list_feedback(
    only_negative: Annotated[bool, typer.Option(help="Only the thumbs down.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The ratings, latest first."""
    from kb.cli_support import emit

    entries = _store().list(rating=-1 if only_negative else None)
    if as_json:
        emit([e.model_dump() for e in entries])
        return
    for e in entries:
        comment = f" — {e.comment}" if e.comment else ""
        typer.echo(f"{e.id}  {e.rating:+d}  {e.created_at}  {e.question}{comment}")


@feedback.command("export")
def export(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The JSON-lines file to write.")
    ] = Path("eval/questions-feedback.jsonl"),
    only_negative: Annotated[
        bool, typer.Option(help="Only the answers rated down (the ones to review).")
    ] = False,
) -> None:
    """Write the rated questions in the eval/questions.jsonl format, to review and add to
    the evaluation: the cited pages as expected sources, the rating and comment beside."""
    from kb.feedback import export_questions

    written = export_questions(_store().list(), output, only_negative=only_negative)
    typer.echo(f"{written} question(s) written to {output}")


def register(app: typer.Typer) -> None:
    app.add_typer(feedback, name="feedback")
