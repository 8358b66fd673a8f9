"""Great Expectations suites proving the published staging models are minimised.

Every staging model has an exact column allow-list; every pseudonym column is
64 lower-case hex; every birth month is a 1st; the long format never carries a
personal item's value; and no warehouse relation has a column named like a raw
identifier. ``suites(catalogue)`` adds the hash/birth-month/column-name checks
to every other warehouse relation the catalogue lists.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column

from liia.validate.suite_spec import SuiteSpec

SUITE_PREFIX = "minimisation"
STAGING_SCHEMA = "staging"
HASH_REGEX = r"^[0-9a-f]{64}$"
FIRST_OF_MONTH_REGEX = r"^\d{4}-\d{2}-01"
PERSONAL_ITEMS = ("SWENo", "PersonBirthDate")
FORBIDDEN_COLUMN = re.compile(
    r"(swe_?no|swe_?number|swe_?num|person_?birth_?date|birth_?date|date_?of_?birth|dob)",
    re.IGNORECASE,
)

STAGING_COLUMNS: dict[str, tuple[str, ...]] = {
    "stg_csww__files": (
        "file_id",
        "file_sha256",
        "file_name",
        "la_code",
        "census_year",
        "layout_version",
        "file_format",
        "received_at",
        "loaded_at",
        "worker_rows",
        "status",
        "reason",
        "superseded_by",
        "dropped_items",
        "swe_numbers_hashed_by_sender",
        "swe_numbers_hashed_here",
        "birth_dates_degraded_by_sender",
        "birth_dates_degraded_here",
        "dropped_item_count",
    ),
    "stg_csww__workers": (
        "file_id",
        "la_code",
        "census_year",
        "layout_version",
        "record_number",
        "swe_number_hash",
        "swe_number_form",
        "agency_worker",
        "fte",
        "birth_month",
        "birth_date_form",
        "age_at_census",
        "gender_current",
        "sex",
        "ethnicity",
        "qual_inst_count",
        "qual_level",
        "step_up_grad",
        "frontline_grad",
        "org_role",
        "role_start_date",
        "start_origin",
        "role_end_date",
        "leaver_destination",
        "reason_leave",
        "fte30",
        "cases30",
        "working_days_lost",
        "contract_weeks",
        "absent_at_30_sept",
        "absence_reasons",
        "cfkss_statuses",
        "base_salary",
        "rr_payments",
        "other_payments",
    ),
    "stg_csww__worker_items": (
        "file_id",
        "la_code",
        "census_year",
        "layout_version",
        "record_number",
        "item_name",
        "value_index",
        "item_value",
    ),
    "stg_csww__la_level": (
        "file_id",
        "la_code",
        "census_year",
        "layout_version",
        "number_of_vacancies",
        "no_agency_fte",
        "no_agency_headcount",
        "recruitment_bonus",
        "retention_bonus",
        "performance_award",
        "car_allowance",
        "relocation_package",
        "regional_weighting",
        "cost_swe",
        "cost_dbs",
        "other_allowances",
    ),
    "stg_csww__load_errors": (
        "file_id",
        "file_path",
        "la_code",
        "record_number",
        "item",
        "message",
        "logged_at",
    ),
}


def is_forbidden_column(name: str) -> bool:
    """True for a column named like a raw identifier (swe_no, person_birth_date, dob…)."""
    return FORBIDDEN_COLUMN.fullmatch(name) is not None


def is_hash_column(name: str) -> bool:
    return name.endswith("_hash")


def is_birth_month_column(name: str) -> bool:
    return name == "birth_month" or name.endswith("_birth_month")


def _suite_name(relation: str) -> str:
    return f"{SUITE_PREFIX}__{relation.replace('.', '__')}"


def _column_checks(columns: Sequence[str]) -> list[gxe.Expectation]:
    checks: list[gxe.Expectation] = []
    for column in columns:
        if is_hash_column(column):
            checks.append(gxe.ExpectColumnValuesToMatchRegex(column=column, regex=HASH_REGEX))
        if is_birth_month_column(column):
            checks.append(
                gxe.ExpectColumnValuesToMatchRegex(column=column, regex=FIRST_OF_MONTH_REGEX)
            )
    return checks


def _staging_suite(model: str, columns: tuple[str, ...]) -> SuiteSpec:
    relation = f"{STAGING_SCHEMA}.{model}"
    expectations: list[gxe.Expectation] = [
        gxe.ExpectTableColumnsToMatchSet(column_set=list(columns), exact_match=True),
        *_column_checks(columns),
    ]
    if model == "stg_csww__worker_items":
        expectations.append(
            gxe.ExpectColumnValuesToBeNull(
                column="item_value",
                row_condition=Column("item_name").is_in(list(PERSONAL_ITEMS)),
            )
        )
    if model == "stg_csww__workers":
        expectations += [
            gxe.ExpectColumnValuesToBeInSet(
                column="swe_number_form",
                value_set=["canonical", "normalised", "sender_hashed", "invalid", "missing"],
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="birth_date_form", value_set=["valid", "invalid", "missing"]
            ),
        ]
    return SuiteSpec(name=_suite_name(relation), relation=relation, expectations=expectations)


def _other_relation_suite(relation: str, columns: Sequence[str]) -> SuiteSpec:
    allowed = [column for column in columns if not is_forbidden_column(column)]
    expectations: list[gxe.Expectation] = [
        # Passes exactly when no column is named like a raw identifier.
        gxe.ExpectTableColumnsToMatchSet(column_set=allowed, exact_match=True),
        *_column_checks(allowed),
    ]
    return SuiteSpec(name=_suite_name(relation), relation=relation, expectations=expectations)


def suites(catalogue: Mapping[str, Sequence[str]] | None = None) -> list[SuiteSpec]:
    """The minimisation suites: the staging models, plus every other relation in
    ``catalogue`` (``{"schema.table": [columns]}``, e.g. the warehouse's tables)."""
    specs = [_staging_suite(model, columns) for model, columns in STAGING_COLUMNS.items()]
    staging_relations = {spec.relation for spec in specs}
    for relation, columns in sorted((catalogue or {}).items()):
        if relation not in staging_relations:
            specs.append(_other_relation_suite(relation, columns))
    return specs
