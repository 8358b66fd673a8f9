"""Build the dbt project on Apache Spark (``liia build --engine spark``).

dbt-spark's ``session`` method (profiles.yml, target ``spark``) runs dbt's SQL
on ``SparkSession.builder.getOrCreate()``: the session this module creates
first, in the same Python process, so dbt runs in-process (dbtRunner) on a
session that already has the project's Python functions. They are the very
functions the DuckDB build registers (liia.dbt_plugin): ``liia_keyed_hash``
calls :func:`liia.hash_key.keyed_hash_many`, the identifier rule's functions
call :mod:`liia.privacy.identifier_rule`, so both engines give the same
pseudonym by construction. Spark runs Python functions in worker processes;
each worker reads the key from the environment it inherits (never a Spark
setting, SQL or a log), so the key is not even in the pickled function.

Zones: landing.duckdb is copied to Parquet inside the landing zone
(``LIIA_HOME/landing/parquet/<table>``) and registered for the build only as
external tables of the Spark schema ``landing_csww`` (dropped afterwards:
the files stay in landing, nothing of the warehouse points at them). The Spark
warehouse (table files, the Derby metastore and its log) lives in
``LIIA_HOME/spark`` in the warehouse zone.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from liia.config import PROJECT_ROOT, Settings
from liia.dbt_runner import DbtFailedError

# The Spark schema the landing source reads (models/staging/csww/_csww__sources.yml).
LANDING_SCHEMA = "landing_csww"
LANDING_TABLES = (
    "file_register",
    "workers",
    "la_level",
    "participating_authorities",
    "load_errors",
    "audit_log",
)
# A Spark build is seeds and models (docs/design.md#spark): Spark cannot
# snapshot into Parquet tables, the unit tests' fixtures are DuckDB SQL, and the
# data tests still are too; the cross-engine test checks Spark's tables instead.
SPARK_BUILD_ARGS = (
    "--exclude-resource-type",
    "unit_test",
    "snapshot",
    "test",
)


def spark_home(settings: Settings) -> Path:
    """The Spark warehouse zone: table files, metastore_db, derby.log."""
    return settings.home / "spark"


def landing_parquet_dir(settings: Settings) -> Path:
    """Landing as Parquet, inside the landing zone."""
    return settings.home / "landing" / "parquet"


def write_landing_parquet(settings: Settings) -> dict[str, Path]:
    """Copy each landing table to ``landing/parquet/<table>/`` with DuckDB's COPY."""
    out = landing_parquet_dir(settings)
    folders: dict[str, Path] = {}
    conn = duckdb.connect(str(settings.landing_path), read_only=True)
    try:
        for table in LANDING_TABLES:
            folder = out / table
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            conn.execute(
                f"copy (select * from csww.{table}) to '{folder / 'part-0.parquet'}' "
                "(format parquet)"
            )
            folders[table] = folder
    finally:
        conn.close()
    return folders


def _session_conf(settings: Settings) -> dict[str, str]:
    home = spark_home(settings)
    return {
        "spark.master": os.environ.get("LIIA_SPARK_MASTER", "local[2]"),
        "spark.app.name": "liia-csww",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": os.environ.get("LIIA_SPARK_SHUFFLE_PARTITIONS", "2"),
        "spark.driver.memory": os.environ.get("LIIA_SPARK_DRIVER_MEMORY", "1g"),
        "spark.sql.warehouse.dir": str(home / "spark-warehouse"),
        "spark.hadoop.javax.jdo.option.ConnectionURL": (
            f"jdbc:derby:;databaseName={home / 'metastore_db'};create=true"
        ),
        "spark.driver.extraJavaOptions": f"-Dderby.system.home={home}",
        # ANSI (Spark 4's default) as DuckDB: a bad cast raises, try_cast does not.
        # dbt-spark's connection then sets it false for its own SQL (its
        # connections.py, "compatibility with Spark v3 and v4"; docs/design.md), so
        # the models use try_cast wherever a value may be bad.
        "spark.sql.ansi.enabled": "true",
        # The models quote identifiers with double quotes ("SWENo"), as DuckDB does.
        "spark.sql.ansi.doubleQuotedIdentifiers": "true",
        # String literals as DuckDB reads them: a backslash is a backslash (regexes).
        "spark.sql.parser.escapedStringLiterals": "true",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.sources.partitionOverwriteMode": "dynamic",
        # A rebuilt table may replace the files of the last build's.
        "spark.sql.legacy.allowNonEmptyLocationInCTAS": "true",
    }


def _hash_udf(value: str | None) -> str | None:
    # Runs in a Spark Python worker: the key comes from the environment it inherited.
    from liia.hash_key import keyed_hash_many

    return keyed_hash_many(_worker_key(), [value])[0]


