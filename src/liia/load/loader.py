"""``liia load``: land every borough's return in landing.duckdb.

For each path under ``<incoming>/<la_code>/`` (in received-at order, see
:mod:`liia.load.incoming_files`; a path that is not a regular file, a hidden
one, a symbolic link or an unreadable folder is rejected with its reason
without being opened):

1. hash it and check its encoding and, for XML, its prolog
   (:mod:`liia.load.content_scan`); bytes already registered for the borough
   are *unchanged* and nothing is written;
2. reject it, with a reason, if its folder is not a participating borough, its
   type is not xml/csv/xlsx, it is empty, unreadable, declares a DTD or
   entities, is an XLSX that would expand too far (a possible zip bomb,
   :mod:`liia.load.xlsx_archive`), is malformed, names another borough in its header (a
   data-protection incident; so is a CSV/XLSX borough column or cell naming
   another borough), has no census year or one outside the window (the years
   still retained up to the current one), or holds no worker record;
3. otherwise read it (XML streamed by :mod:`liia.load.xml_return`, CSV/XLSX by
   :mod:`liia.load.tabular_return`, whose docstring gives the table rules:
   ``;``-separated repeated items, LA-level columns or an ``LALevel`` sheet,
   year from the file name), drop items not on the allow-list (names kept),
   note items that contradict the year's layout, and land it in one
   transaction (:mod:`liia.load.landing_writer`); a new return for a borough
   and year supersedes the one accepted before (in an earlier run whatever
   the files' modification times; within one run the later modified wins).

Bad *values* are never a reason to reject: they land as text and the quality
models report them. No message holds a raw SWE number or birth date, and every
name from outside is shown with its control characters escaped
(:mod:`liia.load.shown`).

Fail per file: any exception while reading one file becomes that file's
rejection with its reason, and the batch goes on; a file that cannot be read
at all (an OS error, memory) is reported but not registered, so the next run
tries it again. A failure of the platform while writing to landing (disk full,
an I/O error, a lock) is not a verdict on the file: the file's transaction is
rolled back, the write is retried (:data:`RETRY_DELAYS_SECONDS`), and if the
fault persists the load stops with nothing recorded about that file and
:attr:`LoadSummary.platform_fault` set (``liia load``/``liia run`` exit
non-zero); the next run retries it. What was landed before stays landed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from liia.config import Authority, Settings

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import duckdb
from tqdm import tqdm

from liia.csww_schema import la_level_element, la_level_items, layout_version, worker_items
from liia.load.census_year import FIRST_CENSUS_YEAR, YearWindow, census_year
from liia.load.content_scan import FileScan, scan_file
from liia.load.incoming_files import (
    ACCEPTED_FORMATS,
    IncomingFile,
    default_participating,
    find_incoming_files,
    london_boroughs,
    not_participating_reason,
)
from liia.load.landing_schema import LANDING_SCHEMA
from liia.load.landing_writer import LandingWriter, RegisterEntry
from liia.load.parsed_return import FileRejected, LoadNote, ParsedReturn, redact
from liia.load.shown import shown
from liia.load.tabular_return import read_csv_return, read_xlsx_return
from liia.load.xml_return import read_xml_return

_READERS = {"xml": read_xml_return, "csv": read_csv_return, "xlsx": read_xlsx_return}
# Waits before each retry of a write the platform failed; then the load stops.
RETRY_DELAYS_SECONDS: tuple[float, ...] = (0.5, 2.0, 5.0)
_PLATFORM_DUCKDB_ERRORS = (
    duckdb.IOException,
    duckdb.OutOfMemoryException,
    duckdb.FatalException,
    duckdb.InterruptException,
    duckdb.TransactionException,
)
_PLATFORM_WORDS = ("lock", "no space", "disk", "i/o error", "read-only")
T = TypeVar("T")


def is_platform_fault(error: BaseException) -> bool:
    """Whether a failure to write landing is the platform's (retry; never the file's verdict)."""
    if isinstance(error, (OSError, MemoryError, *_PLATFORM_DUCKDB_ERRORS)):
        return True
    text = str(error).lower()
    return isinstance(error, duckdb.Error) and any(word in text for word in _PLATFORM_WORDS)


class PlatformFault(Exception):
    """A write to landing failed after every retry: stop the load, record nothing more."""


def _retrying(action: Callable[[], T]) -> T:
    """``action()``, retried after each of :data:`RETRY_DELAYS_SECONDS` on a platform fault."""
    for delay in (*RETRY_DELAYS_SECONDS, None):
        try:
            return action()
        except Exception as error:
            if not is_platform_fault(error):
                raise
            if delay is None:
                detail = redact(str(error), 160)
                raise PlatformFault(f"{type(error).__name__}: {detail}") from error
            time.sleep(delay)
    raise AssertionError("unreachable")


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
    # set when the platform failed to write landing and the load stopped
    platform_fault: str | None = None
    not_processed: int = 0

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
        lines += [f"  rejected {shown(path)}: {shown(reason)}" for path, reason in self.rejections]
        if self.platform_fault is not None:
            lines.append(
                f"Load STOPPED by a platform fault (not a problem with any file): "
                f"{shown(self.platform_fault)}; {self.not_processed} file(s) not processed, "
                "nothing recorded about them: the next run retries them."
            )
        return "\n".join(lines)


def _year_window(current_year: int | None, first_year: int | None) -> YearWindow:
    """The census years accepted: the settings' window unless the caller fixes it.

    A caller that gives ``current_year`` alone keeps the old floor
    (:data:`FIRST_CENSUS_YEAR`); with neither, the retention window of
    ``Settings.census_year_window`` applies.
    """
    if current_year is None:
        from liia.config import load_settings

        first, current_year = load_settings().census_year_window
        first_year = first if first_year is None else first_year
    return YearWindow(FIRST_CENSUS_YEAR if first_year is None else first_year, current_year)


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


def _name_key(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def _names_of(la_code: str) -> set[str]:
    """How a file may name the folder's borough: its code, ONS code or name; for a joint
    return's sender, its partner's too."""
    names = {la_code}
    boroughs = london_boroughs()
    for code, borough in boroughs.items():
        if code == la_code or borough.joint_return_with == la_code:
            names |= {code, borough.ons_code, borough.la_name}
            names |= {
                f"{prefix} of {borough.la_name}" for prefix in ("London Borough", "Royal Borough")
            }
    return {_name_key(name) for name in names if name}


def _same_borough(value: str, la_code: str, names: set[str]) -> bool:
    value = value.strip()
    if value.isdigit():
        codes = {_name_key(name) for name in names if name.isdigit()}
        return int(value) in {int(code) for code in codes} or value == la_code
    return _name_key(value) in names


def _check_borough(parsed: ParsedReturn, la_code: str) -> None:
    """Every borough the file names (header LEA, LEA/LA column or cell) is the folder's."""
    claims = parsed.borough_claims or (
        [("header LEA", parsed.header_lea)] if parsed.header_lea is not None else []
    )
    names = _names_of(la_code)
    for where, value in claims:
        if not _same_borough(value, la_code, names):
            raise FileRejected(
                f"data-protection incident: the {where} names {redact(value.strip(), 20)!r}, "
                f"not this folder's borough {la_code}; the file was not landed",
                item="LEA",
            )


