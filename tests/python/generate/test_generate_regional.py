"""The clean sample's regional sums reproduce DfE's Inner London, Outer London and London rows.

Regional figures are sums of the returns' figures (computed from the written XML by the
independent reader), regional rates are computed from those sums (docs/methodology.md#regions).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from liia.config import SEEDS_DIR
from tests.python.generate.gen_csww_reader import (
    CATALOGUE,
    Indicators,
    Return,
    indicators,
    read_published,
    round1,
)

INNER, OUTER, LONDON = "E13000001", "E13000002", "E12000007"
BASE_FIGURES = (
    "inpost_fte", "inpost_headcount", "starters_fte", "leavers_fte", "agency_fte",
    "vacancy_fte", "case_holders_fte", "cases", "working_days_lost_fte",
)  # fmt: skip
SUMMED = (*BASE_FIGURES, "leavers_headcount", "agency_cover_fte")
RATES = (
    "turnover_rate_fte", "turnover_rate_headcount", "agency_rate_fte", "agency_cover_rate_fte",
    "vacancy_rate_fte", "vacancy_agency_cover_rate_fte", "caseload_fte", "absence_rate_fte",
)  # fmt: skip

# Published regional figures no sums of returns reproducing their own boroughs can give
# (each checked by a test below):
# - published regional rates their own published regional base figures can't give
#   (the same ones marts.fct_indicator_reconciliation marks publication_difference);
# - Bromley 2022 publishes 188.0 FTE for 187 people: its return has 188, so Outer London
#   and London count one more, and London's headcount turnover follows (with the
#   published headcount the generated leavers give the published rate);
# - 2023 agency cover: DfE leaves Sutton (agency FTE 'u') out of the regional agency cover
#   rate but not out of the regional agency FTE; Sutton's cover is fixed by its published
#   vacancy cover rate, far above its 5.0 agency FTE (the regional residual).
SELF_INCONSISTENT = {
    (OUTER, 2023, "agency_rate_fte"),
    (LONDON, 2023, "agency_rate_fte"),
    (OUTER, 2024, "absence_rate_fte"),
}
BROMLEY_HEADCOUNT = {
    (OUTER, 2022, "inpost_headcount"),
    (LONDON, 2022, "inpost_headcount"),
    (LONDON, 2022, "turnover_rate_headcount"),
}
SUTTON_COVER = {(OUTER, 2023, "agency_cover_rate_fte"), (LONDON, 2023, "agency_cover_rate_fte")}
REGIONAL_DIFFERENCES = SELF_INCONSISTENT | BROMLEY_HEADCOUNT | SUTTON_COVER


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except ArithmeticError:
        return None


def _regional_rows() -> dict[tuple[str, int], dict[str, str]]:
    return {
        (row["region_code"], int(row["time_period"])): row
        for row in read_published(SEEDS_DIR / "dfe_published_indicators.csv")
        if row["geographic_level"] == "Regional"
    }


def _sub_region() -> dict[tuple[str, int], str]:
    return {
        (row["old_la_code"].split("/")[0].strip(), int(row["time_period"])): row["region_code"]
        for row in read_published(SEEDS_DIR / "dfe_published_indicators.csv")
        if row["geographic_level"] == "Local authority"
    }


def _sums(returns: list[Return], leave_out: frozenset[str] = frozenset()) -> dict:
    """Summed figures per (region, year), returns in ``leave_out`` left out."""
    region_of = _sub_region()
    totals: dict[tuple[str, int], dict[str, Decimal]] = {}
    for ret in returns:
        if ret.la_code in leave_out:
            continue
        figures = indicators(ret)
        sub_region = region_of[(ret.la_code, ret.census_year)]
        for code in (sub_region, LONDON):
            sums = totals.setdefault((code, ret.census_year), dict.fromkeys(SUMMED, Decimal(0)))
            for name in SUMMED:
                sums[name] += Decimal(getattr(figures, name))
    return {key: Indicators(**sums) for key, sums in totals.items()}


@pytest.fixture(scope="module")
def regional_sums(clean_returns: list[Return]) -> dict:
    return _sums(clean_returns)


def _mismatches(sums: dict, names: tuple[str, ...]) -> tuple[set, int]:
    published = _regional_rows()
    mismatches, checked = set(), 0
    for (code, year), figures in sums.items():
        for name in names:
            expected = _number(published[(code, year)][name])
            if expected is None:
                continue
            checked += 1
            value = getattr(figures, name) if name in BASE_FIGURES else figures.rate(name)
            if value is None or round1(value) != expected:
                mismatches.add((code, year, name))
    return mismatches, checked


def test_regional_base_figures_match_published(regional_sums: dict) -> None:
    assert len(regional_sums) == 3 * 6
    mismatches, checked = _mismatches(regional_sums, BASE_FIGURES)
    assert checked == 3 * 6 * len(BASE_FIGURES)
    assert mismatches == {d for d in REGIONAL_DIFFERENCES if d[2] in BASE_FIGURES}


def test_regional_rates_match_published(regional_sums: dict) -> None:
    mismatches, checked = _mismatches(regional_sums, RATES)
    assert checked == 3 * 6 * len(RATES)
    assert mismatches == {d for d in REGIONAL_DIFFERENCES if d[2] in RATES}


@pytest.mark.parametrize("difference", sorted(SELF_INCONSISTENT))
def test_self_inconsistent_regional_rates_are_real(difference: tuple[str, int, str]) -> None:
    """The rate over the published regional base figures' rounding intervals never
    rounds to the published rate."""
    code, year, name = difference
    row = {k: _number(v) for k, v in _regional_rows()[(code, year)].items()}
    assert CATALOGUE.irreproducible(name, row)


def test_bromley_headcount_explains_the_2022_headcounts(regional_sums: dict) -> None:
    published = _regional_rows()
    for code in (OUTER, LONDON):
        computed = regional_sums[(code, 2022)]
        assert computed.inpost_headcount == int(published[(code, 2022)]["inpost_headcount"]) + 1
    london = regional_sums[(LONDON, 2022)]
    with_published_headcount = Decimal(100 * london.leavers_headcount) / (
        london.inpost_headcount - 1
    )
    expected = Decimal(published[(LONDON, 2022)]["turnover_rate_headcount"])
    assert round1(with_published_headcount) == expected


def test_2023_agency_cover_rates_are_dfe_s_without_sutton(clean_returns: list[Return]) -> None:
    """Leaving Sutton (319) out, the generated returns give DfE's 2023 agency cover rates."""
    without_sutton = _sums([r for r in clean_returns if r.census_year == 2023], frozenset({"319"}))
    published = _regional_rows()
    for code, year, name in sorted(SUTTON_COVER):
        computed = without_sutton[(code, year)].rate(name)
        assert computed is not None
        assert round1(computed) == Decimal(published[(code, year)][name])
