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


def _parquet(path: Path, rows: list[tuple], columns: str = "ref, note, la_code") -> Path:
    """A Parquet file of text ``columns`` holding ``rows``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = duckdb.connect()
    conn.execute(f"create table t ({', '.join(f'{c} varchar' for c in columns.split(', '))})")
    conn.executemany(f"insert into t values ({', '.join('?' for _ in columns.split(', '))})", rows)
    conn.execute(f"copy t to '{path}' (format parquet)")
    conn.close()
    return path


def _damaged_parquet(path: Path, columns: str) -> Path:
    """A Parquet file whose footer reads but whose data does not."""
    rows = [tuple(f"{c}{i}" for c in columns.split(", ")) for i in range(2000)]
    data = bytearray(_parquet(path, rows, columns).read_bytes())
    data[4:300] = b"\xff" * 296
    path.write_bytes(bytes(data))
    conn = duckdb.connect()
    assert conn.execute(f"describe select * from read_parquet('{path}')").fetchall()
    with pytest.raises(duckdb.Error):
        conn.execute(f"select count(distinct ref) from read_parquet('{path}')").fetchall()
    conn.close()
    return path


def _scan_outcome(report) -> tuple:
    return (
        [(hit.location, hit.kind, hit.count, hit.la_codes) for hit in report.hits],
        sorted(report.unreadable),
        report.tables_scanned,
        report.columns_scanned,
        report.files_scanned,
    )


def test_parquet_files_read_together_keep_their_file_column_and_borough(
    keyed_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parquet files of one shape are read many in one query: each hit still names its
    own file and column and its pack's borough (whatever borough the row names); a file
    whose data cannot be read is named and the others of its batch are still scanned; a
    name DuckDB would read as a glob is read alone; the key in a file with no borough is
    a hit naming none. Reading one file at a time gives the very same report."""
    import liia.privacy.scanner as scanner

    home = copy_home(keyed_home, tmp_path / "home")
    packs = home / "exports" / "la"
    _parquet(packs / "301/2024/w.parquet", [("SW500001", "ok", "999"), ("x", None, "999")])
    _parquet(packs / "302/2024/w.parquet", [("y", "born 17/06/1985", "302")])
    _parquet(packs / "303/2024/w.parquet", [("clean", "1 2 3", "303")])
    _parquet(packs / "304/2024/w[1].parquet", [(" sw 500002 ", None, None)])
    # A damaged file makes its batch be read again one file at a time.
    _damaged_parquet(packs / "305/2024/damaged.parquet", "ref, other")
    _parquet(packs / "307/2024/o.parquet", [("SW500001", "a")], "ref, other")
    _parquet(packs / "306/2024/w.parquet", [(f"k={TEST_KEY}", None, None)])
    _parquet(home / "exports/analyst/k.parquet", [(TEST_KEY, "SW500004", None)])

    batched = scan_home(settings_for(home), key=TEST_KEY)
    found = {(hit.location, hit.kind): hit.la_codes for hit in batched.hits}
    assert found["exports/la/301/2024/w.parquet.ref", SWE_KIND] == ("301",)
    assert found["exports/la/302/2024/w.parquet.note", BIRTH_DATE_KIND] == ("302",)
    assert found["exports/la/304/2024/w[1].parquet.ref", SWE_KIND] == ("304",)
    assert found["exports/la/306/2024/w.parquet.ref", KEY_KIND] == ("306",)
    assert found["exports/analyst/k.parquet.ref", KEY_KIND] == ()
    assert ("exports/analyst/k.parquet.note", SWE_KIND) in found
    assert found["exports/la/307/2024/o.parquet.ref", SWE_KIND] == ("307",)
    assert not [location for location, _ in found if "/303/" in location]
    assert not [location for location, _ in found if location.endswith("w.parquet.la_code")]
    assert [u for u in batched.unreadable if "damaged" in u] == [
        "exports/la/305/2024/damaged.parquet (Error)"
    ]

    monkeypatch.setattr(scanner, "PARQUET_BATCH_CELLS", 1)  # every file read alone
    assert _scan_outcome(scan_home(settings_for(home), key=TEST_KEY)) == _scan_outcome(batched)