def _register_key(file: IncomingFile, sha256: str) -> tuple[str, str]:
    """How the register knows a file: its folder as stored (escaped) and its hash."""
    return shown(file.la_code), sha256


class _FileLoader:
    """Loads one file at a time into landing and counts the outcomes."""

    def __init__(self, writer: LandingWriter, participating: set[str], window: YearWindow):
        self.writer = writer
        self.participating = participating
        self.window = window
        self.known = writer.known_files()
        self.rejected_before = writer.rejected_files()
        self.accepted_this_run: set[int] = set()
        self.summary = LoadSummary()

    def _reject(self, entry: RegisterEntry, rejection: FileRejected) -> None:
        note = LoadNote(rejection.reason, rejection.record_number, rejection.item)
        _retrying(lambda: self.writer.register_rejected(entry, note))
        self.known.add(_register_key(entry.file, entry.sha256))
        self.summary.rejected += 1
        self.summary.rejections.append((entry.file.relative_path, rejection.reason))

    def _not_registered(self, file: IncomingFile, message: str) -> None:
        """Report a file that could not be read at all; unregistered, the next run retries it."""
        _retrying(lambda: self.writer.log_unregistered(file, message))
        self.summary.rejected += 1
        self.summary.rejections.append((file.relative_path, message))

    def _unchanged(self, file: IncomingFile, sha256: str) -> bool:
        if _register_key(file, sha256) not in self.known:
            return False
        self.summary.unchanged += 1
        reason = self.rejected_before.get(_register_key(file, sha256))
        if reason is not None:  # still waiting in incoming, still rejected
            self.summary.still_rejected += 1
            self.summary.rejections.append((file.relative_path, f"(unchanged) {reason}"))
        return True

    def load(self, file: IncomingFile) -> None:
        """Land, reject or report one path; raises :class:`PlatformFault` only."""
        if file.declined is not None:  # never opened: not a file we may read
            sha256 = file.stand_in_sha256
            if not self._unchanged(file, sha256):
                entry = RegisterEntry(file=file, sha256=sha256, file_format=file.file_format)
                self._reject(entry, FileRejected(file.declined))
            return
        try:
            scan = scan_file(file.path, file.file_format)
        except OSError as error:
            self._not_registered(
                file, f"could not read the file: {redact(error.strerror or str(error))}"
            )
            return
        except Exception as error:  # the scan's own failure: report, never stop the batch
            self._not_registered(
                file, f"could not scan the file ({type(error).__name__}); nothing was landed"
            )
            return
        if self._unchanged(file, scan.sha256):
            return
        self._land(file, scan)

    def _land(self, file: IncomingFile, scan: FileScan) -> None:
        entry = RegisterEntry(file=file, sha256=scan.sha256, file_format=file.file_format)
        try:
            parsed = self._checked_parse(file, scan)
            year = census_year(
                file.file_name,
                parsed.header_year,
                parsed.header_reference_date,
                self.window.last,
                self.window.first,
            )
            layout = layout_version(year)
            notes = [*parsed.notes, *_layout_notes(parsed, year, layout), *_dropped_notes(parsed)]
        except FileRejected as rejection:
            self._reject(entry, rejection)
            return
        except (OSError, MemoryError) as error:  # the platform could not read it: try again
            self._not_registered(
                file, f"could not read the file ({type(error).__name__}); nothing was landed"
            )
            return
        except Exception as error:  # a reader's unforeseen failure must not stop other boroughs
            detail = redact(str(error), 120)
            reason = f"could not be read ({type(error).__name__}: {detail}); nothing was landed"
            self._reject(entry, FileRejected(reason))
            return
        reference_date = parsed.header_reference_date
        entry = RegisterEntry(
            file,
            scan.sha256,
            file.file_format,
            year,
            layout,
            None if reference_date is None else reference_date.strip(),
        )
        try:
            landed = _retrying(lambda: self.writer.land_accepted(entry, parsed, notes))
        except PlatformFault:
            raise
        except Exception as error:  # not the platform: something in this file cannot be stored
            reason = f"could not be landed ({type(error).__name__}); nothing was written"
            self._reject(entry, FileRejected(reason))
            return
        self.known.add(_register_key(file, scan.sha256))
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

    def _checked_parse(self, file: IncomingFile, scan: FileScan) -> ParsedReturn:
        if file.la_code not in self.participating:
            raise FileRejected(not_participating_reason(file.la_code, self.participating))
        if file.file_format not in ACCEPTED_FORMATS:
            shown_suffix = file.path.suffix or "(none)"
            raise FileRejected(
                f"file type {redact(shown_suffix, 20)!r} is not accepted: send xml, csv or xlsx"
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
    authorities: Sequence[Authority] | None = None,
    current_year: int | None = None,
    first_year: int | None = None,
    progress: bool = True,
) -> LoadSummary:
    """Land every file under ``incoming/<la_code>/`` in the landing database.

    ``participating`` defaults to the London returns of the seed (32 codes);
    ``authorities`` (LIIA_AUTHORITIES_FILE's) replace ``csww.participating_authorities``,
    which dbt's ``dim_la`` adds to the London seed (None leaves it empty);
    ``first_year``..``current_year`` are the census years accepted (default:
    ``Settings.census_year_window``, from ``LIIA_AS_OF`` or today and
    ``LIIA_RETAINED_YEARS``; see :func:`_year_window`). A platform fault that
    persists stops the load and sets ``platform_fault`` on the summary.
    """
    window = _year_window(current_year, first_year)
    files = find_incoming_files(incoming)
    landing_path.parent.mkdir(parents=True, exist_ok=True)
    summary = LoadSummary()
    try:
        conn = _retrying(lambda: duckdb.connect(str(landing_path)))
    except PlatformFault as fault:
        summary.platform_fault = f"opening {landing_path.name}: {fault}"
        summary.not_processed = len(files)
        return summary
    try:
        try:
            loader = _retrying(
                lambda: _FileLoader(
                    LandingWriter(conn),
                    default_participating() if participating is None else set(participating),
                    window,
                )
            )
        except PlatformFault as fault:
            summary.platform_fault = f"opening {landing_path.name}: {fault}"
            summary.not_processed = len(files)
            return summary
        summary = loader.summary
        try:
            _retrying(lambda: _write_authorities(conn, authorities or ()))
        except PlatformFault as fault:
            summary.platform_fault = f"writing the participating authorities: {fault}"
            summary.not_processed = len(files)
            return summary
        # disable=None: a live bar on a terminal, nothing in CI logs or pipes; it never
        # shows a file name, so a name cannot forge a line there.
        bar_off = None if progress else True
        for index, file in enumerate(
            tqdm(files, desc="Loading returns", unit="file", disable=bar_off)
        ):
            try:
                loader.load(file)
            except PlatformFault as fault:
                summary.platform_fault = shown(f"writing {file.relative_path} to landing: {fault}")
                summary.not_processed = len(files) - index
                break
        try:
            _retrying(lambda: conn.execute("checkpoint"))
        except PlatformFault as fault:  # committed work is in the write-ahead log: kept
            summary.platform_fault = summary.platform_fault or f"checkpoint: {fault}"
    finally:
        try:
            conn.close()
        except Exception as error:
            if not is_platform_fault(error):
                raise
            summary.platform_fault = summary.platform_fault or f"closing: {error}"
    return summary


def _write_authorities(conn: duckdb.DuckDBPyConnection, authorities: Sequence[Authority]) -> None:
    """Replace the landing's participating authorities in one transaction."""
    conn.execute("begin")
    try:
        conn.execute(f"delete from {LANDING_SCHEMA}.participating_authorities")
        if authorities:
            conn.executemany(
                f"insert into {LANDING_SCHEMA}.participating_authorities values (?, ?, ?)",
                [(a.la_code, a.la_name, a.region) for a in authorities],
            )
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise


def load_configured(settings: Settings) -> LoadSummary:
    """``load_incoming`` as the settings configure it: their folders, participating
    authorities and census-year window (what `liia load` and `liia run` both do)."""
    first_year, current_year = settings.census_year_window
    return load_incoming(
        settings.incoming,
        settings.landing_path,
        settings.participating_authorities,
        authorities=settings.configured_authorities,
        current_year=current_year,
        first_year=first_year,
    )
