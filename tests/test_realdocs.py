"""Real public documents nobody here shaped (../shared/realdocs): each is indexed with readable
text, or rejected with a reason a person can act on."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from conftest import make_settings
from ingest.quality import readability
from kb.settings import CHECKOUT_DIR

REALDOCS = CHECKOUT_DIR.parent / "shared" / "realdocs"
OCR_IT = "passez-le à l'OCR"

# file -> None (indexed) or what the rejection reason must say.
EXPECTED: dict[str, str | None] = {
    "README.md": None,  # the folder's own description, Markdown: indexed like any note
    "ars_ara_page_covid19_puy-de-dome_2020-03.html": None,
    "ars_idf_point_situation_covid19_20200311.pdf": None,
    "ars_occitanie_bulletin_covid19_20200311.pdf": None,
    "cd28_conditions_eligibilite_montants_AdeFIP.docx": None,
    "cd28_reglement_departemental_RSA_AdeFIP.pdf": None,
    "dgcs_mandoline_guide_remplissage_enquetes_mjpm.pdf": None,
    "domifa_cerfa_demande_election_domicile.pdf": None,
    # pypdf garbles its CFF fonts once fontTools is there; pdfminer reads them right.
    "logement_guide_qui_repare_qui_entretient_ministere2016.pdf": None,
    "mdph_certificat_medical_CM.pdf": None,
    # Its fonts map glyphs to no text at all: every extractor returns "!\"#$%&'()*+".
    "mdph_gevasco_premiere_demande.pdf": OCR_IT,
    "monsoutienpsy_courrier_adressage.docx": None,
    "monsoutienpsy_guide_medecin_2023.pdf": None,
    "monsoutienpsy_guide_psychologue_2023.pdf": None,
    "monsoutienpsy_livret_echelles_evaluations_2023.pdf": None,
    "snds_20210406_CNAM_essentiel-SNDS_v2122020_MLP-2.0.pdf": None,
    "snds_guide_pratique_circuits_nir_recherche_en_sante.pdf": None,
    "vao_agrements_VAO_non_actifs_07_24_2024.pdf": None,
    "vao_annexe-5-questionnaire-vacanciers.pdf": None,
    "vao_modele_EIG.pdf": None,
}

# A phrase each indexed file's text must hold (read right, not merely "something").
PHRASES = {
    "logement_guide_qui_repare_qui_entretient_ministere2016.pdf": "réparations locatives",
    "dgcs_mandoline_guide_remplissage_enquetes_mjpm.pdf": "mandataire",
    "monsoutienpsy_guide_psychologue_2023.pdf": "Mon soutien psy",
    "cd28_reglement_departemental_RSA_AdeFIP.pdf": "Eure-et-Loir",
}


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    if not REALDOCS.is_dir():
        pytest.fail(
            f"{REALDOCS} is missing: this test needs the shared real documents beside the "
            "checkout (../shared/realdocs)"
        )
    from ingest.pipeline import ingest_paths
    from kb.knowledge import build_kb

    kb = build_kb(make_settings(tmp_path_factory.mktemp("realdocs")))
    handler = _Records()
    logging.getLogger().addHandler(handler)
    try:
        report = ingest_paths(kb, [REALDOCS])
    finally:
        logging.getLogger().removeHandler(handler)
    return kb, {Path(r.path).name: r for r in report.results}, handler.messages


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_the_folder_is_the_expected_one(ingested) -> None:  # type: ignore[no-untyped-def]
    _, results, _ = ingested
    assert set(results) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_file_is_indexed_or_rejected_with_a_reason(ingested, name: str) -> None:  # type: ignore[no-untyped-def]
    _, results, _ = ingested
    result, expected = results[name], EXPECTED[name]
    if expected is None:
        assert result.status == "indexed", result.reason
        assert result.chunks > 0
    else:
        assert result.status == "failed"
        assert expected in (result.reason or ""), result.reason


def test_indexed_text_is_readable(ingested) -> None:  # type: ignore[no-untyped-def]
    kb, _, _ = ingested
    texts: dict[str, list[str]] = {}
    for chunk in kb.store.iter_chunks():
        texts.setdefault(Path(chunk.source).name, []).append(chunk.text)
    assert set(texts) == {name for name, reason in EXPECTED.items() if reason is None}
    for name, chunks in texts.items():
        judged = readability("\n".join(chunks))
        assert not judged.garbled, (name, judged)
    for name, phrase in PHRASES.items():
        assert phrase in " ".join(" ".join(texts[name]).split()), name


def test_pypdf_reads_cff_fonts_with_fonttools(ingested) -> None:  # type: ignore[no-untyped-def]
    _, _, messages = ingested
    assert not [m for m in messages if "fontTools" in m]


def test_no_dtp_is_made_up_for_documents_that_are_none(ingested) -> None:  # type: ignore[no-untyped-def]
    kb, _, _ = ingested
    made_up = {
        Path(d.source).name: d.metadata["dtp_id"] for d in kb.documents() if "dtp_id" in d.metadata
    }
    assert not made_up
