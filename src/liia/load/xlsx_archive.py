"""Check an XLSX workbook's zip archive before openpyxl opens it: no zip bombs.

An XLSX file is a zip archive whose members openpyxl inflates. A few hundred
kilobytes can declare gigabytes, so the archive's directory is read first
(:mod:`zipfile`, nothing inflated) and the workbook is refused when its members
would expand, in total, beyond :data:`MAX_UNCOMPRESSED_BYTES`, or when one
sizeable member (over :data:`RATIO_CHECK_FROM_BYTES`) is compressed more than
:data:`MAX_COMPRESSION_RATIO` times. The declared sizes are binding: Python's
zipfile never returns more bytes for a member than its directory entry
declares, so a member cannot expand past what was checked here.

A real CSWW workbook (a few thousand rows) expands to a few MiB at ratios
below 20.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from liia.load.parsed_return import FileRejected

MIB = 1 << 20
MAX_UNCOMPRESSED_BYTES = 256 * MIB
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_FROM_BYTES = 1 * MIB


def check_xlsx_archive(path: Path) -> None:
    """Raise :class:`FileRejected` if the archive would expand too far; ``zipfile``
    errors (not a zip, a broken directory) propagate to the caller."""
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise FileRejected(
            f"XLSX would expand to {total / MIB:.0f} MiB (limit {MAX_UNCOMPRESSED_BYTES / MIB:.0f}"
            " MiB): refused as a possible zip bomb"
        )
    for member in members:
        if member.file_size <= RATIO_CHECK_FROM_BYTES:
            continue
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > MAX_COMPRESSION_RATIO:
            raise FileRejected(
                f"XLSX would expand to {total / MIB:.0f} MiB with a part compressed "
                f"{ratio:.0f} times (limit {MAX_COMPRESSION_RATIO}): refused as a possible "
                "zip bomb"
            )
