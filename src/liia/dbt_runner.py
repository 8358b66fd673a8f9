"""Run dbt commands against this project, with every artefact under LIIA_HOME."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from liia.config import PROJECT_ROOT, Settings

# dbt unit tests check the SQL, not the data: they belong to `make test`, not to
# every production run (they cost a third of a London build).
PRODUCTION_BUILD_ARGS = ("--exclude-resource-type", "unit_test")


class DbtFailedError(RuntimeError):
    """A dbt command ended with an error or a failing test."""


def _total_memory_bytes() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def engine_settings(environ: dict[str, str] | None = None) -> dict[str, str]:
    """DuckDB threads and memory limit for dbt, from the machine unless set.

    ``LIIA_DBT_THREADS`` and ``LIIA_DUCKDB_MEMORY_LIMIT`` override; by default
    every core and 60% of physical memory (leaving room for Python and the OS).
    profiles.yml reads both.
    """
    env = os.environ if environ is None else environ
    threads = env.get("LIIA_DBT_THREADS") or str(os.cpu_count() or 1)
    memory = env.get("LIIA_DUCKDB_MEMORY_LIMIT")
    if not memory:
        total = _total_memory_bytes()
        memory = f"{max(1, int(total * 0.6) // 2**20)}MB" if total else "4GB"
    return {"LIIA_DBT_THREADS": threads, "LIIA_DUCKDB_MEMORY_LIMIT": memory}


@dataclass
class DbtTiming:
    """How long a dbt command took, and how much of that was dbt starting up
    (reading the project, building the manifest, connecting) before any node ran."""

    seconds: float = 0.0
    startup_seconds: float | None = None
    # Set by liia.warehouse_build: why the build was a full refresh (None: incremental).
    full_refresh_reason: str | None = None


# dbt prints "Concurrency: N threads" once it has parsed the project and
# connected, just before the first node starts.
_WORK_STARTS = re.compile(r"Concurrency: \d+ threads")


def run_dbt(settings: Settings, args: Sequence[str], *, warehouse: Path | None = None) -> DbtTiming:
    """Run ``dbt <args>``; return its timing; raise DbtFailedError unless it succeeded.

    dbt runs in a child process: dbt-duckdb keeps its database connection open
    for the life of the process, which would stop the next stage from opening
    the warehouse read-only. ``warehouse`` is the database file dbt writes
    (default: the live warehouse; builds pass a new file, see warehouse_build).
    """
    settings.home.mkdir(parents=True, exist_ok=True)
    # profiles.yml reads LIIA_HOME; it must be absolute (see profiles.yml).
    env = dict(os.environ, LIIA_HOME=str(settings.home), **engine_settings())
    env["LIIA_WAREHOUSE_PATH"] = str(warehouse or settings.warehouse_path)
    if not sys.stdout.isatty():
        # Colour codes are noise in a log file or a CI transcript.
        env.setdefault("DBT_USE_COLORS", "false")
    dbt = Path(sys.executable).with_name("dbt")
    command = [
        str(dbt),
        *args,
        "--project-dir",
        str(PROJECT_ROOT),
        "--profiles-dir",
        str(PROJECT_ROOT),
        "--target-path",
        str(settings.dbt_target_dir),
        "--log-path",
        str(settings.dbt_log_dir),
    ]
    started = time.perf_counter()
    timing = DbtTiming()
    # Streamed through Python, so the run log (liia.run_log) holds dbt's output too.
    with subprocess.Popen(
        command,
        env=env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
    ) as child:
        assert child.stdout is not None
        for line in child.stdout:
            if timing.startup_seconds is None and _WORK_STARTS.search(line):
                timing.startup_seconds = time.perf_counter() - started
            sys.stdout.write(line)
        returncode = child.wait()
    sys.stdout.flush()
    timing.seconds = time.perf_counter() - started
    if returncode != 0:
        raise DbtFailedError(f"dbt {' '.join(args)} failed with exit status {returncode}")
    return timing
