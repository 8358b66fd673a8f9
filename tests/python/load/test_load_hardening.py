"""One borough's careless or hostile upload never stops, exposes or splits anyone else.

Each test names the promise it keeps. The pattern throughout: a borough that
landed before (303) is loaded first, then a bad upload (usually 301's) arrives
with a good one (302's); the bad one is rejected with its reason (or, for a
platform fault, not recorded at all), 302 lands, and 303 loses nothing.
"""

from __future__ import annotations

import errno
import os
import socket
import threading
import zipfile
from pathlib import Path

import duckdb
import pytest

from liia.load import loader as loader_module
from liia.load.landing_writer import LandingWriter
from liia.load.loader import LoadSummary
from tests.python.load.synthetic_returns import (
    synthetic_workers,
    table_rows,
    write_csv_return,
    write_file,
    write_xlsx_return,
    write_xml_return,
    xml_return_text,
)

BAD, GOOD, LANDED_BEFORE = "301", "302", "303"


@pytest.fixture
def landed_before(incoming: Path, load, query) -> list[tuple]:
    """303's 2023 return, landed in an earlier run; its rows must survive everything."""
    write_xml_return(incoming, LANDED_BEFORE, 2023, count=5)
    assert load().accepted == 1
    return _rows_of(query, LANDED_BEFORE)


def _rows_of(query, la_code: str) -> list[tuple]:
    return query(
        "select f.file_id, f.status, w.* exclude (file_id) from csww.workers as w "
        "join csww.file_register as f using (file_id) where f.la_code = ? "
        "order by f.file_id, w.record_number",
        [la_code],
    )


def _register(query, relative: str) -> list[tuple]:
    return query(
        "select status, reason, worker_rows from csww.file_register where file_path = ?",
        [relative],
    )


def _assert_only_the_bad_one_rejected(
    summary: LoadSummary, query, relative: str, reason: str, before: list[tuple]
) -> str:
    """The bad path is rejected with ``reason``; 302 lands; 303 is untouched."""
    register = _register(query, relative)
    assert len(register) == 1, (relative, register, str(summary))
    status, stored_reason, worker_rows = register[0]
    assert status == "rejected" and worker_rows == 0
    assert reason in stored_reason, stored_reason
    assert query(
        "select status, worker_rows from csww.file_register "
        "where la_code = ? and status <> 'rejected'",
        [GOOD],
    ) == [("accepted", 4)]
    assert _rows_of(query, LANDED_BEFORE) == before
    assert any(reason in line for line in str(summary).splitlines())
    return stored_reason


# -- encoding declarations -------------------------------------------------------------


@pytest.mark.parametrize(
    ("declared", "reason"),
    [
        ("utf-16", "not in that encoding"),
        ("UTF-32", "not in that encoding"),
        ("base64", "not a text encoding"),
        ("hex", "not a text encoding"),
        ("zlib", "not a text encoding"),
        ("rot13", "not a text encoding"),
        ("bz2", "not a text encoding"),
        ("idna", "not a text encoding"),
        ("utf-7", "not a text encoding"),
        ("x-no-such-codec", "unknown encoding"),
    ],
)
def test_a_utf16_declaration_on_utf8_bytes_rejects_only_that_file(
    declared, reason, incoming, load, query, landed_before
):
    declaration = f'<?xml version="1.0" encoding="{declared}"?>'
    text = xml_return_text(BAD, 2024, synthetic_workers(BAD, 2024, 2), declaration=declaration)
    write_file(incoming, BAD, "csww_2024.xml", text)  # UTF-8 bytes, no byte-order mark
    write_xml_return(incoming, GOOD, 2024, count=4)

    summary = load()

    assert (summary.accepted, summary.rejected) == (1, 1), str(summary)
    stored = _assert_only_the_bad_one_rejected(
        summary, query, f"{BAD}/csww_2024.xml", reason, landed_before
    )
    assert stored.startswith("unreadable encoding")


def test_bomless_utf16_that_declares_utf16_still_lands(incoming, load, query):
    declaration = '<?xml version="1.0" encoding="UTF-16"?>'
    for la_code, order in ((BAD, "utf-16-le"), (GOOD, "utf-16-be")):
        text = xml_return_text(
            la_code, 2024, synthetic_workers(la_code, 2024, 3), declaration=declaration
        )
        write_file(incoming, la_code, "csww_2024.xml", text.encode(order))

    summary = load()

    assert (summary.accepted, summary.rejected, summary.workers_landed) == (2, 0, 6), str(summary)


