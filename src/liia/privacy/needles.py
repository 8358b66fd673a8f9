"""What a leak looks like: the raw identifiers held in landing, and how to spot them.

The needles are every distinct SWE number in landing (compared in normalised
form: upper-case, no whitespace, so a raw, trimmed or normalised copy all
match) and every full date of birth (compared as an ISO ``yyyy-mm-dd`` string,
the form a date takes when a table, CSV, Parquet or JSON file holds it).

Left out, because finding them proves nothing: 64-hex values (senders'
pseudonyms, legitimately published), values too short to be a registration
number, dates on the 1st of a month (already degraded: the published birth
month is exactly that) and dates that landing also holds as a role start or
end date (a non-personal column may legitimately hold the same date).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb

SWE_KIND = "swe_number"
BIRTH_DATE_KIND = "birth_date"
MIN_SWE_LENGTH = 5

# A two-letter prefix and digits (spaces allowed inside), as a whole word.
SWE_TOKEN_PATTERN = r"\b[A-Za-z]{2}[ \t]*[0-9][0-9 \t]*\b"
ISO_DATE_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
DMY_DATE_PATTERN = r"[0-9]{2}/[0-9]{2}/[0-9]{4}"

NEEDLES_SQL = rf"""
create or replace temp table scan_needles as
with

swe_numbers as (
    select distinct upper(regexp_replace("SWENo", '\s', '', 'g')) as needle
    from __LANDING__.csww.workers
    where "SWENo" is not null
),

birth_dates as (
    select distinct
        case
            when regexp_full_match(trim("PersonBirthDate"), '{ISO_DATE_PATTERN}.*')
                then try_cast(left(trim("PersonBirthDate"), 10) as date)
        end as birth_date
    from __LANDING__.csww.workers
),

role_dates as (
    select try_cast(left(trim("RoleStartDate"), 10) as date) as role_date
    from __LANDING__.csww.workers
    union
    select try_cast(left(trim("RoleEndDate"), 10) as date) as role_date
    from __LANDING__.csww.workers
)

select '{SWE_KIND}' as kind, needle
from swe_numbers
where
    length(needle) >= {MIN_SWE_LENGTH}
    and regexp_matches(needle, '[0-9]')
    and not regexp_full_match(needle, '[0-9A-F]{{64}}')
union all
select '{BIRTH_DATE_KIND}' as kind, strftime(birth_date, '%Y-%m-%d') as needle
from birth_dates
where
    birth_date is not null
    and day(birth_date) != 1
    and birth_date not in (select role_date from role_dates where role_date is not null)
"""

_WHITESPACE = re.compile(r"\s+")
_SWE_TOKEN = re.compile(SWE_TOKEN_PATTERN)
_ISO_DATE = re.compile(ISO_DATE_PATTERN)
_DMY_DATE = re.compile(r"([0-9]{2})/([0-9]{2})/([0-9]{4})")
_CELL_SPLIT = re.compile(r"[,;|\t\r\n\"'<>\[\]{}()=:]")


@dataclass(frozen=True)
class Needles:
    """The identifiers to look for, held in memory only (never printed)."""

    swe_numbers: frozenset[str]
    birth_dates: frozenset[str]

    def __repr__(self) -> str:  # counts only, never values
        return f"Needles(swe_numbers={len(self.swe_numbers)}, birth_dates={len(self.birth_dates)})"

    __str__ = __repr__


def load_needles(conn: duckdb.DuckDBPyConnection, landing_alias: str) -> Needles:
    """Create the ``scan_needles`` temp table from landing and return the needles."""
    conn.execute(NEEDLES_SQL.replace("__LANDING__", landing_alias))
    rows = conn.execute("select kind, needle from scan_needles").fetchall()
    return Needles(
        swe_numbers=frozenset(needle for kind, needle in rows if kind == SWE_KIND),
        birth_dates=frozenset(needle for kind, needle in rows if kind == BIRTH_DATE_KIND),
    )


def find_in_text(text: str, needles: Needles) -> dict[str, int]:
    """Distinct needles of each kind found in a text (a file's contents)."""
    swe_found: set[str] = set()
    for token in _SWE_TOKEN.findall(text):
        candidate = _WHITESPACE.sub("", token).upper()
        if candidate in needles.swe_numbers:
            swe_found.add(candidate)
    for cell in _CELL_SPLIT.split(text):
        candidate = _WHITESPACE.sub("", cell).upper()
        if candidate in needles.swe_numbers:
            swe_found.add(candidate)
    dates_found = {d for d in _ISO_DATE.findall(text) if d in needles.birth_dates}
    for day, month, year in _DMY_DATE.findall(text):
        iso = f"{year}-{month}-{day}"
        if iso in needles.birth_dates:
            dates_found.add(iso)
    found = {SWE_KIND: len(swe_found), BIRTH_DATE_KIND: len(dates_found)}
    return {kind: count for kind, count in found.items() if count}
