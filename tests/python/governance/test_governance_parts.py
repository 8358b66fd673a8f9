"""The parts of retention on hand-made files: clean rewrite, year rules, GX results, dates."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from liia.config import Settings
from liia.governance.clean_rewrite import delete_aged_rows, rewrite_clean
from liia.governance.retention_plan import holds_row_values
from liia.governance.schedule import demo_as_of, due_for_destruction_on, is_aged_out
from liia.governance.tabular_files import aged_rows, drop_aged_rows

MARKER = "MARKER-OF-A-DESTROYED-YEAR-"


def _marked_database(path: Path) -> None:
    conn = duckdb.connect(str(path))
    try:
        conn.execute("pragma force_compression='uncompressed'")  # bytes readable as written
        conn.execute("create schema s")
        conn.execute("create sequence s.ids start 1")
        conn.execute(
            "create table s.t (id integer primary key default nextval('s.ids'), "
            "census_year integer not null, value varchar check (value <> ''), "
            "previous_census_year integer, years_since_previous integer)"
        )
        conn.execute(
            f"insert into s.t (census_year, value) select 2020, '{MARKER}' || i "
            "from range(20000) r(i)"
        )
        conn.execute(
            "insert into s.t (census_year, value, previous_census_year, years_since_previous) "
            "select 2022, 'KEPT-' || i, 2020, 2 from range(20000) r(i)"
        )
        conn.execute("create table s.flows (from_year integer, to_year integer, n integer)")
        conn.execute("insert into s.flows values (2020, 2021, 5), (2021, 2022, 6), (2022, 2023, 7)")
        conn.execute("create view s.v as select count(*) as n from s.t")
        conn.execute("checkpoint")
    finally:
        conn.close()


def test_delete_and_checkpoint_leave_the_bytes(tmp_path: Path) -> None:
    """Why retention rewrites files: DuckDB's DELETE + CHECKPOINT keeps the bytes."""
    path = tmp_path / "plain.duckdb"
    _marked_database(path)
    conn = duckdb.connect(str(path))
    conn.execute("delete from s.t where census_year < 2022")
    conn.execute("checkpoint")
    conn.close()
    assert MARKER.encode() in path.read_bytes()


def test_rewrite_clean_removes_the_bytes_and_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "db.duckdb"
    _marked_database(path)
    assert MARKER.encode() in path.read_bytes()
    deleted = rewrite_clean(path, lambda conn, alias: delete_aged_rows(conn, alias, 2022))
    assert MARKER.encode() not in path.read_bytes()
    assert {(d.table, d.census_year, d.rows) for d in deleted} == {
        ("t", 2020, 20000),
        ("flows", None, 2),
    }
    conn = duckdb.connect(str(path))
    try:
        assert conn.execute("select count(*), min(census_year) from s.t").fetchone() == (
            20000,
            2022,
        )
        # the link to the destroyed year is cut, with what it said about that return
        assert conn.execute(
            "select count(*) from s.t where previous_census_year is not null "
            "or years_since_previous is not null"
        ).fetchone() == (0,)
        assert conn.execute("select * from s.flows").fetchall() == [(2022, 2023, 7)]
        assert conn.execute("select n from s.v").fetchone() == (20000,)
        # sequence, default and constraints survive the rewrite
        conn.execute("insert into s.t (census_year, value) values (2023, 'new')")
        assert conn.execute("select max(id) from s.t").fetchone() == (40001,)
        with pytest.raises(duckdb.ConstraintException):
            conn.execute("insert into s.t (census_year, value) values (2023, '')")
    finally:
        conn.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db.duckdb"]


def test_a_failed_rewrite_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "db.duckdb"
    _marked_database(path)
    before = path.read_bytes()

    def fail(conn: duckdb.DuckDBPyConnection, alias: str) -> None:
        delete_aged_rows(conn, alias, 2022)
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        rewrite_clean(path, fail)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db.duckdb"]


