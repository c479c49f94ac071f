"""Recommendation records read from a parsed document's structure.

Two shapes carry recommendations: table rows whose "Header : value" context holds an id
(lists, reviews, trackers), and fiches, a "<id> — <title>" heading followed by labelled
fields (a key/value table, or label lines in running text). Headers are recognised by
their meaning (Pilote, Porteur, Statut au 30/06/2018...), never by a fixed layout.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ingest.parsers import Block, ParsedDocument
from ingest.record_fields import document_date, field_of, is_label, record_fields
from kb.domain import labels
from kb.knowledge import KnowledgeBase
from kb.recommendations.asof import named_period
from kb.recommendations.ids import (
    dominant_scheme,
    heading_ref,
    id_pattern,
    ids_in,
    prose_refs,
    record_id,
    row_ref,
)
from kb.recommendations.status import label, normalise, parse_date, split_wording
from kb.recommendations.types import Observation, SourceRef, StatusFact
from kb.text import analyze
from kb.types import Chunk, MetaValue

log = logging.getLogger(__name__)

_FACETS = ("dtp_id", "theme", "territory", "year", "edition", "doc_type", "phase")


def _row_pairs(context: str) -> list[tuple[str, str]]:
    pairs = []
    for line in context.splitlines():
        header, sep, value = line.partition(" : ")
        if sep:
            pairs.append((header.strip(), value.strip()))
    return pairs


def _label_lines(lines: Sequence[str]) -> list[tuple[str, str]]:
    """Fields of a fiche written as text: a label alone on its line, or 'Label : value'."""
    # A value keeps its line breaks, so that a status is read from its first line only.
    pairs: list[tuple[str, str]] = []
    for raw in lines:
        line = raw.strip().strip("|").strip()
        cells = [c.strip() for c in re.split(r"\s*\|\s*|\t", line) if c.strip()]
        head, sep, rest = line.partition(":")
        if _axis(line):  # "Axe 1 — Connaître et loger"
            pairs.append(("Axe", line))
        elif len(cells) == 2 and is_label(cells[0]):
            pairs.append((cells[0].strip(" *"), cells[1].strip(" *")))
        elif is_label(line):
            pairs.append((line.strip(" *:"), ""))
        elif sep and is_label(head):
            pairs.append((head.strip(" *"), rest.strip(" *")))
        elif pairs and line:
            header, value = pairs[-1]
            pairs[-1] = (header, f"{value}\n{line}".strip())
    return pairs


def _axis(line: str) -> bool:
    """A line opening on an axis number ("Axe 2 — Prévenir les ruptures")."""
    found = labels(line.strip()[:40], ("axis",))
    return bool(found) and found[0].start == 0


@dataclass
class _Unit:
    """A stretch of a page that may state one recommendation: a table row or a fiche."""

    text: str  # verbatim, the quote
    pairs: list[tuple[str, str]]
    heading: tuple[str, str] | None = None  # (reference, title) of a fiche opening here
    row: bool = False
    date: str | None = None  # the date its table speaks as of (a sheet's dated title or name)


def _units(block: Block) -> Iterator[_Unit]:
    """A row as one unit; a text block cut at each '<id> — <title>' line it holds."""
    if block.kind == "row":
        yield _Unit(
            block.text,
            _row_pairs(block.context),
            _section_heading(block),
            row=True,
            date=_table_date(block),
        )
        return
    lines = block.text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if heading_ref(line)]
    if not starts or starts[0] != 0:
        starts = [0, *starts]
    for n, first in enumerate(starts):
        segment = lines[first : starts[n + 1] if n + 1 < len(starts) else len(lines)]
        ref = heading_ref(segment[0])
        heading, body = None, segment
        if ref:
            title_lines = [ref[1]]
            body = segment[1:]
            while body and not is_label(body[0]) and len(title_lines) < 3:
                if heading_ref(body[0]) or is_label(body[0].partition(":")[0]) or _axis(body[0]):
                    break
                title_lines.append(body.pop(0))
            heading = (ref[0], " ".join(" ".join(title_lines).split()))
        yield _Unit("".join(segment).strip(), _label_lines(body), heading)


def _table_date(block: Block) -> str | None:
    """The date a row's table speaks as of: a dated title line above its header ("Suivi —
    mise à jour du 30/06/2024"), else its sheet's or section's name ("Suivi 2024")."""
    for line in block.context.splitlines():
        if " : " not in line and (when := parse_date(line)):
            return when
    return header_date(block.section.rsplit(" > ", 1)[-1]) if block.section else None


