"""Read a CSWW return sent as CSV or XLSX: one row per worker, XML item names as headers.

How a table carries what XML carries (the rules boroughs are given):

- **Header row**: the first non-empty row holds item names, matched to the DfE
  XML names ignoring case and surrounding spaces (``swe no`` does not match,
  ``SWENO`` does). Columns whose name is not on the allow-list are dropped and
  only their names recorded; a header in which no name is an item is rejected
  (the header row is probably missing, and its "names" would be values).
- **Every value is text**, exactly as written: ``01`` stays ``01``. An empty
  cell is an absent item (NULL); a table cannot say "present but empty".
  XLSX cells typed by Excel are turned back into text: whole numbers without
  ``.0``, other numbers in their shortest form, dates as ``YYYY-MM-DD``.
- **Repeated items** (``QualInst``, ``ContractWeeks``, ``Absat30Sept``,
  ``ReasonAbsence``, ``CFKSSstatus``): several values in one cell separated by
  ``;`` (spaces around each value are trimmed), and/or the same header given
  in several columns; the values are landed as a list in that order.
- **LA-level items** (``NumberOfVacancies`` …): either columns with those names
  in the worker table (the first non-empty value down the column is landed; a
  different value further down is noted), or, in an XLSX, a sheet named
  ``LALevel`` or ``LALevelVacancies`` holding a header row of LA-level item
  names and one row of values (the sheet wins over columns). A row that holds
  LA-level values and no worker item is not a worker record.
- **Sheets** (XLSX): workers are on the sheet named ``CSWWWorker`` if there is
  one, otherwise on the first sheet that is not the LA-level sheet; a sheet
  named ``Header`` is read for header items only; other sheets are ignored
  (noted by name). Two worker, LA-level or Header sheets (names compared
  ignoring case and spaces) reject the workbook: exactly one of each.
- **CSV delimiter**: comma; a header line with no comma but tabs (or
  semicolons) is read as tab- (or semicolon-) separated.
- Rows that are entirely empty are skipped; records are numbered 1, 2, … in
  the order of the rows that hold worker items.
- **Header items**: a column (or LA-level / ``Header`` sheet cell) for the
  borough, the census year or the reference date is read, never dropped:
  names are matched ignoring case, spaces, ``_``, ``-`` and ``.`` (``LEA``,
  ``LA``, ``LA code``, ``Local Authority``…; ``Year``, ``Census year``…;
  ``ReferenceDate``, ``Census date``…). Every borough a file names must be its
  folder's (the loader checks, as for an XML header; one naming another
  borough is a data-protection incident), and a file may name one year and
  one reference date only, which are cross-checked with the file name like an
  XML header's.
- **Size**: a sheet or CSV may hold at most :data:`MAX_ROWS` rows and
  :data:`MAX_COLUMNS` columns of values; a value beyond rejects the file. An
  XLSX sheet's declared dimension is never trusted (a spoofed ``A1:XFD1048576``
  costs nothing): only the cells it really holds are read.
"""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from liia.csww_schema import ALL_LA_LEVEL_ITEMS, ALL_WORKER_ITEMS, REPEATED_WORKER_ITEMS
from liia.load.parsed_return import (
    FileRejected,
    LoadNote,
    ParsedReturn,
    RecordBuilder,
    WorkerRecord,
    redact,
    screened_item_name,
)
from liia.load.xlsx_archive import check_xlsx_archive

REPEAT_SEPARATOR = ";"
LA_LEVEL_SHEETS = ("lalevel", "lalevelvacancies")
WORKER_SHEET = "cswwworker"
HEADER_SHEET = "header"
_WORKER_NAMES = {item.lower(): item for item in ALL_WORKER_ITEMS}
_LA_NAMES = {item.lower(): item for item in ALL_LA_LEVEL_ITEMS}
# A CSWW return has a few thousand workers; a sheet past this is not a return.
MAX_ROWS = 100_000
# Every item (repeated ones in several columns), header items, and room for extras.
MAX_COLUMNS = len(ALL_WORKER_ITEMS) + len(ALL_LA_LEVEL_ITEMS) + 200
# Header items a table may carry, by their name with case, spaces and _-. removed.
_HEADER_NAMES = {
    **dict.fromkeys(
        (
            "lea",
            "la",
            "lacode",
            "leacode",
            "lanumber",
            "leanumber",
            "lano",
            "leano",
            "laname",
            "localauthority",
            "localauthoritycode",
            "localauthoritynumber",
            "localauthorityname",
            "dfelacode",
            "dfenumber",
            "authority",
            "authoritycode",
            "borough",
            "boroughcode",
        ),
        "LEA",
    ),
    **dict.fromkeys(("year", "censusyear", "collectionyear", "returnyear", "yearofcensus"), "Year"),
    **dict.fromkeys(
        ("referencedate", "refdate", "censusdate", "censusreferencedate", "collectiondate"),
        "ReferenceDate",
    ),
}

