"""Build the warehouse into a new file and swap it in only when dbt succeeded.

Analysts keep read-only connections to ``warehouse.duckdb`` open (DuckDB,
Power BI). DuckDB lets one process write a file only when nobody else holds
it, so building in place would fail on their lock, and a build would lock them
out. Instead dbt writes a copy (``warehouse.next.duckdb``: the copy keeps the
snapshot history), and the finished file replaces the live one with one
atomic rename. Readers of the old file keep their snapshot until they
reconnect; a failed build leaves the last good warehouse untouched.

The per-file models are incremental (macros/incremental_by_file.sql): a build
on the copy rebuilds only the returns that changed. It may do so only when the
tables it adds to are what a full build would have made: each successful build
records its basis (``LIIA_HOME/dbt/incremental_basis.json``: the build code's
digest, the hash key's identity, the warehouse file, landing's files), and
``--full-refresh`` is passed whenever the current basis differs (see
:func:`full_refresh_reason`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import duckdb

from liia.config import PROJECT_ROOT, Settings
from liia.dbt_runner import PRODUCTION_BUILD_ARGS, DbtFailedError, DbtTiming, run_dbt
from liia.run_state import PROJECT_CODE

FULL_REFRESH = "--full-refresh"
# What the incremental tables are made from (run_state.PROJECT_CODE) and the leak
# fixtures' models; tests (tests/dbt) are not: they read the tables, never shape them.
BUILD_CODE = (*PROJECT_CODE, "tests/dbt_fixtures")
# The builds that may add to incremental tables: the whole project, with or
# without dbt's unit tests (which build nothing). A build of a selection leaves
# the per-file models out of step with each other: the next build is a full one.
_WHOLE_BUILDS = (("build",), ("build", *PRODUCTION_BUILD_ARGS))


def next_warehouse_path(settings: Settings) -> Path:
    """Where a build writes before it is swapped in (same file system, same name)."""
    return settings.home / "build-in-progress" / settings.warehouse_path.name


def _remove_database(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + ".wal")):
        candidate.unlink(missing_ok=True)


def code_digest(root: Path = PROJECT_ROOT) -> str:
    """SHA-256 over the path and content of every file of BUILD_CODE under root."""
    from liia.run_state import project_digest

    hasher = hashlib.sha256()
    project_digest(hasher, BUILD_CODE, root)
    return hasher.hexdigest()


def key_identity() -> str:
    """Which hash key pseudonymised the tables: an HMAC of a fixed label with the
    key, so the key itself is never written down."""
    from liia.hash_key import resolve_hash_key

    key = resolve_hash_key(announce=False)
    return hmac.new(key.secret, b"liia incremental build basis", "sha256").hexdigest()


def _basis_path(settings: Settings) -> Path:
    return settings.home / "dbt" / "incremental_basis.json"


def _landing_files(settings: Settings) -> dict[str, int]:
    """The highest file id in landing's register and how many files it holds."""
    if not settings.landing_path.exists():
        return {"max_file_id": 0, "files": 0}
    conn = duckdb.connect(str(settings.landing_path), read_only=True)
    try:
        top, count = conn.execute(
            "select coalesce(max(file_id), 0), count(*) from csww.file_register"
        ).fetchone() or (0, 0)
    finally:
        conn.close()
    return {"max_file_id": int(top), "files": int(count)}


def _landing_lost_files(settings: Settings, recorded: dict[str, int]) -> bool:
    """Has landing lost a file it held at the last build (retention destroyed it)?"""
    if not settings.landing_path.exists():
        return recorded["files"] > 0
    conn = duckdb.connect(str(settings.landing_path), read_only=True)
    try:
        (still,) = conn.execute(
            "select count(*) from csww.file_register where file_id <= ?",
            [recorded["max_file_id"]],
        ).fetchone() or (0,)
    finally:
        conn.close()
    return int(still) != recorded["files"]


