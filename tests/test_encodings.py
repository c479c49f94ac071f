"""Text and CSV files in the encodings French users produce, each read back exactly; a
binary file refused. The legacy code page is detected (charset-normalizer), not assumed."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from ingest.parsers import parse
from ingest.parsers.text import decode_text
from kb.errors import IngestError

SHORT = "Le cœur du dispositif coûte 5 € par jour ; c’est « prévu »."
# Short texts on which the library's own first choice is another code page (cp1250 reads
# "cœur" as "cśur", mac_iceland "Sénelle" as "SÈnelle").
TRICKY = [
    SHORT,
    "Œuvre réalisée.",
    "L’ARS a dit « oui ».",
    "Où sont les aidants ? À Noël, ils étaient là.",
    "Ça ne s’arrête pas là : « l’égalité » d’accès…",
    "Naïveté, aïeul, maïs – 45 °C à l’ombre.",
    "ÉTAT DES LIEUX",
    "tal de Sénelle, Collectif Familles Handicaps rares ",
    "oire) est déjà engagée : la première nuit de la solidarité d",
    " enfants sourdaveugles. À l'éc",
]
LONG = "\n".join(
    [
        "Compte rendu du comité de pilotage",
        "",
        "Le comité s’est réuni le 12 février ; l’ordre du jour portait sur le cœur du",
        "dispositif : les préconisations « prioritaires », leur coût (12 000 € par an) et",
        "leur calendrier — l’ARS pilote, la MDPH et l’Éducation nationale sont associées.",
    ]
    * 40
)


def _written(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("text", TRICKY)
def test_short_cp1252_french_is_read_exactly(tmp_path: Path, text: str) -> None:
    path = _written(tmp_path, "note.txt", text.encode("cp1252"))
    assert decode_text(path) == text


def test_long_cp1252_french_is_read_exactly(tmp_path: Path) -> None:
    path = _written(tmp_path, "compte_rendu.txt", LONG.encode("cp1252"))
    assert decode_text(path) == LONG


def test_latin1_is_read_exactly(tmp_path: Path) -> None:
    text = "Compte rendu : la réunion de Besançon a désigné un référent (coût : 3 000 F)."
    path = _written(tmp_path, "latin1.txt", text.encode("latin-1"))
    assert decode_text(path) == text


def test_random_spans_of_french_prose_in_cp1252_are_read_exactly(tmp_path: Path) -> None:
    """Slices of every length cut anywhere (a word's accent alone, mid-sentence...)."""
    rng = random.Random(13)
    prose = LONG.replace("\n", " ")
    for n in range(200):
        size = rng.choice([12, 25, 50, 100, 400])
        start = rng.randrange(len(prose) - size)
        span = prose[start : start + size]
        if span.isascii():
            continue
        path = _written(tmp_path, f"extrait_{n}.txt", span.encode("cp1252"))
        assert decode_text(path) == span


@pytest.mark.parametrize("codec", ["mac_roman", "cp850"])
def test_old_mac_and_dos_french_is_detected_not_read_as_windows(tmp_path: Path, codec: str) -> None:
    """Windows-1252 decodes these bytes too, as "comitŽ" and "comit‚": a code page assumed
    rather than detected gets them wrong."""
    text = "Le comité a validé les préconisations ; le coût reste élevé pour les familles."
    path = _written(tmp_path, "ancien.txt", text.encode(codec))
    assert decode_text(path) == text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_its_bom(tmp_path: Path, codec: str) -> None:
    bom = "\ufeff".encode(codec)
    path = _written(tmp_path, "note.txt", bom + SHORT.encode(codec))
    assert decode_text(path) == SHORT


def test_utf8_without_bom_and_with_it(tmp_path: Path) -> None:
    assert decode_text(_written(tmp_path, "a.txt", SHORT.encode("utf-8"))) == SHORT
    assert decode_text(_written(tmp_path, "b.txt", SHORT.encode("utf-8-sig"))) == SHORT


def test_cp1252_csv_with_semicolons(tmp_path: Path) -> None:
    path = _written(
        tmp_path,
        "suivi.csv",
        "Référence;Intitulé;Coût\nPC-01;Améliorer l’accès aux soins;5 000 €\n".encode("cp1252"),
    )
    rows = [b for page in parse(path).pages for b in page.blocks if b.kind == "row"]
    assert rows[0].text == "PC-01;Améliorer l’accès aux soins;5 000 €"
    assert "Intitulé : Améliorer l’accès aux soins" in rows[0].context


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + random.Random(2).randbytes(20_000),
        random.Random(3).randbytes(3_000),
        b"# Titre\n" + b"\x00" * 5000,
    ],
    ids=["png", "random", "nuls"],
)
def test_binary_is_refused(tmp_path: Path, data: bytes) -> None:
    path = _written(tmp_path, "binaire.txt", data)
    with pytest.raises(IngestError, match="données binaires, pas du texte"):
        decode_text(path)
