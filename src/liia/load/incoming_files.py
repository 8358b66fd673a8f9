"""The files waiting in ``<incoming>/<la_code>/`` and the boroughs allowed to send them.

Every path under the incoming folder is either a candidate or *declined* with
a reason, never skipped without a word (:func:`find_incoming_files`). Only
regular files are candidates: they are opened later; a path is never opened to
find out what it is (``lstat`` only, so a named pipe cannot block the load).
Declined, each with its reason: symbolic links (to a file or to a folder:
never followed, whatever they point at), named pipes, sockets and devices,
hidden files and folders (names starting with ``.``: editor and OS leftovers
such as ``.DS_Store`` or an rsync temporary file, and a half-copied upload
must not land; a real return must be renamed without the dot), and folders
that cannot be read. A file's borough is the first folder under ``incoming``;
files at the top level of ``incoming`` are candidates in no borough (the
loader rejects them). Files are processed in (received_at = modification time,
file name, path) order, so that of two returns for one borough and year sent in
one run the later one wins. Across runs modification times are not compared: a
file first seen in a later run supersedes the earlier run's return whatever its
timestamp (see :mod:`liia.load.landing_writer`).

Participating boroughs default to the London returns in ``seeds/london_las.csv``:
of a joint pair (``joint_return_with``) the lower code sends the return for both
(Kingston 314 for Kingston and Richmond 318), so the other is not a folder.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import os
import stat
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
    # Why the path is declined without being opened (None for a regular file),
    # and the text that stands in for its content hash in the register.
    declined: str | None = None
    identity: str | None = None

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def stand_in_sha256(self) -> str:
        """The register's hash of a declined path: of what it is, never of its content."""
        return hashlib.sha256((self.identity or self.relative_path).encode()).hexdigest()

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
    ons_code: str = ""


@cache
def london_boroughs() -> dict[str, Borough]:
    """The London boroughs of the seed, by DfE LA code."""
    with BOROUGHS_SEED.open(encoding="utf-8", newline="") as handle:
        return {
            row["la_code"]: Borough(
                la_code=row["la_code"],
                la_name=row["la_name"],
                joint_return_with=row.get("joint_return_with") or None,
                ons_code=row.get("ons_code") or "",
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


_SPECIAL_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _received_at(status: os.stat_result) -> dt.datetime:
    return dt.datetime.fromtimestamp(status.st_mtime, tz=dt.UTC).replace(tzinfo=None)


def _entry(
    incoming: Path,
    path: Path,
    status: os.stat_result | None,
    declined: str | None = None,
    identity: str | None = None,
) -> IncomingFile:
    relative = path.relative_to(incoming)
    received = _received_at(status) if status is not None else dt.datetime(1970, 1, 1)
    return IncomingFile(
        path=path,
        relative_path=relative.as_posix(),
        la_code=relative.parts[0] if len(relative.parts) > 1 else "",
        received_at=received,
        declined=declined,
        identity=identity,
    )


def _folder_entry(
    incoming: Path, path: Path, status: os.stat_result | None, declined: str, identity: str
) -> IncomingFile:
    """A declined folder, reported in its borough (a borough folder in its own)."""
    relative = path.relative_to(incoming)
    received = _received_at(status) if status is not None else dt.datetime(1970, 1, 1)
    return IncomingFile(
        path=path,
        relative_path=relative.as_posix() + "/",
        la_code=relative.parts[0] if relative.parts else "",
        received_at=received,
        declined=declined,
        identity=identity,
    )


def _declined_link(incoming: Path, path: Path, status: os.stat_result) -> IncomingFile:
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    if path.is_dir():  # follows the link only to see what it is; nothing in it is read
        return _folder_entry(
            incoming,
            path,
            status,
            "the folder is a symbolic link: links are not followed, nothing in it was loaded; "
            "put the files themselves in the borough folder",
            f"folder-symlink:{path.relative_to(incoming).as_posix()}:{target}",
        )
    # the stand-in hash of a file symlink is the loader's since its first version
    return _entry(
        incoming,
        path,
        status,
        "symbolic links are not accepted: send the file itself",
        f"symlink:{target}",
    )


def _walk(incoming: Path, folder: Path, found: list[IncomingFile]) -> None:
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        status = None
        with contextlib.suppress(OSError):
            status = folder.lstat()
        found.append(
            _folder_entry(
                incoming,
                folder,
                status,
                f"the folder could not be read ({reason}): nothing in it was loaded",
                f"unreadable-folder:{folder.relative_to(incoming).as_posix()}",
            )
        )
        return
    for item in entries:
        path = Path(item.path)
        relative = path.relative_to(incoming).as_posix()
        try:
            status = item.stat(follow_symlinks=False)
        except OSError as error:
            reason = error.strerror or type(error).__name__
            found.append(
                _entry(
                    incoming,
                    path,
                    None,
                    f"the file could not be examined ({reason})",
                    f"unexaminable:{relative}",
                )
            )
            continue
        mode = status.st_mode
        hidden = item.name.startswith(".")
        if stat.S_ISLNK(mode):
            found.append(_declined_link(incoming, path, status))
        elif stat.S_ISDIR(mode):
            if hidden:
                found.append(
                    _folder_entry(
                        incoming,
                        path,
                        status,
                        "hidden folder (its name starts with '.'): nothing in it was loaded; "
                        "rename it without the dot if it holds returns",
                        f"hidden-folder:{relative}",
                    )
                )
            else:
                _walk(incoming, path, found)
        elif stat.S_ISREG(mode):
            if hidden:
                found.append(
                    _entry(
                        incoming,
                        path,
                        status,
                        "hidden file (its name starts with '.'): not loaded; "
                        "if it is a return, rename it without the leading dot",
                        f"hidden:{relative}",
                    )
                )
            else:
                found.append(_entry(incoming, path, status))
        else:
            kind = next((name for test, name in _SPECIAL_KINDS if test(mode)), "not a regular file")
            found.append(
                _entry(
                    incoming,
                    path,
                    status,
                    f"not a regular file ({kind}): only files are loaded, it was not opened",
                    f"special:{relative}",
                )
            )


def find_incoming_files(incoming: Path) -> list[IncomingFile]:
    """Every path under ``incoming``, in processing order: candidates, and declined
    paths (``declined`` set) that the loader reports without opening them."""
    if not incoming.is_dir():
        return []
    found: list[IncomingFile] = []
    _walk(incoming, incoming, found)
    return sorted(found, key=lambda file: file.sort_key)
