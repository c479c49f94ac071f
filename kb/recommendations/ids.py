"""Recommendation ids and the references documents print.

A record's id is the global id a document prints ("AB-2020-P01", "PT-2021-FA2-3") or, when
the documents print none, "<dtp_id>/<label>" made from the DTP and the printed label
("PT-2022/preconisation-3" for "Préconisation n°3", "PT-2022/action-2.1" for "Action 2.1").
A reference a document makes to another DTP's recommendation in prose ("prolonge la
préconisation n°5 du DTP de 2019") is kept as "?2019/preconisation-5" until the records are
read together (`kb.recommendations.merge.resolve_references`).
"""

from __future__ import annotations

import re

from kb import domain
from kb.domain import Label
from kb.text import fold

_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
# How far after a takes-up cue a label may stand, and after the label its DTP's year.
_CUE_REACH = 80
_YEAR_REACH = 60


def id_pattern() -> re.Pattern[str]:
    """Global ids "<DTP>-<YYYY>-<number>" (group 1 the DTP, group 2 the number)."""
    return domain.profile().global_id


def ids_in(text: str) -> list[str]:
    """Every global recommendation id written in `text`, in order."""
    return domain.global_ids(text)


def is_global(rec_id: str) -> bool:
    return id_pattern().fullmatch(rec_id) is not None


def record_id(ref: str, dtp_id: str) -> str:
    """The record id of a reference read in a document of `dtp_id`."""
    if is_global(ref) or ref.startswith("?") or "/" in ref:
        return ref
    return f"{dtp_id}/{ref}"


def dtp_of(rec_id: str) -> str:
    """'PT-2021-FA2-3' -> 'PT-2021'; 'PT-2022/preconisation-3' -> 'PT-2022'."""
    match = id_pattern().fullmatch(rec_id)
    if match:
        return match.group(1)
    if "/" in rec_id:
        return rec_id.rsplit("/", 1)[0]
    return rec_id.rsplit("-", 1)[0]


def year_of(dtp_id: str) -> int | None:
    match = _YEAR.search(dtp_id)
    return int(match.group(0)) if match else None


def number_of(rec_id: str) -> str:
    """'AB-2020-P05' -> 'P05'; 'PT-2022/preconisation-3' -> 'preconisation-3'."""
    match = id_pattern().fullmatch(rec_id)
    if match:
        return match.group(2)
    return rec_id.rsplit("/", 1)[-1]


def shown(rec_id: str) -> str:
    """How an answer names a record: its global id, or its label as documents print it."""
    if is_global(rec_id) or "/" not in rec_id:
        return rec_id
    return domain.label_text(number_of(rec_id), domain.profile())


def question_numbers(text: str) -> list[str]:
    """The record numbers a question names, in every form a record id may carry them:
    "préconisation n°3" -> 'preconisation-3' and 'P03'; "FA 2-3" -> 'fiche-action-2.3', 'FA2-3'."""
    out: list[str] = []
    # A number as global ids end ("P5", "FA2-3"), written alone.
    for prefix, number in re.findall(r"\b([A-Z]{1,3})(\d{1,3}(?:-\d{1,3})?)\b", text):
        out.append(f"{prefix}{int(number):02d}" if number.isdigit() else f"{prefix}{number}")
    for label in domain.labels(text):
        out += [label.slug, *global_numbers(label.slug)]
    return list(dict.fromkeys(out))


def global_numbers(slug: str) -> list[str]:
    """How a global id may end for a label: 'preconisation-3' -> ['P03', 'P3'],
    'fiche-action-2.3' -> ['FA2-3']."""
    key, _, n = slug.rpartition("-")
    parts = n.split(".")
    if not all(p.isdigit() for p in parts):
        return []
    letters = "".join(word[0] for word in key.split("-")).upper()
    if len(parts) == 1:
        return [f"{letters[:1]}{int(parts[0]):02d}", f"{letters[:1]}{int(parts[0])}"]
    return [f"{letters}{'-'.join(parts)}"]


def heading_ref(line: str) -> tuple[str, str] | None:
    """(reference, title) when a line opens a recommendation: "<id> — <title>",
    "Préconisation n°3 : <title>", "Action 2.1 – <title>", or the label alone (title next)."""
    text = line.strip().lstrip("#*•\uf0b7-–— \t").strip()
    match = id_pattern().match(text)
    if match:
        rest = text[match.end() :]
        sep = re.match(r"\s*[—–:.-]\s*(\S.*)", rest, re.DOTALL)
        return (match.group(0), sep.group(1).strip()) if sep else None
    found = domain.labels(text[:60])
    if not found or found[0].start != 0:
        return None
    label = found[0]
    rest = text[label.end :]
    sep = re.match(r"\s*[—–:.)-]\s*(\S.*)", rest, re.DOTALL)
    if sep:
        return label.slug, sep.group(1).strip()
    if not rest.strip(" *:"):
        return label.slug, ""
    return None


def row_ref(cells: list[tuple[str, str | None, str]], scheme: str) -> str | None:
    """The recommendation a table row states: the first cell holding exactly one global id or
    opening on a label; else a bare number under a number column ("N°" -> `scheme`-N).
    `cells` are (header, field of the header, value)."""
    for _header, field, value in cells:
        if field == "takes_up":
            continue
        found = set(ids_in(value))
        if len(found) == 1 and (value.strip().startswith(("FA", *found)) or len(value) < 40):
            return found.pop()
        ref = heading_ref(value.splitlines()[0] if value.strip() else "")
        if ref and field in ("label", "title", None):
            return ref[0]
    # A bare number: of the scheme a header of the row names ("N°", "Préconisation"), else
    # of the scheme the document uses.
    named = [label.key for header, _, _ in cells for label in domain.labels(f"{header} 1")]
    for _header, field, value in cells:
        bare = re.fullmatch(r"\s*[A-Za-z]{0,3}\s*(\d{1,2}(?:[.-]\d{1,2}){0,2})\s*", value)
        if field == "label" and bare:
            number = ".".join(str(int(p)) for p in re.split(r"[.-]", bare.group(1)))
            return f"{named[0] if named else scheme}-{number}"
    return None


def prose_refs(text: str) -> list[str]:
    """Recommendations a passage says it takes up ("prolonge la préconisation n°5 du DTP de
    2019", "reprend AB-2020-P11"), as global ids or "?<year>/<label>" references."""
    refs: list[str] = []
    folded = fold(text)
    cues = domain.profile().takes_up_cues
    passive = domain.profile().data["takes_up_passive"]
    for cue in cues.finditer(folded):
        after = re.match(r"\w*\s+(\w+)", folded[cue.end() :])
        if after and after.group(1) in passive:
            continue
        window = text[cue.end() : cue.end() + _CUE_REACH]
        refs += ids_in(window)
        for label in domain.labels(window):
            after = window[label.end : label.end + _YEAR_REACH]
            year = _YEAR.search(after.split(".")[0])
            refs.append(f"?{year.group(0) if year else ''}/{label.slug}")
    return list(dict.fromkeys(refs))


def dominant_scheme(text: str) -> str:
    """The numbering scheme a document uses most ("preconisation" when it prints none)."""
    counts: dict[str, int] = {}
    for label in domain.labels(text):
        counts[label.key] = counts.get(label.key, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else "preconisation"


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


__all__ = ["Label", "dtp_of", "ids_in", "number_of", "record_id", "shown", "split_list"]
