"""Extractive answers, verification, abstention and follow-ups over the real sample corpus."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from kb.answer import Turn, question_type, rewrite
from kb.answer.evidence import document_date, numbers
from kb.answer.gate import focus
from kb.answer.verify import Verifier, split_cited
from kb.knowledge import KnowledgeBase, build_kb
from kb.settings import Settings
from kb.types import Answer, Chunk


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
    question = (
        "Combien de personnes handicapées étaient sans aucune solution en Haute-Vélisse fin 2017 ?"
    )
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
        (
            "Quel est le taux d'emploi en ESAT des travailleurs sourds dans l'Orvanne en 2022 ?",
            None,
        ),
        (
            "Combien de personnes vivaient à la rue en Haute-Vélisse selon le diagnostic "
            "sans-abrisme de 2022 ?",
            {"theme": "sans_abrisme"},
        ),
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


@pytest.mark.parametrize(
    ("near_miss", "twin", "filters", "said", "expected"),
    [
        # A year after the diagnostic's newest document: nothing in it can report on it.
        (
            "Combien de personnes ont été comptées à la rue lors de la nuit de la solidarité de "
            "janvier 2023 en Orvanne ?",
            "Combien de personnes sans abri ou sans logement ont été dénombrées dans l'Orvanne au "
            "30 juin 2022 ?",
            {"dtp_id": "SA-2022"},
            "datent de 2022",
            "2 125",
        ),
        # What is asked for (a budget) is a rare word no top passage holds.
        (
            "Quel est le budget annuel de fonctionnement de l'unité d'enseignement externalisée "
            "pour élèves sourds ouverte à Port-Sénelle ?",
            "Combien d'élèves accueille l'unité d'enseignement externalisée pour élèves sourds "
            "ouverte à Port-Sénelle ?",
            None,
            "ne mentionne : budget",
            "6 élèves",
        ),
        # What is counted: people with a disability the diagnostic did not study.
        (
            "Combien de personnes avec une dysphasie grave vivent dans le Causse-Vermeil selon le "
            "diagnostic de Sud-Garance ?",
            "Combien de personnes avec une surdicécité vivent dans le Causse-Vermeil selon le "
            "diagnostic de Sud-Garance ?",
            None,
            "ne mentionne : dysphasie",
            "Surdicécité : 11",
        ),
    ],
)
def test_near_miss_abstains_and_its_twin_answers(
    kb: KnowledgeBase,
    near_miss: str,
    twin: str,
    filters: dict[str, str] | None,
    said: str,
    expected: str,
) -> None:
    answer = kb.ask(near_miss, filters)
    assert answer.abstained, answer.answer
    assert said in answer.answer and "Documents les plus proches" in answer.answer
    answered = kb.ask(twin, filters)
    assert_well_cited(answered, kb)
    assert expected in answered.answer


def test_a_year_that_dates_the_document_is_no_missing_figure(kb: KnowledgeBase) -> None:
    # The guide is dated 2015 on its cover; its passage on durations does not say so.
    answer = kb.ask(
        "Combien de temps doit durer un diagnostic territorial partagé, de "
        "l'installation du COPIL à la conférence, d'après le guide méthodologique "
        "de 2015 ?"
    )
    assert_well_cited(answer, kb)
    assert "12 à 15 mois" in answer.answer


def test_an_acronym_is_covered_by_its_spelled_out_form(kb: KnowledgeBase) -> None:
    # The documents write "projet territorial de santé mentale", the user writes "PTSM".
    answer = kb.ask("Que prévoit le PTSM pour les urgences psychiatriques ?")
    assert_well_cited(answer, kb)
    assert all("/sante_mentale/" in c.source for c in answer.citations), answer.citations


def test_a_sentence_that_goes_on_from_a_matching_one_is_kept(kb: KnowledgeBase) -> None:
    # "Elle est accessible … en vélotypie" shares no word with the question; the sentence
    # before it, on the conference, does.
    answer = kb.ask(
        "Quelles aides à l'accessibilité étaient prévues pour la conférence de "
        "restitution du diagnostic de Sud-Garance ?",
        {"dtp_id": "SG-HR-2021"},
    )
    assert_well_cited(answer, kb)
    assert "vélotypie" in answer.answer


def test_document_date_and_focus() -> None:
    def chunk(title: str, source: str) -> Chunk:
        return Chunk(
            chunk_id="c",
            document_id="d",
            source=source,
            title=title,
            page=1,
            text="…",
            metadata={"year": 2021},
        )

    assert document_date(chunk("Feuille de route 2022-2026", "SM-2021_feuille.pdf")) == 2022
    assert document_date(chunk("Bilan à mi-parcours", "x/SM-2021_bilan_2024.pdf")) == 2024
    assert focus("Quel est le budget annuel de l'unité ?") == ["budget"]
    assert focus("Quelle bonne pratique a été repérée ?") == ["pratique"]
    assert focus("Combien d'enfants présentant une dysphasie grave ?") == ["enfants", "dysphasie"]
    assert focus("Pourquoi les jeunes restent-ils ?") == []


def test_follow_up_is_rewritten_from_the_history(kb: KnowledgeBase) -> None:
    history = [
        Turn(
            role="user",
            content="Combien de personnes dormaient à l'hôtel chaque nuit en "
            "moyenne en Orvanne en 2021 ?",
        ),
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
        (
            "Quelles ruptures de parcours en 2016 ?",
            "Et en 2019 ?",
            "Quelles ruptures de parcours en 2019 ?",
        ),
        (
            "Quelles ressources pour les enfants sourds en Orvanne ?",
            "et pour les adultes ?",
            "Quelles ressources pour les adultes en Orvanne ?",
        ),
        (
            "Qui pilote la préconisation HR-2016-P03 ?",
            "Où en est ce projet ?",
            "Où en est ce projet (HR-2016-P03) ?",
        ),
        (
            "Quels besoins en Orvanne ?",
            "Quels sont les délais d'attente en CMP ?",
            "Quels sont les délais d'attente en CMP ?",
        ),
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
    true = next(s for c in passages for s in split_cited(c.text) if "52" in s[0])[0]
    wrong = true.replace("52", "77")
    verifier = Verifier(kb.settings.answer, "french", lambda: kb.embedder)
    answer = verifier.verify(f"{true} [1][7]. {wrong} [1]. La mer est bleue à Lyon [2].", passages)
    kept = [s.text for s in answer.sentences]
    assert kept == [collapsed(true)], kept
    assert {s.text for s in answer.rejected} >= {"La mer est bleue à Lyon."}
    assert any("77" in s.text for s in answer.rejected)
    assert all(not s.supported for s in answer.rejected)
    assert [c.n for c in answer.citations] == [1]  # [7] is unknown: dropped
    assert answer.citations[0].quote in passages[0].text or any(
        answer.citations[0].quote in p.text for p in passages
    )