def _section_heading(block: Block) -> tuple[str, str] | None:
    """(reference, title) when the block's section is a fiche heading ('<id> — <title>')."""
    ref = heading_ref(block.section.rsplit(" > ", 1)[-1])
    return (ref[0], " ".join(ref[1].split())) if ref else None


@dataclass
class _Fiche:
    rec_id: str
    title: str
    page: int
    seen: set[str]


def _observation(
    rec_id: str,
    pairs: Sequence[tuple[str, str]],
    ref: SourceRef,
    doc: dict[str, MetaValue],
    doc_date: str | None,
    heading_title: str = "",
) -> Observation | None:
    fields: dict[str, str] = {}
    takes_up: list[str] = []
    status: StatusFact | None = None
    status_date: str | None = None
    for header, raw in pairs:
        name = field_of(header)
        value = " ".join(raw.split())
        if not value:
            continue
        if rec_id in value and id_pattern().search(value):
            rest = id_pattern().sub("", value, count=1).strip(" —–-:()")
            if rest and not re.fullmatch(r"FA\s?\d+-\d+", rest):
                fields.setdefault("short_title", rest)
            continue
        if name == "takes_up":
            takes_up += [i for i in ids_in(value) or prose_refs(f"reprend {value}") if i != rec_id]
        elif name == "status_date":
            status_date = parse_date(value)
        elif name == "status":
            wording, when = split_wording(raw.strip().splitlines()[0])
            normalised = normalise(wording)
            when = when or header_date(header)
            # Several status columns ("Statut 2021", "Avancement au 31/12/2022"): the latest.
            if normalised and not (status and status.date and when and status.date > when):
                status = StatusFact(
                    status=normalised,
                    status_label=label(normalised),
                    wording=wording,
                    date=when,
                    source=ref.source,
                    page=ref.page,
                    quote=ref.quote,
                    document_id=ref.document_id,
                    title=ref.title,
                )
        elif name and name not in fields:
            fields[name] = value
    if heading_title:
        fields.setdefault("title", heading_title)
    if status and not status.date:
        status.date = status_date or doc_date
    if not status and not (set(fields) & record_fields()) and not takes_up:
        return None
    return Observation(
        rec_id=rec_id, source=ref, fields=fields, takes_up=takes_up, status=status, doc=doc
    )


def header_date(header: str) -> str | None:
    """The date a column header dates its values at: "au 31/12/2022", "(janvier 2024)" (its
    last day), "2021" (its last day)."""
    if when := parse_date(header):
        return when
    if period := named_period(header):
        return period.end
    years = re.findall(r"\b(?:19|20)\d{2}\b", header)
    return f"{years[-1]}-12-31" if years else None


def _row_ref(pairs: Sequence[tuple[str, str]], scheme: str) -> str | None:
    """The recommendation a row states: by its number, else (a review listing titles only)
    by its title, matched to a numbered record of the same DTP when the records are read."""
    cells = [(h, field_of(h), v) for h, v in pairs]
    ref = row_ref(cells, scheme)
    if ref:
        return ref
    fields = {f: v for _, f, v in cells if f}
    title = fields.get("title", "")
    if len(title.split()) >= 3 and {"status", "pilot"} & set(fields):
        return "~" + "-".join(analyze(title))[:80]
    return None


def _own_refs(rec_id: str, refs: list[str], year: object) -> list[str]:
    """The references of a passage but the record's own number ("?2022/preconisation-3" in
    the 2022 fiche of préconisation n°3 is itself)."""
    own = rec_id.rsplit("/", 1)[-1]
    out = []
    for ref in refs:
        when, _, slug = ref[1:].partition("/")
        if ref == rec_id or (ref.startswith("?") and slug == own and when in ("", str(year))):
            continue
        out.append(ref)
    return out


def _heading_status(title: str) -> str | None:
    """A "heading" whose title is a status ("Préconisation n°3 : non atteint")."""
    return title if len(title.split()) <= 8 and normalise(title) else None


