"""What ``liia retention`` destroys: every copy of a census year older than the window.

:func:`plan_retention` only reads (landing and DuckDB files read-only): it is
``--dry-run``, and the list :mod:`liia.governance.retention` then destroys.

Zones and what goes from each:

- ``incoming``: files a borough sent for an aged-out year, once recorded in the
  file register (same borough folder, same SHA-256);
- ``landing``: the file-register entries of those years and every row of those
  files (workers, LA level, load errors); the audit log stays (no personal data);
- ``warehouse``: the rows of those years in every table (snapshot history
  included; the public ``reference`` seeds excepted);
- ``exports``: borough packs ``exports/la/<la>/<year>/`` and rows of those years
  in any other CSV, Parquet or DuckDB file under ``exports/``; a folder of pages
  that cannot be filtered (``exports/report/``) goes whole and the next run
  writes it again;
- ``analyst``: rows of those years in ``exports/analyst/`` (Parquet, CSV,
  ``analyst.duckdb``);
- ``reports``: rows of those years in the CSV indexes under ``reports/``;
- ``gx``: validation results (and their Data Docs pages) that hold row-level
  values (unexpected values, lists of observed values);
- ``dbt``: ``target/`` artefacts that can hold data: ``run/``, ``compiled/``,
  ``run_results.json``, and a build copy left in ``build-in-progress/``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb

from liia.config import Settings
from liia.governance.clean_rewrite import count_aged_rows, literal, tables_with_years
from liia.governance.tabular_files import TABULAR_SUFFIXES, aged_rows

ZONES = ("incoming", "landing", "warehouse", "exports", "analyst", "reports", "gx", "dbt")
LANDING_KEPT_TABLES = ("csww.audit_log", "csww.destroyed_assets", "csww.data_assets")
WAREHOUSE_KEPT_SCHEMAS = ("reference",)  # DfE's public figures and code sets, from seeds/
PACKS_DIR = "la"
ANALYST_DIR = "analyst"
UNFILTERABLE_EXPORT_DIRS = ("report",)  # HTML pages: the next run writes them again
REGISTER_FILES = ("data_assets.csv", "data_assets.md")  # regenerated after retention
DBT_DATA_ARTEFACTS = ("run", "compiled", "run_results.json")
BUILD_COPY_DIR = "build-in-progress"
_ROW_VALUE_KEYS = (
    "partial_unexpected_list",
    "unexpected_list",
    "partial_unexpected_index_list",
    "unexpected_index_list",
    "partial_unexpected_counts",
    "unexpected_rows",
)


@dataclass(frozen=True)
class Doomed:
    """One dataset (or part of one) that retention destroys."""

    zone: str
    location: str  # relative to LIIA_HOME; incoming files as incoming/<la>/<name>
    what: str
    la_code: str | None = None
    census_year: int | None = None
    rows: int | None = None
    file_sha256: str | None = None
    file_id: int | None = None
    received_at: datetime | None = None


@dataclass
class RetentionPlan:
    """Everything older than the window, zone by zone."""

    as_of: date
    first_year: int
    items: list[Doomed] = field(default_factory=list)

    @property
    def landing_file_ids(self) -> tuple[int, ...]:
        return tuple(
            sorted({i.file_id for i in self.items if i.zone == "landing" and i.file_id is not None})
        )

    @property
    def aged_years(self) -> list[int]:
        return sorted({i.census_year for i in self.items if i.census_year is not None})

    def zone_totals(self) -> dict[str, tuple[int, int]]:
        """zone → (items, rows)."""
        totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for item in self.items:
            totals[item.zone][0] += 1
            totals[item.zone][1] += item.rows or 0
        return {zone: tuple(totals[zone]) for zone in ZONES if zone in totals}

    def __str__(self) -> str:
        head = (
            f"Retention (as of {self.as_of.isoformat()}): census years before "
            f"{self.first_year} are destroyed"
        )
        if not self.items:
            return head + "; nothing older is held."
        years = ", ".join(map(str, self.aged_years)) or "(no year recorded)"
        lines = [f"{head}; held: {years}."]
        for zone, (count, rows) in self.zone_totals().items():
            lines.append(f"  {zone}: {count} item(s), {rows} row(s)")
            for item in (i for i in self.items if i.zone == zone):
                year = item.census_year if item.census_year is not None else "-"
                rows_text = f", {item.rows} row(s)" if item.rows is not None else ""
                lines.append(f"    {item.location} [{year}] {item.what}{rows_text}")
        return "\n".join(lines)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _landing_items(conn: duckdb.DuckDBPyConnection, first_year: int) -> list[Doomed]:
    files = conn.execute(
        "select r.file_id, r.file_sha256, r.la_code, r.census_year, r.status, r.file_format, "
        "r.received_at, (select count(*) from landing.csww.workers w where w.file_id = r.file_id) "
        "from landing.csww.file_register r where r.census_year < ? order by r.file_id",
        [first_year],
    ).fetchall()
    items = [
        Doomed(
            "landing",
            f"landing.duckdb:csww.file_register#{file_id}",
            f"{status} {file_format} return and its rows (register entry replaced by a tombstone)",
            la_code,
            year,
            rows,
            sha,
            file_id,
            received_at,
        )
        for file_id, sha, la_code, year, status, file_format, received_at, rows in files
    ]
    file_ids = tuple(i.file_id for i in items if i.file_id is not None)
    for table in tables_with_years(conn, "landing"):
        name = f"{table.schema}.{table.table}"
        if name in LANDING_KEPT_TABLES or name == "csww.file_register":
            continue
        for deleted in count_aged_rows(conn, "landing", table, first_year, file_ids):
            items.append(
                Doomed(
                    "landing",
                    f"landing.duckdb:{name}",
                    "rows of the destroyed files",
                    census_year=deleted.census_year,
                    rows=deleted.rows,
                )
            )
    return items


def _database_items(
    path: Path, zone: str, home: Path, first_year: int, skip_schemas: tuple[str, ...] = ()
) -> list[Doomed]:
    conn = duckdb.connect(":memory:")
    try:
        conn.execute(f"attach {literal(str(path))} as db (read_only)")
        where = path.relative_to(home).as_posix()
        return [
            Doomed(
                zone,
                f"{where}:{d.schema}.{d.table}",
                "rows of the census year",
                census_year=d.census_year,
                rows=d.rows,
            )
            for table in tables_with_years(conn, "db", skip_schemas)
            for d in count_aged_rows(conn, "db", table, first_year)
        ]
    finally:
        conn.close()


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def _tabular_items(path: Path, zone: str, home: Path, first_year: int) -> list[Doomed]:
    where = path.relative_to(home).as_posix()
    try:
        counts = aged_rows(path, first_year)
    except (duckdb.Error, UnicodeDecodeError, ValueError):
        return []  # not a table this project wrote (a binary or free-text file)
    return [
        Doomed(zone, where, "rows of the census year", census_year=y, rows=n)
        for y, n in sorted(counts.items())
    ]


def pack_year(name: str) -> int | None:
    """A pack folder's census year: ``2024``, or ``.2024.partial`` left by a failed write."""
    match = re.fullmatch(r"\.?(\d{4})(\.partial)?", name)
    return int(match.group(1)) if match else None


