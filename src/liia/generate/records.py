"""One worker record of one return, and its DfE items for a layout."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from liia.csww_schema import worker_items
from liia.generate.people import Person

Items = dict[str, str | list[str]]


def micro_text(value: int) -> str:
    """Millionths as a 6 dp decimal: 1_000_000 -> '1.000000'."""
    return f"{value // 1_000_000}.{value % 1_000_000:06d}"


def centi_text(value: int) -> str:
    """Hundredths as a 2 dp decimal: 1250 -> '12.50'."""
    return f"{value // 100}.{value % 100:02d}"


@dataclass(slots=True)
class WorkerRecord:
    """A ``CSWWWorker``: a snapshot of a person's role in a borough in one census year."""

    person: Person
    agency: bool
    org_role: int
    role_start: date
    start_origin: int
    fte: int  # micro
    cfkss_status: int | None = None
    base_salary: int | None = None
    fte30: int | None = None  # micro; None for leavers
    role_end: date | None = None
    leaver_destination: int | None = None
    reason_leave: int | None = None
    cases30: int | None = None
    working_days_lost: int | None = None  # centi
    absent_at_30_sept: int | None = None
    absence_reason: str | None = None
    contract_weeks: int | None = None  # tenths of a week
    rr_payments: int = 0  # pence
    other_payments: int = 0  # pence

    @property
    def in_post(self) -> bool:
        return self.role_end is None


def record_items(record: WorkerRecord, layout: int) -> Items:
    """The record's items present in ``layout`` (absent items left out), as text."""
    p = record.person
    la_employed = not record.agency
    values: dict[str, str | list[str] | None] = {
        "AgencyWorker": "1" if record.agency else "0",
        "SWENo": p.swe_number,
        "FTE": micro_text(record.fte),
        "PersonBirthDate": p.birth_date.isoformat(),
        "GenderCurrent": "2" if p.sex == "F" else "1",
        "Sex": p.sex,
        "Ethnicity": p.ethnicity,
        "QualInst": [p.qual_inst],
        "QualLevel": str(p.qual_level),
        "StepUpGrad": str(p.step_up_grad),
        "OrgRole": str(record.org_role),
        "RoleStartDate": record.role_start.isoformat(),
        "StartOrigin": str(record.start_origin) if la_employed else None,
        "RoleEndDate": record.role_end.isoformat() if record.role_end else None,
        "LeaverDestination": _text(record.leaver_destination),
        "ReasonLeave": _text(record.reason_leave),
        "FTE30": micro_text(record.fte30) if record.fte30 is not None else None,
        "Cases30": _text(record.cases30),
        "WorkingDaysLost": (
            centi_text(record.working_days_lost) if record.working_days_lost is not None else None
        ),
        "ContractWeeks": (
            [f"{record.contract_weeks // 10}.{record.contract_weeks % 10}"]
            if record.contract_weeks is not None
            else None
        ),
        "FrontlineGrad": str(p.frontline_grad),
        "Absat30Sept": [str(record.absent_at_30_sept)]
        if record.absent_at_30_sept is not None
        else None,
        "ReasonAbsence": [record.absence_reason] if record.absence_reason else None,
        "CFKSSstatus": [str(record.cfkss_status)] if record.cfkss_status else None,
        "BaseSalary": f"{record.base_salary}.00" if record.base_salary and la_employed else None,
        "RRPayments": centi_text(record.rr_payments) if la_employed else None,
        "OtherPayments": centi_text(record.other_payments) if la_employed else None,
    }
    items: Items = {}
    for name in worker_items(layout):
        value = values.get(name)
        if value is not None:
            items[name] = value
    return items


def _text(value: int | None) -> str | None:
    return None if value is None else str(value)
