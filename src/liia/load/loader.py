"""``liia load``: land every borough's return in landing.duckdb.

For each file under ``<incoming>/<la_code>/`` (in received-at order, see
:mod:`liia.load.incoming_files`):

1. hash it and check its encoding and, for XML, its prolog
   (:mod:`liia.load.content_scan`); bytes already registered for the borough
   are *unchanged* and nothing is written;
2. reject it, with a reason, if its folder is not a participating borough, its
   type is not xml/csv/xlsx, it is empty, unreadable, declares a DTD or
   entities, is an XLSX that would expand too far (a possible zip bomb,
   :mod:`liia.load.xlsx_archive`), is malformed, names another borough in its header (a
   data-protection incident), has no or an unknown census year, or holds no
   worker record;
3. otherwise read it (XML streamed by :mod:`liia.load.xml_return`, CSV/XLSX by
   :mod:`liia.load.tabular_return`, whose docstring gives the table rules:
   ``;``-separated repeated items, LA-level columns or an ``LALevel`` sheet,
   year from the file name), drop items not on the allow-list (names kept),
   note items that contradict the year's layout, and land it in one
   transaction (:mod:`liia.load.landing_writer`); a new return for a borough
   and year supersedes the one accepted before (in an earlier run whatever
   the files' modification times; within one run the later modified wins).

Bad *values* are never a reason to reject: they land as text and the quality
models report them. No message holds a raw SWE number or birth date.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from tqdm import tqdm

from liia.csww_schema import la_level_element, la_level_items, layout_version, worker_items
from liia.load.census_year import census_year
from liia.load.content_scan import FileScan, scan_file
from liia.load.incoming_files import (
    ACCEPTED_FORMATS,
    IncomingFile,
    default_participating,
    find_incoming_files,
    not_participating_reason,
)
from liia.load.landing_writer import LandingWriter, RegisterEntry
from liia.load.parsed_return import FileRejected, LoadNote, ParsedReturn, redact
from liia.load.tabular_return import read_csv_return, read_xlsx_return
from liia.load.xml_return import read_xml_return

_READERS = {"xml": read_xml_return, "csv": read_csv_return, "xlsx": read_xlsx_return}


@dataclass
class LoadSummary:
    """What one ``liia load`` did.

    Files of this run are counted by where they ended: ``accepted`` (the current
    return of their borough-year), ``rejected``, ``unchanged`` (bytes already
    registered); ``superseded`` counts returns that stopped being current in
    this run, earlier runs' included, and files landed as history because a
    later return was already accepted. ``still_rejected`` counts unchanged files
    that an earlier run rejected: they are still in incoming and still wrong.
    """

    accepted: int = 0
    rejected: int = 0
    superseded: int = 0
    unchanged: int = 0
    still_rejected: int = 0
    workers_landed: int = 0
    rejections: list[tuple[str, str]] = field(default_factory=list)

    @property
    def has_rejections(self) -> bool:
        """Whether any file in incoming is rejected, in this run or an earlier one."""
        return bool(self.rejected or self.still_rejected)

    def __str__(self) -> str:
        unchanged = f"{self.unchanged} unchanged"
        if self.still_rejected:
            unchanged += f" ({self.still_rejected} of them rejected before)"
        lines = [
            f"Load: {self.accepted} accepted, {self.rejected} rejected, "
            f"{self.superseded} superseded, {unchanged}; "
            f"{self.workers_landed} worker records landed."
        ]
        lines += [f"  rejected {path}: {reason}" for path, reason in self.rejections]
        return "\n".join(lines)


def _current_census_year() -> int:
    from liia.config import load_settings

    return load_settings().current_census_year


def _layout_notes(parsed: ParsedReturn, year: int, layout: int) -> list[LoadNote]:
    """Items (and the LA-level element) that contradict the year's layout: land, but say so."""
    notes: list[LoadNote] = []
    expected_workers = set(worker_items(layout))
    for item in sorted(parsed.worker_items_seen - expected_workers):
        notes.append(
            LoadNote(
                f"item {item} is not part of the {layout} layout used for census year {year}; "
                "landed as given",
                item=item,
            )
        )
    for item in sorted(parsed.la_level_items_seen - set(la_level_items(layout))):
        notes.append(
            LoadNote(
                f"LA-level item {item} is not part of the {layout} layout used for census year "
                f"{year}; landed as given",
                item=item,
            )
        )
    expected_element = la_level_element(layout)
    if parsed.file_format == "xml" and parsed.la_level_element not in (None, expected_element):
        notes.append(
            LoadNote(
                f"the LA-level element is {parsed.la_level_element}, but census year {year} "
                f"uses {expected_element}; landed as given",
                item=parsed.la_level_element,
            )
        )
    return notes


def _dropped_notes(parsed: ParsedReturn) -> list[LoadNote]:
    return [
        LoadNote(
            f"item {name} is not on the CSWW allow-list: dropped at landing, values not kept",
            item=name,
        )
        for name in sorted(parsed.dropped_items)
    ]


