"""Make the regional sums of the calibrated returns reproduce DfE's regional figures.

Each return's exact totals are first chosen near its own rounded published figures
(``calibrate``). DfE summed unrounded borough values, so the Inner and Outer London sums
of those totals drift a few tenths from the published regional rows. Here every total
is moved, one figure at a time, WITHIN the values that still reproduce all of its own
return's published figures and rates, until the Inner London, Outer London and London
sums round to the published regional figures and give the published regional rates.

Per figure and year: a target sum is chosen for Inner and Outer London (the valid sums
nearest the current ones whose total is valid for London too), then each sub-region's
residual is spread greedily over its returns, imputed figures (free parameters) first,
then the returns with the most room. A move is kept only when the return's published
figures and rates all still hold (the ones it could never reproduce excepted) and it
stays plausible (see ``_failures``). A regional figure no such moves reach is left as
close as it came: a regional publication difference.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from liia.generate.calibrate import CENTI, MICRO, ReturnTargets
from liia.generate.fit import InfeasibleTotalError
from liia.generate.published import LONDON, BoroughYearFigures
from liia.generate.workforce import plan_starters
from liia.indicator_catalogue import Indicator, catalogue

_INNER, _OUTER = "E13000001", "E13000002"
_CENTI_PER_MICRO = MICRO // CENTI


@dataclass(frozen=True)
class _Figure:
    field: str  # ReturnTargets attribute
    base: str | None  # published base figure, if any
    unit: int  # integer units per 1 (FTE in millionths, days in hundredths)
    step: int  # grid the search moves on, in units


# In the order they are settled: a rate is checked once all its figures are settled.
_FIGURES: tuple[_Figure, ...] = (
    _Figure("inpost_fte", "inpost_fte", MICRO, 1_000),
    _Figure("leavers_fte", "leavers_fte", MICRO, 1_000),
    _Figure("starters_fte", "starters_fte", MICRO, 1_000),
    _Figure("agency_fte", "agency_fte", MICRO, 1_000),
    _Figure("vacancy_fte", "vacancy_fte", CENTI, 1),
    _Figure("working_days_lost", "working_days_lost_fte", CENTI, 1),
    _Figure("case_holders_fte", "case_holders_fte", MICRO, 1_000),
    _Figure("agency_cover_fte", None, CENTI, 1),
    _Figure("leavers_headcount", None, 1, 1),
)
_FIXED = ("inpost_headcount", "cases")  # exact integers: their sums already match
# A return with less than this much part-time slack (headcount - FTE in post) is nearly
# all full time: only its LA-level figures and days lost move (its people's FTEs can't).
_RIGID_SLACK = 2 * MICRO
_LA_LEVEL = frozenset({"vacancy_fte", "agency_cover_fte", "working_days_lost"})
_SEARCH = {"agency_cover_fte": 3_000, "leavers_headcount": 30}  # window without a base

Values = Mapping[str, int]

# Each catalogue base figure's total: its ReturnTargets field and units per 1.
_TOTALS: dict[str, tuple[str, int]] = {
    **{(f.base or f.field): (f.field, f.unit) for f in _FIGURES},
    **{name: (name, 1) for name in _FIXED},
}


def _terms(rate: Indicator, values: Values) -> tuple[int, int]:
    """The rate's (scale x numerator, denominator) as exact integers: every figure in
    millionths (a catalogue rate is the same in any common unit)."""
    figures = {}
    for name in rate.figures:
        field, unit = _TOTALS[name]
        figures[name] = values[field] * (MICRO // unit)
    return rate.terms(figures)


# Each catalogue rate: the totals it is computed from, and its exact fraction of them.
_RATES: dict[str, tuple[tuple[str, ...], Callable[[Values], tuple[int, int]]]] = {
    rate.name: (
        tuple(_TOTALS[name][0] for name in rate.figures),
        lambda v, rate=rate: _terms(rate, v),
    )
    for rate in catalogue().rates
}
# The rates that depend on the in-post FTE, and the total each is a rate of (its numerator).
_INPOST_RATES = {
    rate.name: _TOTALS[rate.figures[0]][0]
    for rate in catalogue().rates
    if "inpost_fte" in rate.figures
}
_BY_FIELD = {f.field: f for f in _FIGURES}


def _tenths(published: Decimal) -> int:
    return int(published * 10)


def _rounds(numerator: int, denominator: int, published: Decimal) -> bool:
    """numerator / denominator rounds to ``published`` (1 dp), off the rounding tie."""
    if denominator == 0:
        return True
    tenths = _tenths(published)
    return (2 * tenths - 1) * denominator < 20 * numerator < (2 * tenths + 1) * denominator


def _base_ok(value: int, figure: _Figure, published: Decimal) -> bool:
    return _rounds(value, figure.unit, published)


def _rate_ok(name: str, values: Values, published: Decimal) -> bool:
    numerator, denominator = _RATES[name][1](values)
    return _rounds(numerator, denominator, published)


def _values(t: ReturnTargets) -> dict[str, int]:
    return {name: getattr(t, name) for name in (*(f.field for f in _FIGURES), *_FIXED)}


def _failures(values: Values, figures: BoroughYearFigures) -> frozenset[str]:
    """The return's published figures and rates its totals miss, and implausibilities."""
    failed: set[str] = set()
    for figure in _FIGURES:
        if values[figure.field] < 0:
            failed.add("negative")
        pinned = figure.base is not None and figure.base not in figures.imputed
        if pinned and not _base_ok(values[figure.field], figure, figures.base[figure.base]):
            failed.add(figure.base)
    for name, published in figures.rates.items():
        if published is not None and not _rate_ok(name, values, published):
            failed.add(name)
    leavers, heads = values["leavers_fte"], values["leavers_headcount"]
    fewest = math.ceil(leavers / MICRO)
    if not fewest <= heads <= max(fewest, math.floor(leavers / (MICRO * 0.4))):
        failed.add("leavers_headcount_for_fte")
    if values["case_holders_fte"] > values["inpost_fte"] + values["agency_fte"]:
        failed.add("case_holders_over_staff")
    if values["inpost_fte"] > values["inpost_headcount"] * MICRO:
        failed.add("fte_over_headcount")
    if values["agency_cover_fte"] * _CENTI_PER_MICRO > values["agency_fte"]:
        failed.add("cover_over_agency")
    return frozenset(failed)


