"""Validation reads no relation whole: GX gets the distinct values DuckDB computes.

A real DuckDB file holds a 200,000-row table of repeated values; the real runner
validates it with real GX suites. The frames GX receives (``frame_rows``) are as
long as the longest list of distinct values, a planted bad value is caught all
the same, and GX gives the same verdict on the distinct values as on all rows.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import great_expectations.expectations as gxe
import pytest
from great_expectations.expectations.row_conditions import Column

from liia.config import Settings
from liia.validate.frames import UnsupportedExpectation, value_frame
from liia.validate.minimisation import HASH_REGEX
from liia.validate.quality import SWE_NUMBER_LIKE
from liia.validate.runner import _GxRun, run_validation, warehouse_catalogue
from liia.validate.suite_spec import SuiteSpec

ROWS = 200_000
RELATION = "marts.fct_big"
HASHES = 50  # distinct pseudonyms; the longest list of distinct values
COLUMNS = ["la_code", "fte", "message", "item_name", "item_value", "worker_hash", "notes"]


def _build(path: Path) -> None:
    conn = duckdb.connect(str(path))
    conn.execute("create schema marts")
    conn.execute(
        f"""
        create table {RELATION} as
        select
            ['201', '202', '203', '204', '205'][1 + i % 5] as la_code,
            cast((1 + i % 10) / 10 as decimal(9, 6)) as fte,
            ['LA-level cover', 'Ethnicity ''XXXX'' is not a DfE code', null][1 + i % 3]
                as message,
            ['SWENo', 'PersonBirthDate', 'FTE30', 'Ethnicity'][1 + i % 4] as item_name,
            case when i % 4 = 2 then cast(i % 7 as varchar) when i % 4 = 3 then 'WBRI' end
                as item_value,
            sha256('worker ' || (i % {HASHES})) as worker_hash,
            repeat('x', 200) || i as notes
        from range({ROWS}) as t(i)
        """
    )
    conn.close()


def _quality() -> SuiteSpec:
    return SuiteSpec(
        "quality_fct_big",
        RELATION,
        [
            gxe.ExpectColumnValuesToBeInSet(
                column="la_code", value_set=["201", "202", "203", "204", "205"]
            ),
            gxe.ExpectColumnValuesToBeBetween(column="fte", min_value=0, max_value=1),
            gxe.ExpectColumnValuesToNotMatchRegex(column="message", regex=SWE_NUMBER_LIKE),
        ],
    )


def _minimisation() -> SuiteSpec:
    return SuiteSpec(
        "minimisation__marts__fct_big",
        RELATION,
        [
            gxe.ExpectTableColumnsToMatchSet(column_set=COLUMNS, exact_match=True),
            gxe.ExpectColumnValuesToMatchRegex(column="worker_hash", regex=HASH_REGEX),
            gxe.ExpectColumnValuesToBeNull(
                column="item_value",
                row_condition=Column("item_name").is_in(["SWENo", "PersonBirthDate"]),
            ),
        ],
    )


def _select(settings: Settings, catalogue: dict[str, list[str]]):
    return [(_quality(), "SUMMARY"), (_minimisation(), "BOOLEAN_ONLY")]


@pytest.fixture(scope="module")
def big_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("big_home")
    _build(home / "warehouse.duckdb")
    return home


def _settings(home: Path) -> Settings:
    return Settings(home=home, incoming=home / "incoming", as_of=date(2025, 11, 1))


def _copy(home: Path, target: Path) -> Path:
    target.mkdir()
    (target / "warehouse.duckdb").write_bytes((home / "warehouse.duckdb").read_bytes())
    return target


def test_no_relation_is_read_whole(big_home: Path) -> None:
    summary = run_validation(_settings(big_home), _select)
    assert summary.success, str(summary)
    frames = {outcome.name: outcome.frame_rows for outcome in summary.outcomes}
    # la_code 5, fte 10, message 2 (null is not a value): the longest list is fte's.
    assert frames["quality_fct_big"] == 10
    # worker_hash: 50 distinct; item_value only where item_name is personal (2 tuples).
    assert frames["minimisation__marts__fct_big"] == HASHES
    assert all(rows is not None and rows <= HASHES < ROWS for rows in frames.values())


def test_the_frame_holds_only_the_named_columns_distinct(big_home: Path) -> None:
    conn = duckdb.connect(str(big_home / "warehouse.duckdb"), read_only=True)
    try:
        columns = warehouse_catalogue(conn)[RELATION]
        quality = value_frame(conn, RELATION, columns, _quality().expectations)
        minimisation = value_frame(conn, RELATION, columns, _minimisation().expectations)
    finally:
        conn.close()
    assert list(quality.columns) == ["la_code", "fte", "message"]  # notes never read
    assert quality["fte"].nunique() == len(quality) == 10
    # A column-set check sees every column; one no check names is nulls only.
    assert list(minimisation.columns) == COLUMNS
    assert minimisation["notes"].isna().all()
    assert sorted(minimisation["item_name"].dropna()) == ["PersonBirthDate", "SWENo"]


@pytest.mark.parametrize(
    ("statement", "suite", "failure"),
    [
        (
            "update marts.fct_big set fte = 1.5 where rowid < 1000",
            "quality_fct_big",
            "expect_column_values_to_be_between on column fte (1 distinct value(s) unexpected)",
        ),
        (
            "update marts.fct_big set la_code = '999' where rowid = 0",
            "quality_fct_big",
            "expect_column_values_to_be_in_set on column la_code (1 distinct value(s)",
        ),
        (
            "update marts.fct_big set message = 'record 3: SWENo SW123456' where rowid = 0",
            "quality_fct_big",
            "expect_column_values_to_not_match_regex on column message",
        ),
        (
            "update marts.fct_big set worker_hash = upper(worker_hash) where rowid = 0",
            "minimisation__marts__fct_big",
            "expect_column_values_to_match_regex on column worker_hash",
        ),
        (
            "update marts.fct_big set item_value = 'x' where item_name = 'SWENo' and rowid < 8",
            "minimisation__marts__fct_big",
            "expect_column_values_to_be_null on column item_value",
        ),
    ],
)
def test_a_value_planted_in_one_row_of_many_is_caught(
    big_home: Path, tmp_path: Path, statement: str, suite: str, failure: str
) -> None:
    home = _copy(big_home, tmp_path / "bad")
    conn = duckdb.connect(str(home / "warehouse.duckdb"))
    conn.execute(statement)  # a few of the 200,000 rows
    conn.close()
    summary = run_validation(_settings(home), _select)
    assert not summary.success
    outcome = next(o for o in summary.outcomes if o.name == suite)
    assert any(line.startswith(failure) for line in outcome.failures), outcome.failures
    assert len(outcome.failures) == 1, outcome.failures
    assert outcome.frame_rows is not None and outcome.frame_rows <= HASHES + 1


@pytest.mark.slow  # GX over the whole 200,000-row table: the comparison's other side
def test_distinct_values_give_the_verdict_all_rows_give(big_home: Path, tmp_path: Path) -> None:
    """GX on the whole table and GX on the distinct values agree, check by check,
    on a clean table and on one with bad values in many rows."""
    home = _copy(big_home, tmp_path / "both")
    run = _GxRun(tmp_path / "gx_home")
    for plant in (
        None,
        "update marts.fct_big set fte = 2, worker_hash = 'SW1' where rowid % 7 = 0",
    ):
        conn = duckdb.connect(str(home / "warehouse.duckdb"))
        if plant:
            conn.execute(plant)
        try:
            whole = conn.sql(f"select * from {RELATION}").df()
            columns = warehouse_catalogue(conn)[RELATION]
            for suite in (_quality, _minimisation):
                # A suite's expectations belong to one GX suite: a fresh spec each time.
                distinct = value_frame(conn, RELATION, columns, suite().expectations)
                on_all = run.validate(suite(), whole, "BOOLEAN_ONLY")
                on_distinct = run.validate(suite(), distinct, "BOOLEAN_ONLY")
                assert on_distinct.failures == on_all.failures, suite
                assert bool(on_all.failures) == bool(plant), suite
        finally:
            conn.close()


@pytest.mark.parametrize(
    "expectation",
    [
        gxe.ExpectColumnValuesToNotBeNull(column="la_code"),
        gxe.ExpectColumnValuesToBeUnique(column="worker_hash"),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["la_code", "fte"]),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="fte", column_B="fte"),
        gxe.ExpectTableRowCountToBeBetween(min_value=1),
        gxe.ExpectColumnValuesToBeBetween(column="fte", min_value=0, mostly=0.9),
    ],
)
def test_a_check_that_needs_every_row_is_refused(
    big_home: Path, expectation: gxe.Expectation
) -> None:
    """Such checks are dbt's: the runner reports the suite as an error, never a pass."""
    conn = duckdb.connect(str(big_home / "warehouse.duckdb"), read_only=True)
    try:
        with pytest.raises(UnsupportedExpectation):
            value_frame(conn, RELATION, COLUMNS, [expectation])
    finally:
        conn.close()
    spec = SuiteSpec("quality_refused", RELATION, [expectation])
    summary = run_validation(_settings(big_home), lambda s, c: [(spec, "SUMMARY")])
    (outcome,) = summary.outcomes
    assert not outcome.success and outcome.error and "dbt" in outcome.error


def test_a_missing_column_fails_its_check(big_home: Path) -> None:
    spec = SuiteSpec(
        "quality_missing",
        RELATION,
        [gxe.ExpectColumnValuesToBeBetween(column="no_such_column", min_value=0)],
    )
    summary = run_validation(_settings(big_home), lambda s, c: [(spec, "SUMMARY")])
    (outcome,) = summary.outcomes
    assert outcome.error is None
    assert outcome.failures and "no_such_column" in outcome.failures[0]
