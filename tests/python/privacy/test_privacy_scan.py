"""The privacy scan finds nothing in a clean home and finds a leak made on purpose."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from liia.config import load_settings
from liia.hash_key import HashKey, keyed_hash
from liia.privacy import scan_home
from liia.privacy.needles import (
    BIRTH_DATE_KIND,
    SENDER_HASH_KIND,
    SWE_KIND,
    find_in_text,
    load_needles,
)
from liia.privacy.scanner import KEY_KIND
from liia.privacy.swe_macros import rule_connection
from tests.python.privacy.privacy_helpers import TEST_KEY, project_with_fixtures, run_leak_fixture
from tests.python.staging.synthetic_landing import (
    FULL_BIRTH_DATES,
    RAW_SWE_NUMBERS,
    SENDER_HASH,
    build_staging,
    copy_home,
    liia_env,
)

LEAK_COLUMNS = {"worker_reference", "tidy_reference", "start_marker", "free_text"}


def settings_for(home: Path):
    return load_settings({"LIIA_HOME": str(home), "LIIA_AS_OF": "2025-11-01"})


def test_clean_home_has_no_hits(keyed_home: Path) -> None:
    report = scan_home(settings_for(keyed_home), key=TEST_KEY)
    assert report.clean, str(report)
    assert report.tables_scanned >= 5 and report.columns_scanned > 50
    assert report.files_scanned > 0
    # Birth dates sent as dd/mm/yyyy are full dates too (30/11/1992); the sender's
    # 64-hex value is a needle of its own (the warehouse holds only keyed values).
    assert report.swe_needles == 6 and report.birth_date_needles == 6
    assert report.sender_pseudonym_needles == 1
    assert "PASSED" in str(report)


def test_key_appears_nowhere_under_home(keyed_home: Path) -> None:
    """The key set through LIIA_HASH_KEY is in no file the build wrote (byte search)."""
    needle = TEST_KEY.encode("utf-8")
    written = [p for p in keyed_home.rglob("*") if p.is_file() and p.name != "landing.duckdb"]
    assert any(p.suffix == ".json" for p in written)  # dbt artefacts exist
    assert any(p.suffix == ".log" for p in written)
    assert [p for p in written if needle in p.read_bytes()] == []
    report = scan_home(settings_for(keyed_home), key=TEST_KEY)
    assert not [hit for hit in report.hits if hit.kind == KEY_KIND]


def test_leaking_model_is_caught(keyed_home: Path, tmp_path: Path) -> None:
    home = copy_home(keyed_home, tmp_path / "home")
    project = project_with_fixtures(tmp_path / "project")
    result = run_leak_fixture(home, project, liia_env(home, LIIA_HASH_KEY=TEST_KEY))
    assert result.returncode == 0, result.stdout[-4000:]
    report = scan_home(settings_for(home), key=TEST_KEY)
    assert not report.clean
    leaked = {
        hit.location.rsplit(".", 1)[-1]
        for hit in report.hits
        if "leak_fixture.leak_fixture" in hit.location
    }
    assert leaked == LEAK_COLUMNS
    kinds = {hit.kind for hit in report.hits if "worker_reference" in hit.location}
    # The raw SWENo column holds the sender's unkeyed pseudonym too: a leak of its own kind.
    assert kinds == {SWE_KIND, SENDER_HASH_KIND}
    assert {hit.kind for hit in report.hits if "start_marker" in hit.location} == {BIRTH_DATE_KIND}
    text = str(report)
    assert "FAILED" in text and "leak_fixture.worker_reference" in text
    for raw in (*RAW_SWE_NUMBERS, *FULL_BIRTH_DATES):  # the report names places, not values
        assert raw.strip() not in text


def test_leaks_in_export_files_are_caught(keyed_home: Path, tmp_path: Path) -> None:
    home = copy_home(keyed_home, tmp_path / "home")
    exports = home / "exports" / "la" / "301"
    exports.mkdir(parents=True)
    (exports / "pack.csv").write_text("worker,born\nsw 500002,17/06/1985\n", encoding="utf-8")
    (home / "dbt" / "logs" / "extra.log").write_text(f"key={TEST_KEY}\n", encoding="utf-8")
    analyst = home / "exports" / "analyst"
    analyst.mkdir(parents=True)
    conn = duckdb.connect(str(analyst / "analyst.duckdb"))
    conn.execute(f"attach '{home / 'landing.duckdb'}' as landing (read_only)")
    conn.execute('create table ext_leak as select "SWENo" as ref from landing.csww.workers')
    conn.execute(
        f'copy (select "PersonBirthDate" as d from landing.csww.workers) '
        f"to '{analyst / 'leak.parquet'}' (format parquet)"
    )
    conn.close()
    report = scan_home(settings_for(home), key=TEST_KEY)
    found = {(hit.location, hit.kind) for hit in report.hits}
    assert ("exports/la/301/pack.csv", SWE_KIND) in found
    assert ("exports/la/301/pack.csv", BIRTH_DATE_KIND) in found
    assert ("dbt/logs/extra.log", KEY_KIND) in found
    assert ("exports/analyst/analyst.duckdb:main.ext_leak.ref", SWE_KIND) in found
    assert ("exports/analyst/leak.parquet.d", BIRTH_DATE_KIND) in found


def test_hits_name_the_affected_boroughs(keyed_home: Path, tmp_path: Path) -> None:
    """A hit in borough 301's pack names 301; a table row with an la_code names that
    borough; a copy with no borough of its own names the boroughs whose landed returns
    hold it; the key in a shared log names none, so the scan says some hits are
    unattributable."""
    home = copy_home(keyed_home, tmp_path / "home")
    pack = home / "exports" / "la" / "301" / "2024"
    pack.mkdir(parents=True)
    (pack / "workers.csv").write_text("worker\nSW500004\n", encoding="utf-8")
    other = home / "scratch.duckdb"
    conn = duckdb.connect(str(other))
    conn.execute(
        "create table t as select 'note: ' || chr(65331) || chr(65335) || '500001' as note, "
        "'302' as la_code"
    )
    conn.close()
    report = scan_home(settings_for(home), key=TEST_KEY)
    by_location = {hit.location: hit.la_codes for hit in report.hits}
    assert by_location["exports/la/301/2024/workers.csv"] == ("301",)
    assert by_location["scratch.duckdb:main.t.note"] == ("302",)
    assert report.affected_la_codes == ["301", "302"]
    assert not report.unattributed
    (home / "dbt" / "logs" / "extra.log").write_text(f"key={TEST_KEY}\n", encoding="utf-8")
    (home / "reports" / "note.txt").parent.mkdir(parents=True, exist_ok=True)
    (home / "reports" / "note.txt").write_text("SW-500002\n", encoding="utf-8")
    report = scan_home(settings_for(home), key=TEST_KEY)
    by_location = {(hit.location, hit.kind): hit.la_codes for hit in report.hits}
    assert by_location[("dbt/logs/extra.log", KEY_KIND)] == ()
    assert by_location[("reports/note.txt", SWE_KIND)] == ("301",)  # landed in 301's file
    assert report.unattributed
    assert "some hits name no borough" in str(report)


def test_sender_sha256_never_reaches_the_warehouse(keyed_home: Path, tmp_path: Path) -> None:
    """A borough's 64-hex pseudonym is a needle: staging holds only its keyed hash (the
    clean home passes), and a copy of the sender's value is a leak."""
    conn = rule_connection()
    conn.execute(f"attach '{keyed_home / 'landing.duckdb'}' as landing (read_only)")
    assert load_needles(conn, "landing").sender_pseudonyms == 1
    conn.close()
    staged = duckdb.connect(str(keyed_home / "warehouse.duckdb"), read_only=True)
    held = staged.execute(
        "select count(*) from staging.stg_csww__workers where upper(swe_number_hash) = $h",
        {"h": SENDER_HASH.upper()},
    ).fetchone()
    staged.close()
    assert held == (0,)
    home = copy_home(keyed_home, tmp_path / "home")
    (home / "reports").mkdir(exist_ok=True)
    (home / "reports" / "copy.csv").write_text(f"id\n{SENDER_HASH.lower()}\n", encoding="utf-8")
    report = scan_home(settings_for(home), key=TEST_KEY)
    assert [(h.location, h.kind) for h in report.hits] == [("reports/copy.csv", SENDER_HASH_KIND)]


