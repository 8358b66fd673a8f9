"""Great Expectations suites over the staging and mart models: values in range.

These check that what the pipeline publishes is well-formed (FTEs between 0
and 1, census flags boolean, boroughs known, findings and scores consistent
with the rule catalogue). They complement dbt's tests: GX runs after the
build, on the tables as an analyst reads them, and writes Data Docs.
"""

from __future__ import annotations

import csv
from pathlib import Path

import great_expectations.expectations as gxe

from liia.config import SEEDS_DIR
from liia.privacy.identifier_rule import raw_message_regex
from liia.validate.suite_spec import SuiteSpec

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


def rule_ids(seeds_dir: Path = SEEDS_DIR) -> list[str]:
    """Every rule of the dq_rules catalogue."""
    return _seed_column("dq_rules", "rule_id", seeds_dir)


def _between(column: str, low: float | None, high: float | None) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeBetween(column=column, min_value=low, max_value=high)


def _in_set(column: str, values: list) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeInSet(column=column, value_set=values)


def _not_null(column: str) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToNotBeNull(column=column)


def _staging_workers(la_codes: list[str]) -> SuiteSpec:
    return SuiteSpec(
        name=f"{SUITE_PREFIX}_stg_csww__workers",
        relation="staging.stg_csww__workers",
        expectations=[
            _in_set("la_code", la_codes),
            _not_null("record_number"),
            _between("record_number", 1, None),
            _in_set(
                "swe_number_form",
                ["canonical", "normalised", "sender_hashed", "invalid", "missing"],
            ),
            _in_set("birth_date_form", ["valid", "invalid", "missing"]),
        ],
    )


def _staging_files() -> SuiteSpec:
    return SuiteSpec(
        name=f"{SUITE_PREFIX}_stg_csww__files",
        relation="staging.stg_csww__files",
        expectations=[
            _in_set("status", ["accepted", "rejected", "superseded"]),
            _between("worker_rows", 0, None),
            _between("dropped_item_count", 0, None),
        ],
    )


def _worker_census(la_codes: list[str]) -> SuiteSpec:
    return SuiteSpec(
        name=f"{SUITE_PREFIX}_fct_worker_census",
        relation="marts.fct_worker_census",
        expectations=[
            _in_set("la_code", la_codes),
            _between("fte", 0, 1),
            _between("fte30", 0, 1),
            _between("cases30", 0, None),
            _between("working_days_lost", 0, None),
            *(_in_set(flag, [True, False]) for flag in CENSUS_FLAGS),
            *(_not_null(flag) for flag in CENSUS_FLAGS),
        ],
    )


def _la_indicators(la_codes: list[str]) -> SuiteSpec:
    return SuiteSpec(
        name=f"{SUITE_PREFIX}_fct_la_indicators",
        relation="marts.fct_la_indicators",
        expectations=[_between(column, 0, None) for column in NON_NEGATIVE_INDICATORS],
    )


def _findings(la_codes: list[str], rules: list[str]) -> SuiteSpec:
    return SuiteSpec(
        name=f"{SUITE_PREFIX}_fct_dq_findings",
        relation="marts.fct_dq_findings",
        expectations=[
            _in_set("la_code", la_codes),
            _in_set("severity", ["error", "warning"]),
            _in_set("category", ["format", "completeness", "pair", "logic"]),
            _in_set("rule_id", rules),
            _not_null("message"),
            _between("record_number", 1, None),
            gxe.ExpectColumnValuesToBeUnique(column="finding_id"),
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
            _not_null("quality_score"),
            _between("quality_score", 0, 100),
            *(
                _between(column, 0, None)
                for column in ("worker_records", "error_findings", "warning_findings")
            ),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["la_code", "census_year"]),
        ],
    )


def _item_completeness() -> SuiteSpec:
    return SuiteSpec(
        name=f"{SUITE_PREFIX}_fct_dq_item_completeness",
        relation="marts.fct_dq_item_completeness",
        expectations=[
            _between("completeness_pct", 0, 100),
            _between("validity_pct", 0, 100),
            _between("mandatory_completeness_pct", 0, 100),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="records", column_B="records_present", or_equal=True
            ),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="records_present", column_B="records_valid", or_equal=True
            ),
        ],
    )


def suites(authorities: list[str] | None = None) -> list[SuiteSpec]:
    """The quality suites, one per warehouse relation; ``authorities``: the configured
    participating authorities, when they are not London's (see expected_la_codes)."""
    la_codes = expected_la_codes(authorities)
    return [
        _staging_files(),
        _staging_workers(la_codes),
        _worker_census(la_codes),
        _la_indicators(la_codes),
        _findings(la_codes, rule_ids()),
        _quality_score(la_codes),
        _item_completeness(),
    ]
