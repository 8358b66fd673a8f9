"""Great Expectations suites over the staging and mart models: what dbt does not test.

These check that what the pipeline publishes is well-formed where no dbt test
or contract says so already: FTEs between 0 and 1, counts and indicators never
negative, record numbers from 1, boroughs known (staging, findings and scores:
fct_worker_census has dbt's relationships test to dim_la instead), and no
finding message holding anything shaped like an identifier (a second, Python
rendering of the rule that dbt's assert_dq_messages_hold_no_identifier applies
in SQL: privacy is checked twice on purpose). GX runs after the build, on the
distinct values of each column where the data lies (liia.validate.frames).

A check dbt already makes on the same model and column is not repeated here
(issue 14): COVERED_BY_DBT lists each, with the dbt test or contract that makes
it; tests/python/quality/test_gx_checks_moved_to_dbt.py plants a bad value for
each and sees that dbt test fail.
"""

from __future__ import annotations

import csv
from pathlib import Path

import great_expectations.expectations as gxe

from liia.config import SEEDS_DIR
from liia.privacy.identifier_rule import raw_message_regex
from liia.validate.suite_spec import CoveredByDbt, SuiteSpec

SUITE_PREFIX = "quality"
# The project's one "looks like an identifier" rule, as applied to messages, rendered
# as a regex over raw text (GX's pandas check cannot fold with NFKC first).
SWE_NUMBER_LIKE = raw_message_regex()
CENSUS_FLAGS = ("is_agency", "is_la_employed", "is_in_post", "is_starter", "is_leaver")
NON_NEGATIVE_INDICATORS = (
    "inpost_fte",
    "inpost_headcount",
    "starters_fte",
    "starters_headcount",
    "leavers_fte",
    "leavers_headcount",
    "agency_fte",
    "vacancy_fte",
    "agency_cover_fte",
    "cases",
    "case_holders_fte",
    "working_days_lost_fte",
)


def _seed_column(seed: str, column: str, seeds_dir: Path = SEEDS_DIR) -> list[str]:
    with (seeds_dir / f"{seed}.csv").open(newline="", encoding="utf-8") as handle:
        return [row[column] for row in csv.DictReader(handle)]


def london_la_codes(seeds_dir: Path = SEEDS_DIR) -> list[str]:
    """The borough codes of the london_las seed (33: Richmond's too)."""
    return _seed_column("london_las", "la_code", seeds_dir)


def expected_la_codes(authorities: list[str] | None = None) -> list[str]:
    """The LA codes a warehouse may hold: the London seed's, and those of the
    participating authorities when they are configured (LIIA_AUTHORITIES_FILE)."""
    return sorted(set(london_la_codes()) | set(authorities or []))


def _between(column: str, low: float | None, high: float | None) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeBetween(column=column, min_value=low, max_value=high)


def _in_set(column: str, values: list) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeInSet(column=column, value_set=values)


def _staging_workers(la_codes: list[str]) -> SuiteSpec:
    return SuiteSpec(
        name=f"{SUITE_PREFIX}_stg_csww__workers",
        relation="staging.stg_csww__workers",
        expectations=[_in_set("la_code", la_codes), _between("record_number", 1, None)],
    )


def _staging_files() -> SuiteSpec:
    return SuiteSpec(
        name=f"{SUITE_PREFIX}_stg_csww__files",
        relation="staging.stg_csww__files",
        expectations=[_between("worker_rows", 0, None), _between("dropped_item_count", 0, None)],
    )


def _worker_census() -> SuiteSpec:
    return SuiteSpec(
        name=f"{SUITE_PREFIX}_fct_worker_census",
        relation="marts.fct_worker_census",
        expectations=[
            _between("fte", 0, 1),
            _between("fte30", 0, 1),
            _between("cases30", 0, None),
            _between("working_days_lost", 0, None),
        ],
    )


def _la_indicators() -> SuiteSpec:
    return SuiteSpec(
        name=f"{SUITE_PREFIX}_fct_la_indicators",
        relation="marts.fct_la_indicators",
        expectations=[_between(column, 0, None) for column in NON_NEGATIVE_INDICATORS],
    )


