"""Long stages show progress: plain lines in a log or a pipe."""

from __future__ import annotations

import pytest

from liia.progress import progress


def test_progress_in_a_log_is_a_few_plain_lines(capsys: pytest.CaptureFixture[str]) -> None:
    assert list(progress(range(8), "Export", "pack")) == list(range(8))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Export: 8 pack(s) to do"
    assert lines[1:4] == ["Export: 2/8 pack(s)", "Export: 4/8 pack(s)", "Export: 6/8 pack(s)"]
    assert lines[4].startswith("Export: 8 pack(s) done in ")
    assert not any("\r" in line or "\x1b" in line for line in lines)


def test_progress_of_nothing_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert list(progress([], "Validation", "suite")) == []
    out = capsys.readouterr().out
    assert "Validation: 0 suite(s) to do" in out and "0 suite(s) done" in out
