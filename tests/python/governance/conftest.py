"""A small processed home (three boroughs, 2020-2025) and the same home after retention.

The sample is generated once, trimmed to three boroughs, and run through the
real ``liia run`` as of 2025-11-01 (every year kept). ``retained_home`` is a
copy of it, with analyst extracts planted where the analyst zone puts them,
after ``liia retention --as-of 2027-11-01`` (2020 and 2021 age out); what the
destroyed years held is collected from the copy BEFORE retention runs.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tests.python.conftest import run_liia, shared_home, skip_if_fast

BOROUGHS = ("201", "301", "302")
AGED_AS_OF = "2027-11-01"
FIRST_KEPT = 2022  # 2027 - 6 + 1
AGED_YEARS = (2020, 2021)


@pytest.fixture(scope="session")
def governance_incoming(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three boroughs' sample returns, 2020-2025."""
    skip_if_fast("liia run")  # every user of these returns runs the pipeline on them
    sample = tmp_path_factory.mktemp("governance_sample")
    run_liia(sample, "generate-sample", "--out", str(sample / "all"))
    incoming = sample / "incoming"
    for la in BOROUGHS:
        shutil.copytree(sample / "all" / la, incoming / la)
    shutil.rmtree(sample / "all")
    return incoming


@pytest.fixture(scope="session")
def run_home(tmp_path_factory: pytest.TempPathFactory, governance_incoming: Path) -> Path:
    """LIIA_HOME after one ``liia run`` on the three boroughs (as of 2025-11-01)."""

    def build(home: Path) -> None:
        shutil.copytree(governance_incoming, home / "incoming")
        result = run_liia(home, "run", check=False)
        # 4: the privacy scan's verdict is not what these tests check (the audit must
        # record whatever the run did); anything else means the run did not reach its end.
        assert result.returncode in (0, 4), result.stdout[-4000:] + result.stderr[-4000:]

    # Three modules read it, perhaps on different workers: built once (shared_home).
    return shared_home(tmp_path_factory, "governance_home", build)


PLANTED_DB = "governance_test_extracts.duckdb"


def plant_analyst_zone(home: Path) -> None:
    """Extracts as the analyst zone holds them: Parquet, CSV and a DuckDB file, by year.

    Planted under names of their own, beside whatever ``liia export`` wrote there.
    """
    analyst = home / "exports" / "analyst"
    analyst.mkdir(parents=True, exist_ok=True)
    conn = duckdb.connect(str(analyst / PLANTED_DB))
    try:
        conn.execute(f"attach '{home}/warehouse.duckdb' as wh (read_only)")
        conn.execute(
            "create table main.ext_test_individual as "
            "select census_year, la_code, swe_number_hash, org_role from wh.marts.fct_worker_census"
        )
        conn.execute("detach wh")
        conn.execute(
            "create table main.ext_test_movement as select 2020 as from_year, 2021 as to_year, "
            "'201' as from_la, '301' as to_la, 7 as movers_headcount union all "
            "select 2021, 2022, '301', '302', 5 union all select 2023, 2024, '302', '201', 6"
        )
        conn.execute(
            "copy (select * from main.ext_test_individual) "
            f"to '{analyst}/ext_test_individual.parquet'"
        )
        conn.execute(
            "copy (select census_year, la_code, count(*) as in_post_headcount "
            "from main.ext_test_individual group by all order by all) "
            f"to '{analyst}/ext_test_turnover.csv' (header)"
        )
    finally:
        conn.close()
    (analyst / "test_dictionary.md").write_text("# Data dictionary\n\nNo rows here.\n")


@dataclass(frozen=True)
class Before:
    """What the destroyed years held, collected before retention."""

    destroyed_only_swe: frozenset[str]  # raw SWE numbers seen only in 2020/2021
    destroyed_only_hashes: frozenset[str]  # their keyed hashes
    destroyed_file_hashes: frozenset[str]
    indicators: list[tuple]
    landing_rows_by_year: dict[int, int]
    register_csv: str


def _collect_before(home: Path) -> Before:
    landing = duckdb.connect(str(home / "landing.duckdb"), read_only=True)
    try:
        swe = {
            r[0]
            for r in landing.execute(
                'select distinct w."SWENo" from csww.workers w join csww.file_register f '
                'using (file_id) where f.census_year < ? and w."SWENo" is not null '
                'and w."SWENo" not in (select w2."SWENo" from csww.workers w2 '
                "join csww.file_register f2 using (file_id) "
                'where f2.census_year >= ? and w2."SWENo" is not null)',
                [FIRST_KEPT, FIRST_KEPT],
            ).fetchall()
        }
        files = {
            r[0]
            for r in landing.execute(
                "select file_sha256 from csww.file_register where census_year < ?", [FIRST_KEPT]
            ).fetchall()
        }
        rows = dict(
            landing.execute(
                "select f.census_year, count(*) from csww.workers w join csww.file_register f "
                "using (file_id) where f.status = 'accepted' group by 1"
            ).fetchall()
        )
    finally:
        landing.close()
    warehouse = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        hashes = {
            r[0]
            for r in warehouse.execute(
                "select distinct swe_number_hash from marts.fct_worker_census "
                "where census_year < ? and swe_number_hash is not null and swe_number_hash not in "
                "(select swe_number_hash from marts.fct_worker_census where census_year >= ? "
                "and swe_number_hash is not null)",
                [FIRST_KEPT, FIRST_KEPT],
            ).fetchall()
        }
        indicators = warehouse.execute(
            "select * from marts.fct_la_indicators where census_year >= ? order by all",
            [FIRST_KEPT],
        ).fetchall()
    finally:
        warehouse.close()
    return Before(
        frozenset(swe),
        frozenset(hashes),
        frozenset(files),
        indicators,
        rows,
        (home / "reports" / "data_assets.csv").read_text(),
    )


@dataclass(frozen=True)
class Retained:
    home: Path
    before: Before
    stdout: str


@pytest.fixture(scope="session")
def retained_home(tmp_path_factory: pytest.TempPathFactory, run_home: Path) -> Retained:
    """A copy of ``run_home`` (analyst zone planted) after retention as of 2027-11-01."""
    home = tmp_path_factory.mktemp("governance_retained") / "home"
    shutil.copytree(run_home, home)
    plant_analyst_zone(home)
    run_liia(home, "retention", "--as-of", "2025-11-01")  # register incl. the analyst zone
    before = _collect_before(home)
    assert before.destroyed_only_swe and before.destroyed_only_hashes  # the test can fail
    result = run_liia(home, "retention", LIIA_AS_OF=AGED_AS_OF)
    return Retained(home, before, result.stdout)