def _needle_conn(swe_numbers: list[str], birth_dates: list[str]) -> duckdb.DuckDBPyConnection:
    conn = rule_connection()
    conn.execute(
        "create temp table scan_needles (kind varchar, needle varchar, la_codes varchar[])"
    )
    rows = [(SWE_KIND, n) for n in swe_numbers] + [(BIRTH_DATE_KIND, d) for d in birth_dates]
    conn.executemany("insert into scan_needles values (?, ?, ['301'])", rows)
    return conn


def test_text_matching_forms() -> None:
    conn = _needle_conn(["SW500001", "1234567"], ["1985-06-17"])
    swe, born = {SWE_KIND: (1, ["301"])}, {BIRTH_DATE_KIND: (1, ["301"])}
    assert find_in_text(conn, "x sw 500001 y") == swe
    # Non-ASCII whitespace inside or around a number is removed as the macro removes it.
    assert find_in_text(conn, "x SW\u00a0500\u202f001 y") == swe
    assert find_in_text(conn, "a;\u2007sw500001\u3000;b") == swe
    assert find_in_text(conn, "a,12-345-67,b") == swe
    # Every form the normaliser folds: dashes, full width, soft hyphen, zero-width joiner.
    assert find_in_text(conn, "error: SW-500001 in record 3") == swe
    assert find_in_text(conn, "\uff33\uff37\uff15\uff10\uff10\uff10\uff10\uff11") == swe
    assert find_in_text(conn, "x SW\u00ad500001 SW\u200d500001 y") == swe
    assert find_in_text(conn, "message quoting S W500001") == swe
    assert find_in_text(conn, "glued ab0fSW500001ff") == swe
    assert find_in_text(conn, "born 17/06/1985") == born
    assert find_in_text(conn, "born 17.06.85, 17 June 1985, 19850617") == born
    assert find_in_text(conn, '"1985-06-17T00:00:00"') == born
    # Not leaks: a longer number, the birth month.
    assert find_in_text(conn, "SW5000012 1985-06-01") == {}
    dropped = "select count(*) from duckdb_tables() where table_name = 'scan_values'"
    assert conn.execute(dropped).fetchone() == (0,)
    conn.close()


