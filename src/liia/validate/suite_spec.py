"""What a Great Expectations suite checks: one warehouse relation, a list of expectations;
and the checks GX leaves to dbt, because a dbt test or contract already makes them."""

from __future__ import annotations

from dataclasses import dataclass, field

import great_expectations as gx


@dataclass(frozen=True)
class SuiteSpec:
    """A GX suite over one warehouse table (``<schema>.<table>``)."""

    name: str
    relation: str
    expectations: list[gx.expectations.Expectation] = field(default_factory=list)


@dataclass(frozen=True)
class CoveredByDbt:
    """A check GX does not make because dbt makes it on the same model and column(s).

    ``dbt_test`` is a generic test of the model's ``_<folder>__models.yml`` (``not_null``,
    ``unique``, ``accepted_values``, ``relationships``, ``unique_combination_of_columns``),
    ``contract`` (the enforced contract's ``data_type``), or the name of a singular test
    under ``tests/dbt``. ``tests/python/quality/test_gx_checks_moved_to_dbt.py`` checks
    that each is there and fails on a planted bad value.
    """

    model: str
    columns: tuple[str, ...]
    check: str  # what the GX expectation checked
    dbt_test: str
