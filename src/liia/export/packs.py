"""Each borough's pack: its own prepared data, findings and quality report.

For every borough-year with an accepted return, ``export_all`` writes
``LIIA_HOME/exports/la/<la_code>/<census_year>/`` from the warehouse (opened
read-only), selecting rows with ``where la_code = ?`` so a pack can only hold
its own borough's rows. The warehouse holds no raw SWE number or birth date, so
no pack can. Each export is recorded in the landing audit log.

A pack is written whole into a temporary folder beside its own
(``.<year>.partial``) and only then swapped in by renaming, so a failure while
writing (a read-only or full disk) leaves the previous pack as it was. One
borough's failure is recorded (summary, audit log) and the others are still
written; the index (``reports/borough_packs.csv``) lists exactly the packs on disk.
"""

from __future__ import annotations

import contextlib
import csv
import json
import shutil
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from liia.config import Settings
from liia.export import pack_data
from liia.export.audit import EXPORT_FAILED_ACTION, ExportEvent, record_exports
from liia.export.pack_data import AcceptedReturn
from liia.export.pack_xlsx import XLSX_NAME, write_pack_xlsx
from liia.export.report import ReportContent, render_report
from liia.export.safe_csv import write_csv, write_table_csv
from liia.progress import progress

PACKS_DIRNAME = "la"
# The index lists every borough, so it lives with the operator's reports, not in
# exports/la/ where each borough is given its own folder.
INDEX_NAME = "borough_packs.csv"
INDEX_COLUMNS = (
    "la_code",
    "census_year",
    "file_id",
    "folder",
    "worker_rows",
    "la_level_rows",
    "error_findings",
    "warning_findings",
    "quality_score",
    "exported_at",
)


@dataclass
class PackSummary:
    la_code: str
    census_year: int
    file_id: int
    folder: Path
    worker_rows: int
    la_level_rows: int
    error_findings: int
    warning_findings: int
    quality_score: float | None


@dataclass(frozen=True)
class PackFailure:
    """A pack that could not be written (or a stale one that could not be removed)."""

    la_code: str
    census_year: int | None
    file_id: int | None
    reason: str

    def __str__(self) -> str:
        year = "" if self.census_year is None else f"/{self.census_year}"
        return f"{self.la_code}{year}: {self.reason}"


@dataclass
class ExportSummary:
    packs: list[PackSummary] = field(default_factory=list)
    failures: list[PackFailure] = field(default_factory=list)
    index_path: Path | None = None
    index_error: str | None = None

    def __str__(self) -> str:
        boroughs = len({p.la_code for p in self.packs})
        errors = sum(p.error_findings for p in self.packs)
        warnings = sum(p.warning_findings for p in self.packs)
        lines = [
            f"Export: {len(self.packs)} borough pack(s) for {boroughs} borough(s); "
            f"{errors} error and {warnings} warning finding(s) reported back"
        ]
        if self.failures:
            lines.append(f"FAILED: {len(self.failures)} pack(s) not written (previous pack kept):")
            lines += [f"  {failure}" for failure in self.failures]
        if self.index_path:
            lines.append(f"Index: {self.index_path}")
        if self.index_error:
            lines.append(f"FAILED: the index could not be written ({self.index_error})")
        return "\n".join(lines)


# The temp table holding one pack's rows of one relation while its files are written.
PACK_ROWS = "pack_rows"


def _write_table(
    conn: duckdb.DuckDBPyConnection,
    select_sql: str,
    ret: AcceptedReturn,
    folder: Path,
    stem: str,
) -> tuple[int, list[tuple[str, str]]]:
    """Write ``<stem>.csv`` and ``<stem>.parquet`` of one borough-year's rows, read once;
    return the rows and the columns (name, type)."""
    # The CSV is for spreadsheets (text cells neutralised); the Parquet file keeps
    # the typed values as they are. Both are written from the rows selected once.
    conn.execute(
        f"create or replace temp table {PACK_ROWS} as {select_sql}", [ret.la_code, ret.census_year]
    )
    described = conn.execute(f"select column_name, column_type from (describe {PACK_ROWS})")
    columns = described.fetchall()
    rows = write_table_csv(conn, PACK_ROWS, folder / f"{stem}.csv", columns)
    parquet = "'" + str(folder / f"{stem}.parquet").replace("'", "''") + "'"
    conn.execute(f"copy (select * from {PACK_ROWS}) to {parquet} (FORMAT parquet)")
    return rows, columns


