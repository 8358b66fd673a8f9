"""The Great Expectations minimisation suites pass on a good warehouse and catch violations."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from liia.config import load_settings
from liia.validate.minimisation import (
    ManifestError,
    is_forbidden_column,
    staging_contract_columns,
    suites,
)
from liia.validate.runner import minimisation_suites, run_validation, warehouse_catalogue
from tests.python.staging.synthetic_landing import run_liia


def _settings(home: Path):
    return load_settings({"LIIA_HOME": str(home), "LIIA_AS_OF": "2025-11-01"})


def _copy_warehouse(source: Path, target: Path, *, manifest: bool = False) -> Path:
    """A home holding a copy of ``source``'s warehouse (and, if asked, its dbt manifest)."""
    target.mkdir(parents=True)
    shutil.copy2(source / "warehouse.duckdb", target / "warehouse.duckdb")
    if manifest:
        (target / "dbt" / "target").mkdir(parents=True)
        shutil.copy2(_manifest(source), _manifest(target))
    return target


def _corrupt(home: Path, statement: str) -> None:
    conn = duckdb.connect(str(home / "warehouse.duckdb"))
    conn.execute(statement)
    conn.close()


def _manifest(home: Path) -> Path:
    return home / "dbt" / "target" / "manifest.json"


def test_staging_columns_come_from_the_contracts(staged_home: Path) -> None:
    """The allow-lists are the manifest's contract columns, which are exactly the built
    tables' columns (dbt enforced them), in order."""
    columns = staging_contract_columns(_manifest(staged_home))
    assert set(columns) == {
        "stg_csww__files",
        "stg_csww__workers",
        "stg_csww__worker_items",
        "stg_csww__la_level",
        "stg_csww__load_errors",
    }
    conn = duckdb.connect(str(staged_home / "warehouse.duckdb"), read_only=True)
    try:
        built = warehouse_catalogue(conn)
    finally:
        conn.close()
    for model, model_columns in columns.items():
        assert list(model_columns) == built[f"staging.{model}"], model
    assert "swe_number_hash" in columns["stg_csww__workers"]


def test_suites_cover_every_staging_model_exactly(staged_home: Path) -> None:
    columns = staging_contract_columns(_manifest(staged_home))
    specs = suites(columns)
    assert {spec.relation for spec in specs} == {f"staging.{m}" for m in columns}
    assert all(spec.name.startswith("minimisation__") for spec in specs)
    extra = suites(columns, {"marts.fct_x": ["worker_hash", "birth_month", "dob"]})
    other = next(spec for spec in extra if spec.relation == "marts.fct_x")
    assert len(other.expectations) == 3  # column names, hash regex, birth month
    assert is_forbidden_column("SWENo") and is_forbidden_column("person_birth_date")
    assert not is_forbidden_column("birth_date_form") and not is_forbidden_column("birth_month")


def test_missing_manifest_fails_clearly(staged_home: Path, tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="liia build"):
        staging_contract_columns(tmp_path / "manifest.json")
    home = _copy_warehouse(staged_home, tmp_path / "no_manifest")
    summary = run_validation(_settings(home), minimisation_suites)
    assert not summary.success
    assert "dbt manifest not found" in str(summary) and "liia build" in str(summary)


def test_staging_model_without_a_contract_is_refused(staged_home: Path, tmp_path: Path) -> None:
    manifest = json.loads(_manifest(staged_home).read_text(encoding="utf-8"))
    node = next(n for n in manifest["nodes"].values() if n.get("name") == "stg_csww__la_level")
    node["config"]["contract"]["enforced"] = False
    edited = tmp_path / "manifest.json"
    edited.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ManifestError, match="stg_csww__la_level has no enforced contract"):
        staging_contract_columns(edited)


def test_staged_warehouse_is_minimised(staged_home: Path, tmp_path: Path) -> None:
    home = _copy_warehouse(staged_home, tmp_path / "good", manifest=True)
    summary = run_validation(_settings(home), minimisation_suites)
    assert summary.success, str(summary)
    # Five column sets, the hash, the birth month, the personal items' values (the two
    # checks on how identifiers arrived are dbt's: minimisation.COVERED_BY_DBT).
    assert summary.expectations_evaluated >= 8
    assert summary.data_docs is not None and summary.data_docs.exists()
    assert summary.data_docs.is_relative_to(home / "gx")
    # GX got distinct values, not tables: the long format's personal items are two
    # (item, null) tuples, however many rows hold them.
    frames = {outcome.relation: outcome.frame_rows for outcome in summary.outcomes}
    assert frames["staging.stg_csww__worker_items"] == 2
    conn = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        (workers,) = conn.execute("select count(*) from staging.stg_csww__workers").fetchone()
    finally:
        conn.close()
    assert 0 < frames["staging.stg_csww__workers"] <= workers


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
    home = _copy_warehouse(staged_home, tmp_path / "bad", manifest=True)
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
    # On a copy: validation audits to landing, and the demo home is shared by tests
    # holding its files open beside this one.
    good_home = _copy_warehouse(demo_home, tmp_path / "good", manifest=True)
    shutil.copy2(demo_home / "landing.duckdb", good_home / "landing.duckdb")
    good = run_liia(good_home, "validate")
    assert good.returncode == 0, good.stdout[-4000:] + good.stderr[-2000:]
    home = _copy_warehouse(demo_home, tmp_path / "bad", manifest=True)
    _corrupt(home, "update staging.stg_csww__workers set birth_month = birth_month + 14")
    bad = run_liia(home, "validate")
    assert bad.returncode != 0
    assert "minimisation__staging__stg_csww__workers" in bad.stdout
    assert "birth_month" in bad.stdout
