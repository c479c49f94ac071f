"""The two sans-abrisme DTPs of the Haute-Ornelle (2019 and its 2023 successor).

Invented world: département de la Haute-Ornelle (code 122), région Marches-d'Aurèle.
"""

from __future__ import annotations

TERRITORY = "Haute-Ornelle"
DTP_2019 = "sa-2019"
DTP_2023 = "sa-2023"

# n, title, porteur, partenaires
# fmt: off
PRECONISATIONS_2019 = [
    (1, "Créer un observatoire partagé de la demande d'hébergement et de logement", "SIAO de la Haute-Ornelle", "DDETS, Conseil départemental, CCAS de Mirvaux"),
    (2, "Renforcer la prévention des expulsions locatives dès le premier impayé", "Conseil départemental de la Haute-Ornelle", "CAF, CCAPEX, bailleurs sociaux, ADIL"),
    (3, "Ouvrir une pension de famille à Castelnoir", "DDETS de la Haute-Ornelle", "Ville de Castelnoir, association Relais Ornelle"),
    (4, "Accompagner vers le logement les jeunes sortant de l'aide sociale à l'enfance", "Conseil départemental de la Haute-Ornelle (ASE)", "Mission locale, FJT de Mirvaux, SIAO"),
    (5, "Créer une équipe mobile psychiatrie-précarité pour le Haut-Ornellois rural", "CH de Mirvaux", "ARS, SIAO, CCAS"),
    (6, "Développer l'intermédiation locative dans le parc privé", "DDETS de la Haute-Ornelle", "Association Relais Ornelle, agences immobilières sociales"),
    (7, "Réserver des places d'hébergement aux femmes victimes de violences", "DDETS de la Haute-Ornelle", "CIDFF, CHRS La Traverse, gendarmerie"),
    (8, "Organiser la domiciliation administrative dans les communes rurales", "CCAS de Mirvaux", "communautés de communes, La Poste"),
    (9, "Coordonner les sorties de détention et d'hospitalisation sans solution de logement", "SIAO de la Haute-Ornelle", "SPIP, centre pénitentiaire de Castelnoir, CH de Mirvaux"),
    (10, "Former les travailleurs sociaux à l'approche « Logement d'abord »", "DDETS de la Haute-Ornelle", "Conseil départemental, IRTS, SIAO"),
]
# fmt: on

# The cp1252 tracker (mise à jour au 31/12/2022): the older column and the latest one.
# fmt: off
SUIVI_2019 = {
    1: ("En cours", "Réalisée", "realisee", "Observatoire installé en 2021 ; premier bulletin en juin 2022."),
    2: ("En cours", "En cours", "en_cours", "Signalement des impayés dès 2 mois expérimenté par la CAF à Mirvaux."),
    3: ("En cours", "Réalisé comme prévu", "realisee", "Pension de famille Les Aulnes (22 places) ouverte en septembre 2022."),
    4: ("Non engagée", "Partiellement réalisée", "partiellement_realisee", "14 contrats jeunes majeurs signés ; pas de logement dédié."),
    5: ("Non engagée", "Non mis en œuvre", "non_engagee", "Pas de financement ARS obtenu."),
    6: ("En cours", "En cours de déploiement", "en_cours", "96 logements captés en IML fin 2022 (objectif 150)."),
    7: ("En cours", "Réalisée (100 %)", "realisee", "12 places dédiées ouvertes au CHRS La Traverse."),
    8: ("En suspens", "Abandonnée", "abandonnee", "Les communautés de communes n'ont pas souhaité porter la domiciliation."),
    9: ("Non engagée", "Reportée", "reportee", "Protocole renvoyé au prochain diagnostic."),
    10: ("En cours", "Intégrée au PDALHPD 2023-2028", "integree", "Reprise dans l'action 4 du nouveau plan départemental."),
}
# fmt: on
SUIVI_DATE = "2022-12-31"

