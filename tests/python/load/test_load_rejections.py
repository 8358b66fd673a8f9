"""Every kind of bad file is rejected with its reason while the other boroughs still land."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

import pytest

from liia.csww_schema import ALL_WORKER_ITEMS
from tests.python.load.synthetic_returns import (
    landing_text,
    synthetic_workers,
    write_csv_return,
    write_file,
    write_xml_return,
    xml_return_text,
)

GOOD_BOROUGH = "302"

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE Message [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<Message><Header><CollectionDetails><Year>2024</Year></CollectionDetails></Header>
<LALevelVacancies><NumberOfVacancies>&lol5;</NumberOfVacancies></LALevelVacancies>
<CSWWWorker><SWENo>&lol5;</SWENo></CSWWWorker></Message>
"""


def _external_entity(target: Path) -> str:
    return f"""<?xml version="1.0"?>
<!DOCTYPE Message [ <!ENTITY xxe SYSTEM "file://{target}"> ]>
<Message><Header><CollectionDetails><Year>2024</Year></CollectionDetails></Header>
<LALevelVacancies><NumberOfVacancies>1</NumberOfVacancies></LALevelVacancies>
<CSWWWorker><SWENo>&xxe;</SWENo></CSWWWorker></Message>
"""


def _bad_malformed(incoming: Path) -> Path:
    return write_file(incoming, "301", "csww_2024.xml", "<Message><Header>")


def _bad_truncated_in_a_record(incoming: Path) -> Path:
    text = xml_return_text("301", 2024, synthetic_workers("301", 2024, 3))
    return write_file(incoming, "301", "csww_2024.xml", text[: text.rindex("<CSWWWorker>") + 40])


def _bad_billion_laughs(incoming: Path) -> Path:
    return write_file(incoming, "301", "csww_2024.xml", BILLION_LAUGHS)


def _bad_external_entity(incoming: Path) -> Path:
    canary = incoming.parent / "canary.txt"
    canary.write_text("CANARY-SECRET-4711", encoding="utf-8")
    return write_file(incoming, "301", "csww_2024.xml", _external_entity(canary))


def _bad_empty(incoming: Path) -> Path:
    return write_file(incoming, "301", "csww_2024.xml", b"")


def _bad_blank(incoming: Path) -> Path:
    return write_file(incoming, "301", "csww_2024.csv", "\n  \n")


def _bad_wrong_borough(incoming: Path) -> Path:
    return write_xml_return(incoming, "301", 2024, lea="303")


def _bad_no_year(incoming: Path) -> Path:
    return write_xml_return(incoming, "301", 2024, header_year=None, file_name="return.xml")


def _bad_csv_without_year(incoming: Path) -> Path:
    return write_csv_return(incoming, "301", 2024, file_name="csww_return.csv")


def _bad_old_year(incoming: Path) -> Path:
    return write_xml_return(incoming, "301", 2019, file_name="return.xml")


def _bad_future_year(incoming: Path) -> Path:
    return write_xml_return(incoming, "301", 2024, header_year=2031, file_name="return.xml")


def _bad_year_mismatch(incoming: Path) -> Path:
    return write_xml_return(incoming, "301", 2024, file_name="csww_2023.xml")


def _bad_latin1(incoming: Path) -> Path:
    text = xml_return_text("301", 2024, synthetic_workers("301", 2024, 2), declaration="")
    text = text.replace("Synthetic University", "Universit\u00e9 Synth\u00e9tique")
    return write_file(incoming, "301", "csww_2024.xml", text.encode("latin-1"))


def _bad_csv_encoding(incoming: Path) -> Path:
    path = write_csv_return(incoming, "301", 2024)
    path.write_bytes(path.read_bytes().replace(b"Synthetic", b"Synth\xe9tique"))
    return path


def _bad_unknown_declared_encoding(incoming: Path) -> Path:
    declaration = '<?xml version="1.0" encoding="x-no-such-encoding"?>'
    text = xml_return_text("301", 2024, synthetic_workers("301", 2024, 2), declaration=declaration)
    return write_file(incoming, "301", "csww_2024.xml", text)


