"""The privacy scan: no raw SWE number, full date of birth or hash key outside landing.

``scan_home(settings)`` reads the identifiers from landing (read-only), then
looks for them in every column of every table and view of the warehouse (cast
to text, compared in SQL against a DuckDB temp table of needles), and in every
file under LIIA_HOME's exports, reports, dbt target and log folders and gx/
(Parquet and DuckDB files through DuckDB, zip containers such as XLSX by
member, everything else as text). It also looks for the hash key's text
everywhere. A clean home has zero hits. Hits name where, never what.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from liia.config import Settings
from liia.hash_key import MissingHashKeyError, resolve_hash_key
from liia.privacy.needles import Needles, find_hits, find_in_text, load_needles

KEY_KIND = "hash_key"
LANDING_ALIAS = "landing"
ZIP_SUFFIXES = frozenset({".xlsx", ".zip", ".docx"})
SKIPPED_SUFFIXES = frozenset({".wal", ".tmp"})


@dataclass(frozen=True)
class Hit:
    """Identifiers of one kind found in one place (counts only, never values)."""

    location: str
    kind: str
    count: int

    def __str__(self) -> str:
        return f"{self.location}: {self.count} {self.kind} value(s)"


@dataclass
class ScanReport:
    """What the scan read and what it found."""

    tables_scanned: int = 0
    columns_scanned: int = 0
    files_scanned: int = 0
    swe_needles: int = 0
    birth_date_needles: int = 0
    key_checked: bool = False
    hits: list[Hit] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.hits

    def locations(self) -> set[str]:
        return {hit.location for hit in self.hits}

    def __str__(self) -> str:
        lines = [
            f"Privacy scan: {'PASSED' if self.clean else 'FAILED'} - {len(self.hits)} hit(s); "
            f"scanned {self.tables_scanned} tables ({self.columns_scanned} columns) and "
            f"{self.files_scanned} files for {self.swe_needles} SWE numbers, "
            f"{self.birth_date_needles} full birth dates"
            f"{' and the hash key' if self.key_checked else ' (hash key not checked)'}"
        ]
        lines += [f"  LEAK {hit}" for hit in self.hits]
        lines += [f"  could not read {where}" for where in self.unreadable]
        return "\n".join(lines)


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _file_contains(path: Path, needle: bytes, chunk_size: int = 1 << 24) -> bool:
    """Whether a (possibly large) file's bytes contain ``needle``, read in chunks."""
    overlap = len(needle) - 1
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(chunk_size):
            if needle in tail + chunk:
                return True
            tail = chunk[-overlap:] if overlap else b""
    return False


