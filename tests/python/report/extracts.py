"""A small hand-made analyst zone: the suppressed extracts' Parquet files for two
boroughs (Camden, Inner London; Barnet, Outer London) and the regions, two years.

Only the columns the report reads, with the extracts' names and types. Cells
listed in ``suppressed_columns`` are null, as the dbt macro leaves them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

YEARS = (2024, 2025)
AREAS = (
    ("202", "Camden", "borough", "E13000001"),
    ("302", "Barnet", "borough", "E13000002"),
    ("E13000001", "Inner London", "region", "E12000007"),
    ("E13000002", "Outer London", "region", "E12000007"),
    ("E12000007", "London", "region", None),
)


def _write(folder: Path, name: str, rows: list[dict[str, Any]]) -> Path:
    path = folder / f"{name}.parquet"
    conn = duckdb.connect()
    columns = list(rows[0])
    conn.execute(
        "create table t as select * from (values "
        + ", ".join("(" + ", ".join("?" for _ in columns) + ")" for _ in rows)
        + f") v({', '.join(columns)})",
        [row[c] for row in rows for c in columns],
    )
    conn.execute(f"copy t to '{path}' (format parquet)")
    conn.close()
    return path


def _area(code: str, name: str, kind: str, parent: str | None, year: int) -> dict[str, Any]:
    return {
        "area_code": code,
        "census_year": year,
        "area_type": kind,
        "area_name": name,
        "la_code": code if kind == "borough" else None,
        "parent_area_code": parent,
        "is_complete": True,
    }


def turnover_rows() -> list[dict[str, Any]]:
    rows = []
    for index, (code, name, kind, parent) in enumerate(AREAS):
        for year in YEARS:
            rows.append(
                {
                    **_area(code, name, kind, parent, year),
                    "inpost_headcount": 100 * (index + 1) + year - 2020,
                    "leavers_headcount": 10 + index,
                    "turnover_fte_rate": 10.0 + index + (year - 2024) / 4,
                    "suppressed_columns": "",
                }
            )
    # Barnet's 2025 leavers are a small number: suppressed, with its rate.
    rows[3]["leavers_headcount"] = None
    rows[3]["turnover_fte_rate"] = None
    rows[3]["suppressed_columns"] = "leavers_headcount, turnover_fte_rate"
    return rows


def agency_rows() -> list[dict[str, Any]]:
    return [
        {
            **_area(code, name, kind, parent, year),
            "agency_headcount": 20 + index,
            "agency_fte_rate": 15.0 + index * 2 + (year - 2024),
            "suppressed_columns": "",
        }
        for index, (code, name, kind, parent) in enumerate(AREAS)
        for year in YEARS
    ]


def movement_rows() -> list[dict[str, Any]]:
    names = {code: (name, kind) for code, name, kind, _ in AREAS}

    def flow(kind: str, start: str, end: str | None, count: int | None, **extra: Any):
        return {
            "flow_type": kind,
            "from_census_year": 2024,
            "to_census_year": None if kind == "left_london" else 2025,
            "from_area_code": start,
            "to_area_code": end,
            "from_area_type": names[start][1],
            "from_area_name": names[start][0],
            "to_area_type": names[end][1] if end else None,
            "to_area_name": names[end][0] if end else None,
            "workers_headcount": count,
            "origin_reported_headcount": extra.get("origin"),
            "destination_reported_headcount": extra.get("destination"),
            "suppressed_columns": extra.get("suppressed", ""),
        }

    return [
        flow("moved", "202", "302", None, suppressed="workers_headcount"),
        flow("moved", "302", "202", 7, origin=5, destination=6),
        flow("moved", "202", "E12000007", 9, origin=6, destination=7),
        flow("moved", "302", "E12000007", 12, origin=8, destination=9),
        flow("moved", "E12000007", "202", 12, origin=8, destination=9),
        flow("moved", "E12000007", "302", 9, origin=6, destination=7),
        flow("moved", "E13000001", "E13000002", 9, origin=6, destination=7),
        flow("moved", "E13000002", "E13000001", 12, origin=8, destination=9),
        flow("moved", "E12000007", "E12000007", 21, origin=14, destination=16),
        flow("left_london", "202", None, 30, origin=10),
        flow("left_london", "302", None, 40, origin=0),
    ]


def equality_rows() -> list[dict[str, Any]]:
    rows = []
    categories = {
        "all": ["all"],
        "ethnic_group": ["White", "Black", "not known"],
        "gender": ["female", "male"],
        "age_band": ["30-39", "40-49"],
        "org_role": ["case holder", "senior practitioner"],
    }
    for code, name, kind, parent in AREAS:
        for breakdown, values in categories.items():
            for position, category in enumerate(values):
                inpost = 600 if breakdown == "all" else (400 if position == 0 else 200)
                if breakdown == "ethnic_group":
                    inpost = (350, 200, 100)[position]
                rows.append(
                    {
                        **_area(code, name, kind, parent, 2025),
                        "breakdown": breakdown,
                        "category": category,
                        "seniority": "all",
                        "inpost_headcount": inpost,
                        "starters_headcount": inpost // 10,
                        "leavers_headcount": inpost // 10 if category != "male" else None,
                        "progression_eligible_headcount": inpost // 2,
                        "progressed_headcount": inpost // 10,
                        "inpost_share_rate": None if category == "not known" else inpost / 5.5,
                        "starters_share_rate": None if category == "not known" else 10.0,
                        "leavers_share_rate": (None if category in ("not known", "male") else 20.0),
                        "progression_rate": 10.0,
                        "suppressed_columns": (
                            "leavers_headcount, leavers_share_rate" if category == "male" else ""
                        ),
                    }
                )
        rows += _cross_rows(code, name, kind, parent)
    return rows


# In post of each category crossed with seniority (None: suppressed), per OrgRole.
CROSS_INPOST = {
    "ethnic_group": {"White": (250, 100), "Black": (120, 80), "not known": (50, None)},
    "gender": {"female": (300, 100), "male": (100, 100)},
    "age_band": {"30-39": (300, 100), "40-49": (100, 100)},
}
CROSS_LEVELS = ("case holder", "senior practitioner")


def _cross_rows(code: str, name: str, kind: str, parent: str | None) -> list[dict[str, Any]]:
    """ext_equality's cross-tab rows: each category by seniority, shares of the known."""
    rows = []
    for breakdown, cells in CROSS_INPOST.items():
        for position, level in enumerate(CROSS_LEVELS):
            known = sum(n[position] or 0 for c, n in cells.items() if c not in ("not known",))
            for category, inpost_by_level in cells.items():
                inpost = inpost_by_level[position]
                withheld = inpost is None
                rows.append(
                    {
                        **_area(code, name, kind, parent, 2025),
                        "breakdown": breakdown,
                        "category": category,
                        "seniority": level,
                        "inpost_headcount": inpost,
                        "starters_headcount": None if withheld else inpost // 10,
                        "leavers_headcount": None if withheld else inpost // 10,
                        "progression_eligible_headcount": None if withheld else inpost // 2,
                        "progressed_headcount": None if withheld else inpost // 10,
                        "inpost_share_rate": (
                            None if withheld or category == "not known" else 100.0 * inpost / known
                        ),
                        "starters_share_rate": None if category == "not known" else 10.0,
                        "leavers_share_rate": None if category == "not known" else 20.0,
                        "progression_rate": None if withheld else 20.0,
                        "suppressed_columns": (
                            "inpost_headcount, starters_headcount, leavers_headcount, "
                            "progression_eligible_headcount, progressed_headcount, "
                            "progression_rate"
                            if withheld
                            else ""
                        ),
                    }
                )
    return rows


