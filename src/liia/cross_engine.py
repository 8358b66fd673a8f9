"""Compare the marts and extracts one build wrote on DuckDB with another's on Spark.

DuckDB reads both: the DuckDB warehouse file, and the Parquet files of the
Spark warehouse's tables (``LIIA_HOME/spark/spark-warehouse/<schema>.db/<table>``),
so the comparison needs no Spark session. Values are normalised before they are
compared (the engines type some expressions differently): numbers as floats
rounded to 9 significant digits, dates and timestamps as ISO text, maps as
sorted key/value pairs; columns by name (Spark has no ``SELECT * REPLACE`` and
puts a replaced column last); rows as a multiset.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

COMPARED_SCHEMAS = ("marts", "extracts")


def _normalise(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        number = float(value)
        if math.isnan(number):
            return "NaN"
        return float(f"{number:.9g}")
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return tuple(sorted((_normalise(k), _normalise(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_normalise(v) for v in value)
    return value


@dataclass
class TableComparison:
    schema: str
    table: str
    duckdb_rows: int
    spark_rows: int | None
    columns_only_in_duckdb: list[str] = field(default_factory=list)
    columns_only_in_spark: list[str] = field(default_factory=list)
    rows_only_in_duckdb: int = 0
    rows_only_in_spark: int = 0
    example_difference: str = ""

    @property
    def equal(self) -> bool:
        return (
            self.spark_rows is not None
            and not self.columns_only_in_duckdb
            and not self.columns_only_in_spark
            and self.rows_only_in_duckdb == 0
            and self.rows_only_in_spark == 0
        )


def spark_table_dir(spark_warehouse: Path, schema: str, table: str) -> Path:
    return spark_warehouse / f"{schema}.db" / table


def _rows(conn: duckdb.DuckDBPyConnection, relation: str) -> tuple[list[str], list[tuple]]:
    cursor = conn.execute(f"select * from {relation}")
    columns = [d[0].lower() for d in cursor.description]
    return columns, cursor.fetchall()


def _keyed(columns: list[str], rows: list[tuple], keep: list[str]) -> Counter:
    index = [columns.index(c) for c in keep]
    return Counter(tuple(_normalise(row[i]) for i in index) for row in rows)


def duckdb_tables(warehouse: Path, schemas: tuple[str, ...] = COMPARED_SCHEMAS) -> list[tuple]:
    conn = duckdb.connect(str(warehouse), read_only=True)
    try:
        return conn.execute(
            "select table_schema, table_name from information_schema.tables "
            f"where table_schema in ({', '.join('?' for _ in schemas)}) "
            "and table_type = 'BASE TABLE' order by 1, 2",
            list(schemas),
        ).fetchall()
    finally:
        conn.close()


def compare_builds(
    warehouse: Path, spark_warehouse: Path, schemas: tuple[str, ...] = COMPARED_SCHEMAS
) -> list[TableComparison]:
    """One comparison per table of ``schemas`` in the DuckDB warehouse."""
    results = []
    conn = duckdb.connect()
    other_is_duckdb = spark_warehouse.suffix == ".duckdb"
    try:
        conn.execute(f"attach '{warehouse}' as wh (read_only)")
        if other_is_duckdb:
            # Two DuckDB builds (before and after a change to the SQL).
            conn.execute(f"attach '{spark_warehouse}' as other (read_only)")
        for schema, table in duckdb_tables(warehouse, schemas):
            duck_columns, duck_rows = _rows(conn, f'wh."{schema}"."{table}"')
            folder = spark_table_dir(spark_warehouse, schema, table)
            if other_is_duckdb:
                spark_columns, spark_rows = _rows(conn, f'other."{schema}"."{table}"')
            elif not folder.is_dir():
                results.append(TableComparison(schema, table, len(duck_rows), None))
                continue
            elif any(folder.glob("*.parquet")):
                spark_columns, spark_rows = _rows(conn, f"read_parquet('{folder}/*.parquet')")
            else:
                # Spark writes no file for an empty table.
                spark_columns, spark_rows = duck_columns, []
            comparison = TableComparison(schema, table, len(duck_rows), len(spark_rows))
            comparison.columns_only_in_duckdb = sorted(set(duck_columns) - set(spark_columns))
            comparison.columns_only_in_spark = sorted(set(spark_columns) - set(duck_columns))
            shared = sorted(set(duck_columns) & set(spark_columns))
            duck = _keyed(duck_columns, duck_rows, shared)
            spark = _keyed(spark_columns, spark_rows, shared)
            only_duck, only_spark = duck - spark, spark - duck
            comparison.rows_only_in_duckdb = sum(only_duck.values())
            comparison.rows_only_in_spark = sum(only_spark.values())
            if only_duck or only_spark:
                comparison.example_difference = _explain(shared, only_duck, only_spark)
            results.append(comparison)
    finally:
        conn.close()
    return results


def _explain(columns: list[str], only_duck: Counter, only_spark: Counter) -> str:
    duck = next(iter(only_duck), None)
    spark = next(iter(only_spark), None)
    if duck is not None and spark is not None:
        differing = [
            f"{c}: duckdb={d!r} spark={s!r}"
            for c, d, s in zip(columns, duck, spark, strict=True)
            if d != s
        ]
        return "; ".join(differing[:5])
    row = duck if duck is not None else spark
    side = "duckdb" if duck is not None else "spark"
    return f"only in {side}: {dict(zip(columns, row or (), strict=False))}"


def format_table(
    results: list[TableComparison], duckdb_seconds: float | None, spark_seconds: float | None
) -> str:
    """The comparison as a Markdown table, with both build times."""
    lines = [
        "| model | DuckDB rows | Spark rows | columns | identical |",
        "|---|---:|---:|---:|:---:|",
    ]
    for r in results:
        spark_rows = "missing" if r.spark_rows is None else str(r.spark_rows)
        columns = "differ" if r.columns_only_in_duckdb or r.columns_only_in_spark else "same"
        lines.append(
            f"| {r.schema}.{r.table} | {r.duckdb_rows} | {spark_rows} | {columns} | "
            f"{'yes' if r.equal else 'NO'} |"
        )
    if duckdb_seconds is not None or spark_seconds is not None:
        lines.append("")
        lines.append("| engine | dbt build (s) |")
        lines.append("|---|---:|")
        if duckdb_seconds is not None:
            lines.append(f"| DuckDB | {duckdb_seconds:.1f} |")
        if spark_seconds is not None:
            lines.append(f"| Spark (local[2]) | {spark_seconds:.1f} |")
    return "\n".join(lines)
