"""The action plan (feuille de route) of the 2023 sans-abrisme DTP: fiches "FA 1-1" … "FA 4-1"
written as labelled paragraphs rather than tables."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import docxkit as k

DATE = "2024-02-15"
AXES = {
    1: "Axe 1 — Connaître et loger",
    2: "Axe 2 — Prévenir les ruptures",
    3: "Axe 3 — Sortir de l'hôtel et des institutions",
    4: "Axe 4 — Faire évoluer les pratiques",
}

# label, title, préconisation 2023, porteur(s), acteurs associés, échéance, indicateurs,
# statut as printed, normalised, a remark (or "")
# fmt: off
FICHES = [
    ("FA 1-1", "Publier le tableau de bord annuel de la demande", 1, "SIAO de la Haute-Ornelle", "DDETS, Conseil départemental", "Mars 2024", "Tableau de bord publié ; nombre de destinataires", "En cours", "en_cours", ""),
    ("FA 1-2", "Capter 104 logements supplémentaires en intermédiation locative", 2, "DDETS de la Haute-Ornelle", "Association Relais Ornelle, agences immobilières sociales", "Décembre 2026", "Nombre de logements captés, dont hors agglomération", "En cours", "en_cours", "Rappel : la préconisation n°6 du DTP de 2019 visait 150 logements ; 96 étaient captés fin 2022."),
    ("FA 2-1", "Recruter l'équipe mobile psychiatrie-précarité du Haut-Ornellois", 4, "CH de Mirvaux", "ARS, SIAO, CCAS, CPTS du Haut-Ornellois", "Juin 2024", "Postes pourvus ; nombre de personnes rencontrées", "Lancée", "en_cours", ""),
    ("FA 2-2", "Installer une commission « jeunes majeurs » à 17 ans", 5, "Conseil départemental de la Haute-Ornelle (ASE)", "Mission locale, FJT de Mirvaux, SIAO", "Janvier 2024", "Nombre de jeunes examinés ; sorties sans solution", "Réalisée", "realisee", "Première commission tenue le 11 janvier 2024."),
    ("FA 3-1", "Rédiger le protocole « sortants » avec le SPIP et le CH de Mirvaux", 7, "SIAO de la Haute-Ornelle", "SPIP, centre pénitentiaire de Castelnoir, CH de Mirvaux", "Décembre 2024", "Protocole signé ; part des sorties signalées un mois avant", "Pas encore engagée", "non_engagee", ""),
    ("FA 3-2", "Ouvrir 20 places pour les femmes avec enfants hébergées à l'hôtel", 8, "DDETS de la Haute-Ornelle", "Conseil départemental (PMI), CHRS La Traverse", "Janvier 2024", "Places ouvertes ; familles à l'hôtel depuis plus de trois mois", "Réalisée", "realisee", ""),
    ("FA 4-1", "Déployer le plan de formation « Logement d'abord »", 9, "DDETS de la Haute-Ornelle", "Conseil départemental, IRTS, SIAO", "2026", "Nombre de professionnels et de bénévoles formés", "Intégrée au PDALHPD", "integree", "La fiche est désormais suivie dans le cadre du PDALHPD 2023-2028."),
]
# fmt: on


def _fiche(doc, fiche: tuple) -> None:
    label, title, prec, porteur, partners, deadline, indicators, status, _, remark = fiche
    axis = int(label.split()[1].split("-")[0])
    k.heading(doc, f"{label} : {title}", 2)
    k.para(doc, AXES[axis], italic=True)
    k.labelled(doc, "Préconisation du diagnostic 2023", f"n°{prec}")
    k.labelled(doc, "Porteur(s)", porteur)
    k.labelled(doc, "Acteurs associés", partners)
    k.labelled(doc, "Échéance", deadline)
    k.labelled(doc, "Indicateurs", indicators)
    k.labelled(doc, "Statut au 15/02/2024", status)
    if remark:
        k.para(doc, remark)


def build(path: Path) -> None:
    doc = k.new_document(
        title="Plan d'actions 2024-2026 — diagnostic à 360° de la Haute-Ornelle",
        author="DDETS de la Haute-Ornelle",
        created=datetime(2024, 2, 20, 9, 0),
        odd_header="Plan d'actions 2024-2026 — diagnostic à 360°",
        even_header="Préfecture de la Haute-Ornelle — DDETS",
    )
    k.cover(
        doc,
        [
            ("Diagnostic à 360° du sans-abrisme et du mal-logement", 18, True),
            ("Plan d'actions 2024-2026", 16, True),
            ("Haute-Ornelle", 13, False),
            ("DDETS — Conseil départemental — SIAO", 11, False),
            ("Février 2024", 12, True),
        ],
    )
    k.heading(doc, "Présentation")
    k.para(
        doc,
        "Le plan d'actions traduit sept des dix préconisations adoptées en septembre 2023 en fiches actions. Les préconisations n°3, n°6 et n°10 n'ont pas fait l'objet d'une fiche à ce stade.",
    )
    k.para(
        doc,
        "Au 15 février 2024, deux fiches actions sur sept sont réalisées (FA 2-2 et FA 3-2) ; une fiche n'est pas encore engagée (FA 3-1).",
    )
    k.table(
        doc,
        ["Fiche", "Intitulé", "Statut au 15/02/2024"],
        [[f[0], f[1], f[7]] for f in FICHES],
        widths=[2, 10.5, 4],
    )
    k.page_break(doc)
    for fiche in FICHES:
        _fiche(doc, fiche)
    k.save(doc, path)
