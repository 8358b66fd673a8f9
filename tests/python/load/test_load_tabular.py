"""CSV and XLSX returns land with the same item columns as XML, every value as text."""

from __future__ import annotations

import datetime as dt
import zipfile

from liia.load import xlsx_archive
from tests.python.load.synthetic_returns import (
    landing_text,
    synthetic_workers,
    table_rows,
    write_csv_return,
    write_xlsx_return,
    write_xml_return,
)


def _workers_of(query, la_code: str) -> list[tuple]:
    return query(
        "select w.* exclude (file_id) from csww.workers as w "
        "join csww.file_register as f using (file_id) where f.la_code = ? order by record_number",
        [la_code],
    )


def test_csv_and_xlsx_land_the_same_rows_as_xml(incoming, load, query):
    # the same synthetic workforce (SWE numbers of borough 301) sent three ways
    workers = synthetic_workers("301", 2024, 4)
    write_xml_return(incoming, "301", 2024, workers=workers)
    write_csv_return(incoming, "302", 2024, rows=table_rows(2024, workers))
    write_xlsx_return(incoming, "303", 2024, rows=table_rows(2024, workers))

    summary = load()

    assert (summary.accepted, summary.rejected) == (3, 0), str(summary)
    from_xml = _workers_of(query, "301")
    assert len(from_xml) == 4
    assert _workers_of(query, "302") == from_xml
    assert _workers_of(query, "303") == from_xml
    assert query("select file_format from csww.file_register order by la_code") == [
        ("xml",),
        ("csv",),
        ("xlsx",),
    ]
    la_level = query("select * exclude (file_id) from csww.la_level order by file_id")
    assert la_level[0] == la_level[1] == la_level[2]
    assert la_level[0][:3] == ("12.50", "8.00", "9")


def test_codes_with_leading_zeros_stay_text(incoming, load, query):
    rows = table_rows(2023, synthetic_workers("304", 2023, 2))
    header = rows[0]
    rows[1][header.index("OrgRole")] = "05"
    rows[1][header.index("QualLevel")] = "01"
    write_csv_return(incoming, "304", 2023, rows=rows)
    xlsx_rows: list[list[object]] = [list(row) for row in rows]
    xlsx_rows[2][header.index("Cases30")] = 7  # a cell Excel typed as a number
    xlsx_rows[2][header.index("FTE")] = 0.5
    xlsx_rows[2][header.index("RoleStartDate")] = dt.datetime(2019, 10, 1)
    write_xlsx_return(incoming, "305", 2023, rows=xlsx_rows)

    load()

    assert query(
        "select la_code, record_number, OrgRole, QualLevel, Cases30, FTE, RoleStartDate "
        "from csww.workers join csww.file_register using (file_id) order by la_code, 2"
    ) == [
        ("304", 1, "05", "01", "12", "0.800000", "2019-10-01"),
        ("304", 2, "5", "1", "12", "0.800000", "2019-10-01"),
        ("305", 1, "05", "01", "12", "0.800000", "2019-10-01"),
        ("305", 2, "5", "1", "7", "0.5", "2019-10-01"),
    ]


def test_repeated_items_split_on_semicolons_and_repeated_columns(incoming, load, query):
    rows = [
        ["SWENo", "ReasonAbsence", "ContractWeeks", "ContractWeeks", "QualInst"],
        ["SW9000001", "SIC; TRN ;MAT", "52.0", "10.5", "Synthetic College"],
        ["SW9000002", "", "", "", ""],
    ]
    write_csv_return(incoming, "306", 2022, rows=rows)

    load()

    assert query(
        "select ReasonAbsence, ContractWeeks, QualInst, Absat30Sept from csww.workers "
        "order by record_number"
    ) == [
        (["SIC", "TRN", "MAT"], ["52.0", "10.5"], ["Synthetic College"], None),
        (None, None, None, None),
    ]


def test_xlsx_la_level_sheet(incoming, load, query):
    write_xlsx_return(incoming, "307", 2025, count=2, la_level_sheet=True)

    summary = load()

    assert summary.accepted == 1, str(summary)
    assert query("select NumberOfVacancies, CostDBS, OtherAllowances from csww.la_level") == [
        ("12.50", "1", "Synthetic allowance")
    ]
    assert query("select count(*), min(BaseSalary) from csww.workers") == [(2, "42000.00")]


