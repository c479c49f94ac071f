"""Extractive answers, verification, abstention and follow-ups over the real sample corpus."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from kb.answer import Turn, question_type, rewrite
from kb.answer.evidence import numbers
from kb.answer.verify import Verifier, split_cited
from kb.knowledge import KnowledgeBase, build_kb
from kb.settings import Settings
from kb.types import Answer


@pytest.fixture(scope="module")
def kb(corpus_settings: Settings) -> KnowledgeBase:
    return build_kb(corpus_settings)


def collapsed(text: str) -> str:
    return " ".join(text.split())


def on_page(source: str, page: int, quote: str) -> bool:
    if not source.endswith(".pdf"):
        return True  # other formats: checked against the chunk text below
    return collapsed(quote) in collapsed(PdfReader(source).pages[page - 1].extract_text())


def assert_well_cited(answer: Answer, kb: KnowledgeBase) -> None:
    assert not answer.abstained and answer.sentences, answer.answer
    known = {c.n: c for c in answer.citations}
    chunks = {c.chunk_id: c for c in kb.store.iter_chunks()}
    for sentence in answer.sentences:
        assert sentence.citations and set(sentence.citations) <= set(known), sentence
        assert sentence.supported and sentence.support > 0
    for c in known.values():
        assert c.quote in chunks[c.chunk_id].text
        assert on_page(c.source, c.page, c.quote), c
        assert f"[{c.n}]" in answer.answer
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    assert markers == set(known)


def test_figure_question_leads_with_the_figure(kb: KnowledgeBase) -> None:
    question = "Combien de personnes handicapées étaient sans aucune solution en Haute-Vélisse fin 2017 ?"
    answer = kb.ask(question, {"dtp_id": "RAPT-2018"})
    assert_well_cited(answer, kb)
    assert answer.question_type == "figures"
    assert numbers(answer.sentences[0].text), answer.sentences[0]
    assert "52" in answer.answer


def test_extractive_answer_has_no_duplicates_and_groups_sources(kb: KnowledgeBase) -> None:
    answer = kb.ask("Quelles ruptures de parcours le diagnostic a-t-il relevées ?")
    assert_well_cited(answer, kb)
    texts = [collapsed(s.text).lower() for s in answer.sentences]
    assert len(texts) == len(set(texts))
    docs = [answer.citations[s.citations[0] - 1].document_id for s in answer.sentences]
    # grouped: once a document's sentences end, that document does not come back
    runs = [d for i, d in enumerate(docs) if i == 0 or d != docs[i - 1]]
    assert len(runs) == len(set(runs)), docs


@pytest.mark.parametrize(
    ("question", "filters"),
    [
        ("Quel est le prix d'un billet de TGV entre Paris et Lyon ?", None),
        ("Quel est le taux d'emploi en ESAT des travailleurs sourds dans l'Orvanne en 2022 ?", None),
        ("Combien de personnes vivaient à la rue en Haute-Vélisse selon le diagnostic "
         "sans-abrisme de 2022 ?", {"theme": "sans_abrisme"}),
    ],
)
def test_abstains_with_a_helpful_message(
    kb: KnowledgeBase, question: str, filters: dict[str, str] | None
) -> None:
    answer = kb.ask(question, filters)
    assert answer.abstained, answer.answer
    assert answer.citations == [] and "pas trouvé" in answer.answer
    assert "Recherche effectuée" in answer.answer
    assert "Documents les plus proches" in answer.answer
    if filters:
        assert "élargir" in answer.answer


def test_follow_up_is_rewritten_from_the_history(kb: KnowledgeBase) -> None:
    history = [
        Turn(role="user", content="Combien de personnes dormaient à l'hôtel chaque nuit en "
             "moyenne en Orvanne en 2021 ?"),
        Turn(role="assistant", content="…"),
    ]
    answer = kb.ask("et en 2018 ?", None, history)
    assert answer.question is not None and "2018" in answer.question
    assert "hôtel" in answer.question and "2021" not in answer.question
    assert_well_cited(answer, kb)
    assert "96" in answer.answer


@pytest.mark.parametrize(
    ("previous", "follow_up", "expected"),
    [
        ("Quelles ruptures de parcours en 2016 ?", "Et en 2019 ?",
         "Quelles ruptures de parcours en 2019 ?"),
        ("Quelles ressources pour les enfants sourds en Orvanne ?", "et pour les adultes ?",
         "Quelles ressources pour les adultes en Orvanne ?"),
        ("Qui pilote la préconisation HR-2016-P03 ?", "Où en est ce projet ?",
         "Où en est ce projet (HR-2016-P03) ?"),
        ("Quels besoins en Orvanne ?", "Quels sont les délais d'attente en CMP ?",
         "Quels sont les délais d'attente en CMP ?"),
    ],
)
def test_rewrite(previous: str, follow_up: str, expected: str) -> None:
    history = [Turn(role="user", content=previous), Turn(role="assistant", content="…")]
    assert rewrite(follow_up, history) == expected
    assert rewrite(follow_up, []) == follow_up


def test_question_types() -> None:
    assert question_type("Combien de places en MAS ?") == "figures"
    assert question_type("Où en est la préconisation P05 ?") == "status"
    assert question_type("Quelles ressources pour les adultes sourds ?") == "other"


def test_split_cited_keeps_markers_with_their_sentence() -> None:
    parts = split_cited("Le SAFEP a ouvert en 2022 [1]. Il compte 12 places. [2][3] Fin [9].")
    assert parts == [
        ("Le SAFEP a ouvert en 2022.", [1]),
        ("Il compte 12 places.", [2, 3]),
        ("Fin.", [9]),
    ]


def test_verifier_catches_a_wrong_figure_and_an_unknown_marker(kb: KnowledgeBase) -> None:
    hits = kb.search("personnes sans solution Haute-Vélisse fin 2017", 3, {"dtp_id": "RAPT-2018"})
    passages = [h.chunk for h in hits]
    true = next(
        s for c in passages for s in split_cited(c.text) if "52" in s[0]
    )[0]
    wrong = true.replace("52", "77")
    verifier = Verifier(kb.settings.answer, "french", lambda: kb.embedder)
    answer = verifier.verify(f"{true} [1][7]. {wrong} [1]. La mer est bleue à Lyon [2].",
                             passages)
    kept = [s.text for s in answer.sentences]
    assert kept == [collapsed(true)], kept
    assert {s.text for s in answer.rejected} >= {"La mer est bleue à Lyon."}
    assert any("77" in s.text for s in answer.rejected)
    assert all(not s.supported for s in answer.rejected)
    assert [c.n for c in answer.citations] == [1]  # [7] is unknown: dropped
    assert answer.citations[0].quote in passages[0].text or any(
        answer.citations[0].quote in p.text for p in passages
    )
