"""Read, for one borough-year, what goes into its pack (warehouse, read-only).

Every query selects one borough's rows with a parameter (``where la_code = ?``):
nothing here can mix two boroughs' data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb

WORKERS_RELATION = "marts.fct_worker_census"
# Columns of the published worker table a borough's pack leaves out:
# - the London-wide keyed hash: a borough knows its own staff's SWE numbers, so
#   with the hash beside each record it could build a hash-to-number table and
#   re-identify people in any other dataset carrying the same hash;
# - links to the same worker's returns in other years: they are built from every
#   borough's data (where a worker went next, or whether they appear anywhere
#   later, is another borough's information).
# Record numbers still tie each row to the borough's own file.
NOT_FOR_BOROUGHS = (
    "swe_number_hash",
    "previous_census_year",
    "previous_la_code",
    "next_census_year",
    "next_la_code",
    "years_since_previous",
    "years_to_next",
    "is_moved_from_other_borough",
    "is_moved_to_other_borough",
    "is_first_return",
    "is_last_return",
)
# Any column about the same worker's other returns (previous_org_role, ...), whoever
# adds it later: left out by its name's prefix too, not only by the list above.
NOT_FOR_BOROUGHS_PREFIXES = ("previous_", "next_", "is_moved_")
LA_LEVEL_RELATION = "marts.fct_la_level"
FINDINGS_RELATION = "marts.fct_dq_findings"
COMPLETENESS_RELATION = "marts.fct_dq_item_completeness"
SCORE_RELATION = "marts.fct_dq_quality_score"


@dataclass(frozen=True)
class AcceptedReturn:
    """The current (accepted) return of one borough and census year."""

    la_code: str
    census_year: int
    file_id: int
    file_name: str
    file_format: str
    layout_version: int | None
    received_at: datetime | None
    worker_rows: int


@dataclass(frozen=True)
class Minimisation:
    """What the sender had done before sending and what the pipeline did."""

    swe_numbers_hashed_by_sender: int
    swe_numbers_hashed_here: int
    birth_dates_degraded_by_sender: int
    birth_dates_degraded_here: int
    dropped_items: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "sender": {
                "swe_numbers_pseudonymised": self.swe_numbers_hashed_by_sender,
                "birth_dates_reduced_to_month": self.birth_dates_degraded_by_sender,
            },
            "pipeline": {
                "swe_numbers_pseudonymised": self.swe_numbers_hashed_here,
                "birth_dates_reduced_to_month": self.birth_dates_degraded_here,
                "items_dropped": self.dropped_items,
            },
        }


@dataclass(frozen=True)
class Rule:
    rule_id: str
    category: str
    description: str
    severity: str


@dataclass(frozen=True)
class Finding:
    record_number: int | None
    item: str | None
    rule_id: str
    severity: str
    message: str


@dataclass(frozen=True)
class ItemCompleteness:
    item_name: str
    records: int
    records_present: int
    completeness_pct: float | None
    validity_pct: float | None
    mandatory_completeness_pct: float | None


FINDINGS_COLUMNS = (
    "la_code",
    "census_year",
    "record_number",
    "item",
    "rule_id",
    "severity",
    "message",
)
COMPLETENESS_COLUMNS = (
    "item_name",
    "records",
    "records_present",
    "completeness_pct",
    "validity_pct",
    "mandatory_completeness_pct",
)


def completeness_row(i: ItemCompleteness) -> list[Any]:
    """One item's completeness in COMPLETENESS_COLUMNS order."""
    return [
        i.item_name,
        i.records,
        i.records_present,
        i.completeness_pct,
        i.validity_pct,
        i.mandatory_completeness_pct,
    ]


@dataclass(frozen=True)
class QualityScore:
    worker_records: int
    error_findings: int
    warning_findings: int
    records_with_errors: int
    quality_score: float


