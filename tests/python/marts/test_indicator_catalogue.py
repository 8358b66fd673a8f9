"""The DfE indicator catalogue (dbt_project.yml vars, read by liia.indicator_catalogue):
its formulas, its bounds, the rules its parser enforces, and that the published file,
the mart contracts and docs/methodology.md all say what it says (no pipeline needed)."""

from __future__ import annotations

import csv
import itertools
import re
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from liia.indicator_catalogue import (
    CatalogueError,
    catalogue,
    load_catalogue,
    parse_catalogue,
    parse_expression,
)

ROOT = Path(__file__).resolve().parents[3]
CATALOGUE = catalogue()
BASE_NAMES = {figure.name for figure in CATALOGUE.base_figures}


def test_the_catalogue_is_read_from_dbt_project_yml() -> None:
    project = yaml.safe_load((ROOT / "dbt_project.yml").read_text(encoding="utf-8"))
    assert [entry["name"] for entry in project["vars"]["dfe_indicators"]] == list(CATALOGUE.names)
    assert load_catalogue(ROOT / "dbt_project.yml") == CATALOGUE
    assert len(CATALOGUE.rates) == 8 and len(CATALOGUE.base_figures) == 12


@pytest.mark.parametrize(
    ("name", "figures", "expected"),
    [
        # the worked examples of _core__models.yml's unit test (Camden 202, 2024)
        ("turnover_rate_fte", {"leavers_fte": 25, "inpost_fte": 100}, Fraction(25)),
        ("agency_rate_fte", {"agency_fte": 25, "inpost_fte": 100}, Fraction(20)),
        ("vacancy_rate_fte", {"vacancy_fte": 25, "inpost_fte": 100}, Fraction(20)),
        ("caseload_fte", {"cases": 1500, "case_holders_fte": 80}, Fraction(75, 4)),
        ("absence_rate_fte", {"working_days_lost_fte": 506, "inpost_fte": 100}, Fraction(2)),
        ("agency_cover_rate_fte", {"agency_cover_fte": 5, "agency_fte": 0}, None),
        ("turnover_rate_headcount", {"leavers_headcount": 1, "inpost_headcount": 3},
         Fraction(100, 3)),
    ],
)  # fmt: skip
def test_a_rate_is_its_formula_exactly_and_none_on_a_zero_denominator(
    name: str, figures: dict[str, int], expected: Fraction | None
) -> None:
    assert CATALOGUE[name].value(figures) == expected


def test_a_rate_is_the_same_in_any_common_unit() -> None:
    """The generator counts FTE in millionths and days in hundredths (regional.py)."""
    for rate in CATALOGUE.rates:
        figures = {name: 7 + 3 * i for i, name in enumerate(rate.figures)}
        scaled = {name: value * 1_000_000 for name, value in figures.items()}
        numerator, denominator = rate.terms(scaled)
        assert Fraction(numerator, denominator) == rate.value(figures)


def test_bounds_are_the_extremes_over_every_corner_of_the_intervals() -> None:
    """A rate is monotone in each figure, so its extremes lie on the interval corners,
    and the catalogue's choice of corner is the right one for every rate."""
    for rate in CATALOGUE.rates:
        intervals = {
            name: (Fraction(40 + 17 * i, 2), Fraction(41 + 17 * i, 2))
            for i, name in enumerate(rate.figures)
        }
        corners = [
            rate.value(dict(zip(rate.figures, corner, strict=True)))
            for corner in itertools.product(*(intervals[name] for name in rate.figures))
        ]
        assert rate.bounds(intervals) == (min(corners), max(corners)), rate.name
        inside = {name: (lo + hi) / 2 for name, (lo, hi) in intervals.items()}
        low, high = rate.bounds(intervals)
        assert low is not None and high is not None
        assert low < rate.value(inside) < high  # type: ignore[operator]


def test_camden_2024_absence_bounds_miss_the_published_rate() -> None:
    """_core__models.yml: 100 x [1063.45, 1063.55] / ([178.75, 178.85] x 253) is
    [2.3502, 2.3518], outside [2.25, 2.35] around the published 2.3."""
    rate = CATALOGUE["absence_rate_fte"]
    low, high = rate.bounds(
        {
            "working_days_lost_fte": (Fraction("1063.45"), Fraction("1063.55")),
            "inpost_fte": (Fraction("178.75"), Fraction("178.85")),
        }
    )
    assert low is not None and high is not None
    assert (round(float(low), 4), round(float(high), 4)) == (2.3502, 2.3518)
    assert low > Fraction("2.3") + rate.half_unit


