"""Data-quality suites over the staging and mart models (filled by the quality work)."""

from __future__ import annotations

from liia.validate.suite_spec import SuiteSpec


def suites() -> list[SuiteSpec]:
    return []
