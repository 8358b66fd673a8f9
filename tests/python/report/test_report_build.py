"""The London report from a small hand-made analyst zone: what it shows, what it refuses."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from liia.report.build import build_report, check_rendered, render_pages
from liia.report.data import ReportInputError, UnsuppressedCountError
from tests.python.browser import visit
from tests.python.report.extracts import (
    equality_rows,
    movement_rows,
    turnover_rows,
    write_dfe,
    write_zone,
)
from tests.python.report.report_pages import MARKS_JS, PAGES

COUNTS_JS = "[...document.querySelectorAll('[data-count]')].map(c => c.textContent.trim())"


@pytest.fixture
def zone(tmp_path: Path) -> Path:
    return write_zone(tmp_path / "analyst")


@pytest.fixture
def dfe(tmp_path: Path) -> Path:
    return write_dfe(tmp_path / "dfe.csv")


@pytest.fixture
def report(zone: Path, dfe: Path, tmp_path: Path) -> Path:
    build_report(zone, tmp_path / "report", dfe)
    return tmp_path / "report"


def _parquet(zone: Path, name: str) -> list[dict]:
    rel = duckdb.sql(f"select * from '{zone / name}.parquet'")
    return [dict(zip(rel.columns, row, strict=True)) for row in rel.fetchall()]


def test_every_page_is_written_and_self_contained(report: Path) -> None:
    assert sorted(p.name for p in report.iterdir()) == sorted(PAGES)
    for name in PAGES:
        html = (report / name).read_text(encoding="utf-8")
        assert html.startswith("<!DOCTYPE html>")
        assert "<script" not in html and "http://" not in html and "https://" not in html
        for link in re.findall(r'href="([^"#]+)', html):
            assert (report / link).is_file(), f"{name} links to missing {link}"


def test_pages_load_offline_in_a_browser_and_charts_equal_the_extracts(
    report: Path, zone: Path
) -> None:
    turnover = {(r["area_name"], r["census_year"]): r for r in _parquet(zone, "ext_turnover")}
    for name in PAGES:
        seen = visit(report / name, {"marks": MARKS_JS, "counts": COUNTS_JS})
        assert seen.console_errors == [], name
        assert seen.external_requests == [], name
        if name == "turnover.html":
            lines = [m for m in seen.values["marks"] if m["column"] == "turnover_fte_rate"]
            regional = [m for m in lines if m["series"] in ("London", "Inner London")]
            assert len(regional) == 4
            for mark in regional:
                row = turnover[(mark["series"], int(mark["x"]))]
                assert float(mark["value"]) == pytest.approx(row["turnover_fte_rate"])
            bars = {m["x"]: m["value"] for m in lines if m["series"].endswith("this report")}
            assert float(bars["Camden"]) == pytest.approx(
                turnover[("Camden", 2025)]["turnover_fte_rate"]
            )
            assert bars["Barnet"] == ""  # suppressed in the extract: no bar, a "c"
        if name == "movement.html":
            moved = {
                (r["from_area_name"], r["to_area_name"]): r["workers_headcount"]
                for r in _parquet(zone, "ext_movement")
                if r["flow_type"] == "moved"
            }
            matrix = [
                m for m in seen.values["marks"] if m["series"] in ("Inner London", "Outer London")
            ]
            assert matrix, "the Inner/Outer London flow matrix is drawn"
            for mark in matrix:
                expected = moved.get((mark["series"], mark["x"]))
                assert mark["value"] == ("" if expected is None else f"{expected:g}")
        if name == "equality.html":
            cross = {
                (r["category"], r["seniority"]): r["inpost_share_rate"]
                for r in _parquet(zone, "ext_equality")
                if r["area_code"] == "E12000007" and r["breakdown"] == "ethnic_group"
            }
            shares = [
                m
                for m in seen.values["marks"]
                if m["series"] in ("White (share in post)", "Black (share in post)")
            ]
            # two ethnic groups x six OrgRoles and 'not known' (no row: no bar, a "c")
            assert len(shares) == 14
            for mark in shares:
                assert mark["column"] == "inpost_share_rate"
                expected = cross.get((mark["series"].split(" (")[0], mark["x"]))
                if expected is None:
                    assert mark["value"] == ""
                else:
                    # the chart's data-value holds six significant figures
                    assert float(mark["value"]) == pytest.approx(expected, rel=1e-5)
            assert float(
                next(m for m in shares if m["x"] == "case holder" and m["series"][0] == "W")[
                    "value"
                ]
            ) == pytest.approx(100 * 250 / 370, rel=1e-5)
        assert all(not (c.isdigit() and 1 <= int(c) <= 4) for c in seen.values["counts"]), name


def test_suppressed_cells_are_c_with_a_note(report: Path) -> None:
    html = (report / "turnover.html").read_text(encoding="utf-8")
    assert "<strong>c</strong> = confidential" in html
    barnet = re.search(r"<th scope=\"row\">Barnet</th>(.*?)</tr>", html).group(1)
    assert '<td class="n" data-value="">c</td>' in barnet
    equality = (report / "equality.html").read_text(encoding="utf-8")
    male = re.search(r"<th scope=\"row\">male</th>(.*?)</tr>", equality).group(1)
    assert ">c<" in male


def test_borough_against_dfe_and_the_known_denominator(report: Path) -> None:
    html = (report / "turnover.html").read_text(encoding="utf-8")
    camden = re.search(r"<th scope=\"row\">Camden</th>(.*?)</tr>", html).group(1)
    # this report's 10.25 shown as DfE rounds (half up) to 10.3; DfE 10.9; gap -0.6 points
    assert re.findall(r">([^<]*)</td>", camden)[:3] == ["10.3", "10.9", "-0.6"]
    equality = (report / "equality.html").read_text(encoding="utf-8")
    # ethnic group: White 350 + Black 200 known, 'not known' 100 left out of the denominator
    one_way = equality.split(">Ethnic group, London 2025</h2>")[1]
    known = re.search(r"Known-value denominator</th>(.*?)</tr>", one_way).group(1)
    assert re.findall(r">([^<]*)</td>", known)[0] == "550"


def test_ethnic_group_by_seniority_table_shows_the_known_denominator_and_c(report: Path) -> None:
    equality = (report / "equality.html").read_text(encoding="utf-8")
    section = equality.split(">Ethnic group by seniority, London 2025</h2>")[1].split("</section>")[
        0
    ]
    assert "<svg" in section and "<table" in section  # a chart with its table beside it
    head = re.findall(r'<th scope="col">([^<]*)</th>', section.split("<details>")[0])
    assert head == [
        "Seniority (OrgRole)",
        "Black %",
        "White %",
        "not known (in post)",
        "Known-value denominator",
        "All in post",
    ]

    def cells(level: str) -> list[str]:
        row = re.search(rf'<th scope="row">{level}</th>(.*?)</tr>', section).group(1)
        return re.findall(r">([^<]*)</td>", row)

    # case holders: Black 120 + White 250 known (not known 50 left out); 400 in the OrgRole
    assert cells("case holder") == ["32.4", "67.6", "50", "370", "400"]
    # senior practitioners: 'not known' suppressed in the extract: c, the denominator still known
    assert cells("senior practitioner") == ["44.4", "55.6", "c", "180", "200"]
    # an OrgRole the extract has no cross rows for: every cell c, never a made-up zero
    assert cells("senior manager")[:3] == ["c", "c", "c"]
    # each cell's counts, starters, leavers and progression in the table under it
    detail = section.split("<details>")[1]
    row = re.search(r'<th scope="row">case holder</th><td[^>]*>White</td>(.*?)</tr>', detail)
    assert re.findall(r">([^<]*)</td>", row.group(1)) == [
        "250",
        "67.6",
        "25",
        "10.0",
        "25",
        "20.0",
        "20.0",
    ]


def test_an_org_role_nobody_holds_is_left_out_of_the_cross_tab(tmp_path: Path, dfe: Path) -> None:
    rows = equality_rows()
    for row in rows:
        if row["breakdown"] == "org_role" and row["category"] == "case holder":
            row["inpost_headcount"] = 0
    zone = write_zone(tmp_path / "analyst", ext_equality=rows)
    build_report(zone, tmp_path / "report", dfe)
    html = (tmp_path / "report" / "equality.html").read_text(encoding="utf-8")
    section = html.split(">Gender by seniority, London 2025</h2>")[1].split("</section>")[0]
    table_part = section.split("<details>")[0]
    assert '<th scope="row">senior practitioner</th>' in table_part
    assert '<th scope="row">case holder</th>' not in table_part


def test_methodology_quotes_the_definitions_and_the_quality_caveats(report: Path) -> None:
    html = (report / "methodology.html").read_text(encoding="utf-8")
    assert 'id="suppression"' in html and "count from 1 to 4" in html
    assert 'id="window"' in html and "six census years" in html
    barnet = re.findall(r"<th scope=\"row\">Barnet</th>(.*?)</tr>", html)
    assert barnet and "LA-level or file-level error" in barnet[0] and ">c<" in barnet[0]


def test_the_latest_pair_of_years_is_the_movement_pair(report: Path) -> None:
    html = (report / "movement.html").read_text(encoding="utf-8")
    assert "from their 2024 return to their 2025 return" in html
    net = re.search(r"<th scope=\"row\">Camden</th>(.*?)</tr>", html.split("Net flows")[1])
    assert re.findall(r">([^<]*)</td>", net.group(1)) == ["12", "9", "+3"]


@pytest.mark.parametrize("planted", [1, 4])
def test_a_small_count_planted_in_an_extract_is_refused(
    tmp_path: Path, dfe: Path, planted: int
) -> None:
    rows = turnover_rows()
    rows[0]["leavers_headcount"] = planted
    zone = write_zone(tmp_path / "analyst", ext_turnover=rows)
    target = tmp_path / "report"
    target.mkdir()
    (target / "index.html").write_text("previous report")
    with pytest.raises(UnsuppressedCountError) as raised:
        build_report(zone, target, dfe)
    message = str(raised.value)
    assert "ext_turnover.parquet" in message and "row 1" in message
    assert "area_code=202" in message and f"leavers_headcount is {planted}" in message
    assert (target / "index.html").read_text() == "previous report"  # nothing replaced


def test_a_small_count_in_movement_is_refused_too(tmp_path: Path, dfe: Path) -> None:
    rows = movement_rows()
    rows[1]["origin_reported_headcount"] = 2
    zone = write_zone(tmp_path / "analyst", ext_movement=rows)
    with pytest.raises(UnsuppressedCountError, match="origin_reported_headcount is 2"):
        render_pages(zone, dfe)


def test_zero_and_five_are_shown(tmp_path: Path, dfe: Path) -> None:
    rows = turnover_rows()
    rows[0]["leavers_headcount"], rows[1]["leavers_headcount"] = 0, 5
    render_pages(write_zone(tmp_path / "analyst", ext_turnover=rows), dfe)


def test_a_rendered_small_count_is_refused_whatever_the_inputs() -> None:
    check_rendered("x.html", '<td class="n" data-count="" data-value="5">5</td>')
    with pytest.raises(UnsuppressedCountError, match=r"x\.html: would show the count 3"):
        check_rendered("x.html", '<td class="n" data-count="" data-value="3">3</td>')


def test_a_missing_or_unsuppressed_extract_names_its_file(tmp_path: Path, dfe: Path) -> None:
    zone = write_zone(tmp_path / "analyst")
    (zone / "ext_equality.parquet").unlink()
    with pytest.raises(ReportInputError, match=r"ext_equality\.parquet: missing"):
        render_pages(zone, dfe)
    rows = [{k: v for k, v in r.items() if k != "suppressed_columns"} for r in turnover_rows()]
    zone = write_zone(tmp_path / "other", ext_turnover=rows)
    with pytest.raises(ReportInputError, match="no suppressed_columns column"):
        render_pages(zone, dfe)
    zone = write_zone(tmp_path / "third")
    (zone / "ext_agency_reliance.parquet").write_text("not parquet")
    with pytest.raises(ReportInputError, match=r"ext_agency_reliance\.parquet: cannot be read"):
        render_pages(zone, dfe)
