"""The livret of the 2023 actualisation of the sans-abrisme DTP of the Haute-Ornelle."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import docxkit as k
from sa_data import PRECONISATIONS_2019, PRECONISATIONS_2023, SUIVI_2019

EVEN = "Préfecture de la Haute-Ornelle — DDETS"


OFFRE_2023 = [
    ["Type d'offre", "Places 2018", "Places 2022", "Évolution"],
    ["CHRS", "214", "226", "+ 12"],
    ["Hébergement d'urgence (CHU)", "251", "289", "+ 38"],
    ["Places à l'hôtel (nuitées)", "86", "131", "+ 45"],
    ["Pensions de famille et résidences accueil", "64", "86", "+ 22"],
    ["Intermédiation locative (IML)", "40", "96", "+ 56"],
]


OBJECTIFS_2023 = {
    1: "Un tableau de bord annuel, public, décrit la demande et la réponse par territoire et par public.",
    2: "Atteindre 200 logements en intermédiation locative, dont 40 hors de l'agglomération mirvaloise.",
    3: "Un accueil de jour ouvert quatre jours par semaine à Pont-Ardent, avec une permanence d'accès aux droits.",
    4: "Une équipe mobile psychiatrie-précarité intervient dans tout le Haut-Ornellois et le Pays de Castelnoir.",
    5: "Chaque jeune confié à l'ASE dispose à 17 ans d'un projet de logement validé.",
    6: "Une halte de nuit de 15 places accepte les personnes accompagnées d'animaux.",
    7: "Les sorties de détention et d'hospitalisation sont signalées au SIAO un mois à l'avance.",
    8: "Plus aucune famille avec enfants n'est hébergée à l'hôtel au-delà de trois mois.",
    9: "Former 300 professionnels d'ici 2026, y compris les bénévoles des maraudes.",
    10: "Un conseil départemental des personnes accueillies est consulté avant chaque décision de programmation.",
}


INFRA_2023 = [
    [
        "Territoire",
        "Personnes à la rue (mars 2023)",
        "Places d'hébergement 2022",
        "Délai moyen d'orientation SIAO",
    ],
    ["Agglomération mirvaloise", "86", "846", "23 jours"],
    ["Pays de Castelnoir", "22", "171", "41 jours"],
    ["Haut-Ornellois rural", "9", "31", "67 jours"],
]


GLOSSAIRE = [
    ["ALT", "allocation logement temporaire"],
    ["CCAPEX", "commission de coordination des actions de prévention des expulsions locatives"],
    ["CCRPA", "conseil consultatif régional des personnes accueillies ou accompagnées"],
    ["CHRS", "centre d'hébergement et de réinsertion sociale"],
    ["CHU", "centre d'hébergement d'urgence"],
    ["EMPP", "équipe mobile psychiatrie-précarité"],
    ["IML", "intermédiation locative"],
    [
        "PDALHPD",
        "plan départemental d'action pour le logement et l'hébergement des personnes défavorisées",
    ],
    ["SIAO", "service intégré d'accueil et d'orientation"],
    ["SPIP", "service pénitentiaire d'insertion et de probation"],
]


def _paroles_2023(doc) -> None:
    k.heading(doc, "4 bis. Paroles de personnes concernées", 2)
    k.para(
        doc,
        "Onze personnes sans domicile ou hébergées ont été rencontrées individuellement entre avril et juin 2023, dans les accueils de jour, au CHRS Le Gué et à la pension de famille Les Aulnes.",
    )
    k.quote(
        doc,
        "À la sortie de prison, on m'a donné un ticket de bus et le numéro du 115. Le 115 était saturé.",
        "homme de 29 ans, sorti de détention en 2022",
    )
    k.quote(
        doc,
        "Depuis que j'ai un studio en intermédiation locative, j'ai retrouvé un travail à mi-temps.",
        "femme de 33 ans, Mirvaux",
    )
    k.quote(
        doc,
        "On nous demande notre avis une fois, puis on ne sait jamais ce qui a été décidé.",
        "membre du CCRPA",
    )
    k.para(
        doc,
        "Les personnes rencontrées demandent d'abord de la stabilité : ne plus changer de lieu d'hébergement, garder le même référent social et pouvoir rester avec leur conjoint ou leur animal.",
    )


def _bilan_2019(doc) -> None:
    k.heading(doc, "Ce que sont devenues les préconisations de 2019", 2)
    rows = [[f"n°{n}", title, SUIVI_2019[n][1]] for n, title, _, _ in PRECONISATIONS_2019]
    k.table(
        doc, ["2019", "Préconisation", "Situation au 31/12/2022"], rows, widths=[1.5, 10.5, 4.5]
    )
    k.para(
        doc, "Source : tableau de suivi du PDALHPD, mise à jour au 31/12/2022.", italic=True, size=8
    )


def _infra_2023(doc) -> None:
    k.heading(doc, "3 bis. Lecture par territoire")
    k.table(doc, INFRA_2023[0], INFRA_2023[1:], widths=[4.8, 3.8, 3.8, 4])
    k.para(
        doc,
        "Le délai moyen entre la demande au SIAO et l'orientation vers une place est près de trois fois plus long dans le Haut-Ornellois rural que dans l'agglomération.",
    )
    k.para(
        doc,
        "À Castelnoir, la pension de famille Les Aulnes, ouverte en 2022, affiche complet : 22 résidents et 14 demandes en attente.",
    )
    k.page_break(doc)


def build(path: Path) -> None:
    doc = k.new_document(
        title="Diagnostic à 360° du sans-abrisme et du mal-logement — Haute-Ornelle — actualisation 2023",
        author="DDETS de la Haute-Ornelle",
        created=datetime(2023, 10, 16, 9, 0),
        odd_header="Diagnostic à 360° — actualisation 2023",
        even_header=EVEN,
    )
    k.cover(
        doc,
        [
            ("Diagnostic à 360° du sans-abrisme et du mal-logement", 20, True),
            ("Haute-Ornelle — actualisation", 15, False),
            ("DDETS de la Haute-Ornelle — Conseil départemental — SIAO", 11, False),
            ("Octobre 2023", 12, True),
            ("Plan quinquennal pour le Logement d'abord 2023-2027", 9, False),
        ],
    )
    k.heading(doc, "1. Pourquoi actualiser le diagnostic de 2019 ?")
    k.para(
        doc,
        "Quatre ans après le premier diagnostic, la crise sanitaire et la hausse des prix de l'énergie ont modifié les besoins. Le nouveau PDALHPD 2023-2028 demandait un diagnostic actualisé.",
    )
    k.para(
        doc,
        "Sur les dix préconisations de 2019, trois sont réalisées au 31 décembre 2022 ; la préconisation n°5 (équipe mobile psychiatrie-précarité rurale) n'a pas été mise en œuvre et la préconisation n°8 (domiciliation rurale) a été abandonnée.",
    )
    _bilan_2019(doc)
    k.heading(doc, "2. Méthode")
    k.para(
        doc,
        "L'actualisation a été conduite de février à septembre 2023 : exploitation du SI-SIAO et du tableau de bord de l'observatoire, deux ateliers (sorties d'institutions ; accès au logement) avec 54 participants, et 23 entretiens, dont 11 avec des personnes concernées.",
    )
    k.page_break(doc)
    k.heading(doc, "3. Ce qui a changé depuis 2019")
    k.table(doc, OFFRE_2023[0], OFFRE_2023[1:], widths=[8, 2.7, 2.7, 2.6])
    k.para(
        doc,
        "Les appels au 115 sont passés de 14 860 en 2018 à 18 230 en 2022. Le taux de demandes non pourvues est de 44 % en 2022.",
    )
    k.para(
        doc,
        "La nuit de l'enquête flash du 16 mars 2023, 117 personnes vivaient à la rue, contre 83 en 2019. Les familles avec enfants représentent 29 % des personnes hébergées à l'hôtel.",
    )
    k.quote(
        doc,
        "Avec mes deux enfants, on a changé trois fois d'hôtel en six mois. L'école est à une heure de bus.",
        "mère hébergée à l'hôtel à Mirvaux",
    )
    k.para(
        doc,
        "En 2022, 31 jeunes majeurs sont sortis de l'ASE sans solution de logement stable, contre 46 en 2018.",
    )
    k.page_break(doc)
    _infra_2023(doc)
    k.heading(doc, "4. Besoins non couverts")
    k.bullets(
        doc,
        [
            "Les personnes avec animaux, refusées dans la quasi-totalité des structures, restent à la rue.",
            "Le Haut-Ornellois rural ne dispose toujours d'aucun accueil de jour ; Pont-Ardent est à 55 minutes de Mirvaux.",
            "Les sortants de détention et d'hospitalisation psychiatrique arrivent au 115 sans avoir été signalés.",
            "Les personnes concernées ne participent pas au pilotage de la politique d'hébergement.",
        ],
    )
    k.quote(
        doc,
        "Avec mon chien, je ne rentre nulle part. Alors je dors dans la voiture.",
        "homme de 38 ans, Castelnoir",
    )
    _paroles_2023(doc)
    k.page_break(doc)
    k.heading(doc, "5. Préconisations 2023")
    k.para(
        doc,
        "Le comité de pilotage du 26 septembre 2023 a adopté dix préconisations. Certaines prolongent des préconisations du diagnostic de 2019 ; elles sont signalées dans le texte.",
    )
    for n, title, porteur, partners, _, prose in PRECONISATIONS_2023:
        k.heading(doc, f"Préconisation n°{n} : {title}", 3)
        k.para(doc, OBJECTIFS_2023[n])
        k.labelled(doc, "Porteur(s)", porteur)
        k.labelled(doc, "Acteurs associés", partners)
        if prose:
            k.para(doc, prose)
    k.page_break(doc)
    k.heading(doc, "Glossaire")
    k.table(doc, None, GLOSSAIRE, widths=[3, 13])
    k.save(doc, path)
