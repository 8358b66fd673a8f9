"""An independent, pure-Python reading of which DfE published figures contradict
their own published base figures (the reconciliation's publication differences).

Each published base lies anywhere within half a unit of its rounding; a published
figure is a publication difference when no such bases produce it. Exact
fractions, so no float edge cases.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

REGION_ROWS = "Regional"
LA_ROWS = "Local authority"
FTE_HALF_UNIT = Fraction(1, 20)
COUNT_HALF_UNIT = Fraction(1, 2)
RATE_HALF_UNIT = Fraction(1, 20)
DAYS_PER_FTE = 253


def _number(text: str | None) -> Fraction | None:
    try:
        return Fraction(text.strip()) if text else None
    except ValueError:
        return None


def _interval(value: Fraction, half: Fraction) -> tuple[Fraction, Fraction]:
    return max(value - half, Fraction(0)), value + half


def _ratio_range(
    num: tuple[Fraction, Fraction], den: tuple[Fraction, Fraction], scale: int
) -> tuple[Fraction, Fraction | None]:
    low = scale * num[0] / den[1]
    high = scale * num[1] / den[0] if den[0] > 0 else None
    return low, high


def _share_range(
    part: tuple[Fraction, Fraction], rest: tuple[Fraction, Fraction]
) -> tuple[Fraction, Fraction | None]:
    """100 * part / (part + rest): increasing in part, decreasing in rest."""
    low_den = part[0] + rest[1]
    high_den = part[1] + rest[0]
    low = 100 * part[0] / low_den if low_den > 0 else Fraction(0)
    high = 100 * part[1] / high_den if high_den > 0 else None
    return low, high


def area_code(row: dict[str, str]) -> str:
    if row["geographic_level"] == LA_ROWS:
        return row["old_la_code"].split(" / ")[0]
    return row["region_code"]


def inconsistent_figures(row: dict[str, str]) -> Iterator[str]:
    """The indicators of one published row that its own base figures cannot produce."""
    n = {key: _number(value) for key, value in row.items()}
    fte = {
        key: _interval(n[key], FTE_HALF_UNIT)
        for key in (
            "inpost_fte",
            "leavers_fte",
            "agency_fte",
            "vacancy_fte",
            "case_holders_fte",
            "working_days_lost_fte",
        )
        if n[key] is not None
    }
    ranges: dict[str, tuple[Fraction, Fraction | None]] = {}
    if {"leavers_fte", "inpost_fte"} <= fte.keys():
        ranges["turnover_rate_fte"] = _ratio_range(fte["leavers_fte"], fte["inpost_fte"], 100)
    if {"agency_fte", "inpost_fte"} <= fte.keys():
        ranges["agency_rate_fte"] = _share_range(fte["agency_fte"], fte["inpost_fte"])
    if {"vacancy_fte", "inpost_fte"} <= fte.keys():
        ranges["vacancy_rate_fte"] = _share_range(fte["vacancy_fte"], fte["inpost_fte"])
    if n["cases"] is not None and "case_holders_fte" in fte:
        cases = _interval(n["cases"], COUNT_HALF_UNIT)
        ranges["caseload_fte"] = _ratio_range(cases, fte["case_holders_fte"], 1)
    if {"working_days_lost_fte", "inpost_fte"} <= fte.keys():
        inpost = fte["inpost_fte"]
        ranges["absence_rate_fte"] = _ratio_range(
            fte["working_days_lost_fte"],
            (inpost[0] * DAYS_PER_FTE, inpost[1] * DAYS_PER_FTE),
            100,
        )
    for indicator, (low, high) in ranges.items():
        published = n[indicator]
        if published is None:
            continue
        if low > published + RATE_HALF_UNIT or (
            high is not None and high < published - RATE_HALF_UNIT
        ):
            yield indicator
    headcount = n["inpost_headcount"]
    if (
        headcount is not None
        and "inpost_fte" in fte
        and fte["inpost_fte"][0] > headcount + COUNT_HALF_UNIT
    ):
        yield "inpost_headcount"
        if n["turnover_rate_headcount"] is not None:
            yield "turnover_rate_headcount"


def publication_differences(seed: Path, years: set[int]) -> set[tuple[str, int, str]]:
    """(area_code, year, indicator) of every self-contradicting published figure."""
    found: set[tuple[str, int, str]] = set()
    with seed.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            year = int(row["time_period"])
            if year not in years or row["geographic_level"] not in (LA_ROWS, REGION_ROWS):
                continue
            for indicator in inconsistent_figures(row):
                found.add((area_code(row), year, indicator))
    return found
