"""Synthetic social workers: who they are (persistent) and their role in one borough."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

# London's children's social workforce: mostly female, ethnically diverse.
ETHNICITY_WEIGHTS: dict[str, float] = {
    "WBRI": 33, "WIRI": 2.5, "WOTH": 8, "MWBC": 2.5, "MWBA": 1.2, "MWAS": 1, "MOTH": 2,
    "AIND": 4.5, "APKN": 2, "ABAN": 1.5, "AOTH": 2.5, "CHNE": 0.6, "BCRB": 9, "BAFR": 17,
    "BOTH": 3, "OOTH": 3, "REFU": 2.2, "NOBT": 4.5,
}  # fmt: skip
ORG_ROLE_WEIGHTS: dict[int, float] = {5: 44, 4: 16, 3: 12, 2: 6, 1: 2, 6: 20}
CASE_HOLDING_ROLES = (5, 4, 3)
START_ORIGIN_WEIGHTS: dict[int, float] = {
    1: 24, 2: 14, 3: 5, 4: 18, 5: 5, 6: 6, 7: 5, 8: 4, 9: 15, 10: 4,
}  # fmt: skip
LEAVER_DESTINATION_WEIGHTS: dict[int, float] = {
    1: 12, 2: 4, 3: 16, 4: 6, 5: 5, 6: 10, 7: 7, 8: 35, 9: 5,
}  # fmt: skip
REASON_LEAVE_WEIGHTS: dict[int, float] = {1: 62, 2: 2, 3: 1, 4: 3, 7: 4, 8: 10, 9: 15, 10: 3}
INSTITUTIONS = (
    "Goldsmiths, University of London", "University of East London", "Middlesex University",
    "London South Bank University", "Kingston University", "Brunel University London",
    "University of Greenwich", "Royal Holloway, University of London",
    "University of Bedfordshire", "University of Hertfordshire", "University of Sussex",
    "The Open University", "Canterbury Christ Church University", "University of Kent",
)  # fmt: skip


def weighted(rng: random.Random, weights: dict) -> object:
    """One key of ``weights`` drawn in proportion to its weight."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def census_start(year: int) -> date:
    """First day of census year ``year`` (1 October of the year before)."""
    return date(year - 1, 10, 1)


def reference_date(year: int) -> date:
    """30 September of the census year."""
    return date(year, 9, 30)


def random_date(rng: random.Random, first: date, last: date) -> date:
    """A day from ``first`` to ``last`` inclusive."""
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


def age_at(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


@dataclass(slots=True)
class Person:
    """What stays the same about a social worker wherever they work."""

    swe_number: str
    birth_date: date
    sex: str  # "F" / "M"
    ethnicity: str
    qual_inst: str
    qual_level: int
    step_up_grad: int
    frontline_grad: int


@dataclass(slots=True)
class Spell:
    """A person's role in one borough (LA-employed or agency), carried from year to year."""

    person: Person
    agency: bool
    org_role: int
    role_start: date
    start_origin: int
    fte: int  # micro; the FTE of the latest return
    cfkss_status: int | None
    base_salary: int


class SweNumbers:
    """Unique synthetic Social Work England numbers: 'SW' + digits."""

    def __init__(self, rng: random.Random, digits: int = 6) -> None:
        self._rng = rng
        self._low = 10 ** (digits - 1)
        self._high = 10**digits - 1
        self._used: set[int] = set()

    def new(self) -> str:
        while True:
            number = self._rng.randint(self._low, self._high)
            if number not in self._used:
                self._used.add(number)
                return f"SW{number}"


def new_person(rng: random.Random, swe: SweNumbers, on: date, *, newly_qualified: bool) -> Person:
    """A person aged 22-62 on ``on`` (22-35 if newly qualified); ``on`` is a 30 September."""
    if newly_qualified:
        age = min(22 + int(rng.expovariate(1 / 4)), 35)
    else:
        age = int(rng.triangular(24, 62, 38))
    first = date(on.year - age - 1, on.month, on.day) + timedelta(days=1)
    last = date(on.year - age, on.month, on.day)
    return Person(
        swe_number=swe.new(),
        birth_date=random_date(rng, first, last),
        sex="F" if rng.random() < 0.8 else "M",
        ethnicity=str(weighted(rng, ETHNICITY_WEIGHTS)),
        qual_inst=rng.choice(INSTITUTIONS),
        qual_level=1 if rng.random() < 0.55 else (2 if rng.random() < 0.93 else 3),
        step_up_grad=int(rng.random() < 0.05),
        frontline_grad=int(rng.random() < 0.08),
    )


def preferred_fte(rng: random.Random) -> int:
    """A typical FTE in millionths: most full time, some common part-time patterns."""
    if rng.random() < 0.8:
        return 1_000_000
    return rng.choice((500_000, 600_000, 700_000, 800_000, 800_000, 900_000))


def salary_for(rng: random.Random, org_role: int) -> int:
    low, high = {
        1: (88_000, 112_000), 2: (62_000, 78_000), 3: (52_000, 63_000),
        4: (45_000, 54_000), 5: (38_000, 49_000), 6: (37_000, 47_000),
    }[org_role]  # fmt: skip
    return rng.randrange(low, high, 3)


def new_spell(
    rng: random.Random,
    person: Person,
    *,
    agency: bool,
    role_start: date,
    start_origin: int,
) -> Spell:
    org_role = int(weighted(rng, ORG_ROLE_WEIGHTS))
    if start_origin == 1:
        org_role = 5
    cfkss = 1 if start_origin == 1 else (rng.choice((2, 2, 3, 4)) if rng.random() < 0.12 else None)
    return Spell(
        person=person,
        agency=agency,
        org_role=org_role,
        role_start=role_start,
        start_origin=start_origin,
        fte=preferred_fte(rng),
        cfkss_status=cfkss,
        base_salary=salary_for(rng, org_role),
    )
