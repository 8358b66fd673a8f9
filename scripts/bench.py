"""Benchmark: rows, seconds, rows/s and peak memory for generate, load and dbt build.

Each stage runs in its own child process so its peak resident memory is its
own. Runs London x 6 census years (scale 1) and a 10x larger synthetic set.
Prints figures; asserts nothing (benchmarks are measured, not tested).

    python scripts/bench.py [--scales 1 10] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STAGES = ("generate", "load", "build")


def _run_stage_in_this_process(stage: str, home: Path, scale: int) -> None:
    """Run one stage here and print its figures as JSON (called in the child)."""
    from liia.config import load_settings

    settings = load_settings()
    started = time.perf_counter()
    if stage == "generate":
        from liia.generate.sample import generate_sample

        generate_sample(settings.incoming, scale=scale)
    elif stage == "load":
        from liia.load.loader import load_incoming

        load_incoming(settings.incoming, settings.landing_path)
    elif stage == "build":
        from liia.dbt_runner import run_dbt

        run_dbt(settings, ["build", "--quiet"])
    seconds = time.perf_counter() - started
    peak_kib = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    print("BENCH " + json.dumps({"seconds": seconds, "peak_mib": peak_kib / 1024}))


def _worker_rows(home: Path) -> int:
    import duckdb

    conn = duckdb.connect(str(home / "landing.duckdb"), read_only=True)
    try:
        rows = conn.execute(
            "select count(*) from csww.workers w join csww.file_register f using (file_id) "
            "where f.status = 'accepted'"
        ).fetchall()[0][0]
    finally:
        conn.close()
    return int(rows)


def _measure(stage: str, home: Path, scale: int) -> dict[str, float]:
    env = dict(os.environ, LIIA_HOME=str(home), LIIA_AS_OF="2025-11-01")
    env.setdefault("GX_ANALYTICS_ENABLED", "false")
    result = subprocess.run(
        [sys.executable, __file__, "--stage", stage, "--home", str(home), "--scale", str(scale)],
        env=env,
        capture_output=True,
        text=True,
    )
    figures = [line for line in result.stdout.splitlines() if line.startswith("BENCH ")]
    if result.returncode != 0 or not figures:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(f"stage {stage} at scale {scale} failed")
    return json.loads(figures[-1].removeprefix("BENCH "))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--keep", action="store_true", help="keep the benchmark folders")
    parser.add_argument("--stage", choices=STAGES, help=argparse.SUPPRESS)
    parser.add_argument("--home", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        _run_stage_in_this_process(args.stage, args.home, args.scale)
        return

    header = ("scale", "stage", "workers", "seconds", "workers/s", "peak MiB")
    print("{:>5} {:<9} {:>9} {:>9} {:>10} {:>9}".format(*header))
    for scale in args.scales:
        home = Path(tempfile.mkdtemp(prefix=f"liia-bench-x{scale}-"))
        try:
            results = {stage: _measure(stage, home, scale) for stage in STAGES}
            workers = _worker_rows(home)
            for stage, figures in results.items():
                rate = workers / figures["seconds"] if figures["seconds"] else float("nan")
                print(
                    f"{scale:>5} {stage:<9} {workers:>9} {figures['seconds']:>9.1f} "
                    f"{rate:>10.0f} {figures['peak_mib']:>9.0f}"
                )
        finally:
            if args.keep:
                print(f"kept {home}")
            else:
                shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
