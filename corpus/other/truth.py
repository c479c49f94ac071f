"""Ground truth of the second corpus, located in the generated files themselves.

Writes truth/facets.csv, truth/records.csv and questions.jsonl. Pages are found by reading
the committed files (pypdf for PDFs; DOCX = one page per explicit page break, XLSX = one page
per sheet, CSV = one page), so a layout change moves the truth with it, and a sentence that
is no longer where the truth says fails loudly.
"""

from __future__ import annotations

import csv
import json
import re
from functools import cache
from pathlib import Path

import questions_data
import sa_data
import sa_plan
import sm_data

SPACES = re.compile(r"\s+")
WRAPPED = re.compile(r"(?<=\w)- (?=\w)")

# path under docs/ -> (dtp, theme, territory, year of the DTP, doc_type, phase, date of the
# document itself as printed on it, YYYY-MM)
# fmt: off
FACETS = {
    "sante_mentale/DTP_SM_Vaudrenne_livret_juin2022.pdf": ("sm-2022", "sante_mentale", "Vaudrenne", 2022, "livret", "restitution", "2022-06"),
    "sante_mentale/Note_methodologique_DTP_SM_v3.pdf": ("sm-2022", "sante_mentale", "Vaudrenne", 2022, "guide", "cadrage", "2021-10"),
    "sante_mentale/CR_GT5_enfants_adolescents_2022.docx": ("sm-2022", "sante_mentale", "Vaudrenne", 2022, "fiche_synthese", "concertation", "2022-03"),
    "sante_mentale/PTSM_Vaudrenne_feuille_de_route_actualisee_janv2024.pdf": ("sm-2022", "sante_mentale", "Vaudrenne", 2022, "feuille_de_route", "restitution", "2024-01"),
    "sante_mentale/Bilan_mise_en_oeuvre_DTP_SM_2024.pdf": ("sm-2022", "sante_mentale", "Vaudrenne", 2022, "bilan_mise_en_oeuvre", "mise_en_oeuvre", "2024-07"),
    "sante_mentale/Tableau_suivi_preconisations_SM_2024.xlsx": ("sm-2022", "sante_mentale", "Vaudrenne", 2022, "bilan_mise_en_oeuvre", "mise_en_oeuvre", "2024-06"),
    "sans_abrisme/Diagnostic_360_Haute-Ornelle_2019.pdf": ("sa-2019", "sans_abrisme", "Haute-Ornelle", 2019, "livret", "restitution", "2019-11"),
    "sans_abrisme/Note_cadrage_diagnostic_360_fevrier2019.docx": ("sa-2019", "sans_abrisme", "Haute-Ornelle", 2019, "guide", "cadrage", "2019-02"),
    "sans_abrisme/suivi_preconisations_DTP360_2019_maj_2022.csv": ("sa-2019", "sans_abrisme", "Haute-Ornelle", 2019, "bilan_mise_en_oeuvre", "mise_en_oeuvre", "2022-12"),
    "sans_abrisme/Diagnostic_360_Haute-Ornelle_actualisation_2023.pdf": ("sa-2023", "sans_abrisme", "Haute-Ornelle", 2023, "livret", "restitution", "2023-10"),
    "sans_abrisme/Synthese_atelier1_sorties_institutions_2023.pdf": ("sa-2023", "sans_abrisme", "Haute-Ornelle", 2023, "fiche_synthese", "concertation", "2023-05"),
    "sans_abrisme/Plan_actions_2024-2026_diagnostic_360.pdf": ("sa-2023", "sans_abrisme", "Haute-Ornelle", 2023, "feuille_de_route", "restitution", "2024-02"),
    "sans_abrisme/Point_etape_preconisations_mai2024.pdf": ("sa-2023", "sans_abrisme", "Haute-Ornelle", 2023, "bilan_mise_en_oeuvre", "mise_en_oeuvre", "2024-06"),
}
# fmt: on

