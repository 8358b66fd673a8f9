"""The audit events of the pipeline's stages, and of a whole run.

Each stage calls one function here once it has finished (dbt attaches landing
read-only while it builds, so a build event is written after dbt returns).
:func:`audited_run` wraps ``liia run``: whatever happens inside, the run's own
event is written (try/finally) before the command returns, the register of
data assets is regenerated, and the JSON-lines copy is brought up to date.
Details are counts and the project's own words, never a value.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from liia.config import Settings
from liia.governance import audit_log
from liia.governance.audit_log import AuditEvent


def record_event(settings: Settings, event: AuditEvent) -> None:
    """Append one event to landing's audit log and its JSON-lines copy."""
    audit_log.record(settings.landing_path, [event])


def record_load(settings: Settings, summary: object) -> None:
    """One event for a whole load (each file has its own, written by the loader)."""
    rejected = int(getattr(summary, "rejected", 0))
    outcome = "failed" if getattr(summary, "platform_fault", None) else "done"
    record_event(
        settings,
        AuditEvent(
            "load_run",
            outcome,
            f"{getattr(summary, 'accepted', 0)} accepted, {rejected} rejected, "
            f"{getattr(summary, 'superseded', 0)} superseded, "
            f"{getattr(summary, 'unchanged', 0)} unchanged",
            row_count=getattr(summary, "workers_landed", None),
        ),
    )


def record_build(settings: Settings, ok: bool, dbt_args: list[str], error: str = "") -> None:
    """The dbt build's outcome (written after dbt has released landing)."""
    detail = "dbt " + " ".join(dbt_args)
    if error.strip():
        # dbt's failure message names models and tests, never row values
        detail += f": {error.strip().splitlines()[0][:300]}"
    record_event(settings, AuditEvent("build", "succeeded" if ok else "failed", detail))


def record_validation(settings: Settings, summary: object) -> None:
    """The Great Expectations run's outcome (suite counts, never unexpected values)."""
    ok = bool(getattr(summary, "success", False))
    first_line = str(summary).splitlines()[0] if str(summary) else ""
    record_event(settings, AuditEvent("validation", "passed" if ok else "failed", first_line[:300]))


def record_privacy_scan(settings: Settings, clean: bool, detail: str = "") -> None:
    """The privacy scan's verdict (counts and places only)."""
    first_line = detail.splitlines()[0][:300] if detail else ""
    record_event(
        settings, AuditEvent("privacy_scan", "clean" if clean else "leak_found", first_line)
    )


@dataclass
class RunState:
    """What the wrapped run reports back: its exit status."""

    status: int | None = None


@contextmanager
def audited_run(settings: Settings, command: str) -> Iterator[RunState]:
    """Record the start and, whatever happens, the end of a run; then the register."""
    from liia.governance.asset_register import write_register

    state = RunState()
    record_event(settings, AuditEvent(command, "started", f"as of {settings.as_of.isoformat()}"))
    failure: str | None = None
    try:
        yield state
    except BaseException as error:
        failure = type(error).__name__
        raise
    finally:
        outcome = (
            f"error ({failure})"
            if failure
            else ("succeeded" if state.status == 0 else f"failed (exit {state.status})")
        )
        try:
            register = write_register(settings)
            print(register)
            register_note = f"; register: {register.held} held, {register.destroyed} destroyed"
        except Exception as error:  # the run's own outcome must still be recorded
            register_note = f"; register not regenerated ({type(error).__name__})"
            print(f"WARNING: the register of data assets{register_note}", file=sys.stderr)
        record_event(settings, AuditEvent(command, outcome, f"exit {state.status}{register_note}"))
