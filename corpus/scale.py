"""Write a large synthetic corpus, OUTSIDE the git tree, for benchmarks.

Usage: .venv/bin/python corpus/scale.py --pages 10000 --out /tmp/dtp-scale [--workers 2] [--seed 0]

The world's own PDF sources (corpus/src, directives expanded) are the templates. The
generator invents fictional régions (names, départements, towns, establishments, people,
DTP ids) and, for each région, re-issues every template under the new names, with
shifted years, rescaled figures and, for livrets, chapters recombined from other livrets
of the same theme. Documents are rendered as PDF by the corpus's own writer (fiction
notice on every page) in a pool of worker processes, and the run stops at the first
document that brings the total to --pages or more. It writes, under --out:

- docs/<theme>/<dtp_id>_<doc_type>_<n>.pdf
- manifest.csv (same columns as corpus/manifest.csv, plus `pages`)
- recommendations.csv (id, dtp_id, title, pilot, status_wording, precedent_id, source_path)
- territories.csv (régions and départements of the synthetic world)

Output is deterministic for a given --seed and --pages (whatever the number of workers).
Fast path: the fonts are registered once in the parent before the workers fork, each
document is built in a single pass (no table of contents, hence no second layout pass),
and the templates are parsed and expanded once.
"""

from __future__ import annotations

import argparse
import csv
import logging
import multiprocessing as mp
import random
import re
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parent
REPO = CORPUS.parent
sys.path.insert(0, str(CORPUS))

from rendering.blocks import (  # noqa: E402
    Block,
    Directive,
    Fields,
    Heading,
)
from rendering.data import load_data  # noqa: E402
from rendering.expand import expand  # noqa: E402
from rendering.invented import FICHE, Region, Rewriter, make_region  # noqa: E402
from rendering.outputs import MANIFEST_COLUMNS  # noqa: E402
from rendering.pdf import CorpusDoc  # noqa: E402
from rendering.pdf_layout import body, title_page  # noqa: E402
from rendering.pdf_styles import font_family, styles  # noqa: E402
from rendering.source import Source, discover  # noqa: E402

log = logging.getLogger("corpus.scale")


# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Template:
    source: Source
    blocks: list[Block]
    region_code: str  # R91 or R92: the home région of the template


def _load_templates() -> tuple[list[Template], dict[str, Any], dict[str, str]]:
    data = load_data(CORPUS / "src" / "data")
    world = data.world
    dep_region = {d["name"]: d["region"] for d in world["departements"]}
    region_code = {r["name"]: r["code"] for r in world["regions"]}
    templates = []
    dtp_region: dict[str, str] = {}
    for source in discover(CORPUS / "src"):
        territory = str(source.meta["territory"])
        home = region_code.get(territory) or dep_region.get(territory, "R91")
        dtp_region[str(source.meta["dtp_id"])] = home
        if source.format != "pdf":
            continue
        blocks = [
            b
            for b in expand(source.blocks, data, source.date)
            if not (isinstance(b, Directive) and b.name == "toc")
        ]
        templates.append(Template(source, blocks, home))
    return templates, world, dtp_region


def _chapters(blocks: list[Block]) -> list[list[Block]]:
    """Split a document into its '#' chapters (the part before the first one included)."""
    out: list[list[Block]] = [[]]
    for block in blocks:
        if isinstance(block, Heading) and block.level == 1:
            out.append([])
        out[-1].append(block)
    return out


# ---------------------------------------------------------------------------------------
_STATE: dict[str, Any] = {}


@dataclass(frozen=True)
class Job:
    number: int
    region: int
    template: int


