"""The santé mentale DTP of the Vaudrenne (2022): its préconisations, roadmap actions and reviews.

Invented world: département de la Vaudrenne (code 121), région Marches-d'Aurèle.
"""

from __future__ import annotations

DTP = "sm-2022"
TERRITORY = "Vaudrenne"

# n, title, pilot, partners, axis
# fmt: off
PRECONISATIONS = [
    (1, "Créer une plateforme départementale d'orientation en santé mentale accessible par un numéro unique", "DAC de la Vaudrenne", "EPSM de la Vaudrenne, CPTS du Bassin aubrecois, CPTS Lorme et Terrebrune, MDPH de la Vaudrenne", 1),
    (2, "Réduire le délai de premier rendez-vous dans les CMP adultes par un temps d'infirmier d'accueil et d'orientation", "EPSM de la Vaudrenne", "ARS (délégation départementale), CPTS", 1),
    (3, "Déployer une équipe mobile pour adolescents sur les trois territoires de proximité", "EPSM de la Vaudrenne (pôle infanto-juvénile)", "Maison des adolescents, Conseil départemental (ASE), Éducation nationale", 1),
    (4, "Former les professionnels de premier recours au repérage de la souffrance psychique", "CPTS du Bassin aubrecois", "CPTS Lorme et Terrebrune, UNAFAM, IREPS", 1),
    (5, "Créer 20 places de SAMSAH à orientation psychique", "Conseil départemental de la Vaudrenne", "ARS (délégation départementale), association Vaudrenne Solidarités, MDPH", 2),
    (6, "Développer le logement accompagné pour les personnes vivant avec un trouble psychique", "Conseil départemental de la Vaudrenne", "DDETS, bailleurs sociaux, EPSM, SIAO", 2),
    (7, "Organiser l'accès aux soins somatiques des personnes suivies en psychiatrie", "EPSM de la Vaudrenne", "CH de Lormeval, CPTS, DAC de la Vaudrenne", 2),
    (8, "Formaliser un protocole départemental de gestion des situations de crise", "CH de Lormeval (SAMU-Centre 15)", "EPSM, préfecture, gendarmerie, police nationale, SDIS", 3),
    (9, "Soutenir la pair-aidance et ouvrir un troisième GEM à Terrebrune", "ARS (délégation départementale)", "GEM Les Colibris, GEM L'Archipel, UNAFAM, Clinique Les Cèdres", 3),
    (10, "Étendre les conseils locaux de santé mentale aux territoires non couverts", "Ville de Lormeval", "EPSM, ARS, communauté de communes du Plateau de Terrebrune", 4),
    (11, "Créer une unité de réhabilitation psychosociale adossée à un ESAT hors les murs", "EPSM de la Vaudrenne", "ESAT Les Ateliers de la Lorme, Cap emploi, MDPH", 2),
    (12, "Mettre en place un observatoire départemental des indicateurs du PTSM", "ARS (délégation départementale)", "ORS Marches-d'Aurèle, EPSM, DAC", 4),
]
# fmt: on

# fmt: off
AXES = {
    1: "Axe 1 — Repérage précoce et accès au diagnostic",
    2: "Axe 2 — Parcours de soins et de vie sans rupture",
    3: "Axe 3 — Crise, urgence et pair-aidance",
    4: "Axe 4 — Pilotage et territorialisation",
}
# fmt: on

# Status of each préconisation in the June 2024 review: (wording as printed, normalised, comment)
# fmt: off
BILAN_2024 = {
    1: ("En cours de déploiement", "en_cours", "Plateforme ouverte sur le Bassin aubrecois en avril 2024 ; extension aux deux autres territoires prévue au second semestre."),
    2: ("Partiellement atteint", "partiellement_realisee", "Délai moyen ramené de 74 à 41 jours ; l'objectif de 30 jours n'est pas atteint à Quinsac-le-Haut."),
    3: ("Non mis en œuvre", "non_engagee", "Ne fait pas l'objet d'un financement à ce stade ; dossier présenté au fonds d'innovation organisationnelle en psychiatrie."),
    4: ("Réalisé comme prévu", "realisee", "184 professionnels formés aux premiers secours en santé mentale (PSSM) entre 2022 et 2024."),
    5: ("Reportée à 2025", "reportee", "Appel à projets décalé faute de crédits ; la programmation est inscrite au schéma départemental de l'autonomie."),
    6: ("Objectif non atteint", "partiellement_realisee", "12 places de résidence accueil ouvertes sur les 30 prévues."),
    7: ("Réalisé", "realisee", "Consultations de médecine générale ouvertes à l'EPSM en mars 2023 (2 demi-journées par semaine)."),
    8: ("Non abandonnée, relancée en 2024", "en_cours", "Le protocole n'avait pas été signé en 2023 ; il est repris dans le cadre du service d'accès aux soins (SAS) psychiatrie."),
    9: ("Pas encore engagée", "non_engagee", "Aucun porteur identifié pour le GEM de Terrebrune."),
    10: ("Intégrée au CLS", "integree", "Le CLSM de Lormeval est intégré au contrat local de santé 2023-2027 de Lormeval."),
    11: ("Abandonnée", "abandonnee", "L'ESAT Les Ateliers de la Lorme a réorienté son projet ; la réhabilitation passe par le centre de proximité de l'EPSM."),
    12: ("0 %", "non_engagee", "Non démarré : le poste de chargé d'études n'a pas été pourvu."),
}
# fmt: on
BILAN_DATE = "2024-06-30"