SM_LIVRET = "docs/sante_mentale/DTP_SM_Vaudrenne_livret_juin2022.pdf"
SM_FDR = "docs/sante_mentale/PTSM_Vaudrenne_feuille_de_route_actualisee_janv2024.pdf"
SM_BILAN = "docs/sante_mentale/Bilan_mise_en_oeuvre_DTP_SM_2024.pdf"
SA_2019 = "docs/sans_abrisme/Diagnostic_360_Haute-Ornelle_2019.pdf"
SA_CSV = "docs/sans_abrisme/suivi_preconisations_DTP360_2019_maj_2022.csv"
SA_2023 = "docs/sans_abrisme/Diagnostic_360_Haute-Ornelle_actualisation_2023.pdf"
SA_ETAPE = "docs/sans_abrisme/Point_etape_preconisations_mai2024.pdf"
SA_PLAN = "docs/sans_abrisme/Plan_actions_2024-2026_diagnostic_360.pdf"


def norm(text: str) -> str:
    """Text as compared: no-break spaces are spaces, runs of white space are one space."""
    return SPACES.sub(" ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


@cache
def pages(path: Path) -> tuple[str, ...]:
    """The normalised text of each page of a document, as the knowledge base pages it."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from pypdf import PdfReader

        return tuple(norm(p.extract_text() or "") for p in PdfReader(path).pages)
    if suffix == ".docx":
        from docx import Document

        doc = Document(str(path))
        texts = [p.text for p in doc.paragraphs]
        texts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
        return (norm(" ".join(texts)),)
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True)
        return tuple(
            norm(
                " ".join(
                    str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None
                )
            )
            for ws in wb.worksheets
        )
    if suffix == ".csv":
        return (norm(path.read_bytes().decode("cp1252").replace(";", " ")),)
    raise ValueError(f"no reader for {path}")


def find(root: Path, source: str, needle: str) -> list[int]:
    """1-based pages of `source` whose text contains `needle`."""
    needle = norm(needle)
    return [i for i, text in enumerate(pages(root / source), start=1) if needle in text]


def unwrap(text: str) -> str:
    """Undo a line break after a hyphen ("psychiatrie- précarité"), to locate long titles."""
    return WRAPPED.sub("-", norm(text))


def find_after(root: Path, source: str, anchor: str, needle: str) -> int:
    """The page of the first `needle` after `anchor` (a record whose fields run over a page)."""
    texts = [unwrap(text) for text in pages(root / source)]
    joined, starts = "", []
    for text in texts:
        starts.append(len(joined))
        joined += text + " "
    at = joined.index(unwrap(anchor))
    at = joined.index(unwrap(needle), at)
    return max(i for i, s in enumerate(starts, start=1) if s <= at)


def only(root: Path, source: str, needle: str) -> int:
    """The one page of `source` that contains `needle` (a record's title, maybe hyphen-wrapped)."""
    texts = pages(root / source)
    found = [i for i, text in enumerate(texts, start=1) if unwrap(needle) in unwrap(text)]
    if len(found) != 1:
        raise ValueError(f"{source}: {needle!r} found on pages {found}, expected exactly one")
    return found[0]


def _records(root: Path) -> list[dict[str, object]]:
    rows = []
    for n, title, pilot, _, _ in sm_data.PRECONISATIONS:
        wording, status, _ = sm_data.BILAN_2024[n]
        anchor = f"Préconisation n° {n} — {title}"
        rows.append(
            dict(dtp=sm_data.DTP, label=f"Préconisation n°{n}", title=title, pilot=pilot,
                 latest_status=status, latest_status_date=sm_data.BILAN_DATE, latest_status_wording=wording,
                 source_path=SM_LIVRET, source_page=only(root, SM_LIVRET, f"Préconisation n°{n} — {title}"),
                 takes_up="", status_source_path=SM_BILAN,
                 status_source_page=find_after(root, SM_BILAN, anchor, f"Niveau de réalisation : {wording}"))
        )  # fmt: skip
    for label, title, _, pilot, _, _, _, wording, status in sm_data.ACTIONS:
        anchor = f"{label} — {title}"
        rows.append(
            dict(dtp=sm_data.DTP, label=label, title=title, pilot=pilot, latest_status=status,
                 latest_status_date=sm_data.ACTIONS_DATE, latest_status_wording=wording,
                 source_path=SM_FDR, source_page=only(root, SM_FDR, anchor), takes_up="",
                 status_source_path=SM_FDR,
                 status_source_page=find_after(root, SM_FDR, anchor, f"Statut (janvier 2024) {wording}"))
        )  # fmt: skip
    for n, title, porteur, _ in sa_data.PRECONISATIONS_2019:
        _, wording, status, _ = sa_data.SUIVI_2019[n]
        rows.append(
            dict(dtp=sa_data.DTP_2019, label=f"Préconisation n°{n}", title=title, pilot=porteur,
                 latest_status=status, latest_status_date=sa_data.SUIVI_DATE, latest_status_wording=wording,
                 source_path=SA_2019, source_page=only(root, SA_2019, f"Préconisation n°{n} : {title}"),
                 takes_up="", status_source_path=SA_CSV, status_source_page=only(root, SA_CSV, wording))
        )  # fmt: skip
    for n, title, porteur, _, precedent, _ in sa_data.PRECONISATIONS_2023:
        wording, status, _ = sa_data.ETAPE_2024[n]
        anchor = f"Préconisation n° {n} — {title}"
        rows.append(
            dict(dtp=sa_data.DTP_2023, label=f"Préconisation n°{n}", title=title, pilot=porteur,
                 latest_status=status, latest_status_date=sa_data.ETAPE_DATE, latest_status_wording=wording,
                 source_path=SA_2023, source_page=only(root, SA_2023, f"Préconisation n°{n} : {title}"),
                 takes_up=f"{sa_data.DTP_2019}|Préconisation n°{precedent}" if precedent else "",
                 status_source_path=SA_ETAPE,
                 status_source_page=find_after(root, SA_ETAPE, anchor, f"Avancement : {wording}"))
        )  # fmt: skip
    for label, title, _, porteur, _, _, _, wording, status, _ in sa_plan.FICHES:
        anchor = f"{label} : {title}"
        rows.append(
            dict(dtp=sa_data.DTP_2023, label=label, title=title, pilot=porteur, latest_status=status,
                 latest_status_date=sa_plan.DATE, latest_status_wording=wording,
                 source_path=SA_PLAN, source_page=only(root, SA_PLAN, anchor), takes_up="",
                 status_source_path=SA_PLAN,
                 status_source_page=find_after(root, SA_PLAN, anchor, f"Statut au 15/02/2024 : {wording}"))
        )  # fmt: skip
    return rows


def _questions(root: Path) -> list[dict[str, object]]:
    out = []
    for q in questions_data.QUESTIONS:
        expected = []
        for source in q["sources"]:
            found = find(root, source, q["evidence"])
            if not found:
                raise ValueError(f"{q['id']}: evidence not in {source}: {q['evidence']!r}")
            expected += [{"source": source, "page": page} for page in found]
        # Pages that answer too, without the evidence sentence (an answer spread over pages).
        for source, sentence in q["extra"]:
            expected += [{"source": source, "page": page} for page in find(root, source, sentence)]
        row = {"id": q["id"], "question": q["question"], "type": q["type"], "expected": expected,
               "evidence": q["evidence"], "facts": q["facts"]}  # fmt: skip
        if q["filters"]:
            row["filters"] = q["filters"]
        out.append(row)
    return out


def write_all(root: Path, documents: dict) -> None:
    missing = set(documents) ^ set(FACETS)
    if missing:
        raise ValueError(f"facets and documents disagree on {sorted(missing)}")
    (root / "truth").mkdir(exist_ok=True)
    with (root / "truth" / "facets.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["path", "dtp", "theme", "territory", "year", "doc_type", "phase", "doc_date"])
        for path, facets in FACETS.items():
            w.writerow([f"docs/{path}", *facets])
    records = _records(root)
    with (root / "truth" / "records.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(records[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(records)
    lines = [json.dumps(q, ensure_ascii=False) for q in _questions(root)]
    (root / "questions.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
