"""PDF, page by page with pypdf, so every chunk keeps its page number."""

from __future__ import annotations

import logging
from pathlib import Path

from kb.errors import IngestError
from ingest.parsers import ParsedDocument, first_line, register

log = logging.getLogger(__name__)


@register(".pdf")
def parse_pdf(path: Path) -> ParsedDocument:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(str(path), "it is encrypted; export an unprotected copy")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = (reader.metadata.title if reader.metadata else None) or ""
    except FileNotDecryptedError as exc:
        raise IngestError(str(path), "it is encrypted; export an unprotected copy") from exc
    except IngestError:
        raise
    except Exception as exc:  # pypdf raises many types on damaged input; all mean "unreadable"
        raise IngestError(
            str(path), f"not a readable PDF (damaged or truncated file?): {exc}"
        ) from exc
    if not pages:
        raise IngestError(str(path), "the PDF has no pages")
    return ParsedDocument(title=title.strip() or first_line(pages[0], path.stem), pages=pages)
