"""Borough packs from a small hand-built warehouse: each pack holds only its borough."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from liia.config import Settings
from liia.export.packs import export_all
from tests.python.export.small_home import BOROUGHS, small_home


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return small_home(tmp_path)


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_each_pack_holds_only_its_borough(settings: Settings) -> None:
    stale = settings.exports_dir / "la" / "999" / "2019"
    stale.mkdir(parents=True)
    (stale / "workers.csv").write_text("la_code\n999\n")
    summary = export_all(settings)

    assert [(p.la_code, p.census_year) for p in summary.packs] == [("201", 2024), ("202", 2024)]
    assert not (settings.exports_dir / "la" / "999").exists()
    assert not (settings.exports_dir / "la" / "202" / "2023").exists()  # superseded return
    for la_code, name in BOROUGHS.items():
        folder = settings.exports_dir / "la" / la_code / "2024"
        workers = _csv_rows(folder / "workers.csv")
        assert workers and {row["la_code"] for row in workers} == {la_code}
        parquet = duckdb.sql(f"select distinct la_code from '{folder / 'workers.parquet'}'")
        assert parquet.fetchall() == [(la_code,)]
        assert {row["la_code"] for row in _csv_rows(folder / "la_level.csv")} == {la_code}
        assert {row["la_code"] for row in _csv_rows(folder / "findings.csv")} == {la_code}
        report = (folder / "report.html").read_text(encoding="utf-8")
        assert name in report
        assert all(other not in report for code, other in BOROUGHS.items() if code != la_code)
    camden_workers = _csv_rows(settings.exports_dir / "la" / "202" / "2024" / "workers.csv")
    assert len(camden_workers) == 1  # not the superseded 2023 return's row


def test_report_and_minimisation_content(settings: Settings) -> None:
    export_all(settings)
    folder = settings.exports_dir / "la" / "201" / "2024"
    report = (folder / "report.html").read_text(encoding="utf-8")
    assert report.startswith("<!DOCTYPE html>") and '<html lang="en">' in report
    assert "<script" not in report and "http" not in report  # self-contained
    assert "&lt;b&gt;XX&lt;/b&gt;" in report and "<b>XX</b>" not in report  # escaped
    assert report.index("Summary") < report.index("Findings by rule")
    assert "66.7" in report and "FMT_CODE" in report and "Records: 2" in report
    status = json.loads((folder / "minimisation.json").read_text())
    assert status["pipeline"]["items_dropped"] == ["Name"]
    assert status["pipeline"]["swe_numbers_pseudonymised"] == 2


def test_exports_are_audited_and_indexed(settings: Settings) -> None:
    export_all(settings)
    export_all(settings)
    landing = duckdb.connect(str(settings.landing_path), read_only=True)
    rows = landing.execute(
        "select la_code, census_year, file_id from csww.audit_log where action = 'export' "
        "order by all"
    ).fetchall()
    landing.close()
    assert rows == [("201", 2024, 1), ("201", 2024, 1), ("202", 2024, 2), ("202", 2024, 2)]
    index = _csv_rows(settings.reports_dir / "borough_packs.csv")
    assert [(r["la_code"], r["folder"], r["quality_score"]) for r in index] == [
        ("201", "201/2024", "66.7"),
        ("202", "202/2024", "75.0"),
    ]
    assert all(datetime.fromisoformat(r["exported_at"]) for r in index)


def test_a_later_column_about_other_returns_never_reaches_a_pack(settings: Settings) -> None:
    """previous_org_role (another borough's data, added after the exclusion list was written)
    is left out by its name, like the hash and every previous_/next_/is_moved_ column."""
    conn = duckdb.connect(str(settings.warehouse_path))
    conn.execute("alter table marts.fct_worker_census add column previous_org_role integer")
    conn.execute("alter table marts.fct_worker_census add column next_new_link varchar")
    conn.close()
    export_all(settings)
    folder = settings.exports_dir / "la" / "201" / "2024"
    with (folder / "workers.csv").open(newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header == ["file_id", "record_number", "la_code", "census_year", "fte30"]
    parquet = duckdb.sql(f"select * from '{folder / 'workers.parquet'}'").columns
    assert parquet == header
