"""Analysts in DuckDB or Power BI see every mart's descriptions in the catalogue."""

from __future__ import annotations

import duckdb


def test_every_mart_and_column_carries_its_description(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    tables = warehouse.execute(
        "select table_name, comment from duckdb_tables() where schema_name = 'marts'"
    ).fetchall()
    assert len(tables) >= 9
    assert [name for name, comment in tables if not comment] == []
    bare = warehouse.execute(
        "select table_name || '.' || column_name from duckdb_columns() "
        "where schema_name = 'marts' and coalesce(comment, '') = ''"
    ).fetchall()
    assert bare == []
    (described,) = warehouse.execute(
        "select comment from duckdb_columns() where schema_name = 'marts' "
        "and table_name = 'fct_la_indicators' and column_name = 'turnover_rate_fte'"
    ).fetchall()[0]
    assert "leavers_fte" in described
