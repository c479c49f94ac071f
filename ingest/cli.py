"""`dtp-kb ingest PATH...`: index files and folders, with a progress bar and a summary."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def ingest_command(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to index.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Index files (PDF, DOCX, HTML, CSV, XLSX, TXT, MD); unchanged skipped, broken reported."""
    from tqdm import tqdm

    from ingest.pipeline import discover, ingest_paths
    from kb.cli import emit, open_kb

    kb = open_kb()
    total = len(discover(paths, kb.settings.ingest.extensions))
    with tqdm(total=total, unit="fichier", desc="Indexation", disable=as_json) as bar:

        def progress(result):  # type: ignore[no-untyped-def]
            if result.status == "removed":
                bar.write(f"removed (no longer in its folder): {result.path}")
                return
            bar.set_postfix_str(Path(result.path).name[:40])
            bar.update()
            if result.status == "failed":
                bar.write(f"FAILED {result.path}: {result.reason}")

        report = ingest_paths(kb, paths, on_file=progress)

    if as_json:
        emit({"files": [r.__dict__ for r in report.results], **kb.stats()})
    else:
        stats = kb.stats()
        typer.echo(
            f"{report.count('indexed')} indexed, {report.count('unchanged')} unchanged, "
            f"{report.count('removed')} removed, {report.count('failed')} failed; "
            f"index: {stats['documents']} documents, "
            f"{stats['chunks']} chunks"
        )
        for failed in report.failed:
            typer.echo(f"  failed: {failed.path}: {failed.reason}", err=True)
    if report.failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)
