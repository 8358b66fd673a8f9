"""The append-only audit log: landing table ``csww.audit_log`` and ``audit/audit.jsonl``.

Every event is one row of the landing table (the record of truth, written in
the same transaction as what it describes where there is one) and, copied
after it, one line of ``$LIIA_HOME/audit/audit.jsonl`` (see :func:`sync_jsonl`).
Nothing in the project updates or deletes a row: retention included, since an
event holds no personal value (file hash, borough, year, counts and the
project's own wording only).

Tamper evidence: each event carries ``event_hash``, the SHA-256 of the
previous event's hash and this event's fields, so an UPDATE or DELETE of a row
breaks the chain (:func:`verify`), and the JSON-lines copy must agree with the
table line for line. Rows written before the chain existed (no hash) are
legacy and only counted.

An event says who ran what: the operating-system user and the command line,
with anything secret-looking replaced (never the key, a key file's contents or
an environment value), and the id of the run it belongs to.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import hashlib
import json
import os
import re
import sys
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

SCHEMA = "csww"
TABLE = f"{SCHEMA}.audit_log"
EVENT_SEQUENCE = f"{SCHEMA}.audit_event_sequence"
JSONL_NAME = "audit.jsonl"
REDACTED = "<redacted>"

# Columns added to the original audit_log (event_at, action, la_code,
# census_year, file_id, detail); ADD COLUMN IF NOT EXISTS keeps older landings opening.
ADDED_COLUMNS = (
    ("event_id", f"BIGINT DEFAULT nextval('{EVENT_SEQUENCE}')"),
    ("run_id", "VARCHAR"),
    ("os_user", "VARCHAR"),
    ("command_line", "VARCHAR"),
    ("outcome", "VARCHAR"),
    ("file_sha256", "VARCHAR"),
    ("row_count", "BIGINT"),
    ("event_hash", "VARCHAR"),
)
FIELDS = (
    "event_id",
    "event_at",
    "run_id",
    "action",
    "outcome",
    "os_user",
    "command_line",
    "la_code",
    "census_year",
    "file_id",
    "file_sha256",
    "row_count",
    "detail",
)
_SECRET_NAME = re.compile(r"key|secret|token|passw|credential", re.IGNORECASE)


def audit_log_ddl() -> list[str]:
    """Statements that bring an existing ``csww.audit_log`` to this module's columns."""
    return [
        f"CREATE SEQUENCE IF NOT EXISTS {EVENT_SEQUENCE} START 1",
        *(
            f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS {name} {kind}"
            for name, kind in ADDED_COLUMNS
        ),
    ]


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry in some containers
        return f"uid:{os.getuid()}" if hasattr(os, "getuid") else "unknown"


def _secret_values(environ: dict[str, str]) -> list[str]:
    """Values that must never reach the log: secret-named variables, the key file's text."""
    values = [v for k, v in environ.items() if _SECRET_NAME.search(k) and len(v.strip()) >= 4]
    key_file = environ.get("LIIA_HASH_KEY_FILE")
    if key_file:
        with contextlib.suppress(OSError):
            values.append(Path(key_file).read_text(encoding="utf-8").strip())
    return [v.strip() for v in values if v.strip()]


def safe_command_line(argv: Sequence[str], environ: dict[str, str] | None = None) -> str:
    """The command line with every secret-looking argument replaced by ``<redacted>``.

    An option named like a secret (``--key``, ``--token=...``) loses its value;
    an argument containing a secret variable's value or the key file's text is
    replaced whole.
    """
    env = dict(os.environ if environ is None else environ)
    secrets = _secret_values(env)
    shown: list[str] = []
    redact_next = False
    for index, arg in enumerate(argv):
        text = Path(arg).name if index == 0 else arg
        if redact_next:
            text, redact_next = REDACTED, False
        elif text.startswith("-") and _SECRET_NAME.search(text.split("=", 1)[0]):
            if "=" in text:
                text = text.split("=", 1)[0] + "=" + REDACTED
            else:
                redact_next = True
        if any(secret in text for secret in secrets):
            text = REDACTED
        shown.append(text)
    return " ".join(shown)


@dataclass
class AuditContext:
    """Who is running what: one per process (one ``liia`` command)."""

    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:16])
    os_user: str = field(default_factory=_os_user)
    command_line: str = field(default_factory=lambda: safe_command_line(sys.argv))


CONTEXT = AuditContext()


def set_command(argv: Sequence[str]) -> None:
    """Record the command this process runs (``liia`` and its arguments)."""
    CONTEXT.command_line = safe_command_line(["liia", *argv])


@dataclass(frozen=True)
class AuditEvent:
    """One thing that happened. ``detail`` is the project's own wording, never a value."""

    action: str
    outcome: str
    detail: str = ""
    la_code: str | None = None
    census_year: int | None = None
    file_id: int | None = None
    file_sha256: str | None = None
    row_count: int | None = None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _json_value(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.datetime) else value


def event_hash(previous_hash: str, record: dict[str, object]) -> str:
    """The chain: SHA-256 of the previous hash and this event's fields (canonical JSON)."""
    body = json.dumps({k: _json_value(record.get(k)) for k in FIELDS}, sort_keys=True)
    return hashlib.sha256(f"{previous_hash}\n{body}".encode()).hexdigest()


def _last_hash(conn: duckdb.DuckDBPyConnection) -> str:
    row = conn.execute(
        f"select event_hash from {TABLE} where event_hash is not null "
        "order by event_id desc limit 1"
    ).fetchone()
    return row[0] if row else ""


