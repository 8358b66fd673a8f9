"""The warehouse is built into a new file and swapped in: readers never block a
build, a failed build keeps the last good warehouse, and production runs leave
dbt's unit tests to ``make test``."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import duckdb

from liia.pipeline import EXIT_BUILD_FAILED
from tests.python.conftest import LIIA_TOOLS_SAMPLE_XML, run_liia


def _small_home(tmp_path: Path) -> Path:
    """A home whose incoming holds one small return (liia-tools' sample, 301)."""
    home = tmp_path / "home"
    (home / "incoming" / "301").mkdir(parents=True)
    shutil.copy(LIIA_TOOLS_SAMPLE_XML, home / "incoming" / "301")
    return home


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_analyst_holding_the_warehouse_open_never_blocks_a_run(tmp_path: Path) -> None:
    home = _small_home(tmp_path)
    run_liia(home, "run")
    reader = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        (before,) = reader.execute("select count(*) from marts.fct_worker_census").fetchall()[0]
        result = run_liia(home, "run", check=False)
        # The reader kept its connection through the whole run and still reads.
        (during,) = reader.execute("select count(*) from marts.fct_worker_census").fetchall()[0]
    finally:
        reader.close()
    assert result.returncode == 0, result.stderr[-3000:]
    assert before == during == 30
    fresh = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        (after,) = fresh.execute("select count(*) from marts.fct_worker_census").fetchall()[0]
    finally:
        fresh.close()
    assert after == 30
    assert not any((home / "build-in-progress").iterdir())


def test_a_failed_build_leaves_the_last_good_warehouse(tmp_path: Path) -> None:
    home = _small_home(tmp_path)
    run_liia(home, "run")
    live = home / "warehouse.duckdb"
    good = _sha256(live)

    result = run_liia(home, "build", "--threads", "not-a-number", check=False)

    assert result.returncode == EXIT_BUILD_FAILED
    assert _sha256(live) == good
    assert not any((home / "build-in-progress").iterdir())


def _unit_test_count(home: Path) -> int:
    manifest = json.loads((home / "dbt" / "target" / "manifest.json").read_text())
    return sum(1 for node in manifest["unit_tests"].values() if node["resource_type"])


def test_production_runs_leave_unit_tests_to_make_test(demo_home: Path) -> None:
    unit_tests = _unit_test_count(demo_home)
    assert unit_tests > 20
    demo_output = (demo_home / "demo_stdout.txt").read_text()
    assert "unit_test" not in demo_output
    assert "PASS=" in demo_output

    # make test runs them: every unit test, on the demo warehouse.
    result = run_liia(demo_home, "build", "--select", "test_type:unit")
    assert f"PASS={unit_tests} " in result.stdout, result.stdout[-3000:]
