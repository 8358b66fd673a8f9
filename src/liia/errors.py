"""Exit statuses of the ``liia`` command, and the errors that end a run cleanly.

One table of statuses (README "Exit status" documents it). A :class:`LiiaError`
carries its status and one sentence naming what went wrong and where; the
command prints that sentence instead of a traceback.
"""

from __future__ import annotations

from pathlib import Path

EXIT_REJECTED_STRICT = 1  # --strict and a file was rejected (or nothing was there)
EXIT_BUILD_FAILED = 2  # dbt failed: a model or a test
EXIT_VALIDATION_FAILED = 3  # a Great Expectations suite failed
EXIT_PRIVACY_FAILED = 4  # the privacy scan found an identifier or the key outside landing
EXIT_REFUSED_TO_START = 5  # production without a proper hash key
EXIT_USAGE = 6  # bad command line or configuration (LIIA_AS_OF, LIIA_INCOMING, ...)
EXIT_NOT_READY = 7  # a stage's input is missing: e.g. validate before any build
EXIT_PLATFORM = 8  # the platform failed: a database locked by another process, a full disk


class LiiaError(Exception):
    """An error the command reports in one sentence, with its own exit status."""

    exit_status = EXIT_USAGE


class UsageError(LiiaError):
    """The command line or the environment is wrong."""

    exit_status = EXIT_USAGE


class NotReadyError(LiiaError):
    """A stage was asked for before the stage it needs has run."""

    exit_status = EXIT_NOT_READY


class PlatformError(LiiaError):
    """The machine, not the data: a lock held elsewhere, a full or read-only disk."""

    exit_status = EXIT_PLATFORM


def describe_database_error(error: Exception) -> LiiaError | None:
    """A DuckDB lock error as one sentence naming the file; None for anything else."""
    text = str(error)
    if "lock" not in text.lower():
        return None
    # DuckDB: 'IO Error: Could not set lock on file "/x/warehouse.duckdb": Conflicting
    # lock is held in /usr/bin/python3 (PID 1234) ...'
    path = text.split('"')[1] if text.count('"') >= 2 else "a database file"
    holder = ""
    if "(PID" in text:
        holder = " (process " + text.split("(PID", 1)[1].split(")", 1)[0].strip() + ")"
    return PlatformError(
        f"{path} is in use by another process{holder}: wait for it to finish, "
        "or close it, and run the command again"
    )


def require_stage_output(path: Path, what: str, command: str) -> None:
    """Raise :class:`NotReadyError` unless an earlier stage has written ``path``."""
    if not path.exists():
        raise NotReadyError(f"no {what} at {path}: run `{command}` first")


def require_incoming(incoming: Path) -> None:
    """A missing incoming folder is a configuration error, never an empty run."""
    if not incoming.is_dir():
        raise UsageError(
            f"the incoming folder {incoming} does not exist: create it, or set LIIA_INCOMING "
            "to the folder holding the borough folders"
        )