# The older sheet of the tracker (state at 31/12/2023).
# fmt: off
TRACKER_2023 = {
    1: "Pas encore engagée",
    2: "En cours",
    3: "Non engagée",
    4: "En cours (120 professionnels formés)",
    5: "En cours d'instruction",
    6: "En cours",
    7: "Réalisé",
    8: "En suspens",
    9: "Non engagée",
    10: "En cours",
    11: "En suspens",
    12: "Non engagée",
}
# fmt: on

# Roadmap actions (feuille de route actualisée, janvier 2024):
# label, title, préconisation, pilot, partners, deadline, indicators, status wording, normalised
# fmt: off
ACTIONS = [
    ("Action 1.1", "Ouvrir la plateforme d'orientation en santé mentale", 1, "DAC de la Vaudrenne", "EPSM, CPTS du Bassin aubrecois, CPTS Lorme et Terrebrune", "Décembre 2024", "Nombre d'appels traités ; délai moyen d'orientation", "En cours", "en_cours"),
    ("Action 1.2", "Installer un infirmier d'accueil et d'orientation dans chaque CMP adultes", 2, "EPSM de la Vaudrenne", "ARS (délégation départementale)", "Juin 2023", "Délai moyen de premier rendez-vous en CMP adultes", "Réalisée", "realisee"),
    ("Action 1.3", "Former 150 professionnels de premier recours aux premiers secours en santé mentale", 4, "CPTS du Bassin aubrecois", "CPTS Lorme et Terrebrune, IREPS, UNAFAM", "Décembre 2023", "Nombre de professionnels formés", "Réalisée", "realisee"),
    ("Action 2.1", "Créer l'équipe mobile pour adolescents", 3, "EPSM de la Vaudrenne (pôle infanto-juvénile)", "Maison des adolescents, Conseil départemental (ASE)", "2025", "Nombre d'adolescents suivis ; délai d'intervention", "Non engagée – en attente de financement", "non_engagee"),
    ("Action 2.2", "Organiser un parcours de soins somatiques pour les patients de l'EPSM", 7, "EPSM de la Vaudrenne", "CH de Lormeval, CPTS, DAC de la Vaudrenne", "Mars 2023", "Part des patients hospitalisés ayant un médecin traitant ; nombre de consultations somatiques", "Réalisée", "realisee"),
    ("Action 2.3", "Rédiger et signer le protocole départemental de gestion de crise", 8, "CH de Lormeval (SAMU-Centre 15)", "EPSM, préfecture, gendarmerie, police nationale, SDIS", "Juin 2024", "Protocole signé ; nombre de retours d'expérience partagés", "Non démarrée", "non_engagee"),
    ("Action 3.1", "Installer 20 places de SAMSAH à orientation psychique", 5, "Conseil départemental de la Vaudrenne", "ARS, association Vaudrenne Solidarités, MDPH", "2025", "Nombre de places installées", "Reportée à 2025", "reportee"),
    ("Action 3.2", "Ouvrir 30 places de résidence accueil", 6, "Conseil départemental de la Vaudrenne", "DDETS, bailleurs sociaux, SIAO", "Décembre 2025", "Nombre de places ouvertes", "En cours", "en_cours"),
    ("Action 3.3", "Accompagner la création d'un GEM à Terrebrune", 9, "ARS (délégation départementale)", "GEM Les Colibris, GEM L'Archipel, UNAFAM", "2024", "GEM ouvert ; nombre d'adhérents", "Pas encore engagée", "non_engagee"),
    ("Action 4.1", "Installer un conseil local de santé mentale à Lormeval", 10, "Ville de Lormeval", "EPSM, ARS", "2023", "CLSM installé ; nombre de réunions plénières", "Intégrée au CLS de Lormeval", "integree"),
    ("Action 4.2", "Construire le tableau de bord de l'observatoire du PTSM", 12, "ARS (délégation départementale)", "ORS Marches-d'Aurèle, DAC", "Décembre 2024", "Tableau de bord publié", "Non démarrée", "non_engagee"),
]
# fmt: on
ACTIONS_DATE = "2024-01-15"

