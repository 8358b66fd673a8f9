"""Great Expectations suites over the use-case extracts (warehouse schema ``extracts``).

Each extract has exactly the columns of its dbt model contract (read from the
manifest, as the minimisation suites read the staging contracts), and no value
shaped like a pseudonym in any text column: hashes belong only to the movement
and individual extracts, and there every ``*_hash`` column is 64 lower-case hex.
Results keep no sample values (``BOOLEAN_ONLY``).

That an aggregated extract holds no count from 1 to 4 in any ``*_headcount`` or
``*_count`` column is dbt's test assert_no_small_counts_in_aggregated_extracts
(the same columns, read from the same contracts, and the one definition of the
range, macros/suppress_small_numbers.sql); a failing one withholds the extracts
(src/liia/warehouse_build.py). GX no longer repeats it: COVERED_BY_DBT.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import great_expectations.expectations as gxe

from liia.validate.minimisation import HASH_REGEX, ManifestError, is_hash_column
from liia.validate.suite_spec import CoveredByDbt, SuiteSpec

SUITE_PREFIX = "extracts"
EXTRACTS_SCHEMA = "extracts"
# The extracts that may carry a hashed SWE number (row level); every other extract
# is aggregated and must not.
HASH_EXTRACTS = frozenset({"ext_movement", "ext_workforce_individual"})
TEXT_TYPES = ("varchar", "text", "string")
PSEUDONYM_SHAPE = r"[0-9a-fA-F]{64}"


@dataclass(frozen=True)
class ExtractColumn:
    name: str
    data_type: str  # lower case, as the contract gives it
    description: str


@dataclass(frozen=True)
class ExtractContract:
    """One extract as its dbt model contract describes it (the one reading of the
    manifest's extracts: the analyst zone's data dictionary uses it too)."""

    name: str
    schema: str
    description: str
    aggregated: bool
    suppression: str
    columns: tuple[ExtractColumn, ...]

    @property
    def column_types(self) -> dict[str, str]:
        return {column.name: column.data_type for column in self.columns}


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def extract_contracts(manifest_path: Path) -> list[ExtractContract]:
    """Every model in the ``extracts`` schema with its enforced contract, from the manifest."""
    if not manifest_path.is_file():
        raise ManifestError(
            f"dbt manifest not found at {manifest_path}: run `liia build` first "
            "(the extracts' column sets and descriptions are read from it)"
        )
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ManifestError(f"dbt manifest {manifest_path} cannot be read: {error}") from error
    contracts = []
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") != "model" or node.get("schema") != EXTRACTS_SCHEMA:
            continue
        config = node.get("config", {})
        if not config.get("contract", {}).get("enforced"):
            raise ManifestError(
                f"extract {node['name']} has no enforced contract in {manifest_path}"
            )
        meta = config.get("meta") or {}
        columns = tuple(
            ExtractColumn(
                name, (column.get("data_type") or "").lower(), _clean(column.get("description"))
            )
            for name, column in node.get("columns", {}).items()
        )
        contracts.append(
            ExtractContract(
                name=node["name"],
                schema=node["schema"],
                description=_clean(node.get("description")),
                aggregated=bool(meta.get("aggregated", True)),
                suppression=_clean(str(meta.get("suppression", ""))),
                columns=columns,
            )
        )
    if not contracts:
        raise ManifestError(f"dbt manifest {manifest_path} holds no extract")
    return sorted(contracts, key=lambda contract: contract.name)


def _suite(contract: ExtractContract) -> SuiteSpec:
    relation = f"{EXTRACTS_SCHEMA}.{contract.name}"
    expectations: list[gxe.Expectation] = [
        gxe.ExpectTableColumnsToMatchSet(column_set=list(contract.column_types), exact_match=True)
    ]
    may_hold_hashes = contract.name in HASH_EXTRACTS
    for column, data_type in contract.column_types.items():
        if may_hold_hashes and is_hash_column(column):
            expectations.append(gxe.ExpectColumnValuesToMatchRegex(column=column, regex=HASH_REGEX))
        elif not may_hold_hashes and data_type.startswith(TEXT_TYPES):
            # Anywhere else no text value may even contain a pseudonym's shape.
            expectations.append(
                gxe.ExpectColumnValuesToNotMatchRegex(column=column, regex=PSEUDONYM_SHAPE)
            )
    return SuiteSpec(
        name=f"{SUITE_PREFIX}__{contract.name}", relation=relation, expectations=expectations
    )


# Checks GX made until dbt's made them too (issue 14): model "ext_*" stands for
# every aggregated extract, the columns for every column with those suffixes.
COVERED_BY_DBT: tuple[CoveredByDbt, ...] = (
    CoveredByDbt(
        "ext_*",
        ("*_headcount", "*_count"),
        "not a count from 1 to 4",
        "assert_no_small_counts_in_aggregated_extracts",
    ),
)


def suites(contracts: list[ExtractContract]) -> list[SuiteSpec]:
    """One suite per extract."""
    return [_suite(contract) for contract in contracts]
