"""``report.xlsx`` of a borough pack: the report's summary, findings and completeness
as Excel tables an officer can sort and filter.

Sheets: Summary, Findings (one row per finding, with its record number and what
to do next), Completeness, and Workers dictionary (the columns of workers.csv).
Every cell goes through ``liia.export.safe_csv``'s XLSX helpers, so a text cell
that looks like a formula (``=HYPERLINK(...)`` in a finding's message) is stored
as inert text. Only this borough's rows: the content is the pack's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

from liia.export.next_steps import next_step
from liia.export.pack_data import COMPLETENESS_COLUMNS, FINDINGS_COLUMNS, completeness_row
from liia.export.report import ReportContent, summary_rows, tidy_message
from liia.export.safe_csv import append_xlsx_row

XLSX_NAME = "report.xlsx"
TABLE_STYLE = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
MAX_WIDTH = 80


def _sheet(
    book: Workbook, title: str, header: Sequence[str], rows: Sequence[Sequence[Any]], wrap: int = -1
) -> None:
    """One sheet holding one filterable Excel table (header, rows), frozen under its header."""
    sheet = book.create_sheet(title)
    append_xlsx_row(sheet, header)
    for row in rows:
        append_xlsx_row(sheet, row)
    if not rows:  # an Excel table needs a data row
        append_xlsx_row(sheet, [""] * len(header))
    end = f"{get_column_letter(len(header))}{sheet.max_row}"
    table = Table(displayName=title.replace(" ", ""), ref=f"A1:{end}")
    table.tableStyleInfo = TABLE_STYLE
    sheet.add_table(table)
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header, start=1):
        values = [len(str(name))] + [len(str(r[index - 1] or "")) for r in rows[:500]]
        width = min(max(values) + 2, MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.cell(row=1, column=index).font = Font(bold=True)
        if index - 1 == wrap:
            for cell in sheet[get_column_letter(index)]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def write_pack_xlsx(content: ReportContent, path: Path) -> None:
    """Write ``report.xlsx`` for one borough-year's pack."""
    ret = content.accepted_return
    book = Workbook()
    book.remove(book.active)
    _sheet(book, "Summary", ["Item", "Value"], [list(r) for r in summary_rows(content)])
    findings = [
        [
            ret.la_code,
            ret.census_year,
            f.record_number,
            f.item,
            f.rule_id,
            f.severity,
            tidy_message(f.message),
            next_step(f.rule_id, getattr(content.rules.get(f.rule_id), "category", None)),
        ]
        for f in content.findings
    ]
    _sheet(book, "Findings", [*FINDINGS_COLUMNS, "what_to_do_next"], findings, wrap=6)
    _sheet(
        book,
        "Completeness",
        COMPLETENESS_COLUMNS,
        [
            [*row[:3], *(None if pct is None else round(pct, 1) for pct in row[3:])]
            for row in map(completeness_row, content.completeness)
        ],
    )
    _sheet(
        book,
        "Workers dictionary",
        ["column", "data_type", "description"],
        [[c.name, c.data_type, c.description] for c in content.dictionary],
        wrap=2,
    )
    partial = path.with_name(f".{path.name}.partial")
    try:
        book.save(partial)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
