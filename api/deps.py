"""Typed dependencies: routes get the knowledge base opened once by the lifespan."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from kb.knowledge import KnowledgeBase


def get_kb(request: Request) -> KnowledgeBase:
    return request.app.state.kb  # type: ignore[no-any-return]


KB = Annotated[KnowledgeBase, Depends(get_kb)]