T = TypeVar("T")


@dataclass
class _SharedReads:
    """What every pack of one export reads alike (the rules, the published relations'
    columns and descriptions) or every pack of one borough (its name, its indicators
    over the years): read once per export instead of once per pack."""

    conn: duckdb.DuckDBPyConnection
    _read: dict[tuple, Any] = field(default_factory=dict)

    def get(self, key: tuple, read: Callable[[], T]) -> T:
        if key not in self._read:
            self._read[key] = read()
        return self._read[key]


# Set by export_all for the packs it writes (a pack written otherwise reads everything).
_SHARED: ContextVar[_SharedReads | None] = ContextVar("pack_shared_reads", default=None)


# The columns of findings.csv and item_completeness.csv (report.xlsx's sheets too).
FINDINGS_COLUMNS = pack_data.FINDINGS_COLUMNS
COMPLETENESS_COLUMNS = pack_data.COMPLETENESS_COLUMNS


def _write_findings(findings: list[pack_data.Finding], ret: AcceptedReturn, path: Path) -> None:
    rows = (
        [ret.la_code, ret.census_year, f.record_number, f.item, f.rule_id, f.severity, f.message]
        for f in findings
    )
    write_csv(rows, path, FINDINGS_COLUMNS)


def _write_completeness(items: list[pack_data.ItemCompleteness], path: Path) -> None:
    write_csv(map(pack_data.completeness_row, items), path, COMPLETENESS_COLUMNS)


def _failure_reason(error: BaseException) -> str:
    """Why a write failed, without the error's text beyond the OS's own words.

    DuckDB's messages can quote a value; an OSError's strerror never does.
    """
    if isinstance(error, OSError) and error.strerror:
        return f"{type(error).__name__}: {error.strerror}"
    return type(error).__name__