def test_any_reader_failure_becomes_that_files_rejection(
    incoming, load, query, landed_before, monkeypatch
):
    real_reader = loader_module._READERS["xml"]

    def reader(path: Path):
        if path.parent.name == BAD:
            raise RuntimeError("the reader tripped over SW9301000001")
        return real_reader(path)

    monkeypatch.setitem(loader_module._READERS, "xml", reader)
    write_xml_return(incoming, BAD, 2024)
    write_xml_return(incoming, GOOD, 2024, count=4)

    summary = load()

    stored = _assert_only_the_bad_one_rejected(
        summary, query, f"{BAD}/csww_2024.xml", "could not be read (RuntimeError", landed_before
    )
    assert "SW9301000001" not in stored  # the exception's text is redacted


def test_a_scan_that_fails_reports_the_file_and_the_batch_goes_on(
    incoming, load, query, landed_before, monkeypatch
):
    real_scan = loader_module.scan_file

    def scan(path: Path, file_format: str):
        if path.parent.name == BAD:
            raise UnicodeError("a codec nobody foresaw")
        return real_scan(path, file_format)

    monkeypatch.setattr(loader_module, "scan_file", scan)
    write_xml_return(incoming, BAD, 2024)
    write_xml_return(incoming, GOOD, 2024, count=4)

    summary = load()

    assert (summary.accepted, summary.rejected) == (1, 1)
    assert "could not scan the file (UnicodeError)" in str(summary)
    # not registered by hash: the next run (with the scan fixed) tries it again
    assert _register(query, f"{BAD}/csww_2024.xml") == []
    monkeypatch.setattr(loader_module, "scan_file", real_scan)
    assert load().accepted == 1
    assert _register(query, f"{BAD}/csww_2024.xml") == [("accepted", None, 3)]
    assert _rows_of(query, LANDED_BEFORE) == landed_before


# -- only regular files ----------------------------------------------------------------


def test_a_fifo_in_a_borough_folder_is_rejected_without_being_opened(
    incoming, load, query, landed_before
):
    (incoming / BAD).mkdir()
    fifo = incoming / BAD / "csww_2024.xml"
    os.mkfifo(fifo)
    write_xml_return(incoming, GOOD, 2024, count=4)
    # If the loader ever opened the pipe it would block: this writer then unblocks every
    # open, so a regression fails the assertions below instead of hanging the suite.
    done = threading.Event()

    def unblock() -> None:
        if done.wait(20):
            return
        while not done.is_set():
            try:
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # no reader waiting right now
                done.wait(0.2)
                continue
            os.write(fd, b"<Message/>")
            os.close(fd)

    watchdog = threading.Thread(target=unblock, daemon=True)
    watchdog.start()
    try:
        summary = load()
    finally:
        done.set()
        watchdog.join()

    _assert_only_the_bad_one_rejected(
        summary, query, f"{BAD}/csww_2024.xml", "not a regular file (a named pipe", landed_before
    )


def test_a_socket_or_device_in_a_borough_folder_is_rejected_without_being_opened(
    incoming, load, query, landed_before
):
    (incoming / BAD).mkdir()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(incoming / BAD / "csww_2024.xml"))
    try:
        write_xml_return(incoming, GOOD, 2024, count=4)
        device = incoming / BAD / "csww_2023.csv"
        try:
            os.mknod(device, 0o600 | 0o020000, os.makedev(1, 3))  # /dev/null's numbers
        except (PermissionError, OSError):
            device = None
        summary = load()
    finally:
        server.close()

    _assert_only_the_bad_one_rejected(
        summary, query, f"{BAD}/csww_2024.xml", "not a regular file (a socket)", landed_before
    )
    if device is not None:
        assert "character device" in _register(query, f"{BAD}/csww_2023.csv")[0][1]


# -- spoofed XLSX dimension ------------------------------------------------------------


