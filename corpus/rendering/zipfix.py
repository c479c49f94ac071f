"""Make zip-based outputs (DOCX, XLSX) byte-reproducible: fixed timestamps, fixed order."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

_EPOCH = (1980, 1, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def freeze_zip(path: Path, stamp: date) -> None:
    """Rewrite `path` with every member dated 1980-01-01 and docProps "modified" = stamp.

    openpyxl writes the save time into docProps/core.xml whatever the workbook says.
    """
    with zipfile.ZipFile(path) as archive:
        members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    modified = rb"\g<1>" + f"{stamp:%Y-%m-%d}T00:00:00Z".encode() + rb"\g<2>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, payload in members:
            if name == "docProps/core.xml":
                payload = _MODIFIED.sub(modified, payload)
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, payload)
