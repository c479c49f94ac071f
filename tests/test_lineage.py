"""Which recommendation follows which: the question names one side before its cue and the
other after it, and the answer quotes the sentence of the later one that states the link."""

from __future__ import annotations

import pytest

from kb.recommendations.lineage import _split, answer_lineage
from kb.recommendations.types import Recommendation, SourceRef


def _record(rec_id: str, year: int, title: str, quote: str, takes_up: list[str]) -> Recommendation:
    dtp = rec_id.split("/")[0]
    source = SourceRef(
        source=f"/docs/{dtp}.pdf", page=3, quote=quote, chunk_id=f"{dtp}-c1", title=dtp
    )
    return Recommendation(
        id=rec_id,
        dtp_id=dtp,
        theme="sans_abrisme",
        territory="Pays-de-test",
        year=year,
        title=title,
        sources=[source],
        takes_up=takes_up,
    )


RECORDS = [
    _record("SA-x-2019/preconisation-4", 2019, "Former les travailleurs sociaux", "…", []),
    _record("SA-x-2019/preconisation-5", 2019, "Ouvrir une halte de nuit", "…", []),
    _record(
        "SA-x-2023/preconisation-2",
        2023,
        "Former l'ensemble des acteurs de la veille sociale",
        "Préconisation n°2 : Former l'ensemble des acteurs de la veille sociale\n"
        "Porteur : DDETS\nElle s'inscrit dans la continuité de la préconisation n°4 de 2019.",
        ["SA-x-2019/preconisation-4"],
    ),
    _record("SA-x-2023/preconisation-3", 2023, "Créer un accueil de jour", "Préconisation n°3", []),
]


def _nowhere(query: str, k: int, filters: dict[str, object] | None) -> list:
    raise AssertionError("every source here is an indexed passage: no search needed")


@pytest.mark.parametrize(
    ("question", "backward"),
    [
        ("La fiche FA 1-2 fait-elle suite à une préconisation de 2019 ?", False),
        ("Quelle préconisation de 2023 reprend la halte de nuit de 2019 ?", False),
        ("La préconisation n°4 de 2019 a-t-elle été reprise en 2023 ?", True),
        ("La préconisation n°4 de 2019 a-t-elle eu une suite en 2023 ?", True),
    ],
)
def test_the_cue_splits_the_question(question: str, backward: bool) -> None:
    split = _split(question)
    assert split is not None and split[2] is backward
    assert split[0] and split[1]


@pytest.mark.parametrize(
    "question",
    [
        # the later one asked, the earlier named by its subject
        "Quelle préconisation de 2023 fait suite à la formation des travailleurs sociaux "
        "prévue en 2019 ?",
        # the later one named, the earlier asked
        "La préconisation n°2 de 2023 fait-elle suite à une préconisation de 2019 ?",
        # the earlier one named first
        "La préconisation n°4 de 2019 a-t-elle été reprise en 2023 ?",
        "Quelle suite a été donnée à la préconisation n°4 de 2019 ?",
    ],
)
def test_a_stated_link_is_answered_with_its_sentence(question: str) -> None:
    answer = answer_lineage(question, RECORDS, _nowhere)
    assert answer is not None and not answer.abstained
    assert "réconisation n°2 (diagnostic SA-x-2023)" in answer.answer
    assert "préconisation n°4 du diagnostic de 2019" in answer.answer
    assert "« Elle s'inscrit dans la continuité de la préconisation n°4 de 2019. »" in answer.answer
    assert [c.chunk_id for c in answer.citations] == ["SA-x-2023-c1"]
    # a yes/no question is answered yes; "Quelle …" by the one found
    assert answer.answer.startswith("Oui : la préconisation n°2") is question.startswith("La ")


@pytest.mark.parametrize(
    "question",
    [
        # no document says the accueil de jour takes up anything
        "La préconisation n°3 de 2023 fait-elle suite à une préconisation de 2019 ?",
        "La préconisation n°5 de 2019 a-t-elle été reprise en 2023 ?",
        # not a question about links
        "Où en est la préconisation n°2 de 2023 ?",
    ],
)
def test_no_stated_link_leaves_the_question_to_the_passages(question: str) -> None:
    assert answer_lineage(question, RECORDS, _nowhere) is None
