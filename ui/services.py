"""What the UI works with, handed over by the server that mounts it (`api.app.create_app`):
the same knowledge base, key store, job queue, write lock and feedback store as the API's
routes, so a document added in the UI takes the API's own path into the index."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from ingest.jobs import JobStore
from kb.access import AccessStore, ApiKey, rank
from kb.errors import ForbiddenError, UnauthorizedError
from kb.feedback import FeedbackStore
from kb.knowledge import KnowledgeBase

UI_PATH = "/ui"  # where writes made in the UI are recorded in the audit trail


@dataclass(frozen=True)
class Services:
    kb: KnowledgeBase
    access: AccessStore
    jobs: JobStore
    write_lock: threading.Lock
    wake_worker: Callable[[], None]
    feedback: FeedbackStore

    def contributor(self, key: str | None) -> ApiKey:
        """The active contributor (or admin) key `key` is; a French error otherwise."""
        if not key or not key.strip():
            raise UnauthorizedError("saisissez d'abord une clé d'API de contributeur")
        found = self.access.authenticate(key)
        if found is None:
            raise UnauthorizedError("clé d'API inconnue ou révoquée ; demandez-en une nouvelle")
        if rank(found.role) < rank("contributeur"):
            raise ForbiddenError(
                f"la clé « {found.name} » a le rôle {found.role} ; il faut le rôle "
                "contributeur ou admin pour gérer les documents"
            )
        return found