@cache
def _worker_key() -> Any:
    from liia.hash_key import resolve_hash_key

    return resolve_hash_key(announce=False)


def _each(function: Callable[[Any], Any]) -> Callable[[list[Any] | None], list[Any] | None]:
    def _apply(values: list[Any] | None) -> list[Any] | None:
        return None if values is None else [function(value) for value in values]

    return _apply


def register_functions(spark: Any) -> None:
    """Register liia_keyed_hash and the identifier rule's functions as Spark UDFs."""
    from pyspark.sql.functions import udf
    from pyspark.sql.types import ArrayType, BooleanType, StringType

    from liia.dbt_plugin import FUNCTION_NAME
    from liia.privacy import identifier_rule as rule

    spark.udf.register(FUNCTION_NAME, udf(_hash_udf, StringType()))
    for name, function, result in (
        (rule.NORMALISE_FUNCTION, rule.normalise_identifier, StringType()),
        (rule.LOOKS_LIKE_FUNCTION, rule.looks_like_identifier, BooleanType()),
        (rule.MESSAGE_FUNCTION, rule.message_holds_identifier, BooleanType()),
        (rule.REDACT_FUNCTION, rule.redact_identifiers, StringType()),
        (rule.REDACT_MESSAGE_FUNCTION, rule.redact_message, StringType()),
        (rule.CANDIDATES_FUNCTION, rule.identifier_candidates, ArrayType(StringType())),
    ):
        spark.udf.register(name, udf(function, result))
    # Spark cannot call a Python function inside a lambda (list_transform):
    # the macros that apply one to each element of a list call these instead.
    for name, function, result in (
        (f"{rule.LOOKS_LIKE_FUNCTION}_list", rule.looks_like_identifier, BooleanType()),
        (f"{rule.REDACT_MESSAGE_FUNCTION}_list", rule.redact_message, StringType()),
    ):
        spark.udf.register(name, udf(_each(function), ArrayType(result)))


_SESSION: Any = None


def spark_session(settings: Settings) -> Any:
    """The process's SparkSession (created once), with the project's functions."""
    global _SESSION
    if _SESSION is None:
        from pyspark.sql import SparkSession

        from liia.hash_key import resolve_hash_key

        # Fails here, before Spark starts, in production without a usable key,
        # and announces the demo key once (the workers stay quiet).
        resolve_hash_key()
        spark_home(settings).mkdir(parents=True, exist_ok=True)
        # Python workers must run this interpreter, which has liia installed
        # (Spark's own default is whatever `python3` is on the PATH).
        os.environ["PYSPARK_PYTHON"] = sys.executable
        builder = SparkSession.builder.enableHiveSupport()
        for key, value in _session_conf(settings).items():
            builder = builder.config(key, value)
        _SESSION = builder.getOrCreate()
        _SESSION.sparkContext.setLogLevel("ERROR")
        register_functions(_SESSION)
    return _SESSION


@contextmanager
def landing_tables(spark: Any, settings: Settings) -> Iterator[None]:
    """The landing Parquet as external tables of ``landing_csww`` while dbt runs."""
    folders = write_landing_parquet(settings)
    spark.sql(f"create database if not exists {LANDING_SCHEMA}")
    for table, folder in folders.items():
        spark.sql(f"drop table if exists {LANDING_SCHEMA}.{table}")
        spark.sql(f"create table {LANDING_SCHEMA}.{table} using parquet location '{folder}'")
    try:
        yield
    finally:
        # Dropping an external table keeps its files (in landing): the warehouse
        # keeps no way back to the raw values.
        for table in folders:
            spark.sql(f"drop table if exists {LANDING_SCHEMA}.{table}")
        spark.sql(f"drop database if exists {LANDING_SCHEMA}")


@dataclass
class SparkBuild:
    seconds: float
    success: bool


def build_spark(settings: Settings, dbt_args: Sequence[str]) -> SparkBuild:
    """``dbt <dbt_args> --target spark`` in this process, on the Spark session."""
    from dbt.cli.main import dbtRunner

    started = time.perf_counter()
    spark = spark_session(settings)
    os.environ["LIIA_HOME"] = str(settings.home)
    with landing_tables(spark, settings):
        result = dbtRunner().invoke(
            [
                *dbt_args,
                "--target",
                "spark",
                "--project-dir",
                str(PROJECT_ROOT),
                "--profiles-dir",
                str(PROJECT_ROOT),
                "--target-path",
                str(settings.home / "dbt" / "spark-target"),
                "--log-path",
                str(settings.dbt_log_dir),
                *(["--no-use-colors"] if not sys.stdout.isatty() else []),
            ]
        )
    seconds = time.perf_counter() - started
    if not result.success:
        raise DbtFailedError(f"dbt {' '.join(dbt_args)} on Spark failed")
    return SparkBuild(seconds=seconds, success=True)
