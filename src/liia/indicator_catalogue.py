"""The DfE indicator catalogue, read from ``dbt_project.yml`` (docs/methodology.md#indicators).

The catalogue is the one definition of every DfE indicator: its name, its formula (for a
rate), DfE's precision and whether DfE publishes it, and the working days per FTE of the
absence rate. It lives in ``dbt_project.yml`` under ``vars`` (``dfe_indicators``,
``days_per_fte``), where dbt reads it with ``var()``: ``macros/indicator_rates.sql``
renders each rate as SQL for the marts, the extracts and the reconciliation. This module
reads the same file, so the generator's calibration and the tests compute every rate
from the same formula, exactly (with ``int`` or ``Fraction`` figures).

A rate is ``scale x numerator / denominator``, undefined (None) when the denominator is
0. The numerator is one base figure; the denominator a sum of products of base figures
and ``days_per_fte``, written with spaces around ``+`` and ``*`` (the SQL macro
substitutes the words, so no brackets and no other operators). Expressions are parsed
with :mod:`ast`, never evaluated as code. Every term is linear (one base figure times a
positive constant), which gives the two properties its users rely on:

- a rate is the same whatever common unit its figures are counted in (the generator
  counts FTE in millionths and days in hundredths: it converts them to one unit);
- it is increasing in its numerator's figure and decreasing in every other figure, so
  over intervals of the figures (published figures known to their rounding) it is
  lowest with the numerator at its low end and the rest at their high ends
  (:meth:`Indicator.bounds`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml

from liia.config import PROJECT_ROOT

DBT_PROJECT = PROJECT_ROOT / "dbt_project.yml"
TIMES = "\N{MULTIPLICATION SIGN}"  # as docs/methodology.md writes a formula
DAYS_PER_FTE = "days_per_fte"  # the word a formula uses for the constant
_KEYS = frozenset({"name", "numerator", "denominator", "scale", "decimals", "published"})
_TOKEN = re.compile(r"[a-z][a-z0-9_]*|[0-9]+|[+*]")

N = TypeVar("N", int, Fraction)


class CatalogueError(ValueError):
    """The catalogue in dbt_project.yml breaks one of the rules above."""


@dataclass(frozen=True)
class Term:
    """One product of a linear expression: ``coefficient x figure``."""

    coefficient: int
    figure: str


@dataclass(frozen=True)
class Expression:
    """A linear expression over base figures, as written in the catalogue."""

    text: str
    terms: tuple[Term, ...]

    @property
    def figures(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(term.figure for term in self.terms))

    def evaluate(self, figures: Mapping[str, N]) -> N:
        """The expression's value; ``figures`` holds (at least) every figure it uses."""
        # No multiplying by 1 nor adding to 0: the generator's calibration calls this
        # hundreds of thousands of times, with Fractions.
        first, *rest = self.terms
        total = figures[first.figure]
        if first.coefficient != 1:
            total = first.coefficient * total
        for term in rest:
            value = figures[term.figure]
            total += value if term.coefficient == 1 else term.coefficient * value
        return total

    def render(self, days_per_fte: int, times: str = TIMES) -> str:
        """As a reader writes it, the days constant as its number (``inpost_fte x 253``)."""
        words = (str(days_per_fte) if word == DAYS_PER_FTE else word for word in self.text.split())
        return " ".join(times if word == "*" else word for word in words)


@dataclass(frozen=True)
class Indicator:
    """One DfE indicator: a base figure (summed from the returns) or a rate of them."""

    name: str
    order: int  # position in the catalogue (docs/methodology.md's table)
    decimals: int  # DfE's precision: published to 10^-decimals
    published: bool  # a column of seeds/dfe_published_indicators.csv
    numerator: Expression | None = None  # None for a base figure
    denominator: Expression | None = None
    scale: int = 1
    days_per_fte: int = 0

    @property
    def is_rate(self) -> bool:
        return self.numerator is not None

    @property
    def half_unit(self) -> Fraction:
        """Half a unit of DfE's rounding: a published value v stands for v +/- this."""
        return Fraction(1, 2 * 10**self.decimals)

    @property
    def figures(self) -> tuple[str, ...]:
        """The base figures the rate is computed from, numerator first (none for a base)."""
        if self.numerator is None or self.denominator is None:
            return ()
        return tuple(dict.fromkeys((*self.numerator.figures, *self.denominator.figures)))

    def terms(self, figures: Mapping[str, N]) -> tuple[N, N]:
        """(scale x numerator, denominator) in the figures' own type: exact for ``int``."""
        numerator, denominator = self._expressions()
        scaled = numerator.evaluate(figures)
        return scaled if self.scale == 1 else self.scale * scaled, denominator.evaluate(figures)

    def value(self, figures: Mapping[str, int | Fraction]) -> Fraction | None:
        """The rate, exactly; None when its denominator is 0."""
        numerator, denominator = self.terms(figures)
        return None if denominator == 0 else Fraction(numerator, denominator)

    def bounds(
        self, intervals: Mapping[str, tuple[Fraction, Fraction]]
    ) -> tuple[Fraction | None, Fraction | None]:
        """(lowest, highest) rate over figures anywhere in their (low, high) intervals; an
        end is None where its denominator is 0 (the rate is unbounded or undefined there)."""
        numerator = self._expressions()[0].figures
        low = {k: lo if k in numerator else hi for k, (lo, hi) in intervals.items()}
        high = {k: hi if k in numerator else lo for k, (lo, hi) in intervals.items()}
        return self.value(low), self.value(high)

    def formula(self, times: str = TIMES) -> str | None:
        """The formula as docs/methodology.md writes it, e.g. ``100 x leavers_fte / inpost_fte``
        (with a multiplication sign; the YAML descriptions write ``times="x"``)."""
        if self.numerator is None or self.denominator is None:
            return None
        denominator = self.denominator.render(self.days_per_fte, times)
        if len(denominator.split()) > 1:
            denominator = f"({denominator})"
        numerator = self.numerator.render(self.days_per_fte, times)
        prefix = "" if self.scale == 1 else f"{self.scale} {times} "
        return f"{prefix}{numerator} / {denominator}"

    def _expressions(self) -> tuple[Expression, Expression]:
        if self.numerator is None or self.denominator is None:
            raise CatalogueError(f"{self.name} is a base figure, not a rate")
        return self.numerator, self.denominator


