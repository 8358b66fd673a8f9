"""A small hand-built LIIA_HOME for export tests: two boroughs, no dbt run."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from liia.config import Settings
from liia.load.landing_schema import create_landing

BOROUGHS = {"201": "City of London", "202": "Camden"}


def build_small_warehouse(path: Path) -> None:
    """Two boroughs' published tables, hand-built (no dbt run)."""
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
    # The borough's indicators and DfE's published figures (the pack's indicator charts);
    # DfE's are text, with its markers ('x' not available, 'c' confidential).
    conn.execute(
        """create table marts.fct_la_indicators as select * from (values
        ('borough', '201', 2024, 10.0, 20.0, 5.0, 12.5, 2.5),
        ('borough', '202', 2024, 30.0, 40.0, 6.0, 14.5, 3.5),
        ('region', null, 2024, 15.0, 18.0, 7.0, 13.0, 3.0)
        ) t(area_type, la_code, census_year, turnover_rate_fte, agency_rate_fte,
            vacancy_rate_fte, caseload_fte, absence_rate_fte)"""
    )
    conn.execute(
        """create table reference.dfe_published_indicators as select * from (values
        (2024, 'Local authority', 'E13000001', '201', '11.1', '21.1', '5.1', '12.1', '2.1'),
        (2024, 'Local authority', 'E13000001', '202', '33.3', '44.4', 'x', '14.4', 'c'),
        (2024, 'Regional', 'E12000007', null, '16.6', '18.8', '7.7', '13.3', '3.1')
        ) t(time_period, geographic_level, region_code, old_la_code, turnover_rate_fte,
            agency_rate_fte, vacancy_rate_fte, caseload_fte, absence_rate_fte)"""
    )
    conn.close()


def small_home(home: Path, swe_numbers: tuple[str, ...] = ()) -> Settings:
    """A home with the small warehouse and a landing database holding ``swe_numbers``
    (the raw identifiers the privacy scan then looks for)."""
    build_small_warehouse(home / "warehouse.duckdb")
    landing = duckdb.connect(str(home / "landing.duckdb"))
    create_landing(landing)
    for number, swe in enumerate(swe_numbers, start=1):
        landing.execute(
            'insert into csww.workers (file_id, record_number, "SWENo") values (1, ?, ?)',
            [number, swe],
        )
    landing.close()
    return Settings(home=home, incoming=home / "incoming", as_of=date(2025, 11, 1))


# `liia export` through the real command-line entry point, with the analyst zone
# left out: it needs a dbt manifest and `dbt docs`, which a hand-built home has not
# (and so the London report, built from the analyst zone, too).
_EXPORT_PACKS_ONLY = (
    "import sys\n"
    "import liia.export.analyst as analyst\n"
    "import liia.report.build as report\n"
    "analyst.export_analyst = lambda settings: 'Analyst zone: not built in this test home'\n"
    "report.export_report = lambda settings: 'London report: not built in this test home'\n"
    "from liia.cli import main\n"
    "sys.exit(main(['export']))\n"
)


def liia_export_command(python: str) -> list[str]:
    """The argv of a ``liia export`` run (packs, scan, withdrawal) in a subprocess."""
    return [python, "-c", _EXPORT_PACKS_ONLY]
