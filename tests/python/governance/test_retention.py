"""Six-year destruction: after retention nothing of the aged-out years is left anywhere.

Retention as of 2027-11-01 on the 2020-2025 sample destroys 2020 and 2021.
Every DuckDB file under LIIA_HOME is searched (every schema and table, and the
file's raw bytes), and every other file as bytes, for a row, pack, file, raw
SWE number or keyed hash of those years; the years kept must be untouched.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb

from tests.python.conftest import run_liia
from tests.python.governance.conftest import (
    AGED_AS_OF,
    AGED_YEARS,
    FIRST_KEPT,
    PLANTED_DB,
    Retained,
)

# Tables that hold the years by design: the tombstones, the audit log (no personal
# data: file hash, borough, year, counts) and the register of data assets.
GOVERNANCE_TABLES = {"csww.audit_log", "csww.destroyed_assets", "csww.data_assets"}
PUBLIC_SCHEMAS = {"reference"}  # DfE's published figures and code sets (seeds)
GOVERNANCE_FILES = {"audit/audit.jsonl", "reports/data_assets.csv", "reports/data_assets.md"}


def _duckdb_files(home: Path) -> list[Path]:
    return sorted(p for p in home.rglob("*.duckdb") if p.is_file())


def _year_columns(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    return conn.execute(
        "select schema_name, table_name, column_name from duckdb_columns() "
        "where database_name = 'db' and (column_name = 'census_year' "
        "or (column_name like '%year' and data_type like '%INT%'))"
    ).fetchall()


def test_retention_run_names_every_zone(retained_home: Retained) -> None:
    out = retained_home.stdout
    assert "census years before 2022 are destroyed; held: 2020, 2021." in out
    for zone in ("incoming", "landing", "warehouse", "exports", "analyst", "reports", "dbt"):
        assert f"  {zone}: " in out, zone


def test_no_duckdb_table_holds_a_row_of_an_aged_year(retained_home: Retained) -> None:
    files = _duckdb_files(retained_home.home)
    names = {p.relative_to(retained_home.home).as_posix() for p in files}
    assert {"landing.duckdb", "warehouse.duckdb", f"exports/analyst/{PLANTED_DB}"} <= names
    for path in files:
        conn = duckdb.connect(":memory:")
        try:
            conn.execute(f"attach '{path}' as db (read_only)")
            checked = 0
            for schema, table, column in _year_columns(conn):
                if f"{schema}.{table}" in GOVERNANCE_TABLES or schema in PUBLIC_SCHEMAS:
                    continue
                (aged,) = conn.execute(
                    f'select count(*) from db."{schema}"."{table}" where "{column}" < ?',
                    [FIRST_KEPT],
                ).fetchone()
                assert aged == 0, f"{path.name}:{schema}.{table}.{column} holds {aged} aged rows"
                checked += 1
            assert checked, f"{path.name}: no year column checked"
        finally:
            conn.close()


def test_no_file_holds_a_destroyed_identifier_or_hash(retained_home: Retained) -> None:
    """Raw bytes of every file under LIIA_HOME, DuckDB files included (after their rewrite)."""
    before = retained_home.before
    needles = [s.encode() for s in before.destroyed_only_swe]
    needles += [h.encode() for h in before.destroyed_only_hashes]
    files = [p for p in retained_home.home.rglob("*") if p.is_file()]
    assert len(files) > 50
    for path in files:
        data = path.read_bytes()
        found = sum(needle in data for needle in needles)
        assert found == 0, f"{path.relative_to(retained_home.home)}: {found} destroyed value(s)"


def test_landing_raw_bytes_held_the_values_before(tmp_path: Path, run_home: Path) -> None:
    """The raw-bytes check can fail: before retention landing's bytes show the numbers."""
    conn = duckdb.connect(str(run_home / "landing.duckdb"), read_only=True)
    try:
        swe = [
            r[0]
            for r in conn.execute(
                'select distinct "SWENo" from csww.workers w join csww.file_register f '
                "using (file_id) where f.census_year < ? limit 50",
                [FIRST_KEPT],
            ).fetchall()
        ]
    finally:
        conn.close()
    data = (run_home / "landing.duckdb").read_bytes()
    assert sum(s.encode() in data for s in swe) > 0


def test_no_pack_incoming_file_or_register_entry_of_an_aged_year(retained_home: Retained) -> None:
    home = retained_home.home
    for year in AGED_YEARS:
        assert not list(home.glob(f"exports/la/*/{year}")), year
        assert not list(home.glob(f"incoming/*/*{year}*")), year
    kept = {int(p.name) for p in home.glob("exports/la/*/*")}
    assert kept == {2022, 2023, 2024, 2025}
    conn = duckdb.connect(str(home / "landing.duckdb"), read_only=True)
    try:
        hashes = {
            r[0] for r in conn.execute("select file_sha256 from csww.file_register").fetchall()
        }
        assert not hashes & retained_home.before.destroyed_file_hashes
        tombstones = conn.execute(
            "select la_code, census_year, file_sha256, destroyed_at from csww.destroyed_assets "
            "where zone = 'landing' and file_sha256 is not null"
        ).fetchall()
        # one tombstone per destroyed file: hash, borough, year, when; never a value
        assert {t[2] for t in tombstones} == retained_home.before.destroyed_file_hashes
        assert {t[1] for t in tombstones} == set(AGED_YEARS)
        assert all(t[3] is not None for t in tombstones)
        columns = {r[0] for r in conn.execute("describe csww.destroyed_assets").fetchall()}
        assert not columns & {"SWENo", "PersonBirthDate", "swe_number_hash"}
    finally:
        conn.close()


