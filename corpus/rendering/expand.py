"""Turn data directives into ordinary blocks, so every writer renders the same facts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from .blocks import Block, Directive, Fields, Heading, Table
from .data import CorpusData, Recommendation


def _fmt_int(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def _fiche(rec: Recommendation, when: date) -> list[Block]:
    status = rec.status_at(when)
    rows = [
        ("Fiche action", rec.label),
        ("Axe", f"{rec.axis}. {rec.axis_title}"),
        ("Constat", rec.finding),
        ("Objectif", rec.objective),
        ("Étapes", rec.steps),
        ("Pilote", rec.pilot),
        ("Partenaires", ", ".join(rec.partners)),
        ("Public visé", rec.public),
        ("Territoire", rec.territory),
        ("Échéance", rec.timeline),
        ("Moyens", rec.means),
        ("Indicateur de suivi", rec.indicator),
        ("Statut", f"{status.wording} ({status.date:%d/%m/%Y})"),
    ]
    if rec.precedent:
        rows.append(("Reprend", rec.precedent))
    return [Heading(3, f"{rec.id} — {rec.title}"), Fields([(k, v) for k, v in rows if v])]


def recommendations(directive: Directive, data: CorpusData, when: date) -> list[Block]:
    """`recommendations: <dtp_id> table|full|fiches [axis=N]`."""
    dtp_id, mode = directive.args[0], (directive.args[1:] or ["table"])[0]
    axis = directive.option("axis")
    recs = data.of_dtp(dtp_id, int(axis) if axis else None)
    if not recs:
        raise ValueError(f"no recommendations for {directive.args}")
    if mode == "fiches":
        return [block for rec in recs for block in _fiche(rec, when)]
    if mode == "table":
        header = ["N°", "Axe", "Préconisation", "Pilote", "Échéance"]
        rows = [[r.id, str(r.axis), r.title, r.pilot, r.timeline] for r in recs]
        return [Table(header, rows)]
    header = ["N°", "Axe", "Intitulé", "Pilote", "Partenaires", "Échéance", "Indicateur", "Statut"]
    rows = [
        [
            r.id,
            f"{r.axis}. {r.axis_title}",
            r.title,
            r.pilot,
            ", ".join(r.partners),
            r.timeline,
            r.indicator,
            r.status_at(when).wording,
        ]
        for r in recs
    ]
    return [Table(header, rows)]


def review(directive: Directive, data: CorpusData, when: date) -> list[Block]:
    """`review: <review_id>`: the status of each recommendation before and after the review."""
    rev = data.reviews[directive.args[0]]
    rows = []
    for update in rev.updates:
        rec = data.recommendations[update["id"]]
        before = [e for e in rec.history if e.date < rev.date]
        previous = before[-1].wording if before else ""
        rows.append([rec.id, rec.title, previous, update["status"], update.get("comment", "")])
    after = f"Statut au {rev.date:%d/%m/%Y}"
    header = ["N°", "Préconisation", "Statut précédent", after, "Commentaire"]
    return [Table(header, rows)]


def _departements(world: dict[str, Any], region: str) -> list[dict[str, Any]]:
    return [d for d in world["departements"] if d["region"] == region]


def population(directive: Directive, data: CorpusData, when: date) -> list[Block]:
    """`population: <region code> <year>`: population, area and density by département."""
    region, year = directive.args[0], directive.args[1]
    rows = []
    total_pop = total_area = 0
    for dep in _departements(data.world, region):
        pop, area = dep[f"pop_{year}"], dep["area_km2"]
        total_pop, total_area = total_pop + pop, total_area + area
        rows.append(
            [
                f"{dep['name']} ({dep['code']})",
                dep["chef_lieu"],
                _fmt_int(pop),
                _fmt_int(area),
                str(round(pop / area)),
            ]
        )
    name = next(r["name"] for r in data.world["regions"] if r["code"] == region)
    rows.append(
        [
            f"Région {name}",
            "",
            _fmt_int(total_pop),
            _fmt_int(total_area),
            str(round(total_pop / total_area)),
        ]
    )
    header = [
        "Département",
        "Chef-lieu",
        f"Population {year}",
        "Superficie (km²)",
        "Densité (hab./km²)",
    ]
    return [Table(header, rows)]


def esms(directive: Directive, data: CorpusData, when: date) -> list[Block]:
    """`esms: <region code> [dep=<code>]`: the establishments and services of the world."""
    region, dep = directive.args[0], directive.option("dep")
    codes = {d["code"] for d in _departements(data.world, region)}
    rows = [
        [e["name"], e["type"], e["commune"], str(e["dep"]), str(e["places"]), e["public"]]
        for e in data.world["esms"]
        if e["dep"] in codes and (not dep or str(e["dep"]) == dep)
    ]
    return [Table(["Structure", "Type", "Commune", "Dép.", "Places", "Public"], rows)]


EXPANDERS: dict[str, Callable[[Directive, CorpusData, date], list[Block]]] = {
    "recommendations": recommendations,
    "review": review,
    "population": population,
    "esms": esms,
}


def expand(blocks: list[Block], data: CorpusData, when: date) -> list[Block]:
    """Replace data directives by the blocks they stand for; keep layout directives."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Directive) and block.name in EXPANDERS:
            out.extend(EXPANDERS[block.name](block, data, when))
        else:
            out.append(block)
    return out
