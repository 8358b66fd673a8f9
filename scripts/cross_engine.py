"""Build one sample on DuckDB and on Spark; print the models compared and both times.

    .venv/bin/python scripts/cross_engine.py [--home DIR] [--boroughs 201,301] [--years 2]

Without --home a new folder under build/cross-engine is used. The sample is
the messy synthetic one; both builds use the same (test) hash key. Exits 1 if
any mart or extract differs between the engines, or is missing on Spark.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from liia.cross_engine import compare_builds, format_table  # noqa: E402

LIIA = str(Path(sys.executable).with_name("liia"))
KEY = "cross-engine-script-key-0123456789abcdef0123456789abcdef"


def _liia(home: Path, *args: str) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIIA_")}
    env.update(LIIA_HOME=str(home), LIIA_AS_OF="2025-11-01", LIIA_HASH_KEY=KEY)
    started = time.perf_counter()
    subprocess.run([LIIA, *args], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=REPO / "build" / "cross-engine")
    parser.add_argument("--boroughs", default="201,301")
    parser.add_argument("--years", default="2")
    args = parser.parse_args()
    home = args.home.resolve()
    shutil.rmtree(home, ignore_errors=True)
    sample = home.with_name(home.name + "-sample")
    shutil.rmtree(sample, ignore_errors=True)
    _liia(home, "generate-sample", "--out", str(sample), "--years", args.years, "--messy")
    for la in args.boroughs.split(","):
        shutil.copytree(sample / la, home / "incoming" / la)
    shutil.rmtree(sample)
    _liia(home, "load")
    duckdb_seconds = _liia(home, "build", "--exclude-resource-type", "unit_test")
    spark_seconds = _liia(home, "build", "--engine", "spark")
    results = compare_builds(home / "warehouse.duckdb", home / "spark" / "spark-warehouse")
    print(f"Sample: boroughs {args.boroughs}, {args.years} census years ({home})")
    print("DuckDB: liia build (models, seeds, snapshot, data tests; no unit tests)")
    print("Spark:  liia build --engine spark (seeds and models), including JVM start")
    print(format_table(results, duckdb_seconds, spark_seconds))
    differing = [r for r in results if not r.equal]
    for r in differing:
        print(f"DIFFERS {r.schema}.{r.table}: {r.example_difference}")
    return 1 if differing else 0


if __name__ == "__main__":
    raise SystemExit(main())
