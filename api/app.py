"""`create_app(settings)`: the HTTP API, its docs at /docs and the chat UI at /ui."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from api.auth import reader, reads_need_a_key
from api.routes import (
    ask,
    documents,
    feedback,
    health,
    jobs,
    keys,
    passages,
    recommendations,
    search,
)
from api.worker import Worker
from ingest.jobs import JobStore
from kb.access import AccessStore
from kb.errors import KBError
from kb.feedback import FeedbackStore
from kb.knowledge import build_kb
from kb.settings import Settings

log = logging.getLogger(__name__)

_TITLES = {
    400: "Requête invalide",
    404: "Introuvable",
    405: "Méthode non permise",
    401: "Authentification requise",
    403: "Accès refusé",
    413: "Requête trop volumineuse",
    415: "Type de fichier non pris en charge",
    422: "Requête invalide",
}


def problem(status: int, detail: object, title: str | None = None) -> JSONResponse:
    """An RFC 9457 problem+json response."""
    body = {
        "type": "about:blank",
        "title": title or _TITLES.get(status, "Erreur"),
        "status": status,
        "detail": jsonable_encoder(detail),
    }
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


class BodyLimit:
    """Refuse request bodies larger than `limit` bytes before the application reads them."""

    def __init__(self, app: ASGIApp, limit: int, upload_limit: int) -> None:
        self.app = app
        self.default = limit
        self.upload_limit = upload_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        uploading = scope["method"] == "POST" and scope["path"].rstrip("/") == "/v1/documents"
        limit = self.upload_limit if uploading else self.default
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        too_big = not declared.isdigit() or int(declared) > limit
        received = 0

        async def counted() -> dict:  # type: ignore[type-arg]
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise HTTPException(413)
            return message

        if too_big:
            detail = f"la requête dépasse {limit} octets ; envoyez-en une plus courte"
            await problem(413, detail)(scope, receive, send)
            return
        try:
            await self.app(scope, counted, send)
        except HTTPException as exc:
            if exc.status_code != 413:
                raise
            detail = f"la requête dépasse {limit} octets ; envoyez-en une plus courte"
            await problem(413, detail)(scope, receive, send)


def create_app(settings: Settings, *, with_ui: bool = True) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        kb = build_kb(settings)
        # Load the model and the indexes now, not on the first user's request.
        log.info("loaded in seconds: %s", kb.warm_up())
        app.state.kb = kb
        app.state.access = AccessStore(settings.data_dir)
        app.state.jobs = JobStore(settings.data_dir)
        app.state.feedback = FeedbackStore(settings.data_dir)
        app.state.write_lock = threading.Lock()
        app.state.worker = Worker(kb, app.state.jobs, app.state.write_lock)
        app.state.worker.start()
        log.info("knowledge base ready: %s", kb.stats())
        yield
        app.state.worker.stop()

    app = FastAPI(
        title="DTP knowledge base",
        description="Search and cited answers over Diagnostics Territoriaux Partagés.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.include_router(health.router)
    for router in (search.router, ask.router, recommendations.router):
        app.include_router(router, dependencies=[Depends(reader)])
    app.include_router(documents.router)
    app.include_router(passages.router)
    app.include_router(jobs.router)
    app.include_router(keys.router)
    app.include_router(feedback.router)

    @app.exception_handler(KBError)
    async def kb_error(request: Request, exc: KBError) -> JSONResponse:
        return problem(exc.status, str(exc), exc.title)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        # Inputs are echoed back in errors; a huge or binary one is not worth returning.
        errors = [{k: v for k, v in e.items() if k not in ("input", "ctx")} for e in exc.errors()]
        return problem(422, errors)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return problem(exc.status_code, exc.detail)

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem(500, "an unexpected error occurred; it has been logged", "Erreur interne")

    # An upload may carry several files, each up to api.max_upload_mb (checked one by one).
    upload_limit = max(settings.api.max_body_bytes, 10 * settings.api.max_upload_mb * 2**20)
    app.add_middleware(BodyLimit, limit=settings.api.max_body_bytes, upload_limit=upload_limit)

    if with_ui:
        import gradio as gr

        from ui.app import LOGIN, build_ui
        from ui.services import Services
        from ui.theme import CSS, dsfr_theme, french

        def services() -> Services:
            state = app.state
            return Services(
                kb=state.kb,
                access=state.access,
                jobs=state.jobs,
                write_lock=state.write_lock,
                wake_worker=state.worker.wake.set,
                feedback=state.feedback,
            )

        def login(_name: str, key: str) -> bool:
            """The UI reads what the API reads: when that takes a key, so does the UI."""
            return app.state.access.authenticate(key) is not None

        gr.mount_gradio_app(
            app,
            build_ui(services),
            path="/ui",
            footer_links=[],
            theme=dsfr_theme(),
            css=CSS,
            i18n=french(),
            max_file_size=settings.api.max_upload_mb * 2**20,
            auth=login if reads_need_a_key(settings.api) else None,
            auth_message=LOGIN,
        )

        @app.get("/", include_in_schema=False)
        def root() -> RedirectResponse:
            return RedirectResponse("/ui/")

    return app
