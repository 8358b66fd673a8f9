"""Reloading changes nothing; a corrected resubmission supersedes the earlier return."""

from __future__ import annotations

import os
import time

from tests.python.load.synthetic_returns import write_csv_return, write_xml_return

_TABLES = ("file_register", "workers", "la_level", "load_errors", "audit_log")


def _counts(query) -> dict[str, int]:
    return {table: query(f"select count(*) from csww.{table}")[0][0] for table in _TABLES}


def test_the_same_files_loaded_twice_change_nothing(incoming, load, query):
    write_xml_return(incoming, "301", 2023, count=3)
    write_csv_return(incoming, "302", 2024, count=2)
    (incoming / "303").mkdir()
    (incoming / "303" / "csww_2024.xml").write_text("<Message>", encoding="utf-8")
    first = load()
    register = query("select * from csww.file_register order by file_id")
    counts = _counts(query)

    second = load()

    assert (first.accepted, first.rejected) == (2, 1)
    assert (second.accepted, second.rejected, second.unchanged, second.workers_landed) == (
        0,
        0,
        3,
        0,
    )
    assert "3 unchanged" in str(second)
    assert query("select * from csww.file_register order by file_id") == register
    assert _counts(query) == counts


def test_the_same_bytes_under_another_name_are_unchanged(incoming, load, query):
    path = write_xml_return(incoming, "301", 2023, count=3)
    load()
    (incoming / "301" / "csww_2023_copy.xml").write_bytes(path.read_bytes())

    summary = load()

    assert summary.unchanged == 2 and summary.accepted == 0
    assert query("select count(*) from csww.file_register") == [(1,)]


def test_a_resubmission_supersedes_the_earlier_return(incoming, load, query):
    now = time.time()
    write_xml_return(incoming, "301", 2024, count=3, file_name="csww_2024.xml", mtime=now - 100)
    write_xml_return(incoming, "302", 2024, count=2)
    load()
    write_xml_return(incoming, "301", 2024, count=5, file_name="csww_2024_v2.xml", mtime=now)

    summary = load()

    assert (summary.accepted, summary.superseded, summary.unchanged) == (1, 1, 2)
    register = query(
        "select file_id, file_name, status, superseded_by, worker_rows from csww.file_register "
        "where la_code = '301' order by file_id"
    )
    (old_id, _, old_status, old_by, _), (new_id, _, new_status, new_by, new_rows) = register
    assert (old_status, old_by) == ("superseded", new_id)
    assert (new_status, new_by, new_rows) == ("accepted", None, 5)
    assert query(
        "select count(*) from csww.file_register where la_code = '301' and census_year = 2024 "
        "and status = 'accepted'"
    ) == [(1,)]
    # the superseded return's rows stay as history
    assert query("select file_id, count(*) from csww.workers group by 1 order by 1") == [
        (old_id, 3),
        (old_id + 1, 2),
        (new_id, 5),
    ]
    details = [d for (d,) in query("select detail from csww.audit_log where file_id = ?", [new_id])]
    assert details and f"supersedes file(s) {old_id}" in details[0]


def test_files_of_one_run_are_taken_in_received_order(incoming, load, query):
    now = time.time()
    # the alphabetically first name was received last: it is the current return
    write_xml_return(incoming, "301", 2024, count=4, file_name="a_csww_2024.xml", mtime=now)
    write_xml_return(incoming, "301", 2024, count=2, file_name="b_csww_2024.xml", mtime=now - 60)
    write_csv_return(incoming, "301", 2024, count=1, file_name="c_csww_2024.csv")
    os.utime(incoming / "301" / "c_csww_2024.csv", (now - 120, now - 120))

    summary = load()

    assert (summary.accepted, summary.superseded) == (1, 2)
    assert query("select file_name, status from csww.file_register order by received_at") == [
        ("c_csww_2024.csv", "superseded"),
        ("b_csww_2024.xml", "superseded"),
        ("a_csww_2024.xml", "accepted"),
    ]


def test_a_file_of_a_later_run_supersedes_whatever_its_mtime(incoming, load, query):
    """A corrected return copied in with its original, older timestamp (cp -p, rsync,
    unzip) still replaces the return accepted in an earlier run."""
    now = time.time()
    write_xml_return(incoming, "301", 2024, count=4, file_name="csww_2024_v1.xml", mtime=now)
    load()
    write_xml_return(
        incoming, "301", 2024, count=2, file_name="csww_2024_a.xml", mtime=now - 86_400
    )

    summary = load()

    assert (summary.accepted, summary.superseded) == (1, 1)
    register = query(
        "select file_id, file_name, status, superseded_by from csww.file_register order by 1"
    )
    (old_id, _, _, _), (new_id, _, _, _) = register
    assert register == [
        (old_id, "csww_2024_v1.xml", "superseded", new_id),
        (new_id, "csww_2024_a.xml", "accepted", None),
    ]
    assert query("select worker_rows from csww.file_register where status = 'accepted'") == [(2,)]


def test_a_later_run_orders_its_own_files_by_mtime(incoming, load, query):
    """Two files of one later run: both beat the earlier run's return; of the two, the
    later modified is current, whatever the earlier run's timestamp."""
    now = time.time()
    write_xml_return(incoming, "301", 2024, count=4, file_name="csww_2024.xml", mtime=now)
    load()
    write_xml_return(incoming, "301", 2024, count=2, file_name="b.xml", mtime=now - 60)
    write_xml_return(incoming, "301", 2024, count=1, file_name="c.xml", mtime=now - 120)

    summary = load()

    assert (summary.accepted, summary.superseded) == (1, 2)
    assert query("select file_name, status from csww.file_register order by file_id") == [
        ("csww_2024.xml", "superseded"),
        ("c.xml", "superseded"),
        ("b.xml", "accepted"),
    ]


def test_a_rejected_resubmission_leaves_the_current_return_in_place(incoming, load, query):
    write_xml_return(incoming, "301", 2024, count=3)
    load()
    (incoming / "301" / "csww_2024_v2.xml").write_text("<Message><CSWWWorker>", encoding="utf-8")

    summary = load()

    assert summary.rejected == 1
    assert query("select file_name, status from csww.file_register order by file_id") == [
        ("csww_2024.xml", "accepted"),
        ("csww_2024_v2.xml", "rejected"),
    ]
