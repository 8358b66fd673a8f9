"""The ``liia`` command's own rules: refusing to start, passing arguments on."""

from __future__ import annotations

import subprocess
from pathlib import Path

import duckdb
import pytest

from liia.errors import (
    EXIT_BUILD_FAILED,
    EXIT_NOT_READY,
    EXIT_PLATFORM,
    EXIT_REFUSED_TO_START,
    EXIT_REJECTED_STRICT,
    EXIT_USAGE,
)
from tests.python.conftest import LIIA, liia_env, run_liia


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
    (home / "incoming").mkdir(parents=True)
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
    assert result.returncode == EXIT_USAGE and "unrecognised arguments" in result.stderr


def test_usage_errors_are_not_dbt_failures(tmp_path: Path) -> None:
    result = run_liia(tmp_path, "nonsense", check=False)
    assert result.returncode == EXIT_USAGE != EXIT_BUILD_FAILED
    assert "invalid choice" in result.stderr


def test_the_version_is_printed(tmp_path: Path) -> None:
    result = run_liia(tmp_path, "--version")
    assert result.stdout.startswith("liia ") and result.stdout.strip() != "liia"


@pytest.mark.parametrize(
    ("variable", "value"), [("LIIA_AS_OF", "2025-13-01"), ("LIIA_RETAINED_YEARS", "six")]
)
def test_a_malformed_setting_is_one_sentence_naming_it(
    tmp_path: Path, variable: str, value: str
) -> None:
    result = run_liia(tmp_path, "run", check=False, **{variable: value})
    assert result.returncode == EXIT_USAGE
    assert variable in result.stderr and value in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("command", ["validate", "export"])
def test_a_stage_before_its_input_exists_says_what_to_run(tmp_path: Path, command: str) -> None:
    result = run_liia(tmp_path / "home", command, check=False)
    assert result.returncode == EXIT_NOT_READY
    assert "warehouse.duckdb" in result.stderr and "run `liia build` first" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["build", "privacy-scan"])
def test_a_stage_before_load_says_what_to_run(tmp_path: Path, command: str) -> None:
    result = run_liia(tmp_path / "home", command, check=False)
    assert result.returncode == EXIT_NOT_READY
    assert "landing.duckdb" in result.stderr and "liia load" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_database_locked_by_another_process_is_one_sentence(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    holder = duckdb.connect(str(home / "warehouse.duckdb"))  # a writer in this process
    try:
        result = run_liia(home, "validate", check=False)
    finally:
        holder.close()
    assert result.returncode == EXIT_PLATFORM
    assert "warehouse.duckdb is in use by another process" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_key_file_refuses_to_start_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-key"
    result = run_liia(tmp_path / "home", "run", check=False, LIIA_HASH_KEY_FILE=str(missing))
    assert result.returncode == EXIT_REFUSED_TO_START
    assert str(missing) in result.stderr and "Traceback" not in result.stderr


def test_a_missing_incoming_folder_is_an_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "not-there"
    for command in ("run", "load"):
        result = run_liia(tmp_path / "home", command, check=False, LIIA_INCOMING=str(missing))
        assert result.returncode == EXIT_USAGE, command
        assert str(missing) in result.stderr and "does not exist" in result.stderr
    assert not (tmp_path / "home" / "warehouse.duckdb").exists()


def test_an_empty_incoming_folder_is_a_warning_and_strict_fails_it(tmp_path: Path) -> None:
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    strict = run_liia(
        tmp_path / "home", "run", "--strict", check=False, LIIA_INCOMING=str(incoming)
    )
    assert strict.returncode == EXIT_REJECTED_STRICT
    assert "holds no file" in strict.stderr
    relaxed = run_liia(tmp_path / "home", "run", check=False, LIIA_INCOMING=str(incoming))
    assert relaxed.returncode == 0, relaxed.stderr[-3000:]
    assert "WARNING" in relaxed.stderr and "holds no file" in relaxed.stderr


def test_an_unset_home_is_announced(tmp_path: Path) -> None:
    env = {k: v for k, v in liia_env(tmp_path).items() if k != "LIIA_HOME"}
    result = subprocess.run(
        [LIIA, "validate"], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert "LIIA_HOME is not set" in result.stderr and str(tmp_path / "build") in result.stderr
