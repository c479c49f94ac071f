"""DTP metadata of a document: from a manifest when there is one, else read off the document.

Every document records how its metadata was found (`metadata_method`: `manifest`,
`front_matter` for Markdown, `inferred`, plus `+correction` when a person corrected it) and,
per facet, where each value came from (`metadata_sources`, JSON: "title", "cover", "filename",
"content", "derived", "linked", "manifest", "front_matter", "correction").

Inference prefers an empty facet to a wrong one: a territory must be named by a phrase or a
label ("Département de la Haute-Ornelle", "en Bretagne") on the title or cover, or
dominate the text; a year must be tied to the diagnostic; a `dtp_id` is printed by the
documents (record ids "AB-2020-P01") or derived from theme, territory and year
("SM-vaudrenne-2022"). Documents that do not print their DTP's year (a tracker, a
preparatory note, a group's minutes) get it from the other documents of the same theme and
territory (`link_dtps`).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from ingest.parsers import ParsedDocument
from kb.domain import doc_type_of, global_ids, phase_of, profile, theme_of
from kb.text import fold
from kb.types import MetaValue

FACETS = ("dtp_id", "theme", "territory", "year", "edition", "doc_type", "phase")
COVER = 1500  # characters of the first page read as its cover
CONTENT = 20000  # characters read for cue counts and territory votes

_YEAR = r"(?:19[89]\d|20[0-4]\d)"
# A year that is part of a period ("2023-2027") or a day's date ("31/12/2023", "30 juin
# 2024") says when a plan runs or a state was taken, not which diagnostic it is.
_RANGE = re.compile(rf"\b{_YEAR}\s*[-–/à]\s*(?:{_YEAR}|\d\d)\b|\b{_YEAR}(?=\s*[-–])")
_ANY_YEAR = re.compile(rf"(?<![\w/°-]){_YEAR}(?!\d)")
_DATE_YEAR = re.compile(rf"(?<![\w°-]){_YEAR}(?!\d)")  # "31/12/2023" too
_NAME = r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’]+(?:-[A-Za-zÀ-ÖØ-öø-ÿ'’]+)*"


# --- years -------------------------------------------------------------------------------
def _years(text: str, *, day_dates: bool = False) -> list[tuple[int, int]]:
    """(position, year) of the years in `text` outside periods (and day dates unless asked)."""
    masked = _RANGE.sub(lambda m: " " * len(m.group(0)), text)
    if not day_dates:
        masked = _day_date(id(profile())).sub(lambda m: " " * len(m.group(0)), masked)
    pattern = _DATE_YEAR if day_dates else _ANY_YEAR
    return [(m.start(), int(m.group(0))) for m in pattern.finditer(masked)]


@lru_cache(maxsize=4)
def _day_date(key: int) -> re.Pattern[str]:
    """A day's date in folded text: "31/12/2023", "30 juin 2024", "1er mars 2022"."""
    months = "|".join(re.escape(m) for m in profile().data["dtp_year"]["months"])
    return re.compile(rf"\b\d{{1,2}}(?:er)?(?:[/.]\d{{1,2}}[/.]|\s+(?:{months})\.?\s+){_YEAR}\b")


def tied_year(text: str) -> int | None:
    """The earliest year printed just after a word naming the diagnostic, in folded `text`.

    How the DTP's year is decided: a review, a tracker or a roadmap is dated later than its
    diagnostic ("Bilan 2024 du PTSM 2022"), so its own date is not the DTP's year; the year
    that follows a word naming the diagnostic ("DTP", "diagnostic ... (2022)", "préconisations
    de 2019") is, and when several do the earliest is the diagnostic's (the others name the
    state or the review: "diagnostic à 360° de 2019 — mise à jour au 31/12/2022").
    """
    p = profile().data["dtp_year"]
    cues = [m.end() for cue in p["cues"] for m in re.finditer(rf"\b{re.escape(cue)}", text)]
    found = [
        year
        for pos, year in _years(text)
        if any(0 <= pos - end <= int(p["window"]) for end in cues)
    ]
    return min(found) if found else None


def dated(text: str) -> int | None:
    """The year a document is dated: its cover's first year outside periods."""
    found = _years(text, day_dates=True)
    return found[0][1] if found else None


