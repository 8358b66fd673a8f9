"""Returns for authorities other than London's: each modelled on a London borough's profile.

A benchmark at England's size (about 150 authorities) needs more returns than London
sends. An authority that is a London return keeps its own calibrated profile; any other
takes the totals of a London return, cycling through them in code order. Those returns
are not calibrated to anything published: they have London's shapes under other codes.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from liia.config import AUTHORITY_COLUMNS, Authority
from liia.generate.calibrate import ReturnTargets

# England's regions, which synthetic authorities are spread across (for their region column).
ENGLISH_REGIONS = (
    "North East",
    "North West",
    "Yorkshire and The Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
)


def modelled_on(authorities: Sequence[Authority], profiles: Sequence[str]) -> dict[str, str]:
    """Each authority's code -> the London return whose totals it takes.

    A London return is its own profile; the others cycle through ``profiles``
    (sorted) in the order the authorities are listed.
    """
    if not profiles:
        raise ValueError("no London return to model authorities on")
    ordered = sorted(profiles)
    own = set(ordered)
    mapping: dict[str, str] = {}
    others = 0
    for authority in authorities:
        if authority.la_code in own:
            mapping[authority.la_code] = authority.la_code
        else:
            mapping[authority.la_code] = ordered[others % len(ordered)]
            others += 1
    return mapping


def modelled_targets(
    london: dict[tuple[str, int], ReturnTargets], authorities: Sequence[Authority]
) -> dict[tuple[str, int], ReturnTargets]:
    """The targets of every authority and census year of ``london``'s, under its own code."""
    years = sorted({year for _, year in london})
    mapping = modelled_on(authorities, sorted({code for code, _ in london}))
    return {
        (code, year): replace(london[(profile, year)], la_code=code)
        for code, profile in mapping.items()
        for year in years
    }


def synthetic_authorities(count: int) -> list[Authority]:
    """``count`` made-up authorities, codes S001, S002, ... (no DfE code starts with a letter)."""
    if count < 1:
        raise ValueError("count must be a positive whole number")
    return [
        Authority(
            la_code=f"S{number:03d}",
            la_name=f"Synthetic Authority {number:03d}",
            region=ENGLISH_REGIONS[(number - 1) % len(ENGLISH_REGIONS)],
        )
        for number in range(1, count + 1)
    ]


def write_authorities(path: Path, authorities: Sequence[Authority]) -> Path:
    """Write ``authorities`` as a LIIA_AUTHORITIES_FILE (columns la_code, la_name, region)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(AUTHORITY_COLUMNS)
        writer.writerows((a.la_code, a.la_name, a.region) for a in authorities)
    return path
