"""The report's pages, each from the extracts (``liia.report.data``) only.

One function per page; each returns the page's body HTML. Charts come from
``liia.report.svg`` and every chart has its table beside it, built from the same
rows, so the numbers a reader sees in a chart can be copied from its table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from liia.report import svg
from liia.report.data import INNER, LONDON, OUTER, REGIONS, Extract, Published
from liia.report.html import (
    SUPPRESSED_NOTE,
    Cell,
    count,
    e,
    figure,
    one_dp,
    rate,
    signed,
    table,
    text,
)
from liia.report.markdown import sections

Row = dict[str, Any]
REGION_NAMES = {LONDON: "London", INNER: "Inner London", OUTER: "Outer London"}
# ext_equality's categories outside the known-value denominator of their breakdown.
UNKNOWN_CATEGORIES = ("not known", "not specified")
# Presentation order of the OrgRole categories, most senior first.
SENIORITY_ORDER = (
    "senior manager",
    "middle manager",
    "first line manager",
    "senior practitioner",
    "case holder",
    "qualified without cases",
)
BREAKDOWNS = (
    ("ethnic_group", "Ethnic group"),
    ("gender", "Gender"),
    ("age_band", "Age band"),
    ("org_role", "Seniority (OrgRole)"),
)
# The breakdowns ext_equality crosses with seniority (its rows' `seniority`, 'all' when one-way).
CROSSED = BREAKDOWNS[:3]
ONE_WAY = "all"


def _value(extract: Extract, row: Row | None, column: str) -> Any:
    """A cell's value; None when the row is missing or the cell was suppressed."""
    if row is None or extract.suppressed(row, column):
        return None
    return row.get(column)


def _rate(extract: Extract, row: Row | None, column: str) -> Cell:
    """A rate cell: ``c`` when withheld, blank when there is none (a zero denominator)."""
    value = _value(extract, row, column)
    withheld = row is not None and extract.suppressed(row, column)
    return rate(value, suppressed=withheld or row is None)


def _category_order(category: str) -> tuple[int, int, str]:
    """Categories in reading order: by seniority or age where they have one, unknowns last."""
    ranked = SENIORITY_ORDER.index(category) if category in SENIORITY_ORDER else -1
    return (category in UNKNOWN_CATEGORIES, ranked, "" if category == "under 20" else category)


def _by_area_year(extract: Extract) -> dict[tuple[str, int], Row]:
    return {(row["area_code"], row["census_year"]): row for row in extract.rows}


def _boroughs(extract: Extract) -> list[tuple[str, str]]:
    names = {r["area_code"]: r["area_name"] for r in extract.rows if r["area_type"] == "borough"}
    return sorted(names.items(), key=lambda item: item[1])


def _years(extract: Extract, key: str = "census_year") -> list[int]:
    return sorted({row[key] for row in extract.rows if row.get(key) is not None})


def _indicator_figures(
    extract: Extract,
    published: Published,
    column: str,
    dfe_column: str,
    label: str,
) -> str:
    rows = _by_area_year(extract)
    years = _years(extract)
    latest = years[-1]
    series = [
        (REGION_NAMES[code], [(y, _value(extract, rows.get((code, y)), column)) for y in years])
        for code in REGIONS
    ]
    series.append(
        ("London, DfE published", [(y, published.get(LONDON, y, dfe_column)) for y in years])
    )
    trend_rows = [
        [text(y)]
        + [_rate(extract, rows.get((code, y)), column) for code in REGIONS]
        + [rate(published.get(LONDON, y, dfe_column), suppressed=False)]
        for y in years
    ]
    trend = figure(
        f"{label}: London, Inner and Outer London by year",
        svg.line_chart(series, title=f"{label} by census year", source=extract.name, column=column),
        table(
            f"{label} (%) by census year",
            ["Year", *REGION_NAMES.values(), "London, DfE published"],
            trend_rows,
            extract.name,
        ),
    )
    borough_rows = []
    chart_rows = []
    for code, name in _boroughs(extract):
        row = rows.get((code, latest))
        ours = _value(extract, row, column)
        theirs = published.get(code, latest, dfe_column)
        gap = None if ours is None or theirs is None else float(one_dp(ours)) - theirs
        chart_rows.append((name, [ours], theirs))
        borough_rows.append(
            [
                text(name),
                _rate(extract, row, column),
                rate(theirs, suppressed=False),
                signed(gap, 1),
            ]
        )
    boroughs = figure(
        f"{label} by borough, {latest}, against DfE's published figure",
        svg.bar_chart(
            chart_rows,
            series=[f"{label}, this report"],
            title=f"{label} by borough, {latest}",
            source=extract.name,
            columns=[column],
            marker_label="DfE published figure",
        ),
        table(
            f"{label} (%) by borough, {latest}",
            ["Borough", "This report", "DfE published", "Difference (points)"],
            borough_rows,
            extract.name,
        ),
        '<p class="note">A blank DfE figure: DfE published none for that borough and year. '
        "Differences are against this report's figure rounded to DfE's one decimal place.</p>",
    )
    all_years = table(
        f"{label} (%) by borough and census year",
        ["Borough", *map(str, years)],
        [
            [text(name)] + [_rate(extract, rows.get((code, y)), column) for y in years]
            for code, name in _boroughs(extract)
        ],
        extract.name,
    )
    return trend + boroughs + f"<details><summary>Every year</summary>{all_years}</details>"


