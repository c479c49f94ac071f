"""Evaluation questions over the second corpus. Pages are not written here: truth.py finds the
pages of each source that contain the evidence (and fails if there are none)."""

from __future__ import annotations

SM_LIVRET = "docs/sante_mentale/DTP_SM_Vaudrenne_livret_juin2022.pdf"
SM_NOTE = "docs/sante_mentale/Note_methodologique_DTP_SM_v3.pdf"
SM_GT5 = "docs/sante_mentale/CR_GT5_enfants_adolescents_2022.docx"
SM_FDR = "docs/sante_mentale/PTSM_Vaudrenne_feuille_de_route_actualisee_janv2024.pdf"
SM_BILAN = "docs/sante_mentale/Bilan_mise_en_oeuvre_DTP_SM_2024.pdf"
SM_XLSX = "docs/sante_mentale/Tableau_suivi_preconisations_SM_2024.xlsx"
SA_2019 = "docs/sans_abrisme/Diagnostic_360_Haute-Ornelle_2019.pdf"
SA_NOTE = "docs/sans_abrisme/Note_cadrage_diagnostic_360_fevrier2019.docx"
SA_CSV = "docs/sans_abrisme/suivi_preconisations_DTP360_2019_maj_2022.csv"
SA_2023 = "docs/sans_abrisme/Diagnostic_360_Haute-Ornelle_actualisation_2023.pdf"
SA_ATELIER = "docs/sans_abrisme/Synthese_atelier1_sorties_institutions_2023.pdf"
SA_ETAPE = "docs/sans_abrisme/Point_etape_preconisations_mai2024.pdf"
SA_PLAN = "docs/sans_abrisme/Plan_actions_2024-2026_diagnostic_360.pdf"

SM = {"theme": "sante_mentale"}
SA = {"theme": "sans_abrisme"}


def q(id, question, type, sources=(), evidence="", facts=(), filters=None, extra=()):  # noqa: A002
    return {
        "id": id,
        "question": question,
        "type": type,
        "sources": list(sources),
        "evidence": evidence,
        "facts": list(facts),
        "filters": filters or {},
        "extra": list(extra),  # (source, another sentence): more pages that answer
    }


