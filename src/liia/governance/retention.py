"""``liia retention``: destroy every copy of the census years older than the window.

The plan (:mod:`liia.governance.retention_plan`) lists what is held; this
module destroys it, zone by zone, so that a crash part way leaves a state a
second run completes:

1. the warehouse, every DuckDB file under ``exports/`` (``analyst.duckdb``):
   rows deleted in a copy, the copy rewritten into a fresh file that replaces
   the original (:mod:`liia.governance.clean_rewrite`: freed blocks would keep
   the bytes);
2. CSV and Parquet files under ``exports/`` and ``reports/``: rows dropped;
   borough packs, pages, Great Expectations results holding row values and
   dbt artefacts: deleted;
3. landing, last of the databases: the rows of the destroyed files deleted,
   and in the same rewrite a tombstone per destroyed dataset
   (``csww.destroyed_assets``: zone, where, borough, year, file hash, rows,
   when; never a value) and one audit event each;
4. the incoming files recorded for those years: deleted from disk.

Audit rows are never deleted: they hold no personal value.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from liia.config import Settings
from liia.governance import audit_log
from liia.governance.audit_log import AuditEvent
from liia.governance.clean_rewrite import delete_aged_rows, rewrite_clean
from liia.governance.landing_tables import DESTROYED_TABLE, create_governance_tables
from liia.governance.retention_plan import (
    LANDING_KEPT_TABLES,
    WAREHOUSE_KEPT_SCHEMAS,
    Doomed,
    RetentionPlan,
    plan_retention,
)
from liia.governance.tabular_files import TABULAR_SUFFIXES, drop_aged_rows

ACTION = "retention_deletion"
SUMMARY_ACTION = "retention"


@dataclass
class RetentionResult:
    """What one ``liia retention`` destroyed (or, with ``dry_run``, would)."""

    plan: RetentionPlan
    dry_run: bool
    destroyed_at: dt.datetime | None = None

    def __str__(self) -> str:
        text = str(self.plan)
        if self.dry_run:
            return text + ("\n(dry run: nothing was touched)" if self.plan.items else "")
        if self.destroyed_at is not None:
            totals = ", ".join(
                f"{zone} {count} item(s)/{rows} row(s)"
                for zone, (count, rows) in self.plan.zone_totals().items()
            )
            text += f"\nDestroyed at {self.destroyed_at.isoformat(timespec='seconds')}: {totals}"
        return text


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _rewrite_database(path: Path, first_year: int, skip_schemas: tuple[str, ...] = ()) -> None:
    rewrite_clean(
        path,
        lambda conn, alias: delete_aged_rows(conn, alias, first_year, skip_schemas=skip_schemas),
    )


def _target(settings: Settings, item: Doomed) -> Path:
    """The file or folder an item lives in."""
    if item.zone == "incoming":
        return settings.incoming / item.location.removeprefix("incoming/")
    return settings.home / item.location.split(":", 1)[0].rstrip("/")


def _destroy_target(path: Path, items: list[Doomed], first_year: int) -> None:
    if path.suffix == ".duckdb":
        skip = WAREHOUSE_KEPT_SCHEMAS if items[0].zone == "warehouse" else ()
        if path.exists():
            _rewrite_database(path, first_year, skip)
    elif items[0].location.endswith("/"):
        shutil.rmtree(path, ignore_errors=True)
    elif path.suffix.lower() in TABULAR_SUFFIXES and items[0].census_year is not None:
        if path.exists():
            drop_aged_rows(path, first_year)
    else:
        path.unlink(missing_ok=True)


def _destroy_outside_landing(settings: Settings, plan: RetentionPlan, done: list[Doomed]) -> None:
    """Every zone but landing, one file or folder at a time; ``done`` grows as each goes.

    Incoming files go last: until landing is cleaned, a crash leaves them where
    the next retention finds them again by their register entry.
    """
    targets: dict[Path, list[Doomed]] = {}
    for item in plan.items:
        if item.zone != "landing":
            targets.setdefault(_target(settings, item), []).append(item)
    ordered = sorted(targets.items(), key=lambda kv: kv[1][0].zone == "incoming")
    for path, items in ordered:
        _destroy_target(path, items, plan.first_year)
        done.extend(items)


def _tombstone_rows(
    plan: RetentionPlan, items: list[Doomed], at: dt.datetime
) -> list[list[object]]:
    return [
        [
            i.zone,
            i.location,
            i.la_code,
            i.census_year,
            i.what,
            i.file_sha256,
            i.file_id,
            i.rows,
            i.received_at,
            at,
            plan.as_of,
        ]
        for i in items
    ]


def _event(item: Doomed) -> AuditEvent:
    return AuditEvent(
        ACTION,
        "destroyed",
        f"{item.zone}: {item.location} ({item.what})",
        item.la_code,
        item.census_year,
        item.file_id,
        item.file_sha256,
        item.rows,
    )


def _summary_event(plan: RetentionPlan, outcome: str, items: list[Doomed]) -> AuditEvent:
    years = ", ".join(map(str, plan.aged_years)) or "none"
    return AuditEvent(
        SUMMARY_ACTION,
        outcome,
        f"as of {plan.as_of.isoformat()}: census years before {plan.first_year} "
        f"(held: {years}); {len(items)} of {len(plan.items)} item(s) destroyed",
        row_count=sum(i.rows or 0 for i in items),
    )


def _insert_records(
    conn: duckdb.DuckDBPyConnection,
    plan: RetentionPlan,
    items: list[Doomed],
    outcome: str,
    at: dt.datetime,
) -> None:
    """Tombstones and audit events of destroyed items, on an open landing connection."""
    create_governance_tables(conn)
    if items:
        conn.executemany(
            f"insert into {DESTROYED_TABLE} (zone, location, la_code, census_year, what, "
            "file_sha256, file_id, rows, received_at, destroyed_at, as_of) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _tombstone_rows(plan, items, at),
        )
    audit_log.insert_events(conn, [*map(_event, items), _summary_event(plan, outcome, items)], at)


def _record_only(
    settings: Settings, plan: RetentionPlan, done: list[Doomed], at: dt.datetime, outcome: str
) -> None:
    """Record destroyed items without touching landing's rows (none of them went, or
    retention failed part way and still records what it destroyed)."""
    conn = duckdb.connect(str(settings.landing_path))
    try:
        from liia.load.landing_schema import create_landing

        create_landing(conn)
        conn.begin()
        _insert_records(conn, plan, done, outcome, at)
        conn.commit()
        audit_log.sync_jsonl(conn, settings.home)
    finally:
        conn.close()


def _destroy_landing(
    settings: Settings, plan: RetentionPlan, done: list[Doomed], at: dt.datetime
) -> None:
    """Landing's rows out; tombstones and audit events of everything in: one fresh file."""
    landing_items = [i for i in plan.items if i.zone == "landing"]

    def mutate(conn: duckdb.DuckDBPyConnection, alias: str) -> None:
        conn.execute(f"use {alias}")
        delete_aged_rows(
            conn,
            alias,
            plan.first_year,
            file_ids=plan.landing_file_ids,
            skip_tables=LANDING_KEPT_TABLES,
        )
        _insert_records(conn, plan, [*done, *landing_items], "destroyed", at)
        conn.execute("use memory")

    # the landing tables (and the audit log's columns) exist before the copy
    audit_log.sync_home(settings.landing_path)
    rewrite_clean(settings.landing_path, mutate)
    done.extend(landing_items)
    audit_log.sync_home(settings.landing_path)


def apply_retention(settings: Settings, *, dry_run: bool = False) -> RetentionResult:
    """Destroy every dataset of a census year before the window (or list it: ``dry_run``)."""
    plan = plan_retention(settings)
    result = RetentionResult(plan, dry_run)
    if dry_run:
        return result
    if not plan.items:
        # recorded even on a first run: the audit log shows retention ran
        audit_log.record(settings.landing_path, [_summary_event(plan, "nothing_to_destroy", [])])
        return result
    at = _now()
    done: list[Doomed] = []
    try:
        _destroy_outside_landing(settings, plan, done)
        if settings.landing_path.exists():
            _destroy_landing(settings, plan, done, at)
        else:
            _record_only(settings, plan, done, at, "destroyed")  # no landing yet
    except BaseException:
        if not any(i.zone == "landing" for i in done):
            try:
                _record_only(settings, plan, done, at, "failed part way")
            except Exception as error:  # the first failure is the one to report
                print(f"WARNING: retention not recorded ({type(error).__name__})", file=sys.stderr)
        raise
    result.destroyed_at = at
    return result
