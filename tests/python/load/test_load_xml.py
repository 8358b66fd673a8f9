"""XML returns land item by item: every layout, repeated items, absent vs empty, dropped items."""

from __future__ import annotations

import shutil

from liia.csww_schema import ALL_LA_LEVEL_ITEMS, ALL_WORKER_ITEMS
from tests.python.conftest import LIIA_TOOLS_SAMPLE_XML
from tests.python.load.synthetic_returns import (
    landing_text,
    synthetic_la_level,
    synthetic_workers,
    write_xml_return,
    xml_return_text,
)


def test_the_published_sample_return_loads_with_its_30_workers(incoming, load, query):
    (incoming / "301").mkdir()
    shutil.copy(LIIA_TOOLS_SAMPLE_XML, incoming / "301")

    summary = load()

    assert (summary.accepted, summary.rejected, summary.workers_landed) == (1, 0, 30)
    assert query(
        "select la_code, census_year, layout_version, file_format, status, worker_rows "
        "from csww.file_register"
    ) == [("301", 2022, 2021, "xml", "accepted", 30)]
    assert query("select count(*), count(distinct record_number) from csww.workers") == [(30, 30)]
    # items missing in the sample are NULL (quality findings later), not rejections
    assert query("select count(*) from csww.workers where Ethnicity is null")[0][0] > 0
    assert query("select NumberOfVacancies, NoAgencyFTE, NoAgencyHeadcount from csww.la_level") == [
        ("79.68", "59.82", "71")
    ]
    assert query("select QualInst from csww.workers where record_number = 1") == [
        (["Institution Name"],)
    ]


def test_landing_has_exactly_the_contract_columns(incoming, load, query):
    write_xml_return(incoming, "301", 2024)
    load()
    columns = query(
        "select column_name from information_schema.columns "
        "where table_schema = 'csww' and table_name = 'workers' order by ordinal_position"
    )
    assert [c for (c,) in columns] == ["file_id", "record_number", *ALL_WORKER_ITEMS]
    la_columns = query(
        "select column_name from information_schema.columns "
        "where table_schema = 'csww' and table_name = 'la_level' order by ordinal_position"
    )
    assert [c for (c,) in la_columns] == ["file_id", *ALL_LA_LEVEL_ITEMS]


def test_2024_layout_lands_sex_and_every_value_as_written(incoming, load, query):
    workers = synthetic_workers("305", 2024, 3)
    workers[1]["OrgRole"] = "05"
    workers[2]["SWENo"] = "sw 930500003"  # a bad value lands as written
    workers[2]["FTE"] = "not a number"
    write_xml_return(incoming, "305", 2024, workers=workers)

    load()

    rows = query(
        "select record_number, SWENo, Sex, GenderCurrent, OrgRole, FTE, ContractWeeks, "
        "ReasonAbsence, QualInst from csww.workers order by record_number"
    )
    assert rows == [
        (
            1,
            "SW930500001",
            "F",
            None,
            "5",
            "0.800000",
            ["52.0", "10.0"],
            ["SIC", "TRN"],
            ["Synthetic University"],
        ),
        (
            2,
            "SW930500002",
            "F",
            None,
            "05",
            "0.800000",
            ["52.0", "10.0"],
            ["SIC", "TRN"],
            ["Synthetic University"],
        ),
        (
            3,
            "sw 930500003",
            "F",
            None,
            "5",
            "not a number",
            ["52.0", "10.0"],
            ["SIC", "TRN"],
            ["Synthetic University"],
        ),
    ]
    assert query("select count(*) from csww.load_errors") == [(0,)]


def test_2025_layout_lands_la_level_pay_items_and_worker_pay(incoming, load, query):
    write_xml_return(incoming, "306", 2025, count=2)

    load()

    assert query("select layout_version from csww.file_register") == [(2025,)]
    assert query(
        "select RecruitmentBonus, PerformanceAward, OtherAllowances, NumberOfVacancies "
        "from csww.la_level"
    ) == [("1", "2", "Synthetic allowance", "12.50")]
    assert query(
        "select BaseSalary, RRPayments, QualInst, CFKSSstatus from csww.workers "
        "order by record_number limit 1"
    ) == [("42000.00", "0.00", None, None)]
    assert query("select count(*) from csww.load_errors") == [(0,)]