# fmt: off
STATUS = [
    q("o-st-01", "Où en est la préconisation n°3 du diagnostic santé mentale de 2022 ?", "status", [SM_BILAN], "Ne fait pas l'objet d'un financement à ce stade ; dossier présenté au fonds d'innovation organisationnelle en psychiatrie.", ["Non mis en œuvre"], SM),
    q("o-st-02", "Combien d'actions de la feuille de route du PTSM de la Vaudrenne sont réalisées ?", "status", [SM_FDR], "trois actions sur onze sont réalisées (actions 1.2, 1.3 et 2.2)", ["trois", "1.2", "1.3", "2.2"], SM),
    q("o-st-03", "Combien des douze préconisations du diagnostic santé mentale de la Vaudrenne sont réalisées au 30 juin 2024 ?", "status", [SM_BILAN], "Sur les douze préconisations du diagnostic de 2022, deux sont réalisées", ["deux"], SM),
    q("o-st-04", "Les 20 places de SAMSAH à orientation psychique prévues en Vaudrenne ont-elles été créées ?", "status", [SM_BILAN], "Appel à projets décalé faute de crédits ; la programmation est inscrite au schéma départemental de l'autonomie.", ["Reportée à 2025"], SM),
    q("o-st-05", "Le protocole départemental de gestion des situations de crise de la Vaudrenne a-t-il été abandonné ?", "status", [SM_BILAN], "il est repris dans le cadre du service d'accès aux soins (SAS) psychiatrie", ["relancée en 2024", "SAS"], SM),
    q("o-st-06", "Combien de places de résidence accueil ont été ouvertes au titre du logement accompagné (DTP santé mentale de la Vaudrenne) ?", "status", [SM_BILAN], "12 places de résidence accueil ouvertes sur les 30 prévues.", ["12", "30"], SM),
    q("o-st-07", "Quelle préconisation du diagnostic santé mentale de la Vaudrenne a été abandonnée, et pourquoi ?", "status", [SM_BILAN], "L'ESAT Les Ateliers de la Lorme a réorienté son projet", ["réhabilitation", "ESAT Les Ateliers de la Lorme"], SM),
    q("o-st-08", "D'après le tableau de suivi mis à jour le 30/06/2024, où en est l'observatoire des indicateurs du PTSM ?", "status", [SM_XLSX], "Non démarré : le poste de chargé d'études n'a pas été pourvu.", ["0 %", "chargé d'études"], SM),
    q("o-st-09", "Quel était le statut de la préconisation sur la réhabilitation psychosociale en ESAT hors les murs au 31 décembre 2023 ?", "status", [SM_XLSX], "Créer une unité de réhabilitation psychosociale adossée à un ESAT hors les murs 2. Parcours EPSM de la Vaudrenne ESAT Les Ateliers de la Lorme, Cap emploi, MDPH En suspens", ["En suspens"], SM),
    q("o-st-10", "Quel est le statut de l'action 2.3 de la feuille de route du PTSM de la Vaudrenne ?", "status", [SM_FDR], "Protocole signé ; nombre de retours d'expérience partagés Statut (janvier 2024) Non démarrée", ["Non démarrée"], SM),
    q("o-st-11", "Qui porte l'action 2.2 sur les soins somatiques et quels sont ses indicateurs de suivi ?", "status", [SM_FDR], "Part des patients hospitalisés ayant un médecin traitant ; nombre de consultations somatiques", ["EPSM de la Vaudrenne", "médecin traitant", "consultations somatiques"], SM),
    q("o-st-12", "La pension de famille prévue à Castelnoir par le diagnostic à 360° de 2019 a-t-elle ouvert ?", "status", [SA_CSV], "Pension de famille Les Aulnes (22 places) ouverte en septembre 2022.", ["Réalisé comme prévu", "septembre 2022"], SA),
    q("o-st-13", "La préconisation n°5 du diagnostic à 360° de 2019 a-t-elle été mise en œuvre ?", "status", [SA_2023], "la préconisation n°5 (équipe mobile psychiatrie-précarité rurale) n'a pas été mise en œuvre", ["pas été mise en œuvre"], SA),
    q("o-st-14", "Combien des dix préconisations du diagnostic à 360° de 2023 sont réalisées au 31 mai 2024 ?", "status", [SA_ETAPE], "deux préconisations sur dix sont réalisées", ["deux"], SA),
    q("o-st-15", "Où en est le projet d'accueil de jour à Pont-Ardent ?", "status", [SA_ETAPE], "Le projet attend l'appel à projets 2025.", ["Ne fait pas l'objet d'un financement à ce stade"], SA),
    q("o-st-16", "La halte de nuit acceptant les personnes avec animaux a-t-elle vu le jour à Mirvaux ?", "status", [SA_ETAPE], "Projet non retenu par la commune de Mirvaux en février 2024.", ["Abandonnée"], SA),
    q("o-st-17", "Combien de logements sont captés en intermédiation locative en Haute-Ornelle en mai 2024 ?", "status", [SA_ETAPE], "142 logements captés sur les 200 visés.", ["142", "200"], SA),
    q("o-st-18", "Combien de préconisations du diagnostic à 360° de 2019 étaient réalisées au 31 décembre 2022 ?", "status", [SA_2023], "Sur les dix préconisations de 2019, trois sont réalisées au 31 décembre 2022", ["trois"], SA),
    q("o-st-19", "Qu'est devenue la préconisation de 2019 sur la domiciliation dans les communes rurales ?", "status", [SA_CSV], "Les communautés de communes n'ont pas souhaité porter la domiciliation.", ["Abandonnée"], SA),
    q("o-st-20", "Combien de fiches actions du plan d'actions 2024-2026 de la Haute-Ornelle sont réalisées ?", "status", [SA_PLAN], "deux fiches actions sur sept sont réalisées (FA 2-2 et FA 3-2)", ["deux", "FA 2-2", "FA 3-2"], SA),
    q("o-st-21", "Quel est le statut de la fiche action sur le protocole « sortants » dans le plan d'actions 2024-2026 ?", "status", [SA_PLAN], "Statut au 15/02/2024 : Pas encore engagée", ["FA 3-1", "Pas encore engagée"], SA),
]
# fmt: on

