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

import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from liia.config import Settings
from liia.dbt_runner import DbtFailedError, DbtTiming, run_dbt


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
    except DbtFailedError as error:
        failed = failed_nodes(settings.dbt_target_dir)
        if not failed or not set(failed) <= _extract_nodes(settings.dbt_target_dir):
            _remove_database(building)
            raise
        # Only the extracts' publication checks failed (a suppression defect a
        # borough's data exposed): the warehouse is good for everything but the
        # extracts, so it is swapped in and the borough packs still go out.
        _swap_in(building, live)
        raise ExtractsWithheldError(f"{error}: extract check(s) failed", failed) from None
    except BaseException:
        _remove_database(building)
        raise
    _swap_in(building, live)
    return timing


def _swap_in(building: Path, live: Path) -> None:
    os.replace(building, live)
    live.with_name(live.name + ".wal").unlink(missing_ok=True)


class ExtractsWithheldError(DbtFailedError):
    """dbt failed only on the use-case extracts: the warehouse was swapped in,
    the extracts must not be published (the analyst zone and the London report
    are withheld; the borough packs, built from the marts, are not)."""

    def __init__(self, message: str, failed: list[str]):
        super().__init__(message)
        self.failed = failed


def failed_nodes(target_dir: Path) -> list[str]:
    """The ``unique_id`` of every node dbt's last run did not pass (failed, errored
    or skipped), from ``run_results.json``; [] when it cannot be read."""
    try:
        results = json.loads((target_dir / "run_results.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    passed = {"success", "pass", "no-op", "warn"}
    return [r["unique_id"] for r in results.get("results", []) if r.get("status") not in passed]


def _extract_nodes(target_dir: Path) -> set[str]:
    """Every extract model, and every test of one (from dbt's manifest: generic
    tests on an extract, tests/dbt/extracts/, a test comparing an extract with a
    mart: its failure makes the extract suspect, not the mart, which has tests
    of its own)."""
    try:
        manifest = json.loads((target_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    models = {
        uid
        for uid, node in manifest.get("nodes", {}).items()
        if node.get("resource_type") == "model"
        and Path(node.get("original_file_path", "")).parts[:2] == ("models", "extracts")
    }
    tests = set()
    for uid, node in manifest.get("nodes", {}).items():
        upstream = [
            n for n in node.get("depends_on", {}).get("nodes", []) if n.startswith("model.")
        ]
        if node.get("resource_type") == "test" and set(upstream) & models:
            tests.add(uid)
    return models | tests
