"""Acronyms of the DTP domain and what they stand for, to expand queries both ways.

A professional asks about "la MDPH", a livret writes "maison départementale des personnes
handicapées" (or the reverse): expanding the query lets both legs of retrieval match.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kb.text import fold

ACRONYMS: dict[str, str] = {
    "ARS": "agence régionale de santé",
    "CD": "conseil départemental",
    "MDPH": "maison départementale des personnes handicapées",
    "CDAPH": "commission des droits et de l'autonomie des personnes handicapées",
    "ERHR": "équipe relais handicaps rares",
    "CNRHR": "centre national de ressources handicaps rares",
    "GNCHR": "groupement national de coopération handicaps rares",
    "CREAI": "centre régional d'études, d'actions et d'informations",
    "ANCREAI": "association nationale des CREAI",
    "ORS": "observatoire régional de la santé",
    "ESMS": "établissements et services médico-sociaux",
    "IME": "institut médico-éducatif",
    "SESSAD": "service d'éducation spéciale et de soins à domicile",
    "SAFEP": "service d'accompagnement familial et d'éducation précoce",
    "SAAAS": "service d'aide à l'acquisition de l'autonomie et à la scolarisation",
    "SSEFS": "service de soutien à l'éducation familiale et à la scolarisation",
    "MAS": "maison d'accueil spécialisée",
    "FAM": "foyer d'accueil médicalisé",
    "PCPE": "pôle de compétences et de prestations externalisées",
    "SAMSAH": "service d'accompagnement médico-social pour adultes handicapés",
    "SAVS": "service d'accompagnement à la vie sociale",
    "CAMSP": "centre d'action médico-sociale précoce",
    "CMP": "centre médico-psychologique",
    "CMPP": "centre médico-psycho-pédagogique",
    "CPAM": "caisse primaire d'assurance maladie",
    "CAF": "caisse d'allocations familiales",
    "SIAO": "service intégré d'accueil et d'orientation",
    "CHRS": "centre d'hébergement et de réinsertion sociale",
    "DDETS": "direction départementale de l'emploi, du travail et des solidarités",
    "DIHAL": "délégation interministérielle à l'hébergement et à l'accès au logement",
    "DGCS": "direction générale de la cohésion sociale",
    "CNSA": "caisse nationale de solidarité pour l'autonomie",
    "ANAP": "agence nationale d'appui à la performance",
    "GHT": "groupement hospitalier de territoire",
    "CLS": "contrat local de santé",
    "CLSM": "conseil local de santé mentale",
    "PTSM": "projet territorial de santé mentale",
    "CTSM": "contrat territorial de santé mentale",
    "DTP": "diagnostic territorial partagé",
    "RAPT": "une réponse accompagnée pour tous",
    "PAG": "plan d'accompagnement global",
    "CPOM": "contrat pluriannuel d'objectifs et de moyens",
    "COPIL": "comité de pilotage",
    "COTECH": "comité technique",
    "ULIS": "unité localisée pour l'inclusion scolaire",
    "UEE": "unité d'enseignement externalisée",
    "LSF": "langue des signes française",
    "CHU": "centre hospitalier universitaire",
    "CHS": "centre hospitalier spécialisé",
    "ETHOS": "typologie européenne de l'exclusion liée au logement",
    "EHPAD": "établissement d'hébergement pour personnes âgées dépendantes",
}

_WORD = re.compile(r"\b[A-Za-zÀ-ÿ]+\b")


@lru_cache(maxsize=1)
def _expansions() -> list[tuple[str, str]]:
    return [(acronym, fold(expansion)) for acronym, expansion in ACRONYMS.items()]


def expand(query: str) -> str:
    """The query followed by the expansion of each acronym it uses, and the acronym of
    each expansion it spells out."""
    words = {w.upper() for w in _WORD.findall(query) if len(w) >= 2}
    folded = fold(query)
    extra = [
        ACRONYMS[acronym] if acronym in words else acronym
        for acronym, expansion in _expansions()
        if acronym in words or expansion in folded
    ]
    return f"{query} ({'; '.join(extra)})" if extra else query