# --- territory ---------------------------------------------------------------------------
@lru_cache(maxsize=4)
def _territory_patterns(key: int) -> tuple[re.Pattern[str], frozenset[str]]:
    t = profile().territory
    intro = "|".join(re.escape(p) for p in t["phrases"])
    labels = "|".join(re.escape(x) for x in t["labels"])
    pattern = re.compile(
        rf"(?:(?i:\b(?:{intro}))\s*|(?:^|\n)\s*(?:{labels})\s*(?::\s*|\n\s*))({_NAME})",
        re.MULTILINE,
    )
    return pattern, frozenset(t["not_places"])


def _named(text: str) -> list[str]:
    """Place names introduced by a territory phrase or label in `text`."""
    pattern, not_places = _territory_patterns(id(profile()))
    names = []
    for match in pattern.finditer(text):
        name = match.group(1).rstrip("'’")
        if name in not_places or len(name) < 3:
            continue
        names.append(name)
    return names


def _count(name: str, text: str) -> int:
    return len(re.findall(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text))


def territory_of(heading: str, content: str) -> tuple[str | None, str]:
    """The territory a document is about and where it was read: named on the title or cover
    (the one the document repeats most), else dominating its content; None when unsure."""
    title = heading.partition("\n")[0]
    _, not_places = _territory_patterns(id(profile()))
    # A title also names its territory bare ("... Handicaps rares Occitanie"): a compound
    # place-like word of the title that the text repeats; and a title or cover heading often
    # ends on the territory alone ("Actualisation du diagnostic à 360° — Haute-Ornelle").
    bare = [
        n
        for n in re.findall(_NAME, title)
        if n not in not_places and "-" in n and _count(n, content) >= 2
    ]
    for line in heading.splitlines()[:4]:
        for part in re.split(r"\s+[—–|-]\s+", line.strip())[1:]:
            if re.fullmatch(_NAME, part) and part not in not_places:
                bare.append(part)
    on_cover = _named(heading) + bare
    if on_cover:
        best = max(dict.fromkeys(on_cover), key=lambda n: _count(n, content) + _count(n, heading))
        return best, "cover"
    t = profile().territory
    votes = Counter({n: _count(n, content) for n in set(_named(content))}).most_common(2)
    if not votes or votes[0][1] < int(t["content_min_hits"]):
        return None, ""
    if len(votes) > 1 and votes[0][1] < float(t["content_lead"]) * votes[1][1]:
        return None, ""
    return votes[0][0], "content"


# --- one document ------------------------------------------------------------------------
def _printed_dtp(text: str) -> str | None:
    """The DTP id a cover prints under a label ("Diagnostic : AB-2020"), else the one the
    document's record ids print most ("AB-2020" of "AB-2020-P01", at least twice)."""
    labels = "|".join(re.escape(x) for x in profile().data["dtp_year"]["id_labels"])
    labelled = re.search(
        rf"(?:^|\n|—)\s*(?:{labels})\s*(?::\s*|\n\s*)((?:[A-Z][A-Z0-9]{{0,9}}-)+(?:19|20)\d\d)\b",
        text[:COVER],
    )
    if labelled:
        return labelled.group(1)
    pattern = profile().global_id
    counts = Counter(m.group(1) for i in global_ids(text) if (m := pattern.match(i)))
    if not counts:
        return None
    dtp, n = counts.most_common(1)[0]
    return dtp if n >= 2 else None


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def derive_dtp_id(theme: str, territory: str, year: int) -> str | None:
    """ "<theme code>-<territory slug>-<year>", e.g. "SM-vaudrenne-2022"."""
    code = profile().territory["theme_codes"].get(theme)
    return f"{code}-{slug(territory)}-{year}" if code and slug(territory) else None


def _cover(parsed: ParsedDocument) -> str:
    """The first page's text before its first table row (a sheet's rows are no cover)."""
    if not parsed.pages:
        return ""
    page = parsed.pages[0]
    text = page.text
    row = next((b for b in page.blocks if b.kind == "row"), None)
    if row is not None and (at := text.find(row.text)) >= 0:
        text = text[:at]
    return text[:COVER]