def full_refresh_reason(settings: Settings) -> str | None:
    """Why the next whole build must rebuild every table, or None when it may be
    incremental: no live warehouse, no record of the last build (or it was a
    partial one), the build code or the hash key changed, the warehouse file is
    not the one that build wrote (restored, rewritten by retention), or landing
    lost files since (retention: the staging screen looks for landing's
    identifiers in every file, which is sound incrementally only while they grow).
    """
    live = settings.warehouse_path
    if not live.exists():
        return "no warehouse yet"
    try:
        recorded = json.loads(_basis_path(settings).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "no record of a complete last build"
    if recorded.get("code") != code_digest():
        return "the project's code changed since the last build"
    if recorded.get("key") != key_identity():
        return "the hash key changed since the last build"
    if recorded.get("warehouse_inode") != live.stat().st_ino:
        return "the warehouse file is not the one the last build wrote"
    landing = recorded.get("landing")
    if not isinstance(landing, dict) or _landing_lost_files(settings, landing):
        return "landing lost files since the last build (retention)"
    return None


def _record_basis(settings: Settings, basis: dict[str, object]) -> None:
    """Write what a whole build was made from (taken before it ran: code edited
    during the build must not pass as the code built) and the file it wrote."""
    path = _basis_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    basis = {**basis, "warehouse_inode": settings.warehouse_path.stat().st_ino}
    path.write_text(json.dumps(basis, indent=1), encoding="utf-8")


def forget_basis(settings: Settings) -> None:
    """The next whole build must be a full one."""
    _basis_path(settings).unlink(missing_ok=True)


def build_warehouse(settings: Settings, dbt_args: Sequence[str]) -> DbtTiming:
    """Run ``dbt <dbt_args>`` on a copy of the warehouse, then swap it in.

    A whole build (``_WHOLE_BUILDS``) is incremental unless
    :func:`full_refresh_reason` gives a reason, and then gets ``--full-refresh``;
    ``timing.full_refresh_reason`` says which it was.

    Raises :class:`liia.dbt_runner.DbtFailedError` (the live warehouse is then
    unchanged and the partial copy deleted).
    """
    args = list(dbt_args)
    whole = tuple(a for a in args if a != FULL_REFRESH) in _WHOLE_BUILDS
    reason = "asked for" if FULL_REFRESH in args else None
    if whole and reason is None:
        reason = full_refresh_reason(settings)
        if reason is not None:
            args.append(FULL_REFRESH)
    # Recorded again only once this build has succeeded whole.
    forget_basis(settings)
    basis = {"code": code_digest(), "key": key_identity(), "landing": _landing_files(settings)}
    if reason:
        print(f"Build: full refresh ({reason})")
    elif whole:
        print("Build: incremental (only new, corrected or affected returns are processed)")
    timing = _build_copy(settings, args, docs=whole)
    timing.full_refresh_reason = reason
    if whole:
        _record_basis(settings, basis)
    return timing


def _generate_docs(settings: Settings, building: Path) -> None:
    """The static dbt docs of the file just built, before it is swapped in: dbt reuses
    this build's parse and manifest (same profile, same target), where a later
    ``docs generate`` on the live file would parse and compile the project again and
    need a copy of the warehouse (analysts may hold it open). The build's
    run_results.json is kept: it is what dbt_timings and the benchmark read."""
    from liia.export.analyst import generate_docs

    results = settings.dbt_target_dir / "run_results.json"
    kept = results.read_bytes() if results.exists() else None
    try:
        generate_docs(settings, building)
    except DbtFailedError as error:
        # Not a verdict on the warehouse: the export generates the docs itself.
        print(f"dbt docs: not generated with the build ({error}); the export will")
    finally:
        if kept is not None:
            results.write_bytes(kept)


def _build_copy(settings: Settings, dbt_args: Sequence[str], *, docs: bool = False) -> DbtTiming:
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
    if docs:
        _generate_docs(settings, building)
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