# The objective of each préconisation, as the livret states it.
OBJECTIFS = {
    1: "Un numéro unique, tenu par le DAC, répond aux professionnels et aux familles et oriente vers la bonne ressource en moins de 48 heures.",
    2: "Un infirmier d'accueil et d'orientation reçoit toute nouvelle demande en CMP adultes dans les 15 jours ; l'objectif est un délai de premier rendez-vous médical de 30 jours.",
    3: "Une équipe pluridisciplinaire se déplace au domicile, au collège ou au foyer de l'ASE pour les 12-18 ans en rupture de soins.",
    4: "Former en trois ans 150 médecins, pharmaciens, infirmiers et travailleurs sociaux aux premiers secours en santé mentale.",
    5: "Créer 20 places de SAMSAH, dont 10 sur le Plateau de Terrebrune, pour réduire les hospitalisations au long cours.",
    6: "Ouvrir 30 places de résidence accueil et développer l'accompagnement au logement après une hospitalisation.",
    7: "Chaque patient hospitalisé plus de 30 jours bénéficie d'un bilan somatique et d'un médecin traitant à sa sortie.",
    8: "Un protocole écrit précise qui intervient, dans quel délai et avec quel transport, en journée comme la nuit.",
    9: "Reconnaître les pairs-aidants dans les équipes et ouvrir un groupe d'entraide mutuelle sur le territoire rural.",
    10: "Couvrir les trois territoires de proximité par un CLSM d'ici 2025.",
    11: "Offrir un parcours vers l'emploi accompagné aux personnes stabilisées, en lien avec l'ESAT Les Ateliers de la Lorme.",
    12: "Suivre chaque année une vingtaine d'indicateurs partagés (délais, hospitalisations sans consentement, suicides).",
}

# Tables of the livret.
POPULATION = [
    [
        "Territoire de proximité",
        "Population 2019",
        "Part des moins de 20 ans",
        "Psychiatres libéraux",
    ],
    ["Bassin aubrecois", "251 300", "22,4 %", "14"],
    ["Vallée de la Lorme", "176 800", "20,9 %", "5"],
    ["Plateau de Terrebrune", "106 100", "18,7 %", "1"],
    ["Vaudrenne", "534 200", "21,1 %", "20"],
]

OFFER = [
    ["Structure", "Implantation", "Capacité", "Public"],
    ["EPSM de la Vaudrenne (5 secteurs adultes)", "Saint-Aubrec", "212 lits et places", "adultes"],
    [
        "Pôle infanto-juvénile de l'EPSM (2 intersecteurs)",
        "Saint-Aubrec, Lormeval",
        "24 places d'HDJ",
        "0-17 ans",
    ],
    ["Clinique Les Cèdres", "Quinsac-le-Haut", "60 lits", "adultes"],
    ["CMP adultes", "Saint-Aubrec, Lormeval, Quinsac-le-Haut, Terrebrune", "5 CMP", "adultes"],
    ["CMP infanto-juvéniles", "Saint-Aubrec, Lormeval, Terrebrune", "3 CMP", "0-17 ans"],
    [
        "SAMSAH Trait d'union (Vaudrenne Solidarités)",
        "Saint-Aubrec",
        "30 places",
        "handicap psychique",
    ],
    ["SAVS Cap Vaudrenne", "Lormeval", "45 places", "handicap psychique"],
    ["ESAT Les Ateliers de la Lorme", "Lormeval", "86 places", "travailleurs handicapés"],
    ["GEM Les Colibris", "Saint-Aubrec", "71 adhérents", "adultes"],
    ["GEM L'Archipel", "Lormeval", "47 adhérents", "adultes"],
    ["Maison des adolescents", "Saint-Aubrec", "1 antenne à Lormeval", "11-25 ans"],
    ["Résidence accueil Les Quatre-Vents", "Saint-Aubrec", "24 places", "handicap psychique"],
    [
        "Équipe mobile psychiatrie-précarité (EMPP)",
        "Saint-Aubrec",
        "3,5 ETP",
        "personnes précaires",
    ],
]

GLOSSAIRE = [
    ["ASE", "aide sociale à l'enfance"],
    ["CMP", "centre médico-psychologique"],
    ["CPTS", "communauté professionnelle territoriale de santé"],
    ["DAC", "dispositif d'appui à la coordination"],
    ["EPSM", "établissement public de santé mentale"],
    ["ESAT", "établissement et service d'aide par le travail"],
    ["GEM", "groupe d'entraide mutuelle"],
    ["PSSM", "premiers secours en santé mentale"],
    ["SAMSAH", "service d'accompagnement médico-social pour adultes handicapés"],
]
