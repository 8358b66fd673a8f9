"""Shared fixtures: the whole pipeline run once per test session on sample data.

The pipeline runs through the real ``liia`` command in a subprocess, so the
tests exercise exactly what a user runs.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = REPO_ROOT / "tests" / "fixtures"
LIIA_TOOLS_SAMPLE_XML = FIXTURES / "liia_tools_sample_csww_2022.xml"
LIIA = str(Path(sys.executable).with_name("liia"))


def liia_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a ``liia`` run whose everything lives under ``home``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIIA_")}
    env.update(
        LIIA_HOME=str(home),
        LIIA_AS_OF="2025-11-01",
        GX_ANALYTICS_ENABLED="false",
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        DO_NOT_TRACK="1",
    )
    env.update(extra)
    return env


# `make test-fast` (LIIA_TESTS_FAST=1): every test that needs dbt or a pipeline
# stage is skipped, saying so; `make test` runs them all.
FAST = os.environ.get("LIIA_TESTS_FAST") == "1"
PIPELINE_COMMANDS = frozenset(
    {"run", "demo", "build", "validate", "export", "report", "retention", "privacy-scan"}
)


def skip_if_fast(what: str) -> None:
    """Skip the calling test under `make test-fast`: it needs ``what``."""
    if FAST:
        pytest.skip(f"make test-fast: needs {what} (make test runs it)")


def run_liia(home: Path, *args: str, check: bool = True, **extra_env: str):
    """Run ``liia <args>`` with LIIA_HOME=home; return the CompletedProcess."""
    if args and args[0] in PIPELINE_COMMANDS:
        skip_if_fast(f"liia {args[0]}")
    result = subprocess.run(
        [LIIA, *args], env=liia_env(home, **extra_env), capture_output=True, text=True
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"liia {' '.join(args)} exited {result.returncode}\n"
            f"--- stdout ---\n{result.stdout[-8000:]}\n--- stderr ---\n{result.stderr[-8000:]}"
        )
    return result


# `make test` spreads the tests over every core (pytest-xdist, --dist loadfile: a
# module's tests share a worker, so a module's fixtures are built once). The homes
# that many modules read are built once for the whole session, whatever the number
# of workers: the first worker to ask builds it under a lock, the others wait for it
# and read the same home. (Grouping tests by home with --dist loadgroup would be
# simpler, but pytest-xdist 3.8 cannot group under pytest 9: its node-id suffix is
# lost.) A test never changes a shared home: it copies one to change it.
def shared_home(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]
) -> Path:
    """``name``'s home, built by ``build(home)`` once per test session."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    home, built = root / name, root / f"{name}.built"
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not built.exists():
            shutil.rmtree(home, ignore_errors=True)
            home.mkdir()
            build(home)
            built.touch()
    return home


def _build_demo(home: Path) -> None:
    result = run_liia(home, "demo")
    (home / "demo_stdout.txt").write_text(result.stdout + "\n" + result.stderr)


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """LIIA_HOME after ``liia demo``: the clean calibrated sample, fully processed."""
    skip_if_fast("liia demo")
    return shared_home(tmp_path_factory, "demo_home", _build_demo)


# The messy sample's boroughs: four London returns over three years hold every kind of
# injected problem (the generator forces each kind into a small sample), at a sixth of
# the London sample's size.
MESSY_BOROUGHS = (("202", "Camden"), ("204", "Hackney"), ("304", "Brent"), ("314", "Kingston"))


@pytest.fixture(scope="session")
def messy_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """LIIA_HOME after ``liia run`` on the messy sample of MESSY_BOROUGHS, 2023-2025; the
    injected problems are listed in ``messy_manifest.json`` there."""
    skip_if_fast("liia run")  # before generating: the tests read the run
    return shared_home(tmp_path_factory, "messy_home", _build_messy)


def _build_messy(home: Path) -> None:
    manifest = home / "messy_manifest.json"
    authorities = home / "messy_boroughs.csv"
    authorities.write_text(
        "la_code,la_name,region\n"
        + "".join(f"{code},{name},London\n" for code, name in MESSY_BOROUGHS),
        encoding="utf-8",
    )
    run_liia(
        home,
        "generate-sample",
        "--messy",
        "--manifest",
        str(manifest),
        "--authorities",
        str(authorities),
        "--years",
        "3",
        "--as-of-year",
        "2025",
    )
    result = run_liia(home, "run")
    (home / "run_stdout.txt").write_text(result.stdout + "\n" + result.stderr)


@pytest.fixture
def warehouse(demo_home: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The demo warehouse, read-only."""
    conn = duckdb.connect(str(demo_home / "warehouse.duckdb"), read_only=True)
    yield conn
    conn.close()