def extract_recommendations(
    parsed: ParsedDocument, source: str, document_id: str, metadata: dict[str, MetaValue]
) -> list[Observation]:
    """What the document says about each recommendation, with its page and verbatim quote."""
    merged = {**parsed.metadata, **metadata}
    doc = {key: merged[key] for key in _FACETS if key in merged}
    dtp_id = str(doc.get("dtp_id") or f"doc-{document_id[:8]}")
    doc_date = document_date(parsed)
    scheme = dominant_scheme(parsed.text)
    found: list[Observation] = []
    fiche: _Fiche | None = None
    for page in parsed.pages:
        for block in page.blocks:
            for unit in _units(block):
                heading = unit.heading
                if heading:
                    heading = (record_id(heading[0], dtp_id), heading[1])
                    if fiche is None or fiche.rec_id != heading[0]:
                        fiche = _Fiche(*heading, page=page.number, seen=set())
                # A row under a fiche's heading is a field of that fiche (a key/value table);
                # other rows name their recommendation in a cell.
                ref = (unit.heading or (None,))[0] or _row_ref(unit.pairs, scheme)
                ref = ref if unit.row else None
                rec_id = record_id(ref, dtp_id) if ref else None
                title = ""
                pairs = unit.pairs
                if rec_id is None and fiche and page.number - fiche.page <= 1:
                    labels = {str(field_of(h)) for h, _ in unit.pairs} - {"None"}
                    # A fiche's fields: right after its heading, or continued on the next page.
                    if labels & record_fields() and not labels & fiche.seen:
                        rec_id, title = fiche.rec_id, fiche.title
                        fiche.seen |= labels
                    elif heading and not unit.row:
                        # A numbered recommendation in running text: its title, or its status.
                        rec_id, title = heading
                        if said := _heading_status(title):
                            pairs, title = [("Statut", said), *pairs], ""
                elif rec_id and fiche and rec_id == fiche.rec_id:
                    title = fiche.title
                if rec_id is None:
                    continue
                quote = SourceRef(
                    source=source,
                    page=page.number,
                    quote=unit.text,
                    document_id=document_id,
                    title=parsed.title,
                )
                observation = _observation(rec_id, pairs, quote, doc, unit.date or doc_date, title)
                if observation is None and title and heading and not unit.row:
                    observation = Observation(
                        rec_id=rec_id, source=quote, fields={"title": title}, doc=doc
                    )
                if observation:
                    refs = _own_refs(rec_id, prose_refs(unit.text), doc.get("year"))
                    observation.takes_up = list(dict.fromkeys([*observation.takes_up, *refs]))
                    found.append(observation)
    log.info("%s: %d recommendation statements", source, len(found))
    return found


def _squash(text: str) -> str:
    return " ".join(text.split())


def link_chunks(observations: list[Observation], chunks: Sequence[Chunk]) -> list[Observation]:
    """Point each source and status at the indexed chunk holding its quote (for citations)."""
    # When the chunker cut a long fiche, the quote narrows to the piece holding the id (for
    # the source) or the status wording (for the status): still verbatim on the page.
    by_page: dict[tuple[str, int], list[Chunk]] = {}
    for chunk in chunks:
        by_page.setdefault((chunk.source, chunk.page), []).append(chunk)
    for obs in observations:
        candidates = by_page.get((obs.source.source, obs.source.page), [])
        whole = next((c for c in candidates if obs.source.quote in c.text), None)
        pieces = [c for c in candidates if c.text.strip() and c.text.strip() in obs.source.quote]
        if whole is None and not pieces:
            log.debug("no chunk holds the quote of %s on page %d", obs.rec_id, obs.source.page)
            continue
        source_piece = whole or pieces[0]
        obs.source.chunk_id = source_piece.chunk_id
        if whole is None:
            obs.source.quote = source_piece.text.strip()
        if obs.status:
            wording = _squash(obs.status.wording)
            status_piece = whole or next(
                (c for c in reversed(pieces) if wording in _squash(c.text)), pieces[-1]
            )
            obs.status.chunk_id = status_piece.chunk_id
            if whole is None:
                obs.status.quote = status_piece.text.strip()
    return observations


def index_recommendations(
    kb: KnowledgeBase,
    parsed: ParsedDocument,
    source: str,
    document_id: str,
    metadata: dict[str, MetaValue],
    chunks: Sequence[Chunk],
) -> int:
    """Extract the document's recommendations and store them; returns the records touched."""
    observations = extract_recommendations(parsed, source, document_id, metadata)
    return kb.recommendations.replace_source(source, link_chunks(observations, chunks))
