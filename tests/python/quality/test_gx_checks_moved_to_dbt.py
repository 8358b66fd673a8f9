"""Each check GX no longer makes (it restated dbt) is a dbt test that catches a bad value.

``COVERED_BY_DBT`` of liia.validate.quality, minimisation and extracts lists the
checks dropped from the Great Expectations suites (issue 14). Here each is found
in the project's dbt files, with the same values GX used to check; and, on a copy
of the demo warehouse with a bad value planted for each, ``dbt test`` fails every
one of those tests (the assertion moved, not dropped).
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from liia.validate import extracts, minimisation, quality
from liia.validate.frames import check_supported
from liia.validate.suite_spec import CoveredByDbt
from tests.python.quality.dbt_project_tests import (
    MODEL_LEVEL,
    contract,
    generic_tests,
    singular_test_sql,
)
from tests.python.staging.synthetic_landing import copy_home, run_dbt_cli

COVERED = (*quality.COVERED_BY_DBT, *minimisation.COVERED_BY_DBT, *extracts.COVERED_BY_DBT)
GENERIC = {"not_null", "unique", "accepted_values", "relationships"}
# The sets the dropped GX checks held: dbt's accepted_values must hold the same.
SETS_GX_CHECKED = {
    ("stg_csww__files", "status"): {"accepted", "rejected", "superseded"},
    ("stg_csww__workers", "swe_number_form"): {
        "canonical",
        "normalised",
        "sender_hashed",
        "invalid",
        "missing",
    },
    ("stg_csww__workers", "birth_date_form"): {"valid", "invalid", "missing"},
    ("fct_dq_findings", "severity"): {"error", "warning"},
    ("fct_dq_findings", "category"): {"format", "completeness", "pair", "logic"},
}


def _label(covered: CoveredByDbt) -> str:
    return f"{covered.model}.{'+'.join(covered.columns)}:{covered.dbt_test}"


@pytest.mark.parametrize("covered", COVERED, ids=_label)
def test_each_check_left_to_dbt_is_declared_there(covered: CoveredByDbt) -> None:
    if covered.dbt_test == "contract":
        enforced, types = contract(covered.model)
        assert enforced and all(types[c] == "boolean" for c in covered.columns)
    elif covered.dbt_test == "unique_combination_of_columns":
        arguments = generic_tests(covered.model)[MODEL_LEVEL][covered.dbt_test]
        assert arguments["combination_of_columns"] == list(covered.columns)
    elif covered.dbt_test in GENERIC:
        (column,) = covered.columns
        arguments = generic_tests(covered.model)[column][covered.dbt_test]
        if (covered.model, column) in SETS_GX_CHECKED:
            assert set(arguments["values"]) == SETS_GX_CHECKED[(covered.model, column)]
            assert "where" not in arguments.get("config", {})  # every row, as GX checked
    else:
        sql = singular_test_sql(covered.dbt_test)
        if "*" not in covered.model:
            assert f"ref('{covered.model}')" in sql
        for column in covered.columns:
            # "*_headcount": every column so named, found from the graph
            text = f"endswith('{column[1:]}')" if column.startswith("*") else column
            assert text in sql, (covered.dbt_test, text)


def test_the_census_flags_in_set_is_the_contract_and_the_la_code_dim_la() -> None:
    # fct_worker_census.la_code: dim_la is the London seed plus the participating
    # authorities, the codes GX accepted (liia.validate.quality.expected_la_codes).
    census = generic_tests("fct_worker_census")
    assert census["la_code"]["relationships"] == {"to": "ref('dim_la')", "field": "la_code"}


def test_every_remaining_check_can_run_on_distinct_values() -> None:
    """What is left in GX needs no whole table (liia.validate.frames); the checks
    that would (not null, unique, pairs) are gone to dbt."""
    contracts = [
        extracts.ExtractContract(
            name,
            "extracts",
            "",
            aggregated,
            "",
            tuple(extracts.ExtractColumn(c, "varchar", "") for c in ("area_code", "x_hash")),
        )
        for name, aggregated in (("ext_turnover", True), ("ext_movement", False))
    ]
    specs = [
        *quality.suites(),
        *extracts.suites(contracts),
        *minimisation.suites(
            {"stg_csww__workers": ("swe_number_hash", "birth_month", "swe_number_form")},
            {"marts.fct_x": ["worker_hash", "birth_month"]},
        ),
    ]
    for spec in specs:
        for expectation in spec.expectations:
            check_supported(expectation)
    kinds = {type(e).__name__ for spec in specs for e in spec.expectations}
    assert not kinds & {"ExpectColumnValuesToNotBeNull", "ExpectColumnValuesToNotBeInSet"}


def _keys(conn: duckdb.DuckDBPyConnection, relation: str, key: str, count: int) -> list:
    rows = conn.execute(f"select {key} from {relation} order by {key} limit {count}").fetchall()
    assert len(rows) == count, f"{relation} holds fewer than {count} rows to plant in"
    return [row if len(row) > 1 else row[0] for row in rows]


def _plant(conn: duckdb.DuckDBPyConnection) -> None:
    """One bad value for each dropped check, each in its own row where counts matter."""
    (file_id,) = _keys(conn, "staging.stg_csww__files", "file_id", 1)
    conn.execute("update staging.stg_csww__files set status = 'lost' where file_id = ?", [file_id])
    workers = _keys(conn, "staging.stg_csww__workers", "file_id, record_number", 3)
    for (file_id, record), change in zip(
        workers,
        ("record_number = null", "swe_number_form = 'odd'", "birth_date_form = 'odd'"),
        strict=True,
    ):
        conn.execute(
            f"update staging.stg_csww__workers set {change} "
            "where file_id = ? and record_number = ?",
            [file_id, record],
        )
    ((file_id, record),) = _keys(conn, "marts.fct_worker_census", "file_id, record_number", 1)
    flags = ", ".join(f"{flag} = null" for flag in quality.CENSUS_FLAGS)
    conn.execute(
        f"update marts.fct_worker_census set la_code = '999', {flags} "
        "where file_id = ? and record_number = ?",
        [file_id, record],
    )
    first, second = _keys(conn, "marts.fct_dq_findings", "finding_id", 2)
    conn.execute(
        "update marts.fct_dq_findings set severity = 'fatal', category = 'odd', "
        "rule_id = 'NO_SUCH_RULE' where finding_id = ?",
        [first],
    )
    conn.execute("update marts.fct_dq_findings set message = null where finding_id = ?", [second])
    conn.execute(
        "insert into marts.fct_dq_findings select * from marts.fct_dq_findings "
        "where finding_id = ?",
        [first],
    )
    scores = _keys(conn, "marts.fct_dq_quality_score", "file_id", 3)
    conn.execute(
        "update marts.fct_dq_quality_score set quality_score = 101 where file_id = ?", [scores[0]]
    )
    conn.execute(
        "update marts.fct_dq_quality_score set quality_score = null where file_id = ?",
        [scores[1]],
    )
    conn.execute(
        "insert into marts.fct_dq_quality_score select * from marts.fct_dq_quality_score "
        "where file_id = ?",
        [scores[2]],
    )
    items = _keys(conn, "marts.fct_dq_item_completeness", "file_id, item_name", 5)
    changes = (
        "completeness_pct = 140",
        "validity_pct = -1",
        "mandatory_completeness_pct = 101",
        "records_present = records + 1",
        "records_valid = records_present + 1",
    )
    for (file_id, item), change in zip(items, changes, strict=True):
        conn.execute(
            f"update marts.fct_dq_item_completeness set {change} "
            "where file_id = ? and item_name = ?",
            [file_id, item],
        )
    # The small counts the GX suite was shown failing on, 1 to 4, and a *_count.
    turnover = _keys(conn, "extracts.ext_turnover", "area_code, census_year", 4)
    for count, (area, year) in enumerate(turnover, start=1):
        conn.execute(
            "update extracts.ext_turnover set leavers_headcount = ? "
            "where area_code = ? and census_year = ?",
            [count, area, year],
        )
    ((area, year),) = _keys(conn, "extracts.ext_data_quality", "area_code, census_year", 1)
    conn.execute(
        "update extracts.ext_data_quality set worker_records_count = 2 "
        "where area_code = ? and census_year = ?",
        [area, year],
    )


def _covering_tests(manifest: dict, covered: CoveredByDbt) -> list[str]:
    """The unique ids of the dbt tests that make ``covered``'s check."""
    found = []
    for unique_id, node in manifest["nodes"].items():
        if node["resource_type"] != "test":
            continue
        metadata = node.get("test_metadata") or {}
        if not metadata:
            if node["name"] == covered.dbt_test:
                found.append(unique_id)
            continue
        attached = (node.get("attached_node") or "").rsplit(".", 1)[-1]
        if metadata["name"] != covered.dbt_test or attached != covered.model:
            continue
        if covered.dbt_test == "unique_combination_of_columns":
            columns = metadata["kwargs"]["combination_of_columns"]
            if list(columns) == list(covered.columns):
                found.append(unique_id)
        elif node.get("column_name") == covered.columns[0]:
            found.append(unique_id)
    return found


