"""The audit log: every event of a run, no personal value, append-only, kept on failure."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from liia.governance import audit_log
from liia.governance.audit_log import AuditEvent, safe_command_line
from tests.python.conftest import REPO_ROOT, run_liia
from tests.python.governance.conftest import Retained


def _jsonl(home: Path) -> list[dict]:
    path = home / "audit" / "audit.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _personal_values(home: Path) -> tuple[set[str], set[str], set[str]]:
    landing = duckdb.connect(str(home / "landing.duckdb"), read_only=True)
    try:
        swe = {
            r[0] for r in landing.execute('select distinct "SWENo" from csww.workers').fetchall()
        }
        dob = {
            r[0]
            for r in landing.execute(
                'select distinct "PersonBirthDate" from csww.workers'
            ).fetchall()
        }
    finally:
        landing.close()
    warehouse = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        hashes = {
            r[0]
            for r in warehouse.execute(
                "select distinct swe_number_hash from marts.fct_worker_census"
            ).fetchall()
        }
    finally:
        warehouse.close()
    return {s for s in swe if s}, {d for d in dob if d}, {h for h in hashes if h}


def test_a_run_records_every_stage(run_home: Path) -> None:
    events = _jsonl(run_home)
    actions = [(e["action"], e["outcome"]) for e in events]
    assert actions[0] == ("run", "started")
    assert ("retention", "nothing_to_destroy") in actions
    loads = [e for e in events if e["action"] == "load"]
    assert len(loads) == 18  # 3 boroughs x 6 years, each accepted
    assert {e["outcome"] for e in loads} == {"accepted"}
    assert all(re.fullmatch(r"[0-9a-f]{64}", e["file_sha256"]) for e in loads)
    assert all(e["row_count"] > 0 for e in loads)
    for stage in ("load_run", "build", "validation", "privacy_scan"):
        assert stage in {a for a, _ in actions}, stage
    assert ("build", "succeeded") in actions
    assert ("validation", "passed") in actions
    exports = [e for e in events if e["action"] == "export"]
    assert len(exports) == 18 and {e["outcome"] for e in exports} == {"written"}
    assert events[-1]["action"] == "run"
    assert events[-1]["outcome"] in ("succeeded", "failed (exit 4)")
    assert {e["os_user"] for e in events} and all(e["os_user"] for e in events)
    assert {e["command_line"] for e in events} == {"liia run"}
    assert len({e["run_id"] for e in events}) == 1


def test_the_table_and_the_jsonl_agree_and_the_chain_holds(run_home: Path) -> None:
    conn = duckdb.connect(str(run_home / "landing.duckdb"), read_only=True)
    try:
        check = audit_log.verify(conn, run_home)
        (rows,) = conn.execute("select count(*) from csww.audit_log").fetchone()
    finally:
        conn.close()
    assert check.intact, str(check)
    assert check.events == rows == check.jsonl_events == len(_jsonl(run_home))


def test_no_personal_value_in_the_audit_log(run_home: Path) -> None:
    swe, dob, hashes = _personal_values(run_home)
    assert swe and dob and hashes
    text = (run_home / "audit" / "audit.jsonl").read_text()
    conn = duckdb.connect(str(run_home / "landing.duckdb"), read_only=True)
    try:
        table = "\n".join(str(r) for r in conn.execute("select * from csww.audit_log").fetchall())
    finally:
        conn.close()
    for where in (text, table):
        assert not [s for s in swe if s in where]
        assert not [d for d in dob if d in where]
        assert not [h for h in hashes if h in where]


def test_retention_events_stay_and_name_no_value(retained_home: Retained) -> None:
    events = _jsonl(retained_home.home)
    deletions = [e for e in events if e["action"] == "retention_deletion"]
    assert {e["census_year"] for e in deletions if e["census_year"]} == {2020, 2021}
    assert {"incoming", "landing", "warehouse", "exports", "analyst"} <= {
        e["detail"].split(":", 1)[0] for e in deletions
    }
    # every event of the run before retention is still there, unchanged
    run_events = [e for e in events if e["command_line"] == "liia run"]
    assert run_events and run_events[0]["action"] == "run"
    conn = duckdb.connect(str(retained_home.home / "landing.duckdb"), read_only=True)
    try:
        assert audit_log.verify(conn, retained_home.home).intact
    finally:
        conn.close()
    text = (retained_home.home / "audit" / "audit.jsonl").read_text()
    assert not [h for h in retained_home.before.destroyed_only_hashes if h in text]
    assert not [s for s in retained_home.before.destroyed_only_swe if s in text]


def test_a_failed_run_still_records_what_it_did(tmp_path: Path, governance_incoming: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(governance_incoming / "201", home / "incoming" / "201")
    # DuckDB refuses this memory limit, so dbt's build fails (exit 2)
    result = run_liia(home, "run", check=False, LIIA_DUCKDB_MEMORY_LIMIT="not-a-size")
    assert result.returncode == 2, result.stdout[-3000:] + result.stderr[-3000:]
    events = _jsonl(home)
    actions = [(e["action"], e["outcome"]) for e in events]
    assert ("load_run", "done") in actions
    assert [e["outcome"] for e in events if e["action"] == "load"] == ["accepted"] * 6
    assert ("build", "failed") in actions
    assert actions[-1] == ("run", "failed (exit 2)")
    assert "validation" not in {a for a, _ in actions}
    assert (home / "reports" / "data_assets.csv").exists()  # the register, however it ended


def test_tampering_breaks_the_chain(run_home: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(run_home / "landing.duckdb", home / "landing.duckdb")
    shutil.copytree(run_home / "audit", home / "audit")
    conn = duckdb.connect(str(home / "landing.duckdb"))
    try:
        assert audit_log.verify(conn, home).intact
        # only a test ever does this: the project never updates or deletes an audit row
        conn.execute("update csww.audit_log set row_count = 1 where action = 'load_run'")
        check = audit_log.verify(conn, home)
    finally:
        conn.close()
    assert not check.intact
    assert any("hash does not match" in p for p in check.problems)
    assert any("differs from the table" in p for p in check.problems)


def test_a_deleted_row_is_missed_by_the_jsonl(run_home: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(run_home / "landing.duckdb", home / "landing.duckdb")
    shutil.copytree(run_home / "audit", home / "audit")
    conn = duckdb.connect(str(home / "landing.duckdb"))
    try:
        conn.execute(
            "delete from csww.audit_log where event_id = (select max(event_id) from csww.audit_log)"
        )
        check = audit_log.verify(conn, home)
    finally:
        conn.close()
    assert any("missing from the table" in p for p in check.problems)


_WRITES = re.compile(
    r"\b(update|delete\s+from|truncate|drop\s+table|alter\s+table\s+\S*audit_log\s+(drop|rename))"
    r"[^;\"']{0,80}audit_log",
    re.IGNORECASE,
)


def test_no_code_updates_or_deletes_an_audit_row() -> None:
    offenders = []
    for folder in ("src", "models", "macros", "snapshots", "scripts"):
        for path in (REPO_ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in {".py", ".sql", ".yml", ".sh"}:
                for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                    if _WRITES.search(line):
                        offenders.append(f"{path.relative_to(REPO_ROOT)}:{number}")
    assert offenders == []
    # the pattern does catch a write
    assert _WRITES.search("conn.execute('delete from csww.audit_log where x')")
    assert _WRITES.search('f"update {S}.audit_log set detail = ?"')


def test_an_older_landing_gains_the_columns_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "landing.duckdb"
    conn = duckdb.connect(str(path))
    conn.execute("create schema csww")
    conn.execute(
        "create table csww.audit_log (event_at timestamp not null, action varchar not null, "
        "la_code varchar, census_year integer, file_id integer, detail varchar)"
    )
    conn.execute("insert into csww.audit_log values (now(), 'load', '301', 2024, 1, 'old')")
    conn.close()
    audit_log.record(path, [AuditEvent("build", "succeeded", "dbt build")])
    conn = duckdb.connect(str(path))
    try:
        rows = conn.execute(
            "select action, event_id, event_hash is null from csww.audit_log order by event_id"
        ).fetchall()
        check = audit_log.verify(conn, tmp_path)
    finally:
        conn.close()
    assert rows == [("load", 1, True), ("build", 2, False)]
    assert check.intact and check.legacy_events == 1 and check.events == 1


@pytest.mark.parametrize(
    ("argv", "env", "shown"),
    [
        (["/venv/bin/liia", "run", "--strict"], {}, "liia run --strict"),
        (["liia", "run", "--hash-key=abc123secret"], {}, "liia run --hash-key=<redacted>"),
        (["liia", "run", "--token", "abc123secret"], {}, "liia run --token <redacted>"),
        (["liia", "x", "k=abc123secret"], {"LIIA_HASH_KEY": "abc123secret"}, "liia x <redacted>"),
        (
            ["liia", "retention", "--as-of", "2027-11-01"],
            {"LIIA_HASH_KEY": "2027"},
            "liia retention --as-of <redacted>",
        ),
    ],
)
def test_command_line_never_shows_a_secret(argv: list[str], env: dict, shown: str) -> None:
    assert safe_command_line(argv, env) == shown


def test_key_file_contents_are_redacted(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text("file-secret-of-the-key\n")
    env = {"LIIA_HASH_KEY_FILE": str(key_file)}
    assert safe_command_line(["liia", "x", "file-secret-of-the-key"], env) == "liia x <redacted>"
