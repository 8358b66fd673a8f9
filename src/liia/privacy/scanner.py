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

The search is DuckDB's, many places at a time: every column of every relation and
every file's text is a numbered place whose distinct values are gathered into one
work table, and the needle join (and the rule's function, once per distinct value)
runs over many relations and files together. Parquet files of one shape (a pack's
workers.parquet in every borough) are read by one query; files are read in pieces
cut after a newline, so none is held whole.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import duckdb

from liia.config import PROJECT_ROOT, Settings
from liia.hash_key import MissingHashKeyError, resolve_hash_key
from liia.privacy.needles import (
    Needles,
    create_value_tables,
    drop_value_tables,
    found_hits,
    load_needles,
    load_texts,
    look_through_values,
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
# Files are read in pieces of about this many bytes (cut after a newline): a large
# file is never held whole, and its pieces are looked through in parallel.
READ_CHUNK_BYTES = 1 << 20
# Values gathered from relations are looked through once about this many are waiting
# (a large table is looked through alone, small ones many at a time).
FLUSH_ROWS = 1 << 21
# Parquet files are read many at a time: those of one shape (the same columns and
# types) in one query, up to about this many values, gathered from up to this many files.
PARQUET_BATCH_CELLS = 1 << 23
PARQUET_BATCH_FILES = 512
GLOB_CHARACTERS = frozenset("*?[]{}\\")
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


def _lines_of(
    handle: BinaryIO, needle: bytes | None, chunk_size: int = READ_CHUNK_BYTES
) -> Iterator[tuple[bytes, bool]]:
    """A binary stream in pieces of about ``chunk_size`` bytes ending with a newline (or
    the stream's end), each with whether ``needle`` occurs in the stream up to its end.

    Nothing the scan looks for spans a newline, and a newline byte is never inside a
    UTF-8 sequence, so each piece is decoded and looked through on its own, and a large
    file is never held whole."""
    overlap = max(len(needle) - 1, 0) if needle else 0
    found, tail, pending = False, b"", b""
    while True:
        chunk = handle.read(chunk_size)
        if needle and not found and chunk:
            window = tail + chunk
            found = needle in window
            tail = window[-overlap:] if overlap else b""
        if not chunk:
            if pending:
                yield pending, found
            return
        cut = chunk.rfind(b"\n")
        if cut < 0:
            pending += chunk
            continue
        piece, pending = pending + chunk[: cut + 1], chunk[cut + 1 :]
        yield piece, found


class _Scanner:
    """Gathers values (each column of each relation, each file's text) under numbered
    places into DuckDB and looks them through many at a time: one needle join and one
    call of the rule's function per distinct value for many relations and files."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, needles: Needles, key: str | None):
        self.conn = conn
        self.needles = needles
        self.key = key
        self.key_bytes = None if key is None else key.encode("utf-8")
        # Per place: where it is (a relation's column or a file) and its pack's borough.
        self.places: list[tuple[str, tuple[str, ...]]] = []
        self._relation_places: set[int] = set()
        self._texts: list[tuple[int, str]] = []
        self._text_chars = 0
        self._pending_rows = 0
        self._parquet: list[tuple[Path, str]] = []
        create_value_tables(conn)
        self.report = ScanReport(
            swe_needles=needles.swe_numbers,
            birth_date_needles=needles.birth_dates,
            sender_pseudonym_needles=needles.sender_pseudonyms,
            key_checked=key is not None,
        )

    def _place(self, location: str, pack: tuple[str, ...]) -> int:
        self.places.append((location, pack))
        return len(self.places) - 1

    # -- relations (warehouse tables, DuckDB and Parquet exports) --------------------------
    @staticmethod
    def _la_code_sql(columns: list[str], prefix: str = "") -> str:
        if LA_CODE_COLUMN in columns:
            return f"cast({prefix}{_quote(LA_CODE_COLUMN)} as varchar)"
        return "cast(null as varchar)"

    def _relation_values_sql(self, relation_sql: str, columns: list[str], first: int) -> str:
        """SQL of the distinct (place, value, la_code) of every column of a relation, its
        columns numbered from ``first``: a query per column (a table is stored by column)."""
        la_code = self._la_code_sql(columns)
        return " union all ".join(
            f"select distinct {first + index} as place, cast({_quote(c)} as varchar) as value, "
            f"{la_code} as la_code from {relation_sql} where {_quote(c)} is not null"
            for index, c in enumerate(columns)
        )

    @staticmethod
    def _files_values_sql(files_sql: str, columns: list[str], file_column: str) -> str:
        """The same for Parquet files read together (``files_sql`` naming each row's file
        in ``file_column``), each file's columns numbered from its ``first_place`` in
        ``scan_files``: every row is read once and cut into its columns' values."""
        values = ", ".join(f"cast(data.{_quote(c)} as varchar)" for c in columns)
        return (
            "select distinct place, value, la_code from ("
            f"select scan_files.first_place + unnest(range({len(columns)})) as place, "
            f"unnest([{values}]) as value, "
            f"{_Scanner._la_code_sql(columns, 'data.')} as la_code "
            f"from {files_sql} as data inner join scan_files "
            f"on data.{_quote(file_column)} = scan_files.path"
            ") where value is not null"
        )

    def _insert_values(self, sql: str) -> None:
        self._pending_rows += self.conn.execute(f"insert into scan_values {sql}").fetchone()[0]

    def _add_relation(self, columns: list[str], location: str) -> None:
        """Number the places of a relation whose values are in ``scan_values``."""
        pack = _pack_la_code(location)
        for column in columns:
            self._relation_places.add(self._place(f"{location}.{column}", pack))
        self.report.tables_scanned += 1
        self.report.columns_scanned += len(columns)

    def _flush_if_full(self) -> None:
        if self._pending_rows >= FLUSH_ROWS:
            self.flush_values()

    def scan_relation(self, relation_sql: str, columns: list[str], location: str) -> None:
        if not columns:
            return
        self._insert_values(self._relation_values_sql(relation_sql, columns, len(self.places)))
        self._add_relation(columns, location)
        self._flush_if_full()

    def flush_values(self) -> None:
        """Look through the values gathered so far (and the key in relations' values)."""
        if self.key is not None and self._pending_rows:
            rows = self.conn.execute(
                "select place, count(*), "
                "list_sort(list_distinct(list(la_code) filter (where la_code is not null))) "
                "from scan_values where contains(value, $key) group by all order by all",
                {"key": self.key},
            ).fetchall()
            for place, count, la_codes in rows:
                if place in self._relation_places:
                    location, pack = self.places[place]
                    self.report.hits.append(
                        Hit(location, KEY_KIND, count, pack or tuple(la_codes or ()))
                    )
        look_through_values(self.conn)
        self._pending_rows = 0

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
        all_columns: dict[tuple[str, str], list[str]] = {}
        for schema, table, name in self.conn.execute(
            "select schema_name, table_name, column_name from duckdb_columns() "
            "where database_name = $db order by schema_name, table_name, column_index",
            {"db": alias},
        ).fetchall():
            all_columns.setdefault((schema, table), []).append(name)
        for schema, table in relations:
            relation = f"{_quote(alias)}.{_quote(schema)}.{_quote(table)}"
            try:
                self.scan_relation(
                    relation, all_columns.get((schema, table), []), f"{location}:{schema}.{table}"
                )
            except duckdb.Error as error:
                self.report.unreadable.append(
                    f"{location}:{schema}.{table} ({type(error).__name__})"
                )

    # -- files -------------------------------------------------------------------------
    def scan_file(self, path: Path, location: str) -> None:
        suffix = path.suffix.lower()
        if suffix in SKIPPED_SUFFIXES:
            return
        if suffix == ".parquet":
            self._parquet.append((path, location))  # read with others of its shape
            if len(self._parquet) >= PARQUET_BATCH_FILES:
                self.flush_parquet()
            return
        try:
            if suffix == ".duckdb":
                self._scan_duckdb_file(path, location)
            elif suffix in ZIP_SUFFIXES and zipfile.is_zipfile(path):
                with zipfile.ZipFile(path) as archive:
                    for member in archive.namelist():
                        with archive.open(member) as handle:
                            self._scan_stream(handle, f"{location}!{member}")
            else:
                with path.open("rb") as handle:
                    self._scan_stream(handle, location)
        except (OSError, duckdb.Error, zipfile.BadZipFile) as error:
            self.report.unreadable.append(f"{location} ({type(error).__name__})")
            return
        self.report.files_scanned += 1

    def _scan_stream(self, handle: BinaryIO, location: str) -> None:
        place = self._place(location, _pack_la_code(location))
        key_found = False
        for data, found in _lines_of(handle, self.key_bytes):
            key_found = found  # as far as read: the last piece says for the whole
            text = data.decode("utf-8", errors="replace")
            self._texts.append((place, text))
            self._text_chars += len(text)
            if self._text_chars >= TEXT_BATCH_CHARS:
                self.flush_texts()
        if key_found:
            self.report.hits.append(Hit(location, KEY_KIND, 1, _pack_la_code(location)))

    def flush_texts(self) -> None:
        """Cut the texts gathered so far into values, in one pass."""
        texts, self._texts, self._text_chars = self._texts, [], 0
        if texts:
            load_texts(self.conn, texts)
            self._pending_rows = FLUSH_ROWS  # the pieces' count is not known: look now
            self.flush_values()

    def flush(self) -> None:
        """Look through everything gathered so far (before the needles change)."""
        self.flush_parquet()
        self.flush_texts()
        self.flush_values()

    def flush_parquet(self) -> None:
        """Read the Parquet files gathered so far, those of one shape (the same columns
        and types: a borough pack's workers.parquet, say) many in one query."""
        files, self._parquet = self._parquet, []
        shapes: dict[tuple[tuple[str, str], ...], list[tuple[Path, str, int]]] = {}
        for path, location in files:
            try:
                described = self.conn.execute(
                    f"describe select * from read_parquet({_literal(str(path))})"
                ).fetchall()
                (rows,) = self.conn.execute(
                    f"select sum(num_rows) from parquet_file_metadata({_literal(str(path))})"
                ).fetchone()
            except duckdb.Error as error:
                self.report.unreadable.append(f"{location} ({type(error).__name__})")
                continue
            shape = tuple((str(row[0]), str(row[1])) for row in described)
            shapes.setdefault(shape, []).append((path, location, int(rows or 0)))
        for shape, same_shape in shapes.items():
            columns = [name for name, _ in shape]
            for batch in _parquet_batches(same_shape, len(columns)):
                if len(batch) > 1:
                    try:
                        self._scan_parquet_group(batch, columns)
                        continue
                    except duckdb.Error:
                        pass  # one of them cannot be read: read each alone to say which
                for path, location in batch:
                    try:
                        self.scan_relation(
                            f"read_parquet({_literal(str(path))})", columns, location
                        )
                    except duckdb.Error as error:
                        self.report.unreadable.append(f"{location} ({type(error).__name__})")
                        continue
                    self.report.files_scanned += 1

    def _scan_parquet_group(self, group: list[tuple[Path, str]], columns: list[str]) -> None:
        """Parquet files of one shape in one query; each file's columns are its own places."""
        file_column = "liia_scanned_file"
        while file_column in columns:
            file_column += "_"
        first = len(self.places)
        self.conn.execute(
            "create or replace temp table scan_files (path varchar, first_place integer)"
        )
        self.conn.executemany(
            "insert into scan_files values (?, ?)",
            [(str(path), first + index * len(columns)) for index, (path, _) in enumerate(group)],
        )
        paths = ", ".join(_literal(str(path)) for path, _ in group)
        relation = f"read_parquet([{paths}], filename = {_literal(file_column)})"
        try:
            self._insert_values(self._files_values_sql(relation, columns, file_column))
        finally:
            self.conn.execute("drop table scan_files")
        for _, location in group:
            self._add_relation(columns, location)
            self.report.files_scanned += 1
        self._flush_if_full()

    def _scan_duckdb_file(self, path: Path, location: str) -> None:
        alias = f"scan_{self.report.files_scanned}"
        self.conn.execute(f"attach {_literal(str(path))} as {_quote(alias)} (read_only)")
        try:
            self.scan_database(alias, location)
        finally:
            self.conn.execute(f"detach {_quote(alias)}")
        if self.key_bytes is not None and _file_contains(path, self.key_bytes):
            self.report.hits.append(Hit(location, KEY_KIND, 1, _pack_la_code(location)))

    def finish(self) -> ScanReport:
        """The report, with every needle hit found."""
        self.flush()
        for place, kind, count, la_codes in found_hits(self.conn):
            location, pack = self.places[place]
            self.report.hits.append(Hit(location, kind, count, pack or tuple(la_codes)))
        drop_value_tables(self.conn)
        self.report.hits.sort(key=lambda hit: (hit.location, hit.kind))
        return self.report


def _parquet_batches(
    files: list[tuple[Path, str, int]], columns: int
) -> Iterator[list[tuple[Path, str]]]:
    """Parquet files of one shape (path, location, rows) in batches read by one query
    each, of about PARQUET_BATCH_CELLS values; a name DuckDB would read as a glob
    pattern is a batch of its own (read as it always was)."""
    batch: list[tuple[Path, str]] = []
    cells = 0
    for path, location, rows in files:
        if GLOB_CHARACTERS.intersection(str(path)):
            yield [(path, location)]
            continue
        batch.append((path, location))
        cells += rows * columns
        if cells >= PARQUET_BATCH_CELLS:
            yield batch
            batch, cells = [], 0
    if batch:
        yield batch


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
            resolved = path.resolve()
            inside = any(resolved.is_relative_to(folder) for folder in folders)
            (artefacts if inside else files).append(path)
        for path in progress([*files, *artefacts], "Privacy scan", "file"):
            if artefacts and path == artefacts[0]:
                scanner.flush()
                scanner.report.code_dates_set_aside = set_aside_code_dates(conn, _project_code())
            scanner.scan_file(path, str(path.relative_to(settings.home)))
        report = scanner.finish()
        if artefacts:
            restore_code_dates(conn)
        return report
    finally:
        conn.close()