def test_extra_columns_are_dropped_and_only_named(incoming, landing, load, query):
    rows = table_rows(2024, synthetic_workers("308", 2024, 2))
    rows[0] += ["Name", "NINumber", " Address "]
    rows[1] += ["Synthetic Quixotic-Name", "QQ123456C", "1 Synthetic Street"]
    rows[2] += ["", "", ""]
    write_csv_return(incoming, "308", 2024, rows=rows)

    load()

    assert query("select status, dropped_items from csww.file_register") == [
        ("accepted", ["Address", "NINumber", "Name"])
    ]
    text = landing_text(landing)
    for value in ("Quixotic", "QQ123456C", "Synthetic Street"):
        assert value not in text


def test_a_header_that_looks_like_values_is_not_recorded(incoming, landing, load, query):
    rows = table_rows(2024, synthetic_workers("309", 2024, 2))
    rows[0].append("SW9123456")  # a value where a header should be
    rows[1].append("x")
    write_csv_return(incoming, "309", 2024, rows=rows)

    load()

    (dropped,) = query("select dropped_items from csww.file_register")[0]
    assert len(dropped) == 1 and "SW9123456" not in dropped[0]
    assert "SW9123456" not in landing_text(landing)


def test_header_names_match_ignoring_case_and_spaces(incoming, load, query):
    rows = [[" sweno ", "AGENCYWORKER", "numberofvacancies"], ["SW9000001", "0", "3.00"]]
    write_csv_return(incoming, "310", 2021, rows=rows)

    load()

    assert query("select SWENo, AgencyWorker from csww.workers") == [("SW9000001", "0")]
    assert query("select NumberOfVacancies from csww.la_level") == [("3.00",)]
    assert query("select dropped_items from csww.file_register") == [([],)]


def test_csv_with_a_byte_order_mark_and_semicolon_delimiter(incoming, load, query):
    path = incoming / "311" / "csww_2023.csv"
    path.parent.mkdir()
    path.write_bytes(b"\xef\xbb\xbfAgencyWorker;SWENo;FTE\n0;SW9000001;0.5\n1;SW9000002;1\n")

    load()

    assert query("select AgencyWorker, SWENo, FTE from csww.workers order by 1") == [
        ("0", "SW9000001", "0.5"),
        ("1", "SW9000002", "1"),
    ]


def _padded_workbook(incoming, la_code: str, padding_mib: int):
    """A real workbook with one extra, highly compressible member of ``padding_mib`` MiB."""
    path = write_xlsx_return(incoming, la_code, 2024)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", bytes(padding_mib << 20))
    return path


def test_an_xlsx_expanding_past_the_size_cap_is_refused(incoming, load, query, monkeypatch):
    _padded_workbook(incoming, "301", 24)
    write_xlsx_return(incoming, "302", 2024)
    monkeypatch.setattr(xlsx_archive, "MAX_UNCOMPRESSED_BYTES", 16 << 20)
    monkeypatch.setattr(xlsx_archive, "MAX_COMPRESSION_RATIO", 10**9)  # the size alone decides

    summary = load()

    assert (summary.accepted, summary.rejected) == (1, 1), str(summary)
    assert query("select la_code, status, reason from csww.file_register order by 1") == [
        (
            "301",
            "rejected",
            "XLSX would expand to 24 MiB (limit 16 MiB): refused as a possible zip bomb",
        ),
        ("302", "accepted", None),
    ]
    assert query(
        "select count(*) from csww.workers w join csww.file_register f using (file_id) "
        "where f.la_code = '301'"
    ) == [(0,)]


def test_an_xlsx_with_an_extreme_compression_ratio_is_refused(incoming, load, query):
    _padded_workbook(incoming, "301", 24)  # well under the size cap, but ~1000 times compressed

    summary = load()

    assert summary.rejected == 1, str(summary)
    ((reason,),) = query("select reason from csww.file_register")
    assert reason.startswith("XLSX would expand to 24 MiB with a part compressed")
    assert reason.endswith("refused as a possible zip bomb")


def test_the_archive_check_passes_an_ordinary_workbook(incoming):
    path = write_xlsx_return(incoming, "301", 2024, count=50)
    xlsx_archive.check_xlsx_archive(path)  # raises FileRejected if it were refused
