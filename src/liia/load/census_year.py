"""Which census year a file is, from its header and its name.

The header's ``Year`` and ``ReferenceDate`` (2024-09-30 → 2024) give the year;
they must agree with each other and with a year in the file name when the name
holds one (``csww_2024.xml``). A file with no header year (CSV, XLSX, or XML
without one) takes its year from the file name. No year anywhere, or a year
outside the window rejects the file: the window runs from the first census
year still retained (``Settings.census_year_window``; never before
``FIRST_CENSUS_YEAR``, the first year of this layout) to the current one. A
ReferenceDate is a ``YYYY-MM-DD`` date (an ``xs:date``: a time zone may
follow), nothing else.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from liia.load.parsed_return import FileRejected, redact

FIRST_CENSUS_YEAR = 2020
_YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
_XS_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(Z|[+-]\d{2}:\d{2})?")


@dataclass(frozen=True)
class YearWindow:
    """The census years a file may be for: ``first``..``last`` (both included)."""

    first: int
    last: int

    def refusal(self, year: int) -> str | None:
        """Why a file for ``year`` is refused, or None when the year is in the window."""
        window = f"{self.first}..{self.last}"
        if year > self.last:
            return (
                f"unknown census year {year}: the latest census year whose reference date "
                f"has passed is {self.last} (accepted: {window})"
            )
        if year < FIRST_CENSUS_YEAR:
            return f"unknown census year {year}: CSWW returns start in {FIRST_CENSUS_YEAR}"
        if year < self.first:
            return (
                f"census year {year} is outside the retention period: only census years "
                f"{window} are kept (older years are destroyed), so the file was not landed"
            )
        return None


def years_in_name(file_name: str) -> set[int]:
    """Every distinct 20xx year standing alone in a file name."""
    return {int(match) for match in _YEAR_IN_NAME.findall(file_name)}


def _header_year(year_text: str | None, reference_date: str | None) -> int | None:
    year: int | None = None
    if year_text is not None:
        text = year_text.strip()
        if not (len(text) == 4 and text.isdigit()):
            raise FileRejected(
                f"header Year {redact(text, 20)!r} is not a four-digit year", item="Year"
            )
        year = int(text)
    if reference_date is not None:
        match = _XS_DATE.fullmatch(reference_date.strip())
        try:
            if match is None:
                raise ValueError(reference_date)
            reference_year = dt.date.fromisoformat(match.group(1)).year
        except ValueError:
            raise FileRejected(
                "header ReferenceDate is not a YYYY-MM-DD date", item="ReferenceDate"
            ) from None
        if year is not None and reference_year != year:
            raise FileRejected(
                f"header Year {year} and ReferenceDate (year {reference_year}) disagree",
                item="Year",
            )
        year = reference_year
    return year


def census_year(
    file_name: str,
    header_year: str | None,
    header_reference_date: str | None,
    current_year: int,
    first_year: int = FIRST_CENSUS_YEAR,
) -> int:
    """The file's census year; raises :class:`FileRejected` when it is missing or wrong.

    ``first_year``..``current_year`` is the window of accepted years (see
    :class:`YearWindow`)."""
    from_header = _header_year(header_year, header_reference_date)
    from_name = years_in_name(file_name)
    if from_header is not None:
        if from_name and from_header not in from_name:
            named = ", ".join(str(y) for y in sorted(from_name))
            raise FileRejected(
                f"census year mismatch: the header says {from_header} but the file name "
                f"says {named}",
                item="Year",
            )
        year = from_header
    elif len(from_name) == 1:
        year = next(iter(from_name))
    elif from_name:
        raise FileRejected(
            "missing census year: no header year, and the file name holds several years",
            item="Year",
        )
    else:
        raise FileRejected(
            "missing census year: no header Year/ReferenceDate, and the file name holds no year "
            "(name the file like csww_2024.csv)",
            item="Year",
        )
    refusal = YearWindow(max(first_year, FIRST_CENSUS_YEAR), current_year).refusal(year)
    if refusal is not None:
        raise FileRejected(refusal, item="Year")
    return year