def infer_metadata(parsed: ParsedDocument, path: Path | None = None) -> dict[str, MetaValue]:
    """Facets read off the title, cover, file name and content; only what is sure enough."""
    cover = _cover(parsed)
    filename = re.sub(r"[_]+", " ", path.stem) if path else ""
    content = parsed.text[:CONTENT]
    places = {"title": parsed.title, "cover": cover, "filename": filename}
    heading = f"{parsed.title}\n{cover}"
    meta: dict[str, MetaValue] = {}
    sources: dict[str, str] = {}

    def put(facet: str, value: MetaValue | None, source: str) -> None:
        if value is not None and value != "":
            meta[facet] = value
            sources[facet] = source

    theme = theme_of(parsed.title, content)
    put("theme", theme, "title" if theme and theme_of(parsed.title) == theme else "content")
    # The title and the cover's first lines name the type; the rest of the cover may quote
    # another ("la feuille de route", "le guide") in passing.
    doc_type = doc_type_of(f"{parsed.title}\n{filename}\n{cover[:300]}", cover)
    put("doc_type", doc_type, "title" if doc_type_of(parsed.title) == doc_type else "cover")
    if doc_type:
        put("phase", phase_of(doc_type), sources["doc_type"])
    territory, where = territory_of(heading, content)
    put("territory", territory, where)

    year_p = profile().data["dtp_year"]
    for source in ("title", "cover", "filename"):
        year = tied_year(fold(places[source]))
        if year is not None and ("year" not in meta or year < int(meta["year"])):
            put("year", year, source)
    own_date = dated(fold(heading))
    if "year" not in meta and doc_type in year_p["dated_by_cover"] and own_date:
        put("year", own_date, "cover")
    if own_date:
        meta["dated"] = own_date  # when the document itself was written: see link_dtps

    printed = _printed_dtp(parsed.text)
    if printed:
        # A printed id is the surest evidence of the DTP, its year included.
        put("dtp_id", printed, "content")
        put("year", int(printed[-4:]), "content")
    elif is_dtp(f"{heading}\n{filename}") and theme and territory and "year" in meta:
        put("dtp_id", derive_dtp_id(theme, territory, int(meta["year"])), "derived")
    if not is_dtp(f"{heading}\n{filename}") and "dtp_id" not in meta:
        # No diagnostic: its type, phase and year would describe a DTP document it is not.
        # Nor is a place it merely mentions often its territory.
        dropped = ["doc_type", "phase", "year"] + (["territory"] if where == "content" else [])
        for facet in dropped:
            meta.pop(facet, None)
            sources.pop(facet, None)
        meta["not_dtp"] = True
    meta["metadata_sources"] = json.dumps(sources, sort_keys=True)
    return meta


def is_dtp(text: str) -> bool:
    """Whether a title or cover presents the document as part of a diagnostic."""
    folded = fold(text)
    return any(
        re.search(rf"\b{re.escape(w)}", folded) for w in profile().data["dtp_year"]["dtp_words"]
    )


# --- documents of one DTP ----------------------------------------------------------------
def link_dtps(metas: Sequence[dict[str, MetaValue]]) -> list[dict[str, MetaValue]]:
    """Give each document the DTP its theme, territory and date tie it to.

    A DTP is known by a document that states its year (a livret, a review naming it). A
    document of the same theme and territory that does not is attached by its own date: a
    review, a tracker or a roadmap to the latest DTP not after it; a preparatory note or a
    working group's minutes to the earliest DTP not before it. A derived id gives way to a
    printed one for the same DTP (theme, territory, year), so all its documents share one.
    """
    metas = _share_within_dtps(metas)
    known: dict[tuple[str, str], dict[int, str]] = {}
    for meta in metas:
        key = (str(meta.get("theme", "")), str(meta.get("territory", "")))
        if all(key) and "year" in meta and "dtp_id" in meta:
            ids = known.setdefault(key, {})
            year, dtp_id = int(meta["year"]), str(meta["dtp_id"])
            if year not in ids or _source(meta, "dtp_id") != "derived":
                ids[year] = dtp_id
    linked = []
    for meta in metas:
        meta = dict(meta)
        key = (str(meta.get("theme", "")), str(meta.get("territory", "")))
        dtps = known.get(key, {}) if all(key) and not meta.get("not_dtp") else {}
        if "year" in meta and int(meta["year"]) in dtps:
            if (
                _source(meta, "dtp_id") in ("derived", "")
                and meta.get("dtp_id") != dtps[int(meta["year"])]
            ):
                _set(meta, "dtp_id", dtps[int(meta["year"])], "linked")
        elif "year" not in meta and dtps and "dated" in meta:
            on = int(meta["dated"])
            later = meta.get("doc_type") in profile().data["dtp_year"]["dated_after"]
            candidates = [y for y in dtps if (y <= on if later else y >= on)]
            if candidates:
                year = max(candidates) if later else min(candidates)
                _set(meta, "year", year, "linked")
                _set(meta, "dtp_id", dtps[year], "linked")
        linked.append(meta)
    return linked


