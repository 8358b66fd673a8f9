"""Release the borough packs only after the privacy scan, and withdraw on a leak.

``export_and_scan`` writes the packs, scans LIIA_HOME, and, if the scan found
a raw identifier or the key, withdraws (deletes) the affected exports and
audits the withdrawal: only the boroughs the hits are attributed to, or every
export when a hit cannot be tied to one borough. All of this happens before
anything is printed, so an output error (``liia export | head -1`` closing the
pipe) can never leave a leaked export on disk unaudited; a failing export still
leads to the scan, and a scan that cannot complete withdraws everything.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TextIO

from liia.config import Settings
from liia.export.audit import WITHDRAWAL_ACTION, ExportEvent, record_exports
from liia.export.packs import (
    PACKS_DIRNAME,
    ExportSummary,
    export_all,
    prune_index,
    read_index,
)
from liia.privacy import ScanReport, scan_home

# Exports that hold every borough's rows: a hit there is withdrawn whole, whatever
# borough its row names (the analysts' extracts, their dictionary, the docs site,
# the London report).
SHARED_EXPORT_FOLDERS = ("analyst", "docs", "report")


@dataclass(frozen=True)
class Attribution:
    """Which boroughs' exports the scan's hits concern."""

    la_codes: frozenset[str]
    unattributable: bool
    # Shared export folders (SHARED_EXPORT_FOLDERS) holding a hit.
    shared_folders: frozenset[str] = frozenset()


def _shared_folder(location: str) -> str | None:
    parts = Path(location.split(":", 1)[0].split("!", 1)[0]).parts
    if len(parts) >= 2 and parts[0] == "exports" and parts[1] in SHARED_EXPORT_FOLDERS:
        return parts[1]
    return None


@dataclass
class Withdrawal:
    """What was withdrawn after a failed scan."""

    everything: bool
    la_codes: list[str] = field(default_factory=list)
    shared_folders: list[str] = field(default_factory=list)
    packs: list[dict[str, str]] = field(default_factory=list)
    not_removed: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        if self.everything:
            text = "every export has been withdrawn (deleted)"
        else:
            text = (
                f"the exports of borough(s) {', '.join(self.la_codes)} have been withdrawn "
                "(deleted); every other borough's pack is kept"
            )
            if self.shared_folders:
                withdrawn = ", ".join(f"exports/{f}/" for f in self.shared_folders)
                text += f"; {withdrawn} withdrawn whole (every borough's rows)"
        if self.not_removed:
            text += f"; COULD NOT DELETE: {', '.join(self.not_removed)}"
        return text


def attribute(scan: ScanReport) -> Attribution:
    """Which boroughs' exports the scan's hits concern.

    The scan ties each hit to boroughs (a pack's folder, the ``la_code`` of the
    table row, or the boroughs whose returns hold the identifier); one hit tied
    to none makes the whole scan unattributable, and everything is withdrawn.
    So does a hit in an export that is neither a borough's pack nor a shared
    folder (a stray file under exports/): withdrawing only the borough it names
    would leave the leaking file itself on disk.
    """
    codes = frozenset(scan.affected_la_codes)
    shared = frozenset(f for f in (_shared_folder(h.location) for h in scan.hits) if f)
    stray = any(_stray_export(hit.location) for hit in scan.hits)
    return Attribution(codes, scan.unattributed or not codes or stray, shared)


def _stray_export(location: str) -> bool:
    """A hit in a file under exports/ that no withdrawal of a pack or shared folder removes."""
    parts = Path(location.split(":", 1)[0].split("!", 1)[0]).parts
    if not parts or parts[0] != "exports":
        return False
    in_pack = len(parts) >= 3 and parts[1] == PACKS_DIRNAME
    return not in_pack and _shared_folder(location) is None


def withdraw(settings: Settings, attribution: Attribution) -> Withdrawal:
    """Delete the affected exports, bring the index in line, and audit each withdrawal."""
    listed = read_index(settings)
    result = Withdrawal(everything=attribution.unattributable)
    if result.everything:
        targets = [settings.exports_dir]
    else:
        result.la_codes = sorted(attribution.la_codes)
        targets = [settings.exports_dir / PACKS_DIRNAME / code for code in result.la_codes]
        result.shared_folders = sorted(attribution.shared_folders)
        targets += [settings.exports_dir / folder for folder in result.shared_folders]
    for target in targets:
        try:
            if target.exists():
                shutil.rmtree(target)
        except OSError as error:
            result.not_removed.append(f"{target.relative_to(settings.home)} ({error.strerror})")
    try:
        result.packs = prune_index(settings)
    except OSError as error:
        result.not_removed.append(f"index not updated ({error.strerror})")
        result.packs = [row for row in listed if row["la_code"] in attribution.la_codes]
    _audit(settings, result)
    return result


def _audit(settings: Settings, withdrawal: Withdrawal) -> None:
    if not settings.landing_path.exists():
        return
    detail = f"privacy scan failed: {withdrawal}"
    events = [
        ExportEvent(
            row["la_code"],
            int(row["census_year"]) if row["census_year"].isdigit() else None,
            int(row["file_id"]) if row["file_id"].isdigit() else None,
            f"{detail}: borough pack {row['folder']}",
        )
        for row in withdrawal.packs
    ]
    if withdrawal.everything:
        events.append(ExportEvent(None, None, None, f"{detail}: everything under exports/"))
    elif not events:
        events = [ExportEvent(code, None, None, detail) for code in withdrawal.la_codes]
    record_exports(settings.landing_path, events, datetime.now(), action=WITHDRAWAL_ACTION)


def say(text: str, stream: TextIO | None = None) -> None:
    """Print ``text``; a reader that went away (a closed pipe) is not an error.

    The rest of the output goes to the null device, so Python's final flush
    does not raise again at exit.
    """
    stream = sys.stdout if stream is None else stream
    try:
        print(text, file=stream, flush=True)
    except BrokenPipeError:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stream.fileno())
        except (OSError, ValueError, AttributeError):
            pass


def export_and_scan(
    settings: Settings,
    other_exports: Sequence[Callable[[Settings], object]] = (),
    *,
    write: bool = True,
) -> bool:
    """Write the borough packs (and ``other_exports``, e.g. the analyst zone), then
    prove no identifier left landing; True when clean.

    Order matters: export, scan, withdraw, audit, and only then print. An export
    that fails does not stop the others or the scan; its error is raised at the
    end. The summaries of ``other_exports`` are printed only when the scan passed.
    ``write=False`` writes nothing and only scans what is already there.
    """
    summary: ExportSummary | None = None
    errors: list[Exception] = []
    try:
        summary = export_all(settings) if write else None
    except Exception as error:  # the scan must still run; re-raised below
        errors.append(error)
    others: list[object] = []
    if not write:
        others.append("Export: nothing changed since the last export: every pack kept as it is")
    for export in other_exports if write else ():
        try:
            others.append(export(settings))
        except Exception as error:  # as above
            errors.append(error)
    try:
        scan = scan_home(settings)
    except BaseException:
        # A scan that cannot finish proves nothing: fail closed.
        withdraw(settings, Attribution(frozenset(), unattributable=True))
        raise
    withdrawal = None if scan.clean else withdraw(settings, attribute(scan))

    if summary is not None:
        say(str(summary))
    say(str(scan))
    if withdrawal is None:
        for other in others:
            say(str(other))
    else:
        say(
            "FAILED: the privacy scan found raw identifiers or the hash key outside landing; "
            f"{withdrawal} under {settings.exports_dir}",
            sys.stderr,
        )
    if errors:
        raise errors[0]
    return withdrawal is None
