"""Privacy-test helpers: the test key, and running the deliberately leaking fixture model.

The fixture lives outside the project's model paths unless dbt_project.yml
lists ``tests/dbt_fixtures``; this helper runs dbt on a temporary copy of the
project whose model paths include it, so it works either way, and enables the
model with the ``liia_leak_fixture`` var. The real project is never changed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from liia.config import PROJECT_ROOT

DBT = str(Path(sys.executable).with_name("dbt"))
# The hash key of the privacy tests: distinctive, so a leak of it is found by search.
TEST_KEY = "privacy-test-key-7f3a9c1e-DO-NOT-LEAK"
FIXTURE_DIR = "tests/dbt_fixtures"
PROJECT_PARTS = ("dbt_project.yml", "models", "macros", "seeds", "snapshots", "analyses", "tests")


def project_with_fixtures(target: Path) -> Path:
    """A copy of the dbt project whose model-paths include tests/dbt_fixtures."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = PROJECT_ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("python"))
        elif source.exists():
            shutil.copy2(source, target / part)
    config_path = target / "dbt_project.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    if FIXTURE_DIR not in config.get("model-paths", []):
        config["model-paths"] = [*config.get("model-paths", ["models"]), FIXTURE_DIR]
        config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return target


def run_leak_fixture(
    home: Path, project_copy: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """``dbt run`` only the leaking model on ``home`` (its warehouse gains the leak)."""
    return subprocess.run(
        [
            DBT,
            "run",
            "--select",
            "leak_fixture",
            "--vars",
            "{liia_leak_fixture: true}",
            "--project-dir",
            str(project_copy),
            "--profiles-dir",
            str(PROJECT_ROOT),
            "--target-path",
            str(home / "dbt" / "target"),
            "--log-path",
            str(home / "dbt" / "logs"),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=project_copy,
    )