def _bad_folder(incoming: Path) -> Path:
    return write_xml_return(incoming, "999", 2024)


def _bad_richmond(incoming: Path) -> Path:
    return write_xml_return(incoming, "318", 2024)


def _bad_not_in_a_folder(incoming: Path) -> Path:
    return write_file(incoming, "", "csww_2024.xml", xml_return_text("301", 2024, []))


def _bad_type(incoming: Path) -> Path:
    return write_file(incoming, "301", "csww_2024.txt", "AgencyWorker,SWENo\n0,SW9000001\n")


def _bad_no_workers(incoming: Path) -> Path:
    return write_xml_return(incoming, "301", 2024, count=0)


def _bad_csv_no_rows(incoming: Path) -> Path:
    return write_file(incoming, "301", "csww_2024.csv", "AgencyWorker,SWENo,FTE\n")


def _bad_csv_no_header(incoming: Path) -> Path:
    return write_file(incoming, "301", "csww_2024.csv", "0,SW9000001,0.5\n1,SW9000002,1\n")


def _bad_xlsx(incoming: Path) -> Path:
    return write_file(incoming, "301", "csww_2024.xlsx", "this is not a workbook")


def _bad_zip_not_workbook(incoming: Path) -> Path:
    import zipfile

    path = write_file(incoming, "301", "csww_2024.xlsx", b"")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    return path


def _bad_symlink(incoming: Path) -> Path:
    target = incoming.parent / "elsewhere.xml"
    target.write_text(xml_return_text("301", 2024, synthetic_workers("301", 2024, 1)))
    (incoming / "301").mkdir(parents=True, exist_ok=True)
    link = incoming / "301" / "csww_2024.xml"
    link.symlink_to(target)
    return link


def _bad_wrong_root(incoming: Path) -> Path:
    return write_file(incoming, "301", "csww_2024.xml", "<Return><CSWWWorker/></Return>")


def _bad_other_collection(incoming: Path) -> Path:
    text = xml_return_text("301", 2024, synthetic_workers("301", 2024, 1))
    return write_file(incoming, "301", "csww_2024.xml", text.replace(">CSWW<", ">CIN<", 1))


BAD_FILES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "malformed": (_bad_malformed, "malformed XML"),
    "truncated": (_bad_truncated_in_a_record, "malformed XML"),
    "billion_laughs": (_bad_billion_laughs, "entity/DTD trick"),
    "external_entity": (_bad_external_entity, "entity/DTD trick"),
    "empty": (_bad_empty, "empty file"),
    "blank": (_bad_blank, "empty file"),
    "wrong_borough": (_bad_wrong_borough, "data-protection incident"),
    "no_year": (_bad_no_year, "missing census year"),
    "csv_without_year": (_bad_csv_without_year, "missing census year"),
    "old_year": (_bad_old_year, "unknown census year 2019"),
    "future_year": (_bad_future_year, "unknown census year 2031"),
    "year_mismatch": (_bad_year_mismatch, "census year mismatch"),
    "latin1_undeclared": (_bad_latin1, "unreadable encoding"),
    "csv_not_utf8": (_bad_csv_encoding, "unreadable encoding"),
    "unknown_declared_encoding": (_bad_unknown_declared_encoding, "unreadable encoding"),
    "not_a_borough": (_bad_folder, "not a participating borough"),
    "richmond": (_bad_richmond, "joint return"),
    "not_in_a_folder": (_bad_not_in_a_folder, "not in a borough folder"),
    "file_type": (_bad_type, "file type '.txt' is not accepted"),
    "no_workers": (_bad_no_workers, "no CSWWWorker"),
    "csv_no_rows": (_bad_csv_no_rows, "no CSWWWorker"),
    "csv_no_header": (_bad_csv_no_header, "names no CSWW item"),
    "not_xlsx": (_bad_xlsx, "not an XLSX workbook"),
    "zip_not_workbook": (_bad_zip_not_workbook, "not a readable XLSX workbook"),
    "symlink": (_bad_symlink, "symbolic links are not accepted"),
    "wrong_root": (_bad_wrong_root, "root element"),
    "other_collection": (_bad_other_collection, "not a CSWW return"),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_bad_file_is_rejected_and_other_boroughs_land(kind, incoming, landing, load, query):
    make_bad, reason = BAD_FILES[kind]
    bad = make_bad(incoming)
    bad_bytes = bad.read_bytes()
    write_xml_return(incoming, GOOD_BOROUGH, 2024, count=4)

    summary = load()

    assert (summary.accepted, summary.rejected, summary.workers_landed) == (1, 1, 4)
    relative = bad.relative_to(incoming).as_posix()
    register = query(
        "select status, reason, worker_rows, file_id from csww.file_register where file_path = ?",
        [relative],
    )
    assert len(register) == 1
    status, stored_reason, worker_rows, file_id = register[0]
    assert status == "rejected" and worker_rows == 0
    assert reason in stored_reason
    errors = query("select message from csww.load_errors where file_id = ?", [file_id])
    assert [message for (message,) in errors] == [stored_reason]
    assert query("select count(*) from csww.workers where file_id = ?", [file_id]) == [(0,)]
    assert query("select count(*) from csww.la_level where file_id = ?", [file_id]) == [(0,)]
    assert query(
        "select action, detail like 'rejected%' from csww.audit_log where file_id = ?", [file_id]
    ) == [("load", True)]
    assert query(
        "select status, worker_rows from csww.file_register where la_code = ?", [GOOD_BOROUGH]
    ) == [("accepted", 4)]
    # the rejected file is left where it was, unchanged
    assert bad.read_bytes() == bad_bytes
    assert any(reason in line for line in str(summary).splitlines())


