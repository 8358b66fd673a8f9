"""Delete rows from a DuckDB file so that their bytes are gone from the file.

DuckDB's ``DELETE`` then ``CHECKPOINT`` marks the rows' blocks free but leaves
their bytes in the file (measured: a deleted uncompressed marker value is still
readable in the raw file after CHECKPOINT, and after closing and reopening).
So a file is *rewritten*: copied to a working file (``COPY FROM DATABASE``,
which keeps schemas, constraints, defaults, sequences and views), the rows are
deleted there, and the working file is copied again into a fresh file, which
holds only live rows, and which replaces the original with one rename. The live
file is only ever opened read-only, so an analyst's open connection neither
blocks this nor sees a half-done state.

The rows of an aged-out census year are found by column name, the one rule for
every DuckDB file the project writes: ``census_year`` when the table has it,
otherwise any other integer ``*_year`` column (``from_year``, ``to_year``).
A table with ``census_year`` that also links to another year
(``previous_census_year``) keeps its row and loses the link to a destroyed
year, with every column about that linked return (``years_since_previous``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import duckdb

T = TypeVar("T")
YEAR_COLUMN = "census_year"
_INTEGER_TYPES = ("INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT", "UINTEGER", "UBIGINT")


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class TableYears:
    """How a table's rows are tied to census years."""

    schema: str
    table: str
    columns: tuple[str, ...]
    census_year: bool  # has a census_year column
    other_years: tuple[str, ...]  # other integer *_year columns
    has_la_code: bool
    has_file_id: bool

    def relation(self, alias: str) -> str:
        return f"{quote(alias)}.{quote(self.schema)}.{quote(self.table)}"

    def year_sql(self) -> str:
        """The census year a row is about: ``census_year``, else its oldest ``*_year``."""
        if self.census_year:
            return quote(YEAR_COLUMN)
        if self.other_years:
            return f"least({', '.join(quote(c) for c in self.other_years)})"
        return "null"

    def aged_predicate(self, first_year: int) -> str | None:
        """SQL selecting the rows of destroyed years (None: the table has no year)."""
        if self.census_year:
            return f"{quote(YEAR_COLUMN)} < {int(first_year)}"
        if self.other_years:
            return " or ".join(f"{quote(c)} < {int(first_year)}" for c in self.other_years)
        return None

    def link_columns(self, year_column: str) -> list[str]:
        """The columns about the return a link column points to (its word, e.g. 'previous')."""
        stem = re.sub(r"_?(census_)?year$", "", year_column)
        if not stem:
            return [year_column]
        word = re.compile(rf"(^|_){re.escape(stem)}(_|$)")
        return [c for c in self.columns if c == year_column or word.search(c)]


def tables_with_years(
    conn: duckdb.DuckDBPyConnection, alias: str, skip_schemas: tuple[str, ...] = ()
) -> list[TableYears]:
    """Every base table of an attached database, with its year columns."""
    rows = conn.execute(
        "select c.schema_name, c.table_name, list(c.column_name order by c.column_index), "
        "list(c.data_type order by c.column_index) "
        "from duckdb_columns() c join duckdb_tables() t on t.database_name = c.database_name "
        "and t.schema_name = c.schema_name and t.table_name = c.table_name "
        "where c.database_name = ? and not t.temporary group by all order by all",
        [alias],
    ).fetchall()
    found = []
    for schema, table, columns, types in rows:
        if schema in skip_schemas:
            continue
        typed = dict(zip(columns, types, strict=True))
        others = tuple(
            c
            for c in columns
            if c != YEAR_COLUMN
            and c.lower().endswith("year")
            and typed[c].upper().startswith(_INTEGER_TYPES)
        )
        found.append(
            TableYears(
                schema,
                table,
                tuple(columns),
                YEAR_COLUMN in typed,
                others,
                "la_code" in typed,
                "file_id" in typed,
            )
        )
    return found


