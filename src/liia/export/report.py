"""The borough's readable quality report: one self-contained, accessible HTML page.

Summary first (file, records, quality score, errors and warnings, minimisation),
then charts (findings by rule, completeness by item, the borough's indicators
over its years beside DfE's published figures for it and for London), the
findings grouped by rule with their record numbers and what to do next, item
completeness, the data dictionary of workers.csv and the checks that found
nothing. Inline SVG charts (liia.report.svg), no script, no external resource;
every value is HTML-escaped.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from html import escape

from liia.export.next_steps import next_step
from liia.export.pack_data import (
    PACK_INDICATORS,
    AcceptedReturn,
    ColumnDescription,
    Finding,
    IndicatorYear,
    ItemCompleteness,
    Minimisation,
    QualityScore,
    Rule,
)
from liia.report import svg

MAX_ROWS_PER_RULE = 200
NOT_GIVEN = "not given"
NOT_GIVEN_NOTE = (
    "<p><em>not given</em>, wherever it appears in this report, means there is no value "
    "to show: the return did not hold it, or it cannot be worked out (a rate with nothing "
    "to divide by, a score for a return with no records).</p>"
)
# A decimal written with trailing zeros by a finding's message ("12.340000"): shown
# as the number it is ("12.34"), never rounded.
_TRAILING_ZEROS = re.compile(r"(\d+\.\d*?[1-9]?)0{2,}(?!\d)")

_STYLE = """
body{font-family:Arial,Helvetica,sans-serif;font-size:1rem;line-height:1.5;color:#0b0c0c;
max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.8rem}h2{font-size:1.4rem;margin-top:2rem;border-bottom:2px solid #0b0c0c}
h3{font-size:1.15rem;margin-top:1.5rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{border:1px solid #505a5f;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f2f1}caption{text-align:left;font-weight:bold;padding:.3rem 0}
.error{color:#b10e1e;font-weight:bold}.warning{color:#594d00;font-weight:bold}
.score{font-size:1.6rem;font-weight:bold}.next{border-left:4px solid #1d70b8;padding-left:.5rem}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(26rem,1fr));gap:1rem}
svg.chart{max-width:100%;height:auto}
"""


@dataclass(frozen=True)
class ReportContent:
    """Everything the report shows for one borough-year."""

    accepted_return: AcceptedReturn
    la_name: str | None
    score: QualityScore | None
    minimisation: Minimisation
    findings: list[Finding]
    completeness: list[ItemCompleteness]
    rules: dict[str, Rule]
    indicators: list[IndicatorYear] = field(default_factory=list)
    dictionary: list[ColumnDescription] = field(default_factory=list)


def _e(value: object) -> str:
    return escape("" if value is None else str(value))


def _pct(value: float | None) -> str:
    return NOT_GIVEN if value is None else f"{value:.1f}%"


def _one_dp(value: float | None) -> str:
    """A figure at DfE's precision (one decimal place)."""
    return NOT_GIVEN if value is None else f"{value:.1f}"


def layout_text(ret: AcceptedReturn) -> str:
    """The layout named by the return's census year ("2023 census layout"), the name
    DfE's specification goes by, whatever year the layout was introduced."""
    return f"{ret.file_format.upper()}, {ret.census_year} census layout"


def tidy_message(message: str | None) -> str:
    """A finding's message with decimals shown without their padding zeros."""

    def strip(match: re.Match[str]) -> str:
        number = match.group(1)
        return number + "0" if number.endswith(".") else number

    return _TRAILING_ZEROS.sub(strip, message or "")


def summary_rows(content: ReportContent) -> list[tuple[str, object]]:
    """The summary as (label, value) pairs: the report's summary table and report.xlsx's."""
    ret = content.accepted_return
    score = content.score
    errors = sum(1 for f in content.findings if f.severity == "error")
    warnings = sum(1 for f in content.findings if f.severity == "warning")
    return [
        ("Borough", content.la_name or ret.la_code),
        ("Census year", ret.census_year),
        ("File", ret.file_name),
        ("Format and layout", layout_text(ret)),
        ("Received", NOT_GIVEN if ret.received_at is None else f"{ret.received_at:%d %B %Y %H:%M}"),
        ("Worker records", ret.worker_rows),
        ("Quality score (0 to 100)", NOT_GIVEN if score is None else f"{score.quality_score:.1f}"),
        ("Errors", errors),
        ("Warnings", warnings),
        (
            "Records with at least one error",
            NOT_GIVEN if score is None else score.records_with_errors,
        ),
    ]


def _summary(content: ReportContent) -> str:
    rows = summary_rows(content)
    body = "".join(f'<tr><th scope="row">{_e(k)}</th><td>{_e(v)}</td></tr>' for k, v in rows)
    return f"<table><caption>Summary</caption><tbody>{body}</tbody></table>"


def _minimisation(m: Minimisation) -> str:
    dropped = ", ".join(m.dropped_items) if m.dropped_items else "none"
    rows = [
        ("SWE numbers already pseudonymised by you", m.swe_numbers_hashed_by_sender),
        ("SWE numbers pseudonymised by the pipeline", m.swe_numbers_hashed_here),
        ("Birth dates already reduced to month by you", m.birth_dates_degraded_by_sender),
        ("Birth dates reduced to month by the pipeline", m.birth_dates_degraded_here),
        ("Items not on the agreed list, dropped unread (names only)", dropped),
    ]
    body = "".join(f'<tr><th scope="row">{_e(k)}</th><td>{_e(v)}</td></tr>' for k, v in rows)
    return (
        "<h2>Pseudonymisation and minimisation</h2>"
        "<p>SWE numbers are replaced by a keyed pseudonym and birth dates by the month of "
        "birth before anything is stored for analysis.</p>"
        f"<table><caption>Minimisation status</caption><tbody>{body}</tbody></table>"
    )


def _record_list(findings: list[Finding]) -> str:
    numbers = sorted({f.record_number for f in findings if f.record_number is not None})
    if not numbers:
        return "the return as a whole (LA level or file)"
    return ", ".join(str(n) for n in numbers)


@dataclass(frozen=True)
class FindingRow:
    """Findings with the same item and message shown once, with all their records
    (a duplicate SWE pair is one row naming both records, not two rows)."""

    records: list[int]
    item: str | None
    message: str

    @property
    def records_text(self) -> str:
        return ", ".join(map(str, self.records)) if self.records else "LA level / file"


def finding_rows(findings: list[Finding]) -> list[FindingRow]:
    """The findings of one rule, those saying the same thing about the same item merged."""
    merged: dict[tuple[str | None, str], list[int]] = {}
    for f in findings:
        records = merged.setdefault((f.item, f.message), [])
        if f.record_number is not None:
            records.append(f.record_number)
    return [
        FindingRow(sorted(set(records)), item, tidy_message(message))
        for (item, message), records in merged.items()
    ]


def _rule_section(rule: Rule | None, rule_id: str, findings: list[Finding]) -> str:
    severity = findings[0].severity
    description = rule.description if rule else ""
    shown = finding_rows(findings)
    rows = "".join(
        f"<tr><td>{_e(r.records_text)}</td><td>{_e(r.item)}</td><td>{_e(r.message)}</td></tr>"
        for r in shown[:MAX_ROWS_PER_RULE]
    )
    more = (
        f"<p>Only the first {MAX_ROWS_PER_RULE} of {len(shown)} are listed here; "
        "findings.csv and report.xlsx have them all.</p>"
        if len(shown) > MAX_ROWS_PER_RULE
        else ""
    )
    todo = next_step(rule_id, rule.category if rule else None)
    return (
        f'<section aria-labelledby="rule-{_e(rule_id)}">'
        f'<h3 id="rule-{_e(rule_id)}">{_e(rule_id)}: {_e(description)}</h3>'
        f'<p><span class="{_e(severity)}">{_e(severity.capitalize())}</span>, '
        f"{len(findings)} finding(s). Records: {_e(_record_list(findings))}</p>"
        f'<p class="next"><strong>What to do next:</strong> {_e(todo)}</p>'
        f"<table><caption>Findings of {_e(rule_id)}</caption>"
        '<thead><tr><th scope="col">Record(s)</th><th scope="col">Item</th>'
        f'<th scope="col">What is wrong</th></tr></thead><tbody>{rows}</tbody></table>{more}'
        "</section>"
    )


def _findings(content: ReportContent) -> str:
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for finding in content.findings:
        by_rule[finding.rule_id].append(finding)
    if not by_rule:
        return "<h2>Findings</h2><p>No problems were found in this return.</p>"
    order = sorted(by_rule, key=lambda r: (by_rule[r][0].severity != "error", r))
    sections = "".join(_rule_section(content.rules.get(r), r, by_rule[r]) for r in order)
    return (
        "<h2>Findings by rule</h2>"
        "<p>Errors are values that cannot be used as sent; warnings are plausible values worth "
        "checking. Record numbers count the worker records in your file from 1.</p>" + sections
    )


def _completeness(items: list[ItemCompleteness]) -> str:
    rows = "".join(
        f"<tr><td>{_e(i.item_name)}</td><td>{_e(i.records_present)} of {_e(i.records)}</td>"
        f"<td>{_pct(i.completeness_pct)}</td><td>{_pct(i.mandatory_completeness_pct)}</td>"
        f"<td>{_pct(i.validity_pct)}</td></tr>"
        for i in items
    )
    return (
        "<h2>Completeness and validity by item</h2>"
        "<table><caption>Worker items</caption><thead><tr>"
        '<th scope="col">Item</th><th scope="col">Records giving it</th>'
        '<th scope="col">Complete</th><th scope="col">Complete where mandatory</th>'
        '<th scope="col">Valid (of those given)</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def _charts(content: ReportContent) -> str:
    """Findings by rule and completeness by item, each chart with its numbers in a table."""
    by_rule: dict[str, int] = defaultdict(int)
    for finding in content.findings:
        by_rule[finding.rule_id] += 1
    parts = ["<h2>At a glance</h2>", '<div class="charts">']
    if by_rule:
        parts.append(
            svg.bar_chart(
                [(rule_id, [n], None) for rule_id, n in sorted(by_rule.items())],
                series=["Findings"],
                title="Findings by rule",
                source="findings",
                columns=["findings"],
                unit="",
            )
        )
    else:
        parts.append("<p>No findings: nothing to chart by rule.</p>")
    items = [i for i in content.completeness if i.completeness_pct is not None]
    if items:
        parts.append(
            svg.bar_chart(
                [(i.item_name, [i.completeness_pct], None) for i in items],
                series=["Records giving the item (%)"],
                title="Completeness by item",
                source="item_completeness",
                columns=["completeness_pct"],
            )
        )
    parts.append(
        "</div><p>The numbers behind these charts are in the tables below (findings by rule, "
        "completeness and validity by item).</p>"
    )
    return "".join(parts)


def _indicators(content: ReportContent) -> str:
    """The borough's own indicators over its years, with DfE's figure and London's beside."""
    if not content.indicators:
        return ""
    parts = [
        "<h2>Your indicators over the years</h2>"
        "<p>Worked out here from your accepted returns, beside the figure DfE published for "
        "your authority and for London (both public). Figures are shown at DfE's precision, "
        "one decimal place.</p>"
    ]
    for column, label, unit in PACK_INDICATORS:
        years = sorted(
            (i for i in content.indicators if i.indicator == column), key=lambda i: i.census_year
        )
        if not years:
            continue
        chart = svg.line_chart(
            [
                ("Your figure", [(i.census_year, i.borough) for i in years]),
                ("DfE published, you", [(i.census_year, i.dfe_borough) for i in years]),
                ("DfE published, London", [(i.census_year, i.dfe_london) for i in years]),
            ],
            title=f"{label} by census year",
            source="indicators",
            column=column,
            unit=unit,
        )
        rows = "".join(
            f'<tr><th scope="row">{i.census_year}</th><td data-value="{_e(i.borough)}">'
            f"{_one_dp(i.borough)}</td><td>{_one_dp(i.dfe_borough)}</td>"
            f"<td>{_one_dp(i.dfe_london)}</td></tr>"
            for i in years
        )
        parts.append(
            f'<h3>{_e(label)}</h3><div class="charts"><div>{chart}</div><div><table>'
            f"<caption>{_e(label)}</caption><thead><tr>"
            '<th scope="col">Year</th><th scope="col">Your figure</th>'
            '<th scope="col">DfE published, you</th><th scope="col">DfE published, London</th>'
            f"</tr></thead><tbody>{rows}</tbody></table></div></div>"
        )
    return "".join(parts)


def _dictionary(content: ReportContent) -> str:
    if not content.dictionary:
        return ""
    rows = "".join(
        f"<tr><td><code>{_e(c.name)}</code></td><td>{_e(c.data_type)}</td>"
        f"<td>{_e(c.description)}</td></tr>"
        for c in content.dictionary
    )
    return (
        "<h2>Data dictionary of workers.csv</h2>"
        "<p>One row per worker record of your return, in your file's record order "
        "(record_number counts from 1). The same columns are in workers.parquet and on the "
        "Workers dictionary sheet of report.xlsx.</p>"
        '<table><caption>Columns of workers.csv</caption><thead><tr><th scope="col">Column</th>'
        '<th scope="col">Type</th><th scope="col">Meaning</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def _passed(content: ReportContent) -> str:
    found = {f.rule_id for f in content.findings}
    passed = [rule for rule_id, rule in sorted(content.rules.items()) if rule_id not in found]
    items = "".join(f"<li>{_e(r.rule_id)}: {_e(r.description)}</li>" for r in passed)
    return f"<h2>Checks with no finding</h2><ul>{items}</ul>"


def render_report(content: ReportContent) -> str:
    """The whole report as one HTML document."""
    ret = content.accepted_return
    borough = f"{content.la_name} ({ret.la_code})" if content.la_name else ret.la_code
    title = f"Social work workforce return {ret.census_year}: data quality report for {borough}"
    score_text = (
        ""
        if content.score is None
        else f'<p>Quality score: <span class="score">{content.score.quality_score:.1f}</span> '
        "out of 100. It is 100 &times; (1 &minus; (E + W/2) / (N + 1)), where N is the "
        "number of worker records, E the records with an error and W those with warnings "
        "only; the LA-level "
        "record counts as one more record.</p>"
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body><main>"
        f"<h1>{_e(title)}</h1>"
        f"<p>Census year {ret.census_year}: 1 October {ret.census_year - 1} "
        f"to 30 September {ret.census_year}. This pack holds your own prepared data only, for "
        "your internal analysis.</p>"
        f"<h2>Summary</h2>{score_text}{_summary(content)}{NOT_GIVEN_NOTE}"
        "<p>The same summary, findings and completeness are in report.xlsx, as tables you "
        "can filter.</p>"
        f"{_charts(content)}{_indicators(content)}"
        f"{_minimisation(content.minimisation)}{_findings(content)}"
        f"{_completeness(content.completeness)}{_dictionary(content)}{_passed(content)}"
        "</main></body></html>"
    )
