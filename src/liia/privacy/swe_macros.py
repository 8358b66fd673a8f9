"""The project's SWE-number macros (macros/pseudonymise.sql) as plain SQL.

``macros/pseudonymise.sql`` is the one definition of how a SWE number is
normalised, recognised as a sender's pseudonym and classified. SQL that runs
outside dbt (the privacy scan's needles and candidates) renders those same
macros here with plain Jinja, so the scan looks for exactly what staging
would hash. Python that needs a normalised value (tests computing an expected
pseudonym) calls :func:`normalise_swe_numbers`, which runs the rendered macro
in DuckDB: there is no second, Python, copy of the rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import duckdb
import jinja2

from liia.config import PROJECT_ROOT

MACRO_FILE = PROJECT_ROOT / "macros" / "pseudonymise.sql"


@cache
def _macros() -> Any:
    """The macro file as a Jinja module (its macros are callable attributes)."""
    template = jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(
        MACRO_FILE.read_text(encoding="utf-8")
    )
    return template.module


def normalise_swe_number_sql(expr: str) -> str:
    """SQL for the normalised SWE number of ``expr`` (upper-case, no whitespace; blank → null)."""
    return str(_macros().normalise_swe_number(expr))


def is_sender_hash_sql(expr: str) -> str:
    """SQL that is true when ``expr`` already is a sender's 64-hex pseudonym."""
    return str(_macros().is_sender_hash(expr))


def swe_number_form_sql(expr: str) -> str:
    """SQL for how ``expr`` arrived: canonical, normalised, sender_hashed, invalid or missing."""
    return str(_macros().swe_number_form(expr))


def pseudonymise_swe_number_sql(expr: str) -> str:
    """SQL for the pseudonym of ``expr`` (needs ``liia_keyed_hash`` registered)."""
    return str(_macros().pseudonymise_swe_number(expr))


def normalise_swe_numbers(values: Sequence[str | None]) -> list[str | None]:
    """Normalise values with the project's macro, run in an in-memory DuckDB."""
    if not values:
        return []
    conn = duckdb.connect(":memory:")
    try:
        rows = conn.execute(
            f"select {normalise_swe_number_sql('value')} "
            "from unnest($values) with ordinality as t(value, position) order by position",
            {"values": list(values)},
        ).fetchall()
    finally:
        conn.close()
    return [row[0] for row in rows]


def swe_whitespace() -> str:
    """The regular-expression class of whitespace the normalisation removes (RE2 syntax)."""
    return str(_macros().swe_whitespace_class())
