"""The whole run: load, build, validate, export; and the demo on sample data."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from liia.config import LATEST_PUBLISHED_YEAR, Settings
from liia.errors import (  # noqa: F401  (the statuses, re-exported for callers)
    EXIT_BUILD_FAILED,
    EXIT_NOT_READY,
    EXIT_PLATFORM,
    EXIT_PRIVACY_FAILED,
    EXIT_REFUSED_TO_START,
    EXIT_REJECTED_STRICT,
    EXIT_USAGE,
    EXIT_VALIDATION_FAILED,
    require_incoming,
)

if TYPE_CHECKING:
    from liia.run_summary import RunClock


def export_and_scan(settings: Settings, *, write: bool = True, extracts: bool = True) -> bool:
    """Write the borough packs, then prove no identifier left landing.

    If the privacy scan finds anything, the affected boroughs' exports (every
    export when a hit cannot be tied to one borough) are withdrawn (deleted)
    and audited before anything is printed: see ``liia.export.release``.
    With ``write=False`` (nothing changed since the last export) the packs on
    disk are kept as they are, and only scanned.
    """
    from liia.export.analyst import export_analyst
    from liia.export.release import export_and_scan as release_packs
    from liia.governance.run_audit import record_privacy_scan
    from liia.report.build import export_report

    # The analyst zone (exports/analyst/, exports/docs/) is written before the
    # scan, which covers it too; its summary is printed only after the scan.
    # A failing analyst export does not stop the packs or the scan (release_packs).
    # extracts=False: dbt's publication checks failed on the extracts, so nothing
    # built from them (analyst zone, London report) is published this run.
    # The London report (exports/report/) is built from the analyst zone just written.
    publications = (export_analyst, export_report) if extracts else ()
    clean = release_packs(settings, other_exports=publications, write=write)
    record_privacy_scan(settings, clean, "exports kept" if clean else "exports withdrawn")
    return clean


def run_pipeline(settings: Settings, *, strict: bool = False) -> int:
    """Retention, then load every incoming file, build the warehouse, validate and export.

    Rejected files and quality findings are data, not failures: the run exits 0
    unless the pipeline itself failed (or ``strict`` and a file was rejected).
    Every stage is audited; the run's own event and the register of data
    assets are written however it ends (liia.governance.run_audit).
    """
    from liia.governance.run_audit import audited_run

    with audited_run(settings, "run") as run:
        run.status = _run_stages(settings, strict=strict)
    return run.status


def _run_stages(settings: Settings, *, strict: bool) -> int:
    from liia.load.shown import shown
    from liia.run_summary import RunClock, render_summary

    clock = RunClock()
    rejections: list[tuple[str, str]] = []
    try:
        status = _timed_stages(settings, clock, rejections, strict=strict)
    except BaseException:
        print(render_summary(settings, clock, EXIT_PLATFORM), file=sys.stderr)
        raise
    shown_rejections = [(shown(path), shown(reason)) for path, reason in rejections]
    print(render_summary(settings, clock, status, shown_rejections))
    return status


def _timed_stages(
    settings: Settings, clock: RunClock, rejections: list[tuple[str, str]], *, strict: bool
) -> int:
    """Each stage, timed; a stage whose inputs have not changed since it last
    succeeded is skipped (liia.run_state), except the privacy scan."""
    from liia.dbt_runner import PRODUCTION_BUILD_ARGS, DbtFailedError
    from liia.governance import run_audit
    from liia.governance.retention import apply_retention
    from liia.load.loader import load_configured
    from liia.run_state import RunState, fingerprint
    from liia.validate.runner import all_suites, run_validation, warehouse_suites
    from liia.warehouse_build import ExtractsWithheldError, build_warehouse

    with clock.stage("retention") as stage:
        retention = apply_retention(settings)
        print(retention)
        stage.result = str(retention).splitlines()[0].removeprefix("Retention ")
    require_incoming(settings.incoming)
    # os.walk, not rglob: an unreadable or looping sub-folder is the loader's to report.
    nothing_incoming = not any(files for _, _, files in os.walk(settings.incoming))
    if strict and nothing_incoming:
        print(f"FAILED (--strict): {settings.incoming} holds no file", file=sys.stderr)
        return EXIT_REJECTED_STRICT
    if nothing_incoming:
        print(
            f"WARNING: the incoming folder {settings.incoming} holds no file: nothing new to "
            "process (the warehouse is rebuilt from what landing already holds)",
            file=sys.stderr,
        )
    with clock.stage("load") as stage:
        load_summary = load_configured(settings)
        print(load_summary)
        run_audit.record_load(settings, load_summary)
        rejections += load_summary.rejections
        stage.result = str(load_summary).splitlines()[0].removeprefix("Load: ")
        if nothing_incoming:
            stage.result += " (WARNING: incoming holds no file)"
    if load_summary.platform_fault is not None:  # not a verdict on any file: the next run retries
        print(f"FAILED: the load stopped: {load_summary.platform_fault}", file=sys.stderr)
        return EXIT_PLATFORM

    build_args = ["build", *PRODUCTION_BUILD_ARGS]
    state = RunState(settings)
    inputs = fingerprint(settings, build_args)
    extracts_withheld = False
    with clock.stage("build") as stage:
        if state.is_current("built", inputs) and settings.warehouse_path.exists():
            stage.result = "skipped: nothing changed since the last build"
            print(f"Build: {stage.result} (the warehouse is kept)")
        else:
            try:
                timing = build_warehouse(settings, build_args)
            except ExtractsWithheldError as error:
                run_audit.record_build(settings, False, build_args, str(error))
                print(
                    f"FAILED: {error} ({', '.join(error.failed)}): the use-case extracts "
                    "are withheld (the analyst zone and the London report are not "
                    "rewritten); every borough pack still goes out",
                    file=sys.stderr,
                )
                stage.result = "FAILED on the extracts only: extracts withheld, packs go out"
                extracts_withheld = True
            except DbtFailedError as error:
                run_audit.record_build(settings, False, build_args, str(error))
                print(f"FAILED: {error}", file=sys.stderr)
                stage.result = "FAILED: the last good warehouse is kept"
                return EXIT_BUILD_FAILED
            else:
                run_audit.record_build(settings, True, build_args)
                state.succeeded("built", inputs)
                startup = f"{timing.startup_seconds:.1f} s" if timing.startup_seconds else "n/a"
                mode = (
                    f"full refresh: {timing.full_refresh_reason}"
                    if timing.full_refresh_reason
                    else "incremental"
                )
                stage.result = f"dbt build passed, {mode} (dbt start-up {startup})"

    with clock.stage("validate") as stage:
        if state.is_current("validated", inputs):
            stage.result = "skipped: the same warehouse passed last time"
            print(f"Validation: {stage.result} ({settings.home / 'gx' / 'validation.html'})")
        else:
            suites = warehouse_suites if extracts_withheld else all_suites
            validation = run_validation(settings, suites)
            run_audit.record_validation(settings, validation)
            print(validation)
            stage.result = str(validation).splitlines()[0].removeprefix("Validation: ")
            if not validation.success:
                print("FAILED: a Great Expectations suite failed", file=sys.stderr)
                return EXIT_VALIDATION_FAILED
            state.succeeded("validated", inputs)

    with clock.stage("export + privacy scan") as stage:
        unchanged = state.is_current("exported", inputs) and settings.exports_dir.exists()
        clean = export_and_scan(settings, write=not unchanged, extracts=not extracts_withheld)
        written = "packs kept (unchanged)" if unchanged else "packs and extracts written"
        stage.result = f"{written}; privacy scan {'PASSED' if clean else 'FAILED: withdrawn'}"
        if not clean:
            state.forget("exported")
            return EXIT_PRIVACY_FAILED
        state.succeeded("exported", inputs)
    if extracts_withheld:
        return EXIT_BUILD_FAILED
    if strict and load_summary.has_rejections:
        print("FAILED (--strict): rejected file(s) in incoming, see above", file=sys.stderr)
        return EXIT_REJECTED_STRICT
    return 0


def run_demo(settings: Settings, *, seed: int, messy: bool) -> int:
    """Generate synthetic returns into LIIA_INCOMING (if empty), then run everything."""
    from liia.generate.sample import generate_sample
    from liia.governance.schedule import demo_as_of, with_as_of

    if not os.environ.get("LIIA_AS_OF"):
        # The sample ends at DfE's latest published year: measured from today,
        # retention would destroy (and the loader refuse) its oldest years.
        settings = with_as_of(settings, demo_as_of())
        first, last = settings.census_year_window
        print(
            f"Demo: measured as of {settings.as_of.isoformat()} (the sample's own date; set "
            f"LIIA_AS_OF to choose another): census years {first}-{last} are kept"
        )
    settings.incoming.mkdir(parents=True, exist_ok=True)
    if not any(settings.incoming.iterdir()):
        print(
            generate_sample(
                settings.incoming, as_of_year=LATEST_PUBLISHED_YEAR, seed=seed, messy=messy
            )
        )
    status = run_pipeline(settings)
    print(f"Demo finished with status {status}. Everything is under {settings.home}")
    return status
