"""What a Great Expectations suite checks: one warehouse relation, a list of expectations."""

from __future__ import annotations

from dataclasses import dataclass, field

import great_expectations as gx


@dataclass(frozen=True)
class SuiteSpec:
    """A GX suite over one warehouse table (``<schema>.<table>``)."""

    name: str
    relation: str
    expectations: list[gx.expectations.Expectation] = field(default_factory=list)
