"""The DfE published CSWW indicators each London return is calibrated to.

Reads the seeds (``dfe_published_indicators.csv``, ``london_las.csv``) and gives,
for every return (la_code) and census year, the published base figures. Figures
DfE did not publish (``x``, ``u``, ``c``, ``z``) are imputed from the regional rows:
the sub-region's total minus its published boroughs, split between the boroughs
with the gap in proportion to their nearest published value.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from liia.config import SEEDS_DIR

# Published base figures, and the decimal places they are published to.
BASE_FIGURES: tuple[str, ...] = (
    "inpost_fte",
    "inpost_headcount",
    "starters_fte",
    "leavers_fte",
    "agency_fte",
    "vacancy_fte",
    "case_holders_fte",
    "cases",
    "working_days_lost_fte",
)
COUNT_FIGURES: frozenset[str] = frozenset({"inpost_headcount", "cases"})
RATES: tuple[str, ...] = (
    "turnover_rate_fte",
    "turnover_rate_headcount",
    "agency_rate_fte",
    "agency_cover_rate_fte",
    "vacancy_rate_fte",
    "vacancy_agency_cover_rate_fte",
    "caseload_fte",
    "absence_rate_fte",
)
_SUB_REGIONS = {"E13000001": "Inner London", "E13000002": "Outer London"}
LONDON = "E12000007"


@dataclass(frozen=True)
class PublishedRow:
    """One borough-year as DfE published it (None where not a number)."""

    la_code: str
    census_year: int
    sub_region_code: str
    values: dict[str, Decimal | None]

    def get(self, name: str) -> Decimal | None:
        return self.values.get(name)


@dataclass(frozen=True)
class BoroughYearFigures:
    """The base figures a generated return is built to: published, or imputed where not."""

    la_code: str
    census_year: int
    source_year: int
    base: dict[str, Decimal]
    rates: dict[str, Decimal | None]
    imputed: tuple[str, ...]
    sub_region_code: str = ""


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except ArithmeticError:
        return None


def _la_code(old_la_code: str) -> str:
    """'314 / 318' is the joint Kingston and Richmond return, filed under 314."""
    return old_la_code.split("/")[0].strip()


def read_published(seeds_dir: Path = SEEDS_DIR) -> tuple[list[PublishedRow], list[PublishedRow]]:
    """(borough rows, regional rows: Inner, Outer London and London) of the published file."""
    boroughs: list[PublishedRow] = []
    regions: list[PublishedRow] = []
    with (seeds_dir / "dfe_published_indicators.csv").open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            values = {name: _number(row[name]) for name in BASE_FIGURES + RATES}
            year = int(row["time_period"])
            if row["geographic_level"] == "Local authority":
                code = _la_code(row["old_la_code"])
                boroughs.append(PublishedRow(code, year, row["region_code"], values))
            elif row["geographic_level"] == "Regional" and (
                row["region_code"] in _SUB_REGIONS or row["region_code"] == LONDON
            ):
                regions.append(PublishedRow(row["region_code"], year, row["region_code"], values))
    return boroughs, regions


def read_return_codes(seeds_dir: Path = SEEDS_DIR) -> list[str]:
    """The la_codes that file a return (a borough filing jointly under another has none)."""
    codes: list[str] = []
    with (seeds_dir / "london_las.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        partner = (row.get("joint_return_with") or "").strip()
        if partner and partner < row["la_code"]:
            continue
        codes.append(row["la_code"])
    return sorted(codes)


def _split(total: Decimal, weights: list[Decimal], quantum: Decimal) -> list[Decimal]:
    """Split ``total`` into parts proportional to ``weights``, each a multiple of ``quantum``."""
    total = max(total, Decimal(0))
    units = int(total / quantum)
    weight_sum = sum(weights) or Decimal(len(weights))
    shares = [(w if sum(weights) else Decimal(1)) / weight_sum * units for w in weights]
    parts = [int(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: shares[i] - parts[i], reverse=True)
    for i in by_remainder[: units - sum(parts)]:
        parts[i] += 1
    return [Decimal(p) * quantum for p in parts]


def _nearest_published(
    rows: dict[tuple[str, int], PublishedRow], la_code: str, year: int, name: str
) -> Decimal | None:
    years = sorted({y for (_, y) in rows}, key=lambda y: (abs(y - year), -y))
    for other in years:
        row = rows.get((la_code, other))
        if row is not None and row.get(name) is not None:
            return row.get(name)
    return None


def borough_year_figures(
    census_years: list[int], seeds_dir: Path = SEEDS_DIR
) -> dict[tuple[str, int], BoroughYearFigures]:
    """Base figures and published rates for every return and census year.

    A census year later (or earlier) than the published years uses the nearest
    published year's figures.
    """
    boroughs, regions = read_published(seeds_dir)
    by_key = {(r.la_code, r.census_year): r for r in boroughs}
    region_by_key = {(r.la_code, r.census_year): r for r in regions}
    published_years = sorted({r.census_year for r in boroughs})
    figures: dict[tuple[str, int], BoroughYearFigures] = {}
    for year in census_years:
        source = min(max(year, published_years[0]), published_years[-1])
        rows = [r for r in boroughs if r.census_year == source]
        imputed = _impute(rows, region_by_key, by_key, source)
        for row in rows:
            base: dict[str, Decimal] = {}
            gaps: list[str] = []
            for name in BASE_FIGURES:
                value = row.get(name)
                if value is None:
                    value = imputed[(row.la_code, name)]
                    gaps.append(name)
                base[name] = value
            rates = {name: row.get(name) for name in RATES}
            figures[(row.la_code, year)] = BoroughYearFigures(
                row.la_code, year, source, base, rates, tuple(gaps), row.sub_region_code
            )
    return figures


def _impute(
    rows: list[PublishedRow],
    region_by_key: dict[tuple[str, int], PublishedRow],
    by_key: dict[tuple[str, int], PublishedRow],
    year: int,
) -> dict[tuple[str, str], Decimal]:
    """Unpublished figures of one year: the sub-region's residual split between its gaps."""
    imputed: dict[tuple[str, str], Decimal] = {}
    for region_code in _SUB_REGIONS:
        members = [r for r in rows if r.sub_region_code == region_code]
        region = region_by_key.get((region_code, year))
        for name in BASE_FIGURES:
            gaps = [r for r in members if r.get(name) is None]
            if not gaps:
                continue
            published_sum = sum((r.get(name) or Decimal(0)) for r in members)
            regional = region.get(name) if region is not None else None
            residual = regional - published_sum if regional is not None else Decimal(0)
            weights = [
                _nearest_published(by_key, r.la_code, year, name)
                or _nearest_published(by_key, r.la_code, year, "inpost_fte")
                or Decimal(1)
                for r in gaps
            ]
            if regional is None:
                parts = weights
            else:
                quantum = Decimal(1) if name in COUNT_FIGURES else Decimal("0.1")
                parts = _split(residual, weights, quantum)
            for r, part in zip(gaps, parts, strict=True):
                imputed[(r.la_code, name)] = part
    return imputed


def regional_figures(
    census_years: list[int], seeds_dir: Path = SEEDS_DIR
) -> dict[tuple[str, int], dict[str, Decimal | None]]:
    """Published base figures and rates of Inner London, Outer London and London
    (region code, census year), a census year outside the published ones using the nearest."""
    boroughs, regions = read_published(seeds_dir)
    published_years = sorted({r.census_year for r in boroughs})
    by_key = {(r.la_code, r.census_year): r for r in regions}
    figures: dict[tuple[str, int], dict[str, Decimal | None]] = {}
    for year in census_years:
        source = min(max(year, published_years[0]), published_years[-1])
        for code in (*_SUB_REGIONS, LONDON):
            row = by_key.get((code, source))
            if row is not None:
                figures[(code, year)] = dict(row.values)
    return figures
