"""Spreadsheet-safe text: every CSV and XLSX the project writes goes through here.

A borough officer opens a pack in Excel. A text cell that starts with ``=``,
``+``, ``-`` or ``@`` (or a tab or carriage return) is evaluated as a formula
there, so an invalid code, a free-text allowance or a dropped column's header
quoted in a finding could run in the officer's spreadsheet (CSV injection).
OWASP's rule is applied to every text cell: such a value gets a leading ``'``,
which Excel shows as text. Real numbers (a negative decimal included) are typed
values, not text, and are left alone; so are dates, booleans and lists.

The rule is defined once (``FORMULA_PREFIXES``) and used three ways:
``neutralise_cell`` for Python values (CSV rows, openpyxl cells),
``neutralise_sql`` for DuckDB relations written by DuckDB's own CSV writer, and
``write_csv`` which writes either. Parquet files keep the values as sent: they
are typed data, not something a spreadsheet evaluates.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import duckdb

# OWASP "CSV Injection": characters that make a spreadsheet treat a cell as a formula.
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
# What is put in front of such a value: Excel shows the rest as plain text.
NEUTRALISING_PREFIX = "'"
# DuckDB column types whose values are text (and so may be read as a formula).
# How each prefix is written inside a regex character class (control characters
# as escapes, so the SQL holds no invisible character).
_REGEX_CLASS_ESCAPES = {"\t": "\\t", "\r": "\\r", "-": "\\-", "]": "\\]", "\\": "\\\\", "^": "\\^"}
_TEXT_TYPES = frozenset({"VARCHAR", "CHAR", "BPCHAR", "TEXT", "STRING"})


def neutralise_cell(value: Any) -> Any:
    """``value`` with a leading ``'`` if it is text a spreadsheet would evaluate.

    Only ``str`` values change: numbers (``-3`` or ``Decimal('-1.5')``), dates,
    booleans and ``None`` are returned as they are.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return NEUTRALISING_PREFIX + value
    return value


def neutralise_sql(expression: str) -> str:
    """A DuckDB SQL expression: the text ``expression`` neutralised like ``neutralise_cell``.

    Rendered from ``FORMULA_PREFIXES`` so the SQL and Python rules cannot drift.
    """
    characters = "".join(_REGEX_CLASS_ESCAPES.get(c, c) for c in FORMULA_PREFIXES)
    return (
        f"case when regexp_matches({expression}, '^[{characters}]') "
        f"then '{NEUTRALISING_PREFIX}{NEUTRALISING_PREFIX}' || {expression} "
        f"else {expression} end"
    )


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _is_text_type(duckdb_type: Any) -> bool:
    return str(duckdb_type).upper() in _TEXT_TYPES


def neutralised_relation(rel: duckdb.DuckDBPyRelation) -> duckdb.DuckDBPyRelation:
    """``rel`` with every text column neutralised (same columns, same order, same types)."""
    columns = [
        f"{neutralise_sql(_quote(name))} as {_quote(name)}" if _is_text_type(kind) else _quote(name)
        for name, kind in zip(rel.columns, rel.types, strict=True)
    ]
    return rel.project(", ".join(columns))


def _replace_atomically(path: Path, write: Any) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path``.

    A failed write (disk full, read-only folder) leaves the previous file as it was.
    """
    partial = path.with_name(f".{path.name}.partial")
    try:
        write(partial)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def write_csv(
    data: duckdb.DuckDBPyRelation | Iterable[Sequence[Any]],
    path: Path,
    header: Sequence[str] | None = None,
) -> int:
    """Write a CSV (UTF-8, a header row) with every text cell neutralised; return the rows.

    ``data`` is a DuckDB relation (its column names are the header; DuckDB's own
    writer formats the values) or rows of Python values with ``header``. The
    file is replaced whole or not at all.
    """
    if isinstance(data, duckdb.DuckDBPyRelation):
        safe = neutralised_relation(data)
        _replace_atomically(path, lambda p: safe.write_csv(str(p), header=True))
        return len(data)
    if header is None:
        raise ValueError(f"write_csv({path.name}): rows need a header")
    rows = [[neutralise_cell(value) for value in row] for row in data]

    def write(target: Path) -> None:
        with target.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow([neutralise_cell(name) for name in header])
            writer.writerows(rows)

    _replace_atomically(path, write)
    return len(rows)


def write_table_csv(
    conn: duckdb.DuckDBPyConnection,
    table: str,
    path: Path,
    columns: Sequence[tuple[str, str]] | None = None,
) -> int:
    """:func:`write_csv` of a table of ``conn`` (a pack's rows held for its CSV and Parquet
    files) whose ``columns`` are (name, type) (read from the table unless given): DuckDB's
    own COPY, every text column neutralised; return the rows.

    The same statement as the relation form runs, without building a relation."""
    if columns is None:
        columns = conn.execute(
            f"select column_name, column_type from (describe {table})"
        ).fetchall()
    select = ", ".join(
        f"{neutralise_sql(_quote(name))} as {_quote(name)}" if _is_text_type(kind) else _quote(name)
        for name, kind in columns
    )
    rows = 0

    def write(target: Path) -> None:
        nonlocal rows
        literal = "'" + str(target).replace("'", "''") + "'"
        rows = conn.execute(
            f"copy (select {select} from {table}) to {literal} (FORMAT csv, HEADER true)"
        ).fetchone()[0]

    _replace_atomically(path, write)
    return rows


def append_xlsx_row(worksheet: Any, values: Sequence[Any]) -> None:
    """Append one row to an openpyxl worksheet with every text cell neutralised.

    openpyxl stores a string starting with ``=`` as a formula, so values must be
    neutralised before they reach a cell: use this instead of ``worksheet.append``.
    """
    worksheet.append([neutralise_cell(value) for value in values])


def set_xlsx_cell(worksheet: Any, row: int, column: int, value: Any) -> Any:
    """Set one openpyxl cell to ``value`` neutralised; return the cell."""
    return worksheet.cell(row=row, column=column, value=neutralise_cell(value))
