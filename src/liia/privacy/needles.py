"""What a leak looks like: the raw identifiers held in landing, and how to spot them.

The needles are every distinct SWE number in landing, normalised by the very
macro staging uses before hashing (``normalise_swe_number`` in
macros/pseudonymise.sql, which calls the identifier rule's normaliser:
:mod:`liia.privacy.identifier_rule`), so any spelling the normaliser folds
matches; every sender's 64-hex pseudonym (an unkeyed SHA-256 of a number,
reversible by enumeration: the warehouse must only hold keyed values); and
every full date of birth as ISO ``yyyy-mm-dd``. Each needle keeps the boroughs
(``la_codes``) whose landed files hold it, so a hit can be attributed.

Candidates are taken from each scanned value by the rule's
``liia_identifier_candidates`` function, in DuckDB: the whole value and every
SWE-number-shaped token, normalised; every 64-hex run; every full date
(yyyy-mm-dd, dd/mm/yyyy, dd.mm.yy, yyyymmdd, 17 June 1985...) as ISO. The join
with the needles is SQL, over the distinct values of many places at once
(``scan_values``), and what is found accumulates per place (``scan_found``).

Left out, because finding them proves nothing: values too short to be a
registration number, dates on the 1st of a month (already degraded: the
published birth month is exactly that) and dates that landing also holds as a
role start or end date (a non-personal column may legitimately hold the same date).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from liia.privacy.identifier_rule import CANDIDATES_FUNCTION, MONTHS
from liia.privacy.swe_macros import is_sender_hash_sql, normalise_swe_number_sql

SWE_KIND = "swe_number"
SENDER_HASH_KIND = "sender_pseudonym"
BIRTH_DATE_KIND = "birth_date"
MIN_SWE_LENGTH = 5

# Where a file's text is cut into cells (CSV/TSV/JSON/HTML/log punctuation). Every shape
# the rule knows lies inside one cell but two: a SWE number with a tab inside (the
# normaliser folds it) and a date written with a month name and a comma ('June 15,
# 1901'). So pieces cut without the comma and the tab are looked through too when they
# hold a tab, or a month name and a comma (a CSV or JSON writer quotes such a value; a
# log line is one piece).
CELL_SPLIT_PATTERN = r"[,;|\t\r\n\"'<>\[\]{}()=:]"
COMMA_PIECE_SPLIT_PATTERN = r"[;|\r\n\"'<>\[\]{}()=:]"
WIDE_PIECE_PATTERN = "\t|(?i:(" + "|".join(MONTHS) + ").*,)"
TEXT_COLUMN = "text"
HEX_64 = "[0-9a-fA-F]{64}"
# Plain numbers too short to hold a yyyymmdd date, and ISO dates or timestamps.
SHORT_NUMBER = r"[0-9]{1,7}(\.[0-9]+)?"
ISO_DATE_TIME = r"[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9:.+]*)?"


def _birth_date_sql(expr: str) -> str:
    text = f"left(trim({expr}), 10)"
    return (
        f"cast(coalesce(try_strptime({text}, '%Y-%m-%d'), try_strptime({text}, '%d/%m/%Y'))"
        " as date)"
    )


def needles_sql(landing_alias: str) -> str:
    """SQL creating the ``scan_needles`` temp table (kind, needle, la_codes) from landing."""
    workers = f"{landing_alias}.csww.workers"
    files = f"{landing_alias}.csww.file_register"
    return f"""
create or replace temp table scan_needles as
with

workers as (
    select
        workers."SWENo" as swe_no,
        workers."PersonBirthDate" as person_birth_date,
        workers."RoleStartDate" as role_start_date,
        workers."RoleEndDate" as role_end_date,
        files.la_code
    from {workers} as workers
    left join {files} as files on workers.file_id = files.file_id
),

swe_numbers as (
    select distinct
        {normalise_swe_number_sql("swe_no")} as needle,
        {is_sender_hash_sql("swe_no")} as is_sender_hash,
        la_code
    from workers
    where swe_no is not null
),

