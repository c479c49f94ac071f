"""The « Documents » tab, for coordinators: add documents (the API's job queue), follow their
indexing, list them by facet, correct their metadata, delete them after a confirmation.

Its actions need a contributor (or admin) key, checked again on every action (a key revoked
meanwhile stops working at once); each write is recorded in the audit trail like the API's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr

from ingest import intake
from ingest.jobs import JOB_STATES, Job
from kb.access import ApiKey
from kb.domain import profile
from kb.errors import KBError
from kb.types import Document
from ui.services import UI_PATH, Services

log = logging.getLogger(__name__)

ALL = "Tous"
# Facets shown and corrected here, with their labels.
FACETS = {
    "dtp_id": "Diagnostic (DTP)",
    "theme": "Thème",
    "territory": "Territoire",
    "year": "Année",
    "doc_type": "Type de document",
}
JOB_COLUMNS = ["Fichier", "État", "Passages", "Motif", *FACETS.values()]
LIST_COLUMNS = ["Titre", "Fichier", *FACETS.values(), "Pages", "Identifiant"]
STATES = {
    "queued": "en attente",
    "running": "en cours",
    "indexed": "terminé",
    "unchanged": "terminé",
    "failed": "échec",
    "cancelled": "annulé",
}


def _labels(facet: str) -> dict[str, str]:
    p = profile()
    if facet == "theme":
        return {t.value: t.label or t.value for t in p.themes}
    if facet == "doc_type":
        return {d.value: d.label or d.value for d in p.doc_types}
    return {}


def _show(facet: str, value: object) -> str:
    if value in (None, ""):
        return ""
    return _labels(facet).get(str(value), str(value))


def _closed_choices(facet: str) -> list[tuple[str, str]]:
    return [("(non renseigné)", ""), *((lab, v) for v, lab in _labels(facet).items())]


def job_rows(job: Job, docs: list[Document]) -> list[list[Any]]:
    """One row per file: its state, and once indexed the metadata read from it."""
    by_id = {d.document_id: d for d in docs}
    rows = []
    for f in job.files:
        doc = by_id.get(f.document_id or "")
        facets = [_show(k, doc.metadata.get(k)) if doc else "" for k in FACETS]
        rows.append([f.name, STATES[f.state], f.chunks or "", f.reason or "", *facets])
    return rows


def document_rows(docs: list[Document]) -> list[list[Any]]:
    return [
        [
            d.title,
            Path(d.source).name,
            *(_show(k, d.metadata.get(k)) for k in FACETS),
            d.pages,
            d.document_id,
        ]
        for d in docs
    ]


def select_documents(docs: list[Document], wanted: dict[str, str | None]) -> list[Document]:
    """The documents matching every filter given (« Tous » is no filter)."""
    given = {k: v for k, v in wanted.items() if v and v != ALL}
    return [d for d in docs if all(str(d.metadata.get(k, "")) == v for k, v in given.items())]


def _filter_choices(docs: list[Document], facet: str) -> list[tuple[str, str]]:
    values = {str(d.metadata[facet]) for d in docs if d.metadata.get(facet) not in (None, "")}
    return [(ALL, ALL), *((_show(facet, v), v) for v in sorted(values, reverse=facet == "year"))]


def _document_choices(docs: list[Document]) -> list[tuple[str, str]]:
    return [(f"{d.title} ({Path(d.source).name})", d.document_id) for d in docs]


def _error(exc: KBError) -> gr.Error:
    return gr.Error(str(exc)[:1].upper() + str(exc)[1:])


def documents_tab(get: Callable[[], Services]) -> dict[str, Any]:
    """Build the tab inside the current gr.Blocks; the events other tabs may chain on."""

    def writer(key: str | None) -> ApiKey:
        try:
            return get().contributor(key)
        except KBError as exc:
            raise _error(exc) from None

    # --- the key ------------------------------------------------------------------------
    def check_key(key: str) -> tuple[Any, ...]:
        try:
            found = get().contributor(key)
        except KBError as exc:
            note = f'<div class="dtp-warning">Clé refusée : {exc}.</div>'
            return (None, note, *[gr.update(interactive=False)] * len(actions))
        note = (
            f'<div class="dtp-ok">Clé acceptée : « {found.name} » ({found.role}). Vous pouvez '
            "ajouter, corriger et supprimer des documents.</div>"
        )
        return (key.strip(), note, *[gr.update(interactive=True)] * len(actions))

    # --- upload and jobs ------------------------------------------------------------------
    def submit(key: str | None, paths: list[str] | None, *given: Any) -> tuple[Any, ...]:
        who = writer(key)
        if not paths:
            raise gr.Error("Déposez d'abord un ou plusieurs fichiers.")
        services = get()
        settings = services.kb.settings
        facets = {k: v for k, v in zip(FACETS, given, strict=True) if v not in (None, "")}
        if "year" in facets:
            facets["year"] = int(facets["year"])
        streams = [open(p, "rb") for p in paths]  # noqa: SIM115 (closed below)
        try:
            stored = intake.store_files(settings, [(s, Path(s.name).name) for s in streams])
            job = intake.queue_files(settings, services.jobs, stored, facets or None, who.name)
        except KBError as exc:
            raise _error(exc) from None
        finally:
            for s in streams:
                s.close()
        services.wake_worker()
        names = ", ".join(p.name for p, _ in stored)
        services.access.record(who, "POST", f"{UI_PATH}/documents", f"job {job.id}: {names}", 202)
        status = f"Tâche {job.id} : {JOB_STATES[job.state]}."
        return job.id, status, job_rows(job, []), gr.Timer(active=True), None

    def poll(job_id: str | None) -> tuple[Any, ...]:
        if not job_id:
            return gr.update(), gr.update(), gr.Timer(active=False), gr.update()
        services = get()
        job = services.jobs.get(job_id)
        finished = job.finished is not None  # a cancelled job ends after its current file
        docs = services.kb.documents() if finished else []
        status = f"Tâche {job.id} : {JOB_STATES[job.state]} ({round(job.progress * 100)} %)."
        if finished and job.state == "failed":
            status += " Le motif de chaque échec est dans le tableau."
        first = next(
            (f.document_id for f in job.files if f.state in ("indexed", "unchanged")), None
        )
        picked = (
            gr.update(choices=_document_choices(docs), value=first)
            if finished and first
            else gr.update()
        )
        return status, job_rows(job, docs), gr.Timer(active=not finished), picked

    # --- list, correction, deletion -------------------------------------------------------
    def refresh(*wanted: str | None) -> tuple[Any, ...]:
        docs = get().kb.documents()
        shown = select_documents(docs, dict(zip(FACETS, wanted, strict=True)))
        updates = []
        for facet, value in zip(FACETS, wanted, strict=True):
            choices = _filter_choices(docs, facet)
            kept = value if value in [v for _, v in choices] else ALL
            updates.append(gr.update(choices=choices, value=kept))
        count = f"{len(shown)} document(s) sur {len(docs)}."
        return (document_rows(shown), count, *updates, gr.update(choices=_document_choices(docs)))

    def pick_row(rows: Any, event: gr.SelectData) -> Any:
        row = event.row_value or []
        return gr.update(value=row[-1]) if row else gr.update()

    def load_document(document_id: str | None) -> tuple[Any, ...]:
        doc = next((d for d in get().kb.documents() if d.document_id == document_id), None)
        if doc is None:
            return (*[gr.update(value=None)] * len(FACETS), gr.update(visible=False))
        values = []
        for facet in FACETS:
            value = doc.metadata.get(facet)
            if facet == "year":
                values.append(int(value) if value not in (None, "") else None)
            else:
                values.append("" if value is None else str(value))
        return (*values, gr.update(visible=False))

    def save(key: str | None, document_id: str | None, *values: Any) -> str:
        who = writer(key)
        if not document_id:
            raise gr.Error("Choisissez d'abord un document.")
        facets: dict[str, Any] = {}
        for facet, value in zip(FACETS, values, strict=True):
            if facet == "year":
                facets[facet] = int(value) if value not in (None, "") else None
            else:
                facets[facet] = (value or "").strip() or None
        services = get()
        try:
            doc = intake.correct(services.kb, services.write_lock, document_id, facets)
        except KBError as exc:
            services.access.record(who, "PATCH", f"{UI_PATH}/documents", document_id, exc.status)
            raise _error(exc) from None
        services.access.record(who, "PATCH", f"{UI_PATH}/documents", document_id, 200)
        return f'<div class="dtp-ok">Correction enregistrée pour « {doc.title} ».</div>'

    def ask_delete(key: str | None, document_id: str | None) -> tuple[Any, ...]:
        writer(key)
        doc = next((d for d in get().kb.documents() if d.document_id == document_id), None)
        if doc is None:
            raise gr.Error("Choisissez d'abord un document.")
        note = (
            f'<div class="dtp-warning">Supprimer définitivement « {doc.title} » '
            f"({Path(doc.source).name}) ? Ses passages, ses préconisations et son fichier "
            "déposé seront effacés ; il n'apparaîtra plus dans les réponses.</div>"
        )
        return gr.update(visible=True), note

    def confirm_delete(key: str | None, document_id: str | None) -> tuple[Any, ...]:
        who = writer(key)
        services = get()
        try:
            doc = intake.delete(services.kb, services.write_lock, document_id or "")
        except KBError as exc:
            raise _error(exc) from None
        target = f"{doc.document_id} ({Path(doc.source).name})"
        services.access.record(who, "DELETE", f"{UI_PATH}/documents", target, 200)
        done = f'<div class="dtp-ok">« {doc.title} » a été supprimé.</div>'
        return gr.update(visible=False), done, gr.update(value=None)

    # --- layout -------------------------------------------------------------------------
    key = gr.State(None)
    job_id = gr.State(None)
    gr.Markdown(
        "Réservé aux coordinateurs : ajoutez les documents d'un diagnostic, suivez leur "
        "indexation, corrigez leurs métadonnées ou supprimez-les. Une clé d'API de rôle "
        "**contributeur** ou **admin** est nécessaire (un administrateur la crée avec "
        "`dtp-kb keys create --role contributeur --name …`)."
    )
    with gr.Row(equal_height=True):
        key_box = gr.Textbox(
            label="Clé d'API",
            type="password",
            placeholder="dtpkb_…",
            scale=4,
            elem_id="api-key",
        )
        key_button = gr.Button("Valider la clé", variant="primary", scale=1, elem_id="key-check")
    key_note = gr.HTML(elem_id="key-note")

    gr.Markdown("### Ajouter des documents")
    files = gr.File(
        label="Glissez-déposez vos fichiers ici (PDF, DOCX, XLSX, HTML, TXT, MD, CSV)",
        file_count="multiple",
        type="filepath",
        interactive=False,
        elem_id="upload",
    )
    with (
        gr.Accordion(
            "Métadonnées à imposer (facultatif) : sinon elles sont lues dans le document",
            open=False,
            elem_id="upload-facets",
        ),
        gr.Row(),
    ):
        given = _facet_inputs("upload")
    submit_button = gr.Button(
        "Indexer les fichiers", variant="primary", interactive=False, elem_id="submit"
    )
    job_status = gr.Markdown(elem_id="job-status")
    job_table = gr.Dataframe(
        headers=JOB_COLUMNS,
        value=[],
        label="Suivi de l'indexation",
        interactive=False,
        column_widths=["20%", "9%", "8%", "15%", "10%", "10%", "12%", "7%", "9%"],
        wrap=True,
        elem_id="job-files",
    )
    timer = gr.Timer(1.0, active=False)

    gr.Markdown("### Documents indexés")
    with gr.Row():
        filters = [
            gr.Dropdown(choices=[(ALL, ALL)], value=ALL, label=label, elem_id=f"doc-filter-{facet}")
            for facet, label in FACETS.items()
        ]
    count = gr.Markdown(elem_id="doc-count")
    listing = gr.Dataframe(
        headers=LIST_COLUMNS,
        value=[],
        label="Documents (cliquez sur une ligne pour la corriger)",
        interactive=False,
        column_widths=["22%", "16%", "10%", "10%", "12%", "7%", "9%", "6%", "8%"],
        wrap=True,
        elem_id="doc-list",
    )

    gr.Markdown("### Corriger ou supprimer un document")
    chosen = gr.Dropdown(choices=[], label="Document", elem_id="doc-chosen")
    with gr.Row():
        edits = _facet_inputs("edit")
    with gr.Row():
        save_button = gr.Button(
            "Enregistrer la correction", variant="primary", interactive=False, elem_id="save"
        )
        delete_button = gr.Button(
            "Supprimer le document…", variant="secondary", interactive=False, elem_id="delete"
        )
    edit_note = gr.HTML(elem_id="edit-note")
    with gr.Group(visible=False, elem_id="delete-confirm") as confirm_box:
        confirm_note = gr.HTML()
        with gr.Row():
            confirm_button = gr.Button(
                "Confirmer la suppression", variant="stop", elem_id="delete-yes"
            )
            cancel_button = gr.Button("Annuler", variant="secondary", elem_id="delete-no")

    actions = [files, submit_button, save_button, delete_button]

    # --- events -------------------------------------------------------------------------
    listed = [listing, count, *filters, chosen]
    key_button.click(check_key, [key_box], [key, key_note, *actions])
    key_box.submit(check_key, [key_box], [key, key_note, *actions])
    submit_button.click(submit, [key, files, *given], [job_id, job_status, job_table, timer, files])
    polled = timer.tick(poll, [job_id], [job_status, job_table, timer, chosen])
    polled.then(refresh, filters, listed)
    for f in filters:
        f.input(refresh, filters, listed)
    listing.select(pick_row, [listing], [chosen])
    chosen.change(load_document, [chosen], [*edits, confirm_box])
    saved = save_button.click(save, [key, chosen, *edits], [edit_note])
    saved.success(refresh, filters, listed)
    delete_button.click(ask_delete, [key, chosen], [confirm_box, confirm_note])
    cancel_button.click(lambda: gr.update(visible=False), None, [confirm_box])
    deleted = confirm_button.click(confirm_delete, [key, chosen], [confirm_box, edit_note, chosen])
    deleted.success(refresh, filters, listed)
    return {
        "refresh": refresh,
        "filters": filters,
        "listed": listed,
        "changed": [polled, saved, deleted],
    }


def _facet_inputs(prefix: str) -> list[Any]:
    """One input per facet: closed lists (theme, type) as dropdowns, the year as a number."""
    inputs: list[Any] = []
    for facet, label in FACETS.items():
        elem_id = f"{prefix}-{facet}"
        if facet in ("theme", "doc_type"):
            inputs.append(
                gr.Dropdown(choices=_closed_choices(facet), value="", label=label, elem_id=elem_id)
            )
        elif facet == "year":
            inputs.append(gr.Number(label=label, precision=0, value=None, elem_id=elem_id))
        else:
            inputs.append(gr.Textbox(label=label, elem_id=elem_id))
    return inputs
