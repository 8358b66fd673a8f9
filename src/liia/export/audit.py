"""Record exports and their withdrawal in the audit log.

Kept for the export code's callers; the log itself is
:mod:`liia.governance.audit_log` (landing table and JSON-lines file, hash-chained).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from liia.governance.audit_log import AuditEvent, record

EXPORT_ACTION = "export"
WITHDRAWAL_ACTION = "export_withdrawn"
EXPORT_FAILED_ACTION = "export_failed"  # a pack that could not be written
_OUTCOMES = {
    EXPORT_ACTION: "written",
    WITHDRAWAL_ACTION: "withdrawn",
    EXPORT_FAILED_ACTION: "failed",
}


@dataclass(frozen=True)
class ExportEvent:
    la_code: str | None
    census_year: int | None
    file_id: int | None
    detail: str
    rows: int | None = None


def record_exports(
    landing_path: Path, events: list[ExportEvent], at: datetime, action: str = EXPORT_ACTION
) -> None:
    """Append one audit event per export (or withdrawal), in one transaction.

    ``at`` is the export's local time, kept in ``detail``; the event time is UTC
    like every other event.
    """
    if not events:
        return
    del at  # every event is stamped in UTC by the audit log
    record(
        landing_path,
        [
            AuditEvent(
                action,
                _OUTCOMES.get(action, action),
                e.detail,
                e.la_code,
                e.census_year,
                e.file_id,
                row_count=e.rows,
            )
            for e in events
        ],
    )
