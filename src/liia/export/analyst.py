"""The analyst zone: the use-case extracts handed over in ``exports/analyst/``.

``export_analyst(settings)`` writes, from the built warehouse (read-only):

- ``<extract>.parquet`` and ``<extract>.csv`` for every model under
  models/extracts/ (CSV through the formula-injection-safe writer);
- ``analyst.duckdb``: one table per extract, created from its Parquet file, so
  the database holds the extracts **and nothing else** (no marts, staging or
  landing, no view or attachment reaching another database);
- ``data_dictionary.md`` and ``data_dictionary.csv``: every extract column with
  its type and description, and each extract's suppression rule, from the dbt
  manifest (the model contracts are the one description of the extracts);

and ``exports/docs/index.html``, the static dbt docs (``dbt docs generate
--static``, run against a copy of the warehouse so an analyst's open
read-only connection cannot block it and the live file is never written).

Everything is written to a folder beside the final one and renamed into place
only when complete: a failure leaves no half-written zone. The privacy scan
(run after this by ``liia.pipeline.export_and_scan``) covers all of it.
"""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from liia.config import Settings
from liia.export.safe_csv import write_csv

if TYPE_CHECKING:
    from liia.validate.extracts import ExtractContract

ANALYST_DIRNAME = "analyst"
DOCS_DIRNAME = "docs"
DATABASE_NAME = "analyst.duckdb"
EXTRACT_PREFIX = "ext_"
DICTIONARY_COLUMNS = (
    "extract",
    "column",
    "data_type",
    "description",
    "aggregated",
    "suppression",
)


class AnalystExportError(RuntimeError):
    """The extracts cannot be exported (no manifest, or an extract missing from the warehouse)."""


@dataclass
class AnalystExportSummary:
    """What the analyst zone holds."""

    folder: Path
    rows: dict[str, int] = field(default_factory=dict)
    docs_index: Path | None = None

    def __str__(self) -> str:
        extracts = ", ".join(f"{name} {rows}" for name, rows in self.rows.items())
        text = f"Analyst zone: {len(self.rows)} extract(s) in {self.folder} (rows: {extracts})"
        return text + (f"\ndbt docs: {self.docs_index}" if self.docs_index else "")


def extract_specs(manifest_path: Path) -> list[ExtractContract]:
    """Every extract with its contract, from dbt's manifest (liia.validate.extracts reads it)."""
    # Imported here, not with this module: liia.validate imports Great Expectations
    # (seconds), which importing the export code (the CLI, the packs) must not cost.
    from liia.validate.extracts import extract_contracts
    from liia.validate.minimisation import ManifestError

    try:
        return extract_contracts(manifest_path)
    except ManifestError as error:
        raise AnalystExportError(str(error)) from error


def _write_extracts(warehouse: Path, specs: list[ExtractContract], folder: Path) -> dict[str, int]:
    rows: dict[str, int] = {}
    conn = duckdb.connect(str(warehouse), read_only=True)
    try:
        for spec in specs:
            try:
                rel = conn.sql(f'select * from "{spec.schema}"."{spec.name}"')
            except duckdb.Error as error:
                raise AnalystExportError(
                    f"extract {spec.schema}.{spec.name} cannot be read from {warehouse}: {error}"
                ) from error
            rel.write_parquet(str(folder / f"{spec.name}.parquet"))
            rows[spec.name] = write_csv(rel, folder / f"{spec.name}.csv")
    finally:
        conn.close()
    return rows


def _write_database(specs: list[ExtractContract], folder: Path) -> None:
    """analyst.duckdb: tables made from the Parquet files, never a view or an attachment."""
    conn = duckdb.connect(str(folder / DATABASE_NAME))
    try:
        for spec in specs:
            parquet = str(folder / f"{spec.name}.parquet").replace("'", "''")
            description = spec.description.replace("'", "''")
            conn.execute(f"create table \"{spec.name}\" as select * from read_parquet('{parquet}')")
            conn.execute(f"comment on table \"{spec.name}\" is '{description}'")
            # Column descriptions too: Power BI and DuckDB users read the catalogue.
            for column in spec.columns:
                text = column.description.replace("'", "''")
                name = column.name.replace('"', '""')
                conn.execute(f'comment on column "{spec.name}"."{name}" is \'{text}\'')
        conn.execute("checkpoint")
    finally:
        conn.close()