def test_a_file_read_in_pieces_is_looked_through_whole(
    keyed_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large file is read in pieces cut after a newline and looked through over several
    passes: its needles are counted once over the whole file, the key is found across a
    cut, and the report is the one reading the file whole gives."""
    import liia.privacy.scanner as scanner

    home = copy_home(keyed_home, tmp_path / "home")
    chunk = 64
    head = "ref,note\nSW500001,first\n" + "filler,0123 4567\n" * 20
    pad = "p" * (chunk - len(head.encode()) % chunk - 10)  # the key starts 10 bytes before a cut
    text = f"{head}{pad}{TEST_KEY}\n" + "x,y\n" * 50 + "x SW-500004 y,last\nSW500001,again\n"
    (home / "reports").mkdir(exist_ok=True)
    (home / "reports" / "big.csv").write_text(text, encoding="utf-8")
    whole = scan_home(settings_for(home), key=TEST_KEY)
    monkeypatch.setattr(scanner, "READ_CHUNK_BYTES", chunk)
    monkeypatch.setattr(scanner, "TEXT_BATCH_CHARS", 200)
    pieces = scan_home(settings_for(home), key=TEST_KEY)
    hits = [(h.location, h.kind, h.count) for h in pieces.hits if h.location == "reports/big.csv"]
    assert hits == [("reports/big.csv", KEY_KIND, 1), ("reports/big.csv", SWE_KIND, 2)]
    assert _scan_outcome(pieces) == _scan_outcome(whole)


@pytest.mark.parametrize("chunk_size", [1, 3, 7, 64, 1 << 20])
def test_lines_of_cuts_after_newlines_and_finds_the_key_across_cuts(chunk_size: int) -> None:
    import io

    from liia.privacy.scanner import _lines_of

    data = b"a\nbb\n\nno newline here, KEY split" + b"x" * 10 + b"\nlast line without end"
    pieces = list(_lines_of(io.BytesIO(data), b"KEY split", chunk_size))
    assert b"".join(piece for piece, _ in pieces) == data
    assert all(piece.endswith(b"\n") for piece, _ in pieces[:-1])
    assert pieces[-1][1] is True
    assert list(_lines_of(io.BytesIO(b""), b"KEY", chunk_size)) == []
    assert list(_lines_of(io.BytesIO(data), b"absent", chunk_size))[-1][1] is False


def test_a_needle_without_digits_is_looked_for_in_every_cell() -> None:
    """Only cells holding a digit or a non-ASCII character are cut out of a text unless
    a needle has no digit (a sender's 64-hex pseudonym written in letters only): then
    every cell is looked through."""
    letters = "ABCDEF" * 10 + "ABCD"
    conn = _needle_conn(["SW500001"], [])
    conn.execute("insert into scan_needles values (?, ?, ['301'])", [SENDER_HASH_KIND, letters])
    assert find_in_text(conn, f"id,{letters.lower()},x") == {SENDER_HASH_KIND: (1, ["301"])}
    assert find_in_text(conn, f"id,z{letters},x") == {}
    assert find_in_text(conn, "a,sw 500001,b") == {SWE_KIND: (1, ["301"])}
    conn.close()


def test_fold_text_table_folds_each_character_as_fold_char() -> None:
    """fold_text's cached translate table is _fold_char of each NFKC character."""
    import unicodedata

    from liia.privacy.identifier_rule import _fold_char, fold_text

    for code in range(0x30000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        normalised = unicodedata.normalize("NFKC", char)
        assert fold_text(char) == "".join(_fold_char(c) for c in normalised), hex(code)


def test_cells_taken_from_a_text_are_the_cells_splitting_it_gives() -> None:
    """The scan takes from a text only the cells that could hold a needle (a digit or a
    non-ASCII character) and the comma-holding pieces WIDE_PIECE_PATTERN matches, by
    regexp_extract_all over its lines: exactly what splitting the whole text at
    CELL_SPLIT_PATTERN and COMMA_PIECE_SPLIT_PATTERN and filtering gives."""
    import random

    from liia.privacy import needles

    random.seed(10)
    alphabet = [*",;|\t\r\n\"'<>[]{}()=: -./aAzZ09", "é", "\uff15", "\u00a0", "June", "may"]
    texts = ["".join(random.choices(alphabet, k=random.randint(0, 60))) for _ in range(3000)]
    conn = rule_connection()
    conn.execute(
        "create temp table scan_needles (kind varchar, needle varchar, la_codes varchar[])"
    )
    conn.execute("create temp table taken (place integer, value varchar, la_code varchar)")
    needles.load_texts(conn, list(enumerate(texts)), "taken")
    taken = set(conn.execute("select place, value from taken").fetchall())
    conn.execute("create temp table texts (place integer, text varchar)")
    conn.executemany("insert into texts values (?, ?)", list(enumerate(texts)))
    split = set(
        conn.execute(
            "select distinct place, piece from ("
            "select place, unnest(regexp_split_to_array(text, $cells)) as piece from texts "
            "union all select place, wide from ("
            "select place, unnest(regexp_split_to_array(text, $wide_cells)) as wide from texts"
            ") where regexp_matches(wide, $months)) "
            # cells that could hold a needle; a comma-holding piece is kept as it is
            "where trim(piece) != '' and (regexp_matches(piece, '[0-9]') "
            "or regexp_matches(piece, '[^\\x00-\\x7F]') or regexp_matches(piece, $months))",
            {
                "cells": needles.CELL_SPLIT_PATTERN,
                "wide_cells": needles.COMMA_PIECE_SPLIT_PATTERN,
                "months": needles.WIDE_PIECE_PATTERN,
            },
        ).fetchall()
    )
    conn.close()
    assert len(taken) > 1000
    assert taken == split