birth_dates as (
    select distinct {_birth_date_sql("person_birth_date")} as birth_date, la_code
    from workers
),

role_dates as (
    select try_cast(left(trim(role_start_date), 10) as date) as role_date from workers
    union
    select try_cast(left(trim(role_end_date), 10) as date) as role_date from workers
),

needles as (
    select
        case when is_sender_hash then '{SENDER_HASH_KIND}' else '{SWE_KIND}' end as kind,
        needle,
        la_code
    from swe_numbers
    where
        needle is not null
        and length(needle) >= {MIN_SWE_LENGTH}
        and regexp_matches(needle, '[0-9]')
    union all
    select '{BIRTH_DATE_KIND}' as kind, strftime(birth_date, '%Y-%m-%d') as needle, la_code
    from birth_dates
    where
        birth_date is not null
        and day(birth_date) != 1
        and birth_date not in (select role_date from role_dates where role_date is not null)
)

select
    kind,
    needle,
    list_sort(list_distinct(list(la_code) filter (where la_code is not null))) as la_codes
from needles
group by kind, needle
"""


def _candidates_sql(values: str = "scan_values") -> str:
    """The ``candidates`` CTE (value, candidate): what each distinct value of ``values``
    (a table with a ``value`` column) could be an identifier as. Each value is looked at
    once however many places hold it: the rule's function is the costly part."""
    return f"""
with

shaped as materialized (
    select
        value,
        case
            when regexp_full_match(value, '{HEX_64}') then 'hex'
            when regexp_full_match(value, '{SHORT_NUMBER}') then 'number'
            when regexp_full_match(value, '{ISO_DATE_TIME}') then 'iso_date'
            when regexp_matches(value, '[0-9]') or regexp_matches(value, '[^\\x00-\\x7F]')
                then 'text'
        end as shape
    from (select distinct value from {values})
),

-- The common plain shapes are their own candidates (what the rule's function would
-- return for them), in SQL; everything else goes through the rule's function.
candidates as (
    select value, upper(value) as candidate from shaped where shape = 'hex'
    union all
    select value, value as candidate from shaped where shape = 'number'
    union all
    select value, unnest([left(value, 10), replace(left(value, 10), '-', '')]) as candidate
    from shaped
    where shape = 'iso_date'
    union all
    select value, unnest({CANDIDATES_FUNCTION}(value)) as candidate
    from shaped
    where shape = 'text'
)
"""


def _found_sql() -> str:
    """SQL adding to ``scan_found`` the needles found in ``scan_values`` (place, value,
    la_code): one row per place and needle, with its boroughs: the value's row borough
    where the relation has one, else the needle's boroughs."""
    return (
        "insert into scan_found "
        + _candidates_sql()
        + """,

matched as (
    select distinct candidates.value, scan_needles.kind, scan_needles.needle, scan_needles.la_codes
    from candidates
    inner join scan_needles on candidates.candidate = scan_needles.needle
)

select
    scan_values.place,
    matched.kind,
    matched.needle,
    list_sort(list_distinct(flatten(list(
        case
            when scan_values.la_code is not null then [scan_values.la_code]
            else matched.la_codes
        end
    )))) as la_codes
from scan_values
inner join matched on scan_values.value = matched.value
group by all
"""
    )


# Per place and kind: distinct needles found and their boroughs, over every flush.
HITS_SQL = """
select
    place,
    kind,
    count(distinct needle) as found,
    list_sort(list_distinct(flatten(list(la_codes)))) as la_codes
from scan_found
group by all
order by all
"""


@dataclass(frozen=True)
class Needles:
    """How many identifiers are looked for (the values stay in DuckDB, never printed)."""

    swe_numbers: int
    birth_dates: int
    sender_pseudonyms: int = 0

    def __str__(self) -> str:
        return (
            f"Needles(swe_numbers={self.swe_numbers}, birth_dates={self.birth_dates}, "
            f"sender_pseudonyms={self.sender_pseudonyms})"
        )


