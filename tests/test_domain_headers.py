"""kb.domain: column headers and fiche labels -> record fields; recommendation numbering."""

from __future__ import annotations

import pytest

from kb.domain import field_of_header, labels

NBSP = "\u00a0"

HEADERS: list[tuple[str, str | None]] = [
    # the number
    ("N°", "label"),
    ("N° ", "label"),
    ("Numéro", "label"),
    ("N° de la préconisation", "label"),
    ("Réf.", "label"),
    ("No.", "label"),
    ("Code", "label"),
    # the title
    ("Intitulé", "title"),
    ("Intitulé de l'action", "title"),
    ("Préconisation", "title"),
    ("Préconisations", "title"),
    ("Fiche action", "title"),
    ("Libellé", "title"),
    ("Titre", "title"),
    # axis
    ("Axe", "axis"),
    ("Axe stratégique", "axis"),
    ("Orientation", "axis"),
    ("Thématique", "axis"),
    # status, dated or not
    ("Statut", "status"),
    ("Statut*", "status"),
    ("Statut :", "status"),
    ("Statut 2023", "status"),
    ("Statut au 31/12/2023", "status"),
    (f"Statut{NBSP}au 30/06/2024", "status"),
    ("Avancement 2023", "status"),
    ("Avancement (juin 2024)", "status"),
    ("État d'avancement", "status"),
    ("Niveau de réalisation", "status"),
    ("Degré de réalisation", "status"),
    ("Réalisation", "status"),
    ("Situation", "status"),
    ("Nouveau statut", "status"),
    ("Statut actuel", "status"),
    # look-alikes that are not the current status, nor a precedent
    ("Statut précédent", None),
    ("Statut antérieur", None),
    ("Ancien statut", None),
    ("État initial", None),
    ("Lien avec le PRS", None),
    ("Lien avec le PTSM", None),
    ("Articulation avec le CLS", None),
    ("Budget", "means"),
    ("Coût estimé", "means"),
    ("Financement", "means"),
    ("Priorité", None),
    ("", None),
    ("Remarque générale du COPIL sur le suivi", None),
    # date of the status
    ("Date de mise à jour", "status_date"),
    ("Mis à jour le", "status_date"),
    # the pilot
    ("Pilote", "pilot"),
    ("Pilote(s)", "pilot"),
    ("Porteur", "pilot"),
    ("Porteur(s)", "pilot"),
    ("Porteur de l'action", "pilot"),
    ("Référent", "pilot"),
    ("Référent(s)", "pilot"),
    ("Responsable", "pilot"),
    ("Chef de file", "pilot"),
    # partners
    ("Partenaires", "partners"),
    ("Partenaire(s)", "partners"),
    ("Partenaires associés", "partners"),
    ("Acteurs associés", "partners"),
    ("Acteurs concernés", "partners"),
    ("Co-pilote(s)", "partners"),
    ("Copilote", "partners"),
    ("Co-porteurs", "partners"),
    # timeline
    ("Échéance", "timeline"),
    ("Échéance prolongée", "timeline"),
    ("Échéance prévue", "timeline"),
    ("Calendrier", "timeline"),
    ("Délai", "timeline"),
    # precedents
    ("Reprend", "takes_up"),
    ("Préconisation précédente", "takes_up"),
    ("Lien avec la préconisation du DTP 2019", "takes_up"),
    ("Fait suite à", "takes_up"),
    # other fields
    ("Indicateurs de suivi", "indicators"),
    ("Indicateurs", "indicators"),
    ("Commentaires", "comment"),
    ("Observations", "comment"),
    ("Constat", "finding"),
    ("Objectifs opérationnels", "description"),
    ("Public cible", "public"),
    ("Territoire concerné", "territory"),
    ("Moyens mobilisés", "means"),
]


def test_the_header_table_is_large() -> None:
    assert len(HEADERS) >= 40
    assert len({h for h, _ in HEADERS}) == len(HEADERS)


@pytest.mark.parametrize(("header", "expected"), HEADERS)
def test_field_of_header(header: str, expected: str | None) -> None:
    assert field_of_header(header) == expected


LABELS: list[tuple[str, tuple[str, ...], list[tuple[str, str, str]]]] = [
    # text, kinds asked, [(key, n, kind)]
    (
        "Préconisation n°3 : créer une équipe mobile",
        ("record",),
        [("preconisation", "3", "record")],
    ),
    (f"Préconisation n°{NBSP}3", ("record",), [("preconisation", "3", "record")]),
    (f"Préconisation{NBSP}n°{NBSP}12", ("record",), [("preconisation", "12", "record")]),
    ("PRÉCONISATION N° 7", ("record",), [("preconisation", "7", "record")]),
    ("Préconisation 4", ("record",), [("preconisation", "4", "record")]),
    ("Recommandation n°2", ("record",), [("recommandation", "2", "record")]),
    ("Action 2.1 - Former les aidants", ("record",), [("action", "2.1", "record")]),
    ("Action n°5", ("record",), [("action", "5", "record")]),
    ("Fiche action n°4", ("record",), [("fiche-action", "4", "record")]),
    ("Fiche-action 3", ("record",), [("fiche-action", "3", "record")]),
    ("FA 2-3", ("record",), [("fiche-action", "2.3", "record")]),
    ("FA2-3", ("record",), [("fiche-action", "2.3", "record")]),
    ("Mesure 5", ("record",), [("mesure", "5", "record")]),
    ("Objectif opérationnel 2", ("record",), [("objectif-operationnel", "2", "record")]),
    ("Piste 4", ("proposal",), [("piste", "4", "proposal")]),
    ("Axe 1", ("axis",), [("axe", "1", "axis")]),
    ("Axe stratégique 2", ("axis",), [("axe", "2", "axis")]),
    ("Axe II", ("axis",), [("axe", "II", "axis")]),
    (
        "prolonge la préconisation n°5 du DTP de 2022 et l'action 2.1",
        ("record",),
        [("preconisation", "5", "record"), ("action", "2.1", "record")],
    ),
    # a proposal or an axis is not a recommendation
    ("Piste 4 : mutualiser les transports", ("record",), []),
    ("Axe 1 : repérer", ("record",), []),
    # numbers that are not labels
    ("Les actions 2023 du plan", ("record",), []),
    ("Préconisation 2,5 millions", ("record",), []),
]


@pytest.mark.parametrize(("text", "kinds", "expected"), LABELS)
def test_labels(text: str, kinds: tuple[str, ...], expected: list[tuple[str, str, str]]) -> None:
    assert [(x.key, x.n, x.kind) for x in labels(text, kinds)] == expected


def test_a_label_keeps_its_printed_form_and_slug() -> None:
    (label,) = labels(f"voir la Préconisation n°{NBSP}3 du livret")
    assert label.printed == f"Préconisation n°{NBSP}3"
    assert label.slug == "preconisation-3"
