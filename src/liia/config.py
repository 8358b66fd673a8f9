"""Run settings, read once from the environment.

Everything a run writes stays under ``LIIA_HOME``. The project root is the
repository this package is installed from (editable install): dbt's project,
seeds and Great Expectations configuration live there.
"""

from __future__ import annotations

import csv
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
# LIIA_AUTHORITIES_FILE: a CSV naming the participating authorities, one a row.
AUTHORITY_COLUMNS = ("la_code", "la_name", "region")


@dataclass(frozen=True)
class Authority:
    """One participating authority: its return folder (DfE LA code), name and region."""

    la_code: str
    la_name: str
    region: str


def read_authorities(path: Path) -> list[Authority]:
    """The authorities of a CSV with the columns ``la_code, la_name, region`` (others ignored).

    Every error names the file, and the row and field where there is one: a
    missing file or column, an empty value, a code that cannot be a folder
    name (it names the ``<incoming>/<la_code>/`` folder), a repeated code.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in AUTHORITY_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise UsageError(
                    f"LIIA_AUTHORITIES_FILE {path}: no column {', '.join(missing)} "
                    f"(the header must name {', '.join(AUTHORITY_COLUMNS)})"
                )
            rows = list(reader)
    except OSError as error:
        raise UsageError(
            f"LIIA_AUTHORITIES_FILE {path} cannot be read: {error.strerror or error}"
        ) from None
    authorities: list[Authority] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):  # line 1 is the header
        values = {c: (row.get(c) or "").strip() for c in AUTHORITY_COLUMNS}
        for column, value in values.items():
            if not value:
                raise UsageError(f"LIIA_AUTHORITIES_FILE {path}, line {number}: {column} is empty")
        code = values["la_code"]
        if not code.isalnum() or not code.isascii():
            raise UsageError(
                f"LIIA_AUTHORITIES_FILE {path}, line {number}: la_code {code[:40]!r} is not "
                "letters and digits (it names the authority's incoming folder)"
            )
        if code in seen:
            raise UsageError(
                f"LIIA_AUTHORITIES_FILE {path}, line {number}: la_code {code} repeats line "
                f"{seen[code]}"
            )
        seen[code] = number
        authorities.append(Authority(**values))
    if not authorities:
        raise UsageError(f"LIIA_AUTHORITIES_FILE {path} names no authority")
    return authorities


@dataclass(frozen=True)
class Settings:
    """Where a run reads and writes, and the date it is measured from."""

    home: Path
    incoming: Path
    as_of: date
    retained_years: int = RETAINED_CENSUS_YEARS
    authorities_file: Path | None = None

    @property
    def configured_authorities(self) -> list[Authority] | None:
        """The authorities of ``LIIA_AUTHORITIES_FILE``, or None when it is not set
        (London's returning boroughs, from the seed)."""
        if self.authorities_file is None:
            return None
        return read_authorities(self.authorities_file)

    @property
    def participating_authorities(self) -> set[str]:
        """The return folders (LA codes) the loader accepts.

        From ``LIIA_AUTHORITIES_FILE`` when set, else the London returns of
        ``seeds/london_las.csv`` (a joint return counts once, under its lower code).
        """
        if self.authorities_file is not None:
            return {authority.la_code for authority in read_authorities(self.authorities_file)}
        # Imported here: liia.load imports this module.
        from liia.load.incoming_files import default_participating

        return default_participating()

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
    """Settings from ``LIIA_HOME``, ``LIIA_INCOMING``, ``LIIA_AS_OF``,
    ``LIIA_RETAINED_YEARS`` and ``LIIA_AUTHORITIES_FILE``."""
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
    authorities_text = env.get("LIIA_AUTHORITIES_FILE")
    return Settings(
        home=home,
        incoming=incoming,
        as_of=as_of,
        retained_years=retained,
        authorities_file=Path(authorities_text).resolve() if authorities_text else None,
    )
