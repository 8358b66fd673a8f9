"""The validation results as one self-contained page (no network needed).

Great Expectations' own Data Docs load Bootstrap, Vega and fonts from CDNs and
render blank on a locked-down council network, so the runner writes its
results here instead: inline styles, no script, nothing fetched. The page
holds suite names, relations, expectation types and counts only, never a data
value. It says what GX was given: the distinct values of the columns the checks
name (liia.validate.frames), so an unexpected count is of distinct values.
"""

from __future__ import annotations

import html
from datetime import datetime
from pathlib import Path
from typing import Protocol

PAGE_NAME = "validation.html"

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; margin: 2rem;
       color: #1b1b1b; max-width: 72rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
.verdict { display: inline-block; padding: .35rem .8rem; border-radius: .3rem; color: #fff;
           font-weight: 600; }
.passed { background: #1e6b35; } .failed { background: #a4262c; }
table { border-collapse: collapse; width: 100%; margin-top: 1rem; }
th, td { border: 1px solid #c8c8c8; padding: .35rem .6rem; text-align: left;
         vertical-align: top; }
th { background: #e8eef6; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: #555; }
"""


class Outcome(Protocol):
    name: str
    relation: str
    evaluated: int
    failures: list[str]
    error: str | None
    frame_rows: int | None

    @property
    def success(self) -> bool: ...


def write_validation_page(outcomes: list[Outcome], folder: Path, written_at: datetime) -> Path:
    """Write ``folder/validation.html`` for these outcomes; return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    passed = all(outcome.success for outcome in outcomes)
    failed = [outcome for outcome in outcomes if not outcome.success]
    rows = []
    for outcome in sorted(outcomes, key=lambda o: (o.success, o.name)):
        problems = ([f"error: {outcome.error}"] if outcome.error else []) + outcome.failures
        detail = "<br>".join(html.escape(problem) for problem in problems) or "—"
        status = "passed" if outcome.success else "failed"
        checked = "—" if outcome.frame_rows is None else str(outcome.frame_rows)
        rows.append(
            f"<tr><td>{html.escape(outcome.name)}</td><td>{html.escape(outcome.relation)}</td>"
            f'<td class="num">{outcome.evaluated}</td><td class="num">{checked}</td>'
            f'<td><span class="verdict {status}">{status}</span></td><td>{detail}</td></tr>'
        )
    verdict = "passed" if passed else "failed"
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Validation results</title><style>{_STYLE}</style></head>
<body>
<h1>Great Expectations validation results</h1>
<p class="muted">Written {written_at:%Y-%m-%d %H:%M} by <code>liia validate</code>: one current
result per suite. Minimisation and extract suites keep no sample values.</p>
<p class="muted" id="distinct-note">No table is read whole: for each suite DuckDB reads, where the
data lies, the distinct values of the columns its checks name (with the columns of a row
condition), and Great Expectations checks those. A value check passes on the distinct values
exactly when it passes on every row; but a count of unexpected values below is a count of
<strong>distinct values</strong>, not of rows, and <em>distinct values checked</em> is the
length of the longest such list. Column-set checks read column names only. Checks dbt
already makes (not null, unique, accepted values, relationships, the score ranges, small
counts in extracts) are dbt's tests, run by <code>liia build</code>.</p>
<p><span class="verdict {verdict}" id="verdict">{verdict.upper()}</span>
{len(outcomes)} suites, {sum(o.evaluated for o in outcomes)} expectations evaluated,
{len(failed)} suite(s) failed.</p>
<table><thead><tr><th>suite</th><th>relation</th><th>expectations</th>
<th>distinct values checked</th><th>result</th><th>what failed</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
</body></html>
"""
    path = folder / PAGE_NAME
    path.write_text(page, encoding="utf-8")
    return path


def prune_validation_results(validations_dir: Path) -> int:
    """Keep the newest stored result file per suite folder; return how many were removed."""
    removed = 0
    if not validations_dir.is_dir():
        return removed
    for suite_dir in (d for d in validations_dir.iterdir() if d.is_dir()):
        results = sorted(
            (f for f in suite_dir.rglob("*") if f.is_file()), key=lambda f: f.stat().st_mtime
        )
        for stale in results[:-1]:
            stale.unlink()
            removed += 1
        for folder in sorted((d for d in suite_dir.rglob("*") if d.is_dir()), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()
    return removed
