"""Great Expectations suites proving the published staging models are minimised.

Every staging model has an exact column allow-list, taken from its dbt model
contract through the manifest (one source of truth); every pseudonym column is
64 lower-case hex; every birth month is a 1st; the long format never carries a
personal item's value; and no warehouse relation has a column named like a raw
identifier. ``suites(staging_columns, catalogue)`` adds the hash/birth-month/column-name checks
to every other warehouse relation the catalogue lists.

These are kept even where a dbt test makes the same check on a staging model
(assert_workers_are_minimised: hash shape, birth month a 1st;
assert_worker_items_hold_no_personal_value; assert_no_personal_column_names):
they are the privacy audit of the warehouse as it lies after the build, a second
implementation in a second engine, applied by column name to every relation
(dbt's hash and birth-month tests cover staging only). The two checks on how a
SWE number and a birth date arrived were not privacy checks and only restated
dbt's accepted_values tests: COVERED_BY_DBT.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column

from liia.validate.suite_spec import CoveredByDbt, SuiteSpec

SUITE_PREFIX = "minimisation"
STAGING_SCHEMA = "staging"
HASH_REGEX = r"^[0-9a-f]{64}$"
FIRST_OF_MONTH_REGEX = r"^\d{4}-\d{2}-01"
PERSONAL_ITEMS = ("SWENo", "PersonBirthDate")
FORBIDDEN_COLUMN = re.compile(
    r"(swe_?no|swe_?number|swe_?num|person_?birth_?date|birth_?date|date_?of_?birth|dob)",
    re.IGNORECASE,
)


class ManifestError(RuntimeError):
    """The dbt manifest holding the staging contracts is missing or unusable."""


def staging_contract_columns(manifest_path: Path) -> dict[str, tuple[str, ...]]:
    """The exact columns of every staging model, from dbt's manifest.

    The model contracts in models/staging/**/_*__models.yml are the one source
    of truth: dbt enforces them at build time and writes them to the manifest
    (each model node's ``columns``). Every staging model must have an enforced
    contract; a missing or unreadable manifest is an error naming what to run.
    """
    if not manifest_path.is_file():
        raise ManifestError(
            f"dbt manifest not found at {manifest_path}: run `liia build` first "
            "(the minimisation suites take the staging column allow-lists from it)"
        )
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ManifestError(f"dbt manifest {manifest_path} cannot be read: {error}") from error
    columns: dict[str, tuple[str, ...]] = {}
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") != "model" or node.get("schema") != STAGING_SCHEMA:
            continue
        name = node["name"]
        if node.get("config", {}).get("materialized") == "ephemeral":
            # Pasted into the models that use it: no table to check, and dbt
            # allows no contract on it.
            continue
        if not node.get("config", {}).get("contract", {}).get("enforced"):
            raise ManifestError(f"staging model {name} has no enforced contract in {manifest_path}")
        columns[name] = tuple(node.get("columns", {}))
    if not columns:
        raise ManifestError(f"dbt manifest {manifest_path} holds no staging model")
    return dict(sorted(columns.items()))


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
    return SuiteSpec(name=_suite_name(relation), relation=relation, expectations=expectations)


# The minimisation checks GX made until dbt's made them too (issue 14).
COVERED_BY_DBT: tuple[CoveredByDbt, ...] = (
    CoveredByDbt("stg_csww__workers", ("swe_number_form",), "in the five forms", "accepted_values"),
    CoveredByDbt(
        "stg_csww__workers", ("birth_date_form",), "in valid/invalid/missing", "accepted_values"
    ),
)


def _other_relation_suite(relation: str, columns: Sequence[str]) -> SuiteSpec:
    allowed = [column for column in columns if not is_forbidden_column(column)]
    expectations: list[gxe.Expectation] = [
        # Passes exactly when no column is named like a raw identifier.
        gxe.ExpectTableColumnsToMatchSet(column_set=allowed, exact_match=True),
        *_column_checks(allowed),
    ]
    return SuiteSpec(name=_suite_name(relation), relation=relation, expectations=expectations)


def suites(
    staging_columns: Mapping[str, tuple[str, ...]],
    catalogue: Mapping[str, Sequence[str]] | None = None,
) -> list[SuiteSpec]:
    """The minimisation suites: each staging model against its contract's exact
    columns (``staging_contract_columns``), plus every other relation in
    ``catalogue`` (``{"schema.table": [columns]}``, e.g. the warehouse's tables)."""
    specs = [_staging_suite(model, columns) for model, columns in staging_columns.items()]
    staging_relations = {spec.relation for spec in specs}
    for relation, columns in sorted((catalogue or {}).items()):
        if relation not in staging_relations:
            specs.append(_other_relation_suite(relation, columns))
    return specs
