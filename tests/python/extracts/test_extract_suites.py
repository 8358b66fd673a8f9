"""The extract suites and the analyst export on small hand-made inputs, bad ones first.

A hand-written manifest stands in for dbt's (two extracts: one aggregated, one
individual); frames are validated through the same GX run the pipeline uses.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from liia.config import Settings
from liia.export.analyst import AnalystExportError, export_analyst
from liia.validate import extracts
from liia.validate.minimisation import ManifestError
from liia.validate.runner import _GxRun

HASH = "a" * 64


def _node(name: str, columns: dict[str, str], *, aggregated: bool, enforced: bool = True):
    return {
        "resource_type": "model",
        "name": name,
        "schema": "extracts",
        "description": f"{name} described",
        "config": {
            "contract": {"enforced": enforced},
            "meta": {"aggregated": aggregated, "suppression": "counts 1-4 suppressed"},
        },
        "columns": {
            column: {"name": column, "data_type": kind, "description": f"{column} described"}
            for column, kind in columns.items()
        },
    }


TURNOVER = {
    "area_code": "varchar",
    "census_year": "integer",
    "leavers_headcount": "bigint",
    "leavers_fte": "decimal(18,6)",
    "suppressed_columns": "varchar",
}
INDIVIDUAL = {"swe_number_hash": "varchar", "la_code": "varchar", "census_year": "integer"}


def _write_manifest(path: Path, *nodes: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({"nodes": {f"model.liia_csww.{n['name']}": n for n in nodes}}),
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def contracts(tmp_path_factory: pytest.TempPathFactory) -> list[extracts.ExtractContract]:
    manifest = _write_manifest(
        tmp_path_factory.mktemp("manifest") / "manifest.json",
        _node("ext_turnover", TURNOVER, aggregated=True),
        _node("ext_workforce_individual", INDIVIDUAL, aggregated=False),
    )
    return extracts.extract_contracts(manifest)


@pytest.fixture(scope="module")
def gx_run(tmp_path_factory: pytest.TempPathFactory) -> _GxRun:
    return _GxRun(tmp_path_factory.mktemp("gx_home"))


def _suite(contracts, name: str):
    return next(spec for spec in extracts.suites(contracts) if spec.relation.endswith(name))


def _turnover(**changes) -> pd.DataFrame:
    row = {
        "area_code": "202",
        "census_year": 2024,
        "leavers_headcount": 0,
        "leavers_fte": 0.0,
        "suppressed_columns": "",
    }
    rows = [dict(row, leavers_headcount=12, leavers_fte=11.5), row, dict(row, **changes)]
    return pd.DataFrame(rows)


def test_manifest_errors_name_the_file(tmp_path: Path):
    missing = tmp_path / "target" / "manifest.json"
    with pytest.raises(ManifestError, match=r"manifest not found at .*manifest\.json"):
        extracts.extract_contracts(missing)
    missing.parent.mkdir()
    missing.write_text("{not json", encoding="utf-8")
    with pytest.raises(ManifestError, match="cannot be read"):
        extracts.extract_contracts(missing)
    _write_manifest(missing, _node("ext_turnover", TURNOVER, aggregated=True, enforced=False))
    with pytest.raises(ManifestError, match="ext_turnover has no enforced contract"):
        extracts.extract_contracts(missing)
    _write_manifest(missing)
    with pytest.raises(ManifestError, match="holds no extract"):
        extracts.extract_contracts(missing)


def test_clean_extracts_pass(contracts, gx_run):
    outcome = gx_run.validate(_suite(contracts, "ext_turnover"), _turnover(), "BOOLEAN_ONLY")
    assert outcome.success, outcome.failures
    individual = pd.DataFrame(
        {"swe_number_hash": [HASH, None], "la_code": ["202", "203"], "census_year": [2024, 2025]}
    )
    outcome = gx_run.validate(
        _suite(contracts, "ext_workforce_individual"), individual, "BOOLEAN_ONLY"
    )
    assert outcome.success, outcome.failures


@pytest.mark.parametrize("count", [1, 2, 3, 4])
def test_a_small_count_in_an_aggregated_extract_is_dbts_to_catch(contracts, gx_run, count: int):
    """Small counts are dbt's assert_no_small_counts_in_aggregated_extracts (the one
    definition of the range; a failure withholds the extracts): GX no longer repeats
    it. tests/python/quality/test_gx_checks_moved_to_dbt.py plants 1 to 4 in
    ext_turnover.leavers_headcount and sees that dbt test fail on each."""
    (covered,) = extracts.COVERED_BY_DBT
    assert covered.dbt_test == "assert_no_small_counts_in_aggregated_extracts"
    assert covered.columns == ("*_headcount", "*_count")
    outcome = gx_run.validate(
        _suite(contracts, "ext_turnover"), _turnover(leavers_headcount=count), "BOOLEAN_ONLY"
    )
    assert outcome.success, outcome.failures


def test_a_hash_in_an_aggregated_extract_fails(contracts, gx_run):
    outcome = gx_run.validate(
        _suite(contracts, "ext_turnover"),
        _turnover(suppressed_columns=f"x {HASH.upper()}"),
        "BOOLEAN_ONLY",
    )
    assert outcome.failures == [
        "expect_column_values_to_not_match_regex on column suppressed_columns"
    ]


def test_an_extra_column_fails_the_exact_column_set(contracts, gx_run):
    frame = _turnover().assign(birth_month="2000-01-01")
    outcome = gx_run.validate(_suite(contracts, "ext_turnover"), frame, "BOOLEAN_ONLY")
    assert outcome.failures == ["expect_table_columns_to_match_set"]


def test_a_malformed_hash_in_the_individual_extract_fails(contracts, gx_run):
    frame = pd.DataFrame(
        {"swe_number_hash": ["SW123456"], "la_code": ["202"], "census_year": [2024]}
    )
    outcome = gx_run.validate(_suite(contracts, "ext_workforce_individual"), frame, "BOOLEAN_ONLY")
    assert outcome.failures == ["expect_column_values_to_match_regex on column swe_number_hash"]


def _settings(home: Path) -> Settings:
    return Settings(home=home, incoming=home / "incoming", as_of=date(2025, 11, 1))


def test_export_without_a_manifest_names_it_and_writes_nothing(tmp_path: Path):
    settings = _settings(tmp_path)
    with pytest.raises(AnalystExportError, match=r"manifest not found at .*manifest\.json"):
        export_analyst(settings)
    assert not (settings.exports_dir / "analyst").exists()


def test_export_of_a_missing_extract_names_it_and_leaves_no_partial_zone(tmp_path: Path):
    settings = _settings(tmp_path)
    _write_manifest(
        settings.dbt_target_dir / "manifest.json",
        _node("ext_turnover", TURNOVER, aggregated=True),
        _node("ext_workforce_individual", INDIVIDUAL, aggregated=False),
    )
    conn = duckdb.connect(str(settings.warehouse_path))
    conn.execute("create schema extracts")
    conn.execute("create table extracts.ext_turnover as select '202' as area_code")
    conn.close()
    # A previous run's zone stays as it was (the scan already passed it).
    previous = settings.exports_dir / "analyst"
    previous.mkdir(parents=True)
    (previous / "ext_turnover.csv").write_text("area_code\n201\n", encoding="utf-8")
    unreadable = r"extracts\.ext_workforce_individual cannot be read"
    with pytest.raises(AnalystExportError, match=unreadable):
        export_analyst(settings)
    assert sorted(p.name for p in settings.exports_dir.iterdir()) == ["analyst"]
    assert (previous / "ext_turnover.csv").read_text(encoding="utf-8") == "area_code\n201\n"
