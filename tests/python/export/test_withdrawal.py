"""A leak withdraws the affected boroughs' exports only, before anything is printed,
whatever happens to the output."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from liia.config import Settings
from liia.export import release
from liia.export.packs import export_all
from liia.privacy import Hit, ScanReport
from tests.python.export.small_home import liia_export_command, small_home

LEAKED = "SW900001"  # a raw SWE number held in landing: the scan's needle
REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return small_home(tmp_path, swe_numbers=(LEAKED, "SW900002"))


def _plant(settings: Settings, relative: str) -> Path:
    """A file holding a raw SWE number where an export run does not tidy up."""
    path = settings.home / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"note for the borough: {LEAKED}\n")
    return path


def _index_codes(settings: Settings) -> list[str]:
    with (settings.reports_dir / "borough_packs.csv").open(newline="") as handle:
        return [row["la_code"] for row in csv.DictReader(handle)]


def _withdrawals(settings: Settings) -> list[tuple]:
    conn = duckdb.connect(str(settings.landing_path), read_only=True)
    try:
        return conn.execute(
            "select la_code, census_year, file_id, detail from csww.audit_log "
            "where action = 'export_withdrawn' order by all"
        ).fetchall()
    finally:
        conn.close()


def test_a_leak_in_one_boroughs_exports_withdraws_that_borough_only(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    _plant(settings, "exports/la/201/notes.txt")
    assert release.export_and_scan(settings) is False
    captured = capsys.readouterr()
    assert "LEAK exports/la/201/notes.txt: 1 swe_number value(s)" in captured.out
    assert "the exports of borough(s) 201 have been withdrawn" in captured.err
    assert not (settings.exports_dir / "la" / "201").exists()
    assert (settings.exports_dir / "la" / "202" / "2024" / "workers.csv").is_file()
    assert _index_codes(settings) == ["202"]  # the index is true to the disk
    rows = _withdrawals(settings)
    assert [row[:3] for row in rows] == [("201", 2024, 1)]
    assert "borough(s) 201" in rows[0][3]


def test_a_leak_that_no_borough_owns_withdraws_every_export(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    _plant(settings, "reports/operator_notes.txt")
    assert release.export_and_scan(settings) is False
    assert "every export has been withdrawn" in capsys.readouterr().err
    assert not settings.exports_dir.exists()
    assert _index_codes(settings) == []
    rows = _withdrawals(settings)
    assert [row[:3] for row in rows] == [
        ("201", 2024, 1),
        ("202", 2024, 2),
        (None, None, None),
    ]


def test_a_clean_scan_withdraws_nothing(settings: Settings) -> None:
    assert release.export_and_scan(settings) is True
    assert _index_codes(settings) == ["201", "202"]
    assert _withdrawals(settings) == []


def test_a_scan_that_cannot_finish_withdraws_everything(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_scan(_settings: Settings) -> ScanReport:
        raise OSError("landing unreadable")

    monkeypatch.setattr(release, "scan_home", broken_scan)
    with pytest.raises(OSError, match="landing unreadable"):
        release.export_and_scan(settings)
    assert not settings.exports_dir.exists()
    assert (None, None, None) in [row[:3] for row in _withdrawals(settings)]


def test_an_export_that_crashes_is_still_scanned(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the export leaves behind is scanned, and withdrawn if it leaks."""
    real = release.export_all

    def crashing_export(settings: Settings):
        real(settings)
        _plant(settings, "exports/la/202/2024/leftover.txt")
        raise RuntimeError("export crashed after writing")

    monkeypatch.setattr(release, "export_all", crashing_export)
    with pytest.raises(RuntimeError, match="export crashed"):
        release.export_and_scan(settings)
    assert not (settings.exports_dir / "la" / "202").exists()
    assert (settings.exports_dir / "la" / "201" / "2024").is_dir()


