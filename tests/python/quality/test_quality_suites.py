"""The Great Expectations quality suites: what they check, and that they can fail."""

from __future__ import annotations

import re

import great_expectations as gx
import pandas as pd
import pytest

from liia.validate.quality import SWE_NUMBER_LIKE, london_la_codes, rule_ids, suites


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
    score = {
        e["column"]: (e["min_value"], e["max_value"])
        for e in _expectation_kwargs("marts.fct_dq_quality_score", "ExpectColumnValuesToBeBetween")
    }
    assert score["quality_score"] == (0, 100)


def test_sets_come_from_the_seeds() -> None:
    sets = {
        e["column"]: set(e["value_set"])
        for e in _expectation_kwargs("marts.fct_dq_findings", "ExpectColumnValuesToBeInSet")
    }
    assert sets["severity"] == {"error", "warning"}
    assert sets["rule_id"] == set(rule_ids())
    assert sets["la_code"] == set(london_la_codes())
    assert len(london_la_codes()) == 32 + 1  # 33 London LAs; Richmond returns with Kingston


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
    bad = good.assign(severity=["error", "fatal"], message=["SW123456 twice", "x"])
    batch = batch_definition.get_batch(batch_parameters={"dataframe": bad})
    assert not batch.validate(suite).success