def _check_borough(parsed: ParsedReturn, la_code: str) -> None:
    if parsed.header_lea is None:
        return
    lea = parsed.header_lea.strip()
    same = lea == la_code or (lea.isdigit() and la_code.isdigit() and int(lea) == int(la_code))
    if not same:
        raise FileRejected(
            f"data-protection incident: the header LEA {redact(lea, 20)!r} is not this folder's "
            f"borough {la_code}; the file was not landed",
            item="LEA",
        )


class _FileLoader:
    """Loads one file at a time into landing and counts the outcomes."""

    def __init__(self, writer: LandingWriter, participating: set[str], current_year: int):
        self.writer = writer
        self.participating = participating
        self.current_year = current_year
        self.known = writer.known_files()
        self.rejected_before = writer.rejected_files()
        self.accepted_this_run: set[int] = set()
        self.summary = LoadSummary()

    def _reject(self, entry: RegisterEntry, rejection: FileRejected) -> None:
        note = LoadNote(rejection.reason, rejection.record_number, rejection.item)
        self.writer.register_rejected(entry, note)
        self.summary.rejected += 1
        self.summary.rejections.append((entry.file.relative_path, rejection.reason))

    def load(self, file: IncomingFile) -> None:
        file_format = file.file_format
        scan: FileScan | None = None
        if file.path.is_symlink():
            sha256 = hashlib.sha256(f"symlink:{os.readlink(file.path)}".encode()).hexdigest()
        else:
            try:
                scan = scan_file(file.path, file_format)
            except OSError as error:
                message = f"could not read the file: {redact(error.strerror or str(error))}"
                self.writer.log_unregistered(file, message)
                self.summary.rejected += 1
                self.summary.rejections.append((file.relative_path, message))
                return
            sha256 = scan.sha256
        if (file.la_code, sha256) in self.known:
            self.summary.unchanged += 1
            reason = self.rejected_before.get((file.la_code, sha256))
            if reason is not None:  # still waiting in incoming, still rejected
                self.summary.still_rejected += 1
                self.summary.rejections.append((file.relative_path, f"(unchanged) {reason}"))
            return
        self.known.add((file.la_code, sha256))
        entry = RegisterEntry(file=file, sha256=sha256, file_format=file_format)
        try:
            parsed = self._checked_parse(file, scan)
            year = census_year(
                file.file_name,
                parsed.header_year,
                parsed.header_reference_date,
                self.current_year,
            )
        except FileRejected as rejection:
            self._reject(entry, rejection)
            return
        except Exception as error:  # a reader's unforeseen failure must not stop other boroughs
            reason = f"could not be read ({type(error).__name__}); nothing was landed"
            self._reject(entry, FileRejected(reason))
            return
        layout = layout_version(year)
        entry = RegisterEntry(file, sha256, file_format, year, layout)
        notes = [*parsed.notes, *_layout_notes(parsed, year, layout), *_dropped_notes(parsed)]
        try:
            landed = self.writer.land_accepted(entry, parsed, notes)
        except duckdb.Error as error:
            self._reject(
                entry,
                FileRejected(f"could not be landed ({type(error).__name__}); nothing was written"),
            )
            return
        self.summary.workers_landed += landed.worker_rows
        for file_id in landed.superseded_file_ids:
            self.summary.superseded += 1
            if file_id in self.accepted_this_run:  # accepted earlier in this run: not any more
                self.accepted_this_run.discard(file_id)
                self.summary.accepted -= 1
        if landed.status == "accepted":
            self.summary.accepted += 1
            self.accepted_this_run.add(landed.file_id)
        else:
            self.summary.superseded += 1

    def _checked_parse(self, file: IncomingFile, scan: FileScan | None) -> ParsedReturn:
        if scan is None:
            raise FileRejected("symbolic links are not accepted: send the file itself")
        if file.la_code not in self.participating:
            raise FileRejected(not_participating_reason(file.la_code, self.participating))
        if file.file_format not in ACCEPTED_FORMATS:
            shown = file.path.suffix or "(none)"
            raise FileRejected(
                f"file type {redact(shown, 20)!r} is not accepted: send xml, csv or xlsx"
            )
        if scan.problem is not None:
            raise FileRejected(scan.problem)
        parsed = _READERS[file.file_format](file.path)
        _check_borough(parsed, file.la_code)
        return parsed


def load_incoming(
    incoming: Path,
    landing_path: Path,
    participating: set[str] | None = None,
    *,
    current_year: int | None = None,
    progress: bool = True,
) -> LoadSummary:
    """Land every file under ``incoming/<la_code>/`` in the landing database.

    ``participating`` defaults to the London returns of the seed (32 codes);
    ``current_year`` (the latest census year accepted) defaults to the one of
    ``LIIA_AS_OF`` (or today).
    """
    files = find_incoming_files(incoming)
    landing_path.parent.mkdir(parents=True, exist_ok=True)
    conn = duckdb.connect(str(landing_path))
    try:
        loader = _FileLoader(
            LandingWriter(conn),
            default_participating() if participating is None else set(participating),
            _current_census_year() if current_year is None else current_year,
        )
        # disable=None: a live bar on a terminal, nothing in CI logs or pipes.
        bar_off = None if progress else True
        for file in tqdm(files, desc="Loading returns", unit="file", disable=bar_off):
            loader.load(file)
        conn.execute("checkpoint")
    finally:
        conn.close()
    return loader.summary
