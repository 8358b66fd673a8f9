"""A pack that cannot be written never costs the previous pack, another borough's pack,
a true index or the privacy scan."""

from __future__ import annotations

import csv
import errno
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import pytest

from liia.config import Settings
from liia.export import packs
from liia.export.release import export_and_scan
from tests.python.export.small_home import liia_export_command, small_home


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return small_home(tmp_path)


def _pack(settings: Settings, la_code: str) -> Path:
    return settings.exports_dir / "la" / la_code / "2024"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _index(settings: Settings) -> list[dict[str, str]]:
    with (settings.reports_dir / "borough_packs.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


def _audit(settings: Settings, action: str) -> list[tuple]:
    conn = duckdb.connect(str(settings.landing_path), read_only=True)
    try:
        return conn.execute(
            "select la_code, census_year, file_id, detail from csww.audit_log "
            "where action = ? order by all",
            [action],
        ).fetchall()
    finally:
        conn.close()


def _fail_for(monkeypatch: pytest.MonkeyPatch, la_code: str, error: OSError) -> None:
    """Make writing one borough's pack fail halfway (after some files are written)."""
    real = packs._write_pack_files

    def write(conn, ret, target, folder):
        if ret.la_code == la_code:
            (target / "workers.csv").write_text("half-written\n")
            raise error
        return real(conn, ret, target, folder)

    monkeypatch.setattr(packs, "_write_pack_files", write)


def _change_camden_findings(settings: Settings) -> None:
    conn = duckdb.connect(str(settings.warehouse_path))
    conn.execute("update marts.fct_dq_findings set message = 'Age over 90' where la_code = '202'")
    conn.close()


def test_a_full_disk_keeps_the_previous_pack_whole_and_other_boroughs_get_theirs(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    packs.export_all(settings)
    before = _snapshot(_pack(settings, "201"))
    index_before = {row["la_code"]: row for row in _index(settings)}
    _change_camden_findings(settings)
    _fail_for(monkeypatch, "201", OSError(errno.ENOSPC, "No space left on device"))

    assert export_and_scan(settings) is True  # the scan still ran, and passed
    out = capsys.readouterr().out
    assert "201/2024: not written (OSError: No space left on device)" in out
    assert "Privacy scan: PASSED" in out

    assert _snapshot(_pack(settings, "201")) == before  # previous pack intact, not mixed
    assert "Age over 90" in (_pack(settings, "202") / "findings.csv").read_text()
    leftovers = [p.name for p in (settings.exports_dir / "la").rglob(".*")]
    assert leftovers == []  # no partial folder left behind
    index = {row["la_code"]: row for row in _index(settings)}
    assert set(index) == {"201", "202"}  # the index lists what is on disk
    assert index["201"] == index_before["201"]  # 201's row is its previous pack's
    assert index["202"]["exported_at"] >= index_before["202"]["exported_at"]
    failed = _audit(settings, "export_failed")
    assert [row[:3] for row in failed] == [("201", 2024, 1)]
    assert "No space left on device" in failed[0][3]


def test_a_first_pack_that_cannot_be_written_is_left_out_of_the_index(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fail_for(monkeypatch, "202", PermissionError(errno.EACCES, "Permission denied"))
    summary = packs.export_all(settings)
    assert [p.la_code for p in summary.packs] == ["201"]
    assert [str(f) for f in summary.failures] == [
        "202/2024: not written (PermissionError: Permission denied)"
    ]
    assert not (settings.exports_dir / "la" / "202").exists()
    assert [row["la_code"] for row in _index(settings)] == ["201"]


def test_a_file_where_a_pack_folder_must_go_fails_only_that_borough(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    """A real write failure even for root: a file stands where a folder must be made."""
    (settings.exports_dir / "la").mkdir(parents=True)
    (settings.exports_dir / "la" / "201").write_text("not a folder")
    assert export_and_scan(settings) is True
    out = capsys.readouterr().out
    assert "201/2024: not written (" in out and "Privacy scan: PASSED" in out
    assert (settings.exports_dir / "la" / "201").read_text() == "not a folder"
    assert (_pack(settings, "202") / "report.html").is_file()
    assert [row["la_code"] for row in _index(settings)] == ["202"]
    assert [row[:2] for row in _audit(settings, "export_failed")] == [("201", 2024)]
    assert [row[:2] for row in _audit(settings, "export")] == [("202", 2024)]


SETPRIV = shutil.which("setpriv")
NOBODY = 65534


@pytest.mark.skipif(
    os.geteuid() != 0 or SETPRIV is None,
    reason="needs root and setpriv to run the export as an unprivileged user",
)
def test_a_read_only_pack_folder_keeps_its_previous_pack() -> None:
    """A real read-only folder: `liia export` runs as nobody, for whom chmod holds."""
    home = Path(tempfile.mkdtemp(prefix="liia_read_only_"))  # outside root's 0700 pytest dir
    try:
        settings = small_home(home)
        packs.export_all(settings)
        before = _snapshot(_pack(settings, "201"))
        _change_camden_findings(settings)
        for path in [home, *home.rglob("*")]:
            os.chown(path, NOBODY, NOBODY, follow_symlinks=False)
        (settings.exports_dir / "la" / "201").chmod(0o555)
        env = {"PATH": os.environ["PATH"], "LIIA_HOME": str(home), "HOME": str(home)}
        done = subprocess.run(
            [
                SETPRIV,
                f"--reuid={NOBODY}",
                f"--regid={NOBODY}",
                "--clear-groups",
                *liia_export_command(sys.executable),
            ],
            capture_output=True,
            text=True,
            env=env,
            cwd=home,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        assert "201/2024: not written (PermissionError: Permission denied)" in done.stdout
        assert "Privacy scan: PASSED" in done.stdout
        assert _snapshot(_pack(settings, "201")) == before
        assert "Age over 90" in (_pack(settings, "202") / "findings.csv").read_text()
        assert {row["la_code"] for row in _index(settings)} == {"201", "202"}
        assert [row[:2] for row in _audit(settings, "export_failed")] == [("201", 2024)]
    finally:
        (home / "exports" / "la" / "201").chmod(0o755)
        shutil.rmtree(home, ignore_errors=True)


def test_an_unwritable_index_is_reported_and_the_packs_stand(settings: Settings) -> None:
    settings.reports_dir.parent.mkdir(parents=True, exist_ok=True)
    settings.reports_dir.write_text("a file where the reports folder must be")
    summary = packs.export_all(settings)
    assert [p.la_code for p in summary.packs] == ["201", "202"]
    assert summary.index_error and "the index could not be written" in str(summary)


def test_a_swap_interrupted_between_its_renames_gets_its_previous_pack_back(
    settings: Settings,
) -> None:
    """kill -9 after the previous pack was moved aside: the next run finds it again."""
    packs.export_all(settings)
    stale = settings.exports_dir / "la" / "202" / "2023"
    stale.mkdir()
    folder = _pack(settings, "202")
    folder.rename(folder.with_name(".2024.previous"))
    packs._restore_interrupted_swaps(folder.parent)
    assert folder.is_dir() and not folder.with_name(".2024.previous").exists()
    packs.export_all(settings)
    assert not stale.exists()  # a borough-year without an accepted return is tidied
    assert sorted(p.name for p in folder.parent.iterdir()) == ["2024"]
