"""Generate the second test corpus: Word documents exported to PDF by LibreOffice.

    python corpus/other/make.py            # documents, then truth/ and questions.jsonl
    python corpus/other/make.py --truth    # only truth/ and questions.jsonl (no LibreOffice)

DOCX are written with python-docx into corpus/other/build/ (not committed) and converted in
one `soffice --headless --convert-to pdf` call; the PDFs, the DOCX-only documents and the
trackers (XLSX, CSV) go to corpus/other/docs/.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import sa_docs  # noqa: E402
import sa_livret_2019  # noqa: E402
import sa_livret_2023  # noqa: E402
import sa_plan  # noqa: E402
import sm_docs  # noqa: E402
import sm_livret  # noqa: E402
import sm_roadmap  # noqa: E402
import trackers  # noqa: E402
import truth  # noqa: E402

log = logging.getLogger("corpus-other")
DOCS = HERE / "docs"
BUILD = HERE / "build"

# Relative path under docs/ -> builder. A .pdf target is built as DOCX and converted.
DOCUMENTS: dict[str, Callable[[Path], None]] = {
    "sante_mentale/DTP_SM_Vaudrenne_livret_juin2022.pdf": sm_livret.build,
    "sante_mentale/Note_methodologique_DTP_SM_v3.pdf": sm_docs.note_methodologique,
    "sante_mentale/CR_GT5_enfants_adolescents_2022.docx": sm_docs.fiche_synthese_gt5,
    "sante_mentale/PTSM_Vaudrenne_feuille_de_route_actualisee_janv2024.pdf": sm_roadmap.feuille_de_route,
    "sante_mentale/Bilan_mise_en_oeuvre_DTP_SM_2024.pdf": sm_docs.bilan_2024,
    "sante_mentale/Tableau_suivi_preconisations_SM_2024.xlsx": trackers.sm_tracker,
    "sans_abrisme/Diagnostic_360_Haute-Ornelle_2019.pdf": sa_livret_2019.build,
    "sans_abrisme/Note_cadrage_diagnostic_360_fevrier2019.docx": sa_docs.note_cadrage_2019,
    "sans_abrisme/suivi_preconisations_DTP360_2019_maj_2022.csv": trackers.sa_csv,
    "sans_abrisme/Diagnostic_360_Haute-Ornelle_actualisation_2023.pdf": sa_livret_2023.build,
    "sans_abrisme/Synthese_atelier1_sorties_institutions_2023.pdf": sa_docs.fiche_synthese_2023,
    "sans_abrisme/Plan_actions_2024-2026_diagnostic_360.pdf": sa_plan.build,
    "sans_abrisme/Point_etape_preconisations_mai2024.pdf": sa_docs.point_etape_2024,
}


def build_documents() -> None:
    if BUILD.exists():
        shutil.rmtree(BUILD)
    to_convert: list[tuple[Path, Path]] = []
    for relative, builder in DOCUMENTS.items():
        target = DOCS / relative
        if target.suffix == ".pdf":
            source = BUILD / target.with_suffix(".docx").name
            builder(source)
            to_convert.append((source, target))
        else:
            builder(target)
        log.info("built %s", relative)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("soffice not found: apt-get install -y libreoffice-writer-nogui")
    out = BUILD / "pdf"
    # One LibreOffice start for every document: each start costs seconds of CPU.
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(out)]
        + [str(source) for source, _ in to_convert],
        check=True,
        capture_output=True,
    )
    for source, target in to_convert:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(fixed_pdf((out / source.with_suffix(".pdf").name).read_bytes()))


def fixed_pdf(data: bytes) -> bytes:
    """Replace LibreOffice's conversion time and random ids by fixed values of the same length,
    so that the xref offsets stay valid and unchanged sources give identical bytes."""
    data = re.sub(
        rb"/CreationDate\(D:\d{14}[^)]*\)",
        lambda m: b"/CreationDate(D:20240101000000Z" + b"'" * (len(m.group(0)) - 32) + b")",
        data,
    )
    body = re.sub(rb"<[0-9A-F]{32}>|/DocChecksum /[0-9A-F]{32}", b"", data)
    digest = hashlib.md5(body).hexdigest().upper().encode()
    data = re.sub(
        rb"(/ID \[ <)[0-9A-F]{32}(>\s*<)[0-9A-F]{32}(>)",
        rb"\g<1>" + digest + rb"\g<2>" + digest + rb"\g<3>",
        data,
    )
    return re.sub(rb"/DocChecksum /[0-9A-F]{32}", b"/DocChecksum /" + digest, data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--truth", action="store_true", help="only rewrite truth/ and questions")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if not args.truth:
        build_documents()
    truth.write_all(HERE, DOCUMENTS)


if __name__ == "__main__":
    main()
