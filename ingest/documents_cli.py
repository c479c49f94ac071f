"""`dtp-kb documents list | correct`: the indexed documents and their metadata, corrected by hand.

Mirrors `GET`/`PATCH /v1/documents/{document_id}`.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from ingest.metadata import FACETS as _FACETS

documents = typer.Typer(help="Indexed documents and their metadata.", no_args_is_help=True)

Facet = Annotated[str | None, typer.Option(help='New value ("" clears it).')]


@documents.command("list")
def list_documents(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Every indexed document: id, file, facets and where each value came from."""
    from kb.cli import emit, open_kb

    docs = open_kb().documents()
    if as_json:
        emit([d.model_dump() for d in docs])
        return
    for doc in docs:
        facets = {k: v for k, v in doc.metadata.items() if k in _FACETS}
        typer.echo(f"{doc.document_id[:12]}  {doc.source}")
        typer.echo(f"    {json.dumps(facets, ensure_ascii=False)}")


@documents.command("correct")
def correct(
    document: Annotated[str, typer.Argument(help="The document's id or its file's path.")],
    dtp_id: Facet = None,
    theme: Facet = None,
    territory: Facet = None,
    year: Facet = None,
    edition: Facet = None,
    doc_type: Facet = None,
    phase: Facet = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Correct a document's metadata; the correction survives re-ingest."""
    from ingest.corrections import correct_document
    from kb.cli import emit, open_kb

    given = {
        "dtp_id": dtp_id,
        "theme": theme,
        "territory": territory,
        "year": year,
        "edition": edition,
        "doc_type": doc_type,
        "phase": phase,
    }
    doc = correct_document(open_kb(), document, {k: v for k, v in given.items() if v is not None})
    if as_json:
        emit(doc.model_dump())
        return
    facets = {k: v for k, v in doc.metadata.items() if k in _FACETS}
    typer.echo(f"corrected {doc.source}: {json.dumps(facets, ensure_ascii=False)}")


def register(app: typer.Typer) -> None:
    app.add_typer(documents, name="documents")