# fmt: off
PRECEDENT = [
    q("o-pr-01", "Quelle préconisation du diagnostic à 360° de 2023 prolonge celle de 2019 sur l'intermédiation locative ?", "precedent", [SA_2023], "Cette préconisation prolonge la préconisation n°6 du DTP de 2019.", ["n°2", "n°6"], SA),
    q("o-pr-02", "La préconisation de 2023 sur l'équipe mobile psychiatrie-précarité reprend-elle une préconisation antérieure ?", "precedent", [SA_2023], "Elle reprend, en l'élargissant, la préconisation n°5 du diagnostic de 2019, restée sans suite.", ["n°5", "2019"], SA),
    q("o-pr-03", "Quelles préconisations du diagnostic à 360° de 2023 prolongent des préconisations du DTP de 2019 ?", "precedent", [SA_2023], "Cette préconisation prolonge la préconisation n°6 du DTP de 2019.", ["n°2", "n°4", "n°5", "n°7", "n°9"], SA, extra=[(SA_2023, "Cette préconisation prolonge la préconisation n°9 du DTP de 2019.")]),
    q("o-pr-04", "Le tableau de bord annuel de la demande (préconisation n°1 de 2023) reprend-il la préconisation n°1 du diagnostic de 2019 ?", "precedent", [SA_2023], "Elle ne reprend pas la préconisation n°1 du DTP de 2019, qui est réalisée", ["ne reprend pas", "observatoire"], SA),
    q("o-pr-05", "Quelle préconisation de 2023 fait suite à la formation des travailleurs sociaux au Logement d'abord prévue en 2019 ?", "precedent", [SA_2023], "Elle s'inscrit dans la continuité de la préconisation n°10 de 2019.", ["n°9", "n°10"], SA),
    q("o-pr-06", "Le diagnostic de 2023 donne-t-il une suite à la préconisation de 2019 sur les jeunes sortant de l'ASE ?", "precedent", [SA_2023], "Elle poursuit la préconisation n°4 du précédent diagnostic, partiellement réalisée.", ["n°5", "n°4"], SA),
    q("o-pr-08", "La fiche FA 1-2 du plan d'actions 2024-2026 fait-elle suite à une préconisation du diagnostic de 2019 ?", "precedent", [SA_PLAN], "Rappel : la préconisation n°6 du DTP de 2019 visait 150 logements ; 96 étaient captés fin 2022.", ["n°6", "150"], SA),
    q("o-pr-07", "La préconisation n°9 du diagnostic de 2019 sur les sorties de détention et d'hospitalisation a-t-elle été reprise ?", "precedent", [SA_2023], "Cette préconisation prolonge la préconisation n°9 du DTP de 2019.", ["n°7", "protocole"], SA),
]
# fmt: on