def load_needles(conn: duckdb.DuckDBPyConnection, landing_alias: str) -> Needles:
    """Create the ``scan_needles`` temp table from landing and count the needles.
    ``conn`` needs the identifier rule's functions (``swe_macros.rule_connection``)."""
    conn.execute(needles_sql(landing_alias))
    counts = dict(conn.execute("select kind, count(*) from scan_needles group by kind").fetchall())
    return Needles(
        swe_numbers=counts.get(SWE_KIND, 0),
        birth_dates=counts.get(BIRTH_DATE_KIND, 0),
        sender_pseudonyms=counts.get(SENDER_HASH_KIND, 0),
    )


def create_value_tables(conn: duckdb.DuckDBPyConnection) -> None:
    """The scan's work tables: ``scan_values`` (place, value, la_code), the values not yet
    looked through, and ``scan_found`` (place, kind, needle, la_codes), what they held.
    A place is a number the caller gives to each column of a relation or each text."""
    conn.execute(
        "create or replace temp table scan_values (place integer, value varchar, la_code varchar)"
    )
    conn.execute(
        "create or replace temp table scan_found "
        "(place integer, kind varchar, needle varchar, la_codes varchar[])"
    )


def look_through_values(conn: duckdb.DuckDBPyConnection) -> None:
    """Move what ``scan_values`` holds into ``scan_found`` (needles found per place) and
    empty ``scan_values``. Needs ``scan_needles`` and the rule's functions on ``conn``."""
    conn.execute(_found_sql())
    conn.execute("truncate scan_values")


def found_hits(conn: duckdb.DuckDBPyConnection) -> list[tuple[int, str, int, list[str]]]:
    """(place, kind, distinct needles found, boroughs) over everything looked through."""
    return [
        (place, kind, count, la_codes or [])
        for place, kind, count, la_codes in conn.execute(HITS_SQL).fetchall()
    ]


