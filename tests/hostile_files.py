"""Hostile files built byte by byte for tests/test_hostile.py: PDFs with a Flate bomb, a page
tree loop, only an image or only drawings, an encrypted PDF, zip-bomb and billion-laughs
DOCX packages, and long single lines of French words."""

from __future__ import annotations

import io
import random
import zipfile
import zlib
from pathlib import Path

WORDS = (
    "diagnostic territorial partagé préconisation pilote calendrier comité suivi "
    "handicap rare famille parcours adulte enfant établissement service médico-social "
    "accompagnement aidant répit scolarisation emploi logement santé mentale territoire"
).split()


# --- raw files -----------------------------------------------------------------------------
def _raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF whose object n+1 is objects[n], with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def flate_bomb_pdf(path: Path) -> None:
    """One page whose content stream inflates to 1 GB."""
    deflate = zlib.compressobj(9)
    block = b" " * (16 * 1024 * 1024)
    data = b"".join(deflate.compress(block) for _ in range(64)) + deflate.flush()
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"
    path.write_bytes(
        _raw_pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                page,
                _stream(data, b"/Filter /FlateDecode "),
            ]
        )
    )


def page_loop_pdf(path: Path) -> None:
    """A page tree whose node lists itself among its kids."""
    content = b"BT /F1 12 Tf 72 720 Td (Boucle dans l'arbre des pages) Tj ET"
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>"
    )
    path.write_bytes(
        _raw_pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>",
                page,
                _stream(content),
                _FONT,
            ]
        )
    )


def image_only_pdf(path: Path) -> None:
    """Two pages, each one grey image and nothing else, as a scanner writes them."""
    width, height = 120, 160
    rng = random.Random(4)
    pixels = bytes(200 + rng.randrange(40) for _ in range(width * height))
    image = _stream(
        zlib.compress(pixels),
        b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode " % (width, height),
    )
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
        b"/Resources << /XObject << /Im0 6 0 R >> >> >>"
    )
    path.write_bytes(
        _raw_pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
                page,
                page,
                _stream(b"q 595 0 0 842 0 0 cm /Im0 Do Q"),
                image,
            ]
        )
    )


def drawings_pdf(path: Path) -> None:
    """Pages of shapes only: neither text nor image, so no scan either."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for n in range(2):
        c.rect(50, 50, 400, 600, fill=1)
        c.circle(300, 400, 100 + n * 10, fill=0)
        c.showPage()
    c.save()


def encrypted_pdf(path: Path, source: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(source).pages:
        writer.add_page(page)
    writer.encrypt("secret")
    with path.open("wb") as f:
        writer.write(f)


_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" '
    b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_package(path: Path, parts: list[bytes]) -> None:
    """A minimal but valid DOCX package whose document part is `parts` joined."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            for part in parts:
                f.write(part)


def zip_bomb_docx(path: Path) -> None:
    """A valid package whose document part inflates to 1 GB."""
    block = b"A" * (16 * 1024 * 1024)
    head = b"<w:document " + _W + b"><w:body><w:p><w:r><w:t>"
    tail = b"</w:t></w:r></w:p></w:body></w:document>"
    docx_package(path, [head, *[block] * 64, tail])


def billion_laughs_docx(path: Path) -> None:
    entities = b'<!ENTITY lol0 "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, b"&lol%d;" % (n - 1) * 10) for n in range(1, 10)
    )
    xml = (
        b'<?xml version="1.0"?><!DOCTYPE w:document [' + entities + b"]>"
        b"<w:document " + _W + b"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body>"
        b"</w:document>"
    )
    docx_package(path, [xml])


def valid_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Compte rendu du groupe de travail sur le répit", level=1)
    document.add_paragraph("Les aidants demandent des solutions de répit de proximité.")
    document.save(str(path))


def valid_xlsx(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Référence", "Intitulé", "Statut"])
    sheet.append(["GT-01", "Créer une plateforme de répit", "en cours"])
    book.save(path)


def one_line(size: int, seed: int) -> str:
    """French prose of `size` characters without a single line break."""
    rng = random.Random(seed)
    parts: list[str] = []
    length = 0
    while length < size:
        words = rng.sample(WORDS, 8)
        sentence = f"Le {words[0]} du {words[1]} prévoit un {words[2]} pour les {words[3]}. "
        parts.append(sentence)
        length += len(sentence)
    return "".join(parts)[:size]
