"""Each run's output is kept under LIIA_HOME/logs, plain and rotated."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from liia.run_log import plain, rotate, run_log
from tests.python.conftest import LIIA, liia_env, run_liia


def test_a_command_leaves_its_output_in_a_log(tmp_path: Path) -> None:
    result = run_liia(tmp_path / "home", "validate", check=False)
    (log,) = (tmp_path / "home" / "logs").glob("liia-validate-*.log")
    assert "run `liia build` first" in result.stderr
    assert "run `liia build` first" in log.read_text()


def test_logs_hold_no_colour_codes_or_forged_lines(tmp_path: Path) -> None:
    with run_log(tmp_path, "load") as path:
        print("\x1b[32mOK\x1b[0m file bad\rLoad: 99 accepted\x07")
        sys.stdout.flush()
    text = path.read_text()
    assert "\x1b" not in text and "\r" not in text and "\x07" not in text
    assert "OK file bad\\x0dLoad: 99 accepted\\x07" in text
    assert plain("a\tb\n") == "a\tb\n"


def test_only_the_newest_logs_are_kept(tmp_path: Path) -> None:
    for number in range(25):
        log = tmp_path / f"liia-run-{number:02d}.log"
        log.write_text("x")
        os.utime(log, (1_700_000_000 + number, 1_700_000_000 + number))
    rotate(tmp_path, keep=20)
    kept = sorted(p.name for p in tmp_path.glob("*.log"))
    assert len(kept) == 20 and kept[0] == "liia-run-05.log"


def test_a_reader_that_leaves_early_never_stops_the_run(tmp_path: Path) -> None:
    home = tmp_path / "home"
    incoming = home / "incoming" / "302"
    incoming.mkdir(parents=True)
    for year in (2021, 2022, 2023):
        (incoming / f"csww_{year}.xml").write_text(f"<Message><Header>{year}", encoding="utf-8")
    # `liia load | head -0`: the pipe is closed before the first line is printed.
    child = subprocess.Popen([LIIA, "load"], env=liia_env(home), stdout=subprocess.PIPE)
    assert child.stdout is not None
    child.stdout.close()
    returncode = child.wait(timeout=300)

    assert returncode == 0
    conn = duckdb.connect(str(home / "landing.duckdb"), read_only=True)
    try:
        (rejected,) = conn.execute(
            "select count(*) from csww.file_register where status = 'rejected'"
        ).fetchall()[0]
    finally:
        conn.close()
    assert rejected == 3
    (log,) = (home / "logs").glob("liia-load-*.log")
    assert "3 rejected" in log.read_text()
