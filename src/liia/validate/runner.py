"""Run every Great Expectations suite against the warehouse and write its results page.

Each suite (``liia.validate.minimisation``, ``quality`` and ``extracts``) names
one warehouse relation. No relation is read whole: DuckDB computes, read-only and
where the data lies, the distinct values of the columns the suite's checks name
(``liia.validate.frames``), and GX validates that small frame as a pandas
dataframe asset through a ValidationDefinition and a Checkpoint. (GX's own SQL
datasource fails every expectation over DuckDB, so it is not used.) A count of
unexpected values is therefore a count of distinct values. The results go into
one self-contained page, ``LIIA_HOME/gx/validation.html`` (GX's own Data Docs
need CDNs and render blank offline, so they are not built), and GX keeps one
stored result per suite. Minimisation and extract results keep no sample values
(``BOOLEAN_ONLY``): a failing check must not copy what it caught into the results.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from liia.config import Settings
from liia.progress import progress
from liia.validate.frames import UnsupportedExpectation, value_frame
from liia.validate.report_page import prune_validation_results, write_validation_page
from liia.validate.suite_spec import SuiteSpec

DATASOURCE_NAME = "warehouse"
BATCH_DEFINITION_NAME = "whole_table"
MANIFEST_OUTCOME = "minimisation__manifest"


@dataclass
class SuiteOutcome:
    """The result of one suite."""

    name: str
    relation: str
    evaluated: int = 0
    failures: list[str] = field(default_factory=list)
    error: str | None = None
    # Rows of the frame GX validated: distinct values, never the relation's rows
    # (None when no frame was read, e.g. a frame handed to _GxRun directly).
    frame_rows: int | None = None

    @property
    def success(self) -> bool:
        return self.error is None and not self.failures


@dataclass
class ValidationSummary:
    """Every suite's outcome; ``success`` only if all passed."""

    outcomes: list[SuiteOutcome] = field(default_factory=list)
    data_docs: Path | None = None

    @property
    def success(self) -> bool:
        return all(outcome.success for outcome in self.outcomes)

    @property
    def expectations_evaluated(self) -> int:
        return sum(outcome.evaluated for outcome in self.outcomes)

    @property
    def expectations_failed(self) -> int:
        return sum(len(outcome.failures) for outcome in self.outcomes)

    def __str__(self) -> str:
        failed_suites = [outcome for outcome in self.outcomes if not outcome.success]
        lines = [
            f"Validation: {'PASSED' if self.success else 'FAILED'} - {len(self.outcomes)} suites, "
            f"{self.expectations_evaluated} expectations evaluated, "
            f"{self.expectations_failed} failed, {len(failed_suites)} suite(s) failed"
        ]
        for outcome in failed_suites:
            if outcome.error:
                lines.append(f"  {outcome.name} ({outcome.relation}): ERROR {outcome.error}")
            for failure in outcome.failures:
                lines.append(f"  {outcome.name} ({outcome.relation}): FAILED {failure}")
        if self.data_docs:
            lines.append(f"Validation results: {self.data_docs}")
        return "\n".join(lines)


