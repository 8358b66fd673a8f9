"""The privacy scan: no raw SWE number, full date of birth or hash key outside landing.

``scan_home(settings)`` reads the identifiers from landing (read-only), then
looks for them in every column of every table and view of the warehouse and of
every other DuckDB file under LIIA_HOME but landing (cast to text, candidates
taken by the identifier rule and compared in SQL against a DuckDB temp table of
needles), and in every file under LIIA_HOME's exports, reports, gx, audit and
dbt target and log folders (Parquet and DuckDB files through DuckDB, zip
containers such as XLSX by member, everything else as text). It also looks for
the hash key's text everywhere. A clean home has zero hits. Hits name where,
never what, and carry the boroughs they can be attributed to: the borough of an
``exports/la/<la_code>/`` pack, the ``la_code`` of the table row, or else the
boroughs whose landed returns hold the identifier found.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from liia.config import PROJECT_ROOT, Settings
from liia.hash_key import MissingHashKeyError, resolve_hash_key
from liia.privacy.needles import (
    Needles,
    find_hits,
    find_in_texts,
    load_needles,
    restore_code_dates,
    set_aside_code_dates,
)
from liia.privacy.swe_macros import rule_connection
from liia.progress import progress

KEY_KIND = "hash_key"
LANDING_ALIAS = "landing"
ZIP_SUFFIXES = frozenset({".xlsx", ".zip", ".docx"})
SKIPPED_SUFFIXES = frozenset({".wal", ".tmp"})
# Text files are looked through in batches of about this many characters: one DuckDB
# pass for many small files (compiled SQL, JSON, logs) instead of one each.
TEXT_BATCH_CHARS = 1 << 25
LA_CODE_COLUMN = "la_code"
# The dbt project's own source, which dbt's artefacts (manifest, compiled SQL, logs) copy.
PROJECT_CODE = ("dbt_project.yml", "models", "macros", "tests/dbt", "seeds", "snapshots")
BOROUGH_PACKS = ("exports", "la")


@dataclass(frozen=True)
class Hit:
    """Identifiers of one kind found in one place (counts only, never values)."""

    location: str
    kind: str
    count: int
    # Boroughs the hit is attributed to; empty when it cannot be (the hash key in a
    # shared file, an identifier landing does not tie to a borough).
    la_codes: tuple[str, ...] = ()

    def __str__(self) -> str:
        boroughs = f" [borough {', '.join(self.la_codes)}]" if self.la_codes else " [no borough]"
        return f"{self.location}: {self.count} {self.kind} value(s){boroughs}"


@dataclass
class ScanReport:
    """What the scan read and what it found."""

    tables_scanned: int = 0
    columns_scanned: int = 0
    files_scanned: int = 0
    swe_needles: int = 0
    birth_date_needles: int = 0
    sender_pseudonym_needles: int = 0
    key_checked: bool = False
    # Birth dates the project's own code holds (test fixtures): not looked for in dbt's
    # artefacts, which copy that code; still looked for everywhere else.
    code_dates_set_aside: int = 0
    hits: list[Hit] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.hits

    def locations(self) -> set[str]:
        return {hit.location for hit in self.hits}

    @property
    def affected_la_codes(self) -> list[str]:
        """The boroughs the hits are attributed to (their packs are the ones to withdraw)."""
        return sorted({la_code for hit in self.hits for la_code in hit.la_codes})

    @property
    def unattributed(self) -> bool:
        """True when a hit names no borough: every borough's exports must be withdrawn."""
        return any(not hit.la_codes for hit in self.hits)

    def __str__(self) -> str:
        lines = [
            f"Privacy scan: {'PASSED' if self.clean else 'FAILED'} - {len(self.hits)} hit(s); "
            f"scanned {self.tables_scanned} tables ({self.columns_scanned} columns) and "
            f"{self.files_scanned} files for {self.swe_needles} SWE numbers, "
            f"{self.birth_date_needles} full birth dates, "
            f"{self.sender_pseudonym_needles} senders' unkeyed pseudonyms"
            f"{' and the hash key' if self.key_checked else ' (hash key not checked)'}"
        ]
        if not self.clean:
            lines.append(
                f"  affected boroughs: {', '.join(self.affected_la_codes) or 'none attributed'}"
                f"{'; some hits name no borough' if self.unattributed else ''}"
            )
        lines += [f"  LEAK {hit}" for hit in self.hits]
        if self.code_dates_set_aside:
            lines.append(
                f"  {self.code_dates_set_aside} birth date(s) written in the project's own code "
                "were not looked for in dbt's artefacts (which copy that code)"
            )
        lines += [f"  could not read {where}" for where in self.unreadable]
        return "\n".join(lines)


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _pack_la_code(location: str) -> tuple[str, ...]:
    """The borough of a file under exports/la/<la_code>/, else ()."""
    parts = Path(location).parts
    if len(parts) > 3 and parts[:2] == BOROUGH_PACKS:
        return (parts[2],)
    return ()


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
        self._texts: list[tuple[str, str]] = []
        self._text_chars = 0
        self.report = ScanReport(
            swe_needles=needles.swe_numbers,
            birth_date_needles=needles.birth_dates,
            sender_pseudonym_needles=needles.sender_pseudonyms,
            key_checked=key is not None,
        )

    # -- relations (warehouse tables, DuckDB and Parquet exports) --------------------------
    def scan_relation(self, relation_sql: str, columns: list[str], location: str) -> None:
        if not columns:
            return
        pack = _pack_la_code(location)
        la_code = (
            f"cast({_quote(LA_CODE_COLUMN)} as varchar)"
            if LA_CODE_COLUMN in columns
            else "cast(null as varchar)"
        )
        selects = " union all ".join(
            f"select distinct {_literal(c)} as column_name, cast({_quote(c)} as varchar) as value, "
            f"{la_code} as la_code from {relation_sql} where {_quote(c)} is not null"
            for c in columns
        )
        self.conn.execute(f"create or replace temp table scan_values as {selects}")
        self.report.tables_scanned += 1
        self.report.columns_scanned += len(columns)
        for column, kind, count, la_codes in find_hits(self.conn):
            self.report.hits.append(
                Hit(f"{location}.{column}", kind, count, pack or tuple(la_codes))
            )
        if self.key is not None:
            rows = self.conn.execute(
                "select column_name, count(*), "
                "list_sort(list_distinct(list(la_code) filter (where la_code is not null))) "
                "from scan_values where contains(value, $key) group by all order by all",
                {"key": self.key},
            ).fetchall()
            for column, count, la_codes in rows:
                self.report.hits.append(
                    Hit(f"{location}.{column}", KEY_KIND, count, pack or tuple(la_codes))
                )
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
        self._texts.append((location, text))
        self._text_chars += len(text)
        if self._text_chars >= TEXT_BATCH_CHARS:
            self.flush_texts()
        if self.key is not None and self.key.encode("utf-8") in data:
            self.report.hits.append(Hit(location, KEY_KIND, 1, _pack_la_code(location)))

    def flush_texts(self) -> None:
        """Look through the texts gathered so far, in one pass."""
        texts, self._texts, self._text_chars = self._texts, [], 0
        for location, kinds in find_in_texts(self.conn, texts).items():
            pack = _pack_la_code(location)
            for kind, (count, la_codes) in kinds.items():
                self.report.hits.append(Hit(location, kind, count, pack or tuple(la_codes)))

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
            self.report.hits.append(Hit(location, KEY_KIND, 1, _pack_la_code(location)))


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
        settings.home / "audit",
        # `liia build --engine spark`: the Spark warehouse's table files, its
        # metastore and logs, and dbt's compiled SQL for the Spark target.
        settings.home / "spark",
        settings.home / "dbt" / "spark-target",
    ]