Cell = str | None


def _plan_columns(
    header: Sequence[Cell], rows_have_values: Sequence[bool], parsed: ParsedReturn
) -> list[tuple[int, str, str]]:
    """(position, item, kind) for every header that is an item; kind is worker or la."""
    plan: list[tuple[int, str, str]] = []
    for position, raw in enumerate(header):
        name = (raw or "").strip()
        key = name.lower()
        if key in _WORKER_NAMES:
            plan.append((position, _WORKER_NAMES[key], "worker"))
        elif key in _LA_NAMES:
            plan.append((position, _LA_NAMES[key], "la"))
        elif _header_item(name) is not None:
            plan.append((position, name, "header"))
        elif name or (position < len(rows_have_values) and rows_have_values[position]):
            parsed.dropped_items.add(screened_item_name(name, f"column {position + 1}"))
    if all(kind == "header" for _, _, kind in plan):
        parsed.dropped_items.clear()
        raise FileRejected(
            "the header row names no CSWW item (is the header row missing?); "
            "a table return needs a first row of XML item names"
        )
    return plan


def _header_item(name: str) -> str | None:
    """``LEA``, ``Year`` or ``ReferenceDate`` when a column name is one of them."""
    return _HEADER_NAMES.get("".join(c for c in name.lower() if c.isalnum()))


class _HeaderValues:
    """Borough, year and reference date values a table holds, with where they were."""

    def __init__(self) -> None:
        self.values: dict[str, dict[str, str]] = {"LEA": {}, "Year": {}, "ReferenceDate": {}}

    def add(self, name: str, value: str, where: str) -> None:
        item = _header_item(name)
        value = value.strip()
        if item is not None and value:
            self.values[item].setdefault(value, f"{where} {redact(name.strip(), 40)!r}")

    def apply(self, parsed: ParsedReturn) -> None:
        """Put them on the parsed return; a table naming two years or dates is rejected."""
        for value, where in self.values["LEA"].items():
            parsed.borough_claims.append((where, value))
            if parsed.header_lea is None:
                parsed.header_lea = value
        for item in ("Year", "ReferenceDate"):
            found = self.values[item]
            if len(found) > 1:
                shown = ", ".join(repr(redact(v, 20)) for v in sorted(found)[:5])
                raise FileRejected(
                    f"the table gives more than one {item} ({shown}); a return is for one "
                    "census year",
                    item=item,
                )
        if self.values["Year"]:
            parsed.header_year = next(iter(self.values["Year"]))
        if self.values["ReferenceDate"]:
            parsed.header_reference_date = next(iter(self.values["ReferenceDate"]))


def _is_blank(row: Sequence[Cell]) -> bool:
    return all(cell is None or not cell.strip() for cell in row)


def _split_repeated(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(REPEAT_SEPARATOR)]


def _land_rows(
    header: Sequence[Cell],
    rows: list[Sequence[Cell]],
    parsed: ParsedReturn,
    header_values: _HeaderValues,
) -> None:
    """Turn table rows into worker records and LA-level values."""
    width = max((len(row) for row in rows), default=0)
    filled = [any(i < len(row) and row[i] not in (None, "") for row in rows) for i in range(width)]
    plan = _plan_columns(header, filled, parsed)
    if width > len(header) and any(filled[len(header) :]):
        parsed.notes.append(
            LoadNote(
                f"some rows have more cells than the header names ({len(header)}); "
                "the extra cells were dropped"
            )
        )
    builder = RecordBuilder(parsed)
    workers = parsed.workers
    la_values: dict[str, str] = {}
    la_conflicts: set[str] = set()
    for row in rows:
        record: WorkerRecord = {}
        record_number = workers.count + 1
        for position, item, kind in plan:
            cell = row[position] if position < len(row) else None
            if cell is None or cell == "":
                continue
            if kind == "header":
                header_values.add(item, cell, "column")
            elif kind == "la":
                parsed.la_level_items_seen.add(item)
                if item not in la_values:
                    la_values[item] = cell
                elif la_values[item] != cell:
                    la_conflicts.add(item)
            elif item in REPEATED_WORKER_ITEMS:
                for value in _split_repeated(cell):
                    builder.add(record, item, value, record_number)
            else:
                builder.add(record, item, cell, record_number)
        if record:
            parsed.worker_items_seen.update(record)
            workers.append(record)
    builder.finish()
    if la_values and parsed.la_level_element is None:
        parsed.la_level_element = "columns"
        parsed.la_level.update(la_values)
        for item in sorted(la_conflicts):
            parsed.notes.append(
                LoadNote(
                    f"LA-level column {item} holds different values in different rows; "
                    "the first was landed",
                    item=item,
                )
            )
    if workers.count == 0:
        raise FileRejected("the return has no worker rows (no CSWWWorker record)")