def warehouse_catalogue(conn: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """``{"schema.table": [columns]}`` for every table and view of the open warehouse."""
    rows = conn.execute(
        "select schema_name, table_name, column_name from duckdb_columns() "
        "where database_name = current_database() and not internal "
        "order by schema_name, table_name, column_index"
    ).fetchall()
    catalogue: dict[str, list[str]] = {}
    for schema, table, column in rows:
        catalogue.setdefault(f"{schema}.{table}", []).append(column)
    return catalogue


def _describe(result: object) -> str:
    config = result.expectation_config  # type: ignore[attr-defined]
    column = config.kwargs.get("column")
    where = f" on column {column}" if column else ""
    exception = getattr(result, "exception_info", None) or {}
    raised = exception.get("raised_exception") if isinstance(exception, dict) else False
    detail = f" (raised: {exception.get('exception_message')})" if raised else ""
    # SUMMARY results count what failed (BOOLEAN_ONLY ones do not): on a frame of
    # distinct values that is a count of distinct values, not of rows.
    unexpected = (getattr(result, "result", None) or {}).get("unexpected_count")
    count = f" ({unexpected} distinct value(s) unexpected)" if unexpected else ""
    return f"{config.type}{where}{count}{detail}"


class _GxRun:
    """One file-mode GX context rooted at LIIA_HOME (so its files are under LIIA_HOME/gx)."""

    def __init__(self, home: Path):
        import great_expectations as gx

        self.gx = gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self.context = gx.get_context(mode="file", project_root_dir=str(home))
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self.datasource = self.context.data_sources.add_or_update_pandas(name=DATASOURCE_NAME)

    def _batch_definition(self, relation: str):
        try:
            asset = self.datasource.get_asset(relation)
        except LookupError:
            asset = self.datasource.add_dataframe_asset(name=relation)
        try:
            return asset.get_batch_definition(BATCH_DEFINITION_NAME)
        except (KeyError, LookupError, ValueError):
            return asset.add_batch_definition_whole_dataframe(BATCH_DEFINITION_NAME)

    def validate(self, spec: SuiteSpec, frame: pd.DataFrame, result_format: str) -> SuiteOutcome:
        gx = self.gx
        suite = self.context.suites.add_or_update(
            gx.ExpectationSuite(name=spec.name, expectations=list(spec.expectations))
        )
        definition = self.context.validation_definitions.add_or_update(
            gx.ValidationDefinition(
                name=spec.name, data=self._batch_definition(spec.relation), suite=suite
            )
        )
        checkpoint = self.context.checkpoints.add_or_update(
            gx.Checkpoint(
                name=spec.name,
                validation_definitions=[definition],
                actions=[],
                result_format=result_format,
            )
        )
        result = checkpoint.run(batch_parameters={"dataframe": frame})
        outcome = SuiteOutcome(name=spec.name, relation=spec.relation)
        for validation in result.run_results.values():
            for expectation_result in validation.results:
                outcome.evaluated += 1
                if not expectation_result.success:
                    outcome.failures.append(_describe(expectation_result))
        return outcome


def _validate_in_place(
    conn: duckdb.DuckDBPyConnection,
    run: _GxRun,
    spec: SuiteSpec,
    result_format: str,
    catalogue: dict[str, list[str]],
) -> SuiteOutcome:
    """One suite on the distinct values DuckDB reads from its relation."""
    columns = catalogue.get(spec.relation)
    if columns is None:
        return SuiteOutcome(
            spec.name, spec.relation, error="cannot read relation: not in the warehouse"
        )
    try:
        frame = value_frame(conn, spec.relation, columns, spec.expectations)
    except duckdb.Error as error:
        return SuiteOutcome(spec.name, spec.relation, error=f"cannot read relation: {error}")
    except UnsupportedExpectation as error:
        return SuiteOutcome(spec.name, spec.relation, error=str(error))
    outcome = run.validate(spec, frame, result_format)
    outcome.frame_rows = len(frame)
    return outcome


# A suite with the result format of its validation: minimisation suites keep no
# sample values (BOOLEAN_ONLY); quality suites keep a summary for diagnosis. A
# selection gets the settings (for the dbt manifest) and the warehouse catalogue.
SuiteSelection = Callable[[Settings, dict[str, list[str]]], Sequence[tuple[SuiteSpec, str]]]


def all_suites(settings: Settings, catalogue: dict[str, list[str]]) -> list[tuple[SuiteSpec, str]]:
    """Every minimisation suite (given the warehouse catalogue) and every quality suite."""
    return warehouse_suites(settings, catalogue) + extract_suites(settings, catalogue)


def warehouse_suites(
    settings: Settings, catalogue: dict[str, list[str]]
) -> list[tuple[SuiteSpec, str]]:
    """Every suite but the extracts' (for a run whose extracts are withheld)."""
    from liia.validate import quality

    return minimisation_suites(settings, catalogue) + [
        (spec, "SUMMARY") for spec in quality.suites(configured_authorities(settings))
    ]


def configured_authorities(settings: Settings) -> list[str] | None:
    """The participating authorities of LIIA_AUTHORITIES_FILE, or None (London's)."""
    if settings.authorities_file is None:
        return None
    return sorted(settings.participating_authorities)


def extract_suites(
    settings: Settings, catalogue: dict[str, list[str]]
) -> list[tuple[SuiteSpec, str]]:
    """The use-case extract suites (liia.validate.extracts); column sets from the manifest."""
    from liia.validate import extracts

    contracts = extracts.extract_contracts(settings.dbt_target_dir / "manifest.json")
    return [(spec, "BOOLEAN_ONLY") for spec in extracts.suites(contracts)]


def minimisation_suites(
    settings: Settings, catalogue: dict[str, list[str]]
) -> list[tuple[SuiteSpec, str]]:
    """The minimisation suites only; staging column sets come from the dbt manifest."""
    from liia.validate import minimisation

    staging_columns = minimisation.staging_contract_columns(
        settings.dbt_target_dir / "manifest.json"
    )
    return [(spec, "BOOLEAN_ONLY") for spec in minimisation.suites(staging_columns, catalogue)]


def run_validation(settings: Settings, select: SuiteSelection = all_suites) -> ValidationSummary:
    """Validate every suite against the warehouse; write LIIA_HOME/gx/validation.html."""
    from liia.validate.minimisation import ManifestError

    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    summary = ValidationSummary()
    conn = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        catalogue = warehouse_catalogue(conn)
        try:
            specs = select(settings, catalogue)
        except ManifestError as error:
            summary.outcomes.append(
                SuiteOutcome(MANIFEST_OUTCOME, "dbt manifest", error=str(error))
            )
            return summary
        run = _GxRun(settings.home)
        for spec, result_format in progress(specs, "Validation", "suite"):
            summary.outcomes.append(_validate_in_place(conn, run, spec, result_format, catalogue))
    finally:
        conn.close()
    gx_dir = settings.home / "gx"
    summary.data_docs = write_validation_page(summary.outcomes, gx_dir, datetime.now())
    prune_validation_results(gx_dir / "uncommitted" / "validations")
    # Pages an older version built from CDNs: stale, and blank offline.
    shutil.rmtree(gx_dir / "uncommitted" / "data_docs", ignore_errors=True)
    return summary
