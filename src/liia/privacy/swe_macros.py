"""The project's SWE-number macros (macros/pseudonymise.sql) as plain SQL.

``macros/pseudonymise.sql`` is how SQL normalises, recognises as a sender's
pseudonym and classifies a SWE number; the normalisation itself is the Python
function it calls (``liia_normalise_identifier``, from
:mod:`liia.privacy.identifier_rule`, the one definition). SQL that runs outside
dbt (the privacy scan's needles) renders those same macros here with plain
Jinja on a connection made by :func:`rule_connection`, which registers the
rule's functions, so the scan looks for exactly what staging would hash.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import duckdb
import jinja2

from liia.config import PROJECT_ROOT
from liia.privacy.identifier_rule import register_identifier_functions

MACRO_FILE = PROJECT_ROOT / "macros" / "pseudonymise.sql"
# The engine-specific SQL the macros call (dispatched in dbt); here, DuckDB's.
CROSS_ENGINE_FILE = PROJECT_ROOT / "macros" / "cross_engine.sql"
_CROSS_ENGINE_MACROS = ("regex_full_match",)


@cache
def _macros() -> Any:
    """The macro file as a Jinja module (its macros are callable attributes)."""
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined, extensions=["jinja2.ext.do"])
    engine = environment.from_string(CROSS_ENGINE_FILE.read_text(encoding="utf-8")).module
    for name in _CROSS_ENGINE_MACROS:
        environment.globals[name] = getattr(engine, f"default__{name}")
    return environment.from_string(MACRO_FILE.read_text(encoding="utf-8")).module


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


def rule_connection(database: str = ":memory:") -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the identifier rule's functions registered."""
    conn = duckdb.connect(database)
    register_identifier_functions(conn)
    return conn


def normalise_swe_numbers(values: Sequence[str | None]) -> list[str | None]:
    """Normalise values with the project's macro, run in an in-memory DuckDB."""
    if not values:
        return []
    conn = rule_connection()
    try:
        rows = conn.execute(
            f"select {normalise_swe_number_sql('value')} "
            "from unnest($values) with ordinality as t(value, position) order by position",
            {"values": list(values)},
        ).fetchall()
    finally:
        conn.close()
    return [row[0] for row in rows]
