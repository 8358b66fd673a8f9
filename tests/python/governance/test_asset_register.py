"""The register of data assets matches what is on disk, before and after retention."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import duckdb

from tests.python.governance.conftest import AGED_YEARS, Retained


def _register(home: Path) -> list[dict[str, str]]:
    return list(csv.DictReader((home / "reports" / "data_assets.csv").open()))


def _check_matches_disk(home: Path, rows: list[dict[str, str]]) -> None:
    held = [r for r in rows if not r["destroyed_at"]]
    by_zone = Counter(r["zone"] for r in held)
    assert {"incoming", "landing", "warehouse", "exports"} <= set(by_zone)
    # incoming: every file on disk, with its hash, and nothing else
    incoming = {
        f"incoming/{p.relative_to(home / 'incoming').as_posix()}"
        for p in (home / "incoming").rglob("*")
        if p.is_file()
    }
    assert {r["location"] for r in held if r["zone"] == "incoming"} == incoming
    # landing: one row per file-register entry, rows = the worker rows landed for it
    landing = duckdb.connect(str(home / "landing.duckdb"), read_only=True)
    try:
        expected = {
            (f"landing.duckdb:csww.file_register#{fid}", sha, str(n))
            for fid, sha, n in landing.execute(
                "select f.file_id, f.file_sha256, count(w.file_id) from csww.file_register f "
                "left join csww.workers w using (file_id) group by all"
            ).fetchall()
        }
        in_table = landing.execute("select count(*) from csww.data_assets").fetchone()[0]
    finally:
        landing.close()
    assert in_table == len(rows)  # the generated table is the same register
    assert {
        (r["location"], r["file_sha256"], r["rows"]) for r in held if r["zone"] == "landing"
    } == expected
    # warehouse: rows per table, borough and year, recounted
    warehouse = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        tables = {}
        for schema, table in warehouse.execute(
            "select schema_name, table_name from duckdb_tables() where schema_name <> 'reference'"
        ).fetchall():
            (n,) = warehouse.execute(f'select count(*) from "{schema}"."{table}"').fetchone()
            tables[f"warehouse.duckdb:{schema}.{table}"] = n
        listed_rows: Counter = Counter()
        for r in (r for r in held if r["zone"] == "warehouse"):
            listed_rows[r["location"]] += int(r["rows"])
        # every table is listed, with all its rows (reference: DfE's public seeds)
        assert set(listed_rows) == {t for t, n in tables.items() if n}
        assert {t: listed_rows[t] for t in listed_rows} == {t: n for t, n in tables.items() if n}
        for r in (r for r in held if r["zone"] == "warehouse" and r["census_year"]):
            table = r["location"].split(":", 1)[1]
            columns = {c[0] for c in warehouse.execute(f"describe {table}").fetchall()}
            if "census_year" not in columns:
                continue  # by its oldest *_year column: counted in the totals above
            # a row without a borough: a region's or London's, or a table with no borough
            la = "la_code is not distinct from ?" if "la_code" in columns else "? is null"
            (n,) = warehouse.execute(
                f"select count(*) from {table} where {la} and census_year = ?",
                [r["la_code"] or None, int(r["census_year"])],
            ).fetchone()
            assert str(n) == r["rows"], r
        fct = warehouse.execute(
            "select la_code, census_year, count(*) from marts.fct_worker_census group by all"
        ).fetchall()
    finally:
        warehouse.close()
    listed = {
        (r["la_code"], int(r["census_year"]), int(r["rows"]))
        for r in held
        if r["location"] == "warehouse.duckdb:marts.fct_worker_census"
    }
    assert listed == set(fct)
    # exports: every pack folder on disk, and nothing else
    packs = {p.relative_to(home).as_posix() + "/" for p in (home / "exports" / "la").glob("*/*")}
    assert {r["location"] for r in held if r["location"].startswith("exports/la/")} == packs
    for r in held:
        if r["census_year"]:
            assert r["due_for_destruction_on"] == f"{int(r['census_year']) + 6}-01-01"


def test_register_matches_disk_before_retention(run_home: Path) -> None:
    rows = _register(run_home)
    _check_matches_disk(run_home, rows)
    assert not [r for r in rows if r["destroyed_at"]]
    assert {int(r["census_year"]) for r in rows if r["census_year"]} == set(range(2020, 2026))


def test_register_matches_disk_after_retention(retained_home: Retained) -> None:
    home = retained_home.home
    rows = _register(home)
    _check_matches_disk(home, rows)
    held_years = {int(r["census_year"]) for r in rows if r["census_year"] and not r["destroyed_at"]}
    assert held_years == {2022, 2023, 2024, 2025}
    gone = [r for r in rows if r["destroyed_at"]]
    assert {int(r["census_year"]) for r in gone if r["census_year"]} == set(AGED_YEARS)
    assert {"incoming", "landing", "warehouse", "exports", "analyst"} <= {r["zone"] for r in gone}
    # the register before retention listed the analyst zone it then lost rows from
    before = list(csv.DictReader(io.StringIO(retained_home.before.register_csv)))
    assert any(r["zone"] == "analyst" and r["census_year"] == "2020" for r in before)


def test_register_markdown_lists_held_and_destroyed(retained_home: Retained) -> None:
    text = (retained_home.home / "reports" / "data_assets.md").read_text()
    assert text.startswith("# Register of data assets")
    assert "census years 2022-2027 are kept (6 years)" in text
    assert "| landing | 2022 |" in text
    assert "## Destroyed" in text
    assert "exports/la/301/2020/" in text.split("## Destroyed", 1)[1]
