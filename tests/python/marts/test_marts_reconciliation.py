"""The pan-London marts on the calibrated synthetic sample (``liia demo``): the
computed DfE indicators reproduce the published figures, and the warehouse's
publication differences are exactly the published file's self-contradictions.

What holds for any correct build (region totals are sums, rates follow the
catalogue, one census row per landed record...) is a dbt data test that every
``dbt build`` runs, production runs included: MOVED_DATA_TESTS lists the ones
moved here from pytest, checks that the demo build ran them and that each fails
on a copy of the demo warehouse with its own defect planted."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb

from tests.python.marts.published_checks import CATALOGUE, publication_differences
from tests.python.staging.synthetic_landing import run_dbt_cli

SEED = Path(__file__).resolve().parents[3] / "seeds" / "dfe_published_indicators.csv"
LONDON_RETURNS = 32

# dbt data test (tests/dbt/) -> (the pytest assertion it replaces, a defect it must
# catch: SQL run on a copy of the demo warehouse, and the failing rows it gives).
# Each defect trips its own test only, so the counts show what each test caught.
MOVED_DATA_TESTS: dict[str, tuple[str, str, int]] = {
    "assert_region_figures_are_sums_of_boroughs": (
        "test_region_figures_are_sums_of_borough_figures_and_rates_come_from_the_sums",
        # Camden's starters FTE changed: Inner London and London are no longer its sums.
        "update marts.fct_la_indicators set starters_fte = starters_fte + 1"
        " where area_code = '202' and census_year = 2024",
        2,
    ),
    "assert_indicator_rates_follow_the_catalogue": (
        "test_region_figures_are_sums_of_borough_figures_and_rates_come_from_the_sums",
        # London's turnover rate as the average of its boroughs' rates.
        "update marts.fct_la_indicators set turnover_rate_fte = (select avg(turnover_rate_fte)"
        " from marts.fct_la_indicators where area_type = 'borough' and census_year = 2024)"
        " where area_code = 'E12000007' and census_year = 2024",
        1,
    ),
    "assert_worker_census_holds_every_accepted_record": (
        "test_worker_census_holds_every_accepted_record_and_no_raw_identifier",
        "delete from marts.fct_worker_census where record_number = 1"
        " and file_id = (select min(file_id) from marts.fct_worker_census)",
        1,
    ),
    "assert_worker_census_is_minimised": (
        "test_worker_census_holds_every_accepted_record_and_no_raw_identifier",
        "update marts.fct_worker_census set birth_month = birth_month + interval 14 day,"
        " swe_number_hash = upper(swe_number_hash) where record_number = 1"
        " and file_id = (select max(file_id) from marts.fct_worker_census)",
        2,
    ),
    "assert_reconciliation_covers_every_indicator": (
        "test_dim_indicator_is_the_python_catalogue (the reconciled indicators)",
        "delete from marts.fct_indicator_reconciliation"
        " where area_code = '202' and census_year = 2024 and indicator = 'cases'",
        1,
    ),
    "assert_hashes_only_in_the_individual_extract": (
        "test_extracts_demo: test_only_the_movement_and_individual_extracts_may_hold_hashes",
        "update extracts.ext_turnover set area_name = repeat('ab', 32)"
        " where area_code = '202' and census_year = 2024;"
        " update extracts.ext_workforce_individual set swe_number_hash = upper(swe_number_hash)"
        " where swe_number_hash = (select min(swe_number_hash)"
        " from extracts.ext_workforce_individual)",
        2,
    ),
    "assert_load_errors_hold_no_identifier": (
        "test_staging_models: test_load_error_messages_hold_no_identifier_shape",
        "insert into staging.stg_csww__load_errors values"
        " (1, '202/return.xml', '202', 1, 'SWENo', 'record 1: SW123456 is not valid', now())",
        1,
    ),
}


def _test_results(home: Path) -> dict[str, dict]:
    """The data tests of the last dbt command in ``home``, by name."""
    results = json.loads((home / "dbt" / "target" / "run_results.json").read_text())
    return {
        result["unique_id"].split(".")[2]: result
        for result in results["results"]
        if result["unique_id"].startswith("test.")
    }


def _rows(conn: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return conn.execute(sql).fetchall()


def test_every_published_borough_figure_is_within_rounding_or_a_publication_difference(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    outside = _rows(
        warehouse,
        """
        select area_code, census_year, indicator, published_text, computed_value
        from marts.fct_indicator_reconciliation
        where area_type = 'borough' and status = 'outside_rounding'
        order by census_year, area_code, indicator_order
        """,
    )
    listed = "\n".join(
        f"  {code} {year} {indicator}: published {text}, computed {value}"
        for code, year, indicator, text, value in outside
    )
    assert len(outside) == 0, f"{len(outside)} borough figures outside rounding:\n{listed}"
    compared = _rows(
        warehouse,
        """
        select count(*) filter (where status = 'within_rounding'),
               count(*) filter (where published_value is not null)
        from marts.fct_indicator_reconciliation where area_type = 'borough'
        """,
    )[0]
    # 32 returns x 6 years x up to 17 published numeric indicators, minus x/u/c/z.
    assert compared[0] > 3000
    assert compared[1] > compared[0]


def test_publication_differences_are_the_published_files_own_contradictions(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    years = {
        year
        for (year,) in _rows(warehouse, "select distinct census_year from marts.fct_la_indicators")
    }
    flagged = set(
        _rows(
            warehouse,
            """
            select area_code, census_year, indicator from marts.fct_indicator_reconciliation
            where status = 'publication_difference'
            """,
        )
    )
    assert ("202", 2024, "absence_rate_fte") in flagged  # Camden 2024, the known case
    assert flagged == publication_differences(SEED, years)


def test_every_borough_year_is_reconciled(warehouse: duckdb.DuckDBPyConnection) -> None:
    per_year = dict(
        _rows(
            warehouse,
            """
            select census_year, count(distinct area_code) from marts.fct_indicator_reconciliation
            where area_type = 'borough' group by census_year
            """,
        )
    )
    assert per_year and set(per_year.values()) == {LONDON_RETURNS}
    # The joint Kingston/Richmond return is published as '314 / 318' and reconciled as 314.
    joint = _rows(
        warehouse,
        """
        select count(*) from marts.fct_indicator_reconciliation
        where area_code = '314' and status = 'within_rounding'
        """,
    )[0][0]
    assert joint > 0


def test_dim_indicator_is_the_python_catalogue(warehouse: duckdb.DuckDBPyConnection) -> None:
    """dbt (var() and Jinja) and Python (yaml and ast) read one catalogue the same way."""
    rows = _rows(
        warehouse,
        "select indicator, indicator_order, indicator_type, formula, decimals, is_published"
        " from marts.dim_indicator order by indicator_order",
    )
    assert rows == [
        (i.name, i.order, "rate" if i.is_rate else "base_figure", i.formula(), i.decimals,
         i.published)
        for i in CATALOGUE
    ]  # fmt: skip
    # That fct_indicator_reconciliation reconciles each of these indicators, at its
    # position, is assert_reconciliation_covers_every_indicator (MOVED_DATA_TESTS).


def test_the_demo_build_ran_and_passed_every_moved_data_test(demo_home: Path) -> None:
    """`liia demo` builds as production does (unit tests excluded): the moved tests ran."""
    results = _test_results(demo_home)
    assert {name: results.get(name, {}).get("status") for name in MOVED_DATA_TESTS} == {
        name: "pass" for name in MOVED_DATA_TESTS
    }


def test_every_moved_data_test_fails_on_its_planted_defect(demo_home: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    for database in ("landing.duckdb", "warehouse.duckdb"):
        shutil.copy(demo_home / database, home / database)
    conn = duckdb.connect(str(home / "warehouse.duckdb"))
    try:
        for _, defect, _ in MOVED_DATA_TESTS.values():
            conn.execute(defect)
    finally:
        conn.close()

    result = run_dbt_cli(home, "test", "--select", *MOVED_DATA_TESTS)

    assert result.returncode == 1, result.stdout[-3000:]
    results = _test_results(home)
    assert {name: (results[name]["status"], results[name]["failures"]) for name in results} == {
        name: ("fail", rows) for name, (_, _, rows) in MOVED_DATA_TESTS.items()
    }
