"""What a question says about its DTP: the facet values it names, to favour (not filter) them.

"le diagnostic de 2023", "en Haute-Garonne", "AB-2020": users name the diagnostic
they mean far more often than they set a filter. Values are matched against those actually
present in the index, so nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from kb.text import fold

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def named_facets(query: str, known: Mapping[str, Iterable[object]]) -> dict[str, set[str]]:
    """Facet values of the index that the query names, as strings."""
    folded = fold(query)
    found: dict[str, set[str]] = {}
    for value in known.get("year", ()):
        if str(value) in set(_YEAR.findall(query)):
            found.setdefault("year", set()).add(str(value))
    for value in known.get("dtp_id", ()):
        if str(value).lower() in query.lower():
            found.setdefault("dtp_id", set()).add(str(value))
    for value in known.get("territory", ()):
        if fold(str(value)) in folded:
            found.setdefault("territory", set()).add(str(value))
    return found


def matches_named(metadata: Mapping[str, object], named: Mapping[str, set[str]]) -> int:
    """How many of the named facets a chunk's metadata agrees with."""
    return sum(str(metadata.get(facet)) in values for facet, values in named.items())
