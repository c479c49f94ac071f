"""The « Préconisations » and « Précédents » tabs: records, statuses per DTP, history, precedents.

Like the chat, these tabs talk to the knowledge base object only, through `get_kb`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import gradio as gr

from kb.errors import KBError
from kb.knowledge import KnowledgeBase
from kb.recommendations.search import RecordFilter, labels, select, stats_by_dtp
from kb.recommendations.service import record_with_precedents, search_precedents

log = logging.getLogger(__name__)

ALL = "Tous"
COLUMNS = ["N°", "Diagnostic", "Intitulé", "Pilote", "Statut", "Date du statut"]


def _date(iso: str | None) -> str:
    return "/".join(reversed(iso.split("-"))) if iso else ""


def _table(kb: KnowledgeBase, dtp: str, status: str, actor: str, query: str) -> list[list[str]]:
    status_value = next((s for s, lab in labels().items() if lab == status), None)
    where = RecordFilter(
        dtp_id=[dtp] if dtp and dtp != ALL else [],
        status=[status_value] if status_value else [],
        actor=actor.strip() or None,
        q=query.strip() or None,
    )
    return [
        [r.id, r.dtp_id, r.title, r.pilot, r.status_label or "inconnu", _date(r.status_date)]
        for r in select(kb.recommendations.all(), where)
    ]


def _chart(kb: KnowledgeBase) -> Any:
    import pandas as pd

    rows = [
        {"Diagnostic": row["dtp_id"], "Statut": labels().get(status, status), "Nombre": n}
        for row in stats_by_dtp(kb.recommendations.all())
        for status, n in row["counts"].items()  # type: ignore[attr-defined]
    ]
    return pd.DataFrame(rows, columns=["Diagnostic", "Statut", "Nombre"])


def _quote(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + " […]"


def details(kb: KnowledgeBase, rec_id: str) -> str:
    """The record as Markdown: fields, status history with sources, precedents."""
    record, precedents = record_with_precedents(kb, rec_id)
    lines = [f"### {record.id} — {record.title}", ""]
    for name, value in (
        ("Axe", record.axis),
        ("Pilote", record.pilot),
        ("Partenaires", ", ".join(record.partners)),
        ("Échéance", record.timeline),
        ("Indicateur", record.indicators),
    ):
        if value:
            lines.append(f"- **{name}** : {value}")
    current = f"{record.status_label} (« {record.status_wording} », {_date(record.status_date)})"
    lines.append(f"- **Statut actuel** : {current if record.status else 'inconnu'}")
    if record.conflict:
        lines.append("- ⚠ Les sources divergent sur le dernier statut : voir l'historique.")
    lines += ["", "**Historique des statuts**", ""]
    for fact in record.history:
        lines.append(
            f"- {_date(fact.date) or 'date inconnue'} — {fact.wording} ({fact.status_label}) — "
            f"*{fact.title or fact.source}*, page {fact.page} : « {_quote(fact.quote, 160)} »"
        )
    lines += ["", "**Sources**", ""]
    for ref in record.sources:
        lines.append(f"- *{ref.title or ref.source}*, page {ref.page} — `{ref.source}`")
    lines += ["", "**Précédents** (diagnostics antérieurs, même thème ou autre territoire)", ""]
    if not precedents:
        lines.append("- Aucun précédent au-dessus du seuil de similarité.")
    for p in precedents:
        status = f", {p.status_label}" if p.status_label else ""
        lines.append(
            f"- {p.id} ({p.territory}, {p.year}{status}) — {p.title} — score "
            f"{p.score:.2f} ; {p.reason}"
        )
    return "\n".join(lines)


def _precedents_markdown(kb: KnowledgeBase, query: str, exclude: str) -> str:
    query = (query or "").strip()
    if not query:
        return "Décrivez le sujet d'une préconisation (ex. : formation des équipes des MDPH)."
    found = search_precedents(kb, query, dtp_id=exclude if exclude and exclude != ALL else None)
    lines = ["### Préconisations proches", ""]
    for p in found["recommendations"]:  # type: ignore[attr-defined]
        status = f" — {p.status_label}" if p.status_label else ""
        lines.append(
            f"- **{p.id}** ({p.territory}, {p.year}){status} — {p.title} "
            f"(pilote : {p.pilot}) — score {p.score:.2f} ; {p.reason}"
        )
    if not found["recommendations"]:
        lines.append("- Aucune préconisation au-dessus du seuil de similarité.")
    lines += ["", "### Passages", ""]
    for h in found["passages"]:  # type: ignore[attr-defined]
        lines.append(f"- *{h.title}*, page {h.page} ({h.dtp_id}) : « {_quote(h.text, 220)} »")
    facets = found["facets"]
    lines += ["", "### Répartition", ""]
    for name, title in (("dtp_id", "Diagnostic"), ("territory", "Territoire"), ("year", "Année")):
        counts = facets.get(name) or {}  # type: ignore[attr-defined]
        if counts:
            lines.append(f"- **{title}** : " + ", ".join(f"{k} ({v})" for k, v in counts.items()))
    return "\n".join(lines)


def _safe(call: Callable[[], Any], fallback: Any) -> Any:
    try:
        return call()
    except KBError as exc:
        log.warning("recommendations tab: %s", exc)
        return fallback(exc) if callable(fallback) else fallback


def recommendation_tabs(demo: gr.Blocks, get_kb: Callable[[], KnowledgeBase]) -> None:
    """Add the two tabs to `demo` (call inside its `gr.Tabs()`)."""
    with gr.Tab("Préconisations", elem_id="tab-recommendations"):
        gr.Markdown("Où en est chaque préconisation, qui la porte, et d'où vient son statut.")
        with gr.Row():
            dtp = gr.Dropdown([ALL], value=ALL, label="Diagnostic", elem_id="rec-dtp")
            status = gr.Dropdown([ALL, *labels().values()], value=ALL, label="Statut")
            actor = gr.Textbox(label="Pilote ou partenaire", placeholder="Ex. : MDPH")
            query = gr.Textbox(label="Mots de l'intitulé", placeholder="Ex. : répit")
        table = gr.Dataframe(headers=COLUMNS, interactive=False, wrap=True, elem_id="rec-table")
        chart = gr.BarPlot(
            x="Diagnostic",
            y="Nombre",
            color="Statut",
            title="Préconisations par statut et par diagnostic",
            elem_id="rec-chart",
        )
        selected = gr.Markdown(
            "Sélectionnez une ligne du tableau pour voir son historique.", elem_id="rec-details"
        )

    with gr.Tab("Précédents", elem_id="tab-precedents"):
        gr.Markdown(
            "Ce que d'autres diagnostics (éditions antérieures, autres territoires) "
            "ont recommandé sur un sujet."
        )
        with gr.Row():
            subject = gr.Textbox(
                label="Sujet",
                scale=4,
                elem_id="prec-query",
                placeholder="Ex. : formation des équipes des MDPH",
            )
            exclude = gr.Dropdown([ALL], value=ALL, label="Hors diagnostic", scale=1)
            search = gr.Button("Rechercher", variant="primary", scale=1, elem_id="prec-search")
        found = gr.Markdown(elem_id="prec-results")

    def refresh(d: str, s: str, a: str, q: str) -> list[list[str]]:
        return _safe(lambda: _table(get_kb(), d, s, a, q), [])

    def on_load() -> tuple[Any, ...]:
        ids = _safe(lambda: sorted({r.dtp_id for r in get_kb().recommendations.all()}), [])
        return (
            gr.update(choices=[ALL, *ids]),
            gr.update(choices=[ALL, *ids]),
            refresh(ALL, ALL, "", ""),
            _safe(lambda: _chart(get_kb()), None),
        )

    def on_select(rows: Any, event: gr.SelectData) -> str:
        row = event.index[0] if isinstance(event.index, list | tuple) else event.index
        rec_id = rows.iloc[row, 0] if hasattr(rows, "iloc") else rows[row][0]
        return _safe(lambda: details(get_kb(), str(rec_id)), lambda exc: f"Erreur : {exc}")

    demo.load(on_load, None, [dtp, exclude, table, chart])
    for control in (dtp, status):
        control.change(refresh, [dtp, status, actor, query], table)
    for box in (actor, query):
        box.submit(refresh, [dtp, status, actor, query], table)
    table.select(on_select, table, selected)
    search.click(
        lambda q, e: _safe(
            lambda: _precedents_markdown(get_kb(), q, e), lambda exc: f"Erreur : {exc}"
        ),
        [subject, exclude],
        found,
    )
    subject.submit(
        lambda q, e: _safe(
            lambda: _precedents_markdown(get_kb(), q, e), lambda exc: f"Erreur : {exc}"
        ),
        [subject, exclude],
        found,
    )


__all__ = ["details", "recommendation_tabs"]
