"""The DfE CSWW return layouts: which items each census year carries.

This module is the Python view of the input format shared by the sample
generator (which writes it) and the loader (which reads it). Item names are the
DfE XML element names and are also the landing-zone column names.

Which items each layout version carries is written once, in the seed
``seeds/csww_item_formats.csv`` (one row per item in DfE schema order, with the
first and last layout that carry it and whether it repeats or is personal): this
module reads it at import, the quality models join it, and the staging macro
``csww_worker_items()`` in ``macros/csww_items.sql`` is rendered from it by
``scripts/render_csww_items.py`` (a test checks the rendered file is current).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from liia.config import SEEDS_DIR

ITEM_FORMATS_SEED = SEEDS_DIR / "csww_item_formats.csv"


@dataclass(frozen=True)
class Item:
    """One DfE CSWW item as the seed describes it."""

    name: str
    record_level: str  # worker (CSWWWorker) or la_level (LALevelVacancies / LALevel)
    code_set: str
    first_layout: int
    last_layout: int
    repeated: bool  # may occur more than once in one CSWWWorker: landed as a list
    personal: bool  # identifies a person: exists only in the landing zone


def _flag(row: dict[str, str], column: str) -> bool:
    value = row[column].strip().lower()
    if value not in {"true", "false"}:
        raise ValueError(f"{ITEM_FORMATS_SEED.name}: {row['item_name']}.{column} is {value!r}")
    return value == "true"


def read_items(path: Path = ITEM_FORMATS_SEED) -> tuple[Item, ...]:
    """Every item of the seed, in its (DfE schema) order."""
    with path.open(newline="", encoding="utf-8") as handle:
        return tuple(
            Item(
                name=row["item_name"],
                record_level=row["record_level"],
                code_set=row["code_set"],
                first_layout=int(row["first_layout"]),
                last_layout=int(row["last_layout"]),
                repeated=_flag(row, "repeated"),
                personal=_flag(row, "personal"),
            )
            for row in csv.DictReader(handle)
        )


ITEMS: tuple[Item, ...] = read_items()

# The layout versions are the layouts any item starts or ends in, named after the
# first census year using them (2021: 2020-2023, 2024, 2025 onwards).
LAYOUT_VERSIONS: tuple[int, ...] = tuple(
    sorted({item.first_layout for item in ITEMS} | {item.last_layout for item in ITEMS})
)
FIRST_LAYOUT_YEAR = LAYOUT_VERSIONS[0]
LATEST_LAYOUT_YEAR = LAYOUT_VERSIONS[-1]


def _carried(record_level: str, layout: int) -> tuple[str, ...]:
    return tuple(
        item.name
        for item in ITEMS
        if item.record_level == record_level and item.first_layout <= layout <= item.last_layout
    )


_WORKER_ITEMS = {layout: _carried("worker", layout) for layout in LAYOUT_VERSIONS}
_LA_ITEMS = {layout: _carried("la_level", layout) for layout in LAYOUT_VERSIONS}

# Items that may occur more than once in one CSWWWorker; landed as lists.
REPEATED_WORKER_ITEMS: frozenset[str] = frozenset(item.name for item in ITEMS if item.repeated)

# Items that identify a person: they exist only in the landing zone.
PERSONAL_WORKER_ITEMS: frozenset[str] = frozenset(item.name for item in ITEMS if item.personal)

# 2025 LA-level pay incentives, coded 0 no / 1 all eligible staff / 2 some.
PAY_INCENTIVE_ITEMS: tuple[str, ...] = tuple(
    item.name for item in ITEMS if item.code_set == "pay_incentive"
)


def layout_version(census_year: int) -> int:
    """The layout a census year's return uses (2020 returns use the 2021 layout)."""
    earlier = [layout for layout in LAYOUT_VERSIONS if layout <= census_year]
    return earlier[-1] if earlier else FIRST_LAYOUT_YEAR


def worker_items(layout: int) -> tuple[str, ...]:
    """Worker items of a layout version, in DfE schema order (KeyError if not a layout)."""
    return _WORKER_ITEMS[layout]


def la_level_element(layout: int) -> str:
    """Name of the LA-level element: LALevelVacancies, renamed LALevel in 2025."""
    return "LALevel" if layout >= 2025 else "LALevelVacancies"


def la_level_items(layout: int) -> tuple[str, ...]:
    """LA-level items of a layout version (or of the layout a year uses), in DfE schema order."""
    return _LA_ITEMS[layout_version(layout)]


# Every item any layout carries, each where first seen: the landing zone's
# allow-list and its column order.
ALL_WORKER_ITEMS: tuple[str, ...] = tuple(
    dict.fromkeys(name for layout in LAYOUT_VERSIONS for name in _WORKER_ITEMS[layout])
)
ALL_LA_LEVEL_ITEMS: tuple[str, ...] = tuple(
    dict.fromkeys(name for layout in LAYOUT_VERSIONS for name in _LA_ITEMS[layout])
)

# The staging macro rendered from the seed (scripts/render_csww_items.py).
_WORKER_ITEMS_MACRO = re.compile(
    r"\{% macro csww_worker_items\(\) -%\}.*?\{%- endmacro %\}", flags=re.DOTALL
)


def rendered_worker_items_macro(macro_file_text: str) -> str:
    """``macros/csww_items.sql`` with its ``csww_worker_items()`` macro rendered from the seed.

    The macro lists ALL_WORKER_ITEMS (landing's column order) with whether each
    repeats and is personal; everything else in the file is left as written.
    """
    by_name = {item.name: item for item in ITEMS}
    entries = "\n".join(
        f"        {{'name': '{name}', "
        f"'repeated': {str(by_name[name].repeated).lower()}, "
        f"'personal': {str(by_name[name].personal).lower()}}},"
        for name in ALL_WORKER_ITEMS
    )
    macro = (
        "{% macro csww_worker_items() -%}\n"
        "    {{ return([\n"
        f"{entries}\n"
        "    ]) }}\n"
        "{%- endmacro %}"
    )
    rendered, count = _WORKER_ITEMS_MACRO.subn(lambda _: macro, macro_file_text)
    if count != 1:
        raise ValueError("the macro file has no single csww_worker_items() macro to render")
    return rendered
