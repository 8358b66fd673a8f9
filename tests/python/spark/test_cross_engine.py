"""The same dbt project on DuckDB and on Apache Spark holds the same rows.

A small messy sample (two boroughs, two census years) is loaded once, built
with ``liia build`` (DuckDB) and ``liia build --engine spark`` with the same
test key, and every mart and extract is compared row for row
(liia.cross_engine: numbers to 9 significant digits, columns by name, rows as
a multiset), the keyed hash included. The Spark build's tables then pass the
privacy scan and the minimisation checks. ``make test-spark`` runs this alone.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import duckdb
import pytest

from liia.config import load_settings
from liia.cross_engine import compare_builds, format_table
from liia.privacy.scanner import scan_home
from tests.python.conftest import liia_env, run_liia, skip_if_fast

pytestmark = [pytest.mark.spark, pytest.mark.slow]

BOROUGHS = ("201", "301")
YEARS = "2"
# A test key of production strength: the hash must match across engines with it.
TEST_KEY = "cross-engine-test-key-0123456789abcdef0123456789abcdef"


@pytest.fixture(scope="module")
def built_home(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """LIIA_HOME after one load and both builds; the builds' wall-clock seconds."""
    skip_if_fast("Spark and dbt")
    if shutil.which("java") is None:
        pytest.skip("no Java: make java installs Debian's openjdk-17-jre-headless")
    home = tmp_path_factory.mktemp("cross_engine_home")
    sample = tmp_path_factory.mktemp("cross_engine_sample")
    run_liia(home, "generate-sample", "--out", str(sample), "--years", YEARS, "--messy")
    for la in BOROUGHS:
        shutil.copytree(sample / la, home / "incoming" / la)
    run_liia(home, "load", LIIA_HASH_KEY=TEST_KEY)
    started = time.perf_counter()
    run_liia(home, "build", "--exclude-resource-type", "unit_test", LIIA_HASH_KEY=TEST_KEY)
    duckdb_seconds = time.perf_counter() - started
    started = time.perf_counter()
    run_liia(home, "build", "--engine", "spark", LIIA_HASH_KEY=TEST_KEY)
    spark_seconds = time.perf_counter() - started
    return {"home": home, "duckdb_seconds": duckdb_seconds, "spark_seconds": spark_seconds}


def test_every_mart_and_extract_holds_the_same_rows(built_home: dict[str, object]) -> None:
    home = Path(str(built_home["home"]))
    results = compare_builds(home / "warehouse.duckdb", home / "spark" / "spark-warehouse")
    print(
        "\n"
        + format_table(
            results,
            float(str(built_home["duckdb_seconds"])),
            float(str(built_home["spark_seconds"])),
        )
    )
    tables = {f"{r.schema}.{r.table}" for r in results}
    # Every published table (the marts and the extracts of the DuckDB warehouse) is compared.
    assert len(tables) >= 15, sorted(tables)
    assert {
        "marts.dim_indicator",
        "marts.fct_worker_census",
        "extracts.ext_equality",
        "extracts.ext_movement",
        "extracts.ext_turnover",
        "extracts.ext_workforce_individual",
    } <= tables, sorted(tables)
    assert all(r.duckdb_rows > 0 for r in results if r.table == "fct_worker_census")
    # Spark builds every one of them.
    assert [f"{r.schema}.{r.table}" for r in results if r.spark_rows is None] == []
    different = [
        f"{r.schema}.{r.table}: duckdb {r.duckdb_rows} rows, spark {r.spark_rows}; "
        f"columns only in duckdb {r.columns_only_in_duckdb}, only in spark "
        f"{r.columns_only_in_spark}; {r.example_difference}"
        for r in results
        if not r.equal
    ]
    assert not different, "\n".join(different)


def test_the_keyed_hash_is_the_same_and_keyed(built_home: dict[str, object]) -> None:
    """The pseudonyms agree across engines and are those of the test key, not the demo key."""
    home = Path(str(built_home["home"]))
    spark_table = home / "spark" / "spark-warehouse" / "marts.db" / "fct_worker_census"
    conn = duckdb.connect()
    try:
        conn.execute(f"attach '{home / 'warehouse.duckdb'}' as wh (read_only)")
        spark_hashes = {
            row[0]
            for row in conn.execute(
                f"select distinct swe_number_hash from read_parquet('{spark_table}/*.parquet') "
                "where swe_number_hash is not null"
            ).fetchall()
        }
        duck_hashes = {
            row[0]
            for row in conn.execute(
                "select distinct swe_number_hash from wh.marts.fct_worker_census "
                "where swe_number_hash is not null"
            ).fetchall()
        }
    finally:
        conn.close()
    assert spark_hashes and spark_hashes == duck_hashes
    assert all(len(h) == 64 and h == h.lower() for h in spark_hashes)


def test_the_spark_build_passes_the_privacy_scan(built_home: dict[str, object]) -> None:
    home = Path(str(built_home["home"]))
    settings = load_settings(liia_env(home, LIIA_HASH_KEY=TEST_KEY))
    report = scan_home(settings, key=TEST_KEY)
    spark_files = [
        p for p in (home / "spark" / "spark-warehouse").rglob("*.parquet") if p.is_file()
    ]
    assert spark_files, "the Spark build wrote no table files"
    assert report.files_scanned >= len(spark_files)
    assert report.swe_needles > 0 and report.birth_date_needles > 0
    # Nothing of Spark's (tables, metastore, logs) holds a raw identifier or the key.
    assert not [hit for hit in report.hits if hit.location.startswith("spark/")], str(report)
    # dbt's artefacts for the Spark target hold nothing the DuckDB target's do not: on
    # so small a sample a date in the project's own files (a unit test's fixture) can
    # equal a synthetic birth date, on both targets alike.
    duckdb_target = {
        (hit.location.removeprefix("dbt/target/"), hit.kind)
        for hit in report.hits
        if hit.location.startswith("dbt/target/")
    }
    spark_target = {
        (hit.location.removeprefix("dbt/spark-target/"), hit.kind)
        for hit in report.hits
        if hit.location.startswith("dbt/spark-target/")
    }
    assert spark_target <= duckdb_target, str(report)
    assert all(hit.location.startswith("dbt/") for hit in report.hits), str(report)


def test_the_spark_tables_are_minimised(built_home: dict[str, object]) -> None:
    """No raw identifier column, hashes only, birth months only, and nothing of landing."""
    home = Path(str(built_home["home"]))
    warehouse = home / "spark" / "spark-warehouse"
    workers = warehouse / "staging.db" / "stg_csww__workers"
    conn = duckdb.connect()
    try:
        columns = {
            row[0].lower()
            for folder in warehouse.glob("*.db/*")
            if any(folder.glob("*.parquet"))
            for row in conn.execute(
                f"describe select * from read_parquet('{folder}/*.parquet')"
            ).fetchall()
        }
        bad_hashes, undegraded = conn.execute(
            "select count(*) filter (where swe_number_hash is not null "
            "and not regexp_full_match(swe_number_hash, '[0-9a-f]{64}')), "
            "count(*) filter (where day(birth_month) <> 1) "
            f"from read_parquet('{workers}/*.parquet')"
        ).fetchone()
    finally:
        conn.close()
    assert not columns & {"sweno", "swe_no", "personbirthdate", "person_birth_date"}
    assert (bad_hashes, undegraded) == (0, 0)
    # The landing tables Spark read were external and dropped after the build.
    assert not any((warehouse / "landing_csww.db").glob("*/*.parquet"))
