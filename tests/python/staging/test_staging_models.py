"""The staging models on a synthetic landing: pseudonymised, minimised, typed."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import duckdb
import pytest

from liia.csww_schema import ALL_WORKER_ITEMS, REPEATED_WORKER_ITEMS
from liia.hash_key import keyed_hash, resolve_hash_key
from tests.python.staging.synthetic_landing import (
    FILES,
    FREE_TEXT_LEAKS,
    ODD_ITEM_NAMES,
    REPO_ROOT,
    SENDER_HASH,
    WORKERS,
)

MARKER = "[withheld: an SWE number or birth date in the wrong item]"


@pytest.fixture
def staged(staged_home: Path):
    conn = duckdb.connect(str(staged_home / "warehouse.duckdb"), read_only=True)
    yield conn
    conn.close()


def test_movement_survives_pseudonymisation(staged) -> None:
    """'SW<U+00A0>1234' in borough 301 and 'sw1234' in 302 link to one hash: the demo
    key's HMAC of the normalised 'SW1234', and both count as 'normalised'."""
    rows = staged.execute(
        "select la_code, swe_number_hash, swe_number_form from staging.stg_csww__workers "
        "where (file_id = 1 and record_number = 4) or (file_id = 2 and record_number = 1) "
        "order by la_code"
    ).fetchall()
    assert [r[0] for r in rows] == ["301", "302"]
    assert rows[0][1] == rows[1][1]
    assert rows[0][1] == keyed_hash(resolve_hash_key({}, announce=False), "SW1234")
    assert {r[2] for r in rows} == {"normalised"}


def test_swe_number_forms_and_hashes(staged) -> None:
    rows = dict(
        staged.execute(
            "select swe_number_form, list(swe_number_hash order by file_id, record_number) "
            "from staging.stg_csww__workers group by all"
        ).fetchall()
    )
    assert set(rows) == {"canonical", "normalised", "sender_hashed", "missing", "invalid"}
    # A sender's 64-hex pseudonym is keyed-hashed like any number: the warehouse never
    # holds the sender's unkeyed value.
    demo = resolve_hash_key({}, announce=False)
    assert rows["sender_hashed"] == [keyed_hash(demo, SENDER_HASH.upper())]
    assert SENDER_HASH.lower() not in rows["sender_hashed"]
    assert rows["missing"] == [None, None]
    # Every hash is 64 lower-case hex: tests/dbt/staging/assert_workers_are_minimised,
    # which the staged build runs.


def test_only_accepted_files_are_published(staged) -> None:
    accepted = {f["file_id"] for f in FILES if f["status"] == "accepted"}
    for model in ("stg_csww__workers", "stg_csww__worker_items", "stg_csww__la_level"):
        found = {
            r[0] for r in staged.execute(f"select distinct file_id from staging.{model}").fetchall()
        }
        assert found == accepted, model
    files = staged.execute("select count(*) from staging.stg_csww__files").fetchall()[0][0]
    assert files == len(FILES)


def test_birth_dates_become_months_and_exact_ages(staged) -> None:
    rows = staged.execute(
        "select file_id, record_number, birth_month, birth_date_form, age_at_census "
        "from staging.stg_csww__workers order by file_id, record_number"
    ).fetchall()
    by_key = {(r[0], r[1]): r[2:] for r in rows}
    assert by_key[(1, 1)] == (date(1985, 6, 1), "valid", 39)  # born mid-June 1985, at 30/9/2024
    assert by_key[(1, 3)] == (date(1996, 2, 1), "valid", 28)  # a leap-day birth
    assert by_key[(2, 1)] == (date(1979, 11, 1), "valid", 45)  # birthday after 30 Sept
    assert by_key[(2, 2)] == (None, "invalid", None)
    assert by_key[(2, 3)] == (None, "missing", None)
    assert by_key[(2, 4)] == (None, "invalid", None)  # dd/mm/yyyy is not accepted


def test_files_minimisation_status(staged) -> None:
    rows = {
        r[0]: r[1:]
        for r in staged.execute(
            "select file_id, swe_numbers_hashed_by_sender, swe_numbers_hashed_here, "
            "birth_dates_degraded_by_sender, birth_dates_degraded_here, dropped_item_count, "
            "dropped_items from staging.stg_csww__files"
        ).fetchall()
    }
    # one of file 1's four valid dates is a 1st, by chance: the pipeline degraded all four
    assert rows[1] == (1, 3, 0, 4, 2, ["NINumber", "Surname"])
    assert rows[2] == (0, 2, 0, 1, 0, [])
    assert rows[5] == (0, 0, 0, 0, 0, [])


