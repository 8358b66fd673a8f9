"""When a census year is destroyed: the retention window of :class:`liia.config.Settings`.

``Settings.first_retained_census_year`` (as-of year - retained years + 1) is
the one definition of the window; this module only reads it: a year is due for
destruction once it is older than that year, i.e. on 1 January of
(year + retained years), the first as-of date whose window no longer holds it.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from liia.config import Settings


def is_aged_out(census_year: int | None, settings: Settings) -> bool:
    """Whether a census year is older than the retained window (None: not a year)."""
    return census_year is not None and census_year < settings.first_retained_census_year


def due_for_destruction_on(census_year: int, settings: Settings) -> date:
    """The first as-of date on which ``liia retention`` destroys this census year."""
    due = date(census_year + settings.retained_years, 1, 1)
    # the window's own definition decides: the day before still keeps the year
    assert is_aged_out(census_year, dataclasses.replace(settings, as_of=due))
    return due


def with_as_of(settings: Settings, as_of: date | None) -> Settings:
    """The settings measured from another date (``liia retention --as-of``)."""
    return settings if as_of is None else dataclasses.replace(settings, as_of=as_of)


def demo_as_of() -> date:
    """The built-in sample's own as-of date: 1 November of DfE's latest published year.

    The sample covers the six census years up to that year, so measured from
    this date retention keeps all of them (measured from today it might not).
    """
    from liia.config import LATEST_PUBLISHED_YEAR

    return date(LATEST_PUBLISHED_YEAR, 11, 1)
