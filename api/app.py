"""`create_app(settings)`: the HTTP API, its docs at /docs and the chat UI at /ui."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse

from api.routes import ask, documents, health, recommendations, search
from kb.errors import KBError
from kb.knowledge import KnowledgeBase, build_kb
from kb.settings import Settings

log = logging.getLogger(__name__)


def create_app(settings: Settings, *, with_ui: bool = True) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        kb = build_kb(settings)
        # Load the model and the keyword index now, not on the first user's request.
        kb.retriever.keyword.search("diagnostic", 1)
        app.state.kb = kb
        log.info("knowledge base ready: %s", kb.stats())
        yield

    app = FastAPI(
        title="DTP knowledge base",
        description="Search and cited answers over Diagnostics Territoriaux Partagés.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.include_router(health.router)
    app.include_router(search.router)
    app.include_router(ask.router)
    app.include_router(recommendations.router)
    app.include_router(documents.router)

    @app.exception_handler(KBError)
    async def problem(request: Request, exc: KBError) -> JSONResponse:
        return JSONResponse(
            {"type": "about:blank", "title": exc.title, "status": exc.status, "detail": str(exc)},
            status_code=exc.status,
            media_type="application/problem+json",
        )

    if with_ui:
        import gradio as gr

        from ui.app import build_ui

        def current_kb() -> KnowledgeBase:
            return app.state.kb  # type: ignore[no-any-return]

        gr.mount_gradio_app(app, build_ui(current_kb), path="/ui", footer_links=[])

        @app.get("/", include_in_schema=False)
        def root() -> RedirectResponse:
            return RedirectResponse("/ui/")

    return app