def _spoof_dimension(path: Path, ref: str = "A1:XFD1048576") -> None:
    """Rewrite the worker sheet's <dimension ref=...> in place (nothing else changes)."""
    import re

    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    members[sheet] = re.sub(
        rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), members[sheet]
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _xlsx_with_a_far_cell(incoming: Path, cell: str) -> Path:
    from openpyxl import load_workbook

    path = write_xlsx_return(incoming, BAD, 2024)
    workbook = load_workbook(path)
    workbook["CSWWWorker"][cell] = "far away"
    workbook.save(path)
    return path


@pytest.mark.parametrize(
    ("cell", "reason"),
    [("XFD1048576", "beyond row 100000"), ("XFD2", "beyond column"), ("A1048576", "beyond row")],
)
def test_a_spoofed_xlsx_sheet_extent_is_bounded_and_rejected(
    cell, reason, incoming, load, query, landed_before
):
    path = _xlsx_with_a_far_cell(incoming, cell)
    assert path.stat().st_size < 64_000  # a small file claiming a huge sheet
    write_xml_return(incoming, GOOD, 2024, count=4)

    summary = load()  # finishes: only the cells the sheet holds are read

    _assert_only_the_bad_one_rejected(
        summary, query, f"{BAD}/csww_2024.xlsx", reason, landed_before
    )


def test_a_spoofed_xlsx_dimension_alone_is_ignored_and_the_return_lands(incoming, load, query):
    path = write_xlsx_return(incoming, BAD, 2024, count=3)
    _spoof_dimension(path)

    summary = load()

    assert (summary.accepted, summary.rejected, summary.workers_landed) == (1, 0, 3), str(summary)


def test_a_csv_larger_than_any_return_is_rejected(
    incoming, load, query, landed_before, monkeypatch
):
    from liia.load import tabular_return

    monkeypatch.setattr(tabular_return, "MAX_ROWS", 5)
    monkeypatch.setattr(tabular_return, "MAX_COLUMNS", 60)
    write_csv_return(incoming, BAD, 2024, count=7)
    rows = table_rows(2024, synthetic_workers("304", 2024, 2))
    rows[1] += [""] * 70 + ["far"]
    write_csv_return(incoming, "304", 2024, rows=rows)
    write_xml_return(incoming, GOOD, 2024, count=4)

    summary = load()

    _assert_only_the_bad_one_rejected(
        summary, query, f"{BAD}/csww_2024.csv", "beyond row 5", landed_before
    )
    assert "beyond column 60" in _register(query, "304/csww_2024.csv")[0][1]


# -- tabular returns are checked against their folder ----------------------------------


def _with_column(year: int, la_code: str, name: str, values: list[str]) -> list[list[str]]:
    rows = table_rows(year, synthetic_workers(la_code, year, len(values)))
    rows[0].append(name)
    for row, value in zip(rows[1:], values, strict=True):
        row.append(value)
    return rows


@pytest.mark.parametrize("name", ["LEA", "la", "LA Code", "Local_Authority", "lea-code"])
def test_a_csv_borough_column_naming_another_borough_rejects_the_file(
    name, incoming, load, query, landed_before
):
    # one row of another borough is enough: the file mixes boroughs' data
    write_csv_return(incoming, BAD, 2024, rows=_with_column(2024, BAD, name, ["301", "303"]))
    write_xml_return(incoming, GOOD, 2024, count=4)

    summary = load()

    stored = _assert_only_the_bad_one_rejected(
        summary, query, f"{BAD}/csww_2024.csv", "data-protection incident", landed_before
    )
    assert "'303'" in stored and "column" in stored


def test_a_borough_column_naming_the_folder_is_read_not_dropped(incoming, load, query):
    write_csv_return(incoming, BAD, 2024, rows=_with_column(2024, BAD, "LEA", ["301", "0301"]))
    write_csv_return(incoming, "202", 2024, rows=_with_column(2024, "202", "LA name", ["Camden"]))
    write_csv_return(
        incoming, "314", 2024, rows=_with_column(2024, "314", "LA", ["314", "318"])
    )  # Kingston sends the joint return with Richmond (318)

    summary = load()

    assert (summary.accepted, summary.rejected) == (3, 0), str(summary)
    assert query("select distinct dropped_items from csww.file_register") == [([],)]