def _split_header(rows: Iterable[Sequence[Cell]]) -> tuple[Sequence[Cell], list[Sequence[Cell]]]:
    iterator = iter(rows)
    for row in iterator:
        if not _is_blank(row):
            return row, [r for r in iterator if not _is_blank(r)]
    raise FileRejected("the table holds no header row and no records")


def _csv_delimiter(first_line: str) -> str:
    if "," in first_line:
        return ","
    if "\t" in first_line:
        return "\t"
    return ";" if ";" in first_line else ","


def read_csv_return(path: Path) -> ParsedReturn:
    """Read a UTF-8 CSV return (its encoding was checked before)."""
    parsed = ParsedReturn(file_format="csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        first_line = handle.readline()
        handle.seek(0)
        reader = csv.reader(handle, delimiter=_csv_delimiter(first_line), strict=True)
        try:
            rows = list(_bounded(reader, "the CSV"))
        except csv.Error as error:
            raise FileRejected(f"malformed CSV: {redact(str(error))}") from None
    header, data = _split_header(rows)
    header_values = _HeaderValues()
    _land_rows(header, data, parsed, header_values)
    header_values.apply(parsed)
    return parsed


def _bounded(rows: Iterable[Sequence[Cell]], what: str) -> Iterator[Sequence[Cell]]:
    """The rows, refusing a table larger than any return (:data:`MAX_ROWS`, :data:`MAX_COLUMNS`)."""
    for number, row in enumerate(rows, start=1):
        if number > MAX_ROWS and not _is_blank(row):
            raise FileRejected(
                f"{what} holds values beyond row {MAX_ROWS} (row {number}): no return is "
                "that large; refused without reading further"
            )
        if len(row) > MAX_COLUMNS and not _is_blank(row[MAX_COLUMNS:]):
            raise FileRejected(
                f"{what} holds values beyond column {MAX_COLUMNS} (row {number}): no return "
                "is that wide; refused",
                record_number=None,
            )
        yield row[:MAX_COLUMNS]


def _cell_text(value: object) -> Cell:
    """An XLSX cell value as the text a borough typed."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _sheet_rows(sheet: object) -> Iterator[list[Cell]]:
    """A read-only sheet's rows as text, reading only the cells the sheet holds.

    openpyxl pads every row to the sheet's declared dimension and yields every
    missing row up to the last one, so a spoofed ``A1:XFD1048576`` (or one real
    cell there) means billions of empty cells. This reads the sheet's rows as
    its read-only worksheet does (``WorkSheetParser``, openpyxl 3.1) without the
    padding, and stops at the first value beyond :data:`MAX_ROWS` /
    :data:`MAX_COLUMNS` (openpyxl's private parser: pinned by the XLSX tests).
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    title = redact(str(sheet.title), 40)  # type: ignore[attr-defined]
    workbook = sheet.parent  # type: ignore[attr-defined]
    with sheet._get_source() as source:  # type: ignore[attr-defined]
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,  # type: ignore[attr-defined]
            data_only=workbook.data_only,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for row_number, cells in parser.parse():
            values = {
                cell["column"]: cell["value"] for cell in cells if cell["value"] not in (None, "")
            }
            if not values:
                continue  # empty (styled) cells: nothing to read, wherever they are
            where = f"sheet {title!r} holds a value at row {row_number}, column {max(values)}"
            if row_number > MAX_ROWS:
                raise FileRejected(
                    f"{where}, beyond row {MAX_ROWS}: no return is that large (a spoofed or "
                    "absurd sheet extent); refused without reading further"
                )
            if max(values) > MAX_COLUMNS:
                raise FileRejected(
                    f"{where}, beyond column {MAX_COLUMNS}: no return is that wide (a spoofed "
                    "or absurd sheet extent); refused without reading further"
                )
            row: list[Cell] = [None] * max(values)
            for column, value in values.items():
                row[column - 1] = _cell_text(value)
            yield row


def _read_header_sheet(sheet: object, header_values: _HeaderValues) -> None:
    """A ``Header`` sheet: a row of header item names and a row of values."""
    header, data = _split_header(_sheet_rows(sheet))
    where = f"sheet {redact(str(sheet.title), 40)!r} cell"  # type: ignore[attr-defined]
    for row in data:
        for position, raw in enumerate(header):
            cell = row[position] if position < len(row) else None
            if raw and cell:
                header_values.add(raw, cell, where)


def _read_la_sheet(sheet: object, parsed: ParsedReturn, header_values: _HeaderValues) -> None:
    header, data = _split_header(_sheet_rows(sheet))
    values = data[0] if data else []
    parsed.la_level_element = str(sheet.title)  # type: ignore[attr-defined]
    where = f"sheet {redact(parsed.la_level_element, 40)!r} cell"
    for row in data:  # a borough or year named in any row is checked
        for position, raw in enumerate(header):
            cell = row[position] if position < len(row) else None
            if raw and cell and _header_item(raw) is not None:
                header_values.add(raw, cell, where)
    for position, raw in enumerate(header):
        name = (raw or "").strip()
        item = _LA_NAMES.get(name.lower())
        if item is None:
            if name and _header_item(name) is None:
                parsed.dropped_items.add(screened_item_name(name, f"column {position + 1}"))
            continue
        cell = values[position] if position < len(values) else None
        if cell not in (None, ""):
            parsed.la_level_items_seen.add(item)
            parsed.la_level[item] = cell
    if len(data) > 1:
        parsed.notes.append(
            LoadNote(
                f"the LA-level sheet {parsed.la_level_element!r} has more than one row "
                "of values; the first was landed"
            )
        )


def _one_sheet_each(worksheets: Sequence[object]) -> None:
    """A workbook gives its workers, its LA-level values and its header once each."""
    kinds = {WORKER_SHEET: "worker", HEADER_SHEET: "Header"}
    kinds.update(dict.fromkeys(LA_LEVEL_SHEETS, "LA-level"))
    seen: dict[str, list[str]] = {}
    for sheet in worksheets:
        title = str(sheet.title)  # type: ignore[attr-defined]
        kind = kinds.get(title.strip().lower())
        if kind is not None:
            seen.setdefault(kind, []).append(redact(title, 40))
    for kind, titles in seen.items():
        if len(titles) > 1:
            raise FileRejected(
                f"the workbook has more than one {kind} sheet ({', '.join(map(repr, titles))}); "
                "exactly one is expected"
            )


def read_xlsx_return(path: Path) -> ParsedReturn:
    """Read an XLSX return with openpyxl in read-only mode, once its archive is checked
    (:mod:`liia.load.xlsx_archive`: no zip bombs)."""
    from openpyxl import load_workbook

    parsed = ParsedReturn(file_format="xlsx")
    try:
        check_xlsx_archive(path)
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError) as error:
        raise FileRejected(
            f"not a readable XLSX workbook ({type(error).__name__}: {redact(str(error), 120)})"
        ) from None
    try:
        sheets = {sheet.title.strip().lower(): sheet for sheet in workbook.worksheets}
        _one_sheet_each(workbook.worksheets)
        la_sheet = next((sheets[name] for name in LA_LEVEL_SHEETS if name in sheets), None)
        worker_sheet = sheets.get(WORKER_SHEET) or next(
            (sheet for sheet in workbook.worksheets if sheet is not la_sheet), None
        )
        if worker_sheet is None:
            raise FileRejected("the workbook has no worker sheet (no CSWWWorker record)")
        header_values = _HeaderValues()
        if la_sheet is not None:
            _read_la_sheet(la_sheet, parsed, header_values)
        header_sheet = sheets.get(HEADER_SHEET)
        if header_sheet is not None and header_sheet not in (worker_sheet, la_sheet):
            _read_header_sheet(header_sheet, header_values)
        for sheet in workbook.worksheets:
            if sheet not in (worker_sheet, la_sheet, header_sheet):
                parsed.notes.append(
                    LoadNote(f"sheet {redact(sheet.title, 40)!r} was ignored (not read)")
                )
        header, data = _split_header(_sheet_rows(worker_sheet))
        _land_rows(header, data, parsed, header_values)
        header_values.apply(parsed)
    finally:
        workbook.close()
    return parsed
