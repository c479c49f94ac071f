"""The livret of the santé mentale DTP of the Vaudrenne (June 2022)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import docxkit as k
from sm_data import AXES, GLOSSAIRE, OBJECTIFS, OFFER, POPULATION, PRECONISATIONS

ORG = "ARS Marches-d'Aurèle — Délégation départementale de la Vaudrenne"


def _cover(doc) -> None:
    k.cover(
        doc,
        [
            ("Diagnostic territorial partagé en santé mentale de la Vaudrenne", 22, True),
            ("Vers le projet territorial de santé mentale (PTSM)", 14, False),
            ("", 10, False),
            (ORG, 11, False),
            ("Commission spécialisée en santé mentale du conseil territorial de santé", 10, False),
            ("Juin 2022", 12, True),
            ("", 10, False),
            (
                "Projet régional de santé 2018-2028 — document fictif à visée d'illustration",
                8,
                False,
            ),
        ],
    )


def _sommaire(doc) -> None:
    k.heading(doc, "Sommaire")
    for line in [
        "1. Contexte et démarche",
        "2. Le territoire et sa population",
        "3. Les besoins, porte d'entrée par porte d'entrée",
        "4. Les ressources du territoire",
        "5. Les ruptures de parcours",
        "6. Les préconisations",
        "Annexe — Glossaire des sigles",
    ]:
        k.para(doc, line)
    k.para(
        doc,
        "Avertissement : les données présentées sont les dernières disponibles au moment des travaux (2019 à 2021). Elles ne portent que sur la Vaudrenne ; aucune donnée n'a été recueillie pour les départements voisins.",
        italic=True,
    )
    k.page_break(doc)


def _contexte(doc) -> None:
    k.heading(doc, "1. Contexte et démarche")
    p = k.para(
        doc,
        "L'article L. 3221-2 du code de la santé publique prévoit qu'un projet territorial de santé mentale (PTSM) est élaboré à partir d'un diagnostic territorial partagé (DTP). En Vaudrenne, la démarche a été lancée le 14 octobre 2021 par la délégation départementale de l'ARS Marches-d'Aurèle, le Conseil départemental et l'EPSM de la Vaudrenne, avec l'appui du DAC de la Vaudrenne pour la coordination.",
    )
    k.footnote(
        doc,
        p,
        "Décret n° 2017-1200 du 27 juillet 2017 relatif au projet territorial de santé mentale.",
    )
    k.para(
        doc,
        "Le comité de pilotage (COPIL) réunit 24 membres : ARS, Conseil départemental, MDPH, EPSM, Clinique Les Cèdres, CH de Lormeval, les deux CPTS, l'UNAFAM, les deux GEM, l'Éducation nationale, la DDETS et trois communes. Il s'est réuni quatre fois entre octobre 2021 et mai 2022.",
    )
    k.para(doc, "Le diagnostic s'appuie sur trois sources :")
    k.bullets(
        doc,
        [
            "un questionnaire en ligne, qui a recueilli 412 réponses, dont 173 de personnes concernées ou de proches ;",
            "26 entretiens individuels avec des usagers, des familles et des professionnels ;",
            "cinq groupes de travail, un par porte d'entrée, qui ont réuni 142 participants en 15 séances.",
        ],
    )
    k.para(
        doc,
        "Les données quantitatives proviennent du RIM-P, du SNDS, de l'INSEE et du rapport d'activité 2021 des établissements. Elles ont été traitées par l'ORS Marches-d'Aurèle.",
    )
    k.heading(doc, "Les cinq portes d'entrée", 2)
    k.bullets(
        doc,
        [
            "GT1 — Repérage précoce et accès au diagnostic",
            "GT2 — Situations inadéquates et réhabilitation psychosociale",
            "GT3 — Accès aux soins somatiques",
            "GT4 — Prévention et gestion des situations de crise",
            "GT5 — Enfants et adolescents",
        ],
    )
    k.page_break(doc)


def _territoire(doc) -> None:
    k.heading(doc, "2. Le territoire et sa population")
    k.para(
        doc,
        "La Vaudrenne compte 534 200 habitants en 2019 sur 5 870 km², soit 91 habitants au km². La population est concentrée dans le Bassin aubrecois, autour de Saint-Aubrec, alors que le Plateau de Terrebrune est rural et vieillissant.",
    )
    k.table(doc, POPULATION[0], POPULATION[1:], widths=[5, 3.5, 4, 3.5])
    k.para(doc, "Source : INSEE, recensement 2019 ; RPPS 2021.", italic=True, size=8)
    p = k.para(
        doc,
        "La densité de psychiatres est de 9,8 pour 100 000 habitants, contre 23 en moyenne nationale.",
    )
    k.footnote(doc, p, "Psychiatres libéraux et salariés inscrits au RPPS au 1er janvier 2021.")
    k.para(doc, "Sur le Plateau de Terrebrune, un seul psychiatre libéral exerce, à mi-temps.")
    p = k.para(
        doc,
        "Le taux de décès par suicide atteint 21,4 pour 100 000 habitants (moyenne 2015-2017), nettement au-dessus de la moyenne régionale.",
    )
    k.footnote(
        doc,
        p,
        "Source : CépiDc-Inserm, taux standardisés sur l'âge ; exploitation ORS Marches-d'Aurèle.",
    )
    k.para(
        doc,
        "Les passages aux urgences pour un motif psychiatrique ont été de 3 870 en 2021, dont 41 % la nuit ou le week-end.",
    )
    k.para(
        doc,
        "En 2020, 1 412 hospitalisations ont eu lieu sans consentement, soit 31 % des hospitalisations à temps plein en psychiatrie adulte.",
    )
    k.page_break(doc)


def _besoins(doc) -> None:
    k.heading(doc, "3. Les besoins, porte d'entrée par porte d'entrée")
    k.heading(doc, "3.1 Repérage précoce et accès au diagnostic", 2)
    k.para(
        doc,
        "Le délai moyen d'obtention d'un premier rendez-vous dans un CMP adultes est de 74 jours en 2021 ; il dépasse 100 jours à Quinsac-le-Haut. Pour les enfants, l'attente en CMP infanto-juvénile atteint 5,5 mois.",
    )
    k.para(
        doc,
        "Parmi les médecins généralistes ayant répondu au questionnaire, 68 % disent ne pas savoir vers qui orienter un patient en souffrance psychique en dehors des urgences.",
    )
    k.quote(
        doc,
        "Quand je téléphone au CMP, on me donne un rendez-vous dans trois mois. En attendant, je n'ai personne à qui parler de mon patient.",
        "médecin généraliste, Plateau de Terrebrune",
    )
    k.heading(doc, "3.2 Situations inadéquates et réhabilitation", 2)
    k.para(
        doc,
        "Au 31 décembre 2021, 43 patients sont hospitalisés au long cours (plus de 292 jours dans l'année) à l'EPSM, alors qu'une sortie serait possible avec un logement et un accompagnement adaptés.",
    )
    k.para(
        doc,
        "Le SAMSAH Trait d'union a une liste d'attente de 37 personnes, soit plus d'un an d'attente. Le territoire ne dispose d'aucune place de SAMSAH sur le Plateau de Terrebrune.",
    )
    k.quote(
        doc,
        "Mon fils est stabilisé depuis deux ans mais il reste à l'hôpital, parce qu'il n'y a pas de logement avec un accompagnement près de chez nous.",
        "mère d'un patient, adhérente de l'UNAFAM",
    )
    k.heading(doc, "3.3 Accès aux soins somatiques", 2)
    k.para(
        doc,
        "Un tiers des patients hospitalisés à temps plein (34 %) n'ont pas de médecin traitant déclaré. L'espérance de vie des personnes vivant avec un trouble psychique sévère est inférieure de 13 à 16 ans à celle de la population générale.",
    )
    k.heading(doc, "3.4 Prévention et gestion des situations de crise", 2)
    k.para(
        doc,
        "Il n'existe pas de protocole écrit entre le SAMU-Centre 15, l'EPSM, les forces de l'ordre et le SDIS. Les interventions à domicile en situation de crise reposent sur des arrangements au cas par cas.",
    )
    k.quote(
        doc,
        "La nuit, on attend parfois quatre heures qu'une équipe puisse se déplacer. C'est la gendarmerie qui gère, et ce n'est pas son métier.",
        "capitaine de gendarmerie, compagnie de Lormeval",
    )
    k.heading(doc, "3.5 Enfants et adolescents", 2)
    k.para(
        doc,
        "La Maison des adolescents a reçu 1 126 jeunes en 2021 (+ 38 % par rapport à 2019). Les jeunes du Plateau de Terrebrune en sont éloignés : 4 % de la file active, pour 17 % des 11-25 ans du département.",
    )
    k.para(
        doc,
        "Les professionnels de l'ASE signalent 58 jeunes confiés présentant des troubles psychiques sans suivi régulier.",
    )
    k.page_break(doc)


def _ressources(doc) -> None:
    k.heading(doc, "4. Les ressources du territoire")
    k.para(
        doc,
        "Le tableau ci-dessous recense l'offre sanitaire et médico-sociale spécialisée en santé mentale au 31 décembre 2021.",
    )
    k.table(doc, OFFER[0], OFFER[1:], widths=[6.2, 4.3, 3.2, 3])
    k.para(doc, "Source : FINESS, rapports d'activité 2021, enquête du DAC.", italic=True, size=8)
    k.para(
        doc,
        "Deux communautés professionnelles territoriales de santé couvrent le département : la CPTS du Bassin aubrecois et la CPTS Lorme et Terrebrune. Un seul conseil local de santé mentale (CLSM) existe, à Saint-Aubrec depuis 2017.",
    )
    k.para(
        doc,
        "Pratique repérée : à Saint-Aubrec, le CLSM réunit chaque mois une cellule de situations complexes qui associe bailleurs, CCAS, CMP et police municipale.",
    )
    k.page_break(doc)


def _ruptures(doc) -> None:
    k.heading(doc, "5. Les ruptures de parcours")
    k.para(doc, "Les groupes de travail ont identifié cinq moments de rupture :")
    k.bullets(
        doc,
        [
            "le passage de la pédopsychiatrie à la psychiatrie adulte, entre 16 et 18 ans ;",
            "la sortie d'hospitalisation sans rendez-vous de suivi dans les 7 jours (41 % des sorties en 2021) ;",
            "la perte du logement après une hospitalisation longue ;",
            "l'arrêt de l'accompagnement à l'entrée en ESAT ou à la sortie ;",
            "les crises la nuit et le week-end, sans réponse mobile.",
        ],
    )
    k.quote(
        doc,
        "À 18 ans, on change de médecin, de lieu, d'équipe. Ma fille a tout arrêté pendant un an.",
        "père d'une jeune adulte, questionnaire",
    )
    k.page_break(doc)


def _preconisations(doc) -> None:
    k.heading(doc, "6. Les préconisations")
    k.para(
        doc,
        "Le COPIL du 17 mai 2022 a retenu douze préconisations, regroupées en quatre axes. Les préconisations n°1, n°3 et n°5 sont prioritaires.",
    )
    axis = 0
    for n, title, pilot, partners, ax in PRECONISATIONS:
        if ax != axis:
            axis = ax
            k.heading(doc, AXES[ax], 2)
        k.heading(doc, f"Préconisation n°{n} — {title}", 3)
        k.para(doc, OBJECTIFS[n])
        k.labelled(doc, "Pilote pressenti", pilot)
        k.labelled(doc, "Partenaires", partners)
    k.page_break(doc)


def build(path: Path) -> None:
    doc = k.new_document(
        title="Diagnostic territorial partagé en santé mentale de la Vaudrenne",
        author="ARS Marches-d'Aurèle",
        created=datetime(2022, 6, 20, 9, 0),
        odd_header="DTP santé mentale — Vaudrenne — juin 2022",
        even_header="ARS Marches-d'Aurèle / Conseil départemental de la Vaudrenne",
    )
    _cover(doc)
    _sommaire(doc)
    _contexte(doc)
    _territoire(doc)
    _besoins(doc)
    _ressources(doc)
    _ruptures(doc)
    _preconisations(doc)
    k.heading(doc, "Annexe — Glossaire des sigles")
    k.table(doc, None, GLOSSAIRE, widths=[3, 13])
    k.save(doc, path)