def test_an_xlsx_la_level_or_header_sheet_naming_another_borough_rejects_the_file(
    incoming, load, query, landed_before
):
    from openpyxl import load_workbook

    path = write_xlsx_return(incoming, BAD, 2024, la_level_sheet=True)
    workbook = load_workbook(path)
    sheet = workbook["LALevel"]
    sheet.cell(row=1, column=sheet.max_column + 1, value="LEA")
    sheet.cell(row=2, column=sheet.max_column, value="308")
    workbook.save(path)
    other = write_xlsx_return(incoming, "304", 2024)
    workbook = load_workbook(other)
    header = workbook.create_sheet("Header")
    header.append(["Year", "LA code"])
    header.append([2024, 305])
    workbook.save(other)
    write_xml_return(incoming, GOOD, 2024, count=4)

    summary = load()

    stored = _assert_only_the_bad_one_rejected(
        summary, query, f"{BAD}/csww_2024.xlsx", "data-protection incident", landed_before
    )
    assert "sheet 'LALevel' cell" in stored
    assert "data-protection incident" in _register(query, "304/csww_2024.xlsx")[0][1]


@pytest.mark.parametrize(
    ("name", "values", "reason"),
    [
        ("Year", ["2023", "2023"], "census year mismatch: the header says 2023"),
        ("census_year", ["2024", "2025"], "more than one Year"),
        ("ReferenceDate", ["2023-09-30"], "census year mismatch"),
        ("Year", ["24"], "not a four-digit year"),
    ],
)
def test_a_csv_year_column_contradicting_the_file_name_rejects_the_file(
    name, values, reason, incoming, load, query, landed_before
):
    write_csv_return(incoming, BAD, 2024, rows=_with_column(2024, BAD, name, values))
    write_xml_return(incoming, GOOD, 2024, count=4)

    summary = load()

    _assert_only_the_bad_one_rejected(summary, query, f"{BAD}/csww_2024.csv", reason, landed_before)


def test_a_csv_year_column_gives_the_year_when_the_name_has_none(incoming, load, query):
    write_csv_return(
        incoming, BAD, 2024, file_name="return.csv", rows=_with_column(2024, BAD, "Year", ["2024"])
    )
    assert load().accepted == 1
    assert query("select census_year from csww.file_register") == [(2024,)]


# -- one Header, one LA-level element, each header item once ---------------------------


def _xml_with(extra_header: str = "", header_inside: str = "") -> str:
    text = xml_return_text(BAD, 2024, synthetic_workers(BAD, 2024, 2))
    if header_inside:
        text = text.replace("</Header>", header_inside + "</Header>", 1)
    return text.replace("</Header>", "</Header>" + extra_header, 1)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            _xml_with("<Header><CollectionDetails><Year>2024</Year></CollectionDetails></Header>"),
            "more than one Header",
        ),
        (_xml_with("<Header/>"), "more than one Header"),
        (_xml_with(header_inside="<Source><LEA>303</LEA></Source>"), "gives LEA 2 times"),
        (_xml_with(header_inside="<Year>2023</Year>"), "gives Year 2 times"),
        (
            _xml_with(header_inside="<ReferenceDate>2024-09-30</ReferenceDate>"),
            "gives ReferenceDate 2 times",
        ),
        (
            _xml_with(
                "<LALevelVacancies><NumberOfVacancies>1</NumberOfVacancies></LALevelVacancies>"
            ),
            "more than one LA-level element",
        ),
    ],
    ids=["second_header", "empty_second_header", "two_leas", "two_years", "two_dates", "two_la"],
)
def test_a_second_header_or_header_item_rejects_the_file(
    text, reason, incoming, load, query, landed_before
):
    write_file(incoming, BAD, "csww_2024.xml", text)
    write_xml_return(incoming, GOOD, 2024, count=4)

    summary = load()

    _assert_only_the_bad_one_rejected(summary, query, f"{BAD}/csww_2024.xml", reason, landed_before)


@pytest.mark.parametrize(
    ("extra_sheet", "reason"),
    [("LALevelVacancies", "more than one LA-level sheet"), ("cswwworker ", "more than one worker")],
)
def test_a_workbook_with_a_second_la_level_or_worker_sheet_is_rejected(
    extra_sheet, reason, incoming, load, query, landed_before
):
    from openpyxl import load_workbook

    path = write_xlsx_return(incoming, BAD, 2024, la_level_sheet=True)
    workbook = load_workbook(path)
    workbook.create_sheet(extra_sheet).append(["NumberOfVacancies"])
    workbook.save(path)
    write_xml_return(incoming, GOOD, 2024, count=4)

    summary = load()

    _assert_only_the_bad_one_rejected(
        summary, query, f"{BAD}/csww_2024.xlsx", reason, landed_before
    )