# fmt: off
CONTENT = [
    q("o-fi-01", "Quel est le délai moyen de premier rendez-vous dans les CMP adultes de la Vaudrenne en 2021 ?", "figures", [SM_LIVRET], "Le délai moyen d'obtention d'un premier rendez-vous dans un CMP adultes est de 74 jours en 2021", ["74 jours"], SM),
    q("o-ne-01", "Combien de patients de l'EPSM de la Vaudrenne sont hospitalisés au long cours faute de solution de sortie ?", "needs", [SM_LIVRET], "43 patients sont hospitalisés au long cours (plus de 292 jours dans l'année)", ["43"], SM),
    q("o-fi-02", "Quelle part des patients hospitalisés à temps plein en psychiatrie n'a pas de médecin traitant en Vaudrenne ?", "figures", [SM_LIVRET], "Un tiers des patients hospitalisés à temps plein (34 %) n'ont pas de médecin traitant déclaré.", ["34 %"], SM),
    q("o-ne-02", "À quels moments le diagnostic santé mentale de la Vaudrenne situe-t-il les ruptures de parcours ?", "needs", [SM_LIVRET], "le passage de la pédopsychiatrie à la psychiatrie adulte, entre 16 et 18 ans", ["16 et 18 ans", "7 jours"], SM),
    q("o-re-01", "Combien de places compte le SAMSAH Trait d'union en Vaudrenne ?", "resources", [SM_LIVRET], "SAMSAH Trait d'union (Vaudrenne Solidarités) Saint-Aubrec 30 places", ["30 places"], SM),
    q("o-re-02", "Quels groupes d'entraide mutuelle existent en Vaudrenne et combien d'adhérents ont-ils ?", "resources", [SM_LIVRET], "GEM Les Colibris Saint-Aubrec 71 adhérents", ["GEM Les Colibris", "GEM L'Archipel", "71", "47"], SM),
    q("o-fi-03", "Quel est le taux de décès par suicide en Vaudrenne ?", "figures", [SM_LIVRET], "Le taux de décès par suicide atteint 21,4 pour 100 000 habitants", ["21,4"], SM),
    q("o-fi-04", "Combien d'hospitalisations sans consentement ont eu lieu en Vaudrenne en 2020 ?", "figures", [SM_LIVRET], "En 2020, 1 412 hospitalisations ont eu lieu sans consentement", ["1 412", "31 %"], SM),
    q("o-me-01", "Combien de réponses le questionnaire du diagnostic santé mentale de la Vaudrenne a-t-il recueillies ?", "methodology", [SM_LIVRET], "un questionnaire en ligne, qui a recueilli 412 réponses, dont 173 de personnes concernées ou de proches", ["412", "173"], SM),
    q("o-me-02", "Selon la note méthodologique, combien de participants compte chaque groupe de travail du DTP santé mentale ?", "methodology", [SM_NOTE], "il compte de 20 à 35 participants et se réunit trois fois", ["20 à 35", "trois fois"], {"doc_type": "guide"}),
    q("o-me-03", "De quel guide s'inspire la méthode du diagnostic santé mentale de la Vaudrenne ?", "methodology", [SM_NOTE], "La méthode s'inspire du guide de l'ANAP sur les parcours en psychiatrie et santé mentale", ["ANAP"], SM),
    q("o-ne-03", "Quelles pistes le groupe de travail Enfants et adolescents du DTP santé mentale a-t-il proposées ?", "needs", [SM_GT5], "Piste 3 : organiser une consultation de transition commune pédopsychiatre / psychiatre adulte à 17 ans.", ["ligne d'avis", "consultation de transition", "assistants familiaux"], SM),
    q("o-fi-05", "Quel est le délai d'attente en CMP infanto-juvénile à Terrebrune ?", "figures", [SM_GT5], "il atteint 8 mois à Terrebrune", ["8 mois"], SM),
    q("o-fi-06", "Combien de personnes vivaient à la rue en Haute-Ornelle la nuit de l'enquête flash de mars 2023 ?", "figures", [SA_2023], "117 personnes vivaient à la rue, contre 83 en 2019", ["117"], SA),
    q("o-fi-07", "Combien d'appels le 115 de la Haute-Ornelle a-t-il reçus en 2018 ?", "figures", [SA_2019], "Le 115 a reçu 14 860 appels en 2018", ["14 860", "38 %"], SA),
    q("o-re-03", "Combien de places d'hébergement le Haut-Ornellois rural comptait-il en 2018 ?", "resources", [SA_2019], "Haut-Ornellois rural 84 800 27 1 050 0", ["27"], SA),
    q("o-fi-08", "Combien de sortants de détention sans domicile n'avaient eu aucun contact avec le SIAO en 2022 ?", "figures", [SA_ATELIER], "62 n'avaient fait l'objet d'aucun contact préalable avec le SIAO", ["62", "97"], SA),
    q("o-ne-04", "Quelles pistes l'atelier Sorties d'institutions de 2023 a-t-il formulées ?", "needs", [SA_ATELIER], "Piste 4 : expérimenter un bail glissant pour les jeunes sortant de l'ASE.", ["référent", "bail glissant"], SA),
    q("o-me-04", "Quelle grille commune le diagnostic à 360° de la Haute-Ornelle utilise-t-il pour décrire les situations de logement ?", "methodology", [SA_NOTE], "La classification ETHOS de la FEANTSA sert de grille commune", ["ETHOS"], SA),
    q("o-me-05", "Comment l'actualisation 2023 du diagnostic à 360° de la Haute-Ornelle a-t-elle été conduite ?", "methodology", [SA_2023], "deux ateliers (sorties d'institutions ; accès au logement) avec 54 participants, et 23 entretiens", ["54 participants", "23 entretiens"], SA),
    q("o-ne-05", "Quels besoins restent non couverts en Haute-Ornelle selon le diagnostic de 2023 ?", "needs", [SA_2023], "Les personnes avec animaux, refusées dans la quasi-totalité des structures, restent à la rue.", ["animaux", "accueil de jour"], SA),
    q("o-fi-09", "Quel est le délai moyen d'orientation par le SIAO dans le Haut-Ornellois rural ?", "figures", [SA_2023], "Haut-Ornellois rural 9 31 67 jours", ["67 jours"], SA),
    q("o-re-05", "Quels acteurs sont associés à la fiche FA 2-1 sur l'équipe mobile psychiatrie-précarité du Haut-Ornellois ?", "resources", [SA_PLAN], "Acteurs associés : ARS, SIAO, CCAS, CPTS du Haut-Ornellois", ["CH de Mirvaux", "CPTS du Haut-Ornellois"], SA),
    q("o-fi-10", "Quel financement annuel l'ARS apporte-t-elle à l'équipe mobile psychiatrie-précarité du Haut-Ornellois ?", "figures", [SA_ETAPE], "financement ARS de 180 000 € par an", ["180 000 €"], SA),
    # Written as a near miss, but the documents answer it: no budget, "Ne fait pas l'objet
    # d'un financement à ce stade" (tracker) and "n'est pas financée" (review).
    q("o-re-06", "Quel budget a été alloué à l'équipe mobile pour adolescents de la Vaudrenne ?", "resources", [SM_XLSX], "Ne fait pas l'objet d'un financement à ce stade", ["financement"], extra=[(SM_BILAN, "l'équipe mobile pour adolescents (n°3) n'est pas financée")]),
    q("o-re-04", "Quelle équipe mobile psychiatrie-précarité existait en Haute-Ornelle en 2019 et où intervenait-elle ?", "resources", [SA_2019], "L'équipe mobile psychiatrie-précarité du CH de Mirvaux (2 ETP) n'intervient que dans l'agglomération.", ["CH de Mirvaux", "2 ETP"], SA),
]
# fmt: on