def _findings(la_codes: list[str]) -> SuiteSpec:
    return SuiteSpec(
        name=f"{SUITE_PREFIX}_fct_dq_findings",
        relation="marts.fct_dq_findings",
        expectations=[
            _in_set("la_code", la_codes),
            _between("record_number", 1, None),
            # a message may quote a bad code, never an identifier (the one rule:
            # liia.privacy.identifier_rule, message patterns)
            gxe.ExpectColumnValuesToNotMatchRegex(column="message", regex=SWE_NUMBER_LIKE),
        ],
    )


def _quality_score(la_codes: list[str]) -> SuiteSpec:
    return SuiteSpec(
        name=f"{SUITE_PREFIX}_fct_dq_quality_score",
        relation="marts.fct_dq_quality_score",
        expectations=[
            _in_set("la_code", la_codes),
            *(
                _between(column, 0, None)
                for column in ("worker_records", "error_findings", "warning_findings")
            ),
        ],
    )


def _covered(model: str, column: str, check: str, dbt_test: str) -> CoveredByDbt:
    return CoveredByDbt(model=model, columns=(column,), check=check, dbt_test=dbt_test)


# The quality checks GX made until dbt's tests made them too (issue 14), each with
# the dbt test or contract that makes it now (same model, same column, same rule).
COVERED_BY_DBT: tuple[CoveredByDbt, ...] = (
    _covered("stg_csww__files", "status", "in accepted/rejected/superseded", "accepted_values"),
    _covered("stg_csww__workers", "record_number", "not null", "not_null"),
    _covered("stg_csww__workers", "swe_number_form", "in the five forms", "accepted_values"),
    _covered("stg_csww__workers", "birth_date_form", "in valid/invalid/missing", "accepted_values"),
    # dim_la is the london_las seed plus the participating authorities: expected_la_codes.
    _covered("fct_worker_census", "la_code", "a known LA code", "relationships"),
    *(_covered("fct_worker_census", flag, "true or false", "contract") for flag in CENSUS_FLAGS),
    *(_covered("fct_worker_census", flag, "not null", "not_null") for flag in CENSUS_FLAGS),
    _covered("fct_dq_findings", "severity", "in error/warning", "accepted_values"),
    _covered("fct_dq_findings", "category", "in the four categories", "accepted_values"),
    _covered("fct_dq_findings", "rule_id", "in the dq_rules seed", "relationships"),
    _covered("fct_dq_findings", "message", "not null", "not_null"),
    _covered("fct_dq_findings", "finding_id", "unique", "unique"),
    _covered("fct_dq_quality_score", "quality_score", "not null", "not_null"),
    _covered(
        "fct_dq_quality_score",
        "quality_score",
        "between 0 and 100",
        "assert_dq_scores_and_percentages_in_range",
    ),
    CoveredByDbt(
        "fct_dq_quality_score",
        ("la_code", "census_year"),
        "one row per borough and year",
        "unique_combination_of_columns",
    ),
    *(
        _covered(
            "fct_dq_item_completeness",
            column,
            "between 0 and 100",
            "assert_dq_scores_and_percentages_in_range",
        )
        for column in ("completeness_pct", "validity_pct", "mandatory_completeness_pct")
    ),
    CoveredByDbt(
        "fct_dq_item_completeness",
        ("records", "records_present"),
        "records >= records_present",
        "assert_dq_scores_and_percentages_in_range",
    ),
    CoveredByDbt(
        "fct_dq_item_completeness",
        ("records_present", "records_valid"),
        "records_present >= records_valid",
        "assert_dq_scores_and_percentages_in_range",
    ),
)


def suites(authorities: list[str] | None = None) -> list[SuiteSpec]:
    """The quality suites, one per warehouse relation; ``authorities``: the configured
    participating authorities, when they are not London's (see expected_la_codes)."""
    la_codes = expected_la_codes(authorities)
    return [
        _staging_files(),
        _staging_workers(la_codes),
        _worker_census(),
        _la_indicators(),
        _findings(la_codes),
        _quality_score(la_codes),
    ]