def drop_value_tables(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute("drop table if exists scan_values")
    conn.execute("drop table if exists scan_found")


def _cell_class(split_pattern: str) -> str:
    """The characters of a split pattern's class, for a class of everything but them."""
    return split_pattern[1:-1]


# A piece can only hold a needle if it holds a digit or a non-ASCII character (a
# full-width digit): every needle holds a digit but a sender's pseudonym in letters only.
# Taking just those cells is the same as splitting and keeping all, without the cost of
# millions of empty or wordy pieces.
_CELL = _cell_class(CELL_SPLIT_PATTERN)
USEFUL_CELL_PATTERN = f"[^{_CELL}]*(?:[0-9]|[^\\x00-\\x7F])[^{_CELL}]*"
# A comma-holding piece (cut without the comma and the tab) that WIDE_PIECE_PATTERN
# matches, taken whole: that pattern with its "anything" kept inside the piece.
_WIDE = _cell_class(COMMA_PIECE_SPLIT_PATTERN)
WIDE_CELL_PATTERN = f"[^{_WIDE}]*(?:{WIDE_PIECE_PATTERN.replace('.*', f'[^{_WIDE}]*')})[^{_WIDE}]*"
DIGITLESS_NEEDLE_SQL = "select count(*) from scan_needles where not regexp_matches(needle, '[0-9]')"


def load_texts(
    conn: duckdb.DuckDBPyConnection, texts: list[tuple[int, str]], table: str = "scan_values"
) -> None:
    """Add the pieces of ``texts`` (place, text) to ``table`` (place, value, la_code, as
    ``scan_values``): each text's cells
    and its comma-holding pieces naming a month or holding a tab.

    A text is cut at its newlines first (every piece lies within a line): DuckDB's
    regular expressions are fastest over short strings. Texts of about a megabyte (a
    large file comes in several) are read in parallel."""
    if not texts:
        return
    import pyarrow as pa

    places, bodies = zip(*texts, strict=True)
    scan_texts = pa.table(  # noqa: F841  (DuckDB reads it by its name)
        {"place": pa.array(places, pa.int32()), "text": pa.array(bodies, pa.large_string())}
    )
    if conn.execute(DIGITLESS_NEEDLE_SQL).fetchone()[0]:
        cells, params = "regexp_split_to_array", {"cells": CELL_SPLIT_PATTERN}
    else:
        cells, params = "regexp_extract_all", {"cells": USEFUL_CELL_PATTERN}
    conn.execute(
        f"insert into {table} "
        "select distinct place, piece as value, cast(null as varchar) as la_code from ("
        "select place, "
        f"unnest(list_concat({cells}(line, $cells), regexp_extract_all(line, $wide))) as piece "
        "from (select place, unnest(string_split(text, chr(10))) as line from scan_texts)"
        ") where trim(piece) != ''",
        {**params, "wide": WIDE_CELL_PATTERN},
    )


def find_in_texts(
    conn: duckdb.DuckDBPyConnection, texts: list[tuple[str, str]]
) -> dict[str, dict[str, tuple[int, list[str]]]]:
    """Per text name, per kind, the distinct needles found in the text (a file's contents)
    and their boroughs, for many texts in one DuckDB pass. Needs ``scan_needles`` and the
    rule's functions on ``conn``."""
    if not texts:
        return {}
    names = sorted({name for name, _ in texts})
    place = {name: index for index, name in enumerate(names)}
    create_value_tables(conn)
    try:
        load_texts(conn, [(place[name], text) for name, text in texts])
        look_through_values(conn)
        found: dict[str, dict[str, tuple[int, list[str]]]] = {}
        for index, kind, count, la_codes in found_hits(conn):
            found.setdefault(names[index], {})[kind] = (count, la_codes)
        return found
    finally:
        drop_value_tables(conn)


def set_aside_code_dates(conn: duckdb.DuckDBPyConnection, code_texts: list[tuple[str, str]]) -> int:
    """Take out of ``scan_needles`` the birth dates that ``code_texts`` (the dbt project's
    own source) also hold, until :func:`restore_code_dates`; return how many.

    dbt's artefacts (manifest, compiled SQL, logs) copy the project's code, whose test
    fixtures hold made-up dates such as 31/12/1990; among thousands of workers someone is
    born on each of them. Such a date in an artefact is the code's, not a leak: it is not
    looked for there (and still is in every table and export)."""
    conn.execute(
        "create or replace temp table scan_needles_set_aside as "
        "select * from scan_needles where false"
    )
    if not code_texts:
        return 0
    conn.execute(
        "create or replace temp table scan_code_values "
        "(place integer, value varchar, la_code varchar)"
    )
    try:
        load_texts(conn, [(0, text) for _, text in code_texts], "scan_code_values")
        conn.execute(
            "insert into scan_needles_set_aside select distinct scan_needles.* from ("
            + _candidates_sql("scan_code_values")
            + " select candidate from candidates) as code "
            f"inner join scan_needles on code.candidate = scan_needles.needle "
            f"where scan_needles.kind = '{BIRTH_DATE_KIND}'"
        )
    finally:
        conn.execute("drop table if exists scan_code_values")
    conn.execute(
        "delete from scan_needles where kind = ? and needle in "
        "(select needle from scan_needles_set_aside)",
        [BIRTH_DATE_KIND],
    )
    return conn.execute("select count(*) from scan_needles_set_aside").fetchone()[0]


def restore_code_dates(conn: duckdb.DuckDBPyConnection) -> None:
    """Put back the needles :func:`set_aside_code_dates` took out."""
    conn.execute("insert into scan_needles select * from scan_needles_set_aside")
    conn.execute("drop table scan_needles_set_aside")


def find_in_text(conn: duckdb.DuckDBPyConnection, text: str) -> dict[str, tuple[int, list[str]]]:
    """:func:`find_in_texts` for one text."""
    return find_in_texts(conn, [(TEXT_COLUMN, text)]).get(TEXT_COLUMN, {})
