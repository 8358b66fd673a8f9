"""The rule catalogue and item formats are consistent, and every rule has a unit test."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[3]
SEEDS = REPO / "seeds"
QUALITY_MODEL_YAMLS = (
    REPO / "models" / "intermediate" / "quality" / "_quality__models.yml",
    REPO / "models" / "marts" / "quality" / "_quality__models.yml",
)
RULE_SQL = sorted((REPO / "models" / "intermediate" / "quality").glob("int_dq__*_findings.sql"))


def _seed(name: str) -> list[dict[str, str]]:
    with (SEEDS / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _unit_test_names() -> list[str]:
    names: list[str] = []
    for path in QUALITY_MODEL_YAMLS:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        names.extend(test["name"] for test in document.get("unit_tests", []))
    return names


def test_every_rule_is_covered_by_a_unit_test() -> None:
    names = _unit_test_names()
    uncovered = [
        rule["rule_id"]
        for rule in _seed("dq_rules")
        if not any(rule["rule_id"].lower() in name for name in names)
    ]
    assert not uncovered, f"rules without a unit test named after them: {uncovered}"


def test_every_rule_is_raised_by_some_model_and_every_raised_rule_is_catalogued() -> None:
    sql = "\n".join(path.read_text(encoding="utf-8") for path in RULE_SQL)
    formats = _seed("csww_item_formats")
    raised = set(re.findall(r"'((?:FMT|CMP|PAIR|LOG)_[A-Z0-9_]+)'", sql))
    raised |= {row["pair_rule_id"] for row in formats if row["pair_rule_id"]}
    catalogued = {rule["rule_id"] for rule in _seed("dq_rules")}
    assert raised == catalogued


def test_rule_catalogue_values() -> None:
    rules = _seed("dq_rules")
    assert len({r["rule_id"] for r in rules}) == len(rules)
    assert {r["category"] for r in rules} == {"format", "completeness", "pair", "logic"}
    assert {r["severity"] for r in rules} <= {"error", "warning"}
    for rule in rules:
        prefix = {"format": "FMT_", "completeness": "CMP_", "pair": "PAIR_", "logic": "LOG_"}
        assert rule["rule_id"].startswith(prefix[rule["category"]]), rule["rule_id"]
        assert rule["description"].strip()


def test_item_formats_refer_to_known_code_sets_and_layouts() -> None:
    """Every item of the seed is carried by a layout and every coded one names a code set.

    The layouts themselves are the seed's first_layout..last_layout, read by
    liia.csww_schema (tests/python/load/test_layouts_one_source.py pins them).
    """
    from liia.csww_schema import ALL_LA_LEVEL_ITEMS, ALL_WORKER_ITEMS

    code_sets = {row["code_set"] for row in _seed("csww_code_sets")}
    formats = _seed("csww_item_formats")
    assert {row["record_level"] for row in formats} == {"worker", "la_level"}
    assert {row["item_name"] for row in formats} == set(ALL_WORKER_ITEMS) | set(ALL_LA_LEVEL_ITEMS)
    for row in formats:
        if row["value_type"] == "code":
            assert row["code_set"] in code_sets, row["item_name"]


def test_mandatory_items_are_the_dfe_ones() -> None:
    formats = {row["item_name"]: row for row in _seed("csww_item_formats")}
    la_employed = {n for n, r in formats.items() if r["mandatory_for"].startswith("la_employed")}
    assert la_employed == {
        "PersonBirthDate",
        "GenderCurrent",
        "Sex",
        "Ethnicity",
        "QualInst",
        "StepUpGrad",
        "OrgRole",
        "RoleStartDate",
        "StartOrigin",
        "FTE30",
        "WorkingDaysLost",
        "FrontlineGrad",
    }
    assert formats["FTE30"]["mandatory_for"] == "la_employed_in_post"
    assert formats["WorkingDaysLost"]["mandatory_for"] == "la_employed_in_post"
    assert {n for n, r in formats.items() if r["mandatory_for"] == "every_worker"} == {
        "AgencyWorker",
        "SWENo",
    }
