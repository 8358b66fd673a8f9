"""The analyst zone and the use-case extracts on the demo (`liia demo`, clean sample).

The planted moves are the generator's own record of them: the generator is run
again with the demo's seed while its mover hand-over (``ReturnBuilder._take_mover``)
is watched, so every move it planted between two boroughs' returns is listed
with the SWE number, the boroughs and the census year.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from liia.generate import workforce
from liia.generate.sample import generate_sample
from liia.hash_key import keyed_hash, resolve_hash_key

EXTRACTS = (
    "ext_agency_reliance",
    "ext_data_quality",
    "ext_equality",
    "ext_movement",
    "ext_turnover",
    "ext_workforce_individual",
)
AGGREGATED = tuple(name for name in EXTRACTS if name != "ext_workforce_individual")
LONDON = "E12000007"
DEMO_SEED = 2025  # `liia demo`'s default
CANONICAL_SWE = re.compile(r"^[A-Z]{2}\d+$")


@pytest.fixture(scope="module")
def analyst_dir(demo_home: Path) -> Path:
    return demo_home / "exports" / "analyst"


@pytest.fixture(scope="module")
def analyst_db(analyst_dir: Path):
    conn = duckdb.connect(str(analyst_dir / "analyst.duckdb"), read_only=True)
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def planted_moves(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, str, int]]:
    """(SWE number, from borough, to borough, census year joined) of every planted move."""
    planted: list[tuple[str, str, str, int]] = []
    original = workforce.ReturnBuilder._take_mover

    def recording(self, pool, la_code, ref):  # type: ignore[no-untyped-def]
        mover = original(self, pool, la_code, ref)
        if mover is not None:
            planted.append((mover.person.swe_number, mover.from_la, la_code, ref.year))
        return mover

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(workforce.ReturnBuilder, "_take_mover", recording)
        summary = generate_sample(tmp_path_factory.mktemp("planted"), seed=DEMO_SEED)
    # The generator's own count of movers is the list's length: nothing was missed.
    assert summary.movers == len(planted) > 100
    return planted


def test_analyst_zone_holds_every_extract_as_parquet_and_csv(analyst_dir: Path, analyst_db):
    for name in EXTRACTS:
        parquet = duckdb.sql(f"select count(*) from read_parquet('{analyst_dir / name}.parquet')")
        with (analyst_dir / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            csv_rows = sum(1 for _ in csv.reader(handle)) - 1
        table = analyst_db.execute(f'select count(*) from "{name}"').fetchall()[0][0]
        assert parquet.fetchall()[0][0] == csv_rows == table > 0, name


def test_analyst_database_holds_the_extracts_and_nothing_else(analyst_db):
    tables = analyst_db.execute(
        "select schema_name, table_name from duckdb_tables() where not internal order by 2"
    ).fetchall()
    assert tables == [("main", name) for name in EXTRACTS]
    views = analyst_db.execute("select view_name from duckdb_views() where not internal").fetchall()
    assert views == []
    databases = analyst_db.execute(
        "select database_name from duckdb_databases() where not internal"
    ).fetchall()
    assert databases == [("analyst",)]


def test_analysts_see_every_extract_and_column_described_in_the_catalogue(analyst_db):
    tables = analyst_db.execute(
        "select table_name, comment from duckdb_tables() where not internal"
    ).fetchall()
    assert sorted(name for name, _ in tables) == sorted(EXTRACTS)
    assert [name for name, comment in tables if not comment] == []
    bare = analyst_db.execute(
        "select table_name || '.' || column_name from duckdb_columns() "
        "where not internal and coalesce(comment, '') = ''"
    ).fetchall()
    assert bare == []


def _count_columns(conn: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    columns = [row[0] for row in conn.execute(f'describe "{table}"').fetchall()]
    return [c for c in columns if c.endswith(("_headcount", "_count"))]


def test_no_aggregated_extract_publishes_a_count_from_1_to_4(analyst_db):
    checked = 0
    for name in AGGREGATED:
        for column in _count_columns(analyst_db, name):
            small = analyst_db.execute(
                f'select count(*) from "{name}" where "{column}" between 1 and 4'
            ).fetchall()[0][0]
            assert small == 0, f"{name}.{column}: {small} counts from 1 to 4"
            checked += 1
        if name == "ext_data_quality":
            continue  # the clean demo raises too few findings for any small count
        # Suppression did happen: small numbers exist in every workforce extract.
        suppressed = analyst_db.execute(
            f"select count(*) from \"{name}\" where suppressed_columns <> ''"
        ).fetchall()[0][0]
        assert suppressed > 0, name
    assert checked >= 40


def test_the_individual_extract_is_exported_with_its_hashes(analyst_db):
    """The demo's individual extract links records by hash. That its hashes are 64
    lower-case hex and that no aggregated extract holds one is the dbt data test
    assert_hashes_only_in_the_individual_extract, run by every build."""
    hashed = analyst_db.execute(
        "select count(*) from ext_workforce_individual where swe_number_hash is not null"
    ).fetchall()[0][0]
    assert hashed > 0


def test_individual_extract_has_no_dates_or_amounts(analyst_db):
    described = analyst_db.execute('describe "ext_workforce_individual"').fetchall()
    types = {row[0]: row[1] for row in described}
    assert not [c for c, t in types.items() if t in ("DATE", "TIMESTAMP")]
    assert not {"birth_month", "base_salary", "rr_payments", "other_payments"} & set(types)
    assert not [c for c in types if c.endswith("_date")]


def test_planted_moves_are_found_record_by_record(planted_moves, analyst_db):
    key = resolve_hash_key({}, announce=False)  # the demo runs with the demo key
    links = {
        (row[0], row[1], row[2]): (row[3], row[4])
        for row in analyst_db.execute(
            "select swe_number_hash, la_code, census_year, next_la_code, next_census_year "
            "from ext_workforce_individual where swe_number_hash is not null"
        ).fetchall()
    }
    missed = []
    for swe, from_la, to_la, year in planted_moves:
        assert CANONICAL_SWE.match(swe), "the clean sample writes canonical SWE numbers"
        if links.get((keyed_hash(key, swe), from_la, year - 1)) != (to_la, year):
            missed.append((from_la, to_la, year))
    assert missed == []


def test_movement_flows_are_the_planted_moves(planted_moves, analyst_db):
    planted_pairs = Counter((f, t, y - 1, y) for _, f, t, y in planted_moves)
    moved = analyst_db.execute(
        "select from_area_code, to_area_code, from_census_year, to_census_year, "
        "workers_headcount, from_area_type, to_area_type "
        "from ext_movement where flow_type = 'moved'"
    ).fetchall()
    pairs = {row[:4]: row[4] for row in moved if row[5] == row[6] == "borough"}
    # Every planted pair is a flow, and no flow is without a planted move...
    assert set(pairs) == set(planted_pairs)
    # ...with the planted headcount wherever it is published.
    assert all(pairs[p] in (None, planted_pairs[p]) for p in pairs)
    # London to London each year: every move, published.
    london = {row[2:4]: row[4] for row in moved if row[0] == row[1] == LONDON}
    assert london == dict(Counter((y - 1, y) for *_, y in planted_moves))
    # Each borough's moves out (to London) where published.
    out = Counter((f, y - 1, y) for _, f, _, y in planted_moves)
    margins = {
        (row[0], row[2], row[3]): row[4]
        for row in moved
        if row[1] == LONDON and row[5] == "borough"
    }
    assert set(margins) == set(out)
    published = [m for m in margins if margins[m] is not None]
    assert len(published) > len(margins) / 2
    assert all(margins[m] == out[m] for m in published)


def test_dbt_docs_are_exported(demo_home: Path):
    index = demo_home / "exports" / "docs" / "index.html"
    text = index.read_text(encoding="utf-8")
    assert len(text) > 100_000 and "ext_movement" in text


def test_data_dictionary_lists_every_extract_column(analyst_dir: Path, analyst_db):
    with (analyst_dir / "data_dictionary.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    listed = {(row["extract"], row["column"]) for row in rows}
    actual = {
        (name, row[0])
        for name in EXTRACTS
        for row in analyst_db.execute(f'describe "{name}"').fetchall()
    }
    assert listed == actual
    assert all(row["description"] and row["data_type"] for row in rows)
    assert {row["extract"]: row["aggregated"] for row in rows}["ext_workforce_individual"] == "no"
    markdown = (analyst_dir / "data_dictionary.md").read_text(encoding="utf-8")
    assert all(f"`{column}`" in markdown for _, column in actual)
    assert "1-4" in markdown or "1 to 4" in markdown
