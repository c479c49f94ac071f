"""Recommendation records against a corpus's ground truth: found, latest status, pilot,
precedent. The sample corpus names records by global ids; the second corpus by DTP and
printed label ("sm-2022", "Préconisation n°3"), matched through the documents' facets."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Any

from eval.corpora import Corpus
from kb import domain
from kb.knowledge import KnowledgeBase
from kb.recommendations.types import Recommendation
from kb.text import fold


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _same_actor(expected: str, found: str) -> bool:
    a, b = " ".join(fold(expected).split()), " ".join(fold(found).split())
    return bool(a) and (a == b or a in b or (len(b) > 3 and b in a))


def _dtp_ids(kb: KnowledgeBase, corpus: Corpus) -> dict[str, str]:
    """Ground-truth DTP key -> the dtp_id the index gave that DTP's documents (by majority)."""
    assert corpus.facets is not None
    key_of = {str((corpus.root / r["path"]).resolve()): r["dtp"] for r in _rows(corpus.facets)}
    votes: dict[str, Counter[str]] = {}
    for doc in kb.documents():
        key = key_of.get(str(Path(doc.source).resolve()))
        if key and doc.metadata.get("dtp_id"):
            votes.setdefault(key, Counter())[str(doc.metadata["dtp_id"])] += 1
    return {key: v.most_common(1)[0][0] for key, v in votes.items()}


def _expected_id(row: dict[str, str], dtp_ids: dict[str, str]) -> str | None:
    if "id" in row:
        return row["id"]
    found = domain.labels(row["label"])
    if not found or row["dtp"] not in dtp_ids:
        return None
    return f"{dtp_ids[row['dtp']]}/{found[0].slug}"


def _precedent(row: dict[str, str], dtp_ids: dict[str, str]) -> str | None:
    if "precedent_id" in row:
        return row["precedent_id"] or None
    if not row.get("takes_up"):
        return None
    dtp, _, label = row["takes_up"].partition("|")
    return _expected_id({"dtp": dtp, "label": label}, dtp_ids) or "?"


def record_accuracy(kb: KnowledgeBase, corpus: Corpus) -> dict[str, Any]:
    """Shares of the truth's records found, with the right latest status, pilot, precedent."""
    truth = _rows(corpus.records)
    dtp_ids = _dtp_ids(kb, corpus) if corpus.facets else {}
    records: dict[str, Recommendation] = {r.id: r for r in kb.recommendations.all()}
    found = status = pilot = 0
    precedents = precedents_right = 0
    misses: dict[str, list[str]] = {"found": [], "status": [], "pilot": [], "precedent": []}
    for row in truth:
        name = row.get("id") or f"{row['dtp']}|{row['label']}"
        rec_id = _expected_id(row, dtp_ids)
        record = records.get(rec_id) if rec_id else None
        expected_status = row.get("status") or row.get("latest_status")
        expected_precedent = _precedent(row, dtp_ids)
        if expected_precedent:
            precedents += 1
        if record is None:
            misses["found"].append(name)
            continue
        found += 1
        if record.status == expected_status:
            status += 1
        else:
            misses["status"].append(f"{name}: {record.status} != {expected_status}")
        if _same_actor(row["pilot"], record.pilot):
            pilot += 1
        else:
            misses["pilot"].append(f"{name}: {record.pilot!r} != {row['pilot']!r}")
        if expected_precedent:
            if expected_precedent in record.takes_up:
                precedents_right += 1
            else:
                misses["precedent"].append(f"{name}: {record.takes_up} !∋ {expected_precedent}")
    n = len(truth) or 1
    return {
        "records": len(truth),
        "found": round(found / n, 4),
        "latest_status": round(status / n, 4),
        "pilot": round(pilot / n, 4),
        "precedents": precedents,
        "precedents_found": round(precedents_right / precedents, 4) if precedents else None,
        "indexed_records": len(records),
        "misses": misses,
    }
