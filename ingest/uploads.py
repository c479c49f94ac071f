"""Uploaded files: recognised by their content (never by their name), stored by content hash
under `<data_dir>/uploads/<sha256>/<file name>`."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import BinaryIO

from kb.errors import TooLargeError, UnsupportedTypeError

UPLOADS = "uploads"
_SNIFF = 64 * 1024
_TEXT_SUFFIXES = {".txt", ".md", ".csv"}
_SUFFIXES = {"pdf": {".pdf"}, "docx": {".docx"}, "xlsx": {".xlsx"}, "html": {".html", ".htm"}}


def kind_of(path: Path) -> str | None:
    """'pdf', 'docx', 'xlsx', 'html' or 'text' from the bytes of the file; None if none."""
    with path.open("rb") as f:
        head = f.read(_SNIFF)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as z:
                names = z.namelist()
        except (zipfile.BadZipFile, OSError):
            return None
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        return None
    text = _decode(head)
    if text is None:
        return None
    start = text.lstrip("\ufeff \t\r\n").lower()
    if start.startswith(("<!doctype html", "<html")) or re.search(
        r"<(html|body|head)[\s>]", start[:2048]
    ):
        return "html"
    return "text"


def _decode(head: bytes) -> str | None:
    """The sample as text (UTF-8, UTF-16 with a BOM, or cp1252), or None for binary."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return head[: len(head) // 2 * 2].decode("utf-16")
        except UnicodeDecodeError:
            return None
    if not head.strip() or b"\x00" in head:
        return None
    for encoding in ("utf-8", "cp1252"):
        try:
            # The sample may end inside a character: drop up to 3 trailing bytes.
            text = next(
                head[: len(head) - cut].decode(encoding)
                for cut in range(4)
                if _ok(head, cut, encoding)
            )
        except StopIteration:
            continue
        controls = sum(ch < " " and ch not in "\t\r\n\f" for ch in text)
        return text if controls <= len(text) // 100 else None
    return None


def _ok(head: bytes, cut: int, encoding: str) -> bool:
    try:
        head[: len(head) - cut].decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def safe_name(name: str | None, kind: str) -> str:
    """The file's own name, made safe, with a suffix that matches its content."""
    base = Path((name or "").replace("\\", "/")).name
    base = re.sub(r"[\x00-\x1f/]", "", base).lstrip(".").strip()[:150] or "document"
    suffix = Path(base).suffix.lower()
    allowed = _TEXT_SUFFIXES if kind == "text" else _SUFFIXES[kind]
    if suffix in allowed:
        return base
    return f"{base}{'.txt' if kind == 'text' else sorted(allowed)[-1]}"


def store_upload(data_dir: Path, stream: BinaryIO, name: str | None, max_bytes: int) -> Path:
    """Copy an uploaded file under the uploads folder; its path there.

    Raises TooLargeError past `max_bytes`, UnsupportedTypeError for content no parser reads."""
    root = data_dir / UPLOADS
    root.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    fd, tmp_name = tempfile.mkstemp(dir=root, prefix=".upload-")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            while block := stream.read(1 << 20):
                size += len(block)
                if size > max_bytes:
                    raise TooLargeError(
                        f"« {name} » dépasse la taille maximale de {max_bytes // 2**20} Mo "
                        "(réglage api.max_upload_mb) ; découpez le document"
                    )
                digest.update(block)
                out.write(block)
        kind = kind_of(tmp)
        if kind is None:
            raise UnsupportedTypeError(
                f"le contenu de « {name} » n'est ni un PDF, ni un DOCX, ni un XLSX, ni du HTML, "
                "ni du texte (TXT, MD, CSV) ; exportez-le dans l'un de ces formats"
            )
        folder = root / digest.hexdigest()
        folder.mkdir(exist_ok=True)
        existing = [p for p in folder.iterdir() if p.is_file()]
        if existing:  # the same bytes were uploaded before: one copy is enough
            return existing[0]
        target = folder / safe_name(name, kind)
        os.replace(tmp, target)
        return target
    finally:
        tmp.unlink(missing_ok=True)


def upload_folder(data_dir: Path, source: str) -> Path | None:
    """The uploads folder holding `source`, if it is an uploaded file."""
    path = Path(source)
    root = (data_dir / UPLOADS).resolve()
    return path.parent if path.parent.parent == root else None


def remove_upload(data_dir: Path, source: str) -> None:
    folder = upload_folder(data_dir, source)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
