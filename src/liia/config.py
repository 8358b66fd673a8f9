"""Run settings, read once from the environment.

Everything a run writes stays under ``LIIA_HOME``. The project root is the
repository this package is installed from (editable install): dbt's project,
seeds and Great Expectations configuration live there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from liia.errors import UsageError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SEEDS_DIR = PROJECT_ROOT / "seeds"
LATEST_PUBLISHED_YEAR = 2025
# The data-processing agreement keeps six census years: the as-of year and the
# five before it. Overridable (LIIA_RETAINED_YEARS) for a different agreement.
RETAINED_CENSUS_YEARS = 6


@dataclass(frozen=True)
class Settings:
    """Where a run reads and writes, and the date it is measured from."""

    home: Path
    incoming: Path
    as_of: date
    retained_years: int = RETAINED_CENSUS_YEARS

    @property
    def landing_path(self) -> Path:
        return self.home / "landing.duckdb"

    @property
    def warehouse_path(self) -> Path:
        return self.home / "warehouse.duckdb"

    @property
    def exports_dir(self) -> Path:
        return self.home / "exports"

    @property
    def reports_dir(self) -> Path:
        return self.home / "reports"

    @property
    def dbt_target_dir(self) -> Path:
        return self.home / "dbt" / "target"

    @property
    def dbt_log_dir(self) -> Path:
        return self.home / "dbt" / "logs"

    @property
    def current_census_year(self) -> int:
        """The latest census year whose reference date (30 Sept) has passed."""
        year = self.as_of.year
        return year if (self.as_of.month, self.as_of.day) >= (9, 30) else year - 1

    @property
    def first_retained_census_year(self) -> int:
        """The oldest census year kept: as-of year minus (retained years - 1).

        Older years are destroyed by ``liia retention`` and refused by the loader.
        """
        return self.as_of.year - self.retained_years + 1

    @property
    def census_year_window(self) -> tuple[int, int]:
        """(first, last) census year a file may be for: retained and already past."""
        return self.first_retained_census_year, self.current_census_year


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Settings from ``LIIA_HOME``, ``LIIA_INCOMING`` and ``LIIA_AS_OF``."""
    env = os.environ if environ is None else environ
    home = Path(env.get("LIIA_HOME") or "build").resolve()
    incoming = Path(env.get("LIIA_INCOMING") or home / "incoming").resolve()
    as_of_text = env.get("LIIA_AS_OF")
    try:
        as_of = date.fromisoformat(as_of_text) if as_of_text else date.today()
    except ValueError:
        raise UsageError(
            f"LIIA_AS_OF is {as_of_text!r}, not a date: give it as YYYY-MM-DD (e.g. 2025-11-01)"
        ) from None
    retained_text = env.get("LIIA_RETAINED_YEARS") or str(RETAINED_CENSUS_YEARS)
    if not retained_text.isdigit() or int(retained_text) < 1:
        raise UsageError(
            f"LIIA_RETAINED_YEARS is {retained_text!r}: give the number of census years kept (6)"
        )
    retained = int(retained_text)
    return Settings(home=home, incoming=incoming, as_of=as_of, retained_years=retained)