def turnover_page(turnover: Extract, agency: Extract, published: Published) -> str:
    """Turnover and agency reliance by borough and year, with the regions and DfE's figures."""
    intro = (
        "<p>Turnover is 100 &times; leavers' FTE / in-post FTE of LA-employed social workers; "
        "agency reliance is 100 &times; agency FTE / (agency + LA-employed FTE) at 30 September. "
        "The black tick beside each borough is DfE's published figure for the same year.</p>"
    )
    return (
        intro
        + SUPPRESSED_NOTE
        + _indicator_figures(
            turnover, published, "turnover_fte_rate", "turnover_rate_fte", "Turnover rate (FTE)"
        )
        + _indicator_figures(
            agency, published, "agency_fte_rate", "agency_rate_fte", "Agency worker rate (FTE)"
        )
    )


def _flows(movement: Extract, flow_type: str, from_year: int) -> list[Row]:
    return [
        r
        for r in movement.rows
        if r["flow_type"] == flow_type and r["from_census_year"] == from_year
    ]


def latest_pair(movement: Extract) -> tuple[int, int]:
    """The latest two census years with moves between them."""
    pairs = sorted(
        {
            (r["from_census_year"], r["to_census_year"])
            for r in movement.rows
            if r["flow_type"] == "moved"
        }
    )
    if not pairs:
        return (0, 0)
    return max(pairs, key=lambda pair: (pair[1], pair[0]))


