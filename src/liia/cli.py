"""The ``liia`` command: one entry point for every stage of the pipeline."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import NoReturn

import duckdb

from liia.config import LATEST_PUBLISHED_YEAR, Settings, load_settings
from liia.errors import (
    EXIT_USAGE,
    LiiaError,
    describe_database_error,
    require_incoming,
    require_stage_output,
)


def _cmd_generate_sample(args: argparse.Namespace, settings: Settings) -> int:
    from liia.config import read_authorities
    from liia.generate.sample import generate_sample

    out_dir = Path(args.out).resolve() if args.out else settings.incoming
    summary = generate_sample(
        out_dir,
        as_of_year=args.as_of_year,
        seed=args.seed,
        messy=args.messy,
        scale=args.scale,
        manifest_path=Path(args.manifest).resolve() if args.manifest else None,
        authorities=read_authorities(Path(args.authorities)) if args.authorities else None,
        years=args.years,
    )
    print(summary)
    return 0


def _cmd_load(args: argparse.Namespace, settings: Settings) -> int:
    from liia.load.loader import load_configured

    require_incoming(settings.incoming)
    summary = load_configured(settings)
    print(summary)
    from liia.governance.run_audit import record_load

    record_load(settings, summary)
    if summary.platform_fault is not None:  # not a verdict on any file: the next run retries
        from liia.errors import EXIT_PLATFORM

        print(f"FAILED: the load stopped: {summary.platform_fault}", file=sys.stderr)
        return EXIT_PLATFORM
    from liia.pipeline import EXIT_REJECTED_STRICT

    return EXIT_REJECTED_STRICT if args.strict and summary.has_rejections else 0


def _cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    from liia.dbt_runner import DbtFailedError
    from liia.pipeline import EXIT_BUILD_FAILED
    from liia.warehouse_build import build_warehouse

    require_stage_output(settings.landing_path, "landing database", "liia load")
    from liia.governance.run_audit import record_build

    if args.engine == "spark":
        return _build_on_spark(args, settings)
    try:
        build_warehouse(settings, ["build", *args.dbt_args])
    except DbtFailedError as error:
        record_build(settings, False, ["build", *args.dbt_args], str(error))
        print(f"FAILED: {error}", file=sys.stderr)
        return EXIT_BUILD_FAILED
    record_build(settings, True, ["build", *args.dbt_args])
    return 0


def _build_on_spark(args: argparse.Namespace, settings: Settings) -> int:
    """dbt build on Spark (LIIA_HOME/spark): the marts and extracts, not the DuckDB
    warehouse the later stages read (docs/design.md#spark)."""
    from liia.dbt_runner import DbtFailedError
    from liia.governance.run_audit import record_build
    from liia.pipeline import EXIT_BUILD_FAILED
    from liia.spark_build import SPARK_BUILD_ARGS, build_spark

    dbt_args = ["build", *SPARK_BUILD_ARGS, *args.dbt_args]
    try:
        build = build_spark(settings, dbt_args)
    except DbtFailedError as error:
        record_build(settings, False, dbt_args, str(error))
        print(f"FAILED: {error}", file=sys.stderr)
        return EXIT_BUILD_FAILED
    record_build(settings, True, dbt_args)
    print(f"Spark build finished in {build.seconds:.1f}s: {settings.home / 'spark'}")
    return 0


def _cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    from liia.pipeline import EXIT_VALIDATION_FAILED

    # Before importing Great Expectations (seconds): a missing warehouse is said at once.
    require_stage_output(settings.warehouse_path, "warehouse", "liia build")
    from liia.validate.runner import run_validation

    summary = run_validation(settings)
    from liia.governance.run_audit import record_validation

    record_validation(settings, summary)
    print(summary)
    return 0 if summary.success else EXIT_VALIDATION_FAILED


def _cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from liia.pipeline import EXIT_PRIVACY_FAILED, export_and_scan

    require_stage_output(settings.warehouse_path, "warehouse", "liia build")

    return 0 if export_and_scan(settings) else EXIT_PRIVACY_FAILED


def _cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    from liia.report.build import ANALYST_DIRNAME, export_report

    analyst = settings.exports_dir / ANALYST_DIRNAME
    require_stage_output(analyst / "ext_turnover.parquet", "analyst zone", "liia export")
    print(export_report(settings))
    return 0


def _cmd_privacy_scan(args: argparse.Namespace, settings: Settings) -> int:
    from liia.pipeline import EXIT_PRIVACY_FAILED
    from liia.privacy import scan_home

    # The identifiers looked for are read from landing: without it there is nothing to scan for.
    require_stage_output(settings.landing_path, "landing database", "liia load")
    scan = scan_home(settings)
    from liia.governance.run_audit import record_privacy_scan

    record_privacy_scan(settings, scan.clean, str(scan))
    print(scan)
    return 0 if scan.clean else EXIT_PRIVACY_FAILED


def _cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from liia.pipeline import run_pipeline

    return run_pipeline(settings, strict=args.strict)


def _cmd_retention(args: argparse.Namespace, settings: Settings) -> int:
    from liia.governance.asset_register import write_register
    from liia.governance.retention import apply_retention
    from liia.governance.schedule import with_as_of

    settings = with_as_of(settings, args.as_of)
    print(apply_retention(settings, dry_run=args.dry_run))
    if not args.dry_run:
        print(write_register(settings))
    return 0


def _cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from liia.pipeline import run_demo

    return run_demo(settings, seed=args.seed, messy=args.messy)


_PSEUDONYMISING_COMMANDS = frozenset({"build", "run", "demo"})


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error has its own exit status (not dbt's 2)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _version() -> str:
    try:
        return metadata.version("liia-csww")
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def _announce_default_home(environ: Mapping[str, str]) -> None:
    """Say where a run writes when LIIA_HOME was not given, before it writes there."""
    if not environ.get("LIIA_HOME"):
        print(
            f"liia: LIIA_HOME is not set: working in {Path('build').resolve()} "
            "(set LIIA_HOME to choose another folder)",
            file=sys.stderr,
        )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="liia",
        description="London CSWW census pipeline. Configure with LIIA_HOME, LIIA_INCOMING, "
        "LIIA_HASH_KEY / LIIA_HASH_KEY_FILE and LIIA_AS_OF.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True)

    gen = commands.add_parser("generate-sample", help="write synthetic CSWW returns")
    gen.add_argument(
        "--out", help="folder to write <la_code>/csww_<year>.xml into (default: LIIA_INCOMING)"
    )
    gen.add_argument("--as-of-year", type=int, default=LATEST_PUBLISHED_YEAR)
    gen.add_argument("--seed", type=int, default=2025)
    gen.add_argument("--messy", action="store_true", help="inject known data-quality problems")
    gen.add_argument(
        "--scale",
        type=int,
        default=1,
        help="multiply the workforce (benchmarks); >1 is not calibrated",
    )
    gen.add_argument("--manifest", help="with --messy: write the injected problems to this JSON")
    gen.add_argument(
        "--authorities",
        help="CSV (la_code, la_name, region) of the authorities to write returns for; those "
        "not in London copy a London borough's profile, uncalibrated (default: London)",
    )
    gen.add_argument(
        "--years", type=int, default=6, help="census years ending at --as-of-year (default 6)"
    )
    gen.set_defaults(handler=_cmd_generate_sample)

    load = commands.add_parser("load", help="land incoming files in landing.duckdb")
    load.add_argument("--strict", action="store_true", help="exit non-zero if a file is rejected")
    load.set_defaults(handler=_cmd_load)

    build = commands.add_parser("build", help="dbt build (models, seeds, snapshots, tests)")
    build.add_argument(
        "--engine",
        choices=("duckdb", "spark"),
        default="duckdb",
        help="duckdb (default): the warehouse every later stage reads; spark: the same "
        "models on Apache Spark in LIIA_HOME/spark (seeds and models only: docs/design.md#spark)",
    )
    # Any other arguments (e.g. --select staging) are passed on to dbt.
    build.set_defaults(handler=_cmd_build)

    validate = commands.add_parser("validate", help="run the Great Expectations suites")
    validate.set_defaults(handler=_cmd_validate)

    export = commands.add_parser("export", help="write each borough's pack")
    export.set_defaults(handler=_cmd_export)

    report = commands.add_parser(
        "report", help="write the London workforce report (exports/report/) from the extracts"
    )
    report.set_defaults(handler=_cmd_report)

    scan = commands.add_parser(
        "privacy-scan", help="look for raw identifiers or the key outside landing"
    )
    scan.set_defaults(handler=_cmd_privacy_scan)

    run = commands.add_parser("run", help="load, build, validate and export")
    run.add_argument("--strict", action="store_true", help="fail the run if a file is rejected")
    run.set_defaults(handler=_cmd_run)

    retention = commands.add_parser(
        "retention", help="destroy every copy of census years older than the retained window"
    )
    retention.add_argument(
        "--as-of",
        type=date.fromisoformat,
        help="measure the window from this date, YYYY-MM-DD (default: LIIA_AS_OF, or today)",
    )
    retention.add_argument(
        "--dry-run", action="store_true", help="list what would be destroyed; touch nothing"
    )
    retention.set_defaults(handler=_cmd_retention)

    demo = commands.add_parser("demo", help="generate sample returns, then run everything")
    demo.add_argument("--seed", type=int, default=2025)
    demo.add_argument("--messy", action="store_true")
    demo.set_defaults(handler=_cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from liia.governance.audit_log import set_command

    set_command(sys.argv[1:] if argv is None else argv)  # for the audit log, secrets redacted
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command == "build":
        args.dbt_args = [arg for arg in extra if arg != "--"]
    elif extra:
        parser.error(f"unrecognised arguments: {' '.join(extra)}")
    return _reported(_run_command, args)


def _reported(step: Callable[..., int], *args: object) -> int:
    """Run ``step``; a known error becomes its one sentence and its exit status."""
    try:
        return step(*args)
    except LiiaError as error:
        print(f"liia: {error}", file=sys.stderr)
        return error.exit_status
    except duckdb.Error as error:
        described = describe_database_error(error)
        if described is None:
            raise
        print(f"liia: {described}", file=sys.stderr)
        return described.exit_status


def _run_command(args: argparse.Namespace) -> int:
    settings = load_settings()
    if args.command != "generate-sample" or not args.out:
        _announce_default_home(os.environ)
    if args.command in _PSEUDONYMISING_COMMANDS:
        # Refuse before any work starts, not halfway through dbt.
        from liia.hash_key import MissingHashKeyError, resolve_hash_key
        from liia.pipeline import EXIT_REFUSED_TO_START

        try:
            resolve_hash_key(announce=False)
        except MissingHashKeyError as error:
            print(f"liia: refusing to start: {error}", file=sys.stderr)
            return EXIT_REFUSED_TO_START
    if args.command == "generate-sample":
        return args.handler(args, settings)
    from liia.run_log import run_log

    with run_log(settings.home / "logs", args.command):
        # Inside the log, so the log holds the error sentence too.
        return _reported(args.handler, args, settings)


if __name__ == "__main__":
    sys.exit(main())
