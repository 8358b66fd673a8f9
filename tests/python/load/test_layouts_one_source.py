"""Which items each CSWW layout carries is written once: seeds/csww_item_formats.csv.

liia.csww_schema derives its tuples from the seed (the loader and the generator
read those), the quality models join the seed, macros/csww_items.sql holds a
block rendered from it and the landing source documents a subset of its items;
these tests pin the DfE layouts and check every copy against the seed.
"""

from __future__ import annotations

import csv
from pathlib import Path

import jinja2
import pytest
import yaml

from liia import csww_schema
from liia.csww_schema import (
    ALL_LA_LEVEL_ITEMS,
    ALL_WORKER_ITEMS,
    LAYOUT_VERSIONS,
    PAY_INCENTIVE_ITEMS,
    PERSONAL_WORKER_ITEMS,
    REPEATED_WORKER_ITEMS,
    la_level_items,
    layout_version,
    rendered_worker_items_macro,
    worker_items,
)

REPO = Path(__file__).resolve().parents[3]
SEED = REPO / "seeds" / "csww_item_formats.csv"
MACRO = REPO / "macros" / "csww_items.sql"
SOURCES = REPO / "models" / "staging" / "csww" / "_csww__sources.yml"

# The DfE layouts as published (the values the module held as literals before it
# read the seed): a layout never changes once DfE publishes it, so neither may these.
WORKER_ITEMS_2021 = (
    "AgencyWorker",
    "SWENo",
    "FTE",
    "PersonBirthDate",
    "GenderCurrent",
    "Ethnicity",
    "QualInst",
    "QualLevel",
    "StepUpGrad",
    "OrgRole",
    "RoleStartDate",
    "StartOrigin",
    "RoleEndDate",
    "LeaverDestination",
    "ReasonLeave",
    "FTE30",
    "Cases30",
    "WorkingDaysLost",
    "ContractWeeks",
    "FrontlineGrad",
    "Absat30Sept",
    "ReasonAbsence",
    "CFKSSstatus",
)
WORKER_ITEMS_2024 = tuple("Sex" if i == "GenderCurrent" else i for i in WORKER_ITEMS_2021)
WORKER_ITEMS_2025 = (
    *(i for i in WORKER_ITEMS_2024 if i not in {"QualInst", "CFKSSstatus"}),
    "BaseSalary",
    "RRPayments",
    "OtherPayments",
)
LA_ITEMS_2021 = ("NumberOfVacancies", "NoAgencyFTE", "NoAgencyHeadcount")
PAY_INCENTIVES = (
    "RecruitmentBonus",
    "RetentionBonus",
    "PerformanceAward",
    "CarAllowance",
    "RelocationPackage",
    "RegionalWeighting",
    "CostSWE",
    "CostDBS",
)
LA_ITEMS_2025 = (*LA_ITEMS_2021, *PAY_INCENTIVES, "OtherAllowances")


def _seed() -> list[dict[str, str]]:
    with SEED.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_dfe_layouts_are_the_published_ones() -> None:
    assert LAYOUT_VERSIONS == (2021, 2024, 2025)
    assert (csww_schema.FIRST_LAYOUT_YEAR, csww_schema.LATEST_LAYOUT_YEAR) == (2021, 2025)
    assert worker_items(2021) == WORKER_ITEMS_2021
    assert worker_items(2024) == WORKER_ITEMS_2024
    assert worker_items(2025) == WORKER_ITEMS_2025
    assert la_level_items(2021) == la_level_items(2024) == LA_ITEMS_2021
    assert la_level_items(2025) == LA_ITEMS_2025
    assert PAY_INCENTIVE_ITEMS == PAY_INCENTIVES
    assert {
        "QualInst",
        "ContractWeeks",
        "Absat30Sept",
        "ReasonAbsence",
        "CFKSSstatus",
    } == REPEATED_WORKER_ITEMS
    assert {"SWENo", "PersonBirthDate"} == PERSONAL_WORKER_ITEMS
    # the landing allow-lists: every layout's items, first seen first (landing's column order)
    assert (
        tuple(dict.fromkeys(WORKER_ITEMS_2021 + WORKER_ITEMS_2024 + WORKER_ITEMS_2025))
        == ALL_WORKER_ITEMS
    )
    assert ALL_LA_LEVEL_ITEMS == LA_ITEMS_2025
    assert {year: layout_version(year) for year in range(2015, 2031)} == {
        year: 2025 if year >= 2025 else 2024 if year == 2024 else 2021 for year in range(2015, 2031)
    }


