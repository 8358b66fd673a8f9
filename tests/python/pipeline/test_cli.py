"""The ``liia`` command's own rules: refusing to start, passing arguments on."""

from __future__ import annotations

from pathlib import Path

import pytest

from liia.pipeline import EXIT_REFUSED_TO_START
from tests.python.conftest import run_liia


@pytest.mark.parametrize("command", ["run", "demo", "build"])
def test_production_without_a_key_refuses_to_start(tmp_path: Path, command: str) -> None:
    home = tmp_path / "home"
    result = run_liia(home, command, check=False, LIIA_ENV="production")
    assert result.returncode == EXIT_REFUSED_TO_START
    assert "refusing to start" in result.stderr and "LIIA_HASH_KEY" in result.stderr
    assert not (home / "warehouse.duckdb").exists()
    assert not (home / "incoming").exists()


def test_production_with_a_key_file_builds(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text("a-test-key-for-this-test-only-0123456789abcdef\n", encoding="utf-8")
    home = tmp_path / "home"
    production = {"LIIA_ENV": "production", "LIIA_HASH_KEY_FILE": str(key_file)}
    run_liia(home, "load", **production)
    result = run_liia(
        home,
        "build",
        "--select",
        "staging",
        "--indirect-selection",
        "cautious",
        check=False,
        **production,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "DEMO hash key" not in result.stderr


def test_unknown_arguments_are_an_error_except_for_dbt(tmp_path: Path) -> None:
    result = run_liia(tmp_path, "load", "--select", "x", check=False)
    assert result.returncode == 2 and "unrecognised arguments" in result.stderr