def test_needles_are_what_staging_hashed(keyed_home: Path) -> None:
    """The needles are normalised by the staging macro: the keyed hash of each needle is a
    staging pseudonym, every pseudonym made here has its needle, and the mover's two
    spellings (one with a no-break space) are one needle."""
    conn = rule_connection()
    conn.execute(f"attach '{keyed_home / 'landing.duckdb'}' as landing (read_only)")
    counts = load_needles(conn, "landing")
    needles = [
        n
        for (n,) in conn.execute(
            "select needle from scan_needles where kind = $k", {"k": SWE_KIND}
        ).fetchall()
    ]
    conn.close()
    assert counts.swe_numbers == len(needles) == 6
    key = HashKey(TEST_KEY.encode(), is_demo=False)
    needle_hashes = {keyed_hash(key, needle) for needle in needles}
    staged = duckdb.connect(str(keyed_home / "warehouse.duckdb"), read_only=True)
    made_here = {
        h
        for (h,) in staged.execute(
            "select swe_number_hash from staging.stg_csww__workers "
            "where swe_number_form in ('canonical', 'normalised', 'invalid')"
        ).fetchall()
    }
    staged.close()
    assert made_here and made_here <= needle_hashes
    assert len(needle_hashes - made_here) == 1  # SW500003: only in the superseded file