def insert_events(
    conn: duckdb.DuckDBPyConnection, events: Iterable[AuditEvent], at: dt.datetime | None = None
) -> int:
    """Append events to the landing table on an open connection (inside the caller's
    transaction, if any). Returns how many were written."""
    when = at or _now()
    previous = _last_hash(conn)
    written = 0
    for event in events:
        (event_id,) = conn.execute(f"select nextval('{EVENT_SEQUENCE}')").fetchone()
        record: dict[str, object] = {
            "event_id": int(event_id),
            "event_at": when,
            "run_id": CONTEXT.run_id,
            "action": event.action,
            "outcome": event.outcome,
            "os_user": CONTEXT.os_user,
            "command_line": CONTEXT.command_line,
            "la_code": event.la_code or None,
            "census_year": event.census_year,
            "file_id": event.file_id,
            "file_sha256": event.file_sha256,
            "row_count": event.row_count,
            "detail": event.detail,
        }
        previous = event_hash(previous, record)
        columns = [*FIELDS, "event_hash"]
        conn.execute(
            f"insert into {TABLE} ({', '.join(columns)}) values ({', '.join('?' * len(columns))})",
            [*(record[k] for k in FIELDS), previous],
        )
        written += 1
    return written


def jsonl_path(home: Path) -> Path:
    """The JSON-lines copy of the audit log."""
    return home / "audit" / JSONL_NAME


def _last_jsonl_event_id(path: Path) -> int:
    if not path.exists() or path.stat().st_size == 0:
        return 0
    with path.open("rb") as handle:
        # the last line is enough: lines are appended in event_id order
        handle.seek(max(0, path.stat().st_size - 65536))
        lines = [line for line in handle.read().splitlines() if line.strip()]
    for line in reversed(lines):
        try:
            return int(json.loads(line)["event_id"])
        except (ValueError, KeyError, TypeError):
            continue
    return 0


def _rows(conn: duckdb.DuckDBPyConnection, where: str = "", params: list | None = None):
    columns = [*FIELDS, "event_hash"]
    rows = conn.execute(
        f"select {', '.join(columns)} from {TABLE} {where} order by event_id", params or []
    ).fetchall()
    return [dict(zip(columns, row, strict=True)) for row in rows]


def sync_jsonl(conn: duckdb.DuckDBPyConnection, home: Path) -> int:
    """Append to ``audit/audit.jsonl`` every table event not yet in it; returns how many."""
    path = jsonl_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    new = _rows(conn, "where event_id > ?", [_last_jsonl_event_id(path)])
    if not new:
        return 0
    with path.open("a", encoding="utf-8") as handle:
        for row in new:
            handle.write(json.dumps({k: _json_value(v) for k, v in row.items()}) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return len(new)


def _ensure_table(conn: duckdb.DuckDBPyConnection) -> None:
    from liia.load.landing_schema import create_landing  # landing's DDL includes ours

    create_landing(conn)


def record(landing_path: Path, events: Sequence[AuditEvent], at: dt.datetime | None = None) -> int:
    """Append events in one transaction, then copy them to the JSON-lines file.

    Creates landing's tables if the file is new (a retention or export before
    any load). The JSON-lines file sits in the landing file's folder (LIIA_HOME).
    """
    if not events:
        return 0
    landing_path.parent.mkdir(parents=True, exist_ok=True)
    conn = duckdb.connect(str(landing_path))
    try:
        _ensure_table(conn)
        conn.begin()
        try:
            written = insert_events(conn, events, at)
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        sync_jsonl(conn, landing_path.parent)
    finally:
        conn.close()
    return written


def sync_home(landing_path: Path) -> int:
    """Copy events written by other code (the loader's) to the JSON-lines file."""
    if not landing_path.exists():
        return 0
    conn = duckdb.connect(str(landing_path))
    try:
        _ensure_table(conn)
        return sync_jsonl(conn, landing_path.parent)
    finally:
        conn.close()


@dataclass
class ChainCheck:
    """What :func:`verify` found."""

    events: int = 0
    legacy_events: int = 0
    jsonl_events: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems

    def __str__(self) -> str:
        state = "intact" if self.intact else "BROKEN"
        lines = [
            f"Audit log: {state} - {self.events} chained event(s), {self.legacy_events} legacy, "
            f"{self.jsonl_events} line(s) in {JSONL_NAME}"
        ]
        return "\n".join(lines + [f"  {p}" for p in self.problems])


def verify(conn: duckdb.DuckDBPyConnection, home: Path) -> ChainCheck:
    """Recompute the hash chain and compare the table with the JSON-lines copy."""
    check = ChainCheck()
    rows = _rows(conn)
    by_id: dict[int, dict[str, object]] = {}
    previous = ""
    for row in rows:
        if row["event_hash"] is None:
            check.legacy_events += 1
            continue
        check.events += 1
        by_id[int(row["event_id"])] = row
        expected = event_hash(previous, row)
        if expected != row["event_hash"]:
            check.problems.append(f"event {row['event_id']}: hash does not match (changed?)")
        previous = str(row["event_hash"])
    path = jsonl_path(home)
    if path.exists():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            check.jsonl_events += 1
            copy = json.loads(line)
            if copy.get("event_hash") is None:
                continue
            row = by_id.get(int(copy["event_id"]))
            if row is None:
                check.problems.append(f"{JSONL_NAME} line {number}: event missing from the table")
            elif any(_json_value(row[k]) != copy.get(k) for k in (*FIELDS, "event_hash")):
                check.problems.append(f"{JSONL_NAME} line {number}: differs from the table")
    return check
