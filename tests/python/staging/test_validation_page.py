"""The validation results page works on a locked-down network: styles inline,
nothing fetched, no console error; and GX keeps one result per suite."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from liia.validate.report_page import prune_validation_results, write_validation_page
from liia.validate.runner import SuiteOutcome
from tests.python.browser import visit

VERDICT_BACKGROUND = "getComputedStyle(document.getElementById('verdict')).backgroundColor"
ROW_COUNT = "document.querySelectorAll('tbody tr').length"


def test_the_validation_page_renders_with_its_styles_offline(tmp_path: Path) -> None:
    outcomes = [
        SuiteOutcome("minimisation__marts__dim_la", "marts.dim_la", evaluated=3),
        SuiteOutcome(
            "quality_stg_csww__workers",
            "staging.stg_csww__workers",
            evaluated=4,
            failures=[
                "expect_column_values_to_be_between on column fte (2 distinct value(s) unexpected)"
            ],
            frame_rows=37,
        ),
    ]
    page = write_validation_page(outcomes, tmp_path / "gx", datetime(2025, 11, 1, 9, 30))

    seen = visit(
        page,
        {
            "verdict_background": VERDICT_BACKGROUND,
            "rows": "document.querySelectorAll('tbody tr').length",
        },
    )

    assert seen.console_errors == [] and seen.external_requests == []
    # The failed verdict's red comes from the inline stylesheet: styles applied offline.
    assert seen.values["verdict_background"] == "rgb(164, 38, 44)"
    assert seen.values["rows"] == 2
    text = page.read_text()
    assert "FAILED" in text and "on column fte" in text
    # It says what GX was given: distinct values, so counts are of distinct values.
    assert '<td class="num">37</td>' in text and "distinct values checked" in text
    words = " ".join(text.split())
    assert "is a count of <strong>distinct values</strong>, not of rows" in words
    assert "<link" not in text and "<script" not in text and "http" not in text


def test_only_the_newest_result_per_suite_is_kept(tmp_path: Path) -> None:
    suite = tmp_path / "validations" / "quality_fct_la_indicators"
    for run in range(3):
        result = suite / f"run-{run}" / "batch.json"
        result.parent.mkdir(parents=True)
        result.write_text("{}")
        stamp = 1_700_000_000 + run
        os.utime(result, (stamp, stamp))
    assert prune_validation_results(tmp_path / "validations") == 2
    assert [p.parent.name for p in suite.rglob("*.json")] == ["run-2"]
    assert sorted(d.name for d in suite.iterdir()) == ["run-2"]


def test_the_browser_check_catches_a_page_that_needs_the_network(tmp_path: Path) -> None:
    # What GX's own Data Docs do: styles and scripts from a CDN.
    page = tmp_path / "cdn.html"
    page.write_text(
        '<html><head><link rel="stylesheet" href="https://cdn.example.org/bootstrap.css">'
        "</head><body><script>undefinedFunction()</script></body></html>"
    )
    seen = visit(page)
    assert seen.external_requests == ["https://cdn.example.org/bootstrap.css"]
    assert any("undefinedFunction" in error for error in seen.console_errors)
