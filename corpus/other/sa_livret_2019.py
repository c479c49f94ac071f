"""The livret of the 2019 sans-abrisme DTP of the Haute-Ornelle (diagnostic à 360°)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import docxkit as k
from sa_data import PRECONISATIONS_2019

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


CONTRIBUTEURS = [
    ["SIAO de la Haute-Ornelle (association Relais Ornelle)", "Mirvaux"],
    ["CHRS La Traverse", "Mirvaux"],
    ["CHRS Le Gué", "Castelnoir"],
    ["CHU de Mirvaux (Relais Ornelle)", "Mirvaux"],
    ["Accueil de jour L'Escalier", "Mirvaux"],
    ["Accueil de jour Le Préau", "Mirvaux"],
    ["Accueil de jour du Secours populaire", "Castelnoir"],
    ["Maraude de la Croix-Rouge", "Mirvaux"],
    ["CCAS de Mirvaux", "Mirvaux"],
    ["CCAS de Castelnoir", "Castelnoir"],
    ["CH de Mirvaux (EMPP, psychiatrie)", "Mirvaux"],
    ["SPIP de la Haute-Ornelle", "Castelnoir"],
    ["Mission locale de la Haute-Ornelle", "Mirvaux"],
    ["FJT de Mirvaux", "Mirvaux"],
    ["CIDFF de la Haute-Ornelle", "Mirvaux"],
    ["ADIL de la Haute-Ornelle", "Mirvaux"],
    ["CAF de la Haute-Ornelle", "Mirvaux"],
    ["Ornelle Habitat (office public de l'habitat)", "Mirvaux"],
]


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


def _veille_sociale_2019(doc) -> None:
    k.heading(doc, "4 bis. La veille sociale", 2)
    k.para(
        doc,
        "Le 115 est tenu par le SIAO 24 heures sur 24. Deux maraudes interviennent à Mirvaux (Croix-Rouge, quatre soirs par semaine ; équipe salariée du Relais Ornelle, en journée). Aucune maraude ne couvre le Pays de Castelnoir ni le Haut-Ornellois rural.",
    )
    k.para(
        doc,
        "Trois accueils de jour existent : L'Escalier et Le Préau à Mirvaux, et celui du Secours populaire à Castelnoir, ouvert deux demi-journées par semaine.",
    )
    k.quote(
        doc,
        "Le matin, je vais à L'Escalier pour la douche et le café. L'après-midi, il n'y a plus rien d'ouvert.",
        "femme de 45 ans, sans domicile depuis deux ans",
    )
    k.para(
        doc,
        "Les personnes hébergées citent trois difficultés : la remise à la rue le matin dans les places d'urgence de nuit, l'éloignement des services pour les personnes sans véhicule, et la séparation des couples dans les structures.",
    )


def build(path: Path) -> None:
    doc = k.new_document(
        title="Diagnostic à 360° du sans-abrisme et du mal-logement — Haute-Ornelle",
        author="DDETS de la Haute-Ornelle",
        created=datetime(2019, 11, 25, 9, 0),
        odd_header="Diagnostic à 360° — Haute-Ornelle — 2019",
        even_header=EVEN,
    )
    k.cover(
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
    p = k.para(doc, "L'enquête flash a permis de situer les personnes selon la typologie ETHOS.")
    k.footnote(
        doc, p, "European Typology of Homelessness and housing exclusion, établie par la FEANTSA."
    )
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
    _veille_sociale_2019(doc)
    k.page_break(doc)
    k.heading(doc, "5. Préconisations")
    k.para(doc, "Le comité de pilotage du 8 octobre 2019 a adopté dix préconisations.")
    for n, title, porteur, partners in PRECONISATIONS_2019:
        k.heading(doc, f"Préconisation n°{n} : {title}", 3)
        k.para(doc, OBJECTIFS_2019[n])
        k.labelled(doc, "Porteur", porteur)
        k.labelled(doc, "Partenaires", partners)
    k.page_break(doc)
    k.heading(doc, "Annexe — Structures ayant contribué au diagnostic")
    k.table(doc, ["Structure", "Commune"], CONTRIBUTEURS, widths=[10, 6])
    k.save(doc, path)
