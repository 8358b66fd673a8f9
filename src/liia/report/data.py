"""Read the report's inputs: the suppressed aggregated extracts and DfE's published figures.

Only ``exports/analyst/<extract>.parquet`` of the aggregated extracts is read
(never the marts, never the individual extract), and every count in it is
checked again: a count from 1 to 4 stops the report (``ReportInputError``,
naming the file, the row and the column) instead of being shown. The DfE
figures are public: the seed ``seeds/dfe_published_indicators.csv`` of the
repository, read as it is.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from liia.config import PROJECT_ROOT
from liia.errors import EXIT_NOT_READY, EXIT_PRIVACY_FAILED, LiiaError

# The aggregated extracts the report is built from (the individual one never).
EXTRACTS = (
    "ext_turnover",
    "ext_agency_reliance",
    "ext_movement",
    "ext_equality",
    "ext_data_quality",
)
KEY_COLUMNS = {
    "ext_movement": (
        "flow_type",
        "from_census_year",
        "to_census_year",
        "from_area_code",
        "to_area_code",
    ),
    "ext_equality": ("area_code", "census_year", "breakdown", "category", "seniority"),
}
DEFAULT_KEYS = ("area_code", "census_year")
# The small-number rule (docs/methodology.md#small-number-suppression): the same
# bounds as the dbt macro suppression_low()/suppression_high().
SMALL_LOW, SMALL_HIGH = 1, 4
DFE_SEED = PROJECT_ROOT / "seeds" / "dfe_published_indicators.csv"
LONDON, INNER, OUTER = "E12000007", "E13000001", "E13000002"
REGIONS = (LONDON, INNER, OUTER)


class ReportInputError(LiiaError):
    """An input of the report is missing or malformed."""

    exit_status = EXIT_NOT_READY


class UnsuppressedCountError(ReportInputError):
    """An input (or a page) would show a count from 1 to 4: nothing is written."""

    exit_status = EXIT_PRIVACY_FAILED


def is_count_column(name: str) -> bool:
    """A count cell of the suppression rule (a ``*_headcount`` or ``*_count`` column)."""
    return name.endswith(("_headcount", "_count"))


def is_small(value: Any) -> bool:
    """True for a count the suppression rule withholds."""
    return (
        isinstance(value, int) and not isinstance(value, bool) and SMALL_LOW <= value <= SMALL_HIGH
    )


@dataclass
class Extract:
    """One extract's rows as dicts, with where they came from."""

    name: str
    path: Path
    columns: list[str]
    rows: list[dict[str, Any]]

    def suppressed(self, row: dict[str, Any], column: str) -> bool:
        """True when ``column`` of ``row`` was withheld (listed in suppressed_columns)."""
        listed = row.get("suppressed_columns") or ""
        return column in {c.strip() for c in listed.split(",") if c.strip()}


def check_suppressed(extract: Extract) -> None:
    """Refuse an extract holding a count from 1 to 4: the report re-checks, never trusts."""
    counts = [c for c in extract.columns if is_count_column(c)]
    keys = KEY_COLUMNS.get(extract.name, DEFAULT_KEYS)
    for number, row in enumerate(extract.rows, start=1):
        for column in counts:
            if is_small(row[column]):
                where = ", ".join(f"{k}={row.get(k)}" for k in keys)
                raise UnsuppressedCountError(
                    f"{extract.path}: row {number} ({where}): {column} is {row[column]}, a count "
                    f"from {SMALL_LOW} to {SMALL_HIGH} that should have been suppressed; the "
                    "report is not written from an unsuppressed extract"
                )


def read_extract(folder: Path, name: str) -> Extract:
    """One extract from ``folder`` (exports/analyst/), checked for small counts."""
    path = folder / f"{name}.parquet"
    if not path.is_file():
        raise ReportInputError(f"{path}: missing (run `liia export` to write the analyst zone)")
    conn = duckdb.connect()
    try:
        rel = conn.sql(f"select * from read_parquet('{str(path).replace(chr(39), chr(39) * 2)}')")
        columns = list(rel.columns)
        rows = [dict(zip(columns, values, strict=True)) for values in rel.fetchall()]
    except duckdb.Error as error:
        raise ReportInputError(f"{path}: cannot be read as Parquet ({error})") from error
    finally:
        conn.close()
    if "suppressed_columns" not in columns:
        raise ReportInputError(f"{path}: no suppressed_columns column: not a suppressed extract")
    extract = Extract(name, path, columns, rows)
    check_suppressed(extract)
    return extract


def read_extracts(folder: Path) -> dict[str, Extract]:
    """Every extract the report needs, each checked."""
    return {name: read_extract(folder, name) for name in EXTRACTS}


@dataclass(frozen=True)
class Published:
    """DfE's published figures, by (area code, year) and indicator, as published (text)."""

    values: dict[tuple[str, int], dict[str, str]]

    def get(self, area_code: str, year: int, indicator: str) -> float | None:
        text = self.values.get((area_code, year), {}).get(indicator, "")
        try:
            return float(text)
        except ValueError:
            return None


def read_published(path: Path = DFE_SEED) -> Published:
    """DfE's figures keyed by the extracts' area codes: the old (3-digit) LA code
    for a borough, the region code for London, Inner and Outer London."""
    values: dict[tuple[str, int], dict[str, str]] = {}
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                level = row["geographic_level"]
                if level == "Local authority":
                    code = row["old_la_code"]
                elif level == "Regional":
                    code = row["region_code"]
                else:
                    continue
                values[(code, int(row["time_period"]))] = row
    except (OSError, KeyError, ValueError) as error:
        raise ReportInputError(
            f"{path}: DfE's published figures cannot be read ({error})"
        ) from error
    return Published(values)