# n, title, porteur, partenaires, precedent (n of 2019 or None), prose about the precedent
# fmt: off
PRECONISATIONS_2023 = [
    (1, "Publier chaque année un tableau de bord partagé de la demande d'hébergement", "SIAO de la Haute-Ornelle", "DDETS, Conseil départemental, CCAS", None, "Elle ne reprend pas la préconisation n°1 du DTP de 2019, qui est réalisée, mais s'appuie sur l'observatoire que celle-ci a permis de créer."),
    (2, "Porter l'intermédiation locative à 200 logements", "DDETS de la Haute-Ornelle", "Association Relais Ornelle, agences immobilières sociales, propriétaires privés", 6, "Cette préconisation prolonge la préconisation n°6 du DTP de 2019."),
    (3, "Ouvrir un accueil de jour à Pont-Ardent", "Ville de Pont-Ardent", "DDETS, Secours populaire, CCAS", None, ""),
    (4, "Créer une équipe mobile psychiatrie-précarité pour le Haut-Ornellois", "CH de Mirvaux", "ARS, SIAO, CCAS, CPTS du Haut-Ornellois", 5, "Elle reprend, en l'élargissant, la préconisation n°5 du diagnostic de 2019, restée sans suite."),
    (5, "Garantir une solution de logement à chaque jeune majeur sortant de l'ASE", "Conseil départemental de la Haute-Ornelle (ASE)", "Mission locale, FJT de Mirvaux, SIAO, bailleurs sociaux", 4, "Elle poursuit la préconisation n°4 du précédent diagnostic, partiellement réalisée."),
    (6, "Créer une halte de nuit acceptant les personnes avec animaux", "Ville de Mirvaux", "DDETS, association Relais Ornelle", None, ""),
    (7, "Signer un protocole départemental pour les sorties de détention et d'hospitalisation", "SIAO de la Haute-Ornelle", "SPIP, centre pénitentiaire de Castelnoir, CH de Mirvaux", 9, "Cette préconisation prolonge la préconisation n°9 du DTP de 2019."),
    (8, "Créer des places pour les femmes avec enfants hébergées à l'hôtel", "DDETS de la Haute-Ornelle", "Conseil départemental (PMI), CHRS La Traverse", None, ""),
    (9, "Former l'ensemble des acteurs de la veille sociale au « Logement d'abord »", "DDETS de la Haute-Ornelle", "Conseil départemental, IRTS, SIAO", 10, "Elle s'inscrit dans la continuité de la préconisation n°10 de 2019."),
    (10, "Associer les personnes concernées au pilotage (conseil de la vie sociale départemental)", "DDETS de la Haute-Ornelle", "CCRPA, association Relais Ornelle", None, ""),
]
# fmt: on

# The point d'étape at 31 May 2024: n -> (wording as printed, normalised, comment)
# fmt: off
ETAPE_2024 = {
    1: ("Réalisée", "realisee", "Premier tableau de bord publié en mars 2024."),
    2: ("En cours", "en_cours", "142 logements captés sur les 200 visés."),
    3: ("Ne fait pas l'objet d'un financement à ce stade", "non_engagee", "Le projet attend l'appel à projets 2025."),
    4: ("En cours de recrutement", "en_cours", "Un infirmier recruté sur les deux postes prévus ; financement ARS de 180 000 € par an."),
    5: ("Partiellement atteint", "partiellement_realisee", "9 jeunes sur 31 sortis sans solution en 2023."),
    6: ("Abandonnée", "abandonnee", "Projet non retenu par la commune de Mirvaux en février 2024."),
    7: ("Reportée à 2025", "reportee", "Le SPIP a demandé un report après la réorganisation du centre pénitentiaire."),
    8: ("100 %", "realisee", "20 places ouvertes en janvier 2024 ; plus aucune famille à l'hôtel au 31 mai 2024."),
    9: ("Intégrée au PDALHPD", "integree", "Le plan de formation figure dans le PDALHPD 2023-2028."),
    10: ("Non engagée", "non_engagee", "Aucune réunion tenue à ce jour."),
}
# fmt: on
ETAPE_DATE = "2024-05-31"
