"""`/v1/documents/{id}/passages/{chunk_id}`: a cited passage in its context, as a page to read.

A PDF citation opens the file itself at `#page=N`; other formats (Word, spreadsheets, HTML,
text) have no pages a browser can jump to, so their citations open this page: the cited
passage highlighted between its neighbours on the same page.
"""

from __future__ import annotations

from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.auth import Reader
from api.deps import KB
from kb.errors import NotFoundError

router = APIRouter(prefix="/v1", tags=["documents"])

_STYLE = """
body { font-family: Marianne, arial, sans-serif; color: #161616; max-width: 48rem;
       margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
header { border-bottom: 2px solid #000091; margin-bottom: 1.5rem; }
h1 { font-size: 1.5rem; color: #000091; }
p.meta { color: #3a3a3a; }
section { white-space: pre-wrap; margin: 0 0 1rem; }
mark { background: #e3e3fd; color: #161616; outline: 2px solid #000091; display: block;
       padding: .5rem; }
a { color: #000091; }
a:focus-visible { outline: 2px solid #0a76f6; outline-offset: 2px; }
"""


@router.get(
    "/documents/{document_id}/passages/{chunk_id}",
    response_class=HTMLResponse,
    responses={
        200: {
            "content": {"text/html": {"example": "<!doctype html>…<mark id=passage>…</mark>"}},
            "description": "The page's passages, the cited one highlighted.",
        }
    },
)
def passage(document_id: str, chunk_id: str, kb: KB, reader: Reader) -> HTMLResponse:
    """A passage of a document shown in context: the other passages of its page around it,
    the cited one highlighted (a citation's link for formats that are not PDF)."""
    chunks = kb.chunks_of(document_id)
    cited = next((c for c in chunks if c.chunk_id == chunk_id), None)
    if cited is None:
        raise NotFoundError(
            f"le passage '{chunk_id}' n'existe pas dans le document '{document_id}'"
        )
    page = [c for c in chunks if c.page == cited.page]
    parts = [
        f'<mark id="passage">{escape(c.text)}</mark>'
        if c.chunk_id == chunk_id
        else f"<section>{escape(c.text)}</section>"
        for c in page
    ]
    html = f"""<!doctype html>
<html lang="fr"><head><meta charset="utf-8">
<title>{escape(cited.title)}, page {cited.page}</title><style>{_STYLE}</style></head>
<body><header><h1>{escape(cited.title)}</h1>
<p class="meta">Page {cited.page} — le passage cité est surligné.
<a href="/v1/documents/{escape(document_id)}/file">Télécharger le document</a></p></header>
<main>{"".join(parts)}</main>
<script>document.getElementById("passage").scrollIntoView({{block: "center"}});</script>
</body></html>"""
    return HTMLResponse(html)
