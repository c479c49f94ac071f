"""Working documents of the sans-abrisme DTPs: the 2019 note de cadrage, the 2023 workshop
compte rendu and the May 2024 point d'étape."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import docxkit as k
from sa_data import ETAPE_2024, PRECONISATIONS_2023

EVEN = "Préfecture de la Haute-Ornelle — DDETS"


def note_cadrage_2019(path: Path) -> None:
    doc = k.new_document(
        title="Note de cadrage — diagnostic à 360° de la Haute-Ornelle",
        author="DDETS de la Haute-Ornelle",
        created=datetime(2019, 2, 11, 9, 0),
        odd_header="Note de cadrage — diagnostic à 360°",
        even_header=EVEN,
    )
    k.para(
        doc,
        "Diagnostic à 360° du sans-abrisme et du mal-logement en Haute-Ornelle",
        bold=True,
        size=13,
    )
    k.para(doc, "Note de cadrage — février 2019", bold=True, size=12)
    k.heading(doc, "Objectifs", 2)
    k.para(
        doc,
        "Le diagnostic doit objectiver l'ensemble des besoins, de la rue au logement ordinaire, et les mettre en regard de l'offre, afin de préparer la révision du PDALHPD.",
    )
    k.heading(doc, "Pilotage", 2)
    k.para(
        doc,
        "Le comité de pilotage est co-présidé par le préfet et le président du Conseil départemental. Le SIAO assure le secrétariat technique. Deux personnes accueillies, désignées par le CCRPA, sont membres du comité.",
    )
    k.heading(doc, "Méthode", 2)
    k.bullets(
        doc,
        [
            "extraction des données du SI-SIAO et du 115 pour 2018 ;",
            "enquête flash une nuit de mars auprès de toutes les structures et des maraudes ;",
            "trois ateliers thématiques de deux séances chacun ;",
            "une vingtaine d'entretiens avec des personnes sans domicile ou mal logées.",
        ],
    )
    k.para(
        doc,
        "La classification ETHOS de la FEANTSA sert de grille commune pour décrire les situations de logement.",
    )
    k.heading(doc, "Calendrier", 2)
    k.para(
        doc,
        "Lancement le 5 mars 2019 ; ateliers en mai et juin ; adoption des préconisations en octobre 2019.",
    )
    k.save(doc, path)


PISTES = [
    "Piste 1 : désigner un référent « sortants » dans chaque établissement (centre pénitentiaire, CH de Mirvaux).",
    "Piste 2 : réserver cinq places de CHRS aux sortants de détention.",
    "Piste 3 : ouvrir les droits (CSS, RSA) avant la sortie.",
    "Piste 4 : expérimenter un bail glissant pour les jeunes sortant de l'ASE.",
    "Piste 5 : créer un fichier partagé des sorties prévues à trois mois.",
]


def fiche_synthese_2023(path: Path) -> None:
    doc = k.new_document(
        title="Synthèse de l'atelier n°1 — Sorties d'institutions",
        author="SIAO de la Haute-Ornelle",
        created=datetime(2023, 5, 30, 9, 0),
        odd_header="Actualisation du diagnostic à 360° — atelier 1",
        even_header=EVEN,
    )
    k.para(doc, "Actualisation du diagnostic à 360° — Haute-Ornelle", bold=True, size=13)
    k.para(doc, "Fiche de synthèse de l'atelier n° 1 : Sorties d'institutions", bold=True, size=12)
    k.para(doc, "Séances du 4 avril et du 23 mai 2023 — Castelnoir, salle du conseil communautaire")
    k.heading(doc, "Participants (27)", 2)
    k.bullets(
        doc,
        [
            "SPIP et centre pénitentiaire de Castelnoir : 4",
            "CH de Mirvaux (psychiatrie, service social) : 5",
            "Conseil départemental (ASE) : 4",
            "SIAO, CHRS, accueils de jour : 9",
            "personnes concernées : 5",
        ],
    )
    k.heading(doc, "Constats", 2)
    k.para(
        doc,
        "Sur 97 sorties de détention sans domicile en 2022, 62 n'avaient fait l'objet d'aucun contact préalable avec le SIAO.",
    )
    k.para(
        doc,
        "Le protocole sortants prévu en 2019 n'a jamais été rédigé ; chaque établissement contacte le 115 le jour de la sortie.",
    )
    k.heading(doc, "Pistes de travail", 2)
    k.para(
        doc,
        "Ces pistes ont été formulées par les participants de l'atelier ; elles n'engagent pas le comité de pilotage et ne sont pas des préconisations.",
        italic=True,
    )
    for piste in PISTES:
        k.para(doc, piste)
    k.heading(doc, "Suite donnée", 2)
    k.para(doc, "Synthèse transmise au comité de pilotage du 26 septembre 2023.")
    k.save(doc, path)


def point_etape_2024(path: Path) -> None:
    doc = k.new_document(
        title="Point d'étape au 31 mai 2024 — préconisations du diagnostic à 360° 2023",
        author="DDETS de la Haute-Ornelle",
        created=datetime(2024, 6, 12, 9, 0),
        odd_header="Point d'étape — mai 2024",
        even_header=EVEN,
    )
    k.cover(
        doc,
        [
            ("Diagnostic à 360° du sans-abrisme et du mal-logement — Haute-Ornelle", 17, True),
            ("Point d'étape sur la mise en œuvre des préconisations de 2023", 14, False),
            ("Comité de suivi du PDALHPD — situation au 31 mai 2024", 11, False),
            ("Juin 2024", 12, True),
        ],
    )
    k.heading(doc, "Synthèse")
    k.para(
        doc,
        "Huit mois après l'adoption du diagnostic, deux préconisations sur dix sont réalisées, deux sont en cours, une est partiellement atteinte, deux ne sont pas engagées, une est reportée, une est abandonnée et une est intégrée au PDALHPD.",
    )
    k.heading(doc, "État d'avancement par préconisation")
    for n, title, porteur, _, _, _ in PRECONISATIONS_2023:
        wording, _, comment = ETAPE_2024[n]
        k.heading(doc, f"Préconisation n° {n} — {title}", 3)
        k.labelled(doc, "Porteur", porteur)
        k.labelled(doc, "Avancement", wording)
        k.para(doc, comment)
    k.heading(doc, "Prochaine étape")
    k.para(doc, "Le prochain point d'étape sera présenté au comité de suivi de décembre 2024.")
    k.save(doc, path)
