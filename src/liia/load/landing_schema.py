"""The landing zone's tables: the contract between the loader and dbt's sources.

Landing holds each borough's return as received (every allow-listed item as
text, repeated items as lists), the file register, load errors and the audit
log. It is the only place a raw SWE number or full date of birth is stored.
"""

from __future__ import annotations

import duckdb

from liia.csww_schema import ALL_LA_LEVEL_ITEMS, ALL_WORKER_ITEMS, REPEATED_WORKER_ITEMS
from liia.governance.audit_log import audit_log_ddl
from liia.governance.landing_tables import governance_ddl

LANDING_SCHEMA = "csww"

FILE_STATUSES = ("accepted", "rejected", "superseded")


def _item_columns(items: tuple[str, ...]) -> str:
    return ",\n    ".join(
        f'"{item}" {"VARCHAR[]" if item in REPEATED_WORKER_ITEMS else "VARCHAR"}' for item in items
    )


def landing_ddl() -> list[str]:
    """CREATE statements for every landing table (idempotent)."""
    s = LANDING_SCHEMA
    return [
        f"CREATE SCHEMA IF NOT EXISTS {s}",
        f"CREATE SEQUENCE IF NOT EXISTS {s}.file_id_sequence START 1",
        f"""CREATE TABLE IF NOT EXISTS {s}.file_register (
    file_id INTEGER PRIMARY KEY,
    file_sha256 VARCHAR NOT NULL,
    file_path VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    la_code VARCHAR NOT NULL,
    census_year INTEGER,
    layout_version INTEGER,
    file_format VARCHAR NOT NULL,
    received_at TIMESTAMP NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    worker_rows INTEGER NOT NULL DEFAULT 0,
    status VARCHAR NOT NULL CHECK (status IN {FILE_STATUSES!r}),
    reason VARCHAR,
    superseded_by INTEGER,
    dropped_items VARCHAR[] NOT NULL DEFAULT [],
    reference_date VARCHAR
)""",
        # a landing created before reference_date existed gains it (NULL for its files)
        f"ALTER TABLE {s}.file_register ADD COLUMN IF NOT EXISTS reference_date VARCHAR",
        f"""CREATE TABLE IF NOT EXISTS {s}.workers (
    file_id INTEGER NOT NULL,
    record_number INTEGER NOT NULL,
    {_item_columns(ALL_WORKER_ITEMS)},
    PRIMARY KEY (file_id, record_number)
)""",
        f"""CREATE TABLE IF NOT EXISTS {s}.la_level (
    file_id INTEGER PRIMARY KEY,
    {_item_columns(ALL_LA_LEVEL_ITEMS)}
)""",
        # The authorities of LIIA_AUTHORITIES_FILE (rewritten by every load); empty
        # when the participants are London's boroughs, whom the london_las seed names.
        f"""CREATE TABLE IF NOT EXISTS {s}.participating_authorities (
    la_code VARCHAR PRIMARY KEY,
    la_name VARCHAR NOT NULL,
    region VARCHAR NOT NULL
)""",
        f"""CREATE TABLE IF NOT EXISTS {s}.load_errors (
    file_id INTEGER,
    file_path VARCHAR NOT NULL,
    la_code VARCHAR,
    record_number INTEGER,
    item VARCHAR,
    message VARCHAR NOT NULL,
    logged_at TIMESTAMP NOT NULL
)""",
        f"""CREATE TABLE IF NOT EXISTS {s}.audit_log (
    event_at TIMESTAMP NOT NULL,
    action VARCHAR NOT NULL,
    la_code VARCHAR,
    census_year INTEGER,
    file_id INTEGER,
    detail VARCHAR
)""",
        # the audit log's later columns (event id, user, command, outcome, hash chain)
        # and the governance tables: liia.governance
        *audit_log_ddl(),
        *governance_ddl(),
    ]


def create_landing(conn: duckdb.DuckDBPyConnection) -> None:
    """Create the landing tables on an open connection if they do not exist."""
    for statement in landing_ddl():
        conn.execute(statement)
