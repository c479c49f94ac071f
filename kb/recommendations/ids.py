"""Recommendation ids: '<dtp_id>-<number>' (HR-2016-P01, SM-2021-FA2-3), found verbatim."""

from __future__ import annotations

import re

ID = re.compile(r"\b((?:[A-Z][A-Z0-9]{0,9}-)+(?:19|20)\d{2})-([A-Z]{1,3}\d{1,3}(?:-\d{1,3})?)\b")
# "FA 2-3" as PTSM documents print a fiche action's short number.
SHORT_FA = re.compile(r"\bFA\s?(\d{1,2})\s?[-.]\s?(\d{1,2})\b")


def ids_in(text: str) -> list[str]:
    """Every recommendation id written in `text`, in order."""
    return [m.group(0) for m in ID.finditer(text)]


def dtp_of(rec_id: str) -> str:
    """'SM-2021-FA2-3' -> 'SM-2021'."""
    match = ID.fullmatch(rec_id)
    return match.group(1) if match else rec_id.rsplit("-", 1)[0]


def year_of(dtp_id: str) -> int | None:
    match = re.search(r"(?:19|20)\d{2}", dtp_id)
    return int(match.group(0)) if match else None


def number_of(rec_id: str) -> str:
    """'HR-2016-P05' -> 'P05'; 'SM-2021-FA2-3' -> 'FA2-3'."""
    match = ID.fullmatch(rec_id)
    return match.group(2) if match else rec_id


def split_list(value: str) -> list[str]:
    """'A, B (x, y); C' -> ['A', 'B (x, y)', 'C']: separators inside brackets stay."""
    parts, depth, current = [], 0, ""
    for char in value:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if char in ",;" and depth <= 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [p.strip(" .") for p in parts if p.strip(" .")]
