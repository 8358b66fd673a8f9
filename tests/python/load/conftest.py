"""Fixtures for the loader's tests: a tmp incoming folder, a tmp landing database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from liia.load.loader import LoadSummary, load_incoming

CURRENT_YEAR = 2025


@pytest.fixture
def incoming(tmp_path: Path) -> Path:
    folder = tmp_path / "incoming"
    folder.mkdir()
    return folder


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    return tmp_path / "home" / "landing.duckdb"


@pytest.fixture
def load(incoming: Path, landing: Path) -> Callable[..., LoadSummary]:
    """Run the loader over ``incoming`` into ``landing`` (census years up to 2025)."""

    def run(**kwargs) -> LoadSummary:
        kwargs.setdefault("current_year", CURRENT_YEAR)
        kwargs.setdefault("progress", False)
        return load_incoming(incoming, landing, **kwargs)

    return run


@pytest.fixture
def query(landing: Path) -> Callable[..., list[tuple]]:
    """Run a read-only query against the landing database."""

    def run(sql: str, params: list | None = None) -> list[tuple]:
        conn = duckdb.connect(str(landing), read_only=True)
        try:
            return conn.execute(sql, params or []).fetchall()
        finally:
            conn.close()

    return run
