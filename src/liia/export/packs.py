"""Each borough's pack: its own prepared data, findings and quality report.

For every borough-year with an accepted return, ``export_all`` writes
``LIIA_HOME/exports/la/<la_code>/<census_year>/`` from the warehouse (opened
read-only), selecting rows with ``where la_code = ?`` so a pack can only hold
its own borough's rows. The warehouse holds no raw SWE number or birth date, so
no pack can. Each export is recorded in the landing audit log.
"""

from __future__ import annotations

import csv
import json
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from liia.config import Settings
from liia.export import pack_data
from liia.export.audit import ExportEvent, record_exports
from liia.export.pack_data import AcceptedReturn
from liia.export.report import ReportContent, render_report

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


@dataclass
class ExportSummary:
    packs: list[PackSummary] = field(default_factory=list)
    index_path: Path | None = None

    def __str__(self) -> str:
        boroughs = len({p.la_code for p in self.packs})
        errors = sum(p.error_findings for p in self.packs)
        warnings = sum(p.warning_findings for p in self.packs)
        text = (
            f"Export: {len(self.packs)} borough pack(s) for {boroughs} borough(s); "
            f"{errors} error and {warnings} warning finding(s) reported back"
        )
        return text + (f"\nIndex: {self.index_path}" if self.index_path else "")


def _write_table(rel: duckdb.DuckDBPyRelation, folder: Path, stem: str) -> int:
    rel.write_csv(str(folder / f"{stem}.csv"), header=True)
    rel.write_parquet(str(folder / f"{stem}.parquet"))
    return len(rel)


def _write_findings(findings: list[pack_data.Finding], ret: AcceptedReturn, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["la_code", "census_year", "record_number", "item", "rule_id", "severity", "message"]
        )
        for f in findings:
            writer.writerow(
                [
                    ret.la_code,
                    ret.census_year,
                    f.record_number,
                    f.item,
                    f.rule_id,
                    f.severity,
                    f.message,
                ]
            )


def _write_completeness(items: list[pack_data.ItemCompleteness], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "item_name",
                "records",
                "records_present",
                "completeness_pct",
                "validity_pct",
                "mandatory_completeness_pct",
            ]
        )
        for i in items:
            writer.writerow(
                [
                    i.item_name,
                    i.records,
                    i.records_present,
                    i.completeness_pct,
                    i.validity_pct,
                    i.mandatory_completeness_pct,
                ]
            )


def export_pack(
    conn: duckdb.DuckDBPyConnection, ret: AcceptedReturn, packs_dir: Path
) -> PackSummary:
    """Write one borough-year's pack, replacing any earlier one."""
    folder = packs_dir / ret.la_code / str(ret.census_year)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)

    workers = pack_data.borough_rows(
        conn,
        pack_data.WORKERS_RELATION,
        ret.la_code,
        ret.census_year,
        exclude=pack_data.NOT_FOR_BOROUGHS,
    )
    worker_rows = _write_table(workers, folder, "workers")
    la_level = pack_data.borough_rows(
        conn, pack_data.LA_LEVEL_RELATION, ret.la_code, ret.census_year
    )
    la_level_rows = _write_table(la_level, folder, "la_level")

    findings = pack_data.findings(conn, ret.la_code, ret.census_year)
    _write_findings(findings, ret, folder / "findings.csv")
    completeness = pack_data.item_completeness(conn, ret.la_code, ret.census_year)
    _write_completeness(completeness, folder / "item_completeness.csv")
    minimisation = pack_data.minimisation(conn, ret.file_id)
    status = {"file_name": ret.file_name, **minimisation.as_dict()}
    (folder / "minimisation.json").write_text(json.dumps(status, indent=2), encoding="utf-8")

    score = pack_data.quality_score(conn, ret.la_code, ret.census_year)
    content = ReportContent(
        accepted_return=ret,
        la_name=pack_data.la_name(conn, ret.la_code),
        score=score,
        minimisation=minimisation,
        findings=findings,
        completeness=completeness,
        rules=pack_data.rules(conn),
    )
    (folder / "report.html").write_text(render_report(content), encoding="utf-8")
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


def _remove_stale_packs(packs_dir: Path, current: set[tuple[str, str]]) -> None:
    """Remove packs of borough-years that no longer have an accepted return."""
    for la_dir in packs_dir.iterdir() if packs_dir.exists() else []:
        if not la_dir.is_dir():
            continue
        for year_dir in la_dir.iterdir():
            if year_dir.is_dir() and (la_dir.name, year_dir.name) not in current:
                shutil.rmtree(year_dir)
        if not any(la_dir.iterdir()):
            la_dir.rmdir()


def _write_index(
    packs: list[PackSummary], packs_dir: Path, reports_dir: Path, at: datetime
) -> Path:
    reports_dir.mkdir(parents=True, exist_ok=True)
    path = reports_dir / INDEX_NAME
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(INDEX_COLUMNS)
        for p in packs:
            writer.writerow(
                [
                    p.la_code,
                    p.census_year,
                    p.file_id,
                    p.folder.relative_to(packs_dir).as_posix(),
                    p.worker_rows,
                    p.la_level_rows,
                    p.error_findings,
                    p.warning_findings,
                    p.quality_score,
                    at.isoformat(timespec="seconds"),
                ]
            )
    return path


def export_all(settings: Settings) -> ExportSummary:
    """Write every borough's pack and the index, and audit each export."""
    summary = ExportSummary()
    if not settings.warehouse_path.exists():
        return summary
    packs_dir = settings.exports_dir / PACKS_DIRNAME
    packs_dir.mkdir(parents=True, exist_ok=True)
    at = datetime.now()
    conn = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        returns = pack_data.accepted_returns(conn)
        _remove_stale_packs(packs_dir, {(r.la_code, str(r.census_year)) for r in returns})
        summary.packs = [export_pack(conn, ret, packs_dir) for ret in returns]
    finally:
        conn.close()
    summary.index_path = _write_index(summary.packs, packs_dir, settings.reports_dir, at)
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
    return summary
