"""Rows of aged-out census years in CSV and Parquet files: count them, drop them.

The same column rule as DuckDB tables (:mod:`liia.governance.clean_rewrite`):
``census_year``, else any other ``*_year`` column holding whole numbers. A CSV
is filtered line by line with the csv module, so every kept cell stays exactly
as written (formula-injection guards included); a Parquet file is rewritten by
DuckDB into a new file that replaces it.
"""

from __future__ import annotations

import csv
import os
from collections import Counter
from pathlib import Path

import duckdb

from liia.governance.clean_rewrite import YEAR_COLUMN, literal, quote

TABULAR_SUFFIXES = frozenset({".csv", ".parquet"})


def _year_columns(columns: list[str]) -> list[str]:
    if YEAR_COLUMN in columns:
        return [YEAR_COLUMN]
    return [c for c in columns if c.lower().endswith("year")]


def _as_year(text: str) -> int | None:
    value = text.strip().lstrip("'")
    return int(value) if value.isdigit() else None


def _csv_years(path: Path) -> tuple[list[str], list[list[str]], list[int | None]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        rows = list(reader)
    index = [header.index(c) for c in _year_columns(header)]
    years: list[int | None] = []
    for row in rows:
        values = [_as_year(row[i]) for i in index if i < len(row)]
        known = [v for v in values if v is not None]
        years.append(min(known) if known else None)
    return header, rows, years


def rows_by_year(path: Path, conn: duckdb.DuckDBPyConnection | None = None) -> Counter:
    """Rows of a CSV or Parquet file per census year (the oldest year a row names).

    A file with no year column counts all its rows under ``None``.
    """
    if path.suffix.lower() == ".csv":
        _, _, years = _csv_years(path)
        return Counter(years)
    own = conn is None
    conn = conn or duckdb.connect(":memory:")
    try:
        relation = f"read_parquet({literal(str(path))})"
        columns = [r[0] for r in conn.execute(f"describe select * from {relation}").fetchall()]
        year_columns = _year_columns(columns)
        year = f"least({', '.join(quote(c) for c in year_columns)})" if year_columns else "null"
        rows = conn.execute(f"select {year}, count(*) from {relation} group by all").fetchall()
        return Counter({y: n for y, n in rows})
    finally:
        if own:
            conn.close()


def aged_rows(path: Path, first_year: int) -> Counter:
    """Rows of years before ``first_year``, per year."""
    return Counter(
        {y: n for y, n in rows_by_year(path).items() if y is not None and y < first_year}
    )


def drop_aged_rows(path: Path, first_year: int) -> int:
    """Rewrite the file without the rows of years before ``first_year``; returns rows dropped."""
    dropped = sum(aged_rows(path, first_year).values())
    if not dropped:
        return 0
    fresh = path.with_name(path.name + ".retention-fresh")
    if path.suffix.lower() == ".csv":
        header, rows, years = _csv_years(path)
        with path.open("rb") as raw:  # keep the file's own line ending
            ending = "\r\n" if raw.readline().endswith(b"\r\n") else "\n"
        with fresh.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator=ending)
            writer.writerow(header)
            writer.writerows(
                row
                for row, year in zip(rows, years, strict=True)
                if year is None or year >= first_year
            )
    else:
        conn = duckdb.connect(":memory:")
        try:
            relation = f"read_parquet({literal(str(path))})"
            columns = [r[0] for r in conn.execute(f"describe select * from {relation}").fetchall()]
            keep = " and ".join(
                f"({quote(c)} is null or {quote(c)} >= {int(first_year)})"
                for c in _year_columns(columns)
            )
            conn.execute(
                f"copy (select * from {relation} where {keep}) to {literal(str(fresh))} "
                "(format parquet)"
            )
        finally:
            conn.close()
    os.replace(fresh, path)
    return dropped