def _pack_items(settings: Settings, first_year: int) -> list[Doomed]:
    items = []
    packs = settings.exports_dir / PACKS_DIR
    for folder in sorted(packs.glob("*/*")) if packs.is_dir() else []:
        year = pack_year(folder.name)
        if folder.is_dir() and year is not None and year < first_year:
            items.append(
                Doomed(
                    "exports",
                    folder.relative_to(settings.home).as_posix() + "/",
                    f"borough pack ({len(_files(folder))} files)",
                    folder.parent.name,
                    year,
                )
            )
    return items


def _export_items(settings: Settings, first_year: int) -> list[Doomed]:
    items = _pack_items(settings, first_year)
    exports = settings.exports_dir
    skipped = [exports / PACKS_DIR, *(exports / n for n in UNFILTERABLE_EXPORT_DIRS)]
    for path in _files(exports):
        if any(folder in path.parents for folder in skipped):
            continue
        zone = "analyst" if exports / ANALYST_DIR in path.parents else "exports"
        if path.suffix.lower() == ".duckdb":
            items += _database_items(path, zone, settings.home, first_year)
        elif path.suffix.lower() in TABULAR_SUFFIXES:
            items += _tabular_items(path, zone, settings.home, first_year)
    return items


def _page_items(settings: Settings, aged: bool) -> list[Doomed]:
    """Folders of pages that cannot be filtered by row: they go whole if any year goes."""
    folders = [settings.exports_dir / n for n in UNFILTERABLE_EXPORT_DIRS] if aged else []
    return [
        Doomed(
            "exports",
            folder.relative_to(settings.home).as_posix() + "/",
            "pages built from every year (written again by the next run)",
        )
        for folder in folders
        if folder.is_dir()
    ]


