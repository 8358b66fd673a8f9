"""Writes to landing.duckdb: one transaction per file.

A landed file's register row, worker rows (one bulk insert from an Arrow
table), LA-level row, notes, audit event and the superseding of an earlier
return all commit together or not at all. A rejected file gets its register
row, its load error and its audit event in one transaction too.

Which return of a borough and year is current: a file first seen in a later run
supersedes the return accepted in an earlier run, whatever its modification
time (a corrected return copied in with ``cp -p``, ``rsync`` or ``unzip`` keeps
an older timestamp). Only among the files of one run does the order of
received_at (modification time), then file name, decide.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from liia.csww_schema import ALL_LA_LEVEL_ITEMS, ALL_WORKER_ITEMS, REPEATED_WORKER_ITEMS
from liia.governance.audit_log import AuditEvent, insert_events
from liia.load.incoming_files import IncomingFile
from liia.load.landing_schema import LANDING_SCHEMA, create_landing
from liia.load.parsed_return import LoadNote, ParsedReturn
from liia.load.shown import shown

S = LANDING_SCHEMA
_BATCH_VIEW = "_liia_landing_batch"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class RegisterEntry:
    """The register facts of one file, whatever its outcome."""

    file: IncomingFile
    sha256: str
    file_format: str
    census_year: int | None = None
    layout_version: int | None = None
    # the header's ReferenceDate as sent (trimmed), once its year was checked
    reference_date: str | None = None


@dataclass(frozen=True)
class LandedFile:
    """What landing one accepted file did."""

    file_id: int
    status: str  # 'accepted', or 'superseded' when a later return was already accepted
    superseded_file_ids: tuple[int, ...]
    worker_rows: int


def _workers_table(file_id: int, parsed: ParsedReturn) -> pa.Table:
    count = parsed.workers.count
    arrays: dict[str, pa.Array] = {
        "file_id": pa.array([file_id] * count, type=pa.int32()),
        "record_number": pa.array(range(1, count + 1), type=pa.int32()),
    }
    for item in ALL_WORKER_ITEMS:
        kind = pa.list_(pa.string()) if item in REPEATED_WORKER_ITEMS else pa.string()
        arrays[item] = pa.array(parsed.workers.column(item), type=kind)
    return pa.table(arrays)


class LandingWriter:
    """The loader's only way to change landing.duckdb."""

    def __init__(self, conn: duckdb.DuckDBPyConnection) -> None:
        self.conn = conn
        create_landing(conn)
        # file_ids registered by this writer: one writer is one run of the loader
        self._this_run: set[int] = set()

    def rejected_files(self) -> dict[tuple[str, str], str]:
        """(la_code, sha256) of every registered file that was rejected, and the reason."""
        rows = self.conn.execute(
            f"select la_code, file_sha256, reason from {S}.file_register where status = 'rejected'"
        ).fetchall()
        return {(la_code, sha): reason for la_code, sha, reason in rows}

    def known_files(self) -> set[tuple[str, str]]:
        """(la_code, sha256) of every file already registered."""
        rows = self.conn.execute(f"select la_code, file_sha256 from {S}.file_register").fetchall()
        return {(la_code, sha) for la_code, sha in rows}

    def _next_file_id(self) -> int:
        return int(self.conn.execute(f"select nextval('{S}.file_id_sequence')").fetchall()[0][0])

    def _register(
        self,
        file_id: int,
        entry: RegisterEntry,
        status: str,
        *,
        worker_rows: int = 0,
        reason: str | None = None,
        superseded_by: int | None = None,
        dropped_items: list[str] | None = None,
    ) -> None:
        self.conn.execute(
            f"insert into {S}.file_register (file_id, file_sha256, file_path, file_name, la_code, "
            "census_year, layout_version, file_format, received_at, loaded_at, worker_rows, "
            "status, reason, superseded_by, dropped_items, reference_date) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                file_id,
                entry.sha256,
                # names chosen by the sender: control characters escaped (liia.load.shown)
                shown(entry.file.relative_path),
                shown(entry.file.file_name),
                shown(entry.file.la_code),
                entry.census_year,
                entry.layout_version,
                shown(entry.file_format),
                entry.file.received_at,
                _now(),
                worker_rows,
                status,
                None if reason is None else shown(reason),
                superseded_by,
                [shown(name) for name in dropped_items or []],
                entry.reference_date,
            ],
        )

    def _errors(self, file_id: int | None, file: IncomingFile, notes: list[LoadNote]) -> None:
        if notes:
            logged_at = _now()
            self.conn.executemany(
                f"insert into {S}.load_errors (file_id, file_path, la_code, record_number, item, "
                "message, logged_at) values (?, ?, ?, ?, ?, ?, ?)",
                [
                    [
                        file_id,
                        shown(file.relative_path),
                        shown(file.la_code) or None,
                        n.record_number,
                        None if n.item is None else shown(n.item),
                        shown(n.message),
                        logged_at,
                    ]
                    for n in notes
                ],
            )

    def _audit(
        self,
        la_code: str,
        census_year: int | None,
        file_id: int | None,
        detail: str,
        *,
        outcome: str,
        sha256: str | None = None,
        rows: int | None = None,
    ) -> None:
        # through the audit log's one writer: who, which command, the hash chain
        detail, la_code = shown(detail), shown(la_code)
        event = AuditEvent("load", outcome, detail, la_code, census_year, file_id, sha256, rows)
        insert_events(self.conn, [event], _now())

    def register_rejected(self, entry: RegisterEntry, rejection: LoadNote) -> int:
        """Register a rejected file with its reason, its load error and an audit event."""
        self.conn.begin()
        try:
            file_id = self._next_file_id()
            self._register(file_id, entry, "rejected", reason=rejection.message)
            self._errors(file_id, entry.file, [rejection])
            self._audit(
                entry.file.la_code,
                entry.census_year,
                file_id,
                f"rejected {entry.file.relative_path}: {rejection.message}",
                outcome="rejected",
                sha256=entry.sha256,
                rows=0,
            )
            self.conn.commit()
        except BaseException:
            self.conn.rollback()
            raise
        return file_id

    def log_unregistered(self, file: IncomingFile, message: str) -> None:
        """A problem with a file that could not even be registered (it could not be read)."""
        self.conn.begin()
        try:
            self._errors(None, file, [LoadNote(message)])
            detail = f"could not register {file.relative_path}: {message}"
            self._audit(file.la_code, None, None, detail, outcome="unreadable")
            self.conn.commit()
        except BaseException:
            self.conn.rollback()
            raise

    def _current_return(self, la_code: str, census_year: int) -> list[tuple[int, dt.datetime, str]]:
        return self.conn.execute(
            f"select file_id, received_at, file_name from {S}.file_register "
            "where la_code = ? and census_year = ? and status = 'accepted'",
            [la_code, census_year],
        ).fetchall()

    def land_accepted(
        self, entry: RegisterEntry, parsed: ParsedReturn, notes: list[LoadNote]
    ) -> LandedFile:
        """Land a file's workers and LA-level values; supersede the earlier return."""
        assert entry.census_year is not None
        file = entry.file
        self.conn.begin()
        try:
            file_id = self._next_file_id()
            current = self._current_return(file.la_code, entry.census_year)
            this_one = (file.received_at, file.file_name)
            # a return from an earlier run is never later than a file first seen now
            later = [
                row for row in current if row[0] in self._this_run and (row[1], row[2]) > this_one
            ]
            if later:
                status, superseded_by = "superseded", max(later, key=lambda r: (r[1], r[2]))[0]
                superseded: tuple[int, ...] = ()
            else:
                status, superseded_by = "accepted", None
                superseded = tuple(row[0] for row in current)
            self._register(
                file_id,
                entry,
                status,
                worker_rows=parsed.workers.count,
                superseded_by=superseded_by,
                dropped_items=sorted(parsed.dropped_items),
            )
            self.conn.register(_BATCH_VIEW, _workers_table(file_id, parsed))
            try:
                self.conn.execute(f"insert into {S}.workers by name select * from {_BATCH_VIEW}")
            finally:
                self.conn.unregister(_BATCH_VIEW)
            la_columns = ", ".join(f'"{item}"' for item in ALL_LA_LEVEL_ITEMS)
            self.conn.execute(
                f"insert into {S}.la_level (file_id, {la_columns}) "
                f"values (?{', ?' * len(ALL_LA_LEVEL_ITEMS)})",
                [file_id, *(parsed.la_level[item] for item in ALL_LA_LEVEL_ITEMS)],
            )
            if superseded:
                self.conn.execute(
                    f"update {S}.file_register set status = 'superseded', superseded_by = ? "
                    f"where file_id in ({', '.join('?' * len(superseded))})",
                    [file_id, *superseded],
                )
            self._errors(file_id, file, notes)
            detail = f"{status} {file.relative_path}: {parsed.workers.count} worker records"
            if superseded:
                detail += f"; supersedes file(s) {', '.join(map(str, superseded))}"
            if superseded_by is not None:
                detail += f"; a later return (file {superseded_by}) is already accepted"
            self._audit(
                file.la_code,
                entry.census_year,
                file_id,
                detail,
                outcome=status,
                sha256=entry.sha256,
                rows=parsed.workers.count,
            )
            for old_id in superseded:
                self._audit(
                    file.la_code,
                    entry.census_year,
                    old_id,
                    f"superseded by file {file_id}",
                    outcome="superseded",
                )
            self.conn.commit()
        except BaseException:
            self.conn.rollback()
            raise
        self._this_run.add(file_id)
        return LandedFile(file_id, status, superseded, parsed.workers.count)