def _remove_path(path: Path) -> None:
    """Remove a file, symlink or folder at ``path`` if there is one."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _write_pack_files(
    conn: duckdb.DuckDBPyConnection, ret: AcceptedReturn, target: Path, folder: Path
) -> PackSummary:
    """Write every file of one pack into ``target`` (``folder`` is where it will live)."""
    shared = _SHARED.get()
    if shared is None or shared.conn is not conn:
        shared = _SharedReads(conn)
    workers_sql = shared.get(
        ("workers_sql",),
        lambda: pack_data.borough_rows_sql(
            conn,
            pack_data.WORKERS_RELATION,
            exclude=pack_data.NOT_FOR_BOROUGHS,
            exclude_prefixes=pack_data.NOT_FOR_BOROUGHS_PREFIXES,
        ),
    )
    worker_rows, worker_columns = _write_table(conn, workers_sql, ret, target, "workers")
    la_level_sql = shared.get(
        ("la_level_sql",), lambda: pack_data.borough_rows_sql(conn, pack_data.LA_LEVEL_RELATION)
    )
    la_level_rows, _ = _write_table(conn, la_level_sql, ret, target, "la_level")
    conn.execute(f"drop table if exists {PACK_ROWS}")

    findings = pack_data.findings(conn, ret.la_code, ret.census_year)
    _write_findings(findings, ret, target / "findings.csv")
    completeness = pack_data.item_completeness(conn, ret.la_code, ret.census_year)
    _write_completeness(completeness, target / "item_completeness.csv")
    minimisation = pack_data.minimisation(conn, ret.file_id)
    status = {"file_name": ret.file_name, **minimisation.as_dict()}
    (target / "minimisation.json").write_text(json.dumps(status, indent=2), encoding="utf-8")

    score = pack_data.quality_score(conn, ret.la_code, ret.census_year)
    content = ReportContent(
        accepted_return=ret,
        la_name=shared.get(("la_name", ret.la_code), lambda: pack_data.la_name(conn, ret.la_code)),
        score=score,
        minimisation=minimisation,
        findings=findings,
        completeness=completeness,
        rules=shared.get(("rules",), lambda: pack_data.rules(conn)),
        indicators=shared.get(
            ("indicators", ret.la_code), lambda: pack_data.indicators(conn, ret.la_code)
        ),
        dictionary=pack_data.workers_dictionary(
            conn,
            worker_columns,
            shared.get(("comments",), lambda: pack_data.workers_comments(conn)),
        ),
    )
    (target / "report.html").write_text(render_report(content), encoding="utf-8")
    write_pack_xlsx(content, target / XLSX_NAME)
    return PackSummary(
        la_code=ret.la_code,
        census_year=ret.census_year,
        file_id=ret.file_id,
        folder=folder,
        worker_rows=worker_rows,
        la_level_rows=la_level_rows,
        error_findings=sum(1 for f in findings if f.severity == "error"),
        warning_findings=sum(1 for f in findings if f.severity == "warning"),
        quality_score=None if score is None else score.quality_score,
    )


def _swap_in(partial: Path, folder: Path) -> None:
    """Replace ``folder`` by the complete ``partial`` folder, by renaming.

    POSIX cannot exchange two folders in one step, so the previous pack is moved
    aside first and put back if the second rename fails: either the new pack or
    the previous one is in place afterwards, never a mixture.
    """
    previous = folder.with_name(f".{folder.name}.previous")
    _remove_path(previous)
    had_previous = folder.exists()
    if had_previous:
        folder.rename(previous)
    try:
        partial.rename(folder)
    except BaseException:
        if had_previous:
            previous.rename(folder)
        raise
    if had_previous:
        shutil.rmtree(previous, ignore_errors=True)


def export_pack(
    conn: duckdb.DuckDBPyConnection, ret: AcceptedReturn, packs_dir: Path
) -> PackSummary:
    """Write one borough-year's pack and swap it in whole for any earlier one.

    On any failure the partial files are removed, the previous pack (if any) is
    left as it was, and the error is raised.
    """
    folder = packs_dir / ret.la_code / str(ret.census_year)
    partial = folder.with_name(f".{folder.name}.partial")
    try:
        _remove_path(partial)  # left over from an interrupted run
        partial.mkdir(parents=True)
        summary = _write_pack_files(conn, ret, partial, folder)
        _swap_in(partial, folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        with contextlib.suppress(OSError):
            folder.parent.rmdir()  # only if empty: a borough folder made for nothing
        raise
    return summary


def _restore_interrupted_swaps(la_dir: Path) -> None:
    """Put back a previous pack whose swap was interrupted between its two renames."""
    for previous in la_dir.glob(".*.previous"):
        folder = la_dir / previous.name.removeprefix(".").removesuffix(".previous")
        if previous.is_dir() and not folder.exists():
            # if this fails, writing this borough's pack reports it
            with contextlib.suppress(OSError):
                previous.rename(folder)


def _remove_stale_packs(packs_dir: Path, current: set[tuple[str, str]]) -> list[PackFailure]:
    """Remove packs (and leftovers) of borough-years that no longer have an accepted return.

    Returns what could not be removed; every other borough is still tidied.
    """
    failures: list[PackFailure] = []
    for la_dir in sorted(packs_dir.iterdir()) if packs_dir.is_dir() else []:
        if not la_dir.is_dir():
            continue
        _restore_interrupted_swaps(la_dir)
        for year_dir in sorted(la_dir.iterdir()):
            if year_dir.is_dir() and (la_dir.name, year_dir.name) not in current:
                try:
                    shutil.rmtree(year_dir)
                except OSError as error:
                    year = int(year_dir.name) if year_dir.name.isdigit() else None
                    failures.append(
                        PackFailure(
                            la_dir.name,
                            year,
                            None,
                            f"stale pack not removed ({_failure_reason(error)})",
                        )
                    )
        try:
            if not any(la_dir.iterdir()):
                la_dir.rmdir()
        except OSError:
            pass  # an empty borough folder left behind holds nothing
    return failures


def _read_index(path: Path) -> list[dict[str, str]]:
    """The index as last written ([] if there is none or it cannot be read)."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            return [row for row in csv.DictReader(handle) if row.get("folder")]
    except (OSError, UnicodeError, csv.Error):
        return []


