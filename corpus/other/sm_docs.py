"""The other documents of the santé mentale DTP of the Vaudrenne: method note, working-group
compte rendu, roadmap (fiches actions) and the June 2024 review."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path

import docxkit as k
from sm_data import BILAN_2024, PRECONISATIONS

ODD = "PTSM de la Vaudrenne"
EVEN = "Délégation départementale de la Vaudrenne — ARS Marches-d'Aurèle"


def note_methodologique(path: Path) -> None:
    doc = k.new_document(
        title="Note méthodologique — DTP santé mentale de la Vaudrenne",
        author="DAC de la Vaudrenne",
        created=datetime(2021, 10, 12, 9, 0),
        odd_header="Note méthodologique — document de travail",
        even_header=EVEN,
    )
    k.cover(
        doc,
        [
            ("Diagnostic territorial partagé en santé mentale", 18, True),
            ("Note méthodologique", 16, False),
            ("DAC de la Vaudrenne, pour le comité de pilotage", 11, False),
            ("Octobre 2021 — version 3 du 12/10/2021", 11, False),
        ],
    )
    k.heading(doc, "1. Objet de la note")
    k.para(
        doc,
        "Cette note fixe le périmètre, la gouvernance, les outils et le calendrier du diagnostic. Elle a été validée par le COPIL d'installation du 14 octobre 2021.",
    )
    k.heading(doc, "2. Gouvernance")
    k.para(
        doc,
        "Le COPIL décide ; l'équipe projet (ARS, Conseil départemental, EPSM, DAC) prépare ses réunions. Un représentant de l'UNAFAM et un adhérent de GEM siègent au COPIL avec voix délibérative.",
    )
    k.para(
        doc,
        "Chaque groupe de travail est co-animé par un professionnel et une personne concernée ou un proche ; il compte de 20 à 35 participants et se réunit trois fois.",
    )
    k.heading(doc, "3. Outils de recueil")
    k.bullets(
        doc,
        [
            "Exploitation des bases RIM-P et SNDS par l'ORS (taux de recours, hospitalisations sans consentement, durées de séjour).",
            "Questionnaire en ligne ouvert du 2 novembre au 17 décembre 2021, diffusé par les CPTS, les GEM et l'UNAFAM ; objectif de 300 réponses.",
            "Entretiens semi-directifs avec 25 à 30 personnes, dont au moins un tiers de personnes concernées.",
            "Cinq groupes de travail thématiques, un par porte d'entrée du parcours.",
        ],
    )
    k.para(
        doc,
        "La méthode s'inspire du guide de l'ANAP sur les parcours en psychiatrie et santé mentale : chaque porte d'entrée est analysée selon les besoins, les ressources et les ruptures.",
    )
    k.heading(doc, "4. Calendrier")
    k.table(
        doc,
        ["Étape", "Période"],
        [
            ["Cadrage et installation du COPIL", "octobre 2021"],
            ["Bilan quantitatif et questionnaire", "novembre 2021 – janvier 2022"],
            ["Groupes de travail (3 séances chacun)", "janvier – mars 2022"],
            ["Rédaction des préconisations", "avril 2022"],
            ["Validation par le COPIL", "17 mai 2022"],
            ["Publication du livret", "juin 2022"],
        ],
        grid=True,
        widths=[9, 7],
    )
    k.heading(doc, "5. Livrables")
    k.para(
        doc,
        "Le diagnostic donne lieu à un livret d'une vingtaine de pages, à une fiche de synthèse par groupe de travail et à une liste de préconisations numérotées, qui serviront de base à la feuille de route du PTSM.",
    )
    k.save(doc, path)


PISTES = [
    "Piste 1 : créer une ligne d'avis pédopsychiatrique pour les médecins généralistes et les pédiatres.",
    "Piste 2 : installer une permanence de la Maison des adolescents à Terrebrune une fois par semaine.",
    "Piste 3 : organiser une consultation de transition commune pédopsychiatre / psychiatre adulte à 17 ans.",
    "Piste 4 : former les assistants familiaux de l'ASE au repérage des troubles psychiques.",
    "Piste 5 : réserver deux lits d'hospitalisation pour adolescents au CH de Lormeval.",
]


def fiche_synthese_gt5(path: Path) -> None:
    doc = k.new_document(
        title="Compte rendu — GT5 Enfants et adolescents",
        author="DAC de la Vaudrenne",
        created=datetime(2022, 2, 15, 14, 0),
        odd_header="DTP santé mentale — GT5",
        even_header=EVEN,
    )
    k.para(
        doc, "Diagnostic territorial partagé en santé mentale de la Vaudrenne", bold=True, size=13
    )
    k.para(
        doc,
        "Fiche de synthèse — Groupe de travail n° 5 : Enfants et adolescents",
        bold=True,
        size=12,
    )
    k.para(
        doc, "Compte rendu des séances des 11 janvier, 8 février et 1er mars 2022 — Saint-Aubrec"
    )
    k.heading(doc, "Participants", 2)
    k.table(
        doc,
        ["Type d'acteur", "Nombre"],
        [
            ["Pédopsychiatrie (EPSM, pôle infanto-juvénile)", "6"],
            ["Maison des adolescents", "3"],
            ["Conseil départemental (ASE, PMI)", "5"],
            ["Éducation nationale (infirmières, psychologues)", "4"],
            ["Médecins généralistes et pédiatres", "3"],
            ["Parents et jeunes concernés", "7"],
            ["Total", "28"],
        ],
        widths=[11, 3],
    )
    k.heading(doc, "Constats", 2)
    k.bullets(
        doc,
        [
            "Le délai d'attente en CMP infanto-juvénile est de 5,5 mois ; il atteint 8 mois à Terrebrune.",
            "Aucune réponse mobile n'existe pour les adolescents qui refusent de se déplacer.",
            "Les jeunes confiés à l'ASE cumulent les ruptures : 58 d'entre eux ont des troubles psychiques sans suivi régulier.",
            "Il n'existe aucun lit d'hospitalisation dédié aux adolescents dans le département ; les jeunes sont hospitalisés en pédiatrie ou hors département.",
        ],
    )
    k.heading(doc, "Ressources et pratiques repérées", 2)
    k.para(
        doc,
        "La consultation avancée de la Maison des adolescents au lycée agricole de Quinsac-le-Haut, ouverte en 2020, reçoit une quarantaine d'élèves par an.",
    )
    k.heading(doc, "Pistes d'amélioration proposées par le groupe", 2)
    k.para(
        doc,
        "Les pistes ci-dessous sont des propositions du groupe de travail. Elles ne constituent pas des préconisations du diagnostic : le COPIL retiendra les préconisations à partir de l'ensemble des groupes.",
        italic=True,
    )
    for piste in PISTES:
        k.para(doc, piste)
    k.heading(doc, "Priorité du groupe", 2)
    k.para(doc, "Le groupe place en tête la création d'une équipe mobile pour adolescents.")
    k.heading(doc, "Validation", 2)
    k.para(doc, "Fiche présentée au COPIL du 15 mars 2022.")
    k.save(doc, path)


def _synthese_counts() -> dict[str, int]:
    return Counter(norm for _, norm, _ in BILAN_2024.values())


def bilan_2024(path: Path) -> None:
    doc = k.new_document(
        title="Bilan de mise en œuvre 2024 — DTP santé mentale de la Vaudrenne",
        author="ARS Marches-d'Aurèle",
        created=datetime(2024, 7, 8, 9, 0),
        odd_header="Bilan de mise en œuvre — juin 2024",
        even_header=EVEN,
    )
    k.cover(
        doc,
        [
            ("Diagnostic territorial partagé en santé mentale de la Vaudrenne (2022)", 18, True),
            ("Bilan de mise en œuvre des préconisations", 15, False),
            ("Comité de suivi du PTSM — situation au 30 juin 2024", 12, False),
            ("Juillet 2024", 12, True),
        ],
    )
    counts = _synthese_counts()
    k.heading(doc, "1. Synthèse")
    p = k.para(
        doc,
        f"Sur les douze préconisations du diagnostic de 2022, deux sont réalisées, deux sont partiellement réalisées, deux sont en cours, trois ne sont pas engagées, une est reportée, une est abandonnée et une est intégrée au contrat local de santé de Lormeval ({sum(counts.values())} au total).",
    )
    k.footnote(
        doc,
        p,
        "Statuts déclarés par les pilotes et validés par le comité de suivi du 27 juin 2024.",
    )
    k.para(
        doc,
        "Les trois préconisations prioritaires connaissent des fortunes diverses : la plateforme d'orientation (n°1) est en cours de déploiement, l'équipe mobile pour adolescents (n°3) n'est pas financée et les places de SAMSAH (n°5) sont reportées.",
    )
    k.para(
        doc,
        "Ce bilan ne porte que sur la Vaudrenne : il ne comporte aucune donnée sur les autres départements de la région.",
    )
    k.heading(doc, "2. Tableau de suivi")
    rows = []
    for n, title, pilot, _, _ in PRECONISATIONS:
        wording, _, comment = BILAN_2024[n]
        rows.append([f"n° {n}", title, pilot, wording, comment])
    # A long borderless table: LibreOffice and Word split it across the page break and,
    # as the header row is not marked "repeat", the second page starts with bare rows.
    k.table(
        doc,
        ["N°", "Préconisation", "Pilote", "Niveau de réalisation au 30/06/2024", "Commentaire"],
        rows,
        widths=[1.2, 5, 3, 2.8, 4.6],
    )
    k.page_break(doc)
    k.heading(doc, "3. Détail par préconisation")
    for n, title, pilot, _, _ in PRECONISATIONS:
        wording, _, comment = BILAN_2024[n]
        k.heading(doc, f"Préconisation n° {n} — {title}", 3)
        k.labelled(doc, "Pilote", pilot)
        k.labelled(doc, "Niveau de réalisation", wording)
        k.para(doc, comment)
    k.heading(doc, "4. Points de vigilance")
    k.bullets(
        doc,
        [
            "Le financement de l'équipe mobile pour adolescents conditionne la réponse aux ruptures relevées par le GT5.",
            "Le recrutement de psychiatres reste le premier frein : 4 postes de praticien hospitalier sont vacants à l'EPSM.",
            "La prochaine actualisation du diagnostic est envisagée pour 2027.",
        ],
    )
    k.save(doc, path)