# fmt: off
UNANSWERABLE = [
    q("o-un-01", "Quel est le délai moyen de premier rendez-vous en CMP adultes dans la Haute-Ornelle ?", "unanswerable"),
    q("o-un-02", "Combien d'appels le 115 de la Vaudrenne a-t-il reçus en 2018 ?", "unanswerable"),
    q("o-un-03", "Quel est le taux de décès par suicide dans la Haute-Ornelle ?", "unanswerable"),
    q("o-un-04", "Combien de places compte le SAMSAH L'Envol de Lormeval ?", "unanswerable"),
    q("o-un-05", "Combien de personnes vivaient à la rue en Haute-Ornelle lors de l'enquête flash de 2021 ?", "unanswerable"),
    q("o-un-06", "Où en est la préconisation n°13 du diagnostic santé mentale de la Vaudrenne ?", "unanswerable"),
    q("o-un-07", "Quel est le taux de pauvreté dans la Vaudrenne ?", "unanswerable"),
    q("o-un-08", "Combien de jeunes sont sortis de l'ASE sans solution de logement en Haute-Ornelle en 2020 ?", "unanswerable"),
    q("o-un-10", "Combien de places compte la pension de famille de Pont-Ardent ?", "unanswerable"),
    q("o-un-11", "Combien de places d'hébergement d'urgence la Haute-Ornelle comptait-elle en 2020 ?", "unanswerable"),
    q("o-un-12", "Combien de professionnels ont effectivement été formés au Logement d'abord en Haute-Ornelle ?", "unanswerable"),
    q("o-un-13", "Quelle est la densité de psychiatres dans la Haute-Ornelle ?", "unanswerable"),
]
# fmt: on

QUESTIONS = STATUS + PRECEDENT + CONTENT + UNANSWERABLE
