"""`dtp-kb recommendations list|show|stats` and `dtp-kb precedents QUERY` (the API's twins)."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(
    help="Recommendations: statuses, sources, history, precedents.", no_args_is_help=True
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Many = Annotated[list[str] | None, typer.Option(help="Repeatable.")]


def _where(**criteria: object):  # type: ignore[no-untyped-def]
    from kb.recommendations.search import RecordFilter

    lists = {
        k: list(v or [])
        for k, v in criteria.items()
        if k in ("dtp_id", "theme", "territory", "status")
    }
    years = [int(y) for y in criteria.get("year") or []]  # type: ignore[attr-defined]
    singles = {k: v for k, v in criteria.items() if k in ("pilot", "partner", "axis", "q")}
    return RecordFilter(**lists, year=years, **singles)  # type: ignore[arg-type]


@app.command("list")
def list_command(
    dtp_id: Many = None,
    theme: Many = None,
    territory: Many = None,
    year: Annotated[list[int] | None, typer.Option(help="Repeatable.")] = None,
    status: Many = None,
    pilot: str | None = None,
    partner: str | None = None,
    axis: str | None = None,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
    as_json: JsonOption = False,
) -> None:
    """List recommendations with their current status (filters as in GET /v1/recommendations)."""
    from kb.cli import emit, open_kb
    from kb.recommendations.search import select

    where = _where(
        dtp_id=dtp_id,
        theme=theme,
        territory=territory,
        year=year,
        status=status,
        pilot=pilot,
        partner=partner,
        axis=axis,
        q=q,
    )
    chosen = select(open_kb().recommendations.all(), where)
    page = chosen[offset : offset + limit]
    if as_json:
        items = [r.model_dump(exclude={"history"}) for r in page]
        emit({"items": items, "total": len(chosen)})
        return
    for r in page:
        status_text = f"{r.status_label} ({r.status_date})" if r.status else "sans statut"
        typer.echo(f"{r.id:<16} {status_text:<34} {r.pilot[:38]:<38} {r.title[:70]}")
    typer.echo(f"{len(page)} sur {len(chosen)} préconisations")


@app.command("show")
def show_command(rec_id: str, as_json: JsonOption = False) -> None:
    """One recommendation: fields, status history with sources, precedents."""
    from kb.cli import emit, open_kb
    from kb.recommendations.service import record_with_precedents

    record, precedents = record_with_precedents(open_kb(), rec_id)
    if as_json:
        emit({**record.model_dump(), "precedents": [p.model_dump() for p in precedents]})
        return
    typer.echo(f"{record.id} — {record.title}")
    for name, value in (
        ("Axe", record.axis),
        ("Pilote", record.pilot),
        ("Partenaires", ", ".join(record.partners)),
        ("Échéance", record.timeline),
        ("Indicateur", record.indicators),
    ):
        if value:
            typer.echo(f"  {name} : {value}")
    typer.echo(
        f"  Statut : {record.status_label} ({record.status_date})"
        if record.status
        else "  Statut : inconnu"
    )
    if record.conflict:
        typer.echo("  Attention : les sources divergent sur le dernier statut.")
    typer.echo("Historique :")
    for fact in record.history:
        typer.echo(f"  {fact.date or '?':<10}  {fact.wording:<28} {fact.source}, p. {fact.page}")
    typer.echo("Précédents :")
    for p in precedents:
        typer.echo(f"  {p.id:<16} {p.score:.2f}  {p.title[:60]}  ({p.reason})")


@app.command("stats")
def stats_command(
    dtp_id: Many = None,
    theme: Many = None,
    territory: Many = None,
    year: Annotated[list[int] | None, typer.Option(help="Repeatable.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Counts of recommendations by current status, per DTP."""
    from kb.cli import emit, open_kb
    from kb.recommendations.search import labels, select, stats_by_dtp, status_counts

    where = _where(dtp_id=dtp_id, theme=theme, territory=territory, year=year)
    chosen = select(open_kb().recommendations.all(), where)
    report = {"total": len(chosen), "counts": status_counts(chosen), "dtp": stats_by_dtp(chosen)}
    if as_json:
        emit({**report, "labels": labels()})
        return
    for row in report["dtp"]:  # type: ignore[attr-defined]
        detail = ", ".join(f"{k} {v}" for k, v in row["counts"].items())
        typer.echo(f"{row['dtp_id']:<12} {row['total']:>4}  {detail}")
    typer.echo(
        f"{'total':<12} {len(chosen):>4}  "
        + ", ".join(f"{k} {v}" for k, v in report["counts"].items())
    )  # type: ignore[attr-defined]


def precedents_command(
    query: str,
    dtp_id: Annotated[str | None, typer.Option(help="Leave out this DTP.")] = None,
    theme: str | None = None,
    territory: str | None = None,
    k: Annotated[int, typer.Option("--k", "-k", help="Results per list.")] = 10,
    as_json: JsonOption = False,
) -> None:
    """Similar recommendations and passages from other editions and territories."""
    from kb.cli import emit, open_kb
    from kb.recommendations.service import search_precedents

    found = search_precedents(
        open_kb(), query, dtp_id=dtp_id, theme=theme, territory=territory, k=k
    )
    if as_json:
        emit(
            {
                key: ([i.model_dump() for i in value] if isinstance(value, list) else value)
                for key, value in found.items()
            }
        )
        return
    typer.echo("Préconisations :")
    for p in found["recommendations"]:  # type: ignore[attr-defined]
        typer.echo(f"  {p.id:<16} {p.score:.2f}  {p.title[:70]}  ({p.reason})")
    typer.echo("Passages :")
    for h in found["passages"]:  # type: ignore[attr-defined]
        typer.echo(f"  {h.title[:60]}, p. {h.page}: {' '.join(h.text.split())[:120]}")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="recommendations")
    root.command("precedents")(precedents_command)