def _share_within_dtps(metas: Sequence[dict[str, MetaValue]]) -> list[dict[str, MetaValue]]:
    """Documents printing the same DTP id take its theme and territory from those of them that
    state it on their title or cover (a tracker's rows name many places; its cover none)."""
    out = [dict(m) for m in metas]
    groups: dict[str, list[dict[str, MetaValue]]] = {}
    for meta in out:
        if meta.get("dtp_id") and _source(meta, "dtp_id") not in ("derived", "linked"):
            groups.setdefault(str(meta["dtp_id"]), []).append(meta)
    for members in groups.values():
        for facet in ("territory", "theme"):
            stated = Counter(
                m[facet] for m in members if facet in m and _source(m, facet) != "content"
            ).most_common(1)
            if not stated:
                continue
            for meta in members:
                if meta.get(facet) != stated[0][0] and _source(meta, facet) in ("content", ""):
                    _set(meta, facet, stated[0][0], "linked")
    return out


def _source(meta: dict[str, MetaValue], facet: str) -> str:
    return str(json.loads(str(meta.get("metadata_sources") or "{}")).get(facet, ""))


def _set(meta: dict[str, MetaValue], facet: str, value: MetaValue, source: str) -> None:
    meta[facet] = value
    sources = json.loads(str(meta.get("metadata_sources") or "{}"))
    sources[facet] = source
    meta["metadata_sources"] = json.dumps(sources, sort_keys=True)


# --- the metadata a document is indexed with ---------------------------------------------
def document_metadata(
    parsed: ParsedDocument,
    manifest: dict[str, MetaValue],
    correction: dict[str, MetaValue] | None = None,
    path: Path | None = None,
) -> dict[str, MetaValue]:
    """Manifest values first, then front matter, then inference; a person's correction last."""
    if manifest:
        meta = dict(manifest)
        meta["metadata_sources"] = json.dumps(
            {k: "manifest" for k in FACETS if k in manifest}, sort_keys=True
        )
    elif front := {k: v for k, v in parsed.metadata.items() if k in FACETS}:
        # Front matter states some facets; the others are still read off the document.
        meta = infer_metadata(parsed, path)
        for facet, value in front.items():
            _set(meta, facet, value, "front_matter")
        meta["metadata_method"] = "front_matter"
    else:
        meta = {**infer_metadata(parsed, path), "metadata_method": "inferred"}
    return apply_correction(meta, correction) if correction else meta


def apply_correction(
    meta: dict[str, MetaValue], correction: dict[str, MetaValue]
) -> dict[str, MetaValue]:
    """`meta` with a person's corrected facets over it (an empty value clears a facet)."""
    out = dict(meta)
    sources = json.loads(str(out.get("metadata_sources") or "{}"))
    for facet, value in correction.items():
        if value in ("", None):
            out.pop(facet, None)
        else:
            out[facet] = value
        sources[facet] = "correction"
    new_type = correction.get("doc_type") if "phase" not in correction else None
    if new_type and (phase := phase_of(str(new_type))):
        out["phase"], sources["phase"] = phase, "correction"
    if "dtp_id" not in correction and sources.get("dtp_id", "") in ("derived", "linked", ""):
        # A derived id follows the corrected facets it is made of (and goes with them).
        theme, territory, year = out.get("theme"), out.get("territory"), out.get("year")
        new_id = (
            derive_dtp_id(str(theme), str(territory), int(year))
            if theme and territory and year
            else None
        )
        if new_id:
            out["dtp_id"], sources["dtp_id"] = new_id, "derived"
        elif sources.get("dtp_id") == "derived":
            out.pop("dtp_id", None)
    method = str(out.get("metadata_method", "inferred")).split("+")[0]
    out["metadata_method"] = f"{method}+correction"
    out["metadata_sources"] = json.dumps(
        {k: v for k, v in sources.items() if k in out}, sort_keys=True
    )
    return out
