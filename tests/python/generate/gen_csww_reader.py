"""An independent reader of CSWW XML returns and the docs/methodology.md rules.

Deliberately separate from the generator's bookkeeping: it parses the written files
with the standard library and recomputes each return's DfE indicators exactly (base
figures as decimals, rates as fractions of them by the project's indicator catalogue,
liia.indicator_catalogue), so a test comparing them with the published figures checks
what is in the files.
"""

from __future__ import annotations

import csv
import math
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from liia.indicator_catalogue import catalogue
from liia.privacy.identifier_rule import normalise_identifier

REPEATED = {"QualInst", "ContractWeeks", "Absat30Sept", "ReasonAbsence", "CFKSSstatus"}
CATALOGUE = catalogue()


@dataclass
class Return:
    """One parsed return file."""

    path: Path
    la_code: str
    census_year: int
    la_level_element: str
    la_level: dict[str, str]
    workers: list[dict[str, str | list[str]]] = field(default_factory=list)

    @property
    def reference_date(self) -> date:
        return date(self.census_year, 9, 30)

    @property
    def year_start(self) -> date:
        return date(self.census_year - 1, 10, 1)


def parse_return(path: Path) -> Return:
    root = ET.parse(path).getroot()
    year = int(root.findtext("Header/CollectionDetails/Year") or 0)
    la_code = root.findtext("Header/Source/LEA") or ""
    la_element = next(child for child in root if child.tag in ("LALevelVacancies", "LALevel"))
    parsed = Return(
        path=path,
        la_code=la_code,
        census_year=year,
        la_level_element=la_element.tag,
        la_level={child.tag: child.text or "" for child in la_element},
    )
    for worker in root.iter("CSWWWorker"):
        items: dict[str, str | list[str]] = {}
        for child in worker:
            text = child.text or ""
            if child.tag in REPEATED:
                items.setdefault(child.tag, [])
                items[child.tag].append(text)  # type: ignore[union-attr]
            else:
                items[child.tag] = text
        parsed.workers.append(items)
    return parsed


def iter_returns(folder: Path) -> Iterator[Return]:
    for path in sorted(folder.glob("*/csww_*.xml")):
        yield parse_return(path)


def _date(text: str | list[str] | None) -> date | None:
    return date.fromisoformat(str(text)) if text else None


def _dec(text: str | list[str] | None) -> Decimal | None:
    return Decimal(str(text)) if text not in (None, "") else None


@dataclass
class Indicators:
    inpost_fte: Decimal
    inpost_headcount: int
    starters_fte: Decimal
    leavers_fte: Decimal
    leavers_headcount: int
    agency_fte: Decimal
    vacancy_fte: Decimal
    agency_cover_fte: Decimal
    case_holders_fte: Decimal
    cases: int
    working_days_lost_fte: Decimal

    def rate(self, name: str) -> Fraction | None:
        """A DfE rate from these base figures, exact and unrounded (None when undefined)."""
        rate = CATALOGUE[name]
        return rate.value({figure: Fraction(getattr(self, figure)) for figure in rate.figures})


def round1(value: Decimal | Fraction) -> Decimal:
    """``value`` to 0.1, half up (as DfE rounds), exactly."""
    exact = Fraction(value)
    tenths = math.floor(abs(exact) * 10 + Fraction(1, 2))
    return Decimal(-tenths if exact < 0 else tenths).scaleb(-1)


def indicators(ret: Return) -> Indicators:
    """The docs/methodology.md indicators over one return."""
    start, ref = ret.year_start, ret.reference_date
    zero = Decimal(0)
    inpost_fte = starters = leavers = agency = holders = days = zero
    cases = 0
    inpost_people: set[tuple] = set()
    leaver_people: set[tuple] = set()
    for w in ret.workers:
        is_agency = w.get("AgencyWorker") == "1"
        end = _date(w.get("RoleEndDate"))
        begin = _date(w.get("RoleStartDate"))
        is_leaver = end is not None and start <= end <= ref
        in_post = end is None or end > ref
        is_starter = begin is not None and start <= begin <= ref
        fte = _dec(w.get("FTE"))
        fte30 = _dec(w.get("FTE30"))
        birth = _date(w.get("PersonBirthDate"))
        person = (
            ret.la_code,
            normalise_identifier(str(w.get("SWENo", ""))),
            birth.replace(day=1) if birth else None,
            w.get("GenderCurrent", w.get("Sex")),
            w.get("Ethnicity"),
        )
        if in_post:
            worker_cases = int(str(w["Cases30"])) if w.get("Cases30") else 0
            cases += worker_cases
            if worker_cases >= 1 and fte30 is not None:
                holders += fte30
        if is_agency:
            if in_post and fte30 is not None:
                agency += fte30
            continue
        if in_post:
            if fte30 is not None:
                inpost_fte += fte30
            inpost_people.add(person)
            days += _dec(w.get("WorkingDaysLost")) or zero
        if is_starter and fte is not None:
            starters += fte
        if is_leaver:
            if fte is not None:
                leavers += fte
            leaver_people.add((*person, end))
    return Indicators(
        inpost_fte=inpost_fte,
        inpost_headcount=len(inpost_people),
        starters_fte=starters,
        leavers_fte=leavers,
        leavers_headcount=len(leaver_people),
        agency_fte=agency,
        vacancy_fte=_dec(ret.la_level.get("NumberOfVacancies")) or zero,
        agency_cover_fte=_dec(ret.la_level.get("NoAgencyFTE")) or zero,
        case_holders_fte=holders,
        cases=cases,
        working_days_lost_fte=days,
    )


def read_published(path: Path) -> list[dict[str, str]]:
    """The published indicators file as rows of text."""
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def published_number(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except ArithmeticError:
        return None
