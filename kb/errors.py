"""The knowledge base's errors. Messages are for people: say what went wrong and what to do."""

from __future__ import annotations


class KBError(Exception):
    """Base class; `status` is the HTTP status the API answers with."""

    status = 500
    title = "Erreur interne"


class ConfigError(KBError):
    status = 500
    title = "Configuration invalide"


class ModelError(KBError):
    """The embedding model cannot be found, prepared or loaded."""

    status = 503
    title = "Modèle indisponible"


class StoreError(KBError):
    status = 503
    title = "Index indisponible"


class IngestError(KBError):
    """One file cannot be ingested; `path` names it."""

    status = 422
    title = "Fichier illisible"

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path} : {reason}")
        self.path = path
        self.reason = reason


class NotFoundError(KBError):
    status = 404
    title = "Introuvable"


class BadRequestError(KBError):
    status = 400
    title = "Requête invalide"


class ConflictError(KBError):
    """The request is well formed but the resource's state forbids it (a finished job)."""

    status = 409
    title = "Conflit"


class UnauthorizedError(KBError):
    """No key, or a key that is unknown or revoked."""

    status = 401
    title = "Authentification requise"


class ForbiddenError(KBError):
    """A valid key whose role is too low for the request."""

    status = 403
    title = "Accès refusé"


class TooLargeError(KBError):
    status = 413
    title = "Fichier trop volumineux"


class UnsupportedTypeError(KBError):
    status = 415
    title = "Type de fichier non pris en charge"
