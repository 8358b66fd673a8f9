"""One borough's identifier-shaped values in coded items never stop another borough's pack.

Borough 302 sends a SWE number and full dates where codes belong; borough 301
sends a clean copy. The run must succeed, both packs must be written, and 302's
findings must exist with the value withheld from their messages.
"""

from __future__ import annotations

import csv
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import duckdb
import pytest

from tests.python.conftest import LIIA_TOOLS_SAMPLE_XML, run_liia

SAMPLE_XML = LIIA_TOOLS_SAMPLE_XML
WITHHELD = "[value withheld: looks like an identifier]"
# record number -> (item, identifier-shaped value put in that coded item)
PLANTED: dict[int, tuple[str, str]] = {
    1: ("Ethnicity", "SW9876543"),
    2: ("GenderCurrent", "1901-06-15"),
    3: ("Ethnicity", "sw 987 6543"),
    4: ("OrgRole", "15/06/1901"),
}

REAL_SWE_RECORD, REAL_SWE_FROM = 5, 10
REAL_BIRTH_DATE_RECORD, REAL_BIRTH_DATE_FROM = 6, 11
IN_STAGING = "[withheld: an SWE number or birth date in the wrong item]"


def _write_return_with_planted_values(source: Path, target: Path, lea: str) -> None:
    tree = ET.parse(source)
    root = tree.getroot()
    lea_element = root.find("Header/Source/LEA")
    assert lea_element is not None
    lea_element.text = lea
    workers = root.findall("CSWWWorker")
    # Real identifiers of this very return, typed into the wrong items: they must be
    # withheld in staging, or the privacy scan would (rightly) fail every borough's run.
    real_swe = workers[REAL_SWE_FROM - 1].findtext("SWENo")
    real_birth_date = workers[REAL_BIRTH_DATE_FROM - 1].findtext("PersonBirthDate")
    assert real_swe and real_birth_date
    planted = {
        **PLANTED,
        REAL_SWE_RECORD: ("OrgRole", real_swe),
        REAL_BIRTH_DATE_RECORD: ("Ethnicity", real_birth_date),
    }
    for record_number, (item, value) in planted.items():
        worker = workers[record_number - 1]
        element = worker.find(item)
        if element is None:
            element = ET.SubElement(worker, item)
        element.text = value
    target.parent.mkdir(parents=True, exist_ok=True)
    tree.write(target, encoding="utf-8", xml_declaration=True)


@pytest.fixture(scope="module")
def two_borough_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("identifier_values_home")
    incoming = tmp_path_factory.mktemp("identifier_values_incoming")
    (incoming / "301").mkdir()
    shutil.copy(SAMPLE_XML, incoming / "301" / SAMPLE_XML.name)
    _write_return_with_planted_values(SAMPLE_XML, incoming / "302" / SAMPLE_XML.name, "302")
    result = run_liia(home, "run", check=False, LIIA_INCOMING=str(incoming))
    (home / "run_stdout.txt").write_text(result.stdout + "\n" + result.stderr)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return home


def _planted_findings(home: Path) -> dict[int, list[tuple[str, str, str]]]:
    conn = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        rows = conn.execute(
            "select record_number, item, rule_id, message from marts.fct_dq_findings "
            "where la_code = '302' and census_year = 2022 and record_number in (1, 2, 3, 4) "
            "and rule_id like 'FMT_%'"
        ).fetchall()
    finally:
        conn.close()
    found: dict[int, list[tuple[str, str, str]]] = {}
    for record_number, item, rule_id, message in rows:
        found.setdefault(record_number, []).append((item, rule_id, message))
    return found


def test_both_packs_are_written(two_borough_home: Path) -> None:
    for la_code in ("301", "302"):
        pack = two_borough_home / "exports" / "la" / la_code / "2022"
        assert (pack / "report.html").is_file(), la_code
        assert (pack / "findings.csv").is_file(), la_code


def test_planted_values_are_findings_with_the_value_withheld(two_borough_home: Path) -> None:
    found = _planted_findings(two_borough_home)
    for record_number, (item, value) in PLANTED.items():
        messages = [m for i, rule, m in found.get(record_number, []) if i == item]
        assert messages, f"no format finding on record {record_number} {item}"
        for message in messages:
            assert WITHHELD in message
            assert value.lower() not in message.lower()


def test_findings_of_302_pack_hold_no_planted_value(two_borough_home: Path) -> None:
    """The pack's findings (CSV and report) say the value was withheld, never the value."""
    pack = two_borough_home / "exports" / "la" / "302" / "2022"
    with (pack / "findings.csv").open(newline="", encoding="utf-8") as handle:
        messages = [row["message"] for row in csv.DictReader(handle)]
    assert sum(WITHHELD in message for message in messages) >= len(PLANTED)
    report = (pack / "report.html").read_text()
    for _, value in PLANTED.values():
        assert all(value not in message for message in messages)
        assert value not in report


def test_clean_borough_quotes_no_withheld_value(two_borough_home: Path) -> None:
    conn = duckdb.connect(str(two_borough_home / "warehouse.duckdb"), read_only=True)
    try:
        withheld = conn.execute(
            "select count(*) from marts.fct_dq_findings "
            "where la_code = '301' and contains(message, ?)",
            [WITHHELD],
        ).fetchall()[0][0]
    finally:
        conn.close()
    assert withheld == 0


def test_real_identifiers_in_the_wrong_item_are_withheld_in_staging(
    two_borough_home: Path,
) -> None:
    assert "Privacy scan: PASSED" in (two_borough_home / "run_stdout.txt").read_text()
    conn = duckdb.connect(str(two_borough_home / "warehouse.duckdb"), read_only=True)
    try:
        values = dict(
            conn.execute(
                "select record_number, item_value from staging.stg_csww__worker_items "
                "where la_code = '302' and (record_number, item_name) in "
                f"(({REAL_SWE_RECORD}, 'OrgRole'), ({REAL_BIRTH_DATE_RECORD}, 'Ethnicity'))"
            ).fetchall()
        )
        ethnicity = conn.execute(
            "select ethnicity from staging.stg_csww__workers "
            f"where la_code = '302' and record_number = {REAL_BIRTH_DATE_RECORD}"
        ).fetchall()[0][0]
        messages = [
            m
            for (m,) in conn.execute(
                "select message from marts.fct_dq_findings where la_code = '302' "
                f"and record_number in ({REAL_SWE_RECORD}, {REAL_BIRTH_DATE_RECORD}) "
                "and rule_id = 'FMT_CODE'"
            ).fetchall()
        ]
    finally:
        conn.close()
    assert values == {REAL_SWE_RECORD: IN_STAGING, REAL_BIRTH_DATE_RECORD: IN_STAGING}
    assert ethnicity is None
    assert len(messages) == 2 and all(IN_STAGING in m for m in messages), messages
