"""End to end: ``liia demo`` in an empty folder, and the run's exit status rules."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from liia.pipeline import EXIT_PRIVACY_FAILED, EXIT_REJECTED_STRICT
from tests.python.conftest import LIIA_TOOLS_SAMPLE_XML, run_liia

LONDON_RETURNS = 32
CENSUS_YEARS = 6


def test_demo_in_an_empty_folder_processes_every_return(demo_home: Path) -> None:
    output = (demo_home / "demo_stdout.txt").read_text()
    assert "accepted" in output and "Demo finished with status 0" in output
    conn = duckdb.connect(str(demo_home / "landing.duckdb"), read_only=True)
    try:
        statuses = dict(
            conn.execute("select status, count(*) from csww.file_register group by 1").fetchall()
        )
    finally:
        conn.close()
    assert statuses == {"accepted": LONDON_RETURNS * CENSUS_YEARS}
    packs = sorted(p.name for p in (demo_home / "exports" / "la").iterdir())
    assert len(packs) == LONDON_RETURNS and "318" not in packs


def test_everything_a_run_writes_stays_under_liia_home(demo_home: Path) -> None:
    for name in ("landing.duckdb", "warehouse.duckdb", "exports", "gx"):
        assert (demo_home / name).exists(), name
    assert (demo_home / "dbt" / "target" / "manifest.json").exists()


def test_rerunning_the_same_files_changes_nothing(demo_home: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(demo_home, home)
    before = _register(home)
    result = run_liia(home, "load")
    assert _register(home) == before
    assert "unchanged" in result.stdout


def test_rejected_files_are_data_unless_strict(tmp_path: Path) -> None:
    incoming = tmp_path / "incoming"
    (incoming / "301").mkdir(parents=True)
    shutil.copy(LIIA_TOOLS_SAMPLE_XML, incoming / "301")
    (incoming / "302").mkdir()
    (incoming / "302" / "csww_2022.xml").write_text("<Message><Header>", encoding="utf-8")

    relaxed = run_liia(tmp_path / "home", "run", check=False, LIIA_INCOMING=str(incoming))
    assert relaxed.returncode == 0, relaxed.stderr[-3000:]
    strict = run_liia(
        tmp_path / "home", "run", "--strict", check=False, LIIA_INCOMING=str(incoming)
    )
    assert strict.returncode == EXIT_REJECTED_STRICT
    assert "rejected" in strict.stderr


def _register(home: Path) -> list[tuple]:
    conn = duckdb.connect(str(home / "landing.duckdb"), read_only=True)
    try:
        return conn.execute(
            "select file_id, file_sha256, status, superseded_by, worker_rows "
            "from csww.file_register order by file_id"
        ).fetchall()
    finally:
        conn.close()


def test_a_leaking_export_is_withdrawn_before_anyone_collects_it(
    demo_home: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    shutil.copytree(demo_home, home)
    conn = duckdb.connect(str(home / "landing.duckdb"), read_only=True)
    (raw_number,) = conn.execute(
        'select "SWENo" from csww.workers where "SWENo" like \'SW%\' limit 1'
    ).fetchall()[0]
    conn.close()
    # Beside the packs, where an export run does not tidy up.
    leak = home / "exports" / "notes.csv"
    leak.write_text(f"note\n{raw_number}\n", encoding="utf-8")

    result = run_liia(home, "export", check=False)

    assert result.returncode == EXIT_PRIVACY_FAILED
    assert "withdrawn" in result.stderr
    assert not (home / "exports").exists()
    conn = duckdb.connect(str(home / "landing.duckdb"), read_only=True)
    actions = [a for (a,) in conn.execute("select action from csww.audit_log").fetchall()]
    conn.close()
    # The withdrawal is audited, then the scan's own verdict.
    assert actions[-1] == "privacy_scan" and actions[-2] == "export_withdrawn"