def test_worker_items_long_format(staged) -> None:
    items = staged.execute(
        "select item_name, value_index, item_value from staging.stg_csww__worker_items "
        "where file_id = 1 and record_number = 1 order by item_name, value_index"
    ).fetchall()
    values = {(name, index): value for name, index, value in items}
    assert values[("SWENo", 1)] is None and values[("PersonBirthDate", 1)] is None
    assert [values[("QualInst", i)] for i in (1, 2, 3)] == ["Uni A", "", "Uni B"]
    assert ("GenderCurrent", 1) not in values  # absent item: no row
    assert values[("Sex", 1)] == "F"
    # No SWENo or PersonBirthDate row holds a value anywhere:
    # tests/dbt/staging/assert_worker_items_hold_no_personal_value.
    rows = staged.execute("select count(*) from staging.stg_csww__worker_items").fetchall()[0][0]
    expected = sum(
        (len(v) if isinstance(v, list) else 1)
        for file_id in (1, 2, 4)
        for worker in WORKERS[file_id]
        for item, v in worker.items()
        if v is not None and item in ALL_WORKER_ITEMS
    )
    assert rows == expected


def test_bad_values_become_null_not_errors(staged) -> None:
    row = staged.execute(
        "select cases30, fte from staging.stg_csww__workers where file_id = 1 and record_number = 3"
    ).fetchall()[0]
    assert row[0] is None  # 'many'
    fte = staged.execute(
        "select fte from staging.stg_csww__workers where file_id = 1 and record_number = 2"
    ).fetchall()[0][0]
    assert float(fte) == 0.5  # ' 0.5 ' trimmed
    la = staged.execute(
        "select number_of_vacancies, no_agency_fte, recruitment_bonus, other_allowances "
        "from staging.stg_csww__la_level where file_id = 2"
    ).fetchall()[0]
    assert la[0] is None and float(la[1]) == 1.25 and la[2] == 1 and la[3] == "London weighting"
    lists = staged.execute(
        "select contract_weeks, absence_reasons from staging.stg_csww__workers "
        "where file_id = 2 and record_number = 3"
    ).fetchall()[0]
    assert [None if v is None else float(v) for v in lists[0]] == [12.5, None]
    assert lists[1] == ["SIC", "MAT"]


def test_staging_item_list_matches_the_landing_contract() -> None:
    macro = (REPO_ROOT / "macros" / "csww_items.sql").read_text(encoding="utf-8")
    entries = re.findall(
        r"'name': '(\w+)', 'repeated': (true|false), 'personal': (true|false)", macro
    )
    assert tuple(name for name, _, _ in entries) == ALL_WORKER_ITEMS
    assert {name for name, repeated, _ in entries if repeated == "true"} == REPEATED_WORKER_ITEMS
    assert {name for name, _, personal in entries if personal == "true"} == {
        "SWENo",
        "PersonBirthDate",
    }


def test_free_text_holding_an_identifier_is_withheld_in_staging(staged) -> None:
    """A landing SWE number typed into OtherAllowances ('SW-500003') or QualInst (full
    width) is withheld, flagged, and the other values stay."""
    la_level = staged.execute(
        "select file_id, other_allowances, other_allowances_withheld "
        "from staging.stg_csww__la_level order by file_id"
    ).fetchall()
    assert (4, MARKER, True) in la_level
    assert (2, "London weighting", False) in la_level
    qual = staged.execute(
        "select item_value, withheld_identifier from staging.stg_csww__worker_items "
        "where file_id = 4 and item_name = 'QualInst' order by value_index"
    ).fetchall()
    assert qual == [(MARKER, True), ("Uni C", False)]
    leaks = set(FREE_TEXT_LEAKS.values())
    for table in ("stg_csww__la_level", "stg_csww__worker_items", "stg_csww__load_errors"):
        text = str(staged.execute(f"select * from staging.{table}").fetchall())
        assert not any(leak in text for leak in leaks), table


def test_load_error_messages_hold_no_identifier_shape(staged) -> None:
    """Messages, items and paths of load errors are redacted under the one rule: the
    'S W500001' message and the 64-hex item name are redacted, the non-ASCII item name
    (a word, not an identifier) is kept. That no load error trips the rule is
    tests/dbt/staging/assert_load_errors_hold_no_identifier, run by the staged build."""
    rows = staged.execute(
        "select item, message from staging.stg_csww__load_errors where file_id = 4"
    ).fetchall()
    items = {item for item, _ in rows}
    assert ODD_ITEM_NAMES[0] in items and ODD_ITEM_NAMES[1] not in items
    messages = [message for _, message in rows]
    assert "record 1: item [redacted] is not a date" in messages
