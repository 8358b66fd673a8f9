"""Build the warehouse into a new file and swap it in only when dbt succeeded.

Analysts keep read-only connections to ``warehouse.duckdb`` open (DuckDB,
Power BI). DuckDB lets one process write a file only when nobody else holds
it, so building in place would fail on their lock, and a build would lock them
out. Instead dbt writes a copy (``warehouse.next.duckdb``: the copy keeps the
snapshot history), and the finished file replaces the live one with one
atomic rename. Readers of the old file keep their snapshot until they
reconnect; a failed build leaves the last good warehouse untouched.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from liia.config import Settings
from liia.dbt_runner import DbtTiming, run_dbt


def next_warehouse_path(settings: Settings) -> Path:
    """Where a build writes before it is swapped in (same file system, same name)."""
    return settings.home / "build-in-progress" / settings.warehouse_path.name


def _remove_database(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + ".wal")):
        candidate.unlink(missing_ok=True)


def build_warehouse(settings: Settings, dbt_args: Sequence[str]) -> DbtTiming:
    """Run ``dbt <dbt_args>`` on a copy of the warehouse, then swap it in.

    Raises :class:`liia.dbt_runner.DbtFailedError` (the live warehouse is then
    unchanged and the partial copy deleted).
    """
    live = settings.warehouse_path
    building = next_warehouse_path(settings)
    _remove_database(building)
    building.parent.mkdir(parents=True, exist_ok=True)
    if live.exists():
        shutil.copyfile(live, building)
        wal = live.with_name(live.name + ".wal")
        if wal.exists():
            # Left by a writer that died: DuckDB replays it on open.
            shutil.copyfile(wal, building.with_name(building.name + ".wal"))
    try:
        timing = run_dbt(settings, dbt_args, warehouse=building)
    except BaseException:
        _remove_database(building)
        raise
    os.replace(building, live)
    live.with_name(live.name + ".wal").unlink(missing_ok=True)
    return timing