def movement_page(movement: Extract) -> str:
    """Flow matrices for the latest pair of years, net flows, observed against reported moves."""
    from_year, to_year = latest_pair(movement)
    if not from_year:
        return "<p>No moves between boroughs are in the extract (fewer than two census years).</p>"
    moved = [r for r in _flows(movement, "moved", from_year) if r["to_census_year"] == to_year]
    names = {r["from_area_code"]: r["from_area_name"] for r in movement.rows}
    names.update({r["to_area_code"]: r["to_area_name"] for r in movement.rows if r["to_area_code"]})
    boroughs = sorted(
        {r["from_area_code"] for r in moved if r["from_area_type"] == "borough"},
        key=lambda c: names.get(c) or c,
    )
    cell = {(r["from_area_code"], r["to_area_code"]): r for r in moved}
    column = "workers_headcount"

    def matrix(rows: Sequence[str], columns: Sequence[str], heading: str) -> str:
        values = [[_value(movement, cell.get((a, b)), column) for b in columns] for a in rows]
        body = [[text(names.get(a, a))] + [count(v) for v in values[i]] for i, a in enumerate(rows)]
        return figure(
            heading,
            svg.matrix_chart(
                [names.get(a, a) for a in rows],
                [names.get(b, b) for b in columns],
                values,
                title=heading,
                source=movement.name,
                column=column,
            ),
            table(
                heading, ["From \\ to", *(names.get(b, b) for b in columns)], body, movement.name
            ),
        )

    parts = [
        f"<p>People whose next London return is another borough's: from their {from_year} return "
        f"to their {to_year} return (the latest two census years). Observed through the same "
        "keyed pseudonym in both returns; see the "
        '<a href="methodology.html#movement">methodology</a>.</p>',
        SUPPRESSED_NOTE,
        matrix(
            [INNER, OUTER],
            [INNER, OUTER],
            f"Moves between Inner and Outer London, {from_year} to {to_year}",
        ),
    ]
    for heading, rows, columns in (
        (
            f"Moves from each borough to Inner and Outer London, {from_year} to {to_year}",
            boroughs,
            [INNER, OUTER],
        ),
        (f"Borough to borough, {from_year} to {to_year}", boroughs, boroughs),
    ):
        if any(_value(movement, cell.get((a, b)), column) for a in rows for b in columns):
            parts.append(matrix(rows, columns, heading))
        else:
            parts.append(
                f"<h2>{e(heading)}</h2><p>Every cell of this matrix is withheld (each is a count "
                "from 1 to 4 or would reveal one), so it is not drawn: the flows are shown "
                "between Inner and Outer London above and per borough to and from London below.</p>"
            )
    net_rows, chart_rows = [], []
    for code in boroughs:
        into = _value(movement, cell.get((LONDON, code)), column)
        out = _value(movement, cell.get((code, LONDON)), column)
        net = None if into is None or out is None else into - out
        net_rows.append([text(names.get(code)), count(into), count(out), signed(net)])
        chart_rows.append((names.get(code) or code, [into, out], None))
    parts.append(
        figure(
            f"Moves in and out of each borough, {from_year} to {to_year}",
            svg.bar_chart(
                chart_rows,
                series=["Moved in (from another London borough)", "Moved out (to one)"],
                title=f"Moves in and out by borough, {from_year} to {to_year}",
                source=movement.name,
                columns=[column, column],
                unit="",
            ),
            table(
                f"Net flows by borough, {from_year} to {to_year}",
                ["Borough", "Moved in", "Moved out", "Net"],
                net_rows,
                movement.name,
            ),
        )
    )
    left = {r["from_area_code"]: r for r in _flows(movement, "left_london", from_year)}
    joined = {
        r["to_area_code"]: r
        for r in movement.rows
        if r["flow_type"] == "joined_london" and r["to_census_year"] == to_year
    }
    report_rows, report_chart = [], []
    for code in boroughs:
        out = cell.get((code, LONDON))
        into = cell.get((LONDON, code))
        observed_out = _value(movement, out, column)
        reported_out = _value(movement, out, "origin_reported_headcount")
        observed_in = _value(movement, into, column)
        reported_in = _value(movement, into, "destination_reported_headcount")
        left_row, joined_row = left.get(code), joined.get(code)
        report_rows.append(
            [
                text(names.get(code)),
                count(observed_out),
                count(reported_out),
                count(observed_in),
                count(reported_in),
                count(_value(movement, left_row, "origin_reported_headcount")),
                count(_value(movement, joined_row, "destination_reported_headcount")),
            ]
        )
        report_chart.append((names.get(code) or code, [observed_out, reported_out], None))
    parts.append(
        figure(
            "Observed moves against self-reported StartOrigin and LeaverDestination",
            svg.bar_chart(
                report_chart,
                series=["Observed moves out", "Of which LeaverDestination says another LA"],
                title=f"Observed and reported moves out, {from_year} to {to_year}",
                source=movement.name,
                columns=[column, "origin_reported_headcount"],
                unit="",
            ),
            table(
                f"Observed and self-reported moves, {from_year} to {to_year}",
                [
                    "Borough",
                    "Observed out",
                    "of which LeaverDestination = other LA",
                    "Observed in",
                    "of which StartOrigin = other LA",
                    "Left London, reported as a move to another LA",
                    "Joined London, reported as from another LA",
                ],
                report_rows,
                movement.name,
            ),
            '<p class="note">A reported move with no observed one (left or joined London) may '
            "be a move to or from an LA outside London.</p>",
        )
    )
    return "".join(parts)


def _equality_rows(
    equality: Extract, area: str, year: int, seniority: str = ONE_WAY
) -> dict[tuple[str, str], Row]:
    """One area-year's rows by (breakdown, category): the one-way rows, or one OrgRole's cells."""
    return {
        (r["breakdown"], r["category"]): r
        for r in equality.rows
        if r["area_code"] == area and r["census_year"] == year and r["seniority"] == seniority
    }


