"""Every borough pack of the demo run holds that borough's rows only, and no identifier."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb
import pytest

from liia.config import SEEDS_DIR

SWE_NUMBER_LIKE = re.compile(r"\bSW ?[0-9]{4,}\b", re.IGNORECASE)
ISO_DATE = re.compile(r"\b(19|20)[0-9]{2}-[0-9]{2}-([0-9]{2})\b")


def _la_names() -> dict[str, str]:
    with (SEEDS_DIR / "london_las.csv").open(newline="", encoding="utf-8") as handle:
        return {row["la_code"]: row["la_name"] for row in csv.DictReader(handle)}


def _packs(home: Path) -> list[Path]:
    return sorted(p for p in (home / "exports" / "la").glob("*/*") if p.is_dir())


def _csv_column(path: Path, column: str) -> set[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {row[column] for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def packs(demo_home: Path) -> list[Path]:
    found = _packs(demo_home)
    assert found, "the demo wrote no borough pack"
    return found


def test_one_pack_per_accepted_return(demo_home: Path, packs: list[Path]) -> None:
    conn = duckdb.connect(str(demo_home / "warehouse.duckdb"), read_only=True)
    accepted = conn.execute(
        "select la_code, cast(census_year as varchar) from staging.stg_csww__files "
        "where status = 'accepted' order by all"
    ).fetchall()
    conn.close()
    assert [(p.parent.name, p.name) for p in packs] == accepted
    with (demo_home / "reports" / "borough_packs.csv").open(newline="") as handle:
        assert len(list(csv.DictReader(handle))) == len(accepted)


def test_every_pack_holds_only_its_borough(packs: list[Path]) -> None:
    names = _la_names()
    for pack in packs:
        la_code, year = pack.parent.name, pack.name
        for stem in ("workers", "la_level"):
            assert _csv_column(pack / f"{stem}.csv", "la_code") == {la_code}, pack
            assert _csv_column(pack / f"{stem}.csv", "census_year") == {year}, pack
            parquet = duckdb.sql(
                f"select distinct la_code, census_year from '{pack / (stem + '.parquet')}'"
            ).fetchall()
            assert parquet == [(la_code, int(year))], pack
        findings = _csv_column(pack / "findings.csv", "la_code")
        assert findings <= {la_code}, pack
        report = (pack / "report.html").read_text(encoding="utf-8")
        assert names[la_code] in report
        others = [n for code, n in names.items() if code != la_code and n in report]
        assert not others, f"{pack}: report names {others}"


def test_no_raw_identifier_in_any_pack(packs: list[Path]) -> None:
    for pack in packs:
        for path in pack.iterdir():
            if path.suffix in (".csv", ".html", ".json"):
                text = path.read_text(encoding="utf-8")
                assert not SWE_NUMBER_LIKE.search(text), path
        birth_days = duckdb.sql(
            f"select distinct day(birth_month) from '{pack / 'workers.parquet'}' "
            "where birth_month is not null"
        ).fetchall()
        assert birth_days in ([], [(1,)]), pack


def test_no_pack_links_beyond_its_borough(packs: list[Path]) -> None:
    """No links to other returns (other boroughs' data) and no London-wide hash."""
    for pack in packs:
        with (pack / "workers.csv").open(newline="", encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        linked = [c for c in header if c.startswith(("previous_", "next_", "is_moved_"))]
        assert not linked, f"{pack}: {linked}"
        assert [c for c in header if c.endswith("la_code")] == ["la_code"], pack
        assert not [c for c in header if "hash" in c], f"{pack}: the London-wide hash"