def _index_row(pack: PackSummary, packs_dir: Path, at: datetime) -> dict[str, object]:
    return {
        "la_code": pack.la_code,
        "census_year": pack.census_year,
        "file_id": pack.file_id,
        "folder": pack.folder.relative_to(packs_dir).as_posix(),
        "worker_rows": pack.worker_rows,
        "la_level_rows": pack.la_level_rows,
        "error_findings": pack.error_findings,
        "warning_findings": pack.warning_findings,
        "quality_score": pack.quality_score,
        "exported_at": at.isoformat(timespec="seconds"),
    }


def _write_index_rows(rows: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    ordered = sorted(rows, key=lambda row: (str(row["la_code"]), str(row["census_year"])))
    write_csv(
        ([row.get(column) for column in INDEX_COLUMNS] for row in ordered), path, INDEX_COLUMNS
    )


def _write_index(
    packs: list[PackSummary], packs_dir: Path, reports_dir: Path, at: datetime
) -> Path:
    """Write the index of every pack on disk: those just written, and earlier
    rows of packs that were not replaced this time but are still there (a pack
    whose rewrite failed keeps its previous files, so it keeps its previous row).
    """
    path = reports_dir / INDEX_NAME
    written = {pack.folder.relative_to(packs_dir).as_posix() for pack in packs}
    kept = [
        row
        for row in _read_index(path)
        if row["folder"] not in written and (packs_dir / row["folder"]).is_dir()
    ]
    _write_index_rows([_index_row(pack, packs_dir, at) for pack in packs] + kept, path)
    return path


def read_index(settings: Settings) -> list[dict[str, str]]:
    """The rows of the index of packs as it is on disk."""
    return _read_index(settings.reports_dir / INDEX_NAME)


def prune_index(settings: Settings) -> list[dict[str, str]]:
    """Drop index rows whose pack folder is no longer on disk; return the rows dropped."""
    path = settings.reports_dir / INDEX_NAME
    if not path.exists():
        return []
    packs_dir = settings.exports_dir / PACKS_DIRNAME
    rows = _read_index(path)
    dropped = [row for row in rows if not (packs_dir / row["folder"]).is_dir()]
    if dropped:
        _write_index_rows([row for row in rows if row not in dropped], path)
    return dropped


def export_all(settings: Settings) -> ExportSummary:
    """Write every borough's pack and the index, and audit each export and failure.

    A pack that cannot be written is a failure of that pack only: it is listed
    in the summary and the audit log, its previous files are kept, and every
    other borough's pack is still written.
    """
    summary = ExportSummary()
    if not settings.warehouse_path.exists():
        return summary
    packs_dir = settings.exports_dir / PACKS_DIRNAME
    at = datetime.now()
    conn = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        returns = pack_data.accepted_returns(conn)
        summary.failures += _remove_stale_packs(
            packs_dir, {(r.la_code, str(r.census_year)) for r in returns}
        )
        shared = _SHARED.set(_SharedReads(conn))
        try:
            for ret in progress(returns, "Export", "pack"):
                try:
                    summary.packs.append(export_pack(conn, ret, packs_dir))
                except Exception as error:  # one pack's failure is recorded, not fatal
                    summary.failures.append(
                        PackFailure(
                            ret.la_code,
                            ret.census_year,
                            ret.file_id,
                            f"not written ({_failure_reason(error)})",
                        )
                    )
        finally:
            _SHARED.reset(shared)
    finally:
        conn.close()
    try:
        summary.index_path = _write_index(summary.packs, packs_dir, settings.reports_dir, at)
    except OSError as error:
        summary.index_error = _failure_reason(error)
    if settings.landing_path.exists():
        record_exports(
            settings.landing_path,
            [
                ExportEvent(
                    p.la_code,
                    p.census_year,
                    p.file_id,
                    f"borough pack {p.folder.relative_to(settings.home).as_posix()}: "
                    f"{p.worker_rows} worker rows, {p.error_findings} errors, "
                    f"{p.warning_findings} warnings",
                )
                for p in summary.packs
            ],
            at,
        )
        record_exports(
            settings.landing_path,
            [
                ExportEvent(f.la_code, f.census_year, f.file_id, f"borough pack {f}")
                for f in summary.failures
            ],
            at,
            action=EXPORT_FAILED_ACTION,
        )
    return summary