def test_years_kept_are_intact(retained_home: Retained) -> None:
    home = retained_home.home
    warehouse = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        indicators = warehouse.execute(
            "select * from marts.fct_la_indicators order by all"
        ).fetchall()
        kept_years = {
            r[0]
            for r in warehouse.execute("select census_year from marts.fct_worker_census").fetchall()
        }
    finally:
        warehouse.close()
    assert indicators == retained_home.before.indicators
    assert kept_years == {2022, 2023, 2024, 2025}
    landing = duckdb.connect(str(home / "landing.duckdb"), read_only=True)
    try:
        rows = dict(
            landing.execute(
                "select f.census_year, count(*) from csww.workers w join csww.file_register f "
                "using (file_id) where f.status = 'accepted' group by 1"
            ).fetchall()
        )
    finally:
        landing.close()
    expected = {
        y: n for y, n in retained_home.before.landing_rows_by_year.items() if y >= FIRST_KEPT
    }
    assert rows == expected


def test_analyst_files_lose_only_the_aged_rows(retained_home: Retained) -> None:
    analyst = retained_home.home / "exports" / "analyst"
    conn = duckdb.connect(":memory:")
    try:
        years = {
            r[0]
            for r in conn.execute(
                "select distinct census_year from "
                f"read_parquet('{analyst}/ext_test_individual.parquet')"
            ).fetchall()
        }
        assert years == {2022, 2023, 2024, 2025}
        csv_years = {
            r[0]
            for r in conn.execute(
                f"select distinct census_year from read_csv('{analyst}/ext_test_turnover.csv')"
            ).fetchall()
        }
        assert csv_years == {2022, 2023, 2024, 2025}
        conn.execute(f"attach '{analyst}/{PLANTED_DB}' as a (read_only)")
        flows = conn.execute("select from_year, to_year from a.main.ext_test_movement").fetchall()
        assert flows == [(2023, 2024)]  # 2020->2021 and 2021->2022 describe a destroyed year
    finally:
        conn.close()
    assert (analyst / "test_dictionary.md").exists()  # holds no year rows: kept


def test_dbt_artefacts_that_hold_data_are_gone(retained_home: Retained) -> None:
    target = retained_home.home / "dbt" / "target"
    assert not (target / "run").exists()
    assert not (target / "compiled").exists()
    assert not (target / "run_results.json").exists()
    assert (target / "manifest.json").exists()  # the project's description stays


def test_a_second_retention_finds_nothing(retained_home: Retained, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(retained_home.home, home)
    result = run_liia(home, "retention", "--dry-run", LIIA_AS_OF=AGED_AS_OF)
    assert "nothing older is held" in result.stdout


def test_dry_run_touches_nothing(run_home: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(run_home, home)

    def state() -> dict[str, str]:
        return {
            p.relative_to(home).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in home.rglob("*")
            if p.is_file() and "logs" not in p.relative_to(home).parts[:1]  # the command's own log
        }

    before = state()
    result = run_liia(home, "retention", "--as-of", AGED_AS_OF, "--dry-run")
    assert "held: 2020, 2021." in result.stdout
    assert "incoming/201/csww_2020.xml [2020]" in result.stdout
    assert "exports/la/201/2021/ [2021] borough pack" in result.stdout
    assert "(dry run: nothing was touched)" in result.stdout
    assert state() == before


def test_a_destroyed_file_sent_again_is_refused_not_unchanged(
    retained_home: Retained, governance_incoming: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    shutil.copytree(retained_home.home, home)
    shutil.copy(governance_incoming / "301" / "csww_2020.xml", home / "incoming" / "301")
    result = run_liia(home, "load", LIIA_AS_OF=AGED_AS_OF)
    assert "1 rejected" in result.stdout, result.stdout
    assert "301/csww_2020.xml" in result.stdout
    assert "0 accepted" in result.stdout


def test_bad_as_of_is_a_usage_error(tmp_path: Path) -> None:
    result = run_liia(tmp_path, "retention", "--as-of", "2027-13-01", check=False)
    assert result.returncode == 6
    assert "--as-of" in result.stderr


def test_nothing_to_destroy_inside_the_window(run_home: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(run_home, home)
    result = run_liia(home, "retention", "--as-of", "2025-11-01")
    assert "nothing older is held" in result.stdout
    assert sorted(int(p.name) for p in home.glob("exports/la/201/*")) == list(range(2020, 2026))
