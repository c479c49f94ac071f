"""DTP metadata from a `manifest.csv` lying beside (or above) the ingested files."""

from __future__ import annotations

import csv
import logging
from functools import lru_cache
from pathlib import Path

from kb.types import MetaValue

log = logging.getLogger(__name__)

FACETS = ("dtp_id", "theme", "territory", "year", "edition", "doc_type", "phase")


@lru_cache(maxsize=64)
def _read(manifest: Path) -> dict[Path, dict[str, MetaValue]]:
    rows: dict[Path, dict[str, MetaValue]] = {}
    with manifest.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if not row.get("path"):
                continue
            meta: dict[str, MetaValue] = {}
            for key in FACETS:
                value = (row.get(key) or "").strip()
                if value:
                    meta[key] = (
                        int(value) if key in ("year", "edition") and value.isdigit() else value
                    )
            rows[(manifest.parent / row["path"]).resolve()] = meta
    return rows


def metadata_for(path: Path) -> dict[str, MetaValue]:
    """The manifest row for `path` from the nearest `manifest.csv` among its parents."""
    path = path.resolve()
    for folder in path.parents:
        manifest = folder / "manifest.csv"
        if manifest.is_file():
            meta = _read(manifest).get(path)
            if meta is not None:
                return {**meta, "metadata_method": "manifest"}
    return {}