def _buildable(values: Values, targets: ReturnTargets) -> bool:
    """The workforce builder can split these totals into starters, leavers and stayers."""
    try:
        plan_starters(replace(targets, **values), None)
    except InfeasibleTotalError:
        return False
    return True


@dataclass
class _Return:
    targets: ReturnTargets
    figures: BoroughYearFigures
    values: dict[str, int]
    allowed: frozenset[str]  # what the calibrated return already missed

    @property
    def rigid(self) -> bool:
        slack = self.targets.inpost_headcount * MICRO - self.targets.inpost_fte
        return slack < _RIGID_SLACK

    def try_move(self, field: str, change: int) -> bool:
        if self.rigid and field not in _LA_LEVEL:
            return False
        moved = dict(self.values)
        moved[field] += change
        if not _failures(moved, self.figures) <= self.allowed:
            return False
        if field not in _LA_LEVEL and not _buildable(moved, self.targets):
            return False
        self.values = moved
        return True


def _level_misses(
    figure: _Figure, total: int, sums: Values, published: Mapping[str, Decimal | None]
) -> int:
    """How far a regional sum of ``figure`` is from reproducing the published region: the
    regional figure missed (counting 10), and each rate of it whose other figures are
    settled (for the in-post FTE: each of its rates no value of the rate's other figure
    within its rounding reaches). Some published regional rates can't be reproduced from
    the published regional figures at all: the count lets the others still be met."""
    misses = 0
    if figure.base is not None:
        value = published.get(figure.base)
        if value is not None and not _base_ok(total, figure, value):
            misses += 10
    values = dict(sums)
    values[figure.field] = total
    settled = {f.field for f in _FIGURES[: _FIGURES.index(figure) + 1]} | set(_FIXED)
    for name, (fields, _) in _RATES.items():
        rate = published.get(name)
        if rate is None or figure.field not in fields or not set(fields) <= settled:
            continue
        misses += not _rate_ok(name, values, rate)
    if figure.field == "inpost_fte":
        for name, other_field in _INPOST_RATES.items():
            rate, other = published.get(name), _BY_FIELD[other_field]
            base = published.get(other.base or "")
            if rate is None or base is None:
                continue
            reachable = _window(other, base, values[other_field])
            low, high = dict(values), dict(values)
            low[other_field], high[other_field] = reachable[-1], reachable[0]
            n_low, d_low = _RATES[name][1](low)
            n_high, d_high = _RATES[name][1](high)
            tenths = _tenths(rate)
            misses += (
                20 * n_low >= (2 * tenths + 1) * d_low or 20 * n_high <= (2 * tenths - 1) * d_high
            )
    return misses


