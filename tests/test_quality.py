"""Garbled extraction is told from prose, forms and tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.parsers import Page, ParsedDocument
from ingest.quality import check_readable, readability
from kb.errors import IngestError

PROSE = (
    "Le diagnostic territorial partagé a mis en évidence des ruptures de parcours à "
    "l'entrée dans l'âge adulte, notamment pour les jeunes de 16 à 25 ans accompagnés "
    "par un IME ou un SESSAD, faute de places en ESAT et en SAMSAH sur le territoire. "
) * 3
TABLE = "\n".join(
    f"HR-2016-P{n:02d} ; Orvanne ; 31/12/2023 ; {n * 12} places ; 45 % ; n°{n} ; 1er"
    for n in range(1, 12)
)
# A README's table of files and repositories: paths and identifiers are word-shaped.
FILES = "\n".join(
    f"| monsoutienpsy_guide_medecin_{n}.pdf | SocialGouv/mon-psy-sante : public/documents | "
    f"{n} | « Mon soutien psy » guide pratique pour les médecins, en InDesign |"
    for n in range(2015, 2025)
)
# What two real PDFs extract as: fonts mapping glyphs to no text, or to the wrong letters.
PUNCTUATION = '!"#$%&’())*+%,-"&(.$+%/0 $ %%%%%%%%%% 2(3+%4+%$*#).")%4+%&’*5#.6+% ' * 8
SHIFTED = "pçîîWJJWçHfHè2WçHèxÉfzÉfïçHïÉ)2è2WçH IH2É))3(2É3)Jif ()WJÉJfàxÉï2)W:3ÉJ " * 10
CAESAR = " ".join(w[1:] + w[0] for w in PROSE.split() if w.isalpha() and len(w) > 3)


@pytest.mark.parametrize("text", [PROSE, TABLE, FILES])
def test_readable_text_passes(text: str) -> None:
    assert not readability(text).garbled, readability(text)


@pytest.mark.parametrize("text", [PUNCTUATION, SHIFTED, CAESAR])
def test_garbled_text_is_caught(text: str) -> None:
    assert readability(text).garbled, readability(text)


def test_too_short_to_judge() -> None:
    assert not readability("pçîîWJJWçH T3WzÉ").garbled
    assert readability("pçîîWJJWçH T3WzÉ").doubtful


def _document(*texts: str) -> ParsedDocument:
    return ParsedDocument("t", [Page(i, t) for i, t in enumerate(texts, start=1)])


def test_a_garbled_page_is_dropped_and_a_garbled_document_rejected() -> None:
    kept = check_readable(_document(PROSE, SHIFTED, TABLE), Path("x.pdf"))
    assert [p.number for p in kept.pages] == [1, 3]
    with pytest.raises(IngestError, match="passez-le à l'OCR"):
        check_readable(_document(PROSE, SHIFTED, PUNCTUATION), Path("x.pdf"))
