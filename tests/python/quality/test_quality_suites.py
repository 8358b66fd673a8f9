"""The Great Expectations quality suites: what they check, and that they can fail.

What dbt already checks is not repeated (liia.validate.quality.COVERED_BY_DBT);
those assertions point at the dbt tests here and in test_gx_checks_moved_to_dbt.py.
"""

from __future__ import annotations

import re

import great_expectations as gx
import pandas as pd
import pytest

from liia.validate.quality import COVERED_BY_DBT, SWE_NUMBER_LIKE, london_la_codes, suites
from tests.python.quality.dbt_project_tests import generic_tests, singular_test_sql


def _suite(relation: str):
    return next(s for s in suites() if s.relation == relation)


def _expectation_kwargs(relation: str, kind: str) -> list[dict]:
    return [e.dict() for e in _suite(relation).expectations if type(e).__name__ == kind]


def test_suites_cover_staging_and_marts() -> None:
    relations = {s.relation for s in suites()}
    assert {
        "staging.stg_csww__workers",
        "marts.fct_worker_census",
        "marts.fct_dq_findings",
        "marts.fct_dq_quality_score",
    } <= relations
    assert len({s.name for s in suites()}) == len(suites())


def test_fte_and_score_ranges() -> None:
    fte = {
        e["column"]: (e["min_value"], e["max_value"])
        for e in _expectation_kwargs("marts.fct_worker_census", "ExpectColumnValuesToBeBetween")
    }
    assert fte["fte"] == (0, 1) and fte["fte30"] == (0, 1)
    # The score's range is dbt's test (the same rule, in the warehouse), no longer GX's.
    assert any(
        c.model == "fct_dq_quality_score" and c.columns == ("quality_score",) and "100" in c.check
        for c in COVERED_BY_DBT
    )
    scores = singular_test_sql("assert_dq_scores_and_percentages_in_range")
    assert "where quality_score not between 0 and 100" in scores


def test_sets_come_from_the_seeds() -> None:
    sets = {
        e["column"]: set(e["value_set"])
        for e in _expectation_kwargs("marts.fct_dq_findings", "ExpectColumnValuesToBeInSet")
    }
    assert sets["la_code"] == set(london_la_codes())
    assert len(london_la_codes()) == 32 + 1  # 33 London LAs; Richmond returns with Kingston
    # Severity and rule are dbt's tests: accepted values, and the dq_rules seed itself.
    findings = generic_tests("fct_dq_findings")
    assert set(findings["severity"]["accepted_values"]["values"]) == {"error", "warning"}
    assert findings["rule_id"]["relationships"] == {"to": "ref('dq_rules')", "field": "rule_id"}


@pytest.mark.parametrize(
    ("message", "matches"),
    [
        ("The same SWE number is on 2 LA-employed worker records (records 1, 3)", False),
        ("RoleEndDate is before the census year (1 October 2023 to 30 September 2024)", False),
        ("Ethnicity 'XXXX' is not one of the DfE codes for this item", False),
        ("record 3: SWENo SW123456 is odd", True),
        ("record 3: sw9876543 is odd", True),
    ],
)
def test_identifier_pattern(message: str, matches: bool) -> None:
    assert bool(re.search(SWE_NUMBER_LIKE.replace("(?i)", ""), message, re.IGNORECASE)) is matches


def test_findings_suite_fails_on_a_bad_frame_and_passes_on_a_good_one() -> None:
    context = gx.get_context(mode="ephemeral")
    source = context.data_sources.add_pandas("frames")
    asset = source.add_dataframe_asset("findings")
    batch_definition = asset.add_batch_definition_whole_dataframe("whole")
    spec = _suite("marts.fct_dq_findings")
    suite = context.suites.add(gx.ExpectationSuite(name=spec.name))
    for expectation in spec.expectations:
        suite.add_expectation(expectation)
    good = pd.DataFrame(
        {
            "finding_id": ["a", "b"],
            "la_code": ["201", "202"],
            "census_year": [2024, 2024],
            "file_id": [1, 2],
            "record_number": [1, None],
            "item": ["Ethnicity", "NoAgencyFTE"],
            "rule_id": ["FMT_CODE", "LOG_AGENCY_COVER"],
            "category": ["format", "logic"],
            "severity": ["error", "warning"],
            "message": ["Ethnicity 'XXXX' is not one of the DfE codes", "LA-level cover"],
        }
    )
    batch = batch_definition.get_batch(batch_parameters={"dataframe": good})
    assert batch.validate(suite).success
    bad = good.assign(message=["SW123456 twice", "x"])
    batch = batch_definition.get_batch(batch_parameters={"dataframe": bad})
    result = batch.validate(suite)
    assert not result.success
    assert [r.expectation_config.type for r in result.results if not r.success] == [
        "expect_column_values_to_not_match_regex"
    ]
    # A severity of 'fatal' is caught by dbt's accepted_values test on fct_dq_findings
    # (planted in test_gx_checks_moved_to_dbt.py); GX no longer repeats it.
    assert not any(e.get("column") == "severity" for e in (x.dict() for x in spec.expectations))
