"""Plain text and Markdown: one page; Markdown headings become sections, pipe tables rows."""

from __future__ import annotations

import codecs
import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.parsers import Page, ParsedDocument, first_line, register
from ingest.parsers.layout import Layout, build_blocks
from kb.errors import IngestError
from kb.types import MetaValue

if TYPE_CHECKING:
    from charset_normalizer import CharsetMatch

log = logging.getLogger(__name__)

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)
_TABLE = re.compile(r"(?:^\|.*\|[ \t]*\n?){2,}", re.MULTILINE)
_RULE = re.compile(r"^\|?[\s:|-]+\|?$")


def front_matter(text: str) -> tuple[dict[str, MetaValue], str]:
    """YAML front matter (`---` ... `---`) as metadata, and the body after it."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---", 4)
    if end < 0:
        return {}, text
    import yaml

    try:
        data = yaml.safe_load(text[4:end]) or {}
    except yaml.YAMLError:
        return {}, text
    if not isinstance(data, dict):
        return {}, text
    meta = {str(k): v for k, v in data.items() if isinstance(v, str | int | float | bool)}
    return meta, text[end + 4 :].lstrip("\n")


def markdown_layout(body: str) -> Layout:
    """Headings and pipe tables of a Markdown text."""
    headings = [(len(m.group(1)), m.group(2)) for m in _HEADING.finditer(body)]
    tables: list[list[list[str]]] = []
    for match in _TABLE.finditer(body):
        rows = [
            [cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in match.group(0).splitlines()
            if line.strip() and not _RULE.match(line.strip())
        ]
        tables.append(rows)
    return Layout(headings=headings, tables=tables)


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


# Characters French writes beyond ASCII: its accented letters and its typography.
_FRENCH = frozenset("àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ«»‘’“”–—…€°·²\xa0\u202f")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SAMPLE = 65536  # bytes each candidate reading is judged on


def decode_text(path: Path) -> str:
    """The text of a file in UTF-8, UTF-16/32 with a BOM, or a legacy Latin code page
    (Windows-1252, Latin-1...) as charset-normalizer detects it; a binary file is refused."""
    raw = path.read_bytes()
    text = _decode(path, raw)
    controls = sum(not c.isprintable() and c not in "\r\n\t\f" for c in text)
    if controls > len(text) // 100:
        raise IngestError(
            str(path), "données binaires, pas du texte (pleines de caractères de contrôle)"
        )
    return text


def _decode(path: Path, raw: bytes) -> str:
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError as exc:
                raise IngestError(
                    str(path),
                    f"texte {encoding.upper()} abîmé ({exc.reason}) ; enregistrez-le à nouveau",
                ) from exc
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    import charset_normalizer

    matches = list(charset_normalizer.from_bytes(raw, cp_isolation=_latin_code_pages()))
    if not matches:
        raise IngestError(
            str(path), "données binaires, pas du texte (aucun encodage de caractères ne convient)"
        )
    # On a short text the library's own ranking is unreliable: several code pages decode
    # it cleanly (cp1250 reads "cœur" as "cśur") and it names no language. Among its
    # matches, the reading that writes French wins, then the one most code pages agree on.
    best = min(matches, key=lambda m: _reading_rank(raw, m))
    log.info("%s is not UTF-8; read as %s", path, best.encoding)
    return str(best)


def _latin_code_pages() -> list[str]:
    """The single-byte code pages charset-normalizer knows for Latin-script languages:
    a French text not in Unicode is in one of them (a CJK reading of a few accented
    bytes would otherwise end the detection early)."""
    from charset_normalizer.cd import encoding_languages, is_multi_byte_encoding
    from charset_normalizer.constant import IANA_SUPPORTED

    return [
        name
        for name in IANA_SUPPORTED
        if not is_multi_byte_encoding(name) and "Latin Based" in encoding_languages(name)
    ]


def _reading_rank(raw: bytes, match: CharsetMatch) -> tuple[int, int, int]:
    """Lower is likelier: characters French does not write, then fewer that it does,
    then fewer code pages giving this same reading."""
    found = _NON_ASCII.findall(raw[:_SAMPLE].decode(match.encoding, errors="ignore"))
    french = sum(c in _FRENCH for c in found)
    return len(found) - french, -french, -len(match.could_be_from_charset)


@register(".txt", ".md", ".markdown")
def parse_text(path: Path) -> ParsedDocument:
    text = decode_text(path)
    meta, body = front_matter(text)
    title = str(meta.pop("title", "") or first_line(body, path.stem))
    layout = markdown_layout(body) if path.suffix.lower() != ".txt" else Layout()
    page = Page(number=1, text=body, blocks=build_blocks(body, layout, []))
    return ParsedDocument(title=title, pages=[page], metadata=meta)
