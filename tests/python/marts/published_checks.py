"""A pure-Python reading of which DfE published figures contradict their own published
base figures (the reconciliation's publication differences), from the same indicator
catalogue as the SQL (liia.indicator_catalogue): the SQL renders the catalogue's
formulas and bounds in Jinja, this evaluates them with exact fractions, so a test
comparing the two checks the rendering, with no float edge cases.

Each published base lies anywhere within half a unit of its rounding; a published
figure is a publication difference when no such bases produce it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

from liia.indicator_catalogue import catalogue

REGION_ROWS = "Regional"
LA_ROWS = "Local authority"
CATALOGUE = catalogue()


def _number(text: str | None) -> Fraction | None:
    try:
        return Fraction(text.strip()) if text else None
    except ValueError:
        return None


def _interval(value: Fraction, half: Fraction) -> tuple[Fraction, Fraction]:
    return max(value - half, Fraction(0)), value + half


def area_code(row: dict[str, str]) -> str:
    if row["geographic_level"] == LA_ROWS:
        return row["old_la_code"].split(" / ")[0]
    return row["region_code"]


def inconsistent_figures(row: dict[str, str]) -> Iterator[str]:
    """The indicators of one published row that its own base figures cannot produce."""
    n = {key: _number(value) for key, value in row.items()}
    intervals = {
        base.name: _interval(value, base.half_unit)
        for base in CATALOGUE.base_figures
        if base.published and (value := n.get(base.name)) is not None
    }
    for rate in CATALOGUE.rates:
        published = n.get(rate.name)
        if published is None or not set(rate.figures) <= intervals.keys():
            continue
        low, high = rate.bounds(intervals)
        if (low is not None and low > published + rate.half_unit) or (
            high is not None and high < published - rate.half_unit
        ):
            yield rate.name
    # No worker is more than 1 FTE: a headcount is at least the in-post FTE, and a rate
    # built on an impossible headcount is impossible too.
    headcount = n.get("inpost_headcount")
    if (
        headcount is not None
        and "inpost_fte" in intervals
        and intervals["inpost_fte"][0] > headcount + CATALOGUE["inpost_headcount"].half_unit
    ):
        yield "inpost_headcount"
        for rate in CATALOGUE.rates:
            if "inpost_headcount" in rate.figures and n.get(rate.name) is not None:
                yield rate.name


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
