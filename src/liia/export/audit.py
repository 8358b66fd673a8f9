"""Record exports in the landing audit log (the only write to landing here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

EXPORT_ACTION = "export"
WITHDRAWAL_ACTION = "export_withdrawn"


@dataclass(frozen=True)
class ExportEvent:
    la_code: str | None
    census_year: int | None
    file_id: int | None
    detail: str


def record_exports(
    landing_path: Path, events: list[ExportEvent], at: datetime, action: str = EXPORT_ACTION
) -> None:
    """Append one audit_log row per export (or withdrawal), in one transaction."""
    if not events:
        return
    conn = duckdb.connect(str(landing_path))
    try:
        conn.execute("begin transaction")
        conn.executemany(
            "insert into csww.audit_log (event_at, action, la_code, census_year, file_id, detail) "
            "values (?, ?, ?, ?, ?, ?)",
            [[at, action, e.la_code, e.census_year, e.file_id, e.detail] for e in events],
        )
        conn.execute("commit")
    finally:
        conn.close()
