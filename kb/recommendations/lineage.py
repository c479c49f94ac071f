"""Questions about what follows what, answered from the links the documents state.

"Quelle préconisation de 2023 fait suite à la formation … prévue en 2019 ?" names the earlier
recommendation by its subject and asks for the later one; "La fiche FA 1-2 du plan d'actions
fait-elle suite à une préconisation de 2019 ?" names the later one and asks for the earlier;
"La préconisation n°10 de 2019 a-t-elle été reprise en 2023 ?" names the earlier one first.
The part of the question before the cue names one side, the part after it the other. A link
is one a document states (a record's `takes_up`, read at ingestion from "s'inscrit dans la
continuité de …", "Rappel : la préconisation n°6 du DTP de 2019 …"); the answer quotes the
sentence that states it. With no stated link the records say nothing and the passages answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kb import domain
from kb.recommendations.ids import number_of, question_numbers, scheme_of
from kb.recommendations.phrasing import Citations, record_head, record_name
from kb.recommendations.question import named_by_title, noun_of, stated_filters
from kb.recommendations.stated import Search
from kb.recommendations.types import Recommendation, SourceRef
from kb.text import fold, split_sentences
from kb.types import Answer


def _split(question: str) -> tuple[str, str, bool] | None:
    """(part before the cue, part after it, whether the earlier recommendation comes first)."""
    folded = fold(question)
    profile = domain.profile()
    for name, backward in (("lineage_backward", True), ("continues", False), ("precedent", False)):
        match = profile.cue(name).search(folded)
        if match:
            start, end = _original(question, match.start()), _original(question, match.end())
            return question[:start], question[end:], backward
    return None


def _original(text: str, folded_at: int) -> int:
    """The position in `text` of position `folded_at` of fold(text) (folding may lengthen)."""
    for i in range(len(text) + 1):
        if len(fold(text[:i])) >= folded_at:
            return i
    return len(text)


def _scope(
    part: str, records: Sequence[Recommendation], filters: Mapping[str, object]
) -> list[Recommendation]:
    """The records a part of the question may mean: its diagnostic, year, theme or place, and
    the numbering scheme its noun names ("une préconisation", "la fiche FA 1-2")."""
    folded = fold(part)
    where = stated_filters(part, part.upper(), folded, None, records, filters)
    pool = [r for r in records if where.matches(r)]
    # A label says its scheme ("FA 1-2" in "la fiche FA 1-2 du plan d'actions"); else the noun.
    labels = domain.labels(part)
    if labels:
        scheme = labels[0].key
    else:
        _, scheme = noun_of(folded) if domain.profile().cue("records").search(folded) else ("", "")
    return [r for r in pool if not scheme or scheme_of(r.id) == scheme]


def _named(part: str, pool: Sequence[Recommendation]) -> list[Recommendation]:
    """The recommendation a part names, by its number or by its subject."""
    numbers = question_numbers(part)
    if numbers:
        return [r for r in pool if number_of(r.id) in numbers]
    ids = named_by_title(part, pool, {}, single=True)
    return [r for r in pool if r.id in ids]


def _stating(
    later: Recommendation, earlier: Recommendation, search: Search
) -> tuple[SourceRef | None, str]:
    """A source of `later` and its sentence naming `earlier` ("… de la préconisation n°10 de
    2019"); the first source and no sentence when none names it."""
    slug = number_of(earlier.id)
    year = str(earlier.year or "")
    for ref in later.sources:
        lines = ref.quote.splitlines()
        for sentence in (s for line in lines for s in split_sentences(line)):
            named = {label.slug for label in domain.labels(sentence)}
            if (slug in named and year in sentence) or earlier.id in sentence:
                return _indexed(ref, " ".join(sentence.split()), search), " ".join(sentence.split())
    return (later.sources[0] if later.sources else None), ""


def _indexed(ref: SourceRef, sentence: str, search: Search) -> SourceRef:
    """`ref`, cited by the passage holding `sentence` when the record's quote (a fiche over
    two passages) is not one indexed passage."""
    if ref.chunk_id:
        return ref
    for hit in search(sentence, 5, {"document_id": ref.document_id}):
        if sentence in " ".join(hit.chunk.text.split()):
            chunk = hit.chunk
            return ref.model_copy(
                update={"chunk_id": chunk.chunk_id, "page": chunk.page, "quote": sentence}
            )
    return ref


def _in_sentence(name: str) -> str:
    """How a record's name reads inside a sentence: 'Préconisation n°10' -> 'la préconisation
    n°10', 'Action 2.1' -> "l'action 2.1", 'La préconisation X' -> 'la préconisation X';
    'FA 1-2' and ids as they are."""
    if not name[1:2].islower():
        return name
    lowered = name[:1].lower() + name[1:]
    if lowered.startswith(("la ", "le ", "les ", "l'")):
        return lowered
    return ("l'" if lowered[:1] in "aeéèiouy" else "la ") + lowered


def _link(later: Recommendation, earlier: Recommendation, cite: Citations, search: Search) -> str:
    ref, sentence = _stating(later, earlier, search)
    said = f" : « {sentence} »" if sentence else ""
    name = record_name(earlier)
    if name == earlier.id:  # a global id says its diagnostic
        name = f"la préconisation {name}"
    else:
        name = f"{_in_sentence(name)} du diagnostic de {earlier.year} ({earlier.dtp_id})"
    return f"{record_head(later)} fait suite à {name} « {earlier.title} »{said}{cite.mark(ref)}."


def answer_lineage(
    question: str,
    records: Sequence[Recommendation],
    search: Search,
    filters: Mapping[str, object] | None = None,
) -> Answer | None:
    """A cited answer naming the stated links the question asks about, or None."""
    split = _split(question)
    if split is None:
        return None
    first, second, backward = split
    filters = filters or {}
    first_pool, second_pool = _scope(first, records, filters), _scope(second, records, filters)
    first_named, second_named = _named(first, first_pool), _named(second, second_pool)
    earlier_side, later_side = (
        (first_named, second_pool)
        if backward
        else (
            second_named,
            first_pool,
        )
    )
    pairs: list[tuple[Recommendation, Recommendation]] = []
    if not backward and len(first_named) == 1:
        # The later one is named: which of the records the rest allows does it take up?
        later = first_named[0]
        allowed = {r.id for r in second_named or second_pool}
        pairs = [(later, e) for e in records if e.id in later.takes_up and e.id in allowed]
    elif len(earlier_side) == 1:
        earlier = earlier_side[0]
        pairs = [(r, earlier) for r in later_side if earlier.id in r.takes_up]
    if not pairs:
        return None
    cite = Citations()
    lines = [_link(later, earlier, cite, search) for later, earlier in pairs]
    if not domain.profile().cue("which").search(fold(question)):
        lines[0] = f"Oui : {_in_sentence(lines[0])}"
    return Answer(answer="\n".join(lines), citations=list(cite.items.values()))
