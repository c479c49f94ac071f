"""The two livrets of the sans-abrisme DTPs of the Haute-Ornelle (2019 and 2023)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import docxkit as k
from sa_data import PRECONISATIONS_2019, PRECONISATIONS_2023, SUIVI_2019

EVEN = "Préfecture de la Haute-Ornelle — DDETS"

OFFRE_2019 = [
    ["Type d'offre", "Places au 31/12/2018", "dont Agglomération mirvaloise"],
    ["Centres d'hébergement et de réinsertion sociale (CHRS)", "214", "162"],
    ["Hébergement d'urgence (CHU)", "251", "207"],
    ["Places à l'hôtel (nuitées)", "86", "86"],
    ["Allocation logement temporaire (ALT)", "61", "38"],
    ["Pensions de famille et résidences accueil", "64", "64"],
    ["Résidences sociales et FJT", "254", "198"],
    ["Intermédiation locative (IML)", "40", "40"],
    ["Total", "970", "795"],
]

ETHOS = [
    ["Catégorie ETHOS", "Situation", "Personnes recensées"],
    ["1", "Personnes vivant à la rue", "83"],
    ["2", "Personnes en hébergement d'urgence", "251"],
    ["3", "Personnes en hébergement d'insertion", "214"],
    ["7-9", "Logement précaire (hébergement chez des tiers, menace d'expulsion)", "1 137"],
    ["11-12", "Habitat indigne ou inadapté (caravanes, squats)", "402"],
]


INFRA_2019 = [
    ["Territoire", "Population", "Places d'hébergement", "Appels au 115", "Accueil de jour"],
    ["Agglomération mirvaloise", "183 100", "795", "10 940", "2"],
    ["Pays de Castelnoir", "121 700", "148", "2 870", "1"],
    ["Haut-Ornellois rural", "84 800", "27", "1 050", "0"],
    ["Haute-Ornelle", "389 600", "970", "14 860", "3"],
]

OBJECTIFS_2019 = {
    1: "Le SIAO publie chaque semestre les demandes, les attributions et les refus, par territoire et par public.",
    2: "Tout ménage en impayé est contacté par un travailleur social dans le mois qui suit le signalement de la CAF.",
    3: "Une pension de famille d'une vingtaine de places est ouverte hors de l'agglomération.",
    4: "Aucun jeune ne quitte l'ASE à 18 ans sans solution de logement ou d'hébergement.",
    5: "Une équipe de deux infirmiers et d'un psychologue se déplace dans le Haut-Ornellois, en lien avec les CCAS.",
    6: "Capter 150 logements du parc privé en intermédiation locative d'ici 2022.",
    7: "Disposer de places d'hébergement sécurisées pour les femmes victimes de violences et leurs enfants.",
    8: "Chaque personne sans domicile peut se domicilier à moins de 20 minutes de son lieu de vie.",
    9: "Toute sortie de détention ou d'hospitalisation sans logement est signalée au SIAO un mois à l'avance.",
    10: "Former 200 professionnels de la veille sociale et de l'hébergement à l'approche Logement d'abord.",
}


def _infra_2019(doc) -> None:
    k.heading(doc, "3 bis. Analyse infra-départementale")
    k.para(
        doc,
        "Les trois territoires ne présentent ni les mêmes besoins ni la même offre. L'analyse par territoire a été demandée par le comité de pilotage.",
    )
    k.table(doc, INFRA_2019[0], INFRA_2019[1:], widths=[4.6, 2.6, 3.2, 3, 3])
    k.para(doc, "Source : SI-SIAO 2018, INSEE 2016.", italic=True, size=8)
    k.para(
        doc,
        "Dans le Pays de Castelnoir, la fermeture de l'usine textile en 2016 a fait croître les impayés de loyer de 27 % en deux ans. Le centre pénitentiaire de Castelnoir (420 places) est le premier pourvoyeur de demandes au 115 du territoire.",
    )
    k.para(
        doc,
        "Le Haut-Ornellois rural combine habitat indigne, isolement et absence de transports : 61 % des 402 situations d'habitat indigne recensées s'y trouvent.",
    )
    k.quote(
        doc,
        "Les gens ne demandent rien. On les découvre quand le toit s'effondre ou quand le maire nous appelle.",
        "assistante sociale de secteur, Haut-Ornellois",
    )
    k.heading(doc, "3 ter. Les ruptures de parcours", 2)
    k.bullets(
        doc,
        [
            "sortie de l'ASE à 18 ans ;",
            "sortie de détention sans domicile ;",
            "sortie d'hospitalisation psychiatrique sans logement ;",
            "expulsion locative sans relogement ;",
            "départ du domicile conjugal pour les femmes victimes de violences.",
        ],
    )
    k.page_break(doc)


def _cover(doc, lines) -> None:
    k.cover(doc, lines)


def livret_2019(path: Path) -> None:
    doc = k.new_document(
        title="Diagnostic à 360° du sans-abrisme et du mal-logement — Haute-Ornelle",
        author="DDETS de la Haute-Ornelle",
        created=datetime(2019, 11, 25, 9, 0),
        odd_header="Diagnostic à 360° — Haute-Ornelle — 2019",
        even_header=EVEN,
    )
    _cover(
        doc,
        [
            ("Diagnostic territorial partagé à 360°", 20, True),
            ("du sans-abrisme et du mal-logement", 16, True),
            ("Département de la Haute-Ornelle", 13, False),
            (
                "Préfecture de la Haute-Ornelle — Conseil départemental de la Haute-Ornelle",
                10,
                False,
            ),
            ("Novembre 2019", 12, True),
            ("Dans le cadre du PDALHPD 2017-2022", 9, False),
        ],
    )
    k.heading(doc, "Sommaire")
    for line in [
        "1. Une démarche partagée",
        "2. Le territoire",
        "3. Les publics et leurs besoins",
        "4. L'offre existante",
        "5. Préconisations",
    ]:
        k.para(doc, line)
    k.page_break(doc)
    k.heading(doc, "1. Une démarche partagée")
    k.para(
        doc,
        "À la demande de la DIHAL, chaque département établit un diagnostic à 360° qui couvre tout le champ, de la rue au logement. En Haute-Ornelle, la DDETS et le Conseil départemental l'ont conduit de mars à octobre 2019 avec le SIAO et 38 structures.",
    )
    k.para(
        doc,
        "La démarche a combiné l'exploitation du SI-SIAO, une enquête flash la nuit du 14 mars 2019, trois ateliers thématiques (61 participants) et 19 entretiens avec des personnes hébergées ou à la rue.",
    )
    k.heading(doc, "2. Le territoire")
    k.para(
        doc,
        "La Haute-Ornelle compte 389 600 habitants. L'Agglomération mirvaloise en regroupe 47 % ; le Pays de Castelnoir et le Haut-Ornellois rural sont peu denses et mal desservis.",
    )
    k.para(
        doc,
        "Le taux de pauvreté atteint 16,2 % (14,5 % en France métropolitaine) et 24 % dans les quartiers nord de Mirvaux.",
    )
    k.page_break(doc)
    k.heading(doc, "3. Les publics et leurs besoins")
    k.para(doc, "L'enquête flash a permis de situer les personnes selon la typologie ETHOS.")
    k.table(doc, ETHOS[0], ETHOS[1:], widths=[3, 9, 4])
    k.para(
        doc,
        "Le 115 a reçu 14 860 appels en 2018 ; 38 % des demandes d'hébergement n'ont pas pu être pourvues, faute de place, dont 61 % pour des hommes seuls.",
    )
    k.para(
        doc,
        "Dans le Haut-Ornellois rural, aucune maraude ni accueil de jour n'existe. Les personnes en souffrance psychique y sont repérées tardivement, faute d'équipe mobile psychiatrie-précarité hors de Mirvaux.",
    )
    k.quote(
        doc,
        "Ici, quand on perd son logement, on part à Mirvaux. Il n'y a rien d'autre.",
        "homme de 52 ans, hébergé au CHU de Mirvaux",
    )
    k.para(
        doc,
        "En 2018, 46 jeunes sont sortis de l'ASE à 18 ans sans solution de logement stable. Le centre pénitentiaire de Castelnoir a libéré 112 personnes sans domicile connu.",
    )
    k.para(
        doc,
        "312 commandements de quitter les lieux ont été délivrés en 2018 et 71 expulsions ont eu lieu avec le concours de la force publique.",
    )
    k.page_break(doc)
    _infra_2019(doc)
    k.heading(doc, "4. L'offre existante")
    k.table(doc, OFFRE_2019[0], OFFRE_2019[1:], widths=[8.5, 3.5, 4.5])
    k.para(doc, "Source : DDETS, SI-SIAO, FINESS.", italic=True, size=8)
    k.para(
        doc,
        "L'offre est concentrée à Mirvaux : 82 % des places. Aucune pension de famille n'existe hors de l'agglomération. L'équipe mobile psychiatrie-précarité du CH de Mirvaux (2 ETP) n'intervient que dans l'agglomération.",
    )
    k.page_break(doc)
    k.heading(doc, "5. Préconisations")
    k.para(doc, "Le comité de pilotage du 8 octobre 2019 a adopté dix préconisations.")
    for n, title, porteur, partners in PRECONISATIONS_2019:
        k.heading(doc, f"Préconisation n°{n} : {title}", 3)
        k.para(doc, OBJECTIFS_2019[n])
        k.labelled(doc, "Porteur", porteur)
        k.labelled(doc, "Partenaires", partners)
    k.save(doc, path)


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
        "À Castelnoir, la pension de famille Les Tilleuls, ouverte en 2022, affiche complet : 22 résidents et 14 demandes en attente.",
    )
    k.page_break(doc)


def livret_2023(path: Path) -> None:
    doc = k.new_document(
        title="Diagnostic à 360° du sans-abrisme et du mal-logement — Haute-Ornelle — actualisation 2023",
        author="DDETS de la Haute-Ornelle",
        created=datetime(2023, 10, 16, 9, 0),
        odd_header="Diagnostic à 360° — actualisation 2023",
        even_header=EVEN,
    )
    _cover(
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
    k.save(doc, path)
