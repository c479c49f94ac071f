"""Small real PDFs written by the tests, so assertions can name exact pages and sentences."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate


def make_pdf(path: Path, pages: list[list[str]], title: str) -> Path:
    """A PDF whose page n holds the paragraphs pages[n-1]."""
    styles = getSampleStyleSheet()
    story: list[object] = []
    for i, paragraphs in enumerate(pages):
        if i:
            story.append(PageBreak())
        story += [Paragraph(p, styles["BodyText"]) for p in paragraphs]
    SimpleDocTemplate(str(path), pagesize=A4, title=title, invariant=1).build(story)
    return path


LIVRET_PAGES = [
    [
        "Diagnostic territorial partagé de démonstration, département fictif de la Vallée-Claire.",
        "Le diagnostic a été conduit par l'ARS et le CREAI avec l'équipe relais handicaps rares.",
    ],
    [
        "Les familles décrivent une rupture de parcours au passage à l'âge adulte, entre 16 et 25 ans.",
        "Aucune place de SAMSAH n'est dédiée aux adultes sourds avec troubles associés.",
    ],
    [
        "Préconisation 3 : former les professionnels des ESMS à la communication alternative.",
        "Le pilote est la MDPH, en lien avec l'ERHR et l'Éducation nationale.",
    ],
]
