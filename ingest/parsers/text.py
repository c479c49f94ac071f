"""Plain text and Markdown: one page; Markdown headings become sections, pipe tables rows."""

from __future__ import annotations

import codecs
import logging
import re
from pathlib import Path

from ingest.parsers import Page, ParsedDocument, first_line, register
from ingest.parsers.layout import Layout, build_blocks
from kb.errors import IngestError
from kb.types import MetaValue

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


def decode_text(path: Path) -> str:
    """The text of a file in UTF-8, UTF-16/32 with a BOM, or a legacy encoding
    (Windows-1252 first: French Windows software writes it); a binary file is refused."""
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

    guess = charset_normalizer.from_bytes(raw).best()
    if guess is None:
        raise IngestError(
            str(path), "données binaires, pas du texte (aucun encodage de caractères ne convient)"
        )
    try:
        # Detection is unreliable on short texts (it may say cp1250 or big5 for French).
        text, encoding = raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, encoding = str(guess), guess.encoding
    log.info("%s is not UTF-8; read as %s", path, encoding)
    return text


@register(".txt", ".md", ".markdown")
def parse_text(path: Path) -> ParsedDocument:
    text = decode_text(path)
    meta, body = front_matter(text)
    title = str(meta.pop("title", "") or first_line(body, path.stem))
    layout = markdown_layout(body) if path.suffix.lower() != ".txt" else Layout()
    page = Page(number=1, text=body, blocks=build_blocks(body, layout, []))
    return ParsedDocument(title=title, pages=[page], metadata=meta)
