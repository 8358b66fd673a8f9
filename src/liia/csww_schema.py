"""The DfE CSWW return layouts: which items each census year carries.

This module is the single description of the input format shared by the sample
generator (which writes it) and the loader (which reads it). Item names are the
DfE XML element names and are also the landing-zone column names.
"""

from __future__ import annotations

FIRST_LAYOUT_YEAR = 2021
LATEST_LAYOUT_YEAR = 2025

# Worker items in DfE schema order, for the 2021-2023 layout (also used for 2020).
_WORKER_ITEMS_2021: tuple[str, ...] = (
    "AgencyWorker",
    "SWENo",
    "FTE",
    "PersonBirthDate",
    "GenderCurrent",
    "Ethnicity",
    "QualInst",
    "QualLevel",
    "StepUpGrad",
    "OrgRole",
    "RoleStartDate",
    "StartOrigin",
    "RoleEndDate",
    "LeaverDestination",
    "ReasonLeave",
    "FTE30",
    "Cases30",
    "WorkingDaysLost",
    "ContractWeeks",
    "FrontlineGrad",
    "Absat30Sept",
    "ReasonAbsence",
    "CFKSSstatus",
)

_WORKER_ITEMS_2024 = tuple(
    "Sex" if item == "GenderCurrent" else item for item in _WORKER_ITEMS_2021
)

_WORKER_ITEMS_2025 = (
    *(item for item in _WORKER_ITEMS_2024 if item not in {"QualInst", "CFKSSstatus"}),
    "BaseSalary",
    "RRPayments",
    "OtherPayments",
)

# Items that may occur more than once in one CSWWWorker; landed as lists.
REPEATED_WORKER_ITEMS: frozenset[str] = frozenset(
    {"QualInst", "ContractWeeks", "Absat30Sept", "ReasonAbsence", "CFKSSstatus"}
)

# Items that identify a person: they exist only in the landing zone.
PERSONAL_WORKER_ITEMS: frozenset[str] = frozenset({"SWENo", "PersonBirthDate"})

_LA_ITEMS_2021: tuple[str, ...] = ("NumberOfVacancies", "NoAgencyFTE", "NoAgencyHeadcount")

# 2025 LA-level pay incentives, coded 0 no / 1 all eligible staff / 2 some.
PAY_INCENTIVE_ITEMS: tuple[str, ...] = (
    "RecruitmentBonus",
    "RetentionBonus",
    "PerformanceAward",
    "CarAllowance",
    "RelocationPackage",
    "RegionalWeighting",
    "CostSWE",
    "CostDBS",
)
_LA_ITEMS_2025: tuple[str, ...] = (*_LA_ITEMS_2021, *PAY_INCENTIVE_ITEMS, "OtherAllowances")


def layout_version(census_year: int) -> int:
    """The layout a census year's return uses (2020 returns use the 2021 layout)."""
    if census_year >= 2025:
        return 2025
    if census_year == 2024:
        return 2024
    return 2021


def worker_items(layout: int) -> tuple[str, ...]:
    """Worker items of a layout version, in DfE schema order."""
    return {2021: _WORKER_ITEMS_2021, 2024: _WORKER_ITEMS_2024, 2025: _WORKER_ITEMS_2025}[layout]


def la_level_element(layout: int) -> str:
    """Name of the LA-level element: LALevelVacancies, renamed LALevel in 2025."""
    return "LALevel" if layout >= 2025 else "LALevelVacancies"


def la_level_items(layout: int) -> tuple[str, ...]:
    """LA-level items of a layout version, in DfE schema order."""
    return _LA_ITEMS_2025 if layout >= 2025 else _LA_ITEMS_2021


# Every item any layout carries: the landing zone's allow-list.
ALL_WORKER_ITEMS: tuple[str, ...] = tuple(
    dict.fromkeys(_WORKER_ITEMS_2021 + _WORKER_ITEMS_2024 + _WORKER_ITEMS_2025)
)
ALL_LA_LEVEL_ITEMS: tuple[str, ...] = _LA_ITEMS_2025
