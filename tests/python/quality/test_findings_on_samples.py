"""The quality rules find what is wrong in real pipeline runs, and nothing on clean data."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.python.conftest import LIIA_TOOLS_SAMPLE_XML, run_liia

# Each injected problem kind of `generate-sample --messy` and the rule(s) that find it.
KIND_RULES: dict[str, set[str]] = {
    # a mandatory item missing while its pair partner is given is a pair finding
    "missing_mandatory_item": {"CMP_MANDATORY", "FMT_REQUIRED", "PAIR_START", "PAIR_LEAVER"},
    "code_outside_list": {"FMT_CODE"},
    "end_before_start": {"LOG_END_BEFORE_START"},
    "leaver_with_fte30": {"LOG_LEAVER_FTE30"},
    "non_canonical_swe_number": {"FMT_SWE_NORMALISED", "FMT_SWE_INVALID"},
    "duplicate_worker": {"LOG_DUPLICATE_SWE"},
}
# the items a kind's finding names, when the manifest gives none
KIND_ITEMS: dict[str, str] = {"duplicate_worker": "SWENo", "non_canonical_swe_number": "SWENo"}

SAMPLE_XML = LIIA_TOOLS_SAMPLE_XML
MANDATORY_2021_LAYOUT = (
    "PersonBirthDate",
    "GenderCurrent",
    "Ethnicity",
    "QualInst",
    "StepUpGrad",
    "OrgRole",
    "FrontlineGrad",
)
MANDATORY_IN_POST = ("FTE30", "WorkingDaysLost")
START_PAIR = ("RoleStartDate", "StartOrigin")


def _findings(home: Path, sql: str, params: list | None = None) -> list[tuple]:
    conn = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return conn.execute(sql, params or []).fetchall()
    finally:
        conn.close()


def test_every_injected_problem_is_found(messy_home: Path) -> None:
    manifest = json.loads((messy_home / "messy_manifest.json").read_text())
    assert {entry["kind"] for entry in manifest} == set(KIND_RULES)
    found = {
        (la, year, record, rule, item)
        for la, year, record, rule, item in _findings(
            messy_home,
            "select la_code, census_year, record_number, rule_id, item from marts.fct_dq_findings",
        )
    }
    missed = []
    for entry in manifest:
        item = entry["item"] or KIND_ITEMS[entry["kind"]]
        key = (entry["la_code"], entry["census_year"], entry["record_number"])
        if not any((*key, rule, item) in found for rule in KIND_RULES[entry["kind"]]):
            missed.append(entry)
    assert not missed, f"{len(missed)} of {len(manifest)} injected problems not found: {missed[:5]}"


def test_messy_sample_has_errors_of_every_kind(messy_home: Path) -> None:
    counts = dict(
        _findings(messy_home, "select rule_id, count(*) from marts.fct_dq_findings group by 1")
    )
    for rules in KIND_RULES.values():
        assert sum(counts.get(rule, 0) for rule in rules) > 0


def test_clean_sample_has_no_errors(demo_home: Path) -> None:
    errors = _findings(
        demo_home,
        "select rule_id, count(*) from marts.fct_dq_findings where severity = 'error' group by 1",
    )
    assert errors == []
    returns = _findings(
        demo_home, "select count(*) from staging.stg_csww__files where status = ?", ["accepted"]
    )[0][0]
    scores = _findings(
        demo_home, "select count(*), min(quality_score) from marts.fct_dq_quality_score"
    )
    assert scores[0][0] == returns and scores[0][1] >= 50


def _expected_missing(xml_path: Path) -> dict[str, set[tuple[int, str]]]:
    """(record, item) pairs the rules must report missing, by rule, read from the XML itself."""
    expected: dict[str, set[tuple[int, str]]] = {"CMP_MANDATORY": set(), "PAIR_START": set()}
    reference = date(2022, 9, 30)
    workers = ET.parse(xml_path).getroot().findall("CSWWWorker")
    for number, worker in enumerate(workers, start=1):
        values = {child.tag: (child.text or "").strip() for child in worker}
        if values.get("AgencyWorker") == "1":
            continue
        end = values.get("RoleEndDate")
        in_post = not end or date.fromisoformat(end) > reference
        mandatory = MANDATORY_2021_LAYOUT + (MANDATORY_IN_POST if in_post else ())
        expected["CMP_MANDATORY"] |= {(number, i) for i in mandatory if not values.get(i)}
        missing_start = {i for i in START_PAIR if not values.get(i)}
        rule = "PAIR_START" if len(missing_start) == 1 else "CMP_MANDATORY"
        expected[rule] |= {(number, i) for i in missing_start}
    return expected


@pytest.fixture(scope="module")
def liia_tools_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("liia_tools_home")
    (home / "incoming" / "301").mkdir(parents=True)
    shutil.copy(SAMPLE_XML, home / "incoming" / "301" / SAMPLE_XML.name)
    run_liia(home, "run")
    return home


def test_liia_tools_sample_missing_mandatory_items_are_found(liia_tools_home: Path) -> None:
    expected = _expected_missing(SAMPLE_XML)
    assert expected["CMP_MANDATORY"], "the sample is known to miss mandatory items"
    for rule, pairs in expected.items():
        found = set(
            _findings(
                liia_tools_home,
                "select record_number, item from marts.fct_dq_findings "
                "where la_code = ? and census_year = ? and rule_id = ?",
                ["301", 2022, rule],
            )
        )
        assert found == pairs, rule


def test_liia_tools_sample_pack_reports_them(liia_tools_home: Path) -> None:
    report = (liia_tools_home / "exports" / "la" / "301" / "2022" / "report.html").read_text()
    assert "CMP_MANDATORY" in report and "Barking and Dagenham" in report