# The headers of _measure_cells' columns.
MEASURE_HEADERS = (
    "In post",
    "Share %",
    "Starters",
    "Share %",
    "Leavers",
    "Share %",
    "Progression %",
)


def _measure_cells(equality: Extract, row: Row) -> list[Cell]:
    """A row's in post, starters and leavers (each with its share) and progression rate."""
    cells = []
    for kind in ("inpost", "starters", "leavers"):
        cells += [
            count(_value(equality, row, f"{kind}_headcount")),
            _rate(equality, row, f"{kind}_share_rate"),
        ]
    return [*cells, _rate(equality, row, "progression_rate")]


def known_count(equality: Extract, rows: Sequence[Row], column: str) -> int | None:
    """The known-value denominator: the categories but 'not known'; None if one is withheld."""
    total = 0
    for row in rows:
        if row["category"] in UNKNOWN_CATEGORIES:
            continue
        value = _value(equality, row, column)
        if value is None:
            return None
        total += value
    return total


def equality_page(equality: Extract) -> str:
    """Ethnic group, gender, age band and seniority: in post, starters, leavers, progression."""
    year = _years(equality)[-1]
    parts = [
        f"<p>LA-employed social workers in London, census year {year}. Shares are of the people "
        "whose category is known (the known-value denominator is shown with each table); "
        "progression is the share, of those in post in both this and their previous return, now "
        'in a more senior OrgRole. See the <a href="methodology.html#ethnic-groups">'
        "methodology</a>.</p>",
        SUPPRESSED_NOTE,
    ]
    for area in (LONDON,):
        # The make-up of each OrgRole first: the page's headline question.
        parts += [_by_seniority(equality, area, year, b, label) for b, label in CROSSED]
        rows = _equality_rows(equality, area, year)
        everyone = rows.get(("all", "all"))
        for breakdown, label in BREAKDOWNS:
            members = [r for (b, _), r in rows.items() if b == breakdown]
            members.sort(key=lambda r: _category_order(r["category"]))
            body, chart_rows = [], []
            for r in members:
                body.append([text(r["category"]), *_measure_cells(equality, r)])
                if r["category"] not in UNKNOWN_CATEGORIES:
                    chart_rows.append(
                        (
                            r["category"],
                            [
                                _value(equality, r, "inpost_share_rate"),
                                _value(equality, r, "starters_share_rate"),
                                _value(equality, r, "leavers_share_rate"),
                                _value(equality, r, "progression_rate"),
                            ],
                            None,
                        )
                    )
            kinds = ("inpost_headcount", "starters_headcount", "leavers_headcount")
            known = [Cell("Known-value denominator")]
            total = [Cell("Everyone (all)")]
            for kind in kinds:
                known += [count(known_count(equality, members, kind)), text("")]
                total += [count(_value(equality, everyone, kind)), text("")]
            known.append(text(""))
            total.append(_rate(equality, everyone, "progression_rate"))
            parts.append(
                figure(
                    f"{label}, {REGION_NAMES[area]} {year}",
                    svg.bar_chart(
                        chart_rows,
                        series=[
                            "In post (share)",
                            "Starters (share)",
                            "Leavers (share)",
                            "Progression rate",
                        ],
                        title=f"{label}: shares and progression, {REGION_NAMES[area]} {year}",
                        source=equality.name,
                        columns=[
                            "inpost_share_rate",
                            "starters_share_rate",
                            "leavers_share_rate",
                            "progression_rate",
                        ],
                    ),
                    table(
                        f"{label}, {REGION_NAMES[area]} {year}",
                        ["Category", *MEASURE_HEADERS],
                        [*body, known, total],
                        equality.name,
                    ),
                )
            )
    return "".join(parts)


