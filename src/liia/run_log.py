"""Each run's output kept under ``LIIA_HOME/logs/``, newest first, rotated.

Everything the command prints (dbt's output included: dbt_runner streams it
through Python) goes to the terminal as usual and to
``logs/liia-<command>-<timestamp>.log``. Control characters other than a
newline or tab are escaped in the file, so a hostile file name cannot forge a
line there either. Only the newest ``KEPT_LOGS`` files are kept.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TextIO

KEPT_LOGS = 20
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def plain(text: str) -> str:
    """``text`` without colour codes, other control characters shown as ``\\xNN``."""
    text = _ANSI.sub("", text).replace("\r\n", "\n")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


class _Tee:
    """A text stream writing to the terminal stream and the log file."""

    def __init__(self, stream: TextIO, log: TextIO):
        self._stream = stream
        self._log = log
        self.reader_gone = False

    def write(self, text: str) -> int:
        self._log.write(plain(text))
        if not self.reader_gone:
            try:
                self._stream.write(text)
            except (BrokenPipeError, ValueError):
                # `liia run | head -1`: the reader left. The run must not stop
                # halfway (a withdrawal skipped, a pack half-swapped): it carries
                # on, and the log keeps every line.
                self.reader_gone = True
        return len(text)

    def flush(self) -> None:
        self._log.flush()
        if not self.reader_gone:
            try:
                self._stream.flush()
            except (BrokenPipeError, ValueError):
                self.reader_gone = True

    def isatty(self) -> bool:
        return self._stream.isatty()

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def rotate(log_dir: Path, keep: int = KEPT_LOGS) -> None:
    """Delete all but the newest ``keep`` run logs."""
    logs = sorted(log_dir.glob("liia-*.log"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in logs[keep:]:
        old.unlink(missing_ok=True)


@contextmanager
def run_log(log_dir: Path, command: str) -> Iterator[Path]:
    """Copy stdout and stderr into a new log file for the duration of the block."""
    log_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = log_dir / f"liia-{command}-{stamp}.log"
    with path.open("w", encoding="utf-8") as log:
        log.write(f"liia {command} started {datetime.now():%Y-%m-%d %H:%M:%S}\n")
        out, err = sys.stdout, sys.stderr
        tees = _Tee(out, log), _Tee(err, log)
        sys.stdout, sys.stderr = tees  # type: ignore[assignment]
        try:
            yield path
        finally:
            sys.stdout, sys.stderr = out, err
            for tee, stream in zip(tees, (out, err), strict=True):
                if tee.reader_gone:
                    _silence(stream)
    rotate(log_dir)


def _silence(stream: TextIO) -> None:
    """Point a stream whose reader left at /dev/null, so Python's exit flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
