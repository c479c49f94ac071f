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
    files = discover(paths, kb.settings.ingest.extensions)
    sizes = {str(f): f.stat().st_size for f in files}
    done = {"pages": 0, "passages": 0}
    # Measured in bytes read, so the time left holds when a 300-page livret follows notes.
    with tqdm(
        total=sum(sizes.values()),
        unit="o",
        unit_scale=True,
        desc=f"Indexation de {len(files)} fichiers",
        disable=as_json,
    ) as bar:

        def progress(result):  # type: ignore[no-untyped-def]
            if result.status == "removed":
                bar.write(f"retiré (absent de son dossier) : {result.path}")
                return
            done["pages"] += result.pages
            done["passages"] += result.chunks
            bar.set_postfix(done | {"fichier": Path(result.path).name[:30]})
            bar.update(sizes.get(result.path, 0))
            if result.status == "failed":
                bar.write(f"ÉCHEC {result.path} : {result.reason}")

        report = ingest_paths(kb, paths, on_file=progress)

    if as_json:
        emit({"files": [r.__dict__ for r in report.results], **kb.stats()})
    else:
        stats = kb.stats()
        typer.echo(
            f"{report.count('indexed')} indexés, {report.count('unchanged')} inchangés, "
            f"{report.count('removed')} retirés, {report.count('failed')} en échec ; "
            f"index : {stats['documents']} documents, "
            f"{stats['chunks']} passages"
        )
        for failed in report.failed:
            typer.echo(f"  échec : {failed.path} : {failed.reason}", err=True)
    if report.failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)
