"""The pan-London marts on the calibrated synthetic sample (``liia demo``): the
computed DfE indicators reproduce the published figures, region totals are sums,
and the warehouse's publication differences are exactly the published file's
self-contradictions."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import duckdb
import pytest

from tests.python.marts.published_checks import CATALOGUE, publication_differences

SEED = Path(__file__).resolve().parents[3] / "seeds" / "dfe_published_indicators.csv"
LONDON_RETURNS = 32
SUMMED_FIGURES = (
    "inpost_fte",
    "inpost_headcount",
    "leavers_fte",
    "leavers_headcount",
    "agency_fte",
    "vacancy_fte",
    "agency_cover_fte",
    "cases",
    "case_holders_fte",
    "working_days_lost_fte",
)


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


@pytest.mark.parametrize("region", ["E12000007", "E13000001", "E13000002"])
def test_region_figures_are_sums_of_borough_figures_and_rates_come_from_the_sums(
    warehouse: duckdb.DuckDBPyConnection, region: str
) -> None:
    membership = "true" if region == "E12000007" else "b.sub_region = r.sub_region"
    sums = ", ".join(f"sum(b.{name}) as {name}" for name in SUMMED_FIGURES)
    equal = ", ".join(f"s.{name} = r.{name}" for name in SUMMED_FIGURES)
    rates = ", ".join(f"r.{rate.name}" for rate in CATALOGUE.rates)
    checks = _rows(
        warehouse,
        f"""
        with sums as (
            select r.census_year, count(*) as returns_included, {sums}
            from marts.fct_la_indicators as r
            inner join marts.fct_la_indicators as b
                on b.census_year = r.census_year and b.area_type = 'borough' and {membership}
            where r.area_code = '{region}'
            group by r.census_year
        )
        select r.census_year, r.returns_included = s.returns_included, {equal},
            {", ".join(f"s.{name}" for name in SUMMED_FIGURES)}, {rates}
        from marts.fct_la_indicators as r
        inner join sums as s on r.census_year = s.census_year
        where r.area_code = '{region}'
        """,
    )
    assert checks
    for year, *row in checks:
        ok = row[: 1 + len(SUMMED_FIGURES)]
        assert all(ok), f"{region} {year}: a region figure is not the sum of its boroughs"
        # Each rate is the catalogue's formula of the summed figures (never an average).
        summed = dict(
            zip(SUMMED_FIGURES, row[len(ok) : len(ok) + len(SUMMED_FIGURES)], strict=True)
        )
        computed = row[len(ok) + len(SUMMED_FIGURES) :]
        for rate, value in zip(CATALOGUE.rates, computed, strict=True):
            expected = rate.value({name: Fraction(summed[name]) for name in rate.figures})
            assert (value is None) == (expected is None), (region, year, rate.name)
            if expected is not None:
                assert abs(value - float(expected)) < 1e-9, (region, year, rate.name)
    expected = {"E12000007": 32, "E13000001": 14, "E13000002": 18}[region]
    assert {
        row[0]
        for row in _rows(
            warehouse,
            f"select returns_expected from marts.fct_la_indicators where area_code = '{region}'",
        )
    } == {expected}


def test_worker_census_holds_every_accepted_record_and_no_raw_identifier(
    demo_home: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    landing = duckdb.connect(str(demo_home / "landing.duckdb"), read_only=True)
    try:
        accepted = dict(
            (f"{la}-{year}", rows)
            for la, year, rows in landing.execute(
                "select la_code, census_year, worker_rows from csww.file_register"
                " where status = 'accepted'"
            ).fetchall()
        )
    finally:
        landing.close()
    in_mart = dict(
        _rows(
            warehouse,
            "select la_code || '-' || census_year, count(*)"
            " from marts.fct_worker_census group by 1",
        )
    )
    assert in_mart == accepted
    columns = {
        name
        for (name,) in _rows(
            warehouse,
            "select column_name from information_schema.columns"
            " where table_name = 'fct_worker_census'",
        )
    }
    assert not columns & {"swe_no", "swe_number", "person_birth_date", "birth_date"}
    bad = _rows(
        warehouse,
        """
        select count(*) from marts.fct_worker_census
        where day(birth_month) <> 1
           or not regexp_full_match(coalesce(swe_number_hash, repeat('0', 64)), '[0-9a-f]{64}')
        """,
    )[0][0]
    assert bad == 0


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
    reconciled = _rows(
        warehouse,
        "select distinct indicator, indicator_order from marts.fct_indicator_reconciliation",
    )
    assert sorted(reconciled, key=lambda r: r[1]) == [(i.name, i.order) for i in CATALOGUE]