# -- every path under incoming is loaded or reported -----------------------------------


def test_every_path_under_incoming_is_loaded_or_reported_with_a_reason(
    incoming, load, query, landed_before, monkeypatch
):
    elsewhere = incoming.parent / "elsewhere"
    write_xml_return(elsewhere, BAD, 2024)
    (incoming / BAD).symlink_to(elsewhere / BAD, target_is_directory=True)  # a borough folder
    write_xml_return(incoming, GOOD, 2024, count=4)
    (incoming / GOOD / "linked").symlink_to(elsewhere / BAD, target_is_directory=True)
    write_xml_return(incoming / GOOD, "locked", 2023)  # 302/locked/csww_2023.xml
    write_xml_return(incoming, "304", 2024, file_name=".csww_2024.xml")  # a hidden return
    write_xml_return(incoming / "304", ".partial", 2024)  # a hidden folder
    write_file(incoming, "", "csww_2024.xml", "<Message/>")  # the top level: no borough
    real_scandir = os.scandir

    def scandir(path):  # root reads everything: simulate an unreadable sub-folder
        if Path(path).name == "locked":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)

    summary = load()

    expected = {
        f"{BAD}/": "the folder is a symbolic link",
        f"{GOOD}/linked/": "the folder is a symbolic link",
        f"{GOOD}/locked/": "the folder could not be read (Permission denied)",
        "304/.csww_2024.xml": "hidden file",
        "304/.partial/": "hidden folder",
        "csww_2024.xml": "not in a borough folder",
    }
    for relative, reason in expected.items():
        _assert_only_the_bad_one_rejected(summary, query, relative, reason, landed_before)
    assert summary.rejected == len(expected)
    assert query("select la_code from csww.file_register where file_path = ?", [f"{BAD}/"]) == [
        (BAD,)
    ]
    # nothing behind a link or in a hidden place landed
    assert query("select count(*) from csww.file_register where status <> 'rejected'") == [(2,)]

    again = load()  # reported again, registered once
    assert again.still_rejected == len(expected) and again.rejected == 0
    assert query("select count(*) from csww.file_register where status = 'rejected'") == [
        (len(expected),)
    ]


# -- log forging -----------------------------------------------------------------------


def test_file_names_with_control_characters_are_shown_escaped(incoming, load, query, landing):
    forged = "csww_2024.xml\nLoad: 99 accepted, 0 rejected, 0 superseded\x1b[2K\u202e"
    write_file(incoming, "999", forged, "<Message/>")
    write_file(incoming, "9\x1b99", "csww_2024.xml", "<Message></Message>")  # and in a folder
    write_xml_return(incoming, GOOD, 2024, count=4, file_name="csww_2024\x1b[31m.xml")

    summary = load()

    lines = str(summary).splitlines()
    assert [line for line in lines if line.startswith("Load:")] == [lines[0]]
    assert lines[0].startswith("Load: 1 accepted, 2 rejected")
    assert not any(c in str(summary) for c in "\x1b\u202e")
    assert "csww_2024.xml\\nLoad: 99 accepted" in str(summary)
    conn = duckdb.connect(str(landing), read_only=True)
    try:
        stored = conn.execute(
            "select file_path || file_name || file_format || coalesce(reason, '') "
            "from csww.file_register "
            "union all select file_path || message from csww.load_errors "
            "union all select coalesce(detail, '') from csww.audit_log"
        ).fetchall()
    finally:
        conn.close()
    text = " ".join(value for (value,) in stored)
    assert not any(c in text for c in "\n\x1b\u202e"), text
    assert "\\x1b[31m" in text and "\\n" in text
    # names are stored escaped, and still recognised on the next run
    again = load()
    assert (again.rejected, again.unchanged, again.still_rejected) == (0, 3, 2), str(again)


# -- the year window -------------------------------------------------------------------


