"""Borough packs from a small hand-built warehouse: each pack holds only its borough."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from liia.config import Settings
from liia.export.packs import export_all
from liia.load.landing_schema import create_landing

BOROUGHS = {"201": "City of London", "202": "Camden"}


def _build_warehouse(path: Path) -> None:
    conn = duckdb.connect(str(path))
    for schema in ("staging", "marts", "reference"):
        conn.execute(f"create schema {schema}")
    conn.execute("create table reference.london_las (la_code varchar, la_name varchar)")
    conn.executemany("insert into reference.london_las values (?, ?)", list(BOROUGHS.items()))
    conn.execute(
        "create table reference.dq_rules (rule_id varchar, items varchar, category varchar, "
        "description varchar, severity varchar)"
    )
    conn.execute(
        "insert into reference.dq_rules values "
        "('FMT_CODE', 'Ethnicity', 'format', 'A code not in the list', 'error'),"
        "('LOG_AGE_RANGE', 'PersonBirthDate', 'logic', 'Age under 18 or over 80', 'warning')"
    )
    conn.execute(
        """create table staging.stg_csww__files as select * from (values
        (1, 'a.xml', '201', 2024, 2024, 'xml', timestamp '2025-01-01', 2, 'accepted', 0, 2, 0, 2,
         ['Name']),
        (2, 'b.xml', '202', 2024, 2024, 'xml', timestamp '2025-01-01', 1, 'accepted', 1, 0, 0, 1,
         []::varchar[]),
        (3, 'old.xml', '202', 2023, 2021, 'xml', timestamp '2024-01-01', 1, 'superseded', 0, 1, 0,
         1, []::varchar[])
        ) t(file_id, file_name, la_code, census_year, layout_version, file_format, received_at,
            worker_rows, status, swe_numbers_hashed_by_sender, swe_numbers_hashed_here,
            birth_dates_degraded_by_sender, birth_dates_degraded_here, dropped_items)"""
    )
    conn.execute(
        """create table marts.fct_worker_census as select * from (values
        (1, 1, '201', 2024, repeat('a', 64), 1.0), (1, 2, '201', 2024, repeat('b', 64), 0.5),
        (2, 1, '202', 2024, repeat('c', 64), 1.0), (3, 1, '202', 2023, repeat('d', 64), 1.0)
        ) t(file_id, record_number, la_code, census_year, swe_number_hash, fte30)"""
    )
    conn.execute(
        """create table marts.fct_la_level as select * from (values
        (1, '201', 2024, 3.5), (2, '202', 2024, 1.0)) t(file_id, la_code, census_year, vacancies)"""
    )
    conn.execute(
        """create table marts.fct_dq_findings as select * from (values
        ('f1', '201', 2024, 1, 2, 'Ethnicity', 'FMT_CODE', 'format', 'error',
         'Ethnicity ''<b>XX</b>'' is not one of the DfE codes'),
        ('f2', '202', 2024, 2, 1, 'PersonBirthDate', 'LOG_AGE_RANGE', 'logic', 'warning',
         'Age over 80')
        ) t(finding_id, la_code, census_year, file_id, record_number, item, rule_id, category,
            severity, message)"""
    )
    conn.execute(
        """create table marts.fct_dq_item_completeness as select * from (values
        ('201', 2024, 1, 'Ethnicity', 2, 2, 1, 2, 2, 100.0, 50.0, 100.0),
        ('202', 2024, 2, 'Ethnicity', 1, 1, 1, 1, 1, 100.0, 100.0, 100.0)
        ) t(la_code, census_year, file_id, item_name, records, records_present, records_valid,
            mandatory_records, mandatory_records_present, completeness_pct, validity_pct,
            mandatory_completeness_pct)"""
    )
    conn.execute(
        """create table marts.fct_dq_quality_score as select * from (values
        ('201', 2024, 1, 2, 1, 0, 1, 0, false, false, 66.7),
        ('202', 2024, 2, 1, 0, 1, 0, 1, false, false, 75.0)
        ) t(la_code, census_year, file_id, worker_records, error_findings, warning_findings,
            records_with_errors, records_with_warnings_only, has_file_level_errors,
            has_file_level_warnings_only, quality_score)"""
    )
    conn.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    _build_warehouse(tmp_path / "warehouse.duckdb")
    landing = duckdb.connect(str(tmp_path / "landing.duckdb"))
    create_landing(landing)
    landing.close()
    return Settings(home=tmp_path, incoming=tmp_path / "incoming", as_of=date(2025, 11, 1))


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