def quality_rows() -> list[dict[str, Any]]:
    return [
        {
            "area_code": code,
            "census_year": year,
            "area_type": "borough",
            "area_name": name,
            "la_code": code,
            "worker_records_count": 500,
            "error_records_count": 0 if code == "202" else None,
            "warning_only_records_count": 25,
            "has_file_level_errors": code == "302",
            "quality_score": 97.5 if code == "202" else None,
            "suppressed_columns": "" if code == "202" else "error_records_count, quality_score",
        }
        for code, name, kind, _ in AREAS
        if kind == "borough"
        for year in YEARS
    ]


BUILDERS = {
    "ext_turnover": turnover_rows,
    "ext_agency_reliance": agency_rows,
    "ext_movement": movement_rows,
    "ext_equality": equality_rows,
    "ext_data_quality": quality_rows,
}


def write_zone(folder: Path, **overrides: list[dict[str, Any]]) -> Path:
    """Write every extract (or the rows given for one) into ``folder``; return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, build in BUILDERS.items():
        _write(folder, name, overrides.get(name) or build())
    return folder


DFE_CSV = (
    "time_period,geographic_level,region_code,region_name,old_la_code,new_la_code,la_name,"
    "turnover_rate_fte,agency_rate_fte\n"
    "2025,Regional,E12000007,London,,,,13.8,17.9\n"
    "2024,Regional,E12000007,London,,,,15.3,18.0\n"
    "2025,Local authority,E13000001,Inner London,202,E09000007,Camden,10.9,\n"
)


def write_dfe(path: Path) -> Path:
    path.write_text(DFE_CSV, encoding="utf-8")
    return path