def test_an_unknown_layout_is_an_error() -> None:
    with pytest.raises(KeyError):
        worker_items(2022)
    assert la_level_items(2026) == LA_ITEMS_2025  # as before: the latest LA-level items


def test_the_seed_describes_each_item_once_and_consistently() -> None:
    rows = _seed()
    assert len({row["item_name"] for row in rows}) == len(rows)
    for row in rows:
        first, last = int(row["first_layout"]), int(row["last_layout"])
        assert first in LAYOUT_VERSIONS and last in LAYOUT_VERSIONS, row["item_name"]
        assert first <= last, row["item_name"]
        assert row["record_level"] in {"worker", "la_level"}, row["item_name"]
        assert row["repeated"] in {"true", "false"}, row["item_name"]
        assert row["personal"] in {"true", "false"}, row["item_name"]
        if row["record_level"] == "la_level":
            assert row["repeated"] == row["personal"] == "false", row["item_name"]


def test_the_staging_macro_is_rendered_from_the_seed() -> None:
    """macros/csww_items.sql's generated block is what the seed renders today."""
    assert rendered_worker_items_macro(MACRO.read_text(encoding="utf-8")) == MACRO.read_text(
        encoding="utf-8"
    ), "macros/csww_items.sql is stale: run .venv/bin/python scripts/render_csww_items.py"


def test_a_stale_macro_is_rendered_again() -> None:
    """A hand edit of the rendered block (Sex made repeated) is what the check catches."""
    current = MACRO.read_text(encoding="utf-8")
    entry = "{'name': 'Sex', 'repeated': false"
    assert current.count(entry) == 1
    tampered = current.replace(entry, "{'name': 'Sex', 'repeated': true")
    assert rendered_worker_items_macro(tampered) == current
    with pytest.raises(ValueError):
        rendered_worker_items_macro("{% macro something_else() -%}{%- endmacro %}")


def test_the_staging_macro_returns_the_landing_items() -> None:
    """Rendered with Jinja (as dbt would), csww_worker_items() is the worker allow-list."""
    returned: list[list[dict[str, object]]] = []

    def capture(value: list[dict[str, object]]) -> str:
        returned.append(value)
        return ""

    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    module = env.from_string(MACRO.read_text(encoding="utf-8"), globals={"return": capture}).module
    module.csww_worker_items()
    (items,) = returned
    assert tuple(item["name"] for item in items) == ALL_WORKER_ITEMS
    assert {item["name"] for item in items if item["repeated"]} == REPEATED_WORKER_ITEMS
    assert {item["name"] for item in items if item["personal"]} == PERSONAL_WORKER_ITEMS


def test_the_landing_source_documents_seed_items_only() -> None:
    """_csww__sources.yml names landing columns: each is an item of its record level,
    the pii-tagged ones are exactly the personal items, and the layouts it names are
    the seed's."""
    (source,) = yaml.safe_load(SOURCES.read_text(encoding="utf-8"))["sources"]
    tables = {table["name"]: table for table in source["tables"]}
    levels = {"workers": set(ALL_WORKER_ITEMS), "la_level": set(ALL_LA_LEVEL_ITEMS)}
    keys = {"file_id", "record_number"}
    pii: set[str] = set()
    for table, items in levels.items():
        for column in tables[table]["columns"]:
            name = column["name"]
            assert name in keys or name in items, f"landing.{table}.{name} is not a seed item"
            if "pii" in column.get("config", {}).get("tags", []):
                pii.add(name)
    assert pii == PERSONAL_WORKER_ITEMS
    (layout_column,) = [
        c for c in tables["file_register"]["columns"] if c["name"] == "layout_version"
    ]
    *earlier, latest = (str(v) for v in LAYOUT_VERSIONS)
    assert f"({', '.join(earlier)} or {latest};" in layout_column["description"]
