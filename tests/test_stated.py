"""A document's own count sentence is quoted beside a count made from the records only when
it states that count with the status asked: words or digits, "deux sont réalisées" as well
as "huit préconisations sur vingt", and never a neighbouring clause's status."""

from __future__ import annotations

import pytest

from kb.recommendations.ids import scheme_of
from kb.recommendations.stated import _states
from kb.text import fold


@pytest.mark.parametrize(
    ("sentence", "n", "status", "states"),
    [
        (
            "Sur les douze préconisations de 2022, deux sont réalisées, une est reportée.",
            2,
            "realisee",
            True,
        ),
        ("Huit préconisations sur vingt sont réalisées.", 8, "realisee", True),
        (
            "Au 15 janvier, trois actions sur onze sont réalisées (actions 1.2, 1.3 et 2.2).",
            3,
            "realisee",
            True,
        ),
        ("Il reprend 7 des 24 fiches actions de la feuille de route.", 7, "integree", True),
        ("Trois ne sont pas engagées, une est abandonnée.", 3, "non_engagee", True),
        # the number is right, the status is another one
        ("Deux sont partiellement réalisées.", 2, "realisee", False),
        ("Trois ne sont pas réalisées.", 3, "realisee", False),
        ("8 préconisations sont abandonnées.", 8, "realisee", False),
        # another number
        ("Sur les douze préconisations, deux sont réalisées.", 3, "realisee", False),
        ("Vingt-deux sont réalisées.", 2, "realisee", False),
    ],
)
def test_a_sentence_states_a_count_with_its_status(
    sentence: str, n: int, status: str, states: bool
) -> None:
    assert _states(fold(sentence), n, status) is states


@pytest.mark.parametrize(
    ("rec_id", "scheme"),
    [
        ("PT-x-2022/action-2.1", "action"),
        ("PT-x-2022/fiche-action-2.3", "fiche-action"),
        ("PT-x-2022/preconisation-12", "preconisation"),
        ("PT-x-2022/objectif-operationnel-3", "objectif-operationnel"),
        ("AB-2020-P03", "preconisation"),
        ("AB-2021-FA2-3", "fiche-action"),
    ],
)
def test_the_numbering_scheme_of_a_record(rec_id: str, scheme: str) -> None:
    assert scheme_of(rec_id) == scheme