class _Scanner:
    def __init__(self, conn: duckdb.DuckDBPyConnection, needles: Needles, key: str | None):
        self.conn = conn
        self.needles = needles
        self.key = key
        self.report = ScanReport(
            swe_needles=needles.swe_numbers,
            birth_date_needles=needles.birth_dates,
            key_checked=key is not None,
        )

    # -- relations (warehouse tables, DuckDB and Parquet exports) --------------------------
    def scan_relation(self, relation_sql: str, columns: list[str], location: str) -> None:
        if not columns:
            return
        selects = " union all ".join(
            f"select distinct {_literal(c)} as column_name, cast({_quote(c)} as varchar) as value "
            f"from {relation_sql} where {_quote(c)} is not null"
            for c in columns
        )
        self.conn.execute(f"create or replace temp table scan_values as {selects}")
        self.report.tables_scanned += 1
        self.report.columns_scanned += len(columns)
        for column, kind, count in find_hits(self.conn):
            self.report.hits.append(Hit(f"{location}.{column}", kind, count))
        if self.key is not None:
            rows = self.conn.execute(
                "select column_name, count(*) from scan_values where contains(value, $key) "
                "group by all order by all",
                {"key": self.key},
            ).fetchall()
            for column, count in rows:
                self.report.hits.append(Hit(f"{location}.{column}", KEY_KIND, count))
        self.conn.execute("drop table scan_values")

    def scan_database(self, alias: str, location: str) -> None:
        relations = self.conn.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where database_name = $db and not temporary "
            "union all "
            "select schema_name, view_name from duckdb_views() "
            "where database_name = $db and not internal and not temporary "
            "order by all",
            {"db": alias},
        ).fetchall()
        for schema, table in relations:
            columns = [
                name
                for (name,) in self.conn.execute(
                    "select column_name from duckdb_columns() where database_name = $db "
                    "and schema_name = $schema and table_name = $table order by column_index",
                    {"db": alias, "schema": schema, "table": table},
                ).fetchall()
            ]
            relation = f"{_quote(alias)}.{_quote(schema)}.{_quote(table)}"
            try:
                self.scan_relation(relation, columns, f"{location}:{schema}.{table}")
            except duckdb.Error as error:
                self.report.unreadable.append(
                    f"{location}:{schema}.{table} ({type(error).__name__})"
                )

    # -- files -------------------------------------------------------------------------
    def scan_file(self, path: Path, location: str) -> None:
        suffix = path.suffix.lower()
        if suffix in SKIPPED_SUFFIXES:
            return
        try:
            if suffix == ".parquet":
                self._scan_parquet(path, location)
            elif suffix == ".duckdb":
                self._scan_duckdb_file(path, location)
            elif suffix in ZIP_SUFFIXES and zipfile.is_zipfile(path):
                with zipfile.ZipFile(path) as archive:
                    for member in archive.namelist():
                        self._scan_bytes(archive.read(member), f"{location}!{member}")
            else:
                self._scan_bytes(path.read_bytes(), location)
        except (OSError, duckdb.Error, zipfile.BadZipFile) as error:
            self.report.unreadable.append(f"{location} ({type(error).__name__})")
            return
        self.report.files_scanned += 1

    def _scan_bytes(self, data: bytes, location: str) -> None:
        text = data.decode("utf-8", errors="replace")
        for kind, count in find_in_text(self.conn, text).items():
            self.report.hits.append(Hit(location, kind, count))
        if self.key is not None and self.key.encode("utf-8") in data:
            self.report.hits.append(Hit(location, KEY_KIND, 1))

    def _scan_parquet(self, path: Path, location: str) -> None:
        relation = f"read_parquet({_literal(str(path))})"
        columns = [
            row[0] for row in self.conn.execute(f"describe select * from {relation}").fetchall()
        ]
        self.scan_relation(relation, columns, location)

    def _scan_duckdb_file(self, path: Path, location: str) -> None:
        alias = f"scan_{self.report.files_scanned}"
        self.conn.execute(f"attach {_literal(str(path))} as {_quote(alias)} (read_only)")
        try:
            self.scan_database(alias, location)
        finally:
            self.conn.execute(f"detach {_quote(alias)}")
        if self.key is not None and _file_contains(path, self.key.encode("utf-8")):
            self.report.hits.append(Hit(location, KEY_KIND, 1))


def _files_under(folder: Path) -> Iterator[Path]:
    if folder.is_dir():
        yield from sorted(p for p in folder.rglob("*") if p.is_file())


def scanned_folders(settings: Settings) -> list[Path]:
    """Every folder of LIIA_HOME that must hold no raw identifier."""
    return [
        settings.exports_dir,
        settings.reports_dir,
        settings.dbt_target_dir,
        settings.dbt_log_dir,
        settings.home / "gx",
    ]


def _hash_key_text() -> str | None:
    try:
        return resolve_hash_key(announce=False).text
    except MissingHashKeyError:
        return None


def scan_home(settings: Settings, *, key: str | None = None) -> ScanReport:
    """Scan the warehouse and every output folder of LIIA_HOME for raw identifiers.

    ``key`` is the hash key's text to look for (default: the key this
    environment would use). Landing and the warehouse are opened read-only.
    """
    key_text = key if key is not None else _hash_key_text()
    conn = duckdb.connect(":memory:")
    try:
        conn.execute(
            f"attach {_literal(str(settings.landing_path))} as {LANDING_ALIAS} (read_only)"
        )
        needles = load_needles(conn, LANDING_ALIAS)
        scanner = _Scanner(conn, needles, key_text)
        warehouse_alias = settings.warehouse_path.stem
        if settings.warehouse_path.exists():
            conn.execute(
                f"attach {_literal(str(settings.warehouse_path))} as {_quote(warehouse_alias)} "
                "(read_only)"
            )
            scanner.scan_database(warehouse_alias, settings.warehouse_path.name)
            if key_text is not None and _file_contains(
                settings.warehouse_path, key_text.encode("utf-8")
            ):
                scanner.report.hits.append(Hit(settings.warehouse_path.name, KEY_KIND, 1))
        for folder in scanned_folders(settings):
            for path in _files_under(folder):
                scanner.scan_file(path, str(path.relative_to(settings.home)))
        return scanner.report
    finally:
        conn.close()
