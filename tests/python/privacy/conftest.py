"""Fixtures for the privacy tests (the synthetic landing helpers live in ../staging)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.python.privacy.privacy_helpers import TEST_KEY
from tests.python.staging.synthetic_landing import build_staging


@pytest.fixture(scope="session")
def keyed_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Synthetic landing + staging built with LIIA_HASH_KEY=TEST_KEY."""
    home = tmp_path_factory.mktemp("keyed_home")
    result = build_staging(home, LIIA_HASH_KEY=TEST_KEY)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    return home