def test_csv_rows_dropped_cells_kept_as_written(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text(
        "la_code,census_year,note\n301,2020,'=SUM(A1)\n301,2022,'=HYPERLINK(x)\n302,,\"a,b\"\n"
    )
    assert aged_rows(path, 2022) == {2020: 1}
    assert drop_aged_rows(path, 2022) == 1
    assert path.read_bytes() == b'la_code,census_year,note\n301,2022,\'=HYPERLINK(x)\n302,,"a,b"\n'


def test_csv_without_a_year_column_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "dictionary.csv"
    path.write_text("column,description\nla_code,borough\n")
    assert aged_rows(path, 2022) == {}
    assert drop_aged_rows(path, 2022) == 0
    assert path.read_text() == "column,description\nla_code,borough\n"


def test_parquet_rows_dropped(tmp_path: Path) -> None:
    path = tmp_path / "x.parquet"
    conn = duckdb.connect()
    conn.execute(
        f"copy (select * from (values (2020, 2021, 1), (2021, 2022, 2), (2023, 2024, 3)) "
        f"t(from_year, to_year, n)) to '{path}'"
    )
    assert drop_aged_rows(path, 2022) == 2
    assert conn.execute(f"select * from read_parquet('{path}')").fetchall() == [(2023, 2024, 3)]


@pytest.mark.parametrize(
    ("result", "holds"),
    [
        ({"result": {"partial_unexpected_list": [], "unexpected_count": 0}}, False),
        ({"result": {"partial_unexpected_list": ["SW1"], "unexpected_count": 1}}, True),
        ({"results": [{"result": {"unexpected_index_list": [{"id": 3}]}}]}, True),
        ({"result": {"observed_value": 5280}}, False),
        ({"result": {"observed_value": [2020, 2021]}}, True),
        (
            {"result": {"details": {"partial_unexpected_counts": [{"value": "x", "count": 2}]}}},
            True,
        ),
    ],
)
def test_gx_results_with_row_values(result: dict, holds: bool) -> None:
    assert holds_row_values(json.loads(json.dumps(result))) is holds


def _settings(as_of: date) -> Settings:
    return Settings(home=Path("/h"), incoming=Path("/h/i"), as_of=as_of)


def test_due_date_is_the_first_day_the_window_drops_the_year() -> None:
    settings = _settings(date(2025, 11, 1))
    assert settings.census_year_window == (2020, 2025)
    due = due_for_destruction_on(2020, settings)
    assert due == date(2026, 1, 1)
    assert is_aged_out(2020, dataclasses.replace(settings, as_of=due))
    assert not is_aged_out(2020, dataclasses.replace(settings, as_of=date(2025, 12, 31)))
    assert due_for_destruction_on(2020, dataclasses.replace(settings, retained_years=3)) == date(
        2023, 1, 1
    )


def test_the_demo_is_measured_from_the_samples_own_date() -> None:
    assert demo_as_of() == date(2025, 11, 1)
    assert _settings(demo_as_of()).census_year_window == (2020, 2025)
    assert _settings(date(2026, 12, 2)).census_year_window == (2021, 2026)  # today drops 2020


def test_liia_demo_uses_the_sample_as_of_unless_set(monkeypatch, tmp_path, capsys) -> None:
    import liia.generate.sample
    import liia.pipeline as pipeline

    seen: list[date] = []
    monkeypatch.setattr(pipeline, "run_pipeline", lambda s, **_: seen.append(s.as_of) or 0)
    monkeypatch.setattr(liia.generate.sample, "generate_sample", lambda *a, **k: "generated")
    settings = _settings(date(2026, 12, 2))
    settings = dataclasses.replace(settings, home=tmp_path, incoming=tmp_path / "in")
    monkeypatch.delenv("LIIA_AS_OF", raising=False)
    assert pipeline.run_demo(settings, seed=1, messy=False) == 0
    monkeypatch.setenv("LIIA_AS_OF", "2026-12-02")
    assert pipeline.run_demo(settings, seed=1, messy=False) == 0
    assert seen == [date(2025, 11, 1), date(2026, 12, 2)]
    assert "Demo: measured as of 2025-11-01" in capsys.readouterr().out
