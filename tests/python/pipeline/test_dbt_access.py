"""Extracts can only use the published marts: dbt refuses a ref to staging or intermediate."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.python.conftest import REPO_ROOT, skip_if_fast

DBT = str(Path(sys.executable).with_name("dbt"))
PROJECT_PARTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "snapshots")


def _parse_with_extract(tmp_path: Path, referenced_model: str) -> subprocess.CompletedProcess:
    """``dbt parse`` a copy of the project with one extract referencing ``referenced_model``."""
    skip_if_fast("dbt parse")
    project = tmp_path / "project"
    project.mkdir()
    for part in PROJECT_PARTS:
        source = REPO_ROOT / part
        if source.is_dir():
            shutil.copytree(source, project / part)
        else:
            shutil.copy(source, project / part)
    (project / "models" / "extracts").mkdir(exist_ok=True)
    (project / "models" / "extracts" / "ext_probe.sql").write_text(
        f"select * from {{{{ ref('{referenced_model}') }}}}\n", encoding="utf-8"
    )
    env = dict(os.environ, LIIA_HOME=str(tmp_path / "home"))
    return subprocess.run(
        [
            DBT,
            "parse",
            "--project-dir",
            str(project),
            "--profiles-dir",
            str(project),
            "--target",
            "lint",
            "--target-path",
            str(tmp_path / "target"),
            "--log-path",
            str(tmp_path / "logs"),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    "private_model", ["stg_csww__workers", "int_csww__worker_census", "int_dq__workers"]
)
def test_an_extract_cannot_ref_staging_or_intermediate(tmp_path: Path, private_model: str) -> None:
    result = _parse_with_extract(tmp_path, private_model)
    assert result.returncode != 0
    assert "private to the 'liia_analysts' group" in result.stdout


def test_an_extract_can_ref_a_published_mart(tmp_path: Path) -> None:
    result = _parse_with_extract(tmp_path, "fct_worker_census")
    assert result.returncode == 0, result.stdout[-3000:]