def _by_seniority(equality: Extract, area: str, year: int, breakdown: str, label: str) -> str:
    """One breakdown crossed with seniority: each OrgRole's in-post make-up by category.

    A share is of the OrgRole's people whose category is known (the known-value
    denominator, shown per OrgRole); the OrgRole's total is its org_role row.
    """
    org_roles = _equality_rows(equality, area, year)
    # An OrgRole nobody holds has no shares to draw (not a withheld one): left out.
    levels = [
        level
        for level in (*SENIORITY_ORDER, "not known")
        if _value(equality, org_roles.get(("org_role", level)), "inpost_headcount") != 0
    ]
    cells = {level: _equality_rows(equality, area, year, level) for level in levels}
    categories = sorted(
        {c for level in levels for (b, c) in cells[level] if b == breakdown}, key=_category_order
    )
    known_categories = [c for c in categories if c not in UNKNOWN_CATEGORIES]
    chart_rows, body, detail = [], [], []
    for level in levels:
        present = [r for c in categories if (r := cells[level].get((breakdown, c))) is not None]
        chart_rows.append(
            (
                level,
                [
                    _value(equality, cells[level].get((breakdown, c)), "inpost_share_rate")
                    for c in known_categories
                ],
                None,
            )
        )
        # Shares beside the chart (its numbers); the unknown category as its count.
        line = [text(level)]
        line += [
            _rate(equality, cells[level].get((breakdown, c)), "inpost_share_rate")
            for c in known_categories
        ]
        line += [
            count(_value(equality, cells[level].get((breakdown, c)), "inpost_headcount"))
            for c in categories
            if c in UNKNOWN_CATEGORIES
        ]
        line += [
            count(known_count(equality, present, "inpost_headcount")),
            count(_value(equality, org_roles.get(("org_role", level)), "inpost_headcount")),
        ]
        body.append(line)
        for r in present:
            detail.append([text(level), text(r["category"]), *_measure_cells(equality, r)])
    header = ["Seniority (OrgRole)", *(f"{c} %" for c in known_categories)]
    header += [f"{c} (in post)" for c in categories if c in UNKNOWN_CATEGORIES]
    header += ["Known-value denominator", "All in post"]
    where = f"{REGION_NAMES[area]} {year}"
    every = table(
        f"{label} by seniority: starters, leavers and progression, {where}",
        ["Seniority (OrgRole)", "Category", *MEASURE_HEADERS],
        detail,
        equality.name,
    )
    return figure(
        f"{label} by seniority, {where}",
        svg.bar_chart(
            chart_rows,
            series=[f"{c} (share in post)" for c in known_categories],
            title=f"{label} by seniority: shares of those in post, {where}",
            source=equality.name,
            columns=["inpost_share_rate"] * len(known_categories),
        ),
        table(f"{label} by seniority, in post, {where}", header, body, equality.name)
        + "<details><summary>Starters, leavers and progression by "
        f"{e(label.lower())} and seniority</summary>{every}</details>",
        '<p class="note">Each OrgRole\'s in-post shares (%) are of its people whose '
        f"{e(label.lower())} is known (the known-value denominator); the counts of each cell, "
        "and its starters, leavers and progression, are under the table.</p>",
    )


METHODOLOGY_SECTIONS = (
    ("Census year", "census-year"),
    ("Indicators", "indicators"),
    ("Regions", "regions"),
    ("Ethnic groups", "ethnic-groups"),
    ("Movement between boroughs", "movement"),
    ("Seniority and progression", "progression"),
    ("Small-number suppression", "suppression"),
    ("Census-year window", "window"),
)


def quality_caveat(row: Row, extract: Extract) -> str:
    """What a reader should bear in mind about one borough-year's figures."""
    caveats = []
    score = _value(extract, row, "quality_score")
    if row.get("has_file_level_errors"):
        caveats.append("an LA-level or file-level error: LA-level figures may be unusable")
    if score is not None and score < 90:
        caveats.append("below 90: treat its figures with care")
    if score is None:
        caveats.append("score withheld (built from a small count)")
    return "; ".join(caveats) or "none"


