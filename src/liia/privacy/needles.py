"""What a leak looks like: the raw identifiers held in landing, and how to spot them.

The needles are every distinct SWE number in landing, normalised by the very
macro staging uses before hashing (``normalise_swe_number`` in
macros/pseudonymise.sql, rendered by :mod:`liia.privacy.swe_macros`), so a
raw, trimmed or normalised copy all match and the scan looks for exactly what
staging would hash; and every full date of birth (as an ISO ``yyyy-mm-dd``
string, the form a date takes when a table, CSV, Parquet or JSON file holds it).

Candidates found in the scanned data are normalised by the same macro, in
DuckDB, whether they come from a table column or from a file's text.

Left out, because finding them proves nothing: 64-hex values (senders'
pseudonyms, legitimately published), values too short to be a registration
number, dates on the 1st of a month (already degraded: the published birth
month is exactly that) and dates that landing also holds as a role start or
end date (a non-personal column may legitimately hold the same date).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import duckdb

from liia.privacy.swe_macros import is_sender_hash_sql, normalise_swe_number_sql, swe_whitespace

SWE_KIND = "swe_number"
BIRTH_DATE_KIND = "birth_date"
MIN_SWE_LENGTH = 5

ISO_DATE_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
DMY_DATE_PATTERN = r"[0-9]{2}/[0-9]{2}/[0-9]{4}"
# Where a file's text is cut into cells (CSV/TSV/JSON/HTML/log punctuation) and lines.
CELL_SPLIT_PATTERN = r"[,;|\t\r\n\"'<>\[\]{}()=:]"
LINE_SPLIT_PATTERN = r"[\r\n]"
TEXT_COLUMN = "text"


@cache
def swe_token_pattern() -> str:
    """A two-letter prefix then digits, whitespace (as the macro defines it) allowed inside."""
    space = swe_whitespace()
    return rf"\b[A-Za-z]{{2}}{space}*[0-9](?:[0-9]|{space})*\b"


def needles_sql(landing_alias: str) -> str:
    """SQL creating the ``scan_needles`` temp table (kind, needle) from landing."""
    landing = f"{landing_alias}.csww.workers"
    return f"""
create or replace temp table scan_needles as
with

swe_numbers as (
    select distinct
        {normalise_swe_number_sql('"SWENo"')} as needle,
        {is_sender_hash_sql('"SWENo"')} as is_sender_hash
    from {landing}
    where "SWENo" is not null
),

birth_dates as (
    select distinct
        case
            when regexp_full_match(trim("PersonBirthDate"), '{ISO_DATE_PATTERN}.*')
                then try_cast(left(trim("PersonBirthDate"), 10) as date)
        end as birth_date
    from {landing}
),

role_dates as (
    select try_cast(left(trim("RoleStartDate"), 10) as date) as role_date
    from {landing}
    union
    select try_cast(left(trim("RoleEndDate"), 10) as date) as role_date
    from {landing}
)

select '{SWE_KIND}' as kind, needle
from swe_numbers
where
    needle is not null
    and length(needle) >= {MIN_SWE_LENGTH}
    and regexp_matches(needle, '[0-9]')
    and not is_sender_hash
union all
select '{BIRTH_DATE_KIND}' as kind, strftime(birth_date, '%Y-%m-%d') as needle
from birth_dates
where
    birth_date is not null
    and day(birth_date) != 1
    and birth_date not in (select role_date from role_dates where role_date is not null)
"""


def hits_sql() -> str:
    """SQL counting, per column of ``scan_values`` (column_name, value), the distinct
    needles of each kind found: whole values and SWE-shaped tokens normalised by the
    macro, ISO dates, and dd/mm/yyyy dates read as ISO."""
    return f"""
with

tokens as (
    select column_name, value as token from scan_values
    union all
    select column_name, unnest(regexp_extract_all(value, $swe_token)) as token
    from scan_values
),

candidates as (
    select column_name, {normalise_swe_number_sql("token")} as candidate from tokens
    union all
    select column_name, unnest(regexp_extract_all(value, '{ISO_DATE_PATTERN}')) as candidate
    from scan_values
    union all
    select
        column_name,
        strftime(
            try_strptime(unnest(regexp_extract_all(value, '{DMY_DATE_PATTERN}')), '%d/%m/%Y'),
            '%Y-%m-%d'
        ) as candidate
    from scan_values
)

select candidates.column_name, scan_needles.kind, count(distinct scan_needles.needle) as found
from candidates
inner join scan_needles on candidates.candidate = scan_needles.needle
group by all
order by all
"""


@dataclass(frozen=True)
class Needles:
    """How many identifiers are looked for (the values stay in DuckDB, never printed)."""

    swe_numbers: int
    birth_dates: int

    def __str__(self) -> str:
        return f"Needles(swe_numbers={self.swe_numbers}, birth_dates={self.birth_dates})"


def load_needles(conn: duckdb.DuckDBPyConnection, landing_alias: str) -> Needles:
    """Create the ``scan_needles`` temp table from landing and count the needles."""
    conn.execute(needles_sql(landing_alias))
    counts = dict(conn.execute("select kind, count(*) from scan_needles group by kind").fetchall())
    return Needles(swe_numbers=counts.get(SWE_KIND, 0), birth_dates=counts.get(BIRTH_DATE_KIND, 0))


def find_hits(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int]]:
    """(column_name, kind, distinct needles found) over the ``scan_values`` temp table."""
    return conn.execute(hits_sql(), {"swe_token": swe_token_pattern()}).fetchall()


def find_in_text(conn: duckdb.DuckDBPyConnection, text: str) -> dict[str, int]:
    """Distinct needles of each kind found in a text (a file's contents): its lines and
    its cells are the values looked through. Needs ``scan_needles`` on ``conn``."""
    conn.execute(
        "create or replace temp table scan_values as "
        "select distinct $column as column_name, piece as value from ("
        "select unnest(regexp_split_to_array($text, $cells)) as piece "
        "union all select unnest(regexp_split_to_array($text, $lines)) as piece"
        ") where trim(piece) != ''",
        {
            "column": TEXT_COLUMN,
            "text": text,
            "cells": CELL_SPLIT_PATTERN,
            "lines": LINE_SPLIT_PATTERN,
        },
    )
    try:
        return {kind: found for _, kind, found in find_hits(conn)}
    finally:
        conn.execute("drop table scan_values")
