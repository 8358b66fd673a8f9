"""No text cell of any CSV or XLSX the project writes is evaluated by a spreadsheet."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook, load_workbook

from liia.config import Settings
from liia.export.packs import export_all
from liia.export.safe_csv import (
    FORMULA_PREFIXES,
    append_xlsx_row,
    neutralise_cell,
    neutralise_sql,
    set_xlsx_cell,
    write_csv,
)
from tests.python.export.small_home import small_home

# One text value per formula prefix OWASP lists, and text that must stay as it is.
FORMULA_TEXT = ["=1+1", "+SUM(A1:A9)", "-2+3", "@SUM(A1)", "\t=cmd", "\r=cmd"]
PLAIN_TEXT = ["White British", "1.5", "", "'=already", " =leading space", "x=1"]


@pytest.mark.parametrize("value", FORMULA_TEXT)
def test_text_starting_like_a_formula_gets_a_leading_quote(value: str) -> None:
    assert neutralise_cell(value) == "'" + value


@pytest.mark.parametrize("value", [*PLAIN_TEXT, None, -1, -0.5, Decimal("-1.50"), True])
def test_plain_text_and_real_numbers_are_left_alone(value: object) -> None:
    assert neutralise_cell(value) == value


def test_sql_and_python_neutralise_the_same_way() -> None:
    """One rule (FORMULA_PREFIXES) rendered for DuckDB: the two never disagree."""
    assert set(FORMULA_PREFIXES) == {"=", "+", "-", "@", "\t", "\r"}
    conn = duckdb.connect()
    for value in [*FORMULA_TEXT, *PLAIN_TEXT, None]:
        sql = f"select {neutralise_sql('v')} from (select ?::varchar as v)"
        assert conn.execute(sql, [value]).fetchone()[0] == neutralise_cell(value), repr(value)


def test_write_csv_neutralises_text_of_relations_and_rows(tmp_path: Path) -> None:
    rel = duckdb.sql(
        "select * from (values ('=1+1', -1.5::decimal(9,2), -3, ['=x'])) t(code, fte, n, items)"
    )
    assert write_csv(rel, tmp_path / "rel.csv") == 1
    assert (tmp_path / "rel.csv").read_text().splitlines() == [
        "code,fte,n,items",
        "'=1+1,-1.50,-3,['=x']",  # numbers stay numbers; a list cell starts with '['
    ]
    assert write_csv([["@x", -2, None]], tmp_path / "rows.csv", ["=head", "n", "none"]) == 1
    with (tmp_path / "rows.csv").open(newline="") as handle:
        assert list(csv.reader(handle)) == [["'=head", "n", "none"], ["'@x", "-2", ""]]
    with pytest.raises(ValueError, match=r"rows\.csv.*header"):
        write_csv([["x"]], tmp_path / "rows.csv")


def test_a_failed_csv_write_leaves_the_previous_file(tmp_path: Path) -> None:
    path = tmp_path / "index.csv"
    write_csv([["before"]], path, ["value"])

    def rows():
        yield ["after"]
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_csv(rows(), path, ["value"])
    assert path.read_text().splitlines() == ["value", "before"]
    assert [p.name for p in tmp_path.iterdir()] == ["index.csv"]  # no partial file left


def test_xlsx_cells_written_through_the_helper_are_inert(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    append_xlsx_row(sheet, ['=HYPERLINK("http://x")', -2.5, "plain"])
    set_xlsx_cell(sheet, 2, 1, "@SUM(A1)")
    sheet.append(["=1+1"])  # without the helper openpyxl stores a formula
    workbook.save(tmp_path / "book.xlsx")
    cells = load_workbook(tmp_path / "book.xlsx").active
    assert (cells["A1"].data_type, cells["A1"].value) == ("s", '\'=HYPERLINK("http://x")')
    assert (cells["B1"].data_type, cells["B1"].value) == ("n", -2.5)
    assert (cells["A2"].data_type, cells["A2"].value) == ("s", "'@SUM(A1)")
    assert cells["A3"].data_type == "f"  # the control: what the helper prevents


def _plant_formula_values(settings: Settings) -> None:
    """Values a careless or hostile borough could send, as they reach the marts."""
    conn = duckdb.connect(str(settings.warehouse_path))
    conn.execute("alter table marts.fct_worker_census add column ethnicity varchar")
    conn.execute(
        "update marts.fct_worker_census set ethnicity = '=HYPERLINK(\"http://evil\")', "
        "fte30 = -0.5 where la_code = '201' and record_number = 1"
    )
    conn.execute("alter table marts.fct_la_level add column other_allowances varchar")
    conn.execute("update marts.fct_la_level set other_allowances = '+cmd|'' /C calc''!A0'")
    conn.execute(
        "update marts.fct_dq_findings set item = '-Ethnicity', message = '@SUM(1+1)*cmd' "
        "where la_code = '201'"
    )
    conn.execute(
        "update marts.fct_dq_item_completeness set item_name = '\t=x' where la_code = '201'"
    )
    conn.close()


def _cells(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_no_pack_csv_holds_a_formula_a_spreadsheet_would_run(tmp_path: Path) -> None:
    settings = small_home(tmp_path)
    _plant_formula_values(settings)
    summary = export_all(settings)
    assert {p.la_code for p in summary.packs} == {"201", "202"}
    pack = settings.exports_dir / "la" / "201" / "2024"
    csvs = [*pack.glob("*.csv"), settings.reports_dir / "borough_packs.csv"]
    assert {p.name for p in csvs} == {
        "workers.csv",
        "la_level.csv",
        "findings.csv",
        "item_completeness.csv",
        "borough_packs.csv",
    }
    for path in csvs:
        for row in _cells(path):
            for cell in row:
                assert not cell.startswith(FORMULA_PREFIXES) or _is_number(cell), (path, cell)
    workers = {row[1]: row for row in _cells(pack / "workers.csv")}
    header = _cells(pack / "workers.csv")[0]
    assert workers["1"][header.index("ethnicity")] == '\'=HYPERLINK("http://evil")'
    assert workers["1"][header.index("fte30")] == "-0.5"  # a real negative number, untouched
    assert _cells(pack / "la_level.csv")[1][-1] == "'+cmd|' /C calc'!A0"
    assert _cells(pack / "findings.csv")[1][3:] == [
        "'-Ethnicity",
        "FMT_CODE",
        "error",
        "'@SUM(1+1)*cmd",
    ]
    assert _cells(pack / "item_completeness.csv")[1][0] == "'\t=x"
    # the typed Parquet copy keeps the value as sent (no spreadsheet evaluates it)
    parquet = duckdb.sql(f"select ethnicity from '{pack / 'workers.parquet'}' where fte30 < 0")
    assert parquet.fetchall() == [('=HYPERLINK("http://evil")',)]


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True
