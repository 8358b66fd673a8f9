"""Run dbt commands against this project, with every artefact under LIIA_HOME."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from liia.config import PROJECT_ROOT, Settings


class DbtFailedError(RuntimeError):
    """A dbt command ended with an error or a failing test."""


def run_dbt(settings: Settings, args: Sequence[str]) -> None:
    """Run ``dbt <args>``; raise DbtFailedError unless it succeeded.

    dbt runs in a child process: dbt-duckdb keeps its database connection open
    for the life of the process, which would stop the next stage from opening
    the warehouse read-only.
    """
    settings.home.mkdir(parents=True, exist_ok=True)
    # profiles.yml reads LIIA_HOME; it must be absolute (see profiles.yml).
    env = dict(os.environ, LIIA_HOME=str(settings.home))
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
    completed = subprocess.run(command, env=env, cwd=PROJECT_ROOT, check=False)
    if completed.returncode != 0:
        raise DbtFailedError(f"dbt {' '.join(args)} failed with exit status {completed.returncode}")
