"""The roadmap of the santé mentale DTP of the Vaudrenne: eleven fiches « Action 1.1 »…, as
two-column bordered tables, two or three a page; one runs over a page break."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import docxkit as k
from sm_data import ACTIONS

EVEN = "Délégation départementale de la Vaudrenne — ARS Marches-d'Aurèle"


# Fiches that start a page. Action 2.2, long, comes third on its page and runs over the next
# one: its "Statut" and "Indicateurs" rows are on another page than its title.
NEW_PAGE = {"Action 1.3", "Action 2.3", "Action 3.2", "Action 4.1"}


FDR_AXES = {
    1: "Axe 1 — Repérer et orienter",
    2: "Axe 2 — Soigner sans rupture",
    3: "Axe 3 — Se loger, s'insérer, s'entraider",
    4: "Axe 4 — Coordonner et observer",
}


def _fiche(doc, action: tuple, long_steps: bool) -> None:
    label, title, prec, pilot, partners, deadline, indicators, status, _ = action
    k.heading(doc, f"{label} — {title}", 2)
    number = int(label.split()[1].split(".")[0])
    steps = [
        "Réunir les partenaires et désigner un référent opérationnel.",
        "Rédiger le cahier des charges et le valider en comité de suivi du PTSM.",
        "Mettre en œuvre et évaluer à un an.",
    ]
    if long_steps:
        steps = [
            "Recenser, avec le DAC, les patients hospitalisés plus de 30 jours sans médecin traitant déclaré.",
            "Organiser deux demi-journées par semaine de consultation de médecine générale dans les murs de l'EPSM.",
            "Conventionner avec le CH de Lormeval pour les examens complémentaires (biologie, imagerie, cardiologie).",
            "Établir avec les CPTS une liste de médecins traitants acceptant de nouveaux patients suivis en psychiatrie.",
            "Intégrer un bilan somatique systématique au projet de soins de chaque patient hospitalisé.",
            "Former les infirmiers de l'EPSM au dépistage des risques cardio-vasculaires et métaboliques liés aux traitements.",
            "Mettre en place une lettre de liaison de sortie adressée au médecin traitant sous 48 heures.",
            "Évaluer le dispositif à un an avec les usagers, les familles et les médecins traitants.",
        ]
    rows = [
        ["Axe", FDR_AXES[number]],
        ["Préconisation du diagnostic", f"Préconisation n° {prec}"],
        ["Objectif opérationnel", title],
        ["Étapes", "\n".join(f"\uf0b7 {s}" for s in steps)],
        ["Pilote / porteur(s)", pilot],
        ["Partenaires / acteurs associés", partners],
        ["Public cible", "Personnes vivant avec un trouble psychique et leur entourage"],
        ["Territoire", "Vaudrenne (3 territoires de proximité)"],
        ["Échéance", deadline],
        ["Financement", "Fonds d'intervention régional (FIR) ; à préciser"],
        ["Indicateurs de suivi", indicators],
        ["Statut (janvier 2024)", status],
    ]
    k.table(doc, None, rows, grid=True, widths=[4.5, 12])


def feuille_de_route(path: Path) -> None:
    doc = k.new_document(
        title="PTSM de la Vaudrenne — feuille de route actualisée",
        author="ARS Marches-d'Aurèle",
        created=datetime(2024, 1, 15, 10, 0),
        odd_header="PTSM de la Vaudrenne — Feuille de route 2023-2027",
        even_header=EVEN,
    )
    k.cover(
        doc,
        [
            ("Projet territorial de santé mentale de la Vaudrenne", 20, True),
            ("Feuille de route 2023-2027 — fiches actions", 15, False),
            ("Version actualisée — janvier 2024", 12, True),
            ("Arrêté par le directeur général de l'ARS Marches-d'Aurèle", 10, False),
        ],
    )
    k.heading(doc, "Présentation")
    k.para(
        doc,
        "La feuille de route décline les préconisations du diagnostic territorial partagé de juin 2022 en onze fiches actions. Le statut de chaque action est celui constaté par le comité de suivi du 15 janvier 2024.",
    )
    k.para(
        doc,
        "Au 15 janvier 2024, trois actions sur onze sont réalisées (actions 1.2, 1.3 et 2.2). La préconisation n°11 n'a pas été déclinée en fiche action.",
    )
    rows = [[a[0], a[1], a[7]] for a in ACTIONS]
    k.table(doc, ["Fiche", "Intitulé", "Statut"], rows, widths=[2.5, 10, 4])
    k.page_break(doc)
    for i, action in enumerate(ACTIONS):
        if i and action[0] in NEW_PAGE:
            k.page_break(doc)
        elif i:
            k.para(doc, "")
        _fiche(doc, action, long_steps=action[0] == "Action 2.2")
    k.save(doc, path)