def _report_items(settings: Settings, first_year: int) -> list[Doomed]:
    return [
        item
        for path in _files(settings.reports_dir)
        if path.suffix.lower() in TABULAR_SUFFIXES and path.name not in REGISTER_FILES
        for item in _tabular_items(path, "reports", settings.home, first_year)
    ]


def holds_row_values(result: object) -> bool:
    """Whether a Great Expectations result (JSON) holds row-level values anywhere."""
    if isinstance(result, dict):
        for key, value in result.items():
            if key in _ROW_VALUE_KEYS and value:
                return True
            if key == "observed_value" and isinstance(value, list | dict) and value:
                return True
            if holds_row_values(value):
                return True
    elif isinstance(result, list):
        return any(holds_row_values(v) for v in result)
    return False


def _gx_items(settings: Settings, aged: bool) -> list[Doomed]:
    if not aged:
        return []
    gx = settings.home / "gx" / "uncommitted"
    validations = gx / "validations"
    pages = gx / "data_docs" / "local_site" / "validations"
    items = []
    for path in _files(validations):
        if path.suffix != ".json":
            continue
        try:
            result = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not holds_row_values(result):
            continue
        items.append(
            Doomed(
                "gx",
                path.relative_to(settings.home).as_posix(),
                "validation result with row values",
            )
        )
        page = pages / path.relative_to(validations).with_suffix(".html")
        if page.exists():
            items.append(
                Doomed("gx", page.relative_to(settings.home).as_posix(), "its Data Docs page")
            )
    return items


def _dbt_items(settings: Settings, aged: bool) -> list[Doomed]:
    if not aged:
        return []
    items = [
        Doomed(
            "dbt",
            path.relative_to(settings.home).as_posix() + ("/" if path.is_dir() else ""),
            "dbt artefact that can hold data",
        )
        for name in DBT_DATA_ARTEFACTS
        if (path := settings.dbt_target_dir / name).exists()
    ]
    build_copy = settings.home / BUILD_COPY_DIR
    if build_copy.is_dir() and any(p.is_file() for p in build_copy.rglob("*")):
        items.append(Doomed("dbt", BUILD_COPY_DIR + "/", "a warehouse build copy left behind"))
    return items


def _incoming_items(settings: Settings, landing: list[Doomed]) -> list[Doomed]:
    recorded = {(i.la_code, i.file_sha256): i for i in landing if i.file_sha256}
    if not recorded or not settings.incoming.is_dir():
        return []
    items = []
    for path in _files(settings.incoming):
        relative = path.relative_to(settings.incoming)
        if len(relative.parts) < 2 or path.is_symlink():
            continue
        match = recorded.get((relative.parts[0], sha256_of(path)))
        if match is not None:
            items.append(
                Doomed(
                    "incoming",
                    f"incoming/{relative.as_posix()}",
                    "the file as sent (recorded in the file register)",
                    match.la_code,
                    match.census_year,
                    match.rows,
                    match.file_sha256,
                    match.file_id,
                    match.received_at,
                )
            )
    return items


def plan_retention(settings: Settings) -> RetentionPlan:
    """Everything held for a census year before ``settings.first_retained_census_year``."""
    first = settings.first_retained_census_year
    plan = RetentionPlan(settings.as_of, first)
    landing: list[Doomed] = []
    if settings.landing_path.exists():
        conn = duckdb.connect(":memory:")
        try:
            conn.execute(f"attach {literal(str(settings.landing_path))} as landing (read_only)")
            landing = _landing_items(conn, first)
        finally:
            conn.close()
    plan.items += _incoming_items(settings, landing)
    plan.items += landing
    if settings.warehouse_path.exists():
        plan.items += _database_items(
            settings.warehouse_path, "warehouse", settings.home, first, WAREHOUSE_KEPT_SCHEMAS
        )
    plan.items += _export_items(settings, first)
    plan.items += _report_items(settings, first)
    aged = bool(plan.items)
    plan.items += _page_items(settings, aged)
    plan.items += _gx_items(settings, aged)
    plan.items += _dbt_items(settings, aged)
    return plan
