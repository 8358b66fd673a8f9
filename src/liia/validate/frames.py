"""What Great Expectations receives: distinct values computed by DuckDB, never a whole table.

A column check without ``mostly`` (between, in set, not in set, match or not
match a regex, be null) passes on every row exactly when it passes on every
distinct value of the column(s) it names: a row fails only through its values,
and each distinct value (or tuple, with the columns of a row condition) stands
for all its rows. So DuckDB reads, where the data lies, only
``select distinct <those columns>`` (a row condition of the form
``column IN (...)`` is applied there too), and GX validates that small frame.
A count of unexpected values in a result is therefore a count of distinct
values, not of rows. A column-set check needs the names of the columns only.

The checks of one suite share one frame, so that a suite stays one GX
ValidationDefinition: each group of columns holds its own distinct tuples, and
is padded with nulls to the longest group. Every check here ignores a null (or,
``be null``, passes it), so the padding changes no outcome and no count. A check
that needs every row (not null, unique, a pair of columns compared, row counts,
``mostly``) is refused: it belongs to dbt (a contract or a data test), which
runs it in the warehouse.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import duckdb
import great_expectations.expectations as gxe
import numpy as np
import pandas as pd
from great_expectations.expectations.row_conditions import (
    AndCondition,
    ComparisonCondition,
    Condition,
    NullityCondition,
    OrCondition,
)

# Checks whose outcome on the distinct values is their outcome on all rows, and
# which a null passes (so the padding of a shared frame is safe).
DISTINCT_VALUE_CHECKS: tuple[type[gxe.Expectation], ...] = (
    gxe.ExpectColumnValuesToBeBetween,
    gxe.ExpectColumnValuesToBeInSet,
    gxe.ExpectColumnValuesToNotBeInSet,
    gxe.ExpectColumnValuesToMatchRegex,
    gxe.ExpectColumnValuesToNotMatchRegex,
    gxe.ExpectColumnValuesToBeNull,
)
# Checks that read the column names only.
SCHEMA_CHECKS: tuple[type[gxe.Expectation], ...] = (gxe.ExpectTableColumnsToMatchSet,)


class UnsupportedExpectation(ValueError):
    """An expectation that needs every row of a table: dbt's job, not GX's here."""


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_relation(relation: str) -> str:
    return ".".join(quote_identifier(part) for part in relation.split("."))


def _condition_columns(condition: Condition) -> list[str]:
    if isinstance(condition, ComparisonCondition | NullityCondition):
        return [condition.column.name]
    if isinstance(condition, AndCondition | OrCondition):
        return [name for part in condition.conditions for name in _condition_columns(part)]
    raise UnsupportedExpectation(f"row condition {condition!r} is not one DuckDB can read")


def columns_named(expectation: gxe.Expectation) -> tuple[str, ...]:
    """The columns a distinct-value check reads: its column and its row condition's."""
    condition = expectation.row_condition
    if condition is not None and not isinstance(condition, Condition):
        raise UnsupportedExpectation(
            f"{expectation.expectation_type}: only structured row conditions "
            "(great_expectations.expectations.row_conditions) can be read in DuckDB"
        )
    extra = _condition_columns(condition) if condition is not None else []
    return tuple(dict.fromkeys([expectation.column, *extra]))


def check_supported(expectation: gxe.Expectation) -> None:
    """Raise UnsupportedExpectation unless ``expectation`` can run on distinct values."""
    kind = type(expectation)
    if kind in SCHEMA_CHECKS:
        return
    if kind not in DISTINCT_VALUE_CHECKS:
        raise UnsupportedExpectation(
            f"{expectation.expectation_type} needs every row of the table (or fails on "
            "the nulls that pad a shared frame): write it as a dbt contract or data test"
        )
    if expectation.mostly != 1:
        raise UnsupportedExpectation(
            f"{expectation.expectation_type} on {expectation.column}: 'mostly' counts rows, "
            "which a frame of distinct values cannot: write it as a dbt test"
        )
    columns_named(expectation)


def _pushdown(condition: Condition | None) -> tuple[str, list[object]] | None:
    """SQL for a ``column IN (values)`` condition; None for any other (then the
    condition's columns are read too, and GX applies it)."""
    if not isinstance(condition, ComparisonCondition):
        return None
    operator = str(getattr(condition.operator, "value", condition.operator))
    values = condition.parameter
    if operator != "IN" or not isinstance(values, list) or not values:
        return None
    if not all(isinstance(value, str) for value in values):
        return None  # a string list compares alike in pandas and DuckDB; others may not
    marks = ", ".join("?" for _ in values)
    return f"{quote_identifier(condition.column.name)} in ({marks})", list(values)


@dataclass
class _Group:
    """Columns read together (a check and its row condition's), and those checks."""

    columns: list[str]
    checks: list[gxe.Expectation]

    def where(self) -> tuple[str, list[object]] | None:
        # A filter is read in DuckDB only when every check of the group has it.
        conditions = [check.row_condition for check in self.checks]
        first = conditions[0]
        if first is None or any(condition != first for condition in conditions[1:]):
            return None
        return _pushdown(first)


def _groups(expectations: Iterable[gxe.Expectation], present: set[str]) -> list[_Group]:
    """Checks grouped so that no column is in two groups (a column's values are
    then one list of distinct values or tuples, and no count is doubled)."""
    groups: list[_Group] = []
    for check in expectations:
        columns = [column for column in columns_named(check) if column in present]
        if not columns:
            continue  # a missing column: GX reports it on the frame without it
        merged = _Group(columns=list(columns), checks=[check])
        for group in [g for g in groups if set(g.columns) & set(columns)]:
            groups.remove(group)
            merged.columns = list(dict.fromkeys([*group.columns, *merged.columns]))
            merged.checks = [*group.checks, *merged.checks]
        groups.append(merged)
    return groups


def _distinct(conn: duckdb.DuckDBPyConnection, relation: str, group: _Group) -> pd.DataFrame:
    columns = ", ".join(quote_identifier(column) for column in group.columns)
    sql = f"select distinct {columns} from {quote_relation(relation)}"
    params: list[object] = []
    where = group.where()
    if where is not None:
        sql += f" where {where[0]}"
        params = where[1]
    return conn.execute(sql, params).df()


def _null_column(rows: int) -> pd.Categorical:
    # One byte a row: a column that only has to be there for a column-set check.
    return pd.Categorical.from_codes(np.full(rows, -1, dtype=np.int8), categories=[])


def value_frame(
    conn: duckdb.DuckDBPyConnection,
    relation: str,
    relation_columns: Sequence[str],
    expectations: Sequence[gxe.Expectation],
) -> pd.DataFrame:
    """The frame GX validates for these checks on ``relation`` (whose columns, in
    order, are ``relation_columns``): the distinct values of every column a check
    names, and, when a check reads the column set, every other column as nulls."""
    for expectation in expectations:
        check_supported(expectation)
    value_checks = [e for e in expectations if type(e) in DISTINCT_VALUE_CHECKS]
    parts = [
        _distinct(conn, relation, group).reset_index(drop=True)
        for group in _groups(value_checks, set(relation_columns))
    ]
    frame = pd.concat(parts, axis=1) if parts else pd.DataFrame()
    if not any(type(e) in SCHEMA_CHECKS for e in expectations):
        return frame
    rows = len(frame)
    return pd.DataFrame(
        {
            column: frame[column] if column in frame.columns else _null_column(rows)
            for column in relation_columns
        },
        index=pd.RangeIndex(rows),
    )