def methodology_page(quality: Extract, turnover: Extract) -> str:
    """Definitions quoted from docs/methodology.md, and the quality caveats per borough-year."""
    quoted = sections()
    parts = [
        "<p>Definitions quoted from the project's docs/methodology.md, the one written "
        "definition of every figure in this report.</p><ul>"
        + "".join(f'<li><a href="#{a}">{e(h)}</a></li>' for h, a in METHODOLOGY_SECTIONS)
        + '<li><a href="#quality">Data quality caveats by borough and year</a></li></ul>'
    ]
    for heading, anchor in METHODOLOGY_SECTIONS:
        if heading in quoted:
            parts.append(f'<section id="{anchor}"><h2>{e(heading)}</h2>{quoted[heading]}</section>')
    complete = {(r["area_code"], r["census_year"]): r.get("is_complete") for r in turnover.rows}
    rows = []
    for r in sorted(quality.rows, key=lambda r: (r["area_name"] or "", r["census_year"])):
        rows.append(
            [
                text(r["area_name"]),
                text(r["census_year"]),
                count(_value(quality, r, "worker_records_count")),
                count(_value(quality, r, "error_records_count")),
                count(_value(quality, r, "warning_only_records_count")),
                _rate(quality, r, "quality_score"),
                text("yes" if complete.get((r["area_code"], r["census_year"])) else "no"),
                text(quality_caveat(r, quality)),
            ]
        )
    parts.append(
        '<section id="quality"><h2>Data quality caveats by borough and year</h2>'
        "<p>From each borough's accepted return (extract ext_data_quality). The quality score "
        "runs from 0 (every record has an error) to 100 (no finding). A region is complete when "
        "every borough in it sent a return for that year.</p>"
        + SUPPRESSED_NOTE
        + table(
            "Data quality by borough and census year",
            [
                "Borough",
                "Year",
                "Worker records",
                "With an error",
                "Warnings only",
                "Quality score",
                "Region complete",
                "Caveat",
            ],
            rows,
            quality.name,
        )
        + "</section>"
    )
    return "".join(parts)


def index_page(extracts: dict[str, Extract], published: Published) -> str:
    """The overview: London's key figures for the latest year and what each page shows."""
    turnover, agency = extracts["ext_turnover"], extracts["ext_agency_reliance"]
    year = _years(turnover)[-1]
    t_row = _by_area_year(turnover).get((LONDON, year))
    a_row = _by_area_year(agency).get((LONDON, year))
    from_year, to_year = latest_pair(extracts["ext_movement"])
    moved = next(
        (
            r
            for r in extracts["ext_movement"].rows
            if r["flow_type"] == "moved"
            and r["from_area_code"] == LONDON
            and r["to_area_code"] == LONDON
            and r["from_census_year"] == from_year
            and r["to_census_year"] == to_year
        ),
        None,
    )

    def key(label: str, cell: Cell, note: str) -> str:
        return (
            f'<div><div class="big" data-value="{e(cell.value)}"'
            f"{' data-count' if cell.count else ''}>{e(cell.text)}</div>{e(label)}"
            f'<div class="note">{e(note)}</div></div>'
        )

    dfe_turnover = published.get(LONDON, year, "turnover_rate_fte")
    figures = "".join(
        [
            key(
                f"social workers in post, {year}",
                count(_value(turnover, t_row, "inpost_headcount")),
                "LA-employed, headcount",
            ),
            key(
                f"turnover rate (FTE), {year}",
                _rate(turnover, t_row, "turnover_fte_rate"),
                "DfE published: " + ("none" if dfe_turnover is None else f"{dfe_turnover:.1f}"),
            ),
            key(
                f"agency worker rate (FTE), {year}",
                _rate(agency, a_row, "agency_fte_rate"),
                "of all social workers' FTE",
            ),
            key(
                f"moved between boroughs, {from_year} to {to_year}",
                count(_value(extracts["ext_movement"], moved, "workers_headcount")),
                "observed, people",
            ),
        ]
    )
    boroughs = len(_boroughs(turnover))
    return (
        f"<p>The children's social work workforce of London's {boroughs} borough returns, from "
        "their Children's Social Work Workforce census returns: who is in post, who starts and "
        "leaves, how much the boroughs rely on agency workers, how social workers move between "
        "boroughs, and the equality of the workforce. Boroughs are identified; no individual is: "
        "every figure comes from the suppressed aggregated extracts.</p>"
        f'<h2>London, {year}</h2><div class="key">{figures}</div>'
        "<h2>Pages</h2><ul>"
        '<li><a href="turnover.html">Turnover and agency reliance</a>: by borough and year, with '
        "London, Inner and Outer London, and each borough against DfE's published figure.</li>"
        '<li><a href="movement.html">Movement between boroughs</a>: flows for the latest two '
        "years, net flows per borough, observed moves against what the returns report.</li>"
        '<li><a href="equality.html">Equality</a>: ethnic group, gender, age band and seniority '
        "of those in post, starters and leavers, and progression rates.</li>"
        '<li><a href="methodology.html">Methodology</a>: definitions, the suppression rule, the '
        "census-year window and data-quality caveats per borough and year.</li></ul>"
        + SUPPRESSED_NOTE
    )