def test_a_failing_analyst_export_stops_neither_the_packs_nor_the_scan(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    _plant(settings, "exports/la/201/notes.txt")

    def failing_export(settings: Settings) -> str:
        raise RuntimeError("no dbt manifest")

    with pytest.raises(RuntimeError, match="no dbt manifest"):
        release.export_and_scan(settings, other_exports=(failing_export,))
    assert "Privacy scan: FAILED" in capsys.readouterr().out
    assert not (settings.exports_dir / "la" / "201").exists()  # withdrawn all the same
    assert (settings.exports_dir / "la" / "202" / "2024" / "workers.csv").is_file()
    assert [row[:2] for row in _withdrawals(settings)] == [("201", 2024)]


def test_other_exports_summaries_are_printed_only_after_a_clean_scan(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert release.export_and_scan(settings, other_exports=(lambda s: "Analyst zone: 3",))
    out = capsys.readouterr().out
    assert out.index("Privacy scan: PASSED") < out.index("Analyst zone: 3")


def test_hits_tied_to_one_borough_withdraw_that_borough_and_any_other_hit_everything() -> None:
    """A warehouse row's la_code ties its hit to a borough; a hit tied to none cannot be."""
    warehouse_hit = Hit("warehouse.duckdb:staging.stg_csww__la_level.x", "swe_number", 1, ("202",))
    scan = ScanReport(hits=[warehouse_hit])
    assert release.attribute(scan) == release.Attribution(frozenset({"202"}), False)
    scan.hits.append(Hit("reports/borough_packs.csv", "hash_key", 1))
    assert release.attribute(scan).unattributable


@pytest.mark.parametrize("unbuffered", [True, False], ids=["unbuffered", "buffered"])
def test_a_closed_output_pipe_cannot_skip_the_withdrawal(
    settings: Settings, unbuffered: bool
) -> None:
    """`liia export | head -1`: the reader is gone before the first line is printed."""
    export_all(settings)  # packs from an earlier run, then the leak
    _plant(settings, "exports/la/201/notes.txt")
    env = {**os.environ, "LIIA_HOME": str(settings.home), "LIIA_INCOMING": str(settings.incoming)}
    env.pop("PYTHONUNBUFFERED", None)
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    read_end, write_end = os.pipe()
    os.close(read_end)  # closed early: every write to stdout fails with EPIPE
    try:
        done = subprocess.run(
            liia_export_command(sys.executable),
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=env,
            cwd=REPO,
            timeout=300,
        )
    finally:
        os.close(write_end)
    assert done.returncode == 4, done.stderr.decode()
    assert b"Traceback" not in done.stderr, done.stderr.decode()
    assert not (settings.exports_dir / "la" / "201").exists()
    assert (settings.exports_dir / "la" / "202" / "2024").is_dir()
    assert [row[:2] for row in _withdrawals(settings)] == [("201", 2024)]


def test_a_leak_in_the_analyst_zone_withdraws_it_whole(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    # The extracts hold every borough's rows: a hit on borough 201's row there
    # withdraws the whole analyst zone, not only 201's pack.
    analyst = settings.exports_dir / "analyst"
    analyst.mkdir(parents=True)
    conn = duckdb.connect(str(analyst / "analyst.duckdb"))
    conn.execute("create table ext_workforce_individual (la_code varchar, note varchar)")
    conn.execute("insert into ext_workforce_individual values ('201', ?), ('202', 'x')", [LEAKED])
    conn.close()
    (analyst / "ext_turnover.csv").write_text("la_code,census_year\n202,2024\n")
    assert release.export_and_scan(settings) is False
    assert "exports/analyst/ withdrawn whole" in capsys.readouterr().err
    assert not (settings.exports_dir / "analyst").exists()
    # Packs of boroughs the hit does not concern are kept.
    assert (settings.exports_dir / "la" / "202" / "2024" / "workers.csv").is_file()


def test_a_stray_leaking_file_under_exports_withdraws_everything(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    # Its identifier belongs to borough 201, but withdrawing 201's pack alone
    # would leave the file itself on disk.
    _plant(settings, "exports/notes.csv")
    assert release.export_and_scan(settings) is False
    assert "every export has been withdrawn" in capsys.readouterr().err
    assert not settings.exports_dir.exists()