@dataclass(frozen=True)
class DeletedRows:
    """Rows of one table and one census year deleted (census_year None: by file id)."""

    schema: str
    table: str
    census_year: int | None
    rows: int


def count_aged_rows(
    conn: duckdb.DuckDBPyConnection,
    alias: str,
    table: TableYears,
    first_year: int,
    file_ids: tuple[int, ...] = (),
) -> list[DeletedRows]:
    """What :func:`delete_aged_rows` would delete from one table, by census year."""
    predicate = table.aged_predicate(first_year)
    relation = table.relation(alias)
    if predicate is not None:
        year = quote(YEAR_COLUMN) if table.census_year else "null"
        rows = conn.execute(
            f"select {year}, count(*) from {relation} where {predicate} group by all "
            "having count(*) > 0 order by all"
        ).fetchall()
        return [DeletedRows(table.schema, table.table, y, n) for y, n in rows]
    if table.has_file_id and file_ids:
        ids = ", ".join(str(int(i)) for i in file_ids)
        (n,) = conn.execute(f"select count(*) from {relation} where file_id in ({ids})").fetchone()
        return [DeletedRows(table.schema, table.table, None, n)] if n else []
    return []


def delete_aged_rows(
    conn: duckdb.DuckDBPyConnection,
    alias: str,
    first_year: int,
    *,
    file_ids: tuple[int, ...] = (),
    skip_schemas: tuple[str, ...] = (),
    skip_tables: tuple[str, ...] = (),
) -> list[DeletedRows]:
    """Delete every row of a census year before ``first_year`` from an attached database.

    Tables without a year column lose the rows of ``file_ids`` (load errors of a
    destroyed file). ``skip_tables`` are ``schema.table`` names kept whole.
    """
    deleted: list[DeletedRows] = []
    for table in tables_with_years(conn, alias, skip_schemas):
        if f"{table.schema}.{table.table}" in skip_tables:
            continue
        counts = count_aged_rows(conn, alias, table, first_year, file_ids)
        predicate = table.aged_predicate(first_year)
        relation = table.relation(alias)
        if counts and predicate is not None:
            conn.execute(f"delete from {relation} where {predicate}")
        elif counts:
            ids = ", ".join(str(int(i)) for i in file_ids)
            conn.execute(f"delete from {relation} where file_id in ({ids})")
        deleted += counts
        if table.census_year:
            for column in table.other_years:
                links = ", ".join(f"{quote(c)} = null" for c in table.link_columns(column))
                conn.execute(
                    f"update {relation} set {links} where {quote(column)} < {int(first_year)}"
                )
    return deleted


def _remove_database(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + ".wal")):
        candidate.unlink(missing_ok=True)


def rewrite_clean(path: Path, mutate: Callable[[duckdb.DuckDBPyConnection, str], T]) -> T:
    """Apply ``mutate(conn, alias)`` to a copy of ``path`` and replace it with a fresh copy.

    The fresh file is written by ``COPY FROM DATABASE`` from the mutated copy,
    so it holds no freed block of a deleted row. ``mutate`` gets an in-memory
    connection with the working copy attached as ``alias``.
    """
    work = path.with_name(path.name + ".retention-work")
    fresh = path.with_name(path.name + ".retention-fresh")
    _remove_database(work)
    _remove_database(fresh)
    conn = duckdb.connect(":memory:")
    try:
        conn.execute(f"attach {literal(str(path))} as live_copy_source (read_only)")
        conn.execute(f"attach {literal(str(work))} as work")
        conn.execute("copy from database live_copy_source to work")
        conn.execute("detach live_copy_source")
        result = mutate(conn, "work")
        conn.execute(f"attach {literal(str(fresh))} as fresh")
        conn.execute("copy from database work to fresh")
        conn.execute("detach work")
        conn.execute("detach fresh")
    except BaseException:
        conn.close()
        _remove_database(work)
        _remove_database(fresh)
        raise
    conn.close()
    _remove_database(work)
    os.replace(fresh, path)
    path.with_name(path.name + ".wal").unlink(missing_ok=True)
    return result
