"""A small synthetic landing database, and a dbt build over it, for focused tests.

Every value here is invented. The rows cover what staging must handle: SWE
numbers canonical, in need of normalisation, sent already hashed, invalid,
blank and absent; birth dates full, already on the 1st, leap days, garbage;
one worker moving between boroughs under two spellings of one number; a
superseded and a rejected file; an LA-level record per accepted file.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from liia.csww_schema import ALL_LA_LEVEL_ITEMS, ALL_WORKER_ITEMS
from liia.load.landing_schema import create_landing
from tests.python.conftest import liia_env, skip_if_fast

REPO_ROOT = Path(__file__).resolve().parents[3]
LIIA = str(Path(sys.executable).with_name("liia"))
DBT = str(Path(sys.executable).with_name("dbt"))

SENDER_HASH = "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789"
# One worker in two boroughs; the first spelling has a no-break space (U+00A0) inside.
MOVER_SPELLINGS = ("SW\u00a01234", "sw1234")
# Raw identifiers that must never reach the warehouse (also scanned for by the tests).
RAW_SWE_NUMBERS = ("SW500001", " sw 500002 ", "SW500003", *MOVER_SPELLINGS, "SW500004")
FULL_BIRTH_DATES = ("1985-06-17", "1996-02-29", "1979-11-23", "1991-08-12", "1988-12-31")

# Landing identifiers typed into free text and messages, in spellings the normaliser folds:
# staging withholds each (stg_csww__la_level, stg_csww__worker_items, stg_csww__load_errors).
FREE_TEXT_LEAKS = {
    "other_allowances": "Relocation paid to SW-500003",
    "qual_inst": "\uff33\uff37\uff15\uff10\uff10\uff10\uff10\uff14 college",
    "load_error": "record 1: item S W500001 is not a date",
}
# A dropped item named with non-ASCII letters (kept, it is a name) and a 64-hex header
# (redacted): messages quoting them must not fail assert_dq_messages_hold_no_identifier.
ODD_ITEM_NAMES = (
    "\u00e9ab1234",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
)

# Staging selections that do not depend on other engineers' models.
STAGING_SELECTION = ("path:models/staging", "path:tests/dbt/macros", "path:tests/dbt/staging")


@dataclass(frozen=True)
class Worker:
    la_code: str
    record_number: int
    items: dict[str, str | list[str] | None]


def _file_row(
    file_id: int, la_code: str, year: int, status: str, workers: int, **extra: object
) -> dict[str, object]:
    layout = 2025 if year >= 2025 else 2024 if year == 2024 else 2021
    now = datetime(2025, 10, 15, 9, 0, 0)
    row: dict[str, object] = {
        "file_id": file_id,
        "file_sha256": f"{file_id:064x}",
        "file_path": f"{la_code}/csww_{year}.xml",
        "file_name": f"csww_{year}.xml",
        "la_code": la_code,
        "census_year": year,
        "layout_version": layout,
        "file_format": "xml",
        "received_at": now,
        "loaded_at": now,
        "worker_rows": workers,
        "status": status,
        "reason": None,
        "superseded_by": None,
        "dropped_items": [],
    }
    row.update(extra)
    return row


def _base_items(**items: str | list[str] | None) -> dict[str, str | list[str] | None]:
    base: dict[str, str | list[str] | None] = {
        "AgencyWorker": "0",
        "FTE": "1",
        "Ethnicity": "WBRI",
        "QualLevel": "1",
        "StepUpGrad": "0",
        "FrontlineGrad": "0",
        "OrgRole": "5",
        "RoleStartDate": "2019-04-01",
        "StartOrigin": "1",
        "FTE30": "1",
        "Cases30": "14",
        "WorkingDaysLost": "2.5",
        "ContractWeeks": None,
        "Absat30Sept": ["0"],
        "ReasonAbsence": None,
    }
    base.update(items)
    return base


FILES = [
    _file_row(1, "301", 2024, "accepted", 4, dropped_items=["NINumber", "Surname"]),
    _file_row(2, "302", 2025, "accepted", 4),
    _file_row(3, "301", 2023, "superseded", 1, superseded_by=4, reason="replaced by file 4"),
    _file_row(4, "301", 2023, "accepted", 1),
    _file_row(5, "303", 2025, "rejected", 0, reason="header LEA names another borough"),
]

WORKERS: dict[int, list[dict[str, str | list[str] | None]]] = {
    1: [
        _base_items(
            SWENo="SW500001",
            PersonBirthDate="1985-06-17",
            Sex="F",
            QualInst=["Uni A", " ", "Uni B"],
            CFKSSstatus=["1", "2"],
        ),
        _base_items(SWENo=" sw 500002 ", PersonBirthDate="1990-03-01", Sex="M", FTE=" 0.5 "),
        _base_items(SWENo=SENDER_HASH, PersonBirthDate="1996-02-29", Sex="F", Cases30="many"),
        _base_items(
            SWENo=MOVER_SPELLINGS[0],
            PersonBirthDate="1979-11-23",
            Sex="M",
            RoleEndDate="2024-06-30",
            ReasonLeave="1",
            LeaverDestination="1",
        ),
    ],
    2: [
        _base_items(
            SWENo=MOVER_SPELLINGS[1],
            PersonBirthDate="1979-11-23",
            Sex="M",
            StartOrigin="2",
            BaseSalary="41000.50",
            RRPayments="",
            OtherPayments=None,
        ),
        _base_items(SWENo="", PersonBirthDate="abc", Sex="F"),
        _base_items(
            SWENo=None,
            PersonBirthDate=None,
            Sex="F",
            ContractWeeks=["12.5", "x"],
            ReasonAbsence=["sic", "MAT"],
        ),
        _base_items(SWENo="47-0815-2", PersonBirthDate="30/11/1992", Sex="F", Ethnicity=" abng "),
    ],
    3: [_base_items(SWENo="SW500003", PersonBirthDate="1991-08-12", GenderCurrent="2")],
    4: [
        _base_items(
            SWENo="SW500004",
            PersonBirthDate="1988-12-31",
            GenderCurrent="1",
            QualInst=[FREE_TEXT_LEAKS["qual_inst"], "Uni C"],
        )
    ],
}

LA_LEVEL = {
    1: {"NumberOfVacancies": "3.50", "NoAgencyFTE": "2", "NoAgencyHeadcount": "2"},
    2: {
        "NumberOfVacancies": "x",
        "NoAgencyFTE": "1.25",
        "NoAgencyHeadcount": "1",
        "RecruitmentBonus": "1",
        "CostSWE": "2",
        "OtherAllowances": " London weighting ",
    },
    3: {"NumberOfVacancies": "1", "NoAgencyFTE": "0", "NoAgencyHeadcount": "0"},
    4: {
        "NumberOfVacancies": "1",
        "NoAgencyFTE": "0",
        "NoAgencyHeadcount": "0",
        "OtherAllowances": FREE_TEXT_LEAKS["other_allowances"],
    },
}


def create_synthetic_landing(landing_path: Path) -> None:
    """Write the synthetic landing database (replacing any file there)."""
    landing_path.unlink(missing_ok=True)
    conn = duckdb.connect(str(landing_path))
    try:
        create_landing(conn)
        for row in FILES:
            columns = ", ".join(row)
            placeholders = ", ".join("?" for _ in row)
            conn.execute(
                f"insert into csww.file_register ({columns}) values ({placeholders})",
                list(row.values()),
            )
        item_columns = ", ".join(f'"{item}"' for item in ALL_WORKER_ITEMS)
        placeholders = ", ".join("?" for _ in range(len(ALL_WORKER_ITEMS) + 2))
        for file_id, workers in WORKERS.items():
            for number, items in enumerate(workers, start=1):
                values = [items.get(item) for item in ALL_WORKER_ITEMS]
                conn.execute(
                    f"insert into csww.workers (file_id, record_number, {item_columns}) "
                    f"values ({placeholders})",
                    [file_id, number, *values],
                )
        la_columns = ", ".join(f'"{item}"' for item in ALL_LA_LEVEL_ITEMS)
        la_placeholders = ", ".join("?" for _ in range(len(ALL_LA_LEVEL_ITEMS) + 1))
        for file_id, items in LA_LEVEL.items():
            conn.execute(
                f"insert into csww.la_level (file_id, {la_columns}) values ({la_placeholders})",
                [file_id, *(items.get(item) for item in ALL_LA_LEVEL_ITEMS)],
            )
        conn.execute(
            "insert into csww.load_errors values "
            "(2, '302/csww_2025.xml', '302', 2, 'PersonBirthDate', "
            "'302/csww_2025.xml record 2: PersonBirthDate is not a date', ?), "
            "(null, '999/x.xml', '999', null, null, '999 is not a participating authority', ?)",
            [datetime(2025, 10, 15), datetime(2025, 10, 15)],
        )
        conn.executemany(
            "insert into csww.load_errors values (4, '301/csww_2023.xml', '301', ?, ?, ?, ?)",
            [
                (1, "PersonBirthDate", FREE_TEXT_LEAKS["load_error"], datetime(2025, 10, 15)),
                *(
                    (
                        None,
                        name,
                        f"item {name} is not on the CSWW allow-list: dropped at landing",
                        datetime(2025, 10, 15),
                    )
                    for name in ODD_ITEM_NAMES
                ),
            ],
        )
        conn.execute(
            "insert into csww.audit_log (event_at, action, la_code, census_year, file_id, detail) "
            "values (?, 'load', '301', 2024, 1, 'accepted')",
            [datetime(2025, 10, 15)],
        )
    finally:
        conn.close()


def run_liia(home: Path, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    """Run ``liia <args>`` for ``home``; the caller checks the return code."""
    return subprocess.run(
        [LIIA, *args],
        env=liia_env(home, **extra_env),
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
    )


def build_staging(
    home: Path, *extra_dbt_args: str, **extra_env: str
) -> subprocess.CompletedProcess[str]:
    """Create the synthetic landing under ``home`` and ``dbt build`` the staging models on it."""
    home.mkdir(parents=True, exist_ok=True)
    create_synthetic_landing(home / "landing.duckdb")
    (home / "warehouse.duckdb").unlink(missing_ok=True)
    return run_dbt_cli(
        home,
        "build",
        "--select",
        *STAGING_SELECTION,
        "--indirect-selection",
        "cautious",
        *extra_dbt_args,
        **extra_env,
    )


def run_dbt_cli(home: Path, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    """``dbt <args>`` on this project with every artefact under ``home`` (as ``liia build``)."""
    skip_if_fast("dbt")
    paths = (
        "--project-dir",
        str(REPO_ROOT),
        "--profiles-dir",
        str(REPO_ROOT),
        "--target-path",
        str(home / "dbt" / "target"),
        "--log-path",
        str(home / "dbt" / "logs"),
    )
    return subprocess.run(
        [DBT, *args, *paths],
        env=liia_env(home, **extra_env),
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
    )


def copy_home(source: Path, target: Path) -> Path:
    """A copy of a LIIA_HOME (databases, exports, dbt artefacts) to experiment on."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.wal"))
    return target
