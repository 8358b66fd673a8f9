"""Known data-quality problems injected into a clean return (``--messy``).

Each affected record gets exactly one problem; every injection is recorded with the
1-based position of the affected ``CSWWWorker`` in the written file.
"""

from __future__ import annotations

import copy
import random
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from liia.generate.records import Items

INJECTION_KINDS: tuple[str, ...] = (
    "missing_mandatory_item",
    "code_outside_list",
    "end_before_start",
    "leaver_with_fte30",
    "non_canonical_swe_number",
    "duplicate_worker",
)
DEFAULT_RATE = 0.02  # share of eligible records affected, per kind

_MANDATORY = ("Ethnicity", "RoleStartDate", "OrgRole")
_BAD_CODES = {"Ethnicity": "XXXX", "OrgRole": "9", "StartOrigin": "11", "QualLevel": "7"}


@dataclass(frozen=True)
class Injection:
    """One injected problem, as written to the manifest."""

    kind: str
    la_code: str
    census_year: int
    record_number: int
    item: str | None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _la_employed(items: Items) -> bool:
    return items.get("AgencyWorker") == "0"


def _eligible(kind: str, items: Items) -> bool:
    if kind == "non_canonical_swe_number":
        return "SWENo" in items
    if not _la_employed(items):
        return False
    if kind in ("end_before_start", "leaver_with_fte30"):
        return "RoleEndDate" in items and "RoleStartDate" in items
    return True


def _inject(kind: str, items: Items, rng: random.Random) -> str | None:
    """Apply one problem to ``items`` in place; return the item it concerns."""
    if kind == "missing_mandatory_item":
        item = rng.choice([name for name in _MANDATORY if name in items])
        del items[item]
        return item
    if kind == "code_outside_list":
        item = rng.choice([name for name in _BAD_CODES if name in items])
        items[item] = _BAD_CODES[item]
        return item
    if kind == "end_before_start":
        started = date.fromisoformat(str(items["RoleStartDate"]))
        items["RoleEndDate"] = (started - timedelta(days=rng.randint(1, 200))).isoformat()
        return "RoleEndDate"
    if kind == "leaver_with_fte30":
        items["FTE30"] = items["FTE"]
        return "FTE30"
    if kind == "non_canonical_swe_number":
        number = str(items["SWENo"])
        digits = number[2:]
        items["SWENo"] = rng.choice(
            (
                f"sw {digits}",
                f" {number} ",
                f"Sw{digits}",
                f"SW {digits[:3]} {digits[3:]}",
                number.lower(),
            )
        )
        return "SWENo"
    raise ValueError(f"unknown injection kind {kind}")


def inject_problems(
    workers: list[Items],
    la_code: str,
    census_year: int,
    rng: random.Random,
    rate: float = DEFAULT_RATE,
    force: frozenset[str] = frozenset(),
) -> tuple[list[Items], list[Injection]]:
    """The return's records with problems injected, and what was injected where.

    ``force`` names kinds to inject at least once in this return (if any record is
    eligible), so that a small sample still holds every kind.
    """
    chosen: dict[int, str] = {}
    for kind in INJECTION_KINDS:
        eligible = [i for i, w in enumerate(workers) if i not in chosen and _eligible(kind, w)]
        picks = [i for i in eligible if rng.random() < rate]
        if not picks and kind in force and eligible:
            picks = [rng.choice(eligible)]
        for i in picks:
            chosen[i] = kind
    result: list[Items] = []
    injections: list[tuple[str, int, str | None]] = []
    for i, items in enumerate(workers):
        kind = chosen.get(i)
        if kind is None:
            result.append(items)
        elif kind == "duplicate_worker":
            result.append(items)
            result.append(copy.deepcopy(items))
            injections.append((kind, len(result), None))
        else:
            changed = copy.deepcopy(items)
            item = _inject(kind, changed, rng)
            result.append(changed)
            injections.append((kind, len(result), item))
    return result, [
        Injection(kind, la_code, census_year, number, item) for kind, number, item in injections
    ]
