"""Re-render the sample corpus from corpus/src into corpus/docs, then the ground-truth CSVs.

Usage: .venv/bin/python corpus/render.py [--only SUBSTRING] [--out DIR]

The output is deterministic (fixed dates and metadata): re-rendering an unchanged source
gives byte-identical files. `--out` renders elsewhere (tests compare it with corpus/).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from pathlib import Path

CORPUS = Path(__file__).resolve().parent
sys.path.insert(0, str(CORPUS))

from rendering.blocks import Block  # noqa: E402
from rendering.data import CorpusData, load_data  # noqa: E402
from rendering.expand import expand  # noqa: E402
from rendering.office import render_docx  # noqa: E402
from rendering.outputs import write_manifest, write_recommendations, write_territories  # noqa: E402
from rendering.pdf_layout import render_pdf  # noqa: E402
from rendering.sheets import render_csv, render_xlsx  # noqa: E402
from rendering.source import Source, discover  # noqa: E402
from rendering.web import render_html, render_md  # noqa: E402

log = logging.getLogger("corpus.render")
Writer = Callable[[Source, list[Block], Path], None]
WRITERS: dict[str, Writer] = {
    "pdf": render_pdf,
    "docx": render_docx,
    "html": render_html,
    "md": render_md,
}


def render_one(source: Source, data: CorpusData, docs: Path) -> Path:
    out = docs / source.output
    out.parent.mkdir(parents=True, exist_ok=True)
    if source.format == "csv":
        render_csv(source, data, out)
    elif source.format == "xlsx":
        render_xlsx(source, data, out)
    else:
        WRITERS[source.format](source, expand(source.blocks, data, source.date), out)
    log.info("rendered %s", out)
    return out


def remove_stale(docs: Path, produced: set[Path]) -> None:
    """Delete rendered files whose source is gone, so docs/ mirrors src/ exactly."""
    for path in sorted(docs.rglob("*")):
        if path.is_file() and path not in produced:
            log.info("removing stale %s", path)
            path.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help="render only sources whose output contains this text")
    parser.add_argument("--out", type=Path, default=CORPUS, help="output root (default corpus/)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    root: Path = args.out
    docs = root / "docs"
    data = load_data(CORPUS / "src" / "data")
    sources = discover(CORPUS / "src")
    chosen = [s for s in sources if not args.only or args.only in s.output]
    produced = {render_one(source, data, docs) for source in chosen}
    if not args.only:
        remove_stale(docs, produced)
    write_manifest(sources, root / "manifest.csv")
    write_territories(data, root / "territories.csv")
    write_recommendations(data, docs, root / "recommendations.csv")
    log.info("%d documents, %d recommendations", len(sources), len(data.recommendations))
    return 0


if __name__ == "__main__":
    sys.exit(main())
