"""Recommendation numbers as documents print them: a global id ("AB-2020-P05") or a label of
one of the profile's schemes ("Préconisation n°3", "Action 2.1", "FA 2-3", "Piste 4")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb.domain.loader import Profile


@dataclass(frozen=True)
class Label:
    """A printed recommendation number: scheme `key`, number `n` ("2.1"), where it stands."""

    key: str
    n: str
    kind: str  # "record", "axis" or "proposal"
    printed: str
    start: int
    end: int

    @property
    def slug(self) -> str:
        """'preconisation-3', 'action-2.1': the label's part of a record id."""
        return f"{self.key}-{self.n}"


def _number(raw: str) -> str:
    parts = re.split(r"\s*[.-]\s*", raw.strip())
    return ".".join(str(int(p)) if p.isdigit() else p.upper() for p in parts if p)


def labels_in(text: str, profile: Profile, kinds: tuple[str, ...] = ("record",)) -> list[Label]:
    """Every scheme label of `kinds` in `text`, in order; overlapping matches keep the first
    scheme of the profile ("Fiche action n°4" is a fiche action, not an "action 4")."""
    found: list[Label] = []
    taken: list[tuple[int, int]] = []
    for scheme in profile.schemes:
        if scheme.kind not in kinds:
            continue
        for match in scheme.pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            found.append(
                Label(
                    scheme.key, _number(match.group("n")), scheme.kind, match.group(0), start, end
                )
            )
    return sorted(found, key=lambda label: label.start)


def label_text(slug: str, profile: Profile) -> str:
    """'preconisation-3' -> 'Préconisation n°3' (the profile's way of printing it)."""
    key, _, n = slug.rpartition("-")
    for scheme in profile.schemes:
        if scheme.key == key:
            return scheme.label.format(n=n)
    return slug


def global_ids_in(text: str, profile: Profile) -> list[str]:
    """Every global recommendation id ("AB-2020-P01") written in `text`, in order."""
    return [m.group(0) for m in profile.global_id.finditer(text)]
