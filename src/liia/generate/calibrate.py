"""Choose exact (unrounded) totals for a generated return that reproduce the published figures.

A published base figure is rounded (FTEs to 0.1); the generated return's total may be
any value that rounds to it. The published value itself is preferred; a nearby value
within the rounding interval is chosen only where that makes a published rate come out
right too (DfE computes its rates from unrounded figures; every rate is the indicator
catalogue's formula, ``liia.indicator_catalogue``). A rate that no values within the
rounding intervals reproduce is a publication difference: it is recorded, never forced.

Totals are integers in the units a return writes: FTE in millionths (6 dp), working
days lost, vacancies and agency cover in hundredths (2 dp).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from liia.generate.published import BoroughYearFigures
from liia.indicator_catalogue import catalogue

MICRO = 1_000_000  # FTE unit: 1e-6
CENTI = 100  # days / vacancies unit: 0.01
_FTE_STEP = 1_000  # search FTE totals on a 0.001 grid
_CATALOGUE = catalogue()


@dataclass(frozen=True)
class ReturnTargets:
    """Exact totals one generated return is built to."""

    la_code: str
    census_year: int
    inpost_fte: int  # micro
    inpost_headcount: int
    starters_fte: int  # micro
    leavers_fte: int  # micro
    leavers_headcount: int
    agency_fte: int  # micro
    vacancy_fte: int  # centi
    agency_cover_fte: int  # centi
    case_holders_fte: int  # micro
    cases: int
    working_days_lost: int  # centi
    imputed: tuple[str, ...]
    unreproducible: tuple[str, ...]

    def scaled(self, factor: int) -> ReturnTargets:
        """The same return with every total multiplied (benchmarks; rates unchanged)."""
        if factor == 1:
            return self
        return replace(
            self,
            **{name: getattr(self, name) * factor for name in _SCALED_FIELDS},
        )


_SCALED_FIELDS = (
    "inpost_fte", "inpost_headcount", "starters_fte", "leavers_fte", "leavers_headcount",
    "agency_fte", "vacancy_fte", "agency_cover_fte", "case_holders_fte", "cases",
    "working_days_lost",
)  # fmt: skip


def rounds_to(value: Fraction, published: Decimal) -> bool:
    """True when ``value`` rounds to ``published`` at 1 dp, half up (as DfE rounds)."""
    scaled = value * 10
    floor = math.floor(scaled)
    rounded = floor + (1 if scaled - floor >= Fraction(1, 2) else 0)
    return Fraction(rounded, 10) == Fraction(published)


def _candidates(published: Decimal, unit: int, upper: int | None = None) -> Iterator[int]:
    """Totals (integers in 1/unit) that round to a figure DfE published to 0.1, nearest first.

    The interval is open at both ends: a total never sits on the rounding tie of its own figure.
    """
    centre = int(published * unit)
    step = _FTE_STEP if unit == MICRO else 1
    half = unit // 20
    offsets = [0]
    for k in range(1, half // step + 1):
        if k * step < half:
            offsets.extend((k * step, -k * step))
    for offset in offsets:
        value = centre + offset
        if value >= 0 and (upper is None or value <= upper):
            yield value


def _rate_ok(rate: Decimal | None, value: Callable[[], Fraction | None]) -> bool:
    if rate is None:
        return True
    computed = value()
    return computed is None or rounds_to(computed, rate)


def _half_way(value: Fraction | None) -> bool:
    """True when a rate lies exactly half-way between two 1 dp values (rounds up)."""
    return value is not None and (value * 10) % 1 == Fraction(1, 2)


def _first_ok(
    candidates: list[int],
    rate: Decimal | None,
    formula: Callable[[int], Fraction | None],
    *,
    avoid_ties: bool = True,
) -> tuple[int, bool]:
    """The nearest candidate whose rate rounds to the published one; one whose rate is not
    exactly half-way is preferred, so that any half-way rounding rule gives the same."""
    passing = [c for c in candidates if _rate_ok(rate, lambda c=c: formula(c))]
    if not passing:
        return candidates[0], False
    if avoid_ties and rate is not None:
        passing.sort(key=lambda c: _half_way(formula(c)))
    return passing[0], True


def _rate(name: str, **figures: int | Fraction) -> Fraction | None:
    """A catalogue rate of figures in their own units (FTE, days, counts); None when
    its denominator is 0."""
    return _CATALOGUE[name].value(figures)


def _fte(micro: int) -> Fraction:
    return Fraction(micro, MICRO)


def _centi(centi: int) -> Fraction:
    return Fraction(centi, CENTI)


def _cover(
    agency: int, vacancy: int, cover_rate: Decimal | None, vacancy_cover_rate: Decimal | None
) -> tuple[int, list[str]]:
    """Agency cover (centi) reproducing both published cover rates, or the best found."""
    agency_centi = Fraction(agency, MICRO // CENTI)  # agency FTE in hundredths
    bounds: list[tuple[Fraction, Fraction]] = []
    if cover_rate is not None and agency:
        rate = Fraction(cover_rate)
        bounds.append(
            (
                agency_centi * (rate - Fraction(1, 20)) / 100,
                agency_centi * (rate + Fraction(1, 20)) / 100,
            )
        )
    if vacancy_cover_rate is not None and vacancy:
        rate = Fraction(vacancy_cover_rate)
        bounds.append(
            (vacancy * (rate - Fraction(1, 20)) / 100, vacancy * (rate + Fraction(1, 20)) / 100)
        )
    if not bounds:
        plausible = min(agency_centi, Fraction(vacancy)) * Fraction(17, 20)
        return int(plausible), []

    def cover_rates(cover: int) -> dict[str, Fraction | None]:
        figures = {
            "agency_cover_fte": _centi(cover),
            "agency_fte": _fte(agency),
            "vacancy_fte": _centi(vacancy),
        }
        return {
            name: _CATALOGUE[name].value(figures)
            for name in ("agency_cover_rate_fte", "vacancy_agency_cover_rate_fte")
        }

    def checks(cover: int) -> list[str]:
        published = {
            "agency_cover_rate_fte": cover_rate,
            "vacancy_agency_cover_rate_fte": vacancy_cover_rate,
        }
        return [
            name
            for name, value in cover_rates(cover).items()
            if published[name] is not None
            and value is not None
            and not rounds_to(value, published[name])
        ]

    low = max(lo for lo, _ in bounds)
    high = min(hi for _, hi in bounds)
    passing = [c for c in range(max(math.ceil(low), 0), math.floor(high) + 1) if not checks(c)]
    # Cover above the agency FTE in post is a quality warning: avoid it when the
    # published rates allow (a stable sort keeps the ascending order otherwise).
    passing.sort(key=lambda c: c > agency_centi)
    for cover in passing:  # prefer a cover whose rates are not exactly half-way at 2 dp
        if not any(_half_way(r) for r in cover_rates(cover).values()):
            return cover, []
    if passing:
        return passing[0], []
    best = max(math.ceil(bounds[0][0]), 0)
    return best, checks(best)


def calibrate(figures: BoroughYearFigures) -> ReturnTargets:
    """Exact totals for one return, reproducing as many published rates as possible."""
    base, rates = figures.base, figures.rates
    unreproducible: list[str] = []
    headcount = int(base["inpost_headcount"])
    inpost_published = base["inpost_fte"]
    if inpost_published > headcount:
        # More FTE than people: impossible with FTE <= 1 and one record per person.
        headcount = math.ceil(inpost_published)
        unreproducible.append("inpost_headcount")
    cases = int(base["cases"])

    inpost_options = list(_candidates(inpost_published, MICRO, upper=headcount * MICRO))
    leaver_options = list(_candidates(base["leavers_fte"], MICRO))
    agency_options = list(_candidates(base["agency_fte"], MICRO))
    vacancy_options = list(_candidates(base["vacancy_fte"], CENTI))
    days_options = list(_candidates(base["working_days_lost_fte"], CENTI))
    holder_options = list(_candidates(base["case_holders_fte"], MICRO))

    best: tuple[int, dict[str, int], list[str]] | None = None
    for inpost in inpost_options:
        failed: list[str] = []
        inpost_fte = _fte(inpost)

        def turnover(v: int, f: Fraction = inpost_fte) -> Fraction | None:
            return _rate("turnover_rate_fte", leavers_fte=_fte(v), inpost_fte=f)

        def absence(v: int, f: Fraction = inpost_fte) -> Fraction | None:
            return _rate("absence_rate_fte", working_days_lost_fte=_centi(v), inpost_fte=f)

        def agency_rate(a: int, f: Fraction = inpost_fte) -> Fraction | None:
            return _rate("agency_rate_fte", agency_fte=_fte(a), inpost_fte=f)

        def vacancy_rate(v: int, f: Fraction = inpost_fte) -> Fraction | None:
            return _rate("vacancy_rate_fte", vacancy_fte=_centi(v), inpost_fte=f)

        leavers, ok = _first_ok(leaver_options, rates["turnover_rate_fte"], turnover)
        failed += [] if ok else ["turnover_rate_fte"]
        days, ok = _first_ok(days_options, rates["absence_rate_fte"], absence)
        failed += [] if ok else ["absence_rate_fte"]
        agency_ok = [
            a
            for a in agency_options
            if _rate_ok(rates["agency_rate_fte"], lambda a=a: agency_rate(a))
        ]
        vacancy_ok = [
            v
            for v in vacancy_options
            if _rate_ok(rates["vacancy_rate_fte"], lambda v=v: vacancy_rate(v))
        ]
        agency_ok.sort(key=lambda a: _half_way(agency_rate(a)))
        vacancy_ok.sort(key=lambda v: _half_way(vacancy_rate(v)))
        if not agency_ok:
            failed.append("agency_rate_fte")
        if not vacancy_ok:
            failed.append("vacancy_rate_fte")
        # Best: every cover rate reproduced and the cover no more than the agency
        # FTE in post (more is a quality warning a real return would not raise).
        choice = None
        for agency in agency_ok or agency_options[:1]:
            for vacancy in vacancy_ok or vacancy_options[:1]:
                cover, cover_failed = _cover(
                    agency,
                    vacancy,
                    rates["agency_cover_rate_fte"],
                    rates["vacancy_agency_cover_rate_fte"],
                )
                rank = (len(cover_failed), cover * (MICRO // CENTI) > agency)
                if choice is None or rank < choice[0]:
                    choice = (rank, (agency, vacancy, cover, cover_failed))
            if choice is not None and choice[0] == (0, False):
                break
        assert choice is not None
        agency, vacancy, cover, cover_failed = choice[1]
        failed += cover_failed
        values = {
            "inpost": inpost,
            "leavers": leavers,
            "days": days,
            "agency": agency,
            "vacancy": vacancy,
            "cover": cover,
        }
        if best is None or len(failed) < len(best[2]):
            best = (inpost, values, failed)
        if not failed:
            break
    assert best is not None
    _, values, failed = best
    unreproducible += failed

    ceiling = values["inpost"] + values["agency"]
    # Case holders' FTE keeps the published value even on a half-way caseload: a small
    # return whose staff are all full time can only have a whole-number total.
    holders, ok = _first_ok(
        [h for h in holder_options if h <= ceiling] or [ceiling],
        rates["caseload_fte"],
        lambda h: _rate("caseload_fte", cases=cases, case_holders_fte=_fte(h)),
        avoid_ties=False,
    )
    if not ok:
        unreproducible.append("caseload_fte")

    leavers_headcount, ok = _leavers_headcount(
        values["leavers"], values["inpost"], headcount, rates["turnover_rate_headcount"]
    )
    if not ok:
        unreproducible.append("turnover_rate_headcount")
    starters = next(_candidates(base["starters_fte"], MICRO))
    return ReturnTargets(
        la_code=figures.la_code,
        census_year=figures.census_year,
        inpost_fte=values["inpost"],
        inpost_headcount=headcount,
        starters_fte=starters,
        leavers_fte=values["leavers"],
        leavers_headcount=leavers_headcount,
        agency_fte=values["agency"],
        vacancy_fte=values["vacancy"],
        agency_cover_fte=values["cover"],
        case_holders_fte=holders,
        cases=cases,
        working_days_lost=values["days"],
        imputed=figures.imputed,
        unreproducible=tuple(unreproducible),
    )


def _leavers_headcount(
    leavers: int, inpost: int, headcount: int, rate: Decimal | None
) -> tuple[int, bool]:
    """How many people left: enough for their FTE (each <= 1, mostly >= 0.5), near FTE ratio."""
    if leavers == 0:
        return 0, rate is None or rate == 0
    fewest = math.ceil(leavers / MICRO)
    most = max(fewest, math.floor(leavers / (MICRO * 0.4)))
    expected = leavers / inpost * headcount if inpost else leavers / MICRO
    options = sorted(range(fewest, most + 1), key=lambda n: (abs(n - expected), n))
    for n in options:
        value = _rate("turnover_rate_headcount", leavers_headcount=n, inpost_headcount=headcount)
        if rate is None or (value is not None and rounds_to(value, rate)):
            return n, True
    return max(fewest, round(expected)), False
