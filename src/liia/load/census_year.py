"""Which census year a file is, from its header and its name.

The header's ``Year`` and ``ReferenceDate`` (2024-09-30 → 2024) give the year;
they must agree with each other and with a year in the file name when the name
holds one (``csww_2024.xml``). A file with no header year (CSV, XLSX, or XML
without one) takes its year from the file name. No year anywhere, or a year
outside ``FIRST_CENSUS_YEAR``..current, rejects the file.
"""

from __future__ import annotations

import datetime as dt
import re

from liia.load.parsed_return import FileRejected, redact

FIRST_CENSUS_YEAR = 2020
_YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


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
        try:
            reference_year = dt.date.fromisoformat(reference_date.strip()[:10]).year
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
) -> int:
    """The file's census year; raises :class:`FileRejected` when it is missing or wrong."""
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
    if not FIRST_CENSUS_YEAR <= year <= current_year:
        raise FileRejected(
            f"unknown census year {year}: expected {FIRST_CENSUS_YEAR}..{current_year}",
            item="Year",
        )
    return year