def code_artefact_folders(settings: Settings) -> list[Path]:
    """The scanned folders whose files copy the dbt project's code: dbt's targets
    (DuckDB's and, after ``liia build --engine spark``, Spark's) and logs, and the
    dbt docs site (exports/docs, the manifest inside one page)."""
    return [
        settings.dbt_target_dir,
        settings.home / "dbt" / "spark-target",
        settings.dbt_log_dir,
        settings.exports_dir / "docs",
    ]


def other_duckdb_files(settings: Settings) -> list[Path]:
    """Every DuckDB file under LIIA_HOME outside the scanned folders, but landing (where raw
    identifiers belong), the warehouse (scanned first) and the incoming folders."""
    skipped = {settings.landing_path.resolve(), settings.warehouse_path.resolve()}
    inside = [settings.incoming.resolve(), *(f.resolve() for f in scanned_folders(settings))]
    found = []
    for path in sorted(settings.home.rglob("*.duckdb")):
        resolved = path.resolve()
        if not path.is_file() or resolved in skipped:
            continue
        if any(resolved.is_relative_to(folder) for folder in inside):
            continue
        found.append(path)
    return found


def _project_code() -> list[tuple[str, str]]:
    """(path, text) of every file of the dbt project's own source."""
    texts = []
    for part in PROJECT_CODE:
        root = PROJECT_ROOT / part
        for path in [root] if root.is_file() else _files_under(root):
            texts.append((str(path), path.read_text(encoding="utf-8", errors="replace")))
    return texts


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
    conn = rule_connection()
    conn.execute("set enable_progress_bar = false")  # the scan's output is its report
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
        folders = [folder.resolve() for folder in code_artefact_folders(settings)]
        files, artefacts = [*other_duckdb_files(settings)], []
        for path in (p for folder in scanned_folders(settings) for p in _files_under(folder)):
            inside = any(path.resolve().is_relative_to(folder) for folder in folders)
            (artefacts if inside else files).append(path)
        for path in progress([*files, *artefacts], "Privacy scan", "file"):
            if artefacts and path == artefacts[0]:
                scanner.flush_texts()
                scanner.report.code_dates_set_aside = set_aside_code_dates(conn, _project_code())
            scanner.scan_file(path, str(path.relative_to(settings.home)))
        scanner.flush_texts()
        if artefacts:
            restore_code_dates(conn)
        scanner.report.hits.sort(key=lambda hit: (hit.location, hit.kind))
        return scanner.report
    finally:
        conn.close()
