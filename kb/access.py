"""API keys with roles, and the audit trail of writes, in `<data_dir>/access.sqlite3`.

A key reads `dtpkb_<id>_<secret>`: the id finds its row, the secret is checked against a
salted scrypt hash. Only the hash and the salt are stored; the clear key is shown once,
when it is created.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from kb import sqlite
from kb.errors import BadRequestError, NotFoundError

Role = Literal["lecteur", "contributeur", "admin"]
ROLES: tuple[Role, ...] = ("lecteur", "contributeur", "admin")
FILE = "access.sqlite3"
PREFIX = "dtpkb"
# A key's secret has 256 random bits, so the KDF need not be slow to resist guessing;
# these parameters keep a check to a few milliseconds while still being a salted KDF.
_SCRYPT = {"n": 2**12, "r": 8, "p": 1, "dklen": 32}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS keys (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL,
    salt BLOB NOT NULL, hash BLOB NOT NULL, created TEXT NOT NULL, revoked TEXT
);
CREATE TABLE IF NOT EXISTS audit (
    n INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, key_id TEXT, key_name TEXT,
    method TEXT NOT NULL, path TEXT NOT NULL, target TEXT, status INTEGER
);
"""


def rank(role: str) -> int:
    return ROLES.index(role)  # type: ignore[arg-type]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ApiKey(BaseModel):
    """A key as listed: never its secret."""

    id: str = Field(examples=["3f9a1c2e"])
    name: str = Field(examples=["coordination-hr"])
    role: Role
    created: str
    revoked: str | None = None


class NewKey(ApiKey):
    key: str = Field(
        description="The clear key, shown this once: keep it, it cannot be read again.",
        examples=["dtpkb_3f9a1c2e_Yk3…"],
    )


class AuditEntry(BaseModel):
    at: str
    key_id: str | None
    key_name: str | None
    method: str = Field(examples=["POST"])
    path: str = Field(examples=["/v1/documents"])
    target: str | None = Field(None, examples=["job 7c1d…: livret_2024.pdf"])
    status: int | None = Field(None, examples=[202])


def _hash(secret: str, salt: bytes) -> bytes:
    return hashlib.scrypt(secret.encode(), salt=salt, **_SCRYPT)


class AccessStore:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / FILE
        sqlite.create(self.path, _SCHEMA)

    def _db(self) -> AbstractContextManager[sqlite3.Connection]:
        return sqlite.connect(self.path)

    def create(self, name: str, role: str) -> NewKey:
        name = " ".join(name.split())
        if not name:
            raise BadRequestError(
                "donnez un nom à la clé (la personne ou le service qui l'utilise)"
            )
        if role not in ROLES:
            raise BadRequestError(f"rôle '{role}' inconnu ; rôles : {', '.join(ROLES)}")
        key_id, secret, salt = secrets.token_hex(4), secrets.token_urlsafe(32), os_salt()
        created = now()
        with self._db() as db:
            db.execute(
                "INSERT INTO keys (id, name, role, salt, hash, created) VALUES (?,?,?,?,?,?)",
                (key_id, name, role, salt, _hash(secret, salt), created),
            )
        clear = f"{PREFIX}_{key_id}_{secret}"
        return NewKey(id=key_id, name=name, role=role, created=created, key=clear)  # type: ignore[arg-type]

    def keys(self) -> list[ApiKey]:
        with self._db() as db:
            rows = db.execute("SELECT id, name, role, created, revoked FROM keys ORDER BY created")
            return [ApiKey(**dict(r)) for r in rows]

    def revoke(self, key_id: str) -> ApiKey:
        with self._db() as db:
            db.execute(
                "UPDATE keys SET revoked = ? WHERE id = ? AND revoked IS NULL", (now(), key_id)
            )
            row = db.execute(
                "SELECT id, name, role, created, revoked FROM keys WHERE id = ?", (key_id,)
            ).fetchone()
        if row is None:
            raise NotFoundError(f"aucune clé n'a l'identifiant '{key_id}' (voir dtp-kb keys list)")
        return ApiKey(**dict(row))

    def authenticate(self, key: str) -> ApiKey | None:
        """The active key `key` is, or None (unknown, malformed or revoked)."""
        prefix, _, rest = key.strip().partition("_")
        key_id, _, secret = rest.partition("_")
        if prefix != PREFIX or not key_id or not secret:
            return None
        with self._db() as db:
            row = db.execute("SELECT * FROM keys WHERE id = ?", (key_id,)).fetchone()
        if row is None or row["revoked"]:
            return None
        if not hmac.compare_digest(_hash(secret, row["salt"]), row["hash"]):
            return None
        return ApiKey(**{k: row[k] for k in ("id", "name", "role", "created", "revoked")})

    def record(
        self, key: ApiKey | None, method: str, path: str, target: str | None, status: int | None
    ) -> None:
        """Write one line of the audit trail."""
        with self._db() as db:
            db.execute(
                "INSERT INTO audit (at, key_id, key_name, method, path, target, status) "
                "VALUES (?,?,?,?,?,?,?)",
                (now(), key and key.id, key and key.name, method, path, target, status),
            )

    def audit(self, limit: int = 100, offset: int = 0) -> list[AuditEntry]:
        """The latest writes first."""
        with self._db() as db:
            rows = db.execute(
                "SELECT at, key_id, key_name, method, path, target, status FROM audit "
                "ORDER BY n DESC LIMIT ? OFFSET ?",
                (limit, offset),
            )
            return [AuditEntry(**dict(r)) for r in rows]


def os_salt() -> bytes:
    return secrets.token_bytes(16)
