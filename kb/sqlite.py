"""The small SQLite databases under the data directory (keys, jobs, feedback)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def create(path: Path, schema: str) -> None:
    """Make `path`'s folder and apply `schema` (idempotent `CREATE ... IF NOT EXISTS`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with connect(path) as db:
        db.executescript(schema)


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """One transaction, committed on success; rows readable by column name. The timeout
    lets a writer of another process (API workers, the CLI) finish first."""
    db = sqlite3.connect(path, timeout=30)
    db.row_factory = sqlite3.Row
    try:
        with db:
            yield db
    finally:
        db.close()
