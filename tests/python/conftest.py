"""Shared fixtures: the whole pipeline run once per test session on sample data.

The pipeline runs through the real ``liia`` command in a subprocess, so the
tests exercise exactly what a user runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
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


# `make test` spreads the tests over every core (pytest-xdist, --dist loadgroup). A
# session or module home is built once per worker that asks for it, so tests are
# grouped by the home they need: every user of the London demo (or of the messy
# sample) runs on one worker, and the rest go by folder, whose conftest fixtures
# (governance, generate, privacy, staging) are then built once, not once per worker.
SHARED_HOMES = ("demo_home", "messy_home")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        home = next((name for name in SHARED_HOMES if name in item.fixturenames), None)
        group = home or Path(str(item.path)).parent.name
        item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """LIIA_HOME after ``liia demo``: the clean calibrated sample, fully processed."""
    home = tmp_path_factory.mktemp("demo_home")
    result = run_liia(home, "demo")
    (home / "demo_stdout.txt").write_text(result.stdout + "\n" + result.stderr)
    return home


# The messy sample's boroughs: four London returns over three years hold every kind of
# injected problem (the generator forces each kind into a small sample), at a sixth of
# the London sample's size.
MESSY_BOROUGHS = (("202", "Camden"), ("204", "Hackney"), ("304", "Brent"), ("314", "Kingston"))


@pytest.fixture(scope="session")
def messy_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """LIIA_HOME after ``liia run`` on the messy sample of MESSY_BOROUGHS, 2023-2025; the
    injected problems are listed in ``messy_manifest.json`` there."""
    skip_if_fast("liia run")  # before generating: the tests read the run
    home = tmp_path_factory.mktemp("messy_home")
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
    return home


@pytest.fixture
def warehouse(demo_home: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The demo warehouse, read-only."""
    conn = duckdb.connect(str(demo_home / "warehouse.duckdb"), read_only=True)
    yield conn
    conn.close()
