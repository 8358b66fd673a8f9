"""The warehouse is built into a new file and swapped in: readers never block a
build, a failed build keeps the last good warehouse, and production runs leave
dbt's unit tests to ``make test``."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from liia.config import load_settings
from liia.pipeline import EXIT_BUILD_FAILED
from liia.warehouse_build import build_warehouse
from tests.python.conftest import LIIA_TOOLS_SAMPLE_XML, liia_env, run_liia, skip_if_fast


@pytest.fixture(scope="module")
def small_run_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home after one ``liia run`` on one small return (liia-tools' sample, 301)."""
    home = tmp_path_factory.mktemp("small_run") / "home"
    (home / "incoming" / "301").mkdir(parents=True)
    shutil.copy(LIIA_TOOLS_SAMPLE_XML, home / "incoming" / "301")
    run_liia(home, "run")
    return home


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _written(home: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime) of the warehouse and of every exported file."""
    paths = [home / "warehouse.duckdb", *(p for p in (home / "exports").rglob("*") if p.is_file())]
    return {str(p.relative_to(home)): (p.stat().st_ino, p.stat().st_mtime_ns) for p in paths}


def test_a_rerun_with_nothing_new_rewrites_nothing(small_run_home: Path) -> None:
    before = _written(small_run_home)
    assert any(name.endswith("report.html") for name in before)

    result = run_liia(small_run_home, "run")

    assert _written(small_run_home) == before
    assert "build  " in result.stdout and "skipped: nothing changed since the last build" in (
        result.stdout
    )
    assert "privacy scan PASSED" in result.stdout  # the scan itself is never skipped
    assert "Run summary: finished" in result.stdout and "Where to look next:" in result.stdout


def test_a_new_return_is_built_again(small_run_home: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(small_run_home, home)
    corrected = (home / "incoming" / "301" / LIIA_TOOLS_SAMPLE_XML.name).read_text()
    corrected = corrected.replace("<NoAgencyHeadcount>71<", "<NoAgencyHeadcount>70<", 1)
    (home / "incoming" / "301" / "csww_2022_corrected.xml").write_text(corrected)

    result = run_liia(home, "run")

    assert "dbt build passed" in result.stdout and "packs and extracts written" in result.stdout


def test_an_analyst_holding_the_warehouse_open_never_blocks_a_build(small_run_home: Path) -> None:
    reader = duckdb.connect(str(small_run_home / "warehouse.duckdb"), read_only=True)
    try:
        (before,) = reader.execute("select count(*) from marts.fct_worker_census").fetchall()[0]
        result = run_liia(small_run_home, "build", check=False)
        # The reader kept its connection through the whole build and still reads.
        (during,) = reader.execute("select count(*) from marts.fct_worker_census").fetchall()[0]
    finally:
        reader.close()
    assert result.returncode == 0, result.stdout[-3000:]
    assert before == during == 30
    fresh = duckdb.connect(str(small_run_home / "warehouse.duckdb"), read_only=True)
    try:
        (after,) = fresh.execute("select count(*) from marts.fct_worker_census").fetchall()[0]
    finally:
        fresh.close()
    assert after == 30
    assert not any((small_run_home / "build-in-progress").iterdir())


def test_a_failed_build_leaves_the_last_good_warehouse(small_run_home: Path) -> None:
    live = small_run_home / "warehouse.duckdb"
    good = _sha256(live)

    result = run_liia(small_run_home, "build", "--threads", "not-a-number", check=False)

    assert result.returncode == EXIT_BUILD_FAILED
    assert _sha256(live) == good
    assert not any((small_run_home / "build-in-progress").iterdir())


def _unit_test_count(home: Path) -> int:
    manifest = json.loads((home / "dbt" / "target" / "manifest.json").read_text())
    return sum(1 for node in manifest["unit_tests"].values() if node["resource_type"])


def test_production_runs_leave_unit_tests_to_make_test(
    demo_home: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    unit_tests = _unit_test_count(demo_home)
    assert unit_tests > 20
    demo_output = (demo_home / "demo_stdout.txt").read_text()
    assert "unit_test" not in demo_output
    assert "PASS=" in demo_output

    # make test runs them: every unit test, on the demo warehouse (`dbt build`
    # runs a unit test only beside its model, so `dbt test` selects them alone).
    skip_if_fast("dbt")
    # On a copy: the demo home is shared by tests running beside this one.
    home = tmp_path / "home"
    shutil.copytree(demo_home, home, ignore=shutil.ignore_patterns("*.wal"))
    settings = load_settings(liia_env(home))
    build_warehouse(settings, ["test", "--select", "test_type:unit"])
    assert f"PASS={unit_tests} " in capfd.readouterr().out
