"""The files waiting in ``<incoming>/<la_code>/`` and the boroughs allowed to send them.

Every regular file under the incoming folder is a candidate (hidden files,
whose names start with ``.``, are skipped); its borough is the first folder
under ``incoming``. Files are processed in (received_at = modification time,
file name, path) order, so that of two returns for one borough and year sent in
one run the later one wins. Across runs modification times are not compared: a
file first seen in a later run supersedes the earlier run's return whatever its
timestamp (see :mod:`liia.load.landing_writer`).

Participating boroughs default to the London returns in ``seeds/london_las.csv``:
of a joint pair (``joint_return_with``) the lower code sends the return for both
(Kingston 314 for Kingston and Richmond 318), so the other is not a folder.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from liia.config import SEEDS_DIR
from liia.load.parsed_return import redact

ACCEPTED_FORMATS = ("xml", "csv", "xlsx")
BOROUGHS_SEED = SEEDS_DIR / "london_las.csv"


@dataclass(frozen=True)
class IncomingFile:
    """One file found under the incoming folder."""

    path: Path
    relative_path: str
    la_code: str
    received_at: dt.datetime

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def file_format(self) -> str:
        return self.path.suffix.lower().lstrip(".")

    @property
    def sort_key(self) -> tuple[dt.datetime, str, str]:
        return (self.received_at, self.file_name, self.relative_path)


@dataclass(frozen=True)
class Borough:
    la_code: str
    la_name: str
    joint_return_with: str | None


@cache
def london_boroughs() -> dict[str, Borough]:
    """The London boroughs of the seed, by DfE LA code."""
    with BOROUGHS_SEED.open(encoding="utf-8", newline="") as handle:
        return {
            row["la_code"]: Borough(
                la_code=row["la_code"],
                la_name=row["la_name"],
                joint_return_with=row.get("joint_return_with") or None,
            )
            for row in csv.DictReader(handle)
        }


def default_participating() -> set[str]:
    """The folders that send a return: every London code except a joint pair's higher code."""
    return {
        code
        for code, borough in london_boroughs().items()
        if borough.joint_return_with is None or code < borough.joint_return_with
    }


def not_participating_reason(la_code: str, participating: set[str]) -> str:
    """Why files in a folder that is not a participating borough are rejected."""
    if not la_code:
        return "the file is not in a borough folder (<incoming>/<la_code>/<file>)"
    borough = london_boroughs().get(la_code)
    if borough is not None and borough.joint_return_with in participating:
        sender = london_boroughs()[borough.joint_return_with]
        return (
            f"folder {la_code} ({borough.la_name}) is not a participating borough: "
            f"{sender.la_name} ({sender.la_code}) sends the joint return for both, "
            f"so {borough.la_name}'s data belongs in folder {sender.la_code}"
        )
    return (
        f"folder {redact(la_code, 40)!r} is not a participating borough code "
        f"({len(participating)} boroughs participate)"
    )


def find_incoming_files(incoming: Path) -> list[IncomingFile]:
    """Every candidate file under ``incoming``, in processing order."""
    if not incoming.is_dir():
        return []
    found: list[IncomingFile] = []
    for path in incoming.rglob("*"):
        relative = path.relative_to(incoming)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.is_dir():
            continue
        stat = path.lstat()
        found.append(
            IncomingFile(
                path=path,
                relative_path=relative.as_posix(),
                la_code=relative.parts[0] if len(relative.parts) > 1 else "",
                received_at=dt.datetime.fromtimestamp(stat.st_mtime, tz=dt.UTC).replace(
                    tzinfo=None
                ),
            )
        )
    return sorted(found, key=lambda file: file.sort_key)
