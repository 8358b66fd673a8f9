"""SYNTHETIC CSWW returns for the loader's tests: no real person, no real number.

``write_xml_return`` / ``write_csv_return`` / ``write_xlsx_return`` write a valid
return for a borough and census year with N workers into
``<incoming>/<la_code>/``; keyword arguments bend it into the bad inputs the
tests need. ``landing_text`` renders every landing row as text so that a test
can assert a value appears nowhere.
"""

from __future__ import annotations

import os
from pathlib import Path
from xml.sax.saxutils import escape

import duckdb

from liia.csww_schema import (
    REPEATED_WORKER_ITEMS,
    la_level_element,
    la_level_items,
    layout_version,
    worker_items,
)

Record = dict[str, str | list[str]]

_WORKER_VALUES: Record = {
    "AgencyWorker": "0",
    "FTE": "0.800000",
    "PersonBirthDate": "1980-01-15",
    "GenderCurrent": "1",
    "Sex": "F",
    "Ethnicity": "WBRI",
    "QualInst": ["Synthetic University"],
    "QualLevel": "1",
    "StepUpGrad": "0",
    "OrgRole": "5",
    "RoleStartDate": "2019-10-01",
    "StartOrigin": "1",
    "FTE30": "0.800000",
    "Cases30": "12",
    "WorkingDaysLost": "3.50",
    "ContractWeeks": ["52.0", "10.0"],
    "FrontlineGrad": "0",
    "Absat30Sept": ["0"],
    "ReasonAbsence": ["SIC", "TRN"],
    "CFKSSstatus": ["1"],
    "BaseSalary": "42000.00",
    "RRPayments": "0.00",
    "OtherPayments": "0.00",
}

_LA_VALUES: dict[str, str] = {
    "NumberOfVacancies": "12.50",
    "NoAgencyFTE": "8.00",
    "NoAgencyHeadcount": "9",
    "RecruitmentBonus": "1",
    "RetentionBonus": "0",
    "PerformanceAward": "2",
    "CarAllowance": "0",
    "RelocationPackage": "0",
    "RegionalWeighting": "1",
    "CostSWE": "1",
    "CostDBS": "1",
    "OtherAllowances": "Synthetic allowance",
}


def synthetic_swe(la_code: str, index: int) -> str:
    """A synthetic SWE number (SW9 + borough + index): never a real registration."""
    return f"SW9{la_code}{index:05d}"


def synthetic_workers(la_code: str, year: int, count: int) -> list[Record]:
    """``count`` synthetic worker records in the layout of ``year`` (DfE item order)."""
    items = worker_items(layout_version(year))
    workers = []
    for index in range(1, count + 1):
        values = dict(_WORKER_VALUES, SWENo=synthetic_swe(la_code, index))
        workers.append({item: values[item] for item in items if item in values})
    return workers


def synthetic_la_level(year: int) -> dict[str, str]:
    return {item: _LA_VALUES[item] for item in la_level_items(layout_version(year))}


def _item_xml(item: str, value: str | list[str]) -> str:
    values = value if isinstance(value, list) else [value]
    return "".join(f"<{item}>{escape(v)}</{item}>" for v in values)


def xml_return_text(
    la_code: str,
    year: int,
    workers: list[Record],
    *,
    header_year: int | str | None = "same",
    reference_date: bool = True,
    lea: str | None = "same",
    la_level: dict[str, str] | None = None,
    la_level_name: str | None = None,
    declaration: str = '<?xml version="1.0" encoding="UTF-8"?>',
) -> str:
    """The text of a synthetic XML return."""
    header_year = year if header_year == "same" else header_year
    lea = la_code if lea == "same" else lea
    details = "<Collection>CSWW</Collection>"
    if header_year is not None:
        details += f"<Year>{header_year}</Year>"
        if reference_date:
            details += f"<ReferenceDate>{header_year}-09-30</ReferenceDate>"
    source = f"<Source><SourceLevel>L</SourceLevel><LEA>{lea}</LEA></Source>" if lea else ""
    header = f"<Header><CollectionDetails>{details}</CollectionDetails>{source}</Header>"
    la_level = synthetic_la_level(year) if la_level is None else la_level
    la_name = la_level_name or la_level_element(layout_version(year))
    la_xml = (
        f"<{la_name}>" + "".join(_item_xml(k, v) for k, v in la_level.items()) + f"</{la_name}>"
    )
    body = "\n".join(
        "<CSWWWorker>" + "".join(_item_xml(k, v) for k, v in w.items()) + "</CSWWWorker>"
        for w in workers
    )
    return f"{declaration}\n<Message>\n{header}\n{la_xml}\n{body}\n</Message>\n"