def _window(figure: _Figure, published: Decimal | None, current: int) -> list[int]:
    """Candidate regional sums, highest first: within the published figure's rounding,
    or (without one) a window around the current sum."""
    if published is None:
        reach = _SEARCH.get(figure.field, figure.unit // 20)
        return list(range(current + reach, current - reach - 1, -figure.step))
    centre = int(published * figure.unit)
    half = figure.unit // 20
    steps = (half - 1) // figure.step
    return [centre + k * figure.step for k in range(steps, -steps - 1, -1)]


def _targets(
    figure: _Figure,
    current: dict[str, int],
    sums: dict[str, dict[str, int]],
    published: Mapping[str, Mapping[str, Decimal | None]],
    stuck: set[str],
) -> dict[str, int]:
    """Inner and Outer London sums to aim for: those missing least in each sub-region,
    then in London, then nearest the current sums (a ``stuck`` sub-region's stays)."""
    options: dict[str, list[int]] = {}
    for code in (_INNER, _OUTER):
        if code in stuck:
            options[code] = [current[code]]
            continue
        base = published[code].get(figure.base) if figure.base else None
        window = set(_window(figure, base, current[code])) | {current[code]}
        scored = {x: _level_misses(figure, x, sums[code], published[code]) for x in window}
        fewest = min(scored.values())
        options[code] = sorted(
            (x for x, misses in scored.items() if misses == fewest),
            key=lambda x, c=current[code]: (abs(x - c), x),
        )
    london_sums = {k: sums[_INNER][k] + sums[_OUTER][k] for k in sums[_INNER]}
    london: dict[int, int] = {}
    best: tuple[int, int, int, int] | None = None
    for inner in options[_INNER]:
        for outer in options[_OUTER]:
            cost = abs(inner - current[_INNER]) + abs(outer - current[_OUTER])
            total = inner + outer
            if best is not None and (best[0], best[1]) <= (london.get(total, 0), cost):
                continue
            if total not in london:
                london[total] = _level_misses(figure, total, london_sums, published[LONDON])
            if best is None or (london[total], cost) < (best[0], best[1]):
                best = (london[total], cost, inner, outer)
    assert best is not None
    return {_INNER: best[2], _OUTER: best[3]}


def _room(ret: _Return, figure: _Figure, direction: int) -> tuple[bool, int]:
    """Sort key: imputed figures first, then the most room to move within the rounding."""
    if figure.base is None or figure.base in ret.figures.imputed:
        return (False, -abs(ret.values[figure.field]))
    edge = int(ret.figures.base[figure.base] * figure.unit) + direction * figure.unit // 20
    return (True, -abs(edge - ret.values[figure.field]))


def _spread(returns: list[_Return], figure: _Figure, residual: int) -> int:
    """Move the returns' totals of ``figure`` by ``residual`` in all; what is left over."""
    direction = 1 if residual > 0 else -1
    for ret in sorted(returns, key=lambda r: (_room(r, figure, direction), r.figures.la_code)):
        if residual == 0:
            break
        free = figure.base is None or figure.base in ret.figures.imputed
        most = abs(residual)
        if not free:
            most = min(most, figure.unit // 20)
        change = most
        while change > 0 and not ret.try_move(figure.field, direction * change):
            change -= figure.step if change > figure.step else change
        residual -= direction * change
    return residual


def _settle(
    figure: _Figure,
    members: dict[str, list[_Return]],
    published: Mapping[str, Mapping[str, Decimal | None]],
) -> None:
    """Move one figure's totals towards the regional targets; when a sub-region can't
    reach its target, the other's is chosen again around where it got to."""
    stuck: set[str] = set()
    for _ in range(len(members) + 1):
        sums = {code: _sum(rets) for code, rets in members.items()}
        current = {code: sums[code][figure.field] for code in members}
        goal = _targets(figure, current, sums, published, stuck)
        short = {
            code
            for code, rets in members.items()
            if _spread(rets, figure, goal[code] - current[code])
        }
        if short <= stuck:
            return
        stuck |= short


def reconcile_regions(
    targets: dict[tuple[str, int], ReturnTargets],
    figures: Mapping[tuple[str, int], BoroughYearFigures],
    regional: Mapping[tuple[str, int], Mapping[str, Decimal | None]],
) -> dict[tuple[str, int], ReturnTargets]:
    """The returns' totals moved so the regional sums reproduce the published regions."""
    result = dict(targets)
    for year in sorted({y for _, y in targets}):
        published = {code: regional.get((code, year)) for code in (_INNER, _OUTER, LONDON)}
        if any(p is None for p in published.values()):
            continue
        members: dict[str, list[_Return]] = {_INNER: [], _OUTER: []}
        for key, t in targets.items():
            figure = figures[key]
            if key[1] != year or figure.sub_region_code not in members:
                continue
            values = _values(t)
            ret = _Return(t, figure, values, _failures(values, figure))
            members[figure.sub_region_code].append(ret)
        for figure in _FIGURES:
            _settle(figure, members, published)  # type: ignore[arg-type]
        for rets in members.values():
            for ret in rets:
                key = (ret.figures.la_code, year)
                result[key] = replace(
                    targets[key], **{f.field: ret.values[f.field] for f in _FIGURES}
                )
    return result


def _sum(returns: list[_Return]) -> dict[str, int]:
    names = [*(f.field for f in _FIGURES), *_FIXED]
    return {name: sum(r.values[name] for r in returns) for name in names}
