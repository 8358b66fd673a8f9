"""Render csww_worker_items() in macros/csww_items.sql from seeds/csww_item_formats.csv.

dbt cannot read a CSV at compile time, so the staging macro listing the landing
worker items is written from the seed, the one description of the layouts. Run
this after changing the seed; tests/python/load/test_layouts_one_source.py fails
while the macro file is stale. ``--check`` only reports (exit 1 when stale).
"""

from __future__ import annotations

import argparse
import sys

from liia.config import PROJECT_ROOT
from liia.csww_schema import rendered_worker_items_macro

MACRO_FILE = PROJECT_ROOT / "macros" / "csww_items.sql"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the file is stale")
    args = parser.parse_args(argv)
    current = MACRO_FILE.read_text(encoding="utf-8")
    rendered = rendered_worker_items_macro(current)
    if rendered == current:
        print(f"{MACRO_FILE.relative_to(PROJECT_ROOT)} is current")
        return 0
    if args.check:
        print(f"{MACRO_FILE.relative_to(PROJECT_ROOT)} is stale: run {sys.argv[0]}")
        return 1
    MACRO_FILE.write_text(rendered, encoding="utf-8")
    print(f"rendered {MACRO_FILE.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
