"""The demo leaves the London report and each pack's report.xlsx, and the report
passes the browser check: no console error, nothing fetched from the network,
no count from 1 to 4, every chart's numbers those of its extract."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from tests.python.browser import visit
from tests.python.report.report_pages import MARKS_JS, PAGES

COUNTS_JS = "[...document.querySelectorAll('[data-count]')].map(c => c.dataset.value)"


def test_the_demo_report_passes_the_browser_check(demo_home: Path) -> None:
    report = demo_home / "exports" / "report"
    assert (report / "index.html").is_file(), (demo_home / "demo_stdout.txt").read_text()
    turnover = duckdb.sql(
        "select area_name, census_year, turnover_fte_rate from "
        f"'{demo_home / 'exports' / 'analyst' / 'ext_turnover.parquet'}' where area_type = 'region'"
    ).fetchall()
    expected = {(name, year): rate for name, year, rate in turnover}
    extract = demo_home / "exports" / "analyst" / "ext_equality.parquet"
    equality = duckdb.sql(
        f"select breakdown, category, seniority, inpost_share_rate from '{extract}' "
        "where area_code = 'E12000007' and seniority <> 'all' "
        f"and census_year = (select max(census_year) from '{extract}')"
    ).fetchall()
    shares = {(b, c, s): rate for b, c, s, rate in equality}
    for name in PAGES:
        seen = visit(report / name, {"marks": MARKS_JS, "counts": COUNTS_JS})
        assert seen.console_errors == [] and seen.external_requests == [], name
        assert not [c for c in seen.values["counts"] if c and 1 <= int(c) <= 4], name
        if name == "turnover.html":
            lines = [
                m
                for m in seen.values["marks"]
                if m["column"] == "turnover_fte_rate"
                and m["x"].isdigit()
                and (m["series"], int(m["x"])) in expected
            ]
            assert len(lines) == len(expected)
            for mark in lines:
                value = expected[(mark["series"], int(mark["x"]))]
                assert mark["value"] == ("" if value is None else f"{value:g}")
        if name == "equality.html":
            # ethnic group, gender and age band by seniority: London's cross cells
            crossed = [m for m in seen.values["marks"] if m["series"].endswith("(share in post)")]
            assert len(crossed) >= 6 * (5 + 2 + 6), len(crossed)
            for mark in crossed:
                category = mark["series"].removesuffix(" (share in post)")
                values = {v for (b, c, s), v in shares.items() if c == category and s == mark["x"]}
                assert len(values) == 1, mark
                value = values.pop()
                assert mark["value"] == ("" if value is None else f"{value:g}"), mark


def test_every_demo_pack_has_its_xlsx(demo_home: Path) -> None:
    packs = sorted((demo_home / "exports" / "la").glob("*/*"))
    assert packs
    for pack in packs:
        assert (pack / "report.xlsx").is_file(), pack
    book = load_workbook(packs[0] / "report.xlsx")
    codes = {r[0] for r in book["Findings"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert codes <= {packs[0].parent.name}


@pytest.mark.parametrize("page", PAGES)
def test_no_demo_page_names_a_file_outside_the_report(demo_home: Path, page: str) -> None:
    html = (demo_home / "exports" / "report" / page).read_text(encoding="utf-8")
    assert "src=" not in html and "<script" not in html and "<link" not in html
