"""The register of data assets: every dataset held, and every one destroyed.

One row per dataset: zone (incoming / landing / warehouse / exports / analyst),
where it is, borough, census year, what it is, the file's SHA-256 (files as
received), rows, when it was received, and the date retention destroys it;
destroyed datasets (``csww.destroyed_assets``) with when they went. Read from
what is on disk each time (never kept up by hand), written to the landing
table ``csww.data_assets`` and to ``reports/data_assets.csv`` and ``.md``.
Regenerated at the end of every ``liia run`` and after ``liia retention``.

Grain: a file as received or landed; a warehouse table's rows of one borough
and year (tables without a borough: of one year); a borough pack; an analyst
or export table's rows of one year.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import astuple, dataclass, fields
from pathlib import Path

import duckdb

from liia.config import Settings
from liia.export.safe_csv import write_csv
from liia.governance.clean_rewrite import literal, quote, tables_with_years
from liia.governance.landing_tables import (
    DESTROYED_TABLE,
    REGISTER_COLUMNS,
    REGISTER_TABLE,
    create_governance_tables,
)
from liia.governance.retention_plan import (
    ANALYST_DIR,
    PACKS_DIR,
    UNFILTERABLE_EXPORT_DIRS,
    WAREHOUSE_KEPT_SCHEMAS,
    pack_year,
    sha256_of,
)
from liia.governance.schedule import due_for_destruction_on
from liia.governance.tabular_files import TABULAR_SUFFIXES, rows_by_year

CSV_NAME = "data_assets.csv"
MD_NAME = "data_assets.md"


@dataclass(frozen=True)
class Asset:
    """One dataset held (or destroyed)."""

    zone: str
    location: str
    la_code: str | None
    census_year: int | None
    what: str
    file_sha256: str | None
    rows: int | None
    received_at: dt.datetime | None
    due_for_destruction_on: dt.date | None
    destroyed_at: dt.datetime | None = None


assert [f.name for f in fields(Asset)] == [name for name, _ in REGISTER_COLUMNS]


def _due(year: int | None, settings: Settings) -> dt.date | None:
    return due_for_destruction_on(year, settings) if year is not None else None


def _table_exists(conn: duckdb.DuckDBPyConnection, alias: str, qualified: str) -> bool:
    schema, table = qualified.split(".")
    return bool(
        conn.execute(
            "select count(*) from duckdb_tables() where database_name = ? and schema_name = ? "
            "and table_name = ?",
            [alias, schema, table],
        ).fetchone()[0]
    )


def _landing_assets(conn: duckdb.DuckDBPyConnection, settings: Settings) -> list[Asset]:
    rows = conn.execute(
        "select r.file_id, r.la_code, r.census_year, r.status, r.file_format, r.file_sha256, "
        "(select count(*) from landing.csww.workers w where w.file_id = r.file_id), r.received_at "
        "from landing.csww.file_register r order by r.file_id"
    ).fetchall()
    assets = []
    for file_id, la, year, status, file_format, sha, count, received in rows:
        what = (
            f"rejected {file_format} file: register entry only, nothing landed"
            if status == "rejected"
            else f"{status} {file_format} return as received (worker rows)"
        )
        assets.append(
            Asset(
                "landing",
                f"landing.duckdb:csww.file_register#{file_id}",
                la,
                year,
                what,
                sha,
                count,
                received,
                _due(year, settings),
            )
        )
    if _table_exists(conn, "landing", DESTROYED_TABLE):
        for zone, location, la, year, what, sha, count, received, at in conn.execute(
            "select zone, location, la_code, census_year, what, file_sha256, rows, received_at, "
            f"destroyed_at from landing.{DESTROYED_TABLE} order by destroyed_at, zone, location"
        ).fetchall():
            assets.append(
                Asset(
                    zone,
                    location,
                    la,
                    year,
                    f"destroyed: {what}",
                    sha,
                    count,
                    received,
                    _due(year, settings),
                    at,
                )
            )
    return assets


def _incoming_assets(conn: duckdb.DuckDBPyConnection | None, settings: Settings) -> list[Asset]:
    if not settings.incoming.is_dir():
        return []
    recorded: dict[tuple[str, str], tuple] = {}
    if conn is not None:
        for la, sha, year, count, received in conn.execute(
            "select la_code, file_sha256, census_year, worker_rows, received_at "
            "from landing.csww.file_register order by file_id"
        ).fetchall():
            recorded[(la, sha)] = (year, count, received)
    assets = []
    for path in sorted(p for p in settings.incoming.rglob("*") if p.is_file()):
        relative = path.relative_to(settings.incoming)
        la = relative.parts[0] if len(relative.parts) > 1 else None
        sha = None if path.is_symlink() else sha256_of(path)
        year, count, received = recorded.get((la, sha), (None, None, None))
        what = "file as sent" + ("" if (la, sha) in recorded else " (not loaded yet)")
        assets.append(
            Asset(
                "incoming",
                f"incoming/{relative.as_posix()}",
                la,
                year,
                what,
                sha,
                count,
                received,
                _due(year, settings),
            )
        )
    return assets


def _database_assets(
    path: Path, zone: str, settings: Settings, skip_schemas: tuple[str, ...] = ()
) -> list[Asset]:
    conn = duckdb.connect(":memory:")
    try:
        conn.execute(f"attach {literal(str(path))} as db (read_only)")
        where = path.relative_to(settings.home).as_posix()
        assets = []
        for table in tables_with_years(conn, "db", skip_schemas):
            la = "la_code" if table.has_la_code else "null"
            # every table, a year-less one (dimensions, load errors) as one dataset
            for la_code, year, count in conn.execute(
                f"select {la}, {table.year_sql()}, count(*) from {table.relation('db')} "
                "group by all order by all"
            ).fetchall():
                assets.append(
                    Asset(
                        zone,
                        f"{where}:{table.schema}.{table.table}",
                        la_code,
                        year,
                        "table rows of the borough-year"
                        if table.has_la_code and year is not None
                        else ("table rows of the year" if year is not None else "table rows"),
                        None,
                        count,
                        None,
                        _due(year, settings),
                    )
                )
        return assets
    finally:
        conn.close()


def _pack_rows(folder: Path) -> int | None:
    workers = folder / "workers.parquet"
    if not workers.exists():
        return None
    conn = duckdb.connect(":memory:")
    try:
        return conn.execute(
            f"select count(*) from read_parquet({literal(str(workers))})"
        ).fetchone()[0]
    finally:
        conn.close()


def _export_assets(settings: Settings) -> list[Asset]:
    exports = settings.exports_dir
    packs = exports / PACKS_DIR
    assets = []
    for folder in sorted(packs.glob("*/*")) if packs.is_dir() else []:
        year = pack_year(folder.name)
        if not folder.is_dir() or year is None:
            continue
        files = sum(1 for p in folder.rglob("*") if p.is_file())
        assets.append(
            Asset(
                "exports",
                folder.relative_to(settings.home).as_posix() + "/",
                folder.parent.name,
                year,
                ("unfinished pack write" if folder.name.startswith(".") else "borough pack")
                + f" ({files} files; rows: workers)",
                None,
                _pack_rows(folder),
                None,
                _due(year, settings),
            )
        )
    skipped = [packs, *(exports / n for n in UNFILTERABLE_EXPORT_DIRS)]
    for path in sorted(p for p in exports.rglob("*") if p.is_file()) if exports.is_dir() else []:
        if any(folder in path.parents for folder in skipped):
            continue
        zone = "analyst" if exports / ANALYST_DIR in path.parents else "exports"
        if path.suffix.lower() == ".duckdb":
            assets += _database_assets(path, zone, settings)
        elif path.suffix.lower() in TABULAR_SUFFIXES:
            try:
                counts = rows_by_year(path)
            except (duckdb.Error, UnicodeDecodeError, ValueError):
                continue
            where = path.relative_to(settings.home).as_posix()
            for year, count in sorted(counts.items(), key=lambda kv: (kv[0] is None, kv[0])):
                assets.append(
                    Asset(
                        zone,
                        where,
                        None,
                        year,
                        "file rows of the year" if year is not None else "file rows (no year)",
                        None,
                        count,
                        None,
                        _due(year, settings),
                    )
                )
    return assets


def collect_assets(settings: Settings) -> list[Asset]:
    """Every dataset on disk under LIIA_HOME and LIIA_INCOMING, and every destroyed one."""
    assets: list[Asset] = []
    if settings.landing_path.exists():
        conn = duckdb.connect(":memory:")
        try:
            conn.execute(f"attach {literal(str(settings.landing_path))} as landing (read_only)")
            assets += _incoming_assets(conn, settings)
            assets += _landing_assets(conn, settings)
        finally:
            conn.close()
    else:
        assets += _incoming_assets(None, settings)
    if settings.warehouse_path.exists():
        assets += _database_assets(
            settings.warehouse_path, "warehouse", settings, WAREHOUSE_KEPT_SCHEMAS
        )
    assets += _export_assets(settings)
    return assets


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    return str(value)


def _write_csv(path: Path, assets: list[Asset]) -> None:
    # File names come from boroughs: the one CSV rule keeps Excel from running them.
    write_csv(
        ([_text(v) for v in astuple(a)] for a in assets), path, [f.name for f in fields(Asset)]
    )


def _md_table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_text(v).replace("|", "\\|") for v in row) + " |" for row in rows]
    return [*lines, ""]


def render_markdown(assets: list[Asset], settings: Settings, at: dt.datetime) -> str:
    """The register for people: totals per zone and year, then each zone's datasets."""
    first, last = settings.census_year_window
    held = [a for a in assets if a.destroyed_at is None]
    gone = [a for a in assets if a.destroyed_at is not None]
    lines = [
        "# Register of data assets",
        "",
        f"Generated {at.isoformat(timespec='seconds')} UTC, as of {settings.as_of.isoformat()}: "
        f"census years {first}-{last} are kept ({settings.retained_years} years); a year is "
        "destroyed everywhere by `liia retention` on its due date. Every row of "
        f"`{CSV_NAME}` beside this file is one dataset.",
        "",
        "## Held, per zone and census year",
        "",
    ]
    totals: dict[tuple[str, int | None], list] = defaultdict(lambda: [0, 0, None])
    for a in held:
        entry = totals[(a.zone, a.census_year)]
        entry[0] += 1
        entry[1] += a.rows or 0
        entry[2] = a.due_for_destruction_on
    order = {z: i for i, z in enumerate(("incoming", "landing", "warehouse", "exports", "analyst"))}
    keys = sorted(totals, key=lambda k: (order.get(k[0], 9), k[0], k[1] is None, k[1] or 0))
    lines += _md_table(
        ["zone", "census year", "datasets", "rows", "due for destruction on"],
        [[z, y if y is not None else "-", *totals[(z, y)]] for z, y in keys],
    )
    for zone in sorted({a.zone for a in held}, key=lambda z: (order.get(z, 9), z)):
        lines += [f"## {zone}", ""]
        rows = [a for a in held if a.zone == zone]
        if zone == "warehouse":
            grouped: dict[tuple[str, int | None], list] = defaultdict(lambda: [0, 0, None])
            for a in rows:
                g = grouped[(a.location, a.census_year)]
                g[0] += 1 if a.la_code else 0
                g[1] += a.rows or 0
                g[2] = a.due_for_destruction_on
            lines += _md_table(
                ["table", "census year", "boroughs", "rows", "due for destruction on"],
                [[loc, y, *grouped[(loc, y)]] for loc, y in sorted(grouped, key=str)],
            )
            continue
        lines += _md_table(
            [
                "location",
                "borough",
                "census year",
                "what",
                "file SHA-256",
                "rows",
                "received at",
                "due for destruction on",
            ],
            [
                [
                    a.location,
                    a.la_code,
                    a.census_year,
                    a.what,
                    (a.file_sha256 or "")[:16],
                    a.rows,
                    a.received_at,
                    a.due_for_destruction_on,
                ]
                for a in rows
            ],
        )
    lines += ["## Destroyed", ""]
    if gone:
        lines += _md_table(
            ["destroyed at", "zone", "location", "borough", "census year", "what", "rows"],
            [
                [
                    a.destroyed_at,
                    a.zone,
                    a.location,
                    a.la_code,
                    a.census_year,
                    a.what.removeprefix("destroyed: "),
                    a.rows,
                ]
                for a in gone
            ],
        )
    else:
        lines += ["Nothing has been destroyed yet.", ""]
    return "\n".join(lines)


