"""Fixtures for the staging tests: a synthetic landing built into a warehouse once."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.python.staging.synthetic_landing import build_staging


@pytest.fixture(scope="session")
def staged_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """LIIA_HOME with the synthetic landing and the staging models built on it (demo key)."""
    home = tmp_path_factory.mktemp("staged_home")
    result = build_staging(home)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    return home
