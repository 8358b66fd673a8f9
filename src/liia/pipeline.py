"""The whole run: load, build, validate, export; and the demo on sample data."""

from __future__ import annotations

import sys

from liia.config import LATEST_PUBLISHED_YEAR, Settings


def run_pipeline(settings: Settings, *, strict: bool = False) -> int:
    """Load every incoming file, build the warehouse, validate and export.

    Rejected files and quality findings are data, not failures: the run exits 0
    unless the pipeline itself failed (or ``strict`` and a file was rejected).
    """
    from liia.dbt_runner import DbtFailedError, run_dbt
    from liia.export.packs import export_all
    from liia.load.loader import load_incoming
    from liia.privacy import scan_home
    from liia.validate.runner import run_validation

    load_summary = load_incoming(
        settings.incoming, settings.landing_path, current_year=settings.current_census_year
    )
    print(load_summary)
    try:
        run_dbt(settings, ["build"])
    except DbtFailedError as error:
        print(f"FAILED: {error}", file=sys.stderr)
        return 2
    validation = run_validation(settings)
    print(validation)
    if not validation.success:
        print("FAILED: a Great Expectations suite failed", file=sys.stderr)
        return 3
    print(export_all(settings))
    scan = scan_home(settings)
    print(scan)
    if not scan.clean:
        print(
            "FAILED: the privacy scan found raw identifiers or the hash key outside landing",
            file=sys.stderr,
        )
        return 4
    if strict and load_summary.has_rejections:
        print("FAILED (--strict): rejected file(s) in incoming, see above", file=sys.stderr)
        return 1
    return 0


def run_demo(settings: Settings, *, seed: int, messy: bool) -> int:
    """Generate synthetic returns into LIIA_INCOMING (if empty), then run everything."""
    from liia.generate.sample import generate_sample

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
