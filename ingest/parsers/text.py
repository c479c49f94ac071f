"""Plain text and Markdown: one page (these formats have none)."""

from __future__ import annotations

from pathlib import Path

from kb.errors import IngestError
from kb.types import MetaValue
from ingest.parsers import ParsedDocument, first_line, register


@register(".txt", ".md", ".markdown")
def parse_text(path: Path) -> ParsedDocument:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError(str(path), f"not UTF-8 text ({exc.reason}); re-save it as UTF-8") from exc
    meta, body = front_matter(text)
    title = str(meta.pop("title", "") or first_line(body, path.stem))
    return ParsedDocument(title=title, pages=[body], metadata=meta)


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