def test_a_file_for_an_aged_out_year_is_refused_as_outside_the_retention_period(
    incoming, load, query
):
    write_xml_return(incoming, BAD, 2021)
    write_xml_return(incoming, GOOD, 2022, count=4)

    summary = load(current_year=2025, first_year=2022)

    stored = _register(query, f"{BAD}/csww_2021.xml")[0][1]
    assert "census year 2021 is outside the retention period" in stored
    assert "2022..2025" in stored
    assert summary.accepted == 1


def test_the_loader_takes_its_window_from_the_settings(incoming, landing, monkeypatch, query):
    from liia.load.loader import load_incoming

    monkeypatch.setenv("LIIA_AS_OF", "2025-10-01")
    monkeypatch.setenv("LIIA_RETAINED_YEARS", "3")  # window 2023..2025
    write_xml_return(incoming, BAD, 2022)
    write_xml_return(incoming, GOOD, 2023)
    write_xml_return(incoming, "304", 2025)

    summary = load_incoming(incoming, landing, progress=False)

    assert (summary.accepted, summary.rejected) == (2, 1)
    assert "2023..2025" in _register(query, f"{BAD}/csww_2022.xml")[0][1]


# -- the header's ReferenceDate --------------------------------------------------------


def test_the_reference_date_is_recorded_as_sent(incoming, load, query):
    write_xml_return(incoming, BAD, 2024)
    odd = xml_return_text(GOOD, 2024, synthetic_workers(GOOD, 2024, 2)).replace(
        "<ReferenceDate>2024-09-30</ReferenceDate>", "<ReferenceDate> 2024-03-31 </ReferenceDate>"
    )
    write_file(incoming, GOOD, "csww_2024.xml", odd)
    write_csv_return(incoming, "304", 2024)
    write_csv_return(
        incoming, "305", 2024, rows=_with_column(2024, "305", "Reference Date", ["2024-09-30"])
    )
    smuggled = xml_return_text("306", 2024, synthetic_workers("306", 2024, 1)).replace(
        "2024-09-30</ReferenceDate>", "2024-09-30 SW9306000001</ReferenceDate>"
    )
    write_file(incoming, "306", "csww_2024.xml", smuggled)

    summary = load()

    assert (summary.accepted, summary.rejected) == (4, 1), str(summary)
    assert query("select la_code, reference_date from csww.file_register order by la_code") == [
        (BAD, "2024-09-30"),
        (GOOD, "2024-03-31"),
        ("304", None),
        ("305", "2024-09-30"),
        ("306", None),
    ]
    assert "ReferenceDate is not a YYYY-MM-DD date" in _register(query, "306/csww_2024.xml")[0][1]


def test_a_landing_created_before_reference_date_still_opens(incoming, landing, load, query):
    from liia.load.landing_schema import landing_ddl

    landing.parent.mkdir(parents=True)
    conn = duckdb.connect(str(landing))
    old_register = landing_ddl()[2].replace(",\n    reference_date VARCHAR", "")
    assert "reference_date" not in old_register
    conn.execute("create schema csww")
    conn.execute(old_register)
    conn.execute(
        "insert into csww.file_register (file_id, file_sha256, file_path, file_name, la_code, "
        "file_format, received_at, loaded_at, status) values (900, 'x', '309/old.xml', "
        "'old.xml', '309', 'xml', now(), now(), 'rejected')"
    )
    conn.close()
    write_xml_return(incoming, GOOD, 2024)

    assert load().accepted == 1
    assert query("select file_id, reference_date from csww.file_register order by 1") == [
        (1, "2024-09-30"),
        (900, None),
    ]


# -- platform faults are not verdicts --------------------------------------------------


@pytest.fixture
def no_backoff(monkeypatch):
    monkeypatch.setattr(loader_module, "RETRY_DELAYS_SECONDS", (0.0, 0.0, 0.0))


def _failing(monkeypatch, method: str, la_code: str, error: Exception, times: int | None):
    """``LandingWriter.<method>`` fails for one borough's file ``times`` times (None: always)."""
    real = getattr(LandingWriter, method)
    calls: list[int] = []

    def failing(self, entry, *args):
        if entry.file.la_code == la_code and (times is None or len(calls) < times):
            calls.append(1)
            raise error
        return real(self, entry, *args)

    monkeypatch.setattr(LandingWriter, method, failing)
    return calls


