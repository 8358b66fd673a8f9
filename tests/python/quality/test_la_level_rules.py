"""The 2025 LA-level checks, end to end on a three-borough home: every bad value is
found with its reason (and never silently rounded into the indicators), every
borough still gets its pack, and the privacy scan passes."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from liia.generate.sample import generate_sample
from tests.python.conftest import run_liia, skip_if_fast

BOROUGHS = ("201", "202", "203")
YEARS = (2024, 2025)


def _edit(path: Path, **items: str | None) -> None:
    """Set (or, with None, remove) LA-level and header items of one XML return."""
    text = path.read_text(encoding="utf-8")
    for item, value in items.items():
        pattern = rf"<{item}>[^<]*</{item}>"
        assert re.search(pattern, text), item
        replacement = "" if value is None else f"<{item}>{value}</{item}>"
        text = re.sub(rf"\s*{pattern}" if value is None else pattern, replacement, text)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    skip_if_fast("liia run")  # before generating: everything here reads the run
    home = tmp_path_factory.mktemp("la_level_rules")
    generated = home / "generated"
    generate_sample(generated, as_of_year=2025, seed=2025)
    for la_code in BOROUGHS:
        (home / "incoming" / la_code).mkdir(parents=True)
        for year in YEARS:
            name = f"csww_{year}.xml"
            shutil.copy(generated / la_code / name, home / "incoming" / la_code / name)
    shutil.rmtree(generated)
    _edit(
        home / "incoming" / "202" / "csww_2025.xml",
        NumberOfVacancies="3.125",
        NoAgencyFTE="2.555",
        RecruitmentBonus="Yes",
        RetentionBonus="1.5",
        CarAllowance=None,
        OtherAllowances=None,
        ReferenceDate="2025-09-29",
    )
    # a worker's own SWE number typed into an LA-level item
    return_201 = home / "incoming" / "201" / "csww_2025.xml"
    swe_number = re.search(r"<SWENo>([^<]+)</SWENo>", return_201.read_text()).group(1)
    (home / "planted_swe_number.txt").write_text(swe_number)
    _edit(return_201, CostSWE=swe_number)
    _edit(
        home / "incoming" / "203" / "csww_2025.xml",
        OtherAllowances='=HYPERLINK("http://example.invalid","pay")',
    )
    # Not check=True: each promise below is its own test, the exit status one of them.
    result = run_liia(home, "run", check=False)
    (home / "run_stdout.txt").write_text(result.stdout + "\n" + result.stderr)
    (home / "run_status.txt").write_text(str(result.returncode))
    return home


def _query(home: Path, sql: str, params: list | None = None) -> list[tuple]:
    conn = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return conn.execute(sql, params or []).fetchall()
    finally:
        conn.close()


def _la_level_findings(home: Path, la_code: str) -> dict[str, tuple[str, str]]:
    rows = _query(
        home,
        "select item, rule_id, message from marts.fct_dq_findings "
        "where la_code = ? and census_year = 2025 and record_number is null",
        [la_code],
    )
    return {item: (rule, message) for item, rule, message in rows}


def test_bad_pay_items_and_decimals_are_found_with_their_reason(home: Path) -> None:
    found = _la_level_findings(home, "202")
    assert found["RecruitmentBonus"] == (
        "FMT_CODE",
        "LA-level RecruitmentBonus 'Yes' is not one of the DfE codes for this item",
    )
    assert found["RetentionBonus"][0] == "FMT_CODE" and "'1.5'" in found["RetentionBonus"][1]
    assert found["CarAllowance"][0] == "CMP_LA_LEVEL"
    assert found["OtherAllowances"][0] == "CMP_LA_LEVEL"
    assert found["NumberOfVacancies"] == (
        "FMT_DECIMALS",
        "LA-level NumberOfVacancies '3.125' has 3 decimal places; at most 2 are allowed: "
        "it is not used until it is resent",
    )
    assert found["NoAgencyFTE"][0] == "FMT_DECIMALS"


def test_reference_date_that_is_not_the_census_date_is_found(home: Path) -> None:
    found = _la_level_findings(home, "202")
    assert found["ReferenceDate"] == (
        "FMT_REFERENCE_DATE",
        "ReferenceDate is 1 day(s) before 30 September 2025, the census date of this return: "
        "check the return is the 2025 census and resend it with that ReferenceDate",
    )


def test_good_la_level_returns_raise_no_la_level_finding(home: Path) -> None:
    assert set(_la_level_findings(home, "201")) == {"CostSWE"}  # the planted one only
    assert _la_level_findings(home, "203") == {}  # free text is not a code: no format rule
    other_years = _query(
        home,
        "select count(*) from marts.fct_dq_findings where census_year = 2024 "
        "and record_number is null and rule_id in ('CMP_LA_LEVEL', 'FMT_CODE', 'FMT_DECIMALS')",
    )
    assert other_years == [(0,)]  # the 2025 items are not expected of 2024 returns


def test_too_many_decimals_are_never_rounded_into_the_indicators(home: Path) -> None:
    staged = _query(
        home,
        "select la_code, number_of_vacancies, no_agency_fte, recruitment_bonus, retention_bonus "
        "from staging.stg_csww__la_level where census_year = 2025 order by la_code",
    )
    by_la = {row[0]: row[1:] for row in staged}
    assert by_la["202"] == (None, None, None, None)  # not 3.13 / 2.56: left out
    assert all(value is not None for value in by_la["201"])
    published = _query(
        home,
        "select number_of_vacancies from marts.fct_la_level "
        "where la_code = '202' and census_year = 2025",
    )
    assert published == [(None,)]


def test_an_identifier_sent_as_an_la_level_figure_is_withheld_and_found(home: Path) -> None:
    swe_number = (home / "planted_swe_number.txt").read_text()
    sent = _query(
        home,
        "select sent_values['CostSWE'], cost_swe "
        "from staging.stg_csww__la_level where la_code = '201' and census_year = 2025",
    )
    assert sent == [("[withheld: an SWE number or birth date in the wrong item]", None)]
    found = _query(
        home,
        "select rule_id, message from marts.fct_dq_findings "
        "where la_code = '201' and census_year = 2025 and item = 'CostSWE'",
    )
    assert found == [
        (
            "FMT_CODE",
            "LA-level CostSWE [withheld: an SWE number or birth date in the wrong item] "
            "is not one of the DfE codes for this item",
        )
    ]
    assert swe_number not in (home / "run_stdout.txt").read_text()


def test_every_borough_gets_its_pack_and_the_privacy_scan_passes(home: Path) -> None:
    out = (home / "run_stdout.txt").read_text()
    assert (home / "run_status.txt").read_text() == "0", out[-4000:]
    assert "Privacy scan: PASSED" in out
    for la_code in BOROUGHS:
        for year in YEARS:
            assert (home / "exports" / "la" / la_code / str(year) / "report.html").is_file()
    with (home / "exports" / "la" / "202" / "2025" / "findings.csv").open(newline="") as handle:
        rules = {row["rule_id"] for row in csv.DictReader(handle)}
    assert {"FMT_CODE", "FMT_DECIMALS", "CMP_LA_LEVEL"} <= rules


def test_formula_text_from_a_return_is_inert_in_the_pack(home: Path) -> None:
    path = home / "exports" / "la" / "203" / "2025" / "la_level.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        row = next(csv.DictReader(handle))
    assert row["other_allowances"] == '\'=HYPERLINK("http://example.invalid","pay")'
