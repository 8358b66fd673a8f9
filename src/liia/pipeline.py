"""The whole run: load, build, validate, export; and the demo on sample data."""

from __future__ import annotations

import shutil
import sys
from datetime import datetime

from liia.config import LATEST_PUBLISHED_YEAR, Settings

EXIT_REJECTED_STRICT = 1
EXIT_BUILD_FAILED = 2
EXIT_VALIDATION_FAILED = 3
EXIT_PRIVACY_FAILED = 4
EXIT_REFUSED_TO_START = 5


def export_and_scan(settings: Settings) -> bool:
    """Write the borough packs, then prove no identifier left landing.

    If the privacy scan finds anything, every export is withdrawn (deleted)
    before anyone can collect it, and the withdrawal is audited.
    """
    from liia.export.audit import WITHDRAWAL_ACTION, ExportEvent, record_exports
    from liia.export.packs import export_all
    from liia.privacy import scan_home

    print(export_all(settings))
    scan = scan_home(settings)
    print(scan)
    if scan.clean:
        return True
    shutil.rmtree(settings.exports_dir, ignore_errors=True)
    if settings.landing_path.exists():
        detail = "privacy scan failed: every export under exports/ withdrawn (deleted)"
        record_exports(
            settings.landing_path,
            [ExportEvent(None, None, None, detail)],
            datetime.now(),
            action=WITHDRAWAL_ACTION,
        )
    print(
        "FAILED: the privacy scan found raw identifiers or the hash key outside landing; "
        f"every export has been withdrawn from {settings.exports_dir}",
        file=sys.stderr,
    )
    return False


def run_pipeline(settings: Settings, *, strict: bool = False) -> int:
    """Load every incoming file, build the warehouse, validate and export.

    Rejected files and quality findings are data, not failures: the run exits 0
    unless the pipeline itself failed (or ``strict`` and a file was rejected).
    """
    from liia.dbt_runner import DbtFailedError, run_dbt
    from liia.load.loader import load_incoming
    from liia.validate.runner import run_validation

    load_summary = load_incoming(
        settings.incoming, settings.landing_path, current_year=settings.current_census_year
    )
    print(load_summary)
    try:
        run_dbt(settings, ["build"])
    except DbtFailedError as error:
        print(f"FAILED: {error}", file=sys.stderr)
        return EXIT_BUILD_FAILED
    validation = run_validation(settings)
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