def test_precision_and_half_units() -> None:
    assert CATALOGUE["inpost_fte"].half_unit == Fraction(1, 20)
    assert CATALOGUE["cases"].half_unit == Fraction(1, 2)
    assert {i.decimals for i in CATALOGUE.rates} == {1}


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('true')",  # never evaluated: not a name or a number
        "inpost_fte - agency_fte",  # only + and *
        "inpost_fte / agency_fte",
        "(agency_fte + inpost_fte) * 2",  # no brackets: the SQL is rendered word by word
        "agency_fte+inpost_fte",  # words apart
        "inpost_fte * inpost_fte",  # not linear
        "253",  # no base figure
        "turnover_rate_fte",  # a rate is not a base figure
        "unknown_fte",
        "",
    ],
)
def test_the_parser_refuses_what_the_rules_exclude(text: str) -> None:
    with pytest.raises(CatalogueError):
        parse_expression(text, 253, BASE_NAMES)


def test_the_parser_reads_sums_of_products() -> None:
    expression = parse_expression("2 * agency_fte + inpost_fte * days_per_fte", 253, BASE_NAMES)
    assert expression.evaluate({"agency_fte": 1, "inpost_fte": 2}) == 2 + 2 * 253
    assert expression.figures == ("agency_fte", "inpost_fte")


def test_a_broken_catalogue_is_refused() -> None:
    project = yaml.safe_load((ROOT / "dbt_project.yml").read_text(encoding="utf-8"))
    entries = project["vars"]["dfe_indicators"]
    sum_numerator = {**entries[9], "numerator": "agency_fte + inpost_fte"}
    for broken in (
        [*entries, entries[0]],  # a name twice
        [sum_numerator if e["name"] == "agency_rate_fte" else e for e in entries],
        [{**e, "decimals": "1"} if e["name"] == "cases" else e for e in entries],
        [{**e, "colour": "red"} if e["name"] == "cases" else e for e in entries],
    ):
        with pytest.raises(CatalogueError):
            parse_catalogue({"vars": {"days_per_fte": 253, "dfe_indicators": broken}})
    with pytest.raises(CatalogueError):
        parse_catalogue({"vars": {"days_per_fte": 253.0, "dfe_indicators": entries}})


def test_published_indicators_are_the_columns_of_the_published_file() -> None:
    with (ROOT / "seeds" / "dfe_published_indicators.csv").open(encoding="utf-8") as handle:
        columns = set(next(csv.reader(handle)))
    assert {i.name for i in CATALOGUE if i.published} <= columns
    assert not {i.name for i in CATALOGUE if not i.published} & columns


def test_every_indicator_is_a_contracted_column_of_fct_la_indicators() -> None:
    """The mart's contract has every catalogue indicator, each rate described by its formula."""
    models = yaml.safe_load(
        (ROOT / "models" / "marts" / "core" / "_core__models.yml").read_text(encoding="utf-8")
    )["models"]
    (mart,) = (m for m in models if m["name"] == "fct_la_indicators")
    columns = {column["name"]: column for column in mart["columns"]}
    assert set(CATALOGUE.names) <= columns.keys()
    for rate in CATALOGUE.rates:
        assert columns[rate.name]["data_type"] == "double"
        assert columns[rate.name]["description"].startswith(rate.formula(times="x")), rate.name


def test_docs_methodology_states_the_catalogue() -> None:
    """docs/methodology.md's indicator table and its days per FTE are the catalogue's."""
    text = (ROOT / "docs" / "methodology.md").read_text(encoding="utf-8")
    rows = {
        match["name"]: match
        for match in re.finditer(
            r"^\| `(?P<name>\w+)` \| (?P<formula>[^|]+?) \|[^|]*\| (?P<published>[^|]+?) \|$",
            text,
            re.MULTILINE,
        )
    }
    assert list(rows) == list(CATALOGUE.names)
    for indicator in CATALOGUE:
        row = rows[indicator.name]
        if indicator.is_rate:
            assert row["formula"] == indicator.formula(), indicator.name
        precision = "(whole)" if indicator.decimals == 0 else f"({10**-indicator.decimals})"
        assert row["published"] == (f"yes {precision}" if indicator.published else "no")
    assert f"This project uses **{CATALOGUE.days_per_fte}**" in text
