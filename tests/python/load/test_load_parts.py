"""The loader's parts on their own: years, boroughs, the byte scan, message redaction."""

from __future__ import annotations

import codecs

import pytest

from liia.load.census_year import census_year, years_in_name
from liia.load.content_scan import scan_file
from liia.load.incoming_files import default_participating, find_incoming_files
from liia.load.parsed_return import FileRejected, redact, screened_item_name


def test_participating_boroughs_are_the_32_london_returns():
    codes = default_participating()
    assert len(codes) == 32
    assert "314" in codes and "318" not in codes
    assert {"201", "213", "301", "320"} <= codes


@pytest.mark.parametrize(
    ("name", "years"),
    [
        ("csww_2024.xml", {2024}),
        ("CSWW-2023-return.csv", {2023}),
        ("csww_2024-09-30.xml", {2024}),
        ("csww_20240930.xml", set()),
        ("return.xml", set()),
        ("csww_2023_2024.csv", {2023, 2024}),
    ],
)
def test_years_in_file_names(name, years):
    assert years_in_name(name) == years


def test_census_year_from_header_name_and_reference_date():
    assert census_year("csww_2024.xml", "2024", "2024-09-30", 2025) == 2024
    assert census_year("return.xml", None, "2023-09-30", 2025) == 2023
    assert census_year("csww_2022.csv", None, None, 2025) == 2022
    assert census_year("csww_2023_2024.xml", "2024", None, 2025) == 2024
    with pytest.raises(FileRejected, match="disagree"):
        census_year("return.xml", "2024", "2023-09-30", 2025)
    with pytest.raises(FileRejected, match="not a four-digit year"):
        census_year("return.xml", "24", None, 2025)
    with pytest.raises(FileRejected, match="several years"):
        census_year("csww_2023_2024.csv", None, None, 2025)
    with pytest.raises(FileRejected, match="unknown census year 2026"):
        census_year("csww_2026.csv", None, None, 2025)
    assert census_year("csww_2020.csv", None, None, 2025) == 2020


def test_redact_removes_value_like_text():
    text = redact("bad value SW123456 born 1980-01-15 or 15/01/1980 at line 12. Bytes: 0xE9 0x31")
    assert "123456" not in text and "1980" not in text and "0xE9" not in text
    assert "line 12" in text


def test_dropped_names_that_look_like_values_are_withheld():
    assert screened_item_name("NINumber", "column 3") == "NINumber"
    assert screened_item_name("FTE30", "column 3") == "FTE30"
    assert screened_item_name("  ", "column 2") == "(column 2 without a name)"
    for value in ("SW123456", "1980-01-15", "Jo Bloggs", "_930100001", "x1980-01-15"):
        recorded = screened_item_name(value, "column 7")
        assert recorded.startswith("(column 7") and value not in recorded


def test_scan_hashes_and_checks_encoding(tmp_path):
    good = tmp_path / "a.xml"
    good.write_bytes(b"\xef\xbb\xbf<Message/>")
    scan = scan_file(good, "xml")
    assert scan.problem is None and scan.size == 13 and len(scan.sha256) == 64

    utf16 = tmp_path / "b.xml"
    utf16.write_bytes('<?xml version="1.0" encoding="UTF-16"?><Message/>'.encode("utf-16"))
    assert scan_file(utf16, "xml").problem is None

    undeclared_utf16 = tmp_path / "c.xml"
    undeclared_utf16.write_bytes("<Message/>".encode("utf-16"))
    assert scan_file(undeclared_utf16, "xml").problem is None

    big_endian = tmp_path / "d.xml"
    big_endian.write_bytes(codecs.BOM_UTF16_BE + "<Message/>".encode("utf-16-be"))
    assert scan_file(big_endian, "xml").problem is None


@pytest.mark.parametrize(
    ("suffix", "content", "problem"),
    [
        # a lone high surrogate: not UTF-16
        ("xml", codecs.BOM_UTF16_LE + "<M>".encode("utf-16-le") + b"\x00\xd8<\x00", "not valid"),
        # an odd number of bytes: the file ends inside a character
        ("xml", codecs.BOM_UTF16_LE + "<Message/>".encode("utf-16-le") + b"\x00", "ends inside"),
        # the byte-order mark and the declaration disagree
        (
            "xml",
            codecs.BOM_UTF16_LE
            + '<?xml version="1.0" encoding="UTF-8"?><Message/>'.encode("utf-16-le"),
            "byte-order mark",
        ),
        # UTF-32 is not UTF-16, although its little-endian BOM starts like one
        ("xml", "<Message/>".encode("utf-32"), "not valid UTF-8"),
        # UTF-16 is an XML allowance: a CSV must still be UTF-8
        ("csv", "SWENo\n".encode("utf-16"), "not valid UTF-8"),
    ],
)
def test_scan_rejects_bytes_that_are_not_the_encoding(tmp_path, suffix, content, problem):
    path = tmp_path / f"a.{suffix}"
    path.write_bytes(content)
    found = scan_file(path, suffix).problem or ""
    assert found.startswith("unreadable encoding") and problem in found


def test_scan_finds_a_dtd_split_across_chunks(tmp_path, monkeypatch):
    import liia.load.content_scan as content_scan

    monkeypatch.setattr(content_scan, "CHUNK_BYTES", 8)
    path = tmp_path / "d.xml"
    path.write_bytes(b'<?xml version="1.0"?>\n<!DOCTYPE Message []><Message/>')
    assert "entity/DTD" in (scan_file(path, "xml").problem or "")


def test_hidden_files_are_declined_and_files_ordered_by_received_time(tmp_path):
    import os

    incoming = tmp_path / "in"
    (incoming / "301").mkdir(parents=True)
    for name, mtime in (("b.xml", 100), ("a.xml", 200), (".DS_Store", 50)):
        (incoming / "301" / name).write_text("x")
        os.utime(incoming / "301" / name, (mtime, mtime))
    found = find_incoming_files(incoming)
    assert [(f.relative_path, f.declined is None) for f in found] == [
        ("301/.DS_Store", False),
        ("301/b.xml", True),
        ("301/a.xml", True),
    ]
    assert "hidden file" in (found[0].declined or "")
    assert {f.la_code for f in found} == {"301"}
