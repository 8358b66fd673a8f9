"""Each run's output is kept under LIIA_HOME/logs, plain and rotated."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from liia.run_log import plain, rotate, run_log
from tests.python.conftest import run_liia


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
