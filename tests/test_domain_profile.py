"""The domain profile is data a deployment extends: a TOML file of its own adds numbering
schemes, status wordings, acronyms; a broken one is refused at start-up with its reason."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kb import domain
from kb.errors import ConfigError
from kb.settings import Settings

EXTENSION = """
[[numbering]]
key = "chantier"
label = "Chantier {n}"
kind = "record"
pattern = '''\\bchantiers?\\s*(?:n\\s*°\\s*)?(?P<n>\\d{1,2})\\b'''

[[status.rules]]
value = "en_cours"
negated = "non_engagee"
cues = ['\\bsur les rails\\b']

[acronyms]
PCPE = "pôle de compétences et de prestations externalisées"
EMAS = "équipe mobile d'appui à la scolarisation"
"""


@pytest.fixture
def extended(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "profil-region.toml"
    path.write_text(EXTENSION, encoding="utf-8")
    yield path
    domain.configure(None)


def test_an_extension_adds_schemes_wordings_and_acronyms(extended: Path) -> None:
    assert not domain.labels("Le chantier 4 avance.")
    assert domain.status_of("Sur les rails", domain.profile()) is None
    domain.configure(extended)
    found = domain.labels("Le chantier n° 4 avance ; la préconisation n°2 aussi.")
    assert [(label.key, label.n) for label in found] == [("chantier", "4"), ("preconisation", "2")]
    assert domain.status_of("Sur les rails", domain.profile()) == "en_cours"
    assert domain.status_of("Pas encore sur les rails", domain.profile()) == "non_engagee"
    assert "équipe mobile d'appui" in domain.expand_acronyms("le rôle de l'EMAS")
    # The built-in vocabulary is still there.
    assert domain.status_of("Objectif non atteint", domain.profile()) == "non_engagee"


def test_the_setting_points_at_the_extension(
    extended: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DTPKB_DOMAIN__PROFILE", str(extended))
    settings = Settings()
    assert settings.domain.profile == extended
    domain.configure(settings.domain.profile)
    assert domain.labels("chantier 2")


def test_a_broken_extension_is_refused_with_its_reason(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[[numbering]]\nkey = 'x'\nlabel = 'X {n}'\nkind = 'record'\npattern = '('\n")
    with pytest.raises(ConfigError, match="not valid"):
        domain.configure(bad)
    missing = tmp_path / "missing.toml"
    with pytest.raises(ConfigError, match="cannot read"):
        domain.configure(missing)
    domain.configure(None)


def test_every_record_scheme_makes_a_stable_id() -> None:
    from kb.recommendations.ids import record_id, shown

    for text, expected in [
        ("Préconisation n°3", "SM-VAU-2022/preconisation-3"),
        ("Préconisation n° 3", "SM-VAU-2022/preconisation-3"),
        ("Action 2.1", "SM-VAU-2022/action-2.1"),
        ("Fiche action n°4", "SM-VAU-2022/fiche-action-4"),
        ("FA 2-3", "SM-VAU-2022/fiche-action-2.3"),
        ("Mesure 5", "SM-VAU-2022/mesure-5"),
        ("Objectif opérationnel 2", "SM-VAU-2022/objectif-operationnel-2"),
    ]:
        label = domain.labels(text)[0]
        assert record_id(label.slug, "SM-VAU-2022") == expected, text
    assert shown("SM-VAU-2022/preconisation-3") == "Préconisation n°3"
    # A working group's "Piste 4" is a proposal, never a recommendation of the DTP.
    assert not domain.labels("Piste 4 : créer un annuaire")
    assert domain.labels("Piste 4", ("proposal",))[0].key == "piste"


def test_prose_precedents_are_read_and_passive_ones_are_not() -> None:
    from kb.recommendations.ids import prose_refs

    assert prose_refs("Cette préconisation prolonge la préconisation n°5 du DTP de 2019.") == [
        "?2019/preconisation-5"
    ]
    assert prose_refs("Elle fait suite à l'action 2.1 du précédent diagnostic.") == ["?/action-2.1"]
    assert prose_refs("29 évaluations ; prolongée par HR-DV-2019-P01.") == []
    assert prose_refs("Reprend HR-2016-P11 (équipe mobile).") == ["HR-2016-P11"]