def _plan(number: int, n_templates: int) -> Job:
    return Job(number, number // n_templates, number % n_templates)


def _region(index: int) -> Region:
    cache = _STATE.setdefault("regions", {})
    if index not in cache:
        abbrs = _STATE.setdefault("abbrs", set())
        # Régions are made in index order so their abbreviations are stable.
        for i in range(len(cache), index + 1):
            cache[i] = make_region(i, _STATE["seed"], _STATE["world"], abbrs)
    return cache[index]


def _compose(job: Job) -> tuple[Source, list[Block], dict[str, str]]:
    templates: list[Template] = _STATE["templates"]
    tpl = templates[job.template]
    region, neighbour = _region(job.region), _region(job.region + 1)
    rw = Rewriter(region, neighbour, tpl.region_code, _STATE["world"], _STATE["dtp_region"])
    rng = random.Random(f"{_STATE['seed']}:{job.number}")
    blocks = tpl.blocks
    meta = tpl.source.meta
    if meta["doc_type"] == "livret":
        siblings = [
            t
            for t in templates
            if t is not tpl
            and t.source.meta["doc_type"] == "livret"
            and t.source.meta["theme"] == meta["theme"]
        ]
        chapters = _chapters(blocks)
        if siblings:
            for i in range(1, len(chapters) - 1):  # keep the opening and the last chapter
                if rng.random() < 0.3:
                    other = _chapters(rng.choice(siblings).blocks)
                    if i < len(other) - 1:
                        chapters[i] = other[i]
        blocks = [b for chapter in chapters for b in chapter]
    new_blocks = [rw.block(b) for b in blocks]
    dtp_id = rw.dtp_id(str(meta["dtp_id"]))
    when: date = tpl.source.date
    when = when.replace(year=when.year + region.year_shift, day=min(when.day, 28))
    new_meta = dict(meta)
    new_meta.update(
        title=rw.text(str(meta["title"])),
        short_title=rw.text(str(meta.get("short_title", meta["title"]))),
        subtitle=rw.text(str(meta.get("subtitle", ""))),
        authors=rw.text(str(meta.get("authors", ""))),
        dtp_id=dtp_id,
        territory=rw.names.get(str(meta["territory"]), str(meta["territory"])),
        year=int(meta["year"]) + region.year_shift,
        date=when,
    )
    if meta["territory"] in ("Lisière-Océane", "Sud-Garance"):
        new_meta["territory"] = region.name
    stem = Path(tpl.source.output).stem.split("_", 1)[-1]
    new_meta["output"] = f"{meta['theme']}/{dtp_id}_{stem}_{job.number:05d}.pdf"
    source = Source(path=tpl.source.path, meta=new_meta, blocks=[])
    return source, new_blocks, new_meta


def _recommendations(blocks: list[Block], dtp_id: str, path: str) -> list[dict[str, str]]:
    rows = []
    for i, block in enumerate(blocks):
        if not (isinstance(block, Heading) and block.level == 3):
            continue
        match = FICHE.match(block.text)
        if not match or not match.group(1).startswith(dtp_id + "-"):
            continue
        fields = dict(blocks[i + 1].rows) if isinstance(blocks[i + 1], Fields) else {}
        rows.append(
            {
                "id": match.group(1),
                "dtp_id": dtp_id,
                "title": match.group(2),
                "pilot": fields.get("Pilote", ""),
                "status_wording": re.sub(r" \(\d\d/\d\d/\d{4}\)$", "", fields.get("Statut", "")),
                "precedent_id": fields.get("Reprend", ""),
                "source_path": path,
            }
        )
    return rows


def _build(out: Path, source: Source, blocks: list[Block]) -> CorpusDoc | None:
    for orientation in (source.meta.get("orientation"), "landscape"):
        source.meta["orientation"] = orientation
        doc = CorpusDoc(out, source)
        try:
            doc.build(title_page(source, doc.width) + body(source, blocks, doc.width))
            return doc
        except ValueError:  # a table whose columns cannot fit the frame
            continue
    out.unlink(missing_ok=True)
    return None


def _render(job: Job) -> dict[str, Any]:
    source, blocks, meta = _compose(job)
    out = _STATE["out"] / "docs" / source.output
    out.parent.mkdir(parents=True, exist_ok=True)
    doc = _build(out, source, blocks)
    if doc is None:  # renamed entities made a table too wide even in landscape: skip it
        return {"number": job.number, "row": None, "recs": []}
    path = f"docs/{source.output}"
    row = {
        "path": path,
        **{k: meta[k] for k in ("dtp_id", "theme", "territory", "year", "edition")},
        "doc_type": meta["doc_type"],
        "phase": meta["phase"],
        "format": "pdf",
        "title": meta["title"],
        "pages": doc.page,
    }
    return {
        "number": job.number,
        "row": row,
        "recs": _recommendations(blocks, meta["dtp_id"], path),
    }


# ---------------------------------------------------------------------------------------
def _prepare_out(out: Path) -> None:
    resolved = out.resolve()
    if resolved == REPO or REPO in resolved.parents:
        raise SystemExit(f"--out {out} is inside the git tree; write the scale corpus elsewhere")
    if resolved.exists() and any(resolved.iterdir()) and not (resolved / "manifest.csv").exists():
        raise SystemExit(f"--out {out} is not empty and holds no scale manifest; refusing")
    shutil.rmtree(resolved / "docs", ignore_errors=True)
    resolved.mkdir(parents=True, exist_ok=True)


def _write_csv(path: Path, rows: list[dict[str, Any]], columns: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _pages(result: dict[str, Any]) -> int:
    return int(result["row"]["pages"]) if result["row"] else 0


def generate(pages: int, out: Path, workers: int = 2, seed: int = 0) -> dict[str, Any]:
    """Render documents until `pages` PDF pages are written; return a summary."""
    start = time.perf_counter()
    _prepare_out(out)
    templates, world, dtp_region = _load_templates()
    _STATE.update(
        templates=templates, world=world, dtp_region=dtp_region, seed=seed, out=out.resolve()
    )
    font_family()  # register the fonts once, before forking
    styles()
    results: dict[int, dict[str, Any]] = {}
    done_pages = 0
    inflight_cap = max(2, workers * 3)
    context = mp.get_context("fork")
    with context.Pool(workers) as pool:
        pending: dict[int, Any] = {}
        number = 0
        while True:
            for k in [k for k, r in pending.items() if r.ready()]:
                results[k] = pending.pop(k).get()
                done_pages += _pages(results[k])
            # The corpus is the shortest prefix of documents 0..n-1 reaching the target, so
            # the output does not depend on the order in which the workers finish.
            prefix = 0
            for k in range(len(results)):
                if k not in results:
                    break
                prefix += _pages(results[k])
                if prefix >= pages:
                    break
            if prefix >= pages:
                break
            average = done_pages / len(results) if results else 10
            if not pending or (
                len(pending) < inflight_cap and done_pages + average * len(pending) < pages
            ):
                pending[number] = pool.apply_async(_render, (_plan(number, len(templates)),))
                number += 1
                continue
            next(iter(pending.values())).wait(0.05)
        for r in pending.values():
            r.wait()
            result = r.get()
            results[result["number"]] = result
    kept, total, skipped = [], 0, 0
    for k in sorted(results):
        if results[k]["row"] is None:
            skipped += 1
        elif total >= pages:
            (out / results[k]["row"]["path"]).unlink(missing_ok=True)
        else:
            kept.append(results[k])
            total += _pages(results[k])
    columns = [*MANIFEST_COLUMNS, "pages"]  # the corpus's own manifest, plus page counts
    _write_csv(out / "manifest.csv", [r["row"] for r in kept], columns)
    recs = [rec for r in kept for rec in r["recs"]]
    _write_csv(
        out / "recommendations.csv",
        recs,
        ["id", "dtp_id", "title", "pilot", "status_wording", "precedent_id", "source_path"],
    )
    regions = sorted({_plan(r["number"], len(templates)).region for r in kept})
    territory_rows: list[dict[str, Any]] = []
    for index in regions:
        region = _region(index)
        territory_rows.append(
            {"code": region.code, "name": region.name, "level": "region", "parent": ""}
        )
        for dep in region.deps:
            territory_rows.append(
                {
                    "code": dep["code"],
                    "name": dep["name"],
                    "level": "departement",
                    "parent": region.code,
                }
            )
    _write_csv(out / "territories.csv", territory_rows, ["code", "name", "level", "parent"])
    elapsed = time.perf_counter() - start
    return {
        "documents": len(kept),
        "skipped": skipped,
        "pages": total,
        "recommendations": len(recs),
        "regions": len(regions),
        "seconds": round(elapsed, 1),
        "pages_per_second": round(total / elapsed, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=10000, help="PDF pages to write (at least)")
    parser.add_argument("--out", type=Path, required=True, help="output folder, outside the repo")
    parser.add_argument("--workers", type=int, default=2, help="rendering processes (default 2)")
    parser.add_argument("--seed", type=int, default=0, help="variation seed (default 0)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    summary = generate(args.pages, args.out, args.workers, args.seed)
    log.info(
        "%(documents)d documents (%(skipped)d skipped), %(pages)d pages, "
        "%(recommendations)d recommendations, %(regions)d régions in %(seconds)ss "
        "(%(pages_per_second)s pages/s)",
        summary,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
