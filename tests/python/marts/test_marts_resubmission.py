"""A corrected resubmission replaces the earlier return in the marts, and the
snapshot keeps both versions of that borough-year's return."""

from __future__ import annotations

import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import duckdb

from tests.python.conftest import run_liia

LA_CODE = "209"
CENSUS_YEAR = 2024
WORKERS_REMOVED = 3


def _resubmit(incoming: Path) -> int:
    """Write a corrected return for LA_CODE / CENSUS_YEAR with a few workers fewer,
    stamped an hour *before* the original (as ``cp -p`` or ``unzip`` keep an old
    timestamp): arriving in a later run makes it the current return all the same.
    Return its number of worker records."""
    original = incoming / LA_CODE / f"csww_{CENSUS_YEAR}.xml"
    tree = ET.parse(original)
    root = tree.getroot()
    workers = root.findall("CSWWWorker")
    for worker in workers[-WORKERS_REMOVED:]:
        root.remove(worker)
    corrected = original.with_name(f"csww_{CENSUS_YEAR}_corrected.xml")
    tree.write(corrected, encoding="utf-8", xml_declaration=True)
    older = original.stat().st_mtime - 3600
    os.utime(corrected, (older, older))
    return len(workers) - WORKERS_REMOVED


def _one(conn: duckdb.DuckDBPyConnection, sql: str, *params: object) -> tuple:
    return conn.execute(sql, list(params)).fetchall()[0]


def test_a_resubmission_replaces_the_return_and_the_snapshot_keeps_both(
    demo_home: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    shutil.copytree(demo_home, home)
    before = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        (old_rows,) = _one(
            before,
            "select count(*) from marts.fct_worker_census where la_code = ? and census_year = ?",
            LA_CODE,
            CENSUS_YEAR,
        )
        (old_file_id,) = _one(
            before,
            "select file_id from marts.fct_la_level where la_code = ? and census_year = ?",
            LA_CODE,
            CENSUS_YEAR,
        )
    finally:
        before.close()

    new_rows = _resubmit(home / "incoming")
    assert new_rows == old_rows - WORKERS_REMOVED
    # Load and build are what put a return in the marts and the snapshot; the
    # later stages (validation, packs, scan) have tests of their own.
    run_liia(home, "load")
    run_liia(home, "build", "--exclude-resource-type", "unit_test")

    conn = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        rows, files = _one(
            conn,
            """
            select count(*), count(distinct file_id) from marts.fct_worker_census
            where la_code = ? and census_year = ?
            """,
            LA_CODE,
            CENSUS_YEAR,
        )
        assert (rows, files) == (new_rows, 1)
        (new_file_id,) = _one(
            conn,
            "select file_id from marts.fct_la_level where la_code = ? and census_year = ?",
            LA_CODE,
            CENSUS_YEAR,
        )
        assert new_file_id != old_file_id
        versions = conn.execute(
            """
            select file_id, worker_rows, dbt_valid_to is null as is_current
            from snapshots.snp_csww__accepted_returns
            where return_key = ? order by dbt_valid_from
            """,
            [f"{LA_CODE}-{CENSUS_YEAR}"],
        ).fetchall()
        assert versions == [(old_file_id, old_rows, False), (new_file_id, new_rows, True)]
        # Every other borough-year still has exactly one, current, version.
        (others,) = _one(
            conn,
            """
            select count(*) from snapshots.snp_csww__accepted_returns
            where return_key <> ? and dbt_valid_to is not null
            """,
            f"{LA_CODE}-{CENSUS_YEAR}",
        )
        assert others == 0
    finally:
        conn.close()