def _write_dictionary(specs: list[ExtractContract], folder: Path) -> None:
    rows = [
        (
            spec.name,
            column.name,
            column.data_type,
            column.description,
            "yes" if spec.aggregated else "no",
            spec.suppression,
        )
        for spec in specs
        for column in spec.columns
    ]
    write_csv(rows, folder / "data_dictionary.csv", header=DICTIONARY_COLUMNS)
    lines = [
        "# Data dictionary: the use-case extracts",
        "",
        "Generated from the dbt manifest (the extracts' enforced contracts). Every file in this",
        "folder is one extract as Parquet and CSV; `analyst.duckdb` holds the same tables.",
        "",
    ]
    for spec in specs:
        lines += [
            f"## {spec.name}",
            "",
            spec.description,
            "",
            f"Aggregated: {'yes' if spec.aggregated else 'no'}. Suppression: {spec.suppression}.",
            "",
            "| column | type | description |",
            "|---|---|---|",
        ]
        lines += [
            f"| `{column.name}` | {column.data_type} | {column.description.replace('|', '/')} |"
            for column in spec.columns
        ]
        lines.append("")
    (folder / "data_dictionary.md").write_text("\n".join(lines), encoding="utf-8")


DOCS_GENERATE_ARGS = ("docs", "generate", "--static", "--no-compile")


def generate_docs(settings: Settings, warehouse: Path) -> None:
    """``dbt docs generate`` on a warehouse just built, before it is swapped in.

    Run by the build (src/liia/warehouse_build.py) on the file it wrote, so dbt
    reuses that build's parse (same profile, same target) and its manifest
    (``--no-compile``): the docs cost a catalog query, not a second parse,
    compile and copy of the warehouse.
    """
    from liia.dbt_runner import run_dbt

    run_dbt(settings, list(DOCS_GENERATE_ARGS), warehouse=warehouse)


def _docs_are_current(target: Path) -> bool:
    """The build's static docs are there and no dbt command has written a newer manifest."""
    static, manifest = target / "static_index.html", target / "manifest.json"
    if not (static.is_file() and manifest.is_file()):
        return False
    return static.stat().st_mtime >= manifest.stat().st_mtime


def _write_docs(settings: Settings, docs_folder: Path) -> Path:
    """The static dbt docs as docs/index.html: the build's, or (when a dbt command run
    since has replaced the manifest) generated now against a copy of the warehouse,
    which analysts may hold open."""
    if not _docs_are_current(settings.dbt_target_dir):
        work = settings.home / "build-in-progress" / "docs"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        copy = work / settings.warehouse_path.name
        try:
            shutil.copyfile(settings.warehouse_path, copy)
            generate_docs(settings, copy)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    static = settings.dbt_target_dir / "static_index.html"
    if not static.is_file():
        raise AnalystExportError(f"dbt docs generate --static wrote no {static}")
    docs_folder.mkdir(parents=True, exist_ok=True)
    target = docs_folder / "index.html"
    shutil.copyfile(static, target)
    return target


def _replace_folder(staged: Path, final: Path) -> None:
    if final.exists():
        shutil.rmtree(final)
    staged.rename(final)


def export_analyst(settings: Settings) -> AnalystExportSummary:
    """Write exports/analyst/ (extracts, analyst.duckdb, data dictionary) and exports/docs/."""
    specs = extract_specs(settings.dbt_target_dir / "manifest.json")
    missing = [spec.name for spec in specs if not spec.name.startswith(EXTRACT_PREFIX)]
    if missing:
        raise AnalystExportError(f"extract model(s) not named ext_*: {', '.join(missing)}")
    settings.exports_dir.mkdir(parents=True, exist_ok=True)
    final = settings.exports_dir / ANALYST_DIRNAME
    staged = settings.exports_dir / f".{ANALYST_DIRNAME}.partial"
    shutil.rmtree(staged, ignore_errors=True)
    staged.mkdir()
    try:
        rows = _write_extracts(settings.warehouse_path, specs, staged)
        _write_database(specs, staged)
        _write_dictionary(specs, staged)
        docs_staged = settings.exports_dir / f".{DOCS_DIRNAME}.partial"
        shutil.rmtree(docs_staged, ignore_errors=True)
        try:
            _write_docs(settings, docs_staged)
            _replace_folder(docs_staged, settings.exports_dir / DOCS_DIRNAME)
        finally:
            shutil.rmtree(docs_staged, ignore_errors=True)
        _replace_folder(staged, final)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    return AnalystExportSummary(
        folder=final, rows=rows, docs_index=settings.exports_dir / DOCS_DIRNAME / "index.html"
    )


def dictionary_rows(folder: Path) -> list[dict[str, str]]:
    """The data dictionary CSV of an analyst zone, as dicts (for checks and tests)."""
    with (folder / "data_dictionary.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