def _target(incoming: Path, la_code: str, file_name: str) -> Path:
    folder = incoming / la_code
    folder.mkdir(parents=True, exist_ok=True)
    return folder / file_name


def write_file(incoming: Path, la_code: str, name: str, content: str | bytes) -> Path:
    """Write any bytes (or UTF-8 text) to ``incoming/<la_code>/<name>``: a bad upload."""
    path = _target(incoming, la_code, name)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def write_xml_return(
    incoming: Path,
    la_code: str,
    year: int,
    count: int = 3,
    *,
    file_name: str | None = None,
    workers: list[Record] | None = None,
    mtime: float | None = None,
    **options,
) -> Path:
    """Write a synthetic XML return to ``incoming/<la_code>/<file_name>``."""
    workers = synthetic_workers(la_code, year, count) if workers is None else workers
    path = _target(incoming, la_code, file_name or f"csww_{year}.xml")
    path.write_text(xml_return_text(la_code, year, workers, **options), encoding="utf-8")
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def _cell(value: str | list[str]) -> str:
    return ";".join(value) if isinstance(value, list) else value


def table_rows(year: int, workers: list[Record], la_level: bool = True) -> list[list[str]]:
    """Header and rows of a table return; LA-level items as columns (first row only)."""
    items = list(worker_items(layout_version(year)))
    la_items = list(la_level_items(layout_version(year))) if la_level else []
    la_values = synthetic_la_level(year)
    rows = [items + la_items]
    for index, worker in enumerate(workers):
        row = [_cell(worker[item]) if item in worker else "" for item in items]
        row += [la_values[item] if index == 0 else "" for item in la_items]
        rows.append(row)
    return rows


def write_csv_return(
    incoming: Path,
    la_code: str,
    year: int,
    count: int = 3,
    *,
    file_name: str | None = None,
    rows: list[list[str]] | None = None,
    encoding: str = "utf-8",
) -> Path:
    """Write a synthetic CSV return (``;`` between repeated values)."""
    import csv
    import io

    rows = table_rows(year, synthetic_workers(la_code, year, count)) if rows is None else rows
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path = _target(incoming, la_code, file_name or f"csww_{year}.csv")
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx_return(
    incoming: Path,
    la_code: str,
    year: int,
    count: int = 3,
    *,
    file_name: str | None = None,
    rows: list[list[object]] | None = None,
    la_level_sheet: bool = False,
) -> Path:
    """Write a synthetic XLSX return: a CSWWWorker sheet, optionally an LALevel sheet."""
    from openpyxl import Workbook

    workers = synthetic_workers(la_code, year, count)
    if rows is None:
        rows = table_rows(year, workers, la_level=not la_level_sheet)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "CSWWWorker"
    for row in rows:
        sheet.append(row)
    if la_level_sheet:
        la_sheet = workbook.create_sheet("LALevel")
        values = synthetic_la_level(year)
        la_sheet.append(list(values))
        la_sheet.append(list(values.values()))
    path = _target(incoming, la_code, file_name or f"csww_{year}.xlsx")
    workbook.save(path)
    return path


def is_repeated(item: str) -> bool:
    return item in REPEATED_WORKER_ITEMS


def landing_text(landing: Path) -> str:
    """Every row of every landing table as one text, to search for values that must be absent."""
    conn = duckdb.connect(str(landing), read_only=True)
    try:
        tables = [
            name
            for (name,) in conn.execute(
                "select table_name from information_schema.tables where table_schema = 'csww'"
            ).fetchall()
        ]
        parts = []
        for table in tables:
            parts.append(repr(conn.execute(f"select * from csww.{table}").fetchall()))
        return "\n".join(parts)
    finally:
        conn.close()
