"""Run dbt commands against this project, with every artefact under LIIA_HOME."""

from __future__ import annotations

import os
from collections.abc import Sequence

from dbt.cli.main import dbtRunner, dbtRunnerResult

from liia.config import PROJECT_ROOT, Settings


class DbtFailedError(RuntimeError):
    """A dbt command ended with an error or a failing test."""


def run_dbt(settings: Settings, args: Sequence[str]) -> dbtRunnerResult:
    """Run ``dbt <args>`` in-process; raise DbtFailedError unless it succeeded."""
    settings.home.mkdir(parents=True, exist_ok=True)
    # profiles.yml reads LIIA_HOME; it must be absolute (see profiles.yml).
    os.environ["LIIA_HOME"] = str(settings.home)
    full_args = [
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
    result = dbtRunner().invoke(full_args)
    if not result.success:
        reason = result.exception or "see the log above"
        raise DbtFailedError(f"dbt {' '.join(args)} failed: {reason}")
    return result