def test_absent_is_null_and_present_but_empty_is_empty_text(incoming, load, query):
    workers = synthetic_workers("307", 2023, 1)
    del workers[0]["Ethnicity"]
    workers[0]["Cases30"] = ""
    workers[0]["ReasonAbsence"] = ["", "SIC"]
    write_xml_return(incoming, "307", 2023, workers=workers)

    load()

    assert query("select Ethnicity, Cases30, ReasonAbsence from csww.workers") == [
        (None, "", ["", "SIC"])
    ]


def test_items_off_the_allow_list_are_dropped_and_only_named(incoming, landing, load, query):
    workers = synthetic_workers("308", 2024, 2)
    workers[0]["NINumber"] = "QQ123456C"
    workers[1]["Name"] = "Synthetic Person-Zebedee"
    write_xml_return(incoming, "308", 2024, workers=workers)

    load()

    assert query("select status, dropped_items from csww.file_register") == [
        ("accepted", ["NINumber", "Name"])
    ]
    assert query("select item from csww.load_errors order by item") == [("NINumber",), ("Name",)]
    text = landing_text(landing)
    assert "QQ123456C" not in text and "Zebedee" not in text


def test_element_names_that_look_like_values_are_withheld(incoming, landing, load, query):
    """``<SW777000111>`` and ``<d1999-12-31>`` are legal XML names: never stored as given."""
    workers = synthetic_workers("308", 2024, 2)
    workers[0]["SW777000111"] = "x"
    workers[1]["NINumber"] = "QQ123456C"
    la_level = {**synthetic_la_level(2024), "d1999-12-31": "1"}
    text = xml_return_text("308", 2024, workers, la_level=la_level)
    text = text.replace("</Message>", "<_777000222/></Message>")
    (incoming / "308").mkdir()
    (incoming / "308" / "csww_2024.xml").write_text(text, encoding="utf-8")

    summary = load()

    assert summary.accepted == 1, str(summary)
    ((dropped,),) = query("select dropped_items from csww.file_register")
    assert sorted(dropped) == [
        "(element in CSWWWorker: name withheld, it looks like a value)",
        "(element in LALevelVacancies: name withheld, it looks like a value)",
        "(element in Message: name withheld, it looks like a value)",
        "NINumber",
    ]
    shown = landing_text(landing) + str(summary)
    for value in ("777000111", "1999-12-31", "777000222"):
        assert value not in shown


def test_items_contradicting_the_year_land_with_a_note(incoming, load, query):
    workers = synthetic_workers("309", 2022, 2)
    workers[0]["Sex"] = "M"
    write_xml_return(incoming, "309", 2022, workers=workers, la_level_name="LALevel")

    summary = load()

    assert summary.accepted == 1
    assert query("select Sex, GenderCurrent from csww.workers where record_number = 1") == [
        ("M", "1")
    ]
    notes = dict(query("select item, message from csww.load_errors"))
    assert set(notes) == {"LALevel", "Sex"}
    assert "not part of the 2021 layout" in notes["Sex"]
    assert "uses LALevelVacancies" in notes["LALevel"]


def test_a_single_item_given_twice_keeps_the_first_and_says_so(incoming, load, query):
    path = write_xml_return(incoming, "310", 2023, count=2)
    text = path.read_text(encoding="utf-8")
    twice = "<Cases30>12</Cases30><Cases30>99</Cases30>"
    path.write_text(text.replace("<Cases30>12</Cases30>", twice, 1), encoding="utf-8")

    load()

    assert query("select Cases30 from csww.workers order by record_number") == [("12",), ("12",)]
    assert query("select record_number, item from csww.load_errors") == [(1, "Cases30")]


def test_a_return_without_a_header_takes_its_year_from_the_file_name(incoming, load, query):
    path = write_xml_return(incoming, "311", 2023, header_year=None, lea=None)
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "<Header><CollectionDetails><Collection>CSWW</Collection></CollectionDetails></Header>",
            "",
        ),
        encoding="utf-8",
    )
    assert "<Header>" not in path.read_text(encoding="utf-8")

    load()

    assert query("select census_year, status from csww.file_register") == [(2023, "accepted")]


def test_participating_boroughs_can_be_configured(incoming, load, query):
    write_xml_return(incoming, "999", 2024, count=2)
    write_xml_return(incoming, "301", 2024, count=2)

    summary = load(participating={"999"})

    assert (summary.accepted, summary.rejected) == (1, 1)
    assert query("select la_code, status from csww.file_register order by la_code") == [
        ("301", "rejected"),
        ("999", "accepted"),
    ]
