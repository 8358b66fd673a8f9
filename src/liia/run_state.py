"""What the last successful run built, validated and exported, so a rerun with
nothing new does nothing.

A stage is skipped when its fingerprint equals the one recorded the last time
it succeeded. The fingerprint covers everything a stage's output depends on:
the accepted, rejected and superseded files in landing's register (by hash),
the census-year window, the project's code (dbt models, macros, seeds, tests
and the Python package), the dbt arguments, and the hash key — by a keyed
digest of a constant, never the key. A new return, a retention deletion, a code
change or a new key changes it, and the stage runs again. The privacy scan is
never skipped.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from pathlib import Path

import duckdb

from liia.config import PROJECT_ROOT, Settings

# What the warehouse's tables are made from, besides landing and the key: dbt's
# project, and the Python package (the plugin's functions: keyed hash, identifier rule).
PROJECT_CODE = (
    "dbt_project.yml",
    "profiles.yml",
    "models",
    "macros",
    "seeds",
    "snapshots",
    "src/liia",
)
# What the warehouse, its checks and the exports are made from, besides landing.
_PROJECT_INPUTS = (*PROJECT_CODE, "tests/dbt")
STAGES = ("built", "validated", "exported")


def project_digest(
    hasher: hashlib._Hash, names: Sequence[str] = _PROJECT_INPUTS, root: Path = PROJECT_ROOT
) -> None:
    """Feed ``hasher`` the path and content of every file of ``names`` under ``root``
    (also the build's code digest: liia.warehouse_build)."""
    for name in names:
        top = root / name
        paths = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for path in paths:
            if "__pycache__" in path.parts:
                continue
            hasher.update(str(path.relative_to(root)).encode())
            hasher.update(hashlib.sha256(path.read_bytes()).digest())


def _landing_digest(hasher: hashlib._Hash, landing_path: Path) -> None:
    if not landing_path.exists():
        hasher.update(b"no landing")
        return
    conn = duckdb.connect(str(landing_path), read_only=True)
    try:
        rows = conn.execute(
            "select file_id, file_sha256, status, census_year, superseded_by "
            "from csww.file_register order by file_id"
        ).fetchall()
    finally:
        conn.close()
    hasher.update(json.dumps(rows, default=str).encode())


def fingerprint(settings: Settings, dbt_args: Sequence[str]) -> str:
    """The digest of everything this run's build, checks and exports depend on."""
    from liia.hash_key import resolve_hash_key

    hasher = hashlib.sha256()
    _landing_digest(hasher, settings.landing_path)
    project_digest(hasher)
    hasher.update(json.dumps([list(dbt_args), settings.census_year_window]).encode())
    key = resolve_hash_key(announce=False)
    hasher.update(hmac.new(key.secret, b"liia run-state fingerprint", "sha256").digest())
    return hasher.hexdigest()


class RunState:
    """The fingerprint each stage last succeeded with (``LIIA_HOME/dbt/run_state.json``)."""

    def __init__(self, settings: Settings):
        self.path = settings.home / "dbt" / "run_state.json"
        try:
            self._done: dict[str, str] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self._done = {}

    def is_current(self, stage: str, fingerprint: str) -> bool:
        return self._done.get(stage) == fingerprint

    def succeeded(self, stage: str, fingerprint: str) -> None:
        """Record a stage's success; the stages after it must run again."""
        for later in STAGES[STAGES.index(stage) :]:
            self._done.pop(later, None)
        self._done[stage] = fingerprint
        self._save()

    def forget(self, stage: str) -> None:
        """This stage's output is gone or suspect (e.g. exports withdrawn)."""
        for later in STAGES[STAGES.index(stage) :]:
            self._done.pop(later, None)
        self._save()

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self._done, indent=1), encoding="utf-8")