def _three_boroughs(incoming: Path) -> None:
    # processed in received order: 301, then 302, then 304
    for index, la_code in enumerate((BAD, GOOD, "304")):
        write_xml_return(incoming, la_code, 2024, count=4, mtime=1_700_000_000 + index)


@pytest.mark.parametrize(
    "error",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        OSError(errno.EIO, "Input/output error"),
        duckdb.IOException("IO Error: Could not write file: No space left on device"),
        duckdb.IOException('IO Error: Could not set lock on file "landing.duckdb"'),
    ],
    ids=["enospc", "eio", "duckdb_io", "lock"],
)
def test_a_disk_full_while_landing_records_nothing_and_the_next_run_lands_it(
    error, incoming, load, query, landed_before, monkeypatch, no_backoff
):
    _three_boroughs(incoming)
    calls = _failing(monkeypatch, "land_accepted", GOOD, error, times=None)

    summary = load()

    assert len(calls) == 1 + len(loader_module.RETRY_DELAYS_SECONDS)  # retried, then gave up
    assert summary.platform_fault is not None and f"{GOOD}/csww_2024.xml" in summary.platform_fault
    # stopped at 302: 302, 304 and 303's unchanged return were not processed
    assert summary.not_processed == 3 and summary.accepted == 1 and summary.rejected == 0
    assert "Load STOPPED by a platform fault" in str(summary)
    # nothing recorded about 302's file (no rejection by hash), nothing of it landed
    assert query("select count(*) from csww.file_register where la_code in ('302', '304')") == [
        (0,)
    ]
    assert query("select count(*) from csww.load_errors where la_code = '302'") == [(0,)]
    assert _rows_of(query, LANDED_BEFORE) == landed_before

    monkeypatch.undo()  # the disk has room again
    again = load()

    assert (again.accepted, again.rejected, again.unchanged) == (2, 0, 2), str(again)
    assert again.platform_fault is None
    assert query(
        "select la_code, status, worker_rows from csww.file_register where census_year = 2024 "
        "order by la_code"
    ) == [(BAD, "accepted", 4), (GOOD, "accepted", 4), ("304", "accepted", 4)]
    assert _rows_of(query, LANDED_BEFORE) == landed_before


def test_a_transient_write_error_is_retried_and_the_batch_lands(
    incoming, load, query, monkeypatch, no_backoff
):
    _three_boroughs(incoming)
    calls = _failing(monkeypatch, "land_accepted", GOOD, OSError(errno.EIO, "I/O error"), times=2)

    summary = load()

    assert len(calls) == 2
    assert summary.platform_fault is None
    assert (summary.accepted, summary.rejected) == (3, 0), str(summary)
    assert query("select count(*) from csww.workers") == [(12,)]  # no half-written copy


def test_a_disk_full_while_recording_a_rejection_does_not_register_it(
    incoming, load, query, monkeypatch, no_backoff
):
    write_xml_return(incoming, GOOD, 2024, lea="303")  # a data-protection incident
    _failing(monkeypatch, "register_rejected", GOOD, OSError(errno.ENOSPC, "full"), times=None)

    summary = load()

    assert summary.platform_fault is not None and summary.rejected == 0
    assert query("select count(*) from csww.file_register") == [(0,)]
    monkeypatch.undo()
    again = load()
    assert again.rejected == 1 and again.platform_fault is None
    assert "data-protection incident" in _register(query, f"{GOOD}/csww_2024.xml")[0][1]


def test_liia_load_exits_non_zero_on_a_persisting_platform_fault(
    tmp_path, monkeypatch, no_backoff, capsys
):
    from liia import cli
    from liia.errors import EXIT_PLATFORM

    home, incoming = tmp_path / "home", tmp_path / "home" / "incoming"
    write_xml_return(incoming, GOOD, 2024)
    monkeypatch.setenv("LIIA_HOME", str(home))
    monkeypatch.setenv("LIIA_INCOMING", str(incoming))
    monkeypatch.setenv("LIIA_AS_OF", "2025-10-01")
    _failing(monkeypatch, "land_accepted", GOOD, OSError(errno.ENOSPC, "full"), times=None)

    assert cli.main(["load"]) == EXIT_PLATFORM
    assert "the load stopped" in capsys.readouterr().err
