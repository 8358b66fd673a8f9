"""The Great Expectations minimisation suites pass on a good warehouse and catch violations."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from synthetic_landing import run_liia

from liia.config import load_settings
from liia.validate.minimisation import STAGING_COLUMNS, is_forbidden_column, suites
from liia.validate.runner import minimisation_suites, run_validation


def _settings(home: Path):
    return load_settings({"LIIA_HOME": str(home), "LIIA_AS_OF": "2025-11-01"})


def _copy_warehouse(source: Path, target: Path) -> Path:
    target.mkdir(parents=True)
    shutil.copy2(source / "warehouse.duckdb", target / "warehouse.duckdb")
    return target


def _corrupt(home: Path, statement: str) -> None:
    conn = duckdb.connect(str(home / "warehouse.duckdb"))
    conn.execute(statement)
    conn.close()


def test_suites_cover_every_staging_model_exactly() -> None:
    specs = suites()
    assert {spec.relation for spec in specs} == {f"staging.{m}" for m in STAGING_COLUMNS}
    assert all(spec.name.startswith("minimisation__") for spec in specs)
    extra = suites({"marts.fct_x": ["worker_hash", "birth_month", "dob"]})
    other = next(spec for spec in extra if spec.relation == "marts.fct_x")
    assert len(other.expectations) == 3  # column names, hash regex, birth month
    assert is_forbidden_column("SWENo") and is_forbidden_column("person_birth_date")
    assert not is_forbidden_column("birth_date_form") and not is_forbidden_column("birth_month")


def test_staged_warehouse_is_minimised(staged_home: Path, tmp_path: Path) -> None:
    home = _copy_warehouse(staged_home, tmp_path / "good")
    summary = run_validation(_settings(home), minimisation_suites)
    assert summary.success, str(summary)
    assert summary.expectations_evaluated >= 10
    assert summary.data_docs is not None and summary.data_docs.exists()
    assert summary.data_docs.is_relative_to(home / "gx")


@pytest.mark.parametrize(
    ("statement", "suite", "expectation"),
    [
        (
            "update staging.stg_csww__workers set swe_number_hash = 'SW' || record_number",
            "minimisation__staging__stg_csww__workers",
            "expect_column_values_to_match_regex on column swe_number_hash",
        ),
        (
            "update staging.stg_csww__workers set birth_month = birth_month + 14",
            "minimisation__staging__stg_csww__workers",
            "expect_column_values_to_match_regex on column birth_month",
        ),
        (
            "update staging.stg_csww__worker_items set item_value = 'x' where item_name = 'SWENo'",
            "minimisation__staging__stg_csww__worker_items",
            "expect_column_values_to_be_null on column item_value",
        ),
        (
            "alter table staging.stg_csww__la_level add column person_birth_date varchar",
            "minimisation__staging__stg_csww__la_level",
            "expect_table_columns_to_match_set",
        ),
        (
            "create table staging.stg_extra as select 'x' as sweno",
            "minimisation__staging__stg_extra",
            "expect_table_columns_to_match_set",
        ),
    ],
)
def test_violations_fail_naming_suite_and_expectation(
    staged_home: Path, tmp_path: Path, statement: str, suite: str, expectation: str
) -> None:
    home = _copy_warehouse(staged_home, tmp_path / "bad")
    _corrupt(home, statement)
    summary = run_validation(_settings(home), minimisation_suites)
    assert not summary.success
    text = str(summary)
    assert "FAILED" in text
    assert any(suite in line and expectation in line for line in text.splitlines()), text


@pytest.mark.slow
def test_liia_validate_passes_on_pipeline_and_fails_on_a_violation(
    demo_home: Path, tmp_path: Path
) -> None:
    good = run_liia(demo_home, "validate")
    assert good.returncode == 0, good.stdout[-4000:] + good.stderr[-2000:]
    home = _copy_warehouse(demo_home, tmp_path / "bad")
    _corrupt(home, "update staging.stg_csww__workers set birth_month = birth_month + 14")
    bad = run_liia(home, "validate")
    assert bad.returncode != 0
    assert "minimisation__staging__stg_csww__workers" in bad.stdout
    assert "birth_month" in bad.stdout