@dataclass(frozen=True)
class Catalogue:
    """Every DfE indicator in table order, and the working days per FTE."""

    days_per_fte: int
    indicators: tuple[Indicator, ...]
    _by_name: dict[str, Indicator] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {i.name: i for i in self.indicators})

    def __getitem__(self, name: str) -> Indicator:
        return self._by_name[name]

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.indicators)

    @property
    def rates(self) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.is_rate)

    @property
    def base_figures(self) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if not i.is_rate)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(i.name for i in self.indicators)

    def irreproducible(self, name: str, published: Mapping[str, int | Fraction]) -> bool:
        """True when no base figures within their rounding of ``published`` (a published
        row) give a rate that rounds to the published ``name``: the publication disagrees
        with itself (fct_indicator_reconciliation's publication_difference)."""
        rate = self[name]
        intervals = {}
        for figure in rate.figures:
            value, half = Fraction(published[figure]), self[figure].half_unit
            intervals[figure] = (value - half, value + half)
        low, high = rate.bounds(intervals)
        target = Fraction(published[name])
        if low is None or high is None:
            raise CatalogueError(f"{name}: a published base figure gives a zero denominator")
        return high < target - rate.half_unit or low >= target + rate.half_unit


def parse_expression(text: str, days_per_fte: int, figures: set[str]) -> Expression:
    """A catalogue expression as linear terms; CatalogueError if it breaks the rules."""
    words = text.split(" ")
    if not text or any(_TOKEN.fullmatch(word) is None for word in words):
        raise CatalogueError(f"{text!r}: only names, whole numbers and ' + ' / ' * '")
    terms: list[Term] = []
    for product in _summands(ast.parse(text, mode="eval").body, text):
        coefficient, names = 1, []
        for factor in _factors(product, text):
            if isinstance(factor, ast.Constant) and type(factor.value) is int:
                coefficient *= factor.value
            elif isinstance(factor, ast.Name) and factor.id == DAYS_PER_FTE:
                coefficient *= days_per_fte
            elif isinstance(factor, ast.Name) and factor.id in figures:
                names.append(factor.id)
            else:
                raise CatalogueError(f"{text!r}: {ast.unparse(factor)} is not a base figure")
        if len(names) != 1 or coefficient <= 0:
            raise CatalogueError(f"{text!r}: each term is one base figure times a constant")
        terms.append(Term(coefficient, names[0]))
    return Expression(text, tuple(terms))


def _summands(node: ast.expr, text: str) -> Iterator[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        yield from _summands(node.left, text)
        yield from _summands(node.right, text)
    else:
        yield node


def _factors(node: ast.expr, text: str) -> Iterator[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        yield from _factors(node.left, text)
        yield from _factors(node.right, text)
    elif isinstance(node, ast.Name | ast.Constant):
        yield node
    else:
        raise CatalogueError(f"{text!r}: {ast.unparse(node)} is not allowed")


def parse_catalogue(project: Mapping[str, Any]) -> Catalogue:
    """The catalogue of a parsed dbt_project.yml; CatalogueError if it breaks the rules."""
    project_vars = project.get("vars") or {}
    days = project_vars.get(DAYS_PER_FTE)
    entries = project_vars.get("dfe_indicators")
    if type(days) is not int or days <= 0 or not isinstance(entries, list) or not entries:
        raise CatalogueError("vars needs days_per_fte (a whole number) and dfe_indicators")
    names = [entry.get("name") for entry in entries]
    if len(set(names)) != len(names):
        raise CatalogueError(f"an indicator is listed twice: {names}")
    base = {e["name"] for e in entries if "numerator" not in e and "denominator" not in e}
    indicators = []
    for order, entry in enumerate(entries, start=1):
        unknown = set(entry) - _KEYS
        decimals, published = entry.get("decimals"), entry.get("published")
        if unknown or type(decimals) is not int or type(published) is not bool:
            raise CatalogueError(f"{entry}: name, decimals, published (and a rate's formula)")
        indicator = Indicator(entry["name"], order, entry["decimals"], entry["published"])
        if entry["name"] not in base:
            scale = entry.get("scale", 1)
            if type(scale) is not int or scale <= 0:
                raise CatalogueError(f"{entry['name']}: scale is a positive whole number")
            numerator = parse_expression(str(entry.get("numerator", "")), days, base)
            if len(numerator.terms) != 1 or numerator.terms[0].coefficient != 1:
                raise CatalogueError(f"{entry['name']}: the numerator is one base figure")
            denominator = parse_expression(str(entry.get("denominator", "")), days, base)
            indicator = Indicator(
                entry["name"], order, entry["decimals"], entry["published"],
                numerator, denominator, scale, days,
            )  # fmt: skip
        indicators.append(indicator)
    return Catalogue(days, tuple(indicators))


@cache
def load_catalogue(path: Path = DBT_PROJECT) -> Catalogue:
    """The catalogue of dbt_project.yml (read once)."""
    return parse_catalogue(yaml.safe_load(path.read_text(encoding="utf-8")))


def catalogue() -> Catalogue:
    """The project's DfE indicator catalogue."""
    return load_catalogue()
