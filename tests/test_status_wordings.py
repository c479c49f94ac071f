"""Status wordings of DTP reviews and trackers -> their DOMAIN.md value (None: no status read).

The wordings are phrased the way follow-up tables and bilans de mise en oeuvre phrase them:
negations, "comme prévu", percentages, dates, capitals, no-break spaces, typographic
apostrophes. Colour and check-mark cells say nothing readable and are never guessed.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kb.domain import profile, status_of

NBSP = "\u00a0"

WORDINGS: list[tuple[str, str | None]] = [
    # --- done ----------------------------------------------------------------------------
    ("Réalisée", "realisee"),
    ("Réalisé", "realisee"),
    ("RÉALISÉE", "realisee"),
    ("Action réalisée", "realisee"),
    ("Réalisée (juin 2023)", "realisee"),
    ("Réalisée en 2022", "realisee"),
    ("Réalisé comme prévu", "realisee"),
    ("Réalisée conformément au calendrier", "realisee"),
    ("Réalisée sans financement complémentaire", "realisee"),
    ("Aucune difficulté signalée : réalisée", "realisee"),
    ("Terminée", "realisee"),
    ("Terminé le 15/11/2022", "realisee"),
    ("Achevée", "realisee"),
    ("Finalisée", "realisee"),
    ("Clôturée", "realisee"),
    ("Action soldée", "realisee"),
    ("Action aboutie", "realisee"),
    ("Menée à terme", "realisee"),
    ("Objectif atteint", "realisee"),
    ("Atteint", "realisee"),
    ("Mise en place", "realisee"),
    ("Mis en œuvre", "realisee"),
    ("Mise en œuvre depuis le 01/09/2022", "realisee"),
    ("Opérationnel depuis 2022", "realisee"),
    ("Dispositif ouvert", "realisee"),
    ("Convention signée", "realisee"),
    ("Convention signée le 12/03/2023", "realisee"),
    ("Fait", "realisee"),
    ("Effective depuis janvier 2024", "realisee"),
    ("Formation effectuée en 2023", "realisee"),
    ("Plateforme créée en 2021", "realisee"),
    ("Guide publié", "realisee"),
    ("Mise en service en 2023", "realisee"),
    ("Pérennisée", "realisee"),
    ("Généralisée à tout le département", "realisee"),
    ("Déployée sur l'ensemble du territoire", "realisee"),
    ("Vert - réalisée", "realisee"),
    ("Statut : terminé", "realisee"),
    ("100 %", "realisee"),
    (f"100{NBSP}%", "realisee"),
    ("Taux de réalisation : 100 %", "realisee"),
    # --- in progress ---------------------------------------------------------------------
    ("En cours", "en_cours"),
    ("EN COURS", "en_cours"),
    (f"En{NBSP}cours", "en_cours"),
    ("En cours au 31/12/2023", "en_cours"),
    ("En cours comme prévu", "en_cours"),
    ("En cours de déploiement", "en_cours"),
    ("Déploiement en cours", "en_cours"),
    ("En cours de réalisation", "en_cours"),
    ("En cours de mise en œuvre", "en_cours"),
    ("En cours de finalisation", "en_cours"),
    ("Engagée", "en_cours"),
    ("Engagée conformément au calendrier", "en_cours"),
    ("Action engagée en 2023", "en_cours"),
    ("Engagée, mais pas terminée", "en_cours"),
    ("Pas terminée mais engagée", "en_cours"),
    ("Action engagée, finalisation prévue en 2025", "en_cours"),
    ("Sans financement dédié, l'action est engagée", "en_cours"),
    ("En progression", "en_cours"),
    ("Amorcée", "en_cours"),
    ("Lancée", "en_cours"),
    ("Démarrée en 2024, fin prévue en 2025", "en_cours"),
    ("Débutée en 2023", "en_cours"),
    ("Initiée", "en_cours"),
    ("En bonne voie", "en_cours"),
    ("Expérimentation en cours sur deux territoires", "en_cours"),
    ("En phase d'expérimentation", "en_cours"),
    ("En construction", "en_cours"),
    ("En continu", "en_cours"),
    ("Poursuivie en 2024", "en_cours"),
    ("Reprise en 2024", "en_cours"),
    ("Quasiment terminée", "en_cours"),
    ("Non terminée", "en_cours"),
    ("Non finalisée", "en_cours"),
    ("Pas encore achevée", "en_cours"),
    ("Convention en cours de signature", "en_cours"),
    ("50 %", "en_cours"),
    ("75%", "en_cours"),
    (f"25{NBSP}%", "en_cours"),
    ("Avancement : 60 %", "en_cours"),
    ("Réalisé à 80 %", "en_cours"),
    # --- not started ---------------------------------------------------------------------
    ("Non engagée", "non_engagee"),
    ("Non-engagée", "non_engagee"),
    ("NON ENGAGÉE", "non_engagee"),
    ("Non démarrée", "non_engagee"),
    ("Non débutée", "non_engagee"),
    ("Non lancée", "non_engagee"),
    ("Non commencé", "non_engagee"),
    ("Non initiée", "non_engagee"),
    ("Pas encore engagée", "non_engagee"),
    ("Non encore engagée", "non_engagee"),
    ("Pas démarré", "non_engagee"),
    ("N'a pas encore été engagée", "non_engagee"),
    ("N’a pas encore été engagée", "non_engagee"),
    ("L'action n'a pas démarré", "non_engagee"),
    ("Action qui n'a pas pu être engagée", "non_engagee"),
    ("Cette action n'a, à ce jour, pas été engagée", "non_engagee"),
    ("Rien n'a été engagé", "non_engagee"),
    ("Ni engagée ni programmée", "non_engagee"),
    ("Action non engagée faute de financement", "non_engagee"),
    ("Non mis en œuvre", "non_engagee"),
    ("Non mise en place", "non_engagee"),
    ("Jamais mise en œuvre", "non_engagee"),
    ("Non réalisée", "non_engagee"),
    ("Non-réalisée", "non_engagee"),
    ("Toujours pas réalisée", "non_engagee"),
    ("Aucune réalisation", "non_engagee"),
    ("Non atteint", "non_engagee"),
    ("NON ATTEINT", "non_engagee"),
    (f"Non{NBSP}atteint", "non_engagee"),
    ("Objectif non atteint", "non_engagee"),
    ("Non financée", "non_engagee"),
    ("Ne fait pas l'objet d'un financement à ce stade", "non_engagee"),
    ("Ne fait pas l’objet d’un financement à ce stade", "non_engagee"),
    ("Pas de financement identifié", "non_engagee"),
    ("Pas de financement, action non engagée", "non_engagee"),
    ("Pas encore de financement", "non_engagee"),
    ("Aucune avancée", "non_engagee"),
    ("Aucun avancement", "non_engagee"),
    ("Pas d'avancée", "non_engagee"),
    ("Sans avancée notable", "non_engagee"),
    ("Aucune action engagée", "non_engagee"),
    ("Pas de suite donnée à ce stade", "non_engagee"),
    ("À programmer", "non_engagee"),
    ("À PROGRAMMER", "non_engagee"),
    ("À engager", "non_engagee"),
    ("À lancer", "non_engagee"),
    ("À venir", "non_engagee"),
    ("À initier", "non_engagee"),
    ("À mettre en œuvre", "non_engagee"),
    ("En projet", "non_engagee"),
    ("En réflexion", "non_engagee"),
    ("À l'étude", "non_engagee"),
    ("En attente de lancement", "non_engagee"),
    ("Prévue en 2025", "non_engagee"),
    ("Prévu au 2e semestre 2025", "non_engagee"),
    ("Programmée pour 2025", "non_engagee"),
    ("Envisagée pour 2026", "non_engagee"),
    ("Démarrage prévu en 2025", "non_engagee"),
    ("Mise en place prévue en 2025", "non_engagee"),
    ("Ouverture prévue en septembre 2025", "non_engagee"),
    ("Réalisation prévue en 2025", "non_engagee"),
    ("0 %", "non_engagee"),
    ("0%", "non_engagee"),
    # --- partly done ---------------------------------------------------------------------
    ("Partiellement réalisée", "partiellement_realisee"),
    ("PARTIELLEMENT RÉALISÉE", "partiellement_realisee"),
    ("Partiellement atteint", "partiellement_realisee"),
    ("Objectif partiellement atteint", "partiellement_realisee"),
    ("Atteint en partie", "partiellement_realisee"),
    ("Réalisée partiellement", "partiellement_realisee"),
    ("Réalisée en grande partie", "partiellement_realisee"),
    ("Réalisée pour partie (2 territoires sur 4)", "partiellement_realisee"),
    ("Partiellement mise en œuvre", "partiellement_realisee"),
    ("Mise en œuvre incomplète", "partiellement_realisee"),
    ("Pas totalement réalisée", "partiellement_realisee"),
    ("Non réalisée en totalité", "partiellement_realisee"),
    ("Partiellement réalisée (50 %)", "partiellement_realisee"),
    # --- postponed -----------------------------------------------------------------------
    ("Reportée", "reportee"),
    ("Reportée à 2025", "reportee"),
    (f"Reportée{NBSP}à 2025", "reportee"),
    ("Reportée au 1er semestre 2025", "reportee"),
    ("Report en 2025", "reportee"),
    ("Différée", "reportee"),
    ("En suspens", "reportee"),
    ("Suspendue", "reportee"),
    ("Suspendue faute de financement", "reportee"),
    ("Suspendue (30 %)", "reportee"),
    ("En attente", "reportee"),
    ("En attente de financement", "reportee"),
    ("En stand-by", "reportee"),
    ("En stand by", "reportee"),
    ("Ajournée", "reportee"),
    ("Gelée dans l'attente du nouveau PRS", "reportee"),
    ("Décalée au second semestre", "reportee"),
    ("Repoussée à 2026", "reportee"),
    ("En pause", "reportee"),
    ("Mise en sommeil", "reportee"),
    ("Interrompue", "reportee"),
    ("Pas abandonnée, reportée à 2025", "reportee"),
    # --- dropped -------------------------------------------------------------------------
    ("Abandonnée", "abandonnee"),
    ("ABANDONNÉE", "abandonnee"),
    ("Abandonnée (priorité revue par le COPIL)", "abandonnee"),
    ("Non reconduite", "abandonnee"),
    ("Non retenue", "abandonnee"),
    ("Non poursuivie", "abandonnee"),
    ("N'a pas été poursuivie", "abandonnee"),
    ("Sans suite", "abandonnee"),
    ("Classée sans suite", "abandonnee"),
    ("Devenue sans objet", "abandonnee"),
    ("Annulée", "abandonnee"),
    ("Supprimée", "abandonnee"),
    ("Action retirée du plan", "abandonnee"),
    ("Caduque", "abandonnee"),
    # --- carried into another plan -------------------------------------------------------
    ("Intégrée au CLS", "integree"),
    ("Intégrée dans le PTSM", "integree"),
    ("Intégrée à la feuille de route du CTSM", "integree"),
    ("Reprise dans le PRS 2023-2028", "integree"),
    ("Reprise par le DAC", "integree"),
    ("Intégration dans le CPOM de l'ERHR", "integree"),
    ("Transférée au PTSM", "integree"),
    ("Fusionnée avec l'action 2.3", "integree"),
    ("Inscrite au PRS 2023-2028", "integree"),
    ("Portée désormais par le CLS", "integree"),
    ("Remplacée par l'action 3.2", "integree"),
    ("Retenue dans le CTSM", "integree"),
    # --- no status: colours, marks, blanks, other columns' text -------------------------
    ("Vert", None),
    ("Rouge", None),
    ("Orange", None),
    ("VERT", None),
    ("🟢", None),
    ("✔", None),
    ("✗", None),
    ("X", None),
    ("x", None),
    ("-", None),
    ("–", None),
    ("", None),
    (NBSP, None),
    ("NC", None),
    ("N/A", None),
    ("?", None),
    ("Oui", None),
    ("Non", None),
    ("Sans objet", None),
    ("Non renseigné", None),
    ("Non communiqué", None),
    ("Pas d'information", None),
    ("Non prioritaire", None),
    ("Voir commentaire", None),
    ("Cf. bilan 2023", None),
    ("Mise à jour le 30/06/2024", None),
    ("31/12/2023", None),
    ("2024", None),
    ("ARS, MDPH", None),
    ("Action 2.1", None),
    ("Créer une équipe mobile", None),
    ("Améliorer l'accès aux soins des personnes sourdes", None),
]


def _corpus_wordings() -> list[tuple[str, str | None]]:
    """Every distinct status wording of the sample corpus with its recorded value."""
    path = Path(__file__).resolve().parents[1] / "corpus" / "recommendations.csv"
    with path.open(encoding="utf-8") as f:
        pairs = {(row["status_wording"], row["status"]) for row in csv.DictReader(f)}
    return sorted((wording, status or None) for wording, status in pairs if wording)


CORPUS = _corpus_wordings()


def test_the_table_is_large_and_unambiguous() -> None:
    assert len(WORDINGS) >= 120
    wordings = [w for w, _ in WORDINGS]
    assert len(wordings) == len(set(wordings))
    values = {v for _, v in WORDINGS}
    assert values == set(profile().statuses) | {None}


def test_the_sample_corpus_has_its_wordings() -> None:
    assert len(CORPUS) >= 15
    assert len({w for w, _ in CORPUS}) == len(CORPUS)  # one value per wording


@pytest.mark.parametrize(("wording", "expected"), WORDINGS)
def test_status_of_a_wording(wording: str, expected: str | None) -> None:
    assert status_of(wording, profile()) == expected


@pytest.mark.parametrize(("wording", "expected"), CORPUS)
def test_status_of_the_sample_corpus_wordings(wording: str, expected: str | None) -> None:
    assert status_of(wording, profile()) == expected