def test_production_build_without_key_fails(tmp_path: Path) -> None:
    result = build_staging(tmp_path / "home", LIIA_ENV="production")
    assert result.returncode != 0
    assert "LIIA_HASH_KEY" in result.stdout + result.stderr
    conn = duckdb.connect(str(tmp_path / "home" / "warehouse.duckdb"))
    tables = conn.execute("select count(*) from duckdb_tables() where schema_name = 'staging'")
    assert tables.fetchall()[0][0] == 0
    conn.close()


def test_demo_key_is_announced(tmp_path: Path) -> None:
    result = build_staging(tmp_path / "home")
    assert result.returncode == 0
    assert "DEMO hash key" in result.stderr


@pytest.mark.slow
def test_pipeline_home_is_clean(demo_home: Path) -> None:
    report = scan_home(settings_for(demo_home))
    assert report.clean, str(report)
    assert report.tables_scanned > 5 and report.columns_scanned > 50 and report.files_scanned > 0
    assert report.swe_needles > 100 and report.birth_date_needles > 100


@pytest.mark.slow
def test_leaking_model_is_caught_on_pipeline_copy(demo_home: Path, tmp_path: Path) -> None:
    home = copy_home(demo_home, tmp_path / "home")
    shutil.rmtree(home / "incoming", ignore_errors=True)
    project = project_with_fixtures(tmp_path / "project")
    result = run_leak_fixture(home, project, liia_env(home))
    assert result.returncode == 0, result.stdout[-4000:]
    report = scan_home(settings_for(home))
    leaked = {
        hit.location.rsplit(".", 1)[-1]
        for hit in report.hits
        if "leak_fixture.leak_fixture" in hit.location
    }
    assert leaked == LEAK_COLUMNS


@pytest.mark.parametrize("code_holds_the_date", [True, False])
def test_a_birth_date_the_project_code_holds_is_no_hit_in_dbt_artefacts_only(
    keyed_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code_holds_the_date: bool
) -> None:
    """dbt's manifest copies the code's test fixtures (dates such as 31/12/1990): a worker
    born that day makes the date no leak in dbt's artefacts, but still one in an export."""
    import liia.privacy.scanner as scanner

    day, month, year = FULL_BIRTH_DATES[0][8:], FULL_BIRTH_DATES[0][5:7], FULL_BIRTH_DATES[0][:4]
    code = tmp_path / "code"
    code.mkdir()
    fixture = f"-- fixture: '{day}/{month}/{year}' is parsed\n" if code_holds_the_date else ""
    (code / "model.sql").write_text(f"{fixture}select 1\n", encoding="utf-8")
    monkeypatch.setattr(scanner, "PROJECT_ROOT", code)
    monkeypatch.setattr(scanner, "PROJECT_CODE", ("model.sql",))
    home = copy_home(keyed_home, tmp_path / "home")
    artefact = home / "dbt" / "target" / "compiled" / "fixture.sql"
    artefact.parent.mkdir(parents=True, exist_ok=True)
    artefact.write_text(f"select '{day}/{month}/{year}' as parsed\n", encoding="utf-8")
    export = home / "exports" / "notes.csv"
    export.parent.mkdir(parents=True, exist_ok=True)
    export.write_text(f"note\n{FULL_BIRTH_DATES[0]}\n", encoding="utf-8")

    report = scan_home(settings_for(home), key=TEST_KEY)

    hits = {(hit.location, hit.kind) for hit in report.hits}
    assert ("exports/notes.csv", BIRTH_DATE_KIND) in hits
    in_artefact = ("dbt/target/compiled/fixture.sql", BIRTH_DATE_KIND) in hits
    assert in_artefact is not code_holds_the_date
    assert report.code_dates_set_aside == (1 if code_holds_the_date else 0)
    # the needle is back for whatever is scanned after the artefacts
    assert report.birth_date_needles == 6
