"""Participating authorities from outside London (LIIA_AUTHORITIES_FILE, as W2 configures them).

One London borough (201) and two synthetic authorities (S001, S002) over two census
years, through the real ``liia run``: the build and validation pass, dim_la holds the
authorities the seed does not, each gets its borough rows and its pack, and London's
area rows (sub-regions and London) still sum London's boroughs only.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from liia.config import Authority
from liia.generate.authorities import synthetic_authorities, write_authorities
from tests.python.conftest import run_liia, skip_if_fast

LONDON_BOROUGH = Authority("201", "City of London", "London")


@pytest.fixture(scope="module")
def england_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    skip_if_fast("liia run")
    home = tmp_path_factory.mktemp("authorities_elsewhere")
    authorities = write_authorities(
        home / "authorities.csv", [LONDON_BOROUGH, *synthetic_authorities(2)]
    )
    run_liia(
        home,
        "generate-sample",
        "--authorities",
        str(authorities),
        "--years",
        "2",
        "--as-of-year",
        "2025",
    )
    result = run_liia(home, "run", LIIA_AUTHORITIES_FILE=str(authorities))
    (home / "run_stdout.txt").write_text(result.stdout + "\n" + result.stderr)
    return home


def _query(home: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def test_dim_la_adds_the_authorities_the_seed_does_not_hold(england_home: Path) -> None:
    rows = _query(
        england_home,
        "select la_code, la_name, region_name, sub_region_code, return_la_code, is_returning_la "
        "from marts.dim_la where la_code like 'S%' order by la_code",
    )
    assert rows == [
        ("S001", "Synthetic Authority 001", "North East", None, "S001", True),
        ("S002", "Synthetic Authority 002", "North West", None, "S002", True),
    ]
    # the London seed's 33 are all still there
    assert _query(england_home, "select count(*) from marts.dim_la where ons_code is not null") == [
        (33,)
    ]


def test_every_authority_has_borough_rows_and_london_sums_only_london(england_home: Path) -> None:
    boroughs = _query(
        england_home,
        "select la_code, count(*) from marts.fct_la_indicators "
        "where area_type = 'borough' group by la_code order by la_code",
    )
    assert boroughs == [("201", 2), ("S001", 2), ("S002", 2)]
    london = _query(
        england_home,
        "select r.census_year, r.inpost_fte, b.inpost_fte, r.returns_included "
        "from marts.fct_la_indicators r join marts.fct_la_indicators b "
        "on b.census_year = r.census_year and b.la_code = '201' "
        "where r.area_code = 'E12000007' order by r.census_year",
    )
    assert len(london) == 2
    for _year, london_fte, borough_fte, included in london:
        assert included == 1
        assert london_fte == borough_fte


def test_each_authority_gets_its_own_pack(england_home: Path) -> None:
    packs = england_home / "exports" / "la"
    assert sorted(p.name for p in packs.iterdir() if p.is_dir()) == ["201", "S001", "S002"]