@dataclass(frozen=True)
class RegisterSummary:
    held: int
    destroyed: int
    csv_path: Path
    md_path: Path

    def __str__(self) -> str:
        return (
            f"Register of data assets: {self.held} dataset(s) held, {self.destroyed} destroyed: "
            f"{self.md_path}"
        )


def write_register(settings: Settings) -> RegisterSummary:
    """Regenerate the register: landing table ``csww.data_assets``, CSV and Markdown."""
    assets = collect_assets(settings)
    at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    if settings.landing_path.exists():
        conn = duckdb.connect(str(settings.landing_path))
        try:
            create_governance_tables(conn)
            conn.begin()
            conn.execute(f"delete from {REGISTER_TABLE}")  # a generated table, not a record
            if assets:
                columns = ", ".join(quote(name) for name, _ in REGISTER_COLUMNS)
                conn.executemany(
                    f"insert into {REGISTER_TABLE} ({columns}) "
                    f"values ({', '.join('?' * len(REGISTER_COLUMNS))})",
                    [list(astuple(a)) for a in assets],
                )
            conn.commit()
        finally:
            conn.close()
    settings.reports_dir.mkdir(parents=True, exist_ok=True)
    csv_path = settings.reports_dir / CSV_NAME
    md_path = settings.reports_dir / MD_NAME
    _write_csv(csv_path, assets)
    md_path.write_text(render_markdown(assets, settings, at), encoding="utf-8")
    destroyed = sum(1 for a in assets if a.destroyed_at is not None)
    return RegisterSummary(len(assets) - destroyed, destroyed, csv_path, md_path)
