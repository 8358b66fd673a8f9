"""A pack's rows are selected once and written to CSV and Parquet from that one selection:
the files are those the relation form writes (same bytes of CSV, same typed rows)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from liia.export.pack_data import AcceptedReturn
from liia.export.packs import PACK_ROWS, _write_table
from liia.export.safe_csv import write_csv, write_table_csv

ROWS_SQL = """
select * from (values
    ('301', 2024, 2, '=HYPERLINK("x")', -1.5::decimal(9, 2), date '2024-09-30', ['=x'], null),
    ('301', 2024, 1, 'plain, with comma', 0.25::decimal(9, 2), null, [], 'x"y'),
    ('302', 2024, 1, 'another borough', 1::decimal(9, 2), null, [], null),
    ('301', 2023, 1, 'another year', 1::decimal(9, 2), null, [], null)
) t(la_code, census_year, record_number, note, fte, role_start, items, free)
"""
SELECT_SQL = f"select * from ({ROWS_SQL}) where la_code = $1 and census_year = $2 order by all"


def _return(la_code: str, census_year: int) -> AcceptedReturn:
    return AcceptedReturn(la_code, census_year, 1, "f.xml", "xml", 1, None, 0)


def test_pack_table_files_are_those_the_relation_writes(tmp_path: Path) -> None:
    conn = duckdb.connect()
    by_relation, by_table = tmp_path / "relation", tmp_path / "table"
    by_relation.mkdir()
    by_table.mkdir()
    rel = conn.sql(SELECT_SQL, params=["301", 2024])
    assert write_csv(rel, by_relation / "t.csv") == 2
    rel.write_parquet(str(by_relation / "t.parquet"))

    rows, columns = _write_table(conn, SELECT_SQL, _return("301", 2024), by_table, "t")

    assert rows == 2
    assert columns == [(name, str(kind)) for name, kind in zip(rel.columns, rel.types, strict=True)]
    assert (by_table / "t.csv").read_bytes() == (by_relation / "t.csv").read_bytes()
    assert "'=HYPERLINK" in (by_table / "t.csv").read_text(encoding="utf-8")
    read = "select * from read_parquet('{}')"
    assert (
        conn.execute(read.format(by_table / "t.parquet")).fetchall()
        == conn.execute(read.format(by_relation / "t.parquet")).fetchall()
    )
    described = "describe select * from read_parquet('{}')"
    assert (
        conn.execute(described.format(by_table / "t.parquet")).fetchall()
        == conn.execute(described.format(by_relation / "t.parquet")).fetchall()
    )
    # Only the borough-year asked for: the next pack's selection replaces the rows.
    rows, _ = _write_table(conn, SELECT_SQL, _return("302", 2024), by_table, "u")
    assert rows == 1
    assert conn.execute(f"select la_code from {PACK_ROWS}").fetchall() == [("302",)]
    conn.close()


def test_write_table_csv_replaces_the_file_whole_or_not_at_all(tmp_path: Path) -> None:
    conn = duckdb.connect()
    path = tmp_path / "t.csv"
    path.write_text("before\n", encoding="utf-8")
    conn.execute("create temp table t as select 1 as n")
    with pytest.raises(duckdb.Error):  # a column the table does not have
        write_table_csv(conn, "t", path, [("n", "INTEGER"), ("missing", "VARCHAR")])
    assert path.read_text(encoding="utf-8") == "before\n"
    assert not list(tmp_path.glob(".*partial"))
    assert write_table_csv(conn, "t", path) == 1
    assert path.read_text(encoding="utf-8") == "n\n1\n"
    conn.close()
