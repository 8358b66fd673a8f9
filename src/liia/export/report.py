"""The borough's readable quality report: one self-contained, accessible HTML page.

Summary first (file, records, quality score, errors and warnings, minimisation),
then the findings grouped by rule with their record numbers, item completeness,
and the checks that found nothing. No script, no external resource; every value
is HTML-escaped.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from html import escape

from liia.export.pack_data import (
    AcceptedReturn,
    Finding,
    ItemCompleteness,
    Minimisation,
    QualityScore,
    Rule,
)

MAX_ROWS_PER_RULE = 200
NOT_GIVEN = "not given"

_STYLE = """
body{font-family:Arial,Helvetica,sans-serif;font-size:1rem;line-height:1.5;color:#0b0c0c;
max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.8rem}h2{font-size:1.4rem;margin-top:2rem;border-bottom:2px solid #0b0c0c}
h3{font-size:1.15rem;margin-top:1.5rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{border:1px solid #505a5f;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f2f1}caption{text-align:left;font-weight:bold;padding:.3rem 0}
.error{color:#b10e1e;font-weight:bold}.warning{color:#594d00;font-weight:bold}
.score{font-size:1.6rem;font-weight:bold}
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


def _e(value: object) -> str:
    return escape("" if value is None else str(value))


def _pct(value: float | None) -> str:
    return NOT_GIVEN if value is None else f"{value:.1f}%"


def _summary(content: ReportContent) -> str:
    ret = content.accepted_return
    score = content.score
    errors = sum(1 for f in content.findings if f.severity == "error")
    warnings = sum(1 for f in content.findings if f.severity == "warning")
    rows = [
        ("File", ret.file_name),
        ("Format and layout", f"{ret.file_format.upper()}, {ret.layout_version} layout"),
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


def _rule_section(rule: Rule | None, rule_id: str, findings: list[Finding]) -> str:
    severity = findings[0].severity
    description = rule.description if rule else ""
    rows = "".join(
        f"<tr><td>{_e(f.record_number if f.record_number is not None else 'LA level / file')}</td>"
        f"<td>{_e(f.item)}</td><td>{_e(f.message)}</td></tr>"
        for f in findings[:MAX_ROWS_PER_RULE]
    )
    more = (
        f"<p>Only the first {MAX_ROWS_PER_RULE} of {len(findings)} are listed here; "
        "findings.csv has them all.</p>"
        if len(findings) > MAX_ROWS_PER_RULE
        else ""
    )
    return (
        f'<section aria-labelledby="rule-{_e(rule_id)}">'
        f'<h3 id="rule-{_e(rule_id)}">{_e(rule_id)}: {_e(description)}</h3>'
        f'<p><span class="{_e(severity)}">{_e(severity.capitalize())}</span>, '
        f"{len(findings)} finding(s). Records: {_e(_record_list(findings))}</p>"
        f"<table><caption>Findings of {_e(rule_id)}</caption>"
        '<thead><tr><th scope="col">Record</th><th scope="col">Item</th>'
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
        f"<h2>Summary</h2>{score_text}{_summary(content)}"
        f"{_minimisation(content.minimisation)}{_findings(content)}"
        f"{_completeness(content.completeness)}{_passed(content)}"
        "</main></body></html>"
    )
