"""Facets right / total: inferred document metadata against a ground-truth CSV.

The truth CSV has a `path` column (relative to the CSV's folder, or to its parent for a
`truth/` folder) and any of the facet columns; `dtp` or `dtp_id` names the DTP. A DTP id is
right when the documents sharing it are exactly the documents of its DTP (ids are derived,
so their spelling is free; their grouping is not). Other facets compare as folded text.
An empty prediction counts as not right (and is counted apart from a wrong one).
"""

from __future__ import annotations

import csv
import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.text import fold
from kb.types import MetaValue

log = logging.getLogger(__name__)

SCORED = ("dtp_id", "theme", "territory", "year", "doc_type", "phase")


@dataclass
class FacetScore:
    right: int = 0
    empty: int = 0
    wrong: int = 0
    per_facet: dict[str, Counter[str]] = field(default_factory=dict)
    mistakes: list[tuple[str, str, str, str]] = field(
        default_factory=list
    )  # path, facet, got, want

    @property
    def total(self) -> int:
        return self.right + self.empty + self.wrong

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "right": self.right,
            "empty": self.empty,
            "wrong": self.wrong,
            "total": self.total,
            "accuracy": round(self.accuracy, 3),
            "per_facet": {k: dict(v) for k, v in self.per_facet.items()},
            "mistakes": [list(m) for m in self.mistakes],
        }


def read_truth(truth_csv: Path) -> dict[Path, dict[str, str]]:
    root = truth_csv.parent.parent if truth_csv.parent.name == "truth" else truth_csv.parent
    rows: dict[Path, dict[str, str]] = {}
    with truth_csv.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            facets = {k: (v or "").strip() for k, v in row.items() if k != "path"}
            if "dtp" in facets and "dtp_id" not in facets:
                facets["dtp_id"] = facets.pop("dtp")
            rows[(root / row["path"]).resolve()] = facets
    return rows


def infer_folder(
    folder: Path, extensions: tuple[str, ...] | None = None
) -> dict[Path, dict[str, MetaValue]]:
    """Metadata inferred for every file under `folder`, as ingest would without a manifest."""
    from ingest.metadata import document_metadata, link_dtps
    from ingest.parsers import PARSERS, parse
    from kb.errors import IngestError

    paths = sorted(
        p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in (extensions or PARSERS)
    )
    metas: dict[Path, dict[str, MetaValue]] = {}
    for path in paths:
        try:
            metas[path.resolve()] = document_metadata(parse(path), {}, path=path)
        except IngestError as exc:
            log.warning("%s", exc)
    return dict(zip(metas, link_dtps(list(metas.values())), strict=True))


def documents_metadata(kb: Any) -> dict[Path, dict[str, MetaValue]]:
    """The metadata a knowledge base holds per source file."""
    return {Path(d.source).resolve(): dict(d.metadata) for d in kb.documents()}


def facet_accuracy(
    kb_or_metadata: Any | Mapping[Path, Mapping[str, MetaValue]], truth_csv: Path
) -> FacetScore:
    """Facets right / total over the documents of `truth_csv` (a KnowledgeBase or a mapping
    path -> metadata, e.g. from `infer_folder`)."""
    metas = (
        kb_or_metadata
        if isinstance(kb_or_metadata, Mapping)
        else documents_metadata(kb_or_metadata)
    )
    truth = read_truth(truth_csv)
    score = FacetScore()
    facets = [f for f in SCORED if any(f in row for row in truth.values())]
    for facet in facets:
        score.per_facet[facet] = Counter()
    groups_true: dict[str, set[Path]] = {}
    groups_got: dict[str, set[Path]] = {}
    for path, row in truth.items():
        groups_true.setdefault(row.get("dtp_id", ""), set()).add(path)
        got_id = str(metas.get(path, {}).get("dtp_id", ""))
        if got_id:
            groups_got.setdefault(got_id, set()).add(path)
    for path, row in sorted(truth.items()):
        got = metas.get(path, {})
        for facet in facets:
            want, value = row.get(facet, ""), got.get(facet)
            if value in (None, ""):
                verdict = "empty"
            elif facet == "dtp_id":
                same = groups_got[str(value)] == groups_true.get(want, set())
                verdict = "right" if same else "wrong"
            else:
                verdict = "right" if fold(str(value)) == fold(want) else "wrong"
            setattr(score, verdict, getattr(score, verdict) + 1)
            score.per_facet[facet][verdict] += 1
            if verdict != "right":
                score.mistakes.append((path.name, facet, str(value or ""), want))
    return score
