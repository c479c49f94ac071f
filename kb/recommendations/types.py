"""Typed recommendation records: what a document says about one, and what we merge from it."""

from __future__ import annotations

from pydantic import BaseModel, Field

from kb.types import MetaValue


class SourceRef(BaseModel):
    """Where a recommendation is stated: a file, a page and the verbatim text on that page."""

    source: str
    page: int
    quote: str = Field(description="Verbatim text of the page (a table row or a fiche).")
    document_id: str = ""
    title: str = Field("", description="Title of the document.")
    chunk_id: str = Field("", description="The indexed chunk holding the quote, if any.")


class StatusFact(BaseModel):
    """One dated, cited status statement."""

    status: str = Field(description="Normalised value (DOMAIN.md), e.g. 'en_cours'.")
    status_label: str = Field(description="French label of the normalised value.")
    wording: str = Field(description="The wording of the document, e.g. 'en progression'.")
    date: str | None = Field(None, description="ISO date the status holds at, if known.")
    source: str
    page: int
    quote: str
    document_id: str = ""
    title: str = ""
    chunk_id: str = ""


class Observation(BaseModel):
    """What one document says about one recommendation (a table row or a fiche)."""

    rec_id: str
    source: SourceRef
    fields: dict[str, str] = Field(default_factory=dict)
    takes_up: list[str] = Field(default_factory=list, description="Ids it says it takes up.")
    status: StatusFact | None = None
    doc: dict[str, MetaValue] = Field(
        default_factory=dict, description="Facets of the document it was read in."
    )


class Precedent(BaseModel):
    """An earlier (or other-territory) recommendation on the same subject."""

    id: str
    dtp_id: str
    title: str = ""
    territory: str = ""
    year: int | None = None
    status: str | None = None
    status_label: str | None = None
    score: float = Field(description="Combined similarity, 0..1, higher is closer.")
    reason: str = Field(description="Why: shared terms, or an explicit mention.")


class Recommendation(BaseModel):
    """One recommendation merged from every document that states it."""

    id: str
    dtp_id: str
    theme: str = ""
    territory: str = ""
    year: int | None = None
    edition: int | None = None
    axis: str = ""
    title: str = ""
    description: str = ""
    finding: str = ""
    pilot: str = ""
    partners: list[str] = Field(default_factory=list)
    timeline: str = ""
    indicators: str = ""
    status: str | None = None
    status_label: str | None = None
    status_wording: str | None = None
    status_date: str | None = None
    conflict: bool = Field(False, description="Sources disagree on the latest status.")
    history: list[StatusFact] = Field(default_factory=list, description="Oldest first.")
    sources: list[SourceRef] = Field(default_factory=list)
    takes_up: list[str] = Field(default_factory=list)

    def embed_text(self) -> str:
        """What is embedded for similarity: the title, then the objective or the finding."""
        return " ".join(p for p in (self.title, self.description or self.finding) if p).strip()
