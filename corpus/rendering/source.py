"""Source documents: Markdown with YAML front matter under corpus/src/."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from .blocks import Block, parse

THEMES = ("handicaps_rares", "sante_mentale", "sans_abrisme", "rapt")
DOC_TYPES = (
    "livret",
    "guide",
    "fiche_synthese",
    "preconisations",
    "feuille_de_route",
    "bilan_mise_en_oeuvre",
)
PHASES = ("cadrage", "bilan", "concertation", "restitution", "mise_en_oeuvre")
FORMATS = ("pdf", "docx", "html", "md", "csv", "xlsx")
FICTION_NOTICE = "Document fictif à visée d'illustration"
_REQUIRED = ("title", "dtp_id", "theme", "territory", "year", "edition", "doc_type", "phase")


class SourceError(ValueError):
    """A source file is malformed; the message names the file and the field."""


@dataclass(frozen=True)
class Source:
    path: Path
    meta: dict[str, Any]
    blocks: list[Block] = field(default_factory=list)

    @property
    def output(self) -> str:
        """Output path relative to corpus/docs."""
        return str(self.meta["output"])

    @property
    def format(self) -> str:
        return str(self.meta["format"])

    @property
    def date(self) -> date:
        value = self.meta["date"]
        return value if isinstance(value, date) else date.fromisoformat(str(value))

    @property
    def title(self) -> str:
        return str(self.meta["title"])

    @property
    def short_title(self) -> str:
        return str(self.meta.get("short_title", self.meta["title"]))


def _check(path: Path, meta: dict[str, Any]) -> None:
    missing = [key for key in (*_REQUIRED, "output", "format", "date") if key not in meta]
    if missing:
        raise SourceError(f"{path}: front matter lacks {', '.join(missing)}")
    for key, allowed in (
        ("theme", THEMES),
        ("doc_type", DOC_TYPES),
        ("phase", PHASES),
        ("format", FORMATS),
    ):
        if meta[key] not in allowed:
            raise SourceError(f"{path}: {key}={meta[key]!r} is not one of {allowed}")
    if not str(meta["output"]).endswith("." + str(meta["format"])):
        raise SourceError(f"{path}: output {meta['output']} does not end in .{meta['format']}")


def load_source(path: Path) -> Source:
    """Read one source file: `---` YAML front matter, then the Markdown body."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise SourceError(f"{path}: must start with a '---' YAML front matter block")
    _, header, body = text.split("---\n", 2)
    meta = yaml.safe_load(header) or {}
    _check(path, meta)
    return Source(path=path, meta=meta, blocks=parse(body))


def discover(src_dir: Path) -> list[Source]:
    """All sources under src_dir (except data/), in a stable order."""
    paths = sorted(p for p in src_dir.rglob("*.md") if "data" not in p.relative_to(src_dir).parts)
    sources = [load_source(p) for p in paths]
    outputs = [s.output for s in sources]
    duplicates = {o for o in outputs if outputs.count(o) > 1}
    if duplicates:
        raise SourceError(f"several sources write {sorted(duplicates)}")
    return sources