def _rows(conn: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[tuple]:
    return conn.execute(sql, params).fetchall()


def accepted_returns(conn: duckdb.DuckDBPyConnection) -> list[AcceptedReturn]:
    """Every borough-year with an accepted return."""
    rows = _rows(
        conn,
        """select la_code, census_year, file_id, file_name, file_format, layout_version,
                  received_at, worker_rows
           from staging.stg_csww__files
           where status = ?
           order by la_code, census_year""",
        ["accepted"],
    )
    return [AcceptedReturn(*row) for row in rows]


def la_name(conn: duckdb.DuckDBPyConnection, la_code: str) -> str | None:
    rows = _rows(conn, "select la_name from reference.london_las where la_code = ?", [la_code])
    return rows[0][0] if rows else None


def minimisation(conn: duckdb.DuckDBPyConnection, file_id: int) -> Minimisation:
    rows = _rows(
        conn,
        """select swe_numbers_hashed_by_sender, swe_numbers_hashed_here,
                  birth_dates_degraded_by_sender, birth_dates_degraded_here, dropped_items
           from staging.stg_csww__files where file_id = ?""",
        [file_id],
    )
    by_sender, here, dob_sender, dob_here, dropped = rows[0]
    return Minimisation(
        int(by_sender or 0),
        int(here or 0),
        int(dob_sender or 0),
        int(dob_here or 0),
        sorted(dropped or []),
    )


def rules(conn: duckdb.DuckDBPyConnection) -> dict[str, Rule]:
    rows = _rows(
        conn,
        "select rule_id, category, description, severity from reference.dq_rules order by rule_id",
        [],
    )
    return {row[0]: Rule(*row) for row in rows}


def findings(conn: duckdb.DuckDBPyConnection, la_code: str, census_year: int) -> list[Finding]:
    rows = _rows(
        conn,
        f"""select record_number, item, rule_id, severity, message
            from {FINDINGS_RELATION}
            where la_code = ? and census_year = ?
            order by rule_id, record_number nulls first, item, message""",
        [la_code, census_year],
    )
    return [Finding(*row) for row in rows]


def item_completeness(
    conn: duckdb.DuckDBPyConnection, la_code: str, census_year: int
) -> list[ItemCompleteness]:
    rows = _rows(
        conn,
        f"""select item_name, records, records_present, completeness_pct, validity_pct,
                   mandatory_completeness_pct
            from {COMPLETENESS_RELATION}
            where la_code = ? and census_year = ?
            order by item_name""",
        [la_code, census_year],
    )
    return [
        ItemCompleteness(name, records, present, *(None if v is None else float(v) for v in pcts))
        for name, records, present, *pcts in rows
    ]


def quality_score(
    conn: duckdb.DuckDBPyConnection, la_code: str, census_year: int
) -> QualityScore | None:
    rows = _rows(
        conn,
        f"""select worker_records, error_findings, warning_findings, records_with_errors,
                   quality_score
            from {SCORE_RELATION}
            where la_code = ? and census_year = ?""",
        [la_code, census_year],
    )
    if not rows:
        return None
    records, errors, warnings, error_records, score = rows[0]
    return QualityScore(records, errors, warnings, error_records, float(score))


def borough_rows_sql(
    conn: duckdb.DuckDBPyConnection,
    relation: str,
    exclude: tuple[str, ...] = (),
    exclude_prefixes: tuple[str, ...] = (),
) -> str:
    """SQL of one borough-year's rows of a published relation (parameters: la_code,
    census_year), its columns but ``exclude`` and those whose names start with one of
    ``exclude_prefixes``."""
    present = [d[0] for d in conn.execute(f"select * from {relation} limit 0").description]
    left_out = [
        column
        for column in present
        if column in exclude or (exclude_prefixes and column.startswith(exclude_prefixes))
    ]
    columns = f"* exclude ({', '.join(left_out)})" if left_out else "*"
    return f"select {columns} from {relation} where la_code = $1 and census_year = $2 order by all"


def borough_rows(
    conn: duckdb.DuckDBPyConnection,
    relation: str,
    la_code: str,
    census_year: int,
    exclude: tuple[str, ...] = (),
    exclude_prefixes: tuple[str, ...] = (),
) -> duckdb.DuckDBPyRelation:
    """:func:`borough_rows_sql` as a relation."""
    return conn.sql(
        borough_rows_sql(conn, relation, exclude, exclude_prefixes), params=[la_code, census_year]
    )


INDICATORS_RELATION = "marts.fct_la_indicators"
PUBLISHED_RELATION = "reference.dfe_published_indicators"
LONDON_REGION_CODE = "E12000007"
# The borough's own indicators shown in its pack, with DfE's figure beside each:
# (column in fct_la_indicators and in DfE's published table, label, unit).
PACK_INDICATORS = (
    ("turnover_rate_fte", "Turnover rate (FTE)", "%"),
    ("agency_rate_fte", "Agency worker rate (FTE)", "%"),
    ("vacancy_rate_fte", "Vacancy rate (FTE)", "%"),
    ("caseload_fte", "Average caseload (cases per case-holder FTE)", ""),
    ("absence_rate_fte", "Sickness absence rate", "%"),
)


@dataclass(frozen=True)
class IndicatorYear:
    """One indicator in one census year: the borough's own figure, DfE's published
    figure for the borough and DfE's published figure for London (both public)."""

    indicator: str
    census_year: int
    borough: float | None
    dfe_borough: float | None
    dfe_london: float | None


def _float(value: Any) -> float | None:
    """A figure as a number; None for none, or for DfE's markers of a figure it does
    not publish ('x' not available, 'c' confidential, 'z' not applicable)."""
    try:
        return None if value is None else float(value)
    except ValueError:
        return None


def indicators(conn: duckdb.DuckDBPyConnection, la_code: str) -> list[IndicatorYear]:
    """The borough's indicators over every year it has, beside DfE's published figures.

    The borough's rows are selected by ``la_code = ?``; the only other figures are
    DfE's published (public) ones for the borough and for London.
    """
    columns = [column for column, _, _ in PACK_INDICATORS]
    own = _rows(
        conn,
        f"""select census_year, {", ".join(columns)} from {INDICATORS_RELATION}
            where area_type = 'borough' and la_code = ? order by census_year""",
        [la_code],
    )
    published = _rows(
        conn,
        f"""select time_period, old_la_code, {", ".join(columns)} from {PUBLISHED_RELATION}
            where (geographic_level = 'Local authority' and old_la_code = ?)
               or (geographic_level = 'Regional' and region_code = ?)""",
        [la_code, LONDON_REGION_CODE],
    )
    dfe = {(int(row[0]), row[1] == la_code): row[2:] for row in published}
    result = []
    for year, *values in own:
        borough_dfe = dfe.get((int(year), True), (None,) * len(columns))
        london_dfe = dfe.get((int(year), False), (None,) * len(columns))
        result += [
            IndicatorYear(
                column,
                int(year),
                _float(values[i]),
                _float(borough_dfe[i]),
                _float(london_dfe[i]),
            )
            for i, column in enumerate(columns)
        ]
    return result


@dataclass(frozen=True)
class ColumnDescription:
    name: str
    data_type: str
    description: str


def workers_comments(conn: duckdb.DuckDBPyConnection) -> dict[str, str | None]:
    """The description of each column of fct_worker_census's contract, which dbt
    persists in the warehouse as the column's comment."""
    schema, table = WORKERS_RELATION.split(".")
    return dict(
        _rows(
            conn,
            """select column_name, comment from duckdb_columns()
               where schema_name = ? and table_name = ?""",
            [schema, table],
        )
    )


def workers_dictionary(
    conn: duckdb.DuckDBPyConnection,
    columns: Sequence[tuple[str, str]],
    comments: dict[str, str | None] | None = None,
) -> list[ColumnDescription]:
    """The data dictionary of workers.csv: each column it holds, as (name, type) (the
    left-out ones are not there), with its description (:func:`workers_comments`,
    read from ``conn`` unless given)."""
    if comments is None:
        comments = workers_comments(conn)
    return [
        ColumnDescription(name, str(kind), (comments.get(name) or "").strip())
        for name, kind in columns
    ]