def test_entity_tricks_expand_nothing_and_read_no_file(incoming, landing, load):
    _bad_billion_laughs(incoming)
    (incoming / "302").mkdir()
    write_file(incoming, "302", "csww_2024.xml", _external_entity(incoming.parent / "canary.txt"))
    (incoming.parent / "canary.txt").write_text("CANARY-SECRET-4711", encoding="utf-8")

    summary = load()

    assert summary.rejected == 2
    text = landing_text(landing)
    assert "lollol" not in text
    assert "CANARY-SECRET" not in text


def test_parser_itself_resolves_no_entity(tmp_path):
    """Even past the prolog scan, the streaming parser neither expands nor reads entities."""
    from liia.load.parsed_return import FileRejected
    from liia.load.xml_return import read_xml_return

    canary = tmp_path / "canary.txt"
    canary.write_text("CANARY-SECRET-4711", encoding="utf-8")
    for name, text in (("xxe.xml", _external_entity(canary)), ("laughs.xml", BILLION_LAUGHS)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(FileRejected) as raised:
            read_xml_return(path)
        assert "CANARY" not in raised.value.reason and "lollol" not in raised.value.reason


def test_a_run_with_bad_files_loses_nothing_landed_before(incoming, landing, load, query):
    write_xml_return(incoming, "301", 2023, count=5)
    write_xml_return(incoming, "302", 2023, count=6)
    load()
    before = query("select * from csww.workers order by file_id, record_number")
    registered = query("select file_id, status from csww.file_register order by file_id")

    _bad_malformed(incoming)  # a broken 2024 return for 301
    write_xml_return(incoming, "302", 2023, count=2, lea="301", file_name="csww_2023_v2.xml")
    summary = load()

    assert summary.rejected == 2 and summary.accepted == 0 and summary.unchanged == 2
    assert query("select * from csww.workers order by file_id, record_number") == before
    assert (
        query(
            "select file_id, status from csww.file_register where status <> 'rejected' "
            "order by file_id"
        )
        == registered
    )


def test_a_file_half_read_writes_nothing(incoming, landing, load, query):
    """A return broken after some complete records lands none of them."""
    _bad_truncated_in_a_record(incoming)
    load()
    assert query("select count(*) from csww.workers") == [(0,)]
    assert query("select count(*) from csww.la_level") == [(0,)]
    record = query("select record_number from csww.load_errors")
    assert record == [(3,)]  # two complete records, broken in the third


def test_declared_encoding_that_decodes_is_accepted(incoming, load, query):
    declaration = '<?xml version="1.0" encoding="ISO-8859-1"?>'
    workers = synthetic_workers("301", 2024, 2)
    workers[0]["QualInst"] = ["Universit\u00e9 Synth\u00e9tique"]
    text = xml_return_text("301", 2024, workers, declaration=declaration)
    write_file(incoming, "301", "csww_2024.xml", text.encode("latin-1"))
    bom = xml_return_text("302", 2024, synthetic_workers("302", 2024, 1))
    write_file(incoming, "302", "csww_2024.xml", b"\xef\xbb\xbf" + bom.encode("utf-8"))

    summary = load()

    assert summary.accepted == 2, str(summary)
    assert query("select QualInst from csww.workers where record_number = 1 order by file_id")[
        0
    ] == (["Universit\u00e9 Synth\u00e9tique"],)


def test_utf16_with_a_byte_order_mark_lands_like_its_utf8_twin(incoming, load, query):
    workers = synthetic_workers("301", 2024, 3)
    workers[1]["QualInst"] = ["Universit\u00e9 Synth\u00e9tique \u2013 \U0001d4e2"]
    twin = {
        "301": xml_return_text("301", 2024, workers).encode("utf-8"),
        # little-endian, no XML declaration: the byte-order mark says it all
        "302": xml_return_text("302", 2024, workers, declaration="").encode("utf-16"),
        # big-endian, with a declaration naming UTF-16
        "303": codecs.BOM_UTF16_BE
        + xml_return_text(
            "303", 2024, workers, declaration='<?xml version="1.0" encoding="UTF-16"?>'
        ).encode("utf-16-be"),
    }
    for la_code, content in twin.items():
        write_file(incoming, la_code, "csww_2024.xml", content)
    broken = xml_return_text("304", 2024, workers, declaration="").encode("utf-16-le")
    write_file(incoming, "304", "csww_2024.xml", codecs.BOM_UTF16_LE + broken + b"\x00\xdc")

    summary = load()

    assert (summary.accepted, summary.rejected) == (3, 1), str(summary)
    ((la_code, reason),) = query(
        "select la_code, reason from csww.file_register where status = 'rejected'"
    )
    assert la_code == "304"
    assert reason.startswith("unreadable encoding: the file is not valid UTF-16")
    columns = ", ".join(f'"{item}"' for item in ALL_WORKER_ITEMS)
    rows = {
        la_code: query(
            f"select record_number, {columns} from csww.workers w join csww.file_register f "
            "using (file_id) where f.la_code = ? order by record_number",
            [la_code],
        )
        for la_code in twin
    }
    assert len(rows["301"]) == 3
    assert rows["302"] == rows["301"] and rows["303"] == rows["301"]
    assert ["Universit\u00e9 Synth\u00e9tique \u2013 \U0001d4e2"] in rows["301"][1]
    la_level = query(
        "select f.la_code, l.* exclude (file_id) from csww.la_level l "
        "join csww.file_register f using (file_id) order by 1"
    )
    assert [row[1:] for row in la_level] == [la_level[0][1:]] * 3


def test_messages_hold_no_swe_number_or_birth_date(incoming, landing, load, query):
    workers = synthetic_workers("301", 2024, 2)
    text = xml_return_text("301", 2024, workers)
    broken = text.replace("<SWENo>SW930100001</SWENo>", "<SWENo>SW930100001</SWENO>")
    write_file(incoming, "301", "csww_2024.xml", broken)
    write_xml_return(incoming, "302", 2024, lea="SW930100001")
    load()
    messages = " ".join(m for (m,) in query("select message from csww.load_errors"))
    messages += " ".join(d for (d,) in query("select detail from csww.audit_log"))
    assert "malformed XML" in messages and "data-protection incident" in messages
    assert "930100001" not in messages
    assert "1980-01-15" not in messages
