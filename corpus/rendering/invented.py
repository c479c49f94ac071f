"""Invented names for the scale generator: régions, départements, towns, people, ids.

Stems are deliberately odd so that no combination names a real place.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, replace
from typing import Any

from rendering.blocks import Block, Fields, Heading, ListBlock, Para, Quote, Table

# ---------------------------------------------------------------------------------------
# Invented names. Stems are deliberately odd so that combinations do not name real places.
# fmt: off
_STEMS = [  # consonant-initial, so that "de X" never needs elision
    "Orbel", "Sarvan", "Quintér", "Valmorr", "Brestel", "Brunel", "Caravèn", "Thaliss",
    "Brambev", "Corvél", "Déraun", "Fenouv", "Galvér", "Havrel", "Jasmél", "Kervoll",
    "Lunarg", "Morvell", "Nacrel", "Pervéz", "Quirval", "Rosmar", "Salvér", "Tramél",
    "Verjal", "Wazell", "Zéphal", "Gravén", "Sollanc", "Mirvaud", "Tournél", "Belcarn",
]
_REGION_SUFFIX = [
    "ane", "elle", "ère", "ine", "ade", "ence", "oise", "ie",
]
_DEP_SUFFIX = [
    "ac", "ennes", "ières", "ois", "ange", "onne", "ombe", "ève",
]
_RIVERS = [
    "Lisonne", "Carvelle", "Ombrine", "Sérale", "Dravonne", "Aurède", "Tessine",
]
_PREFIX = [
    "", "", "Haute-", "Basse-", "Val-de-", "Monts-de-",
]
_NOUNS = [
    "Ajoncs", "Salicornes", "Lavandins", "Iris", "Fougeraies", "Passereaux", "Sternes",
    "Genévriers", "Martinets", "Saules", "Cormorans", "Tamaris", "Arbousiers", "Chardons",
    "Hirondelles", "Galets", "Lichens", "Bleuets", "Mouettes rieuses", "Grands Pins",
]
_QUALIFIERS = [
    "", "", "du Levant", "de la Dune", "d'Amont", "du Pré", "des Crêtes", "du Ponant",
]
# Invented words of the world that also occur inside other names (GHT Sénelle-Océan,
# PCPE Garance, service sensoriel Orge-Basse...): renamed after the full names.
_WORDS = [
    "Garance", "Sénelle", "Océane", "Orge", "Causses", "Vélisse", "Ostre", "Orvanne",
    "Vermeil", "Montorge", "Kerdavel", "Lisière",
]
_FIRST = [
    "Mme Aline", "M. Bastien", "Mme Coralie", "M. Damien", "Mme Elsa", "M. Fabrice",
    "Mme Gaëlle", "M. Hugo", "Mme Iris", "M. Joachim", "Mme Katell", "M. Loïc",
]
_LAST = [
    "Quéméner", "Valdrôme", "Pradeilles", "Ourvain", "Brassac", "Lestrade", "Morvézen",
    "Carbonnel", "Aubéry", "Sanchaux", "Ferrandon", "Tiriac",
]
# Named people and organisations of the world that carry no territory name.
_PEOPLE = [
    "Mme Maëlle Riou", "M. Yann Le Dantec", "Mme Clémence Azaïs",
]
_ASSOCIATIONS = [
    "Les Amarres", "L'Estive",
]
# fmt: on
_MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
YEAR = re.compile(r"(?<![\d,])(19[89]\d|20[0-4]\d)(?!\d|,\d)")
ID = re.compile(r"\b((?:[A-Z]{2,5}-)+\d{4})((?:-(?:P\d{2}|FA\d+-\d+))?)\b")
NUMBER = re.compile(
    r"(?<![\w.,/-])(?<!h )(\d{1,3}(?:[  ]\d{3})+|\d+)(?!\w|[.,]\d|[/-]| ?(?:à|-) ?\d|"
    rf" (?:ans?|mois|h|heures?|{_MONTHS})\b)( ?%)?"
)
FICHE = re.compile(r"^(\S+-(?:P\d{2}|FA\d+-\d+)) — (.+)$")


def _fresh(make: Any, used: set[str]) -> str:
    """A name from `make()` not given yet in this région (the word pools are large)."""
    for _ in range(200):
        value = make()
        if value not in used:
            break
    used.add(value)
    return str(value)


@dataclass
class Region:
    index: int
    code: str
    name: str
    abbr: str
    deps: list[dict[str, Any]]
    factor: float
    year_shift: int
    names: dict[str, str]  # world name -> invented name (territories, towns, ESMS, people)


def make_region(index: int, seed: int, world: dict[str, Any], abbrs: set[str]) -> Region:
    rng = random.Random(f"{seed}:{index}")
    used: set[str] = set()

    def word(suffixes: list[str]) -> str:
        return _fresh(lambda: rng.choice(_STEMS) + rng.choice(suffixes), used)

    name = f"{word(_REGION_SUFFIX)}-{word(_REGION_SUFFIX)}"
    abbr = "".join(part[0] for part in name.split("-")).upper()
    while abbr in abbrs:
        abbr += chr(ord("A") + rng.randrange(26))
    abbrs.add(abbr)

    def town() -> str:
        base = word(_DEP_SUFFIX)
        return rng.choice([base, f"{base}-sur-{rng.choice(_RIVERS)}", f"Saint-{base}"])

    deps = []
    for d in range(4):
        dep_name = f"{rng.choice(_PREFIX)}{word(_DEP_SUFFIX)}"
        deps.append(
            {
                "code": str(200 + index * 4 + d),
                "name": dep_name,
                "chef_lieu": town(),
                "territoires": [town() for _ in range(3)],
            }
        )
    names: dict[str, str] = {}
    for region_index, region in enumerate(("R91", "R92")):
        world_deps = [d for d in world["departements"] if d["region"] == region]
        for i, dep in enumerate(world_deps):
            mine = deps[i % len(deps)]
            names[dep["name"]] = mine["name"]
            names[dep["chef_lieu"]] = mine["chef_lieu"]
            names[str(dep["code"])] = mine["code"]
            for j, terr in enumerate(dep.get("territoires", [])):
                names[terr] = mine["territoires"][(j + region_index) % 3]

    def proper() -> str:
        return _fresh(lambda: f"Les {rng.choice(_NOUNS)} {rng.choice(_QUALIFIERS)}".strip(), used)

    for esms in world["esms"]:
        names.setdefault(esms["commune"], town())
        kind, _, rest = esms["name"].partition(" ")
        if rest.startswith(("Les ", "La ", "Le ", "L'")):
            names[esms["name"]] = f"{kind} {proper()}"
    for person in _PEOPLE:
        names[person] = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    for assoc in _ASSOCIATIONS:
        names[assoc] = proper()
    for term in _WORDS:
        names.setdefault(term, word(_REGION_SUFFIX))
    return Region(
        index=index,
        code=f"R{300 + index}",
        name=name,
        abbr=abbr,
        deps=deps,
        factor=round(rng.uniform(0.55, 1.8), 2),
        year_shift=rng.randint(-4, 5),
        names=names,
    )


class Rewriter:
    """Rename the world's entities for one région and rescale its figures."""

    def __init__(
        self,
        region: Region,
        neighbour: Region,
        home: str,
        world: dict[str, Any],
        dtp_region: dict[str, str],
    ) -> None:
        self.region, self.neighbour, self.home = region, neighbour, home
        self.dtp_region = dtp_region
        names = dict(region.names)
        other = "R92" if home == "R91" else "R91"
        for r in world["regions"]:
            names[r["name"]] = region.name if r["code"] == home else neighbour.name
        for dep in world["departements"]:  # the other région's départements: the neighbour's
            if dep["region"] == other:
                for key in (dep["name"], dep["chef_lieu"]):
                    names[key] = neighbour.names.get(key, names.get(key, key))
        self.names = names
        words = sorted((k for k in names if not k.isdigit()), key=len, reverse=True)
        self._names_re = re.compile("|".join(re.escape(w) for w in words))
        codes = sorted((k for k in names if k.isdigit()), key=len, reverse=True)
        self._codes_re = re.compile(r"(?<!\d)(" + "|".join(codes) + r")(?!\d)") if codes else None

    def dtp_id(self, real: str) -> str:
        owner = self.region if self.dtp_region.get(real, self.home) == self.home else self.neighbour
        stem, _, year = real.rpartition("-")
        stem = stem.removeprefix("SG-")
        return f"{owner.abbr}-{stem}-{int(year) + owner.year_shift}"

    def text(self, text: str) -> str:
        held: list[str] = []

        def hold(value: str) -> str:  # a placeholder without digits, safe from NUMBER
            held.append(value)
            return "\x00" + "".join(chr(97 + int(d)) for d in str(len(held) - 1)) + "\x01"

        text = ID.sub(lambda m: hold(self.dtp_id(m.group(1)) + m.group(2)), text)
        if self._codes_re is not None:
            text = self._codes_re.sub(lambda m: hold(self.names[m.group(1)]), text)
        text = YEAR.sub(lambda m: hold(str(int(m.group(1)) + self.region.year_shift)), text)
        text = self._names_re.sub(lambda m: self.names[m.group(0)], text)
        text = NUMBER.sub(self._number, text)
        return re.sub(
            r"\x00([a-j]+)\x01",
            lambda m: held[int("".join(str(ord(c) - 97) for c in m.group(1)))],
            text,
        )

    def _number(self, match: re.Match[str]) -> str:
        raw, percent = match.group(1), match.group(2)
        value = int(re.sub(r"\D", "", raw))
        if percent:
            wiggle = int(hashlib.md5(raw.encode()).hexdigest(), 16) % 11 - 5
            return f"{min(99, max(1, value + wiggle))}{percent}"
        if value < 20:
            return raw
        scaled = max(1, round(value * self.region.factor))
        out = f"{scaled:,}".replace(",", " ") if scaled >= 10000 or " " in raw else str(scaled)
        return out

    def block(self, block: Block) -> Block:
        t = self.text
        if isinstance(block, Heading):
            return replace(block, text=t(block.text))
        if isinstance(block, Para):
            return replace(block, text=t(block.text))
        if isinstance(block, ListBlock):
            return replace(block, items=[t(i) for i in block.items])
        if isinstance(block, Table):
            return Table([t(c) for c in block.header], [[t(c) for c in r] for r in block.rows])
        if isinstance(block, Quote):
            return Quote(t(block.text), t(block.speaker))
        if isinstance(block, Fields):
            return Fields([(k, t(v)) for k, v in block.rows])
        return block
