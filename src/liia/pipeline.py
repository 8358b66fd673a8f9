"""The whole run: load, build, validate, export; and the demo on sample data."""

from __future__ import annotations

import os
import sys

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


def export_and_scan(settings: Settings) -> bool:
    """Write the borough packs, then prove no identifier left landing.

    If the privacy scan finds anything, the affected boroughs' exports (every
    export when a hit cannot be tied to one borough) are withdrawn (deleted)
    and audited before anything is printed: see ``liia.export.release``.
    """
    from liia.export.analyst import export_analyst
    from liia.export.release import export_and_scan as release_packs
    from liia.governance.run_audit import record_privacy_scan

    # The analyst zone (exports/analyst/, exports/docs/) is written before the
    # scan, which covers it too; its summary is printed only after the scan.
    # A failing analyst export does not stop the packs or the scan (release_packs).
    clean = release_packs(settings, other_exports=(export_analyst,))
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
    from liia.dbt_runner import PRODUCTION_BUILD_ARGS, DbtFailedError
    from liia.governance import run_audit
    from liia.governance.retention import apply_retention
    from liia.load.loader import load_incoming
    from liia.validate.runner import run_validation
    from liia.warehouse_build import build_warehouse

    print(apply_retention(settings))
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
    first_year, current_year = settings.census_year_window
    load_summary = load_incoming(
        settings.incoming,
        settings.landing_path,
        settings.participating_authorities,
        current_year=current_year,
        first_year=first_year,
    )
    print(load_summary)
    run_audit.record_load(settings, load_summary)
    if load_summary.platform_fault is not None:  # not a verdict on any file: the next run retries
        from liia.errors import EXIT_PLATFORM

        print(f"FAILED: the load stopped: {load_summary.platform_fault}", file=sys.stderr)
        return EXIT_PLATFORM
    try:
        build_warehouse(settings, ["build", *PRODUCTION_BUILD_ARGS])
    except DbtFailedError as error:
        run_audit.record_build(settings, False, ["build", *PRODUCTION_BUILD_ARGS], str(error))
        print(f"FAILED: {error}", file=sys.stderr)
        return EXIT_BUILD_FAILED
    run_audit.record_build(settings, True, ["build", *PRODUCTION_BUILD_ARGS])
    validation = run_validation(settings)
    run_audit.record_validation(settings, validation)
    print(validation)
    if not validation.success:
        print("FAILED: a Great Expectations suite failed", file=sys.stderr)
        return EXIT_VALIDATION_FAILED
    if not export_and_scan(settings):
        return EXIT_PRIVACY_FAILED
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
