"""The domain profile (`profile.toml`, extended by a deployment's file) loaded into typed, compiled
objects."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from kb.errors import ConfigError

DEFAULT = Path(__file__).with_name("profile.toml")


def _any(patterns: list[str], flags: int = 0) -> re.Pattern[str]:
    """One pattern matching any of `patterns` (never matching when there are none)."""
    return re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!x)x", flags)


@dataclass(frozen=True)
class Cued:
    """A facet value and the folded cues that point at it (a theme, a document type)."""

    value: str
    cues: tuple[str, ...]
    label: str = ""
    phase: str = ""
    question_cues: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scheme:
    """A recommendation numbering scheme: "Préconisation n°3" -> key "preconisation", n "3"."""

    key: str
    label: str
    kind: str  # "record", "axis" or "proposal"
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class StatusRule:
    value: str
    negated: str  # the value when the cue is negated; "" when the wording is then not read
    cues: re.Pattern[str]


def merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """`extra` over `base`: lists appended, tables merged key by key, other values replaced."""
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        elif isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = out[key] + value
        else:
            out[key] = value
    return out


class Profile:
    """The DTP vocabulary, compiled. Build with `Profile.load()`; read through kb.domain."""

    def __init__(self, data: dict[str, Any], origin: str) -> None:
        self.data = data
        self.origin = origin
        try:
            self._check()
        except (KeyError, TypeError, re.error) as exc:
            raise ConfigError(f"domain profile {origin} is not valid: {exc}") from exc

    @classmethod
    def load(cls, extra: Path | None = None) -> Profile:
        """The built-in profile, extended by the file `extra` if given."""
        data = _read(DEFAULT)
        origin = str(DEFAULT)
        if extra is not None:
            data = merge(data, _read(extra))
            origin = f"{DEFAULT} + {extra}"
        return cls(data, origin)

    def _check(self) -> None:
        # Compile everything once, so a broken extension fails at start-up, not mid-query.
        for name in dir(type(self)):
            if isinstance(getattr(type(self), name), cached_property):
                getattr(self, name)

    # --- facets ----------------------------------------------------------------------
    @cached_property
    def facets(self) -> tuple[str, ...]:
        return tuple(self.data["facets"])

    @cached_property
    def themes(self) -> tuple[Cued, ...]:
        return tuple(
            Cued(t["value"], tuple(t["cues"]), t.get("label", ""), "", tuple(t["question_cues"]))
            for t in self.data["themes"]
        )

    @cached_property
    def doc_types(self) -> tuple[Cued, ...]:
        return tuple(
            Cued(d["value"], tuple(d["cues"]), d.get("label", ""), d["phase"])
            for d in self.data["doc_types"]
        )

    @cached_property
    def phases(self) -> tuple[str, ...]:
        return tuple(self.data["phases"])

    @cached_property
    def territory(self) -> dict[str, Any]:
        return dict(self.data["territory"])

    # --- recommendations -------------------------------------------------------------
    @cached_property
    def schemes(self) -> tuple[Scheme, ...]:
        return tuple(
            Scheme(s["key"], s["label"], s["kind"], re.compile(s["pattern"], re.IGNORECASE))
            for s in self.data["numbering"]
        )

    @cached_property
    def global_id(self) -> re.Pattern[str]:
        return re.compile(self.data["global_id"])

    @cached_property
    def takes_up_cues(self) -> re.Pattern[str]:
        return _any([rf"\b{re.escape(c)}" for c in self.data["takes_up_cues"]])

    @cached_property
    def statuses(self) -> dict[str, str]:
        return dict(self.data["statuses"])

    @cached_property
    def status_rules(self) -> tuple[StatusRule, ...]:
        return tuple(
            StatusRule(r["value"], r["negated"], _any(r["cues"]))
            for r in self.data["status"]["rules"]
        )

    @cached_property
    def status_unknown(self) -> re.Pattern[str]:
        return _any(self.data["status"]["unknown"])

    @cached_property
    def status_neutral(self) -> re.Pattern[str]:
        return _any([rf"\b{re.escape(p)}\b" for p in self.data["status"]["neutral"]])

    @cached_property
    def negations(self) -> frozenset[str]:
        return frozenset(self.data["status"]["negations"])

    @cached_property
    def header_fields(self) -> tuple[tuple[str, re.Pattern[str]], ...]:
        headers = self.data["headers"]
        suffix = headers["suffix"]
        return tuple(
            (name, re.compile(rf"^(?:{'|'.join(patterns)}){suffix}$"))
            for name, patterns in headers["fields"].items()
        )

    @cached_property
    def header_ignore(self) -> re.Pattern[str]:
        return re.compile(rf"^(?:{'|'.join(self.data['headers']['ignore'])})$")

    @cached_property
    def record_fields(self) -> frozenset[str]:
        return frozenset(self.data["records"]["fields"])

    @cached_property
    def document_date(self) -> re.Pattern[str]:
        labels = "|".join(re.escape(x) for x in self.data["records"]["document_date_labels"])
        return re.compile(
            rf"\b(?:{labels})\s*:?\s*\n?\s*"
            r"(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}(?:er)? \w+ \d{4})",
            re.IGNORECASE,
        )

    # --- retrieval and answers -------------------------------------------------------
    @cached_property
    def navigation_sections(self) -> re.Pattern[str]:
        return _any([rf"{re.escape(s)}\b" for s in self.data["navigation"]["sections"]])

    @cached_property
    def acronym_list(self) -> re.Pattern[str]:
        return re.compile(self.data["navigation"]["acronym_list"], re.MULTILINE)

    @cached_property
    def dot_leaders(self) -> re.Pattern[str]:
        return re.compile(self.data["navigation"]["dot_leaders"])

    @cached_property
    def furniture(self) -> re.Pattern[str]:
        return _any(self.data["furniture"]["patterns"])

    @cached_property
    def order_verb(self) -> str:
        """One pattern matching a verb that opens an order to an assistant (`orders.verbs`)."""
        verbs = "|".join(self.data.get("orders", {}).get("verbs", [])) or r"(?!)"
        return rf"(?:(?:{verbs})\b)"

    @cached_property
    def acronyms(self) -> dict[str, str]:
        return dict(self.data["acronyms"])

    def cue(self, name: str, flags: int = 0) -> re.Pattern[str]:
        """The question cue list `name` as one pattern (folded text unless flags say)."""
        return _question_cue(self, name, flags)

    @cached_property
    def wanted_status(self) -> tuple[tuple[str, re.Pattern[str]], ...]:
        return tuple((v, re.compile(p)) for v, p in self.data["questions"]["wanted_status"])

    @cached_property
    def nouns(self) -> tuple[tuple[re.Pattern[str], str, str], ...]:
        """(cue, noun, scheme key or "") of each way a question names records."""
        return tuple(
            (re.compile(entry[0]), entry[1], entry[2] if len(entry) > 2 else "")
            for entry in self.data["questions"]["nouns"]
        )

    @cached_property
    def paraphrases(self) -> tuple[tuple[str, ...], ...]:
        """Groups of words a question may use for one thing (`questions.paraphrases`)."""
        return tuple(tuple(group) for group in self.data["questions"].get("paraphrases", []))

    def words(self, name: str) -> str:
        """A whitespace-separated word list of the question cues ("generic")."""
        return " ".join(self.data["questions"][name].split())


_CUES: dict[tuple[int, str, int], re.Pattern[str]] = {}


def _question_cue(profile: Profile, name: str, flags: int) -> re.Pattern[str]:
    key = (id(profile), name, flags)
    if key not in _CUES:
        _CUES[key] = _any(profile.data["questions"][name], flags)
    return _CUES[key]


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except OSError as exc:
        raise ConfigError(f"cannot read the domain profile {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"the domain profile {path} is not valid TOML: {exc}") from exc