def _stored_failures(conn: duckdb.DuckDBPyConnection, test: str) -> list[tuple]:
    (schema,) = conn.execute(
        "select table_schema from information_schema.tables "
        "where table_name = ? and table_schema like '%dbt_test__audit'",
        [test],
    ).fetchone()
    return conn.execute(f'select * from "{schema}"."{test}" order by all').fetchall()


@pytest.mark.slow
def test_dbt_fails_every_moved_check_on_a_planted_value(demo_home: Path, tmp_path: Path) -> None:
    home = copy_home(demo_home, tmp_path / "planted")
    conn = duckdb.connect(str(home / "warehouse.duckdb"))
    try:
        _plant(conn)
        # "true or false": the contract's boolean type takes nothing else.
        with pytest.raises(duckdb.ConversionException):
            conn.execute("update marts.fct_worker_census set is_agency = 'maybe'")
    finally:
        conn.close()
    models = sorted({c.model for c in COVERED if "*" not in c.model})
    result = run_dbt_cli(
        home,
        "test",
        "--select",
        *models,
        "ext_turnover",
        "ext_data_quality",
        "--exclude",
        "test_type:unit",
        "--store-failures",
    )
    assert result.returncode != 0, result.stdout[-3000:]
    target = home / "dbt" / "target"
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
    status = {r["unique_id"]: r["status"] for r in results["results"]}
    for covered in COVERED:
        if covered.dbt_test == "contract":
            continue
        tests = _covering_tests(manifest, covered)
        assert tests, f"no dbt test for {_label(covered)}"
        assert all(status.get(test) == "fail" for test in tests), (_label(covered), tests)
    conn = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        small = _stored_failures(conn, "assert_no_small_counts_in_aggregated_extracts")
        ranges = _stored_failures(conn, "assert_dq_scores_and_percentages_in_range")
    finally:
        conn.close()
    assert [(name, column, count) for name, column, count in small] == [
        ("ext_data_quality", "worker_records_count", 2),
        *(("ext_turnover", "leavers_headcount", count) for count in (1, 2, 3, 4)),
    ]
    # The score of 101 and each of the five planted item rows, nothing else.
    assert len(ranges) == 6
    assert sum(1 for row in ranges if row[0] == "quality_score") == 1
