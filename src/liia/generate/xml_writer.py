"""Render one return in the exact DfE CSWW XML layout of its census year.

Plain string building (no DOM): a borough-year at scale 10 has thousands of records.
No wall-clock time goes into a file: the header's DateTime is fixed per census year.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from liia.csww_schema import la_level_element, la_level_items, worker_items
from liia.generate.records import Items

SOFTWARE_CODE = "liia.generate.sample"


def header_datetime(census_year: int) -> str:
    """A fixed submission time: returns are sent in the autumn after the reference date."""
    return f"{census_year}-11-15T09:00:00Z"


def render_return(
    la_code: str,
    census_year: int,
    layout: int,
    la_level: dict[str, str],
    workers: list[Items],
) -> str:
    """The XML text of one return (items in schema order, absent items left out)."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        "<Message>\n  <Header>\n    <CollectionDetails>\n",
        "      <Collection>CSWW</Collection>\n",
        f"      <Year>{census_year}</Year>\n",
        f"      <ReferenceDate>{census_year}-09-30</ReferenceDate>\n",
        "    </CollectionDetails>\n    <Source>\n      <SourceLevel>L</SourceLevel>\n",
        f"      <LEA>{escape(la_code)}</LEA>\n",
        f"      <SoftwareCode>{SOFTWARE_CODE}</SoftwareCode>\n",
        f"      <DateTime>{header_datetime(census_year)}</DateTime>\n",
        "    </Source>\n  </Header>\n",
    ]
    element = la_level_element(layout)
    parts.append(f"  <{element}>\n")
    for name in la_level_items(layout):
        if name in la_level:
            parts.append(f"    <{name}>{escape(la_level[name])}</{name}>\n")
    parts.append(f"  </{element}>\n")
    order = worker_items(layout)
    for items in workers:
        parts.append("  <CSWWWorker>\n")
        for name in order:
            value = items.get(name)
            if value is None:
                continue
            for text in value if isinstance(value, list) else (value,):
                parts.append(f"    <{name}>{escape(text)}</{name}>\n")
        parts.append("  </CSWWWorker>\n")
    parts.append("</Message>\n")
    return "".join(parts)
