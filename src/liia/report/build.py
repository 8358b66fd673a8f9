"""Write the London workforce report (``exports/report/``) from the analyst zone.

``build_report(analyst_folder, target)`` reads the suppressed extracts
(``liia.report.data``, which refuses a count from 1 to 4), renders each page and
checks every rendered count again before anything is written; the site is
written beside its final folder and renamed into place whole, so a failure
leaves the previous report (or none), never half of one.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from liia.config import Settings
from liia.report import pages
from liia.report.data import (
    DFE_SEED,
    UnsuppressedCountError,
    is_small,
    read_extract,
    read_extracts,
    read_published,
)
from liia.report.html import PAGES, page

REPORT_DIRNAME = "report"
ANALYST_DIRNAME = "analyst"
_COUNT_CELL = re.compile(r'data-count=""[^>]*data-value="(\d+)"|data-value="(\d+)"[^>]*data-count')


@dataclass
class ReportSummary:
    """What the report holds."""

    folder: Path
    pages: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"London report: {len(self.pages)} page(s) in {self.folder} (open index.html)"


def check_rendered(name: str, html: str) -> None:
    """Refuse a page showing a count from 1 to 4, whatever its inputs said."""
    for match in _COUNT_CELL.finditer(html):
        value = int(match.group(1) or match.group(2))
        if is_small(value):
            raise UnsuppressedCountError(
                f"{name}: would show the count {value} (from 1 to 4); the report is not written"
            )


def render_pages(analyst_folder: Path, dfe_seed: Path = DFE_SEED) -> dict[str, str]:
    """Every page of the report, by file name, from the extracts in ``analyst_folder``."""
    extracts = read_extracts(analyst_folder)
    published = read_published(dfe_seed)
    generated = datetime.now().strftime("%d %B %Y %H:%M")
    bodies = {
        "index.html": pages.index_page(extracts, published),
        "turnover.html": pages.turnover_page(
            extracts["ext_turnover"], extracts["ext_agency_reliance"], published
        ),
        "movement.html": pages.movement_page(extracts["ext_movement"]),
        "equality.html": pages.equality_page(extracts["ext_equality"]),
        "methodology.html": pages.methodology_page(
            extracts["ext_data_quality"], extracts["ext_turnover"]
        ),
    }
    titles = dict(PAGES)
    rendered = {name: page(name, titles[name], body, generated) for name, body in bodies.items()}
    for name, html in rendered.items():
        check_rendered(name, html)
    return rendered


def build_report(analyst_folder: Path, target: Path, dfe_seed: Path = DFE_SEED) -> ReportSummary:
    """Write the report's pages into ``target``, replacing it whole."""
    rendered = render_pages(analyst_folder, dfe_seed)
    staged = target.with_name(f".{target.name}.partial")
    shutil.rmtree(staged, ignore_errors=True)
    staged.mkdir(parents=True)
    try:
        for name, html in rendered.items():
            (staged / name).write_text(html, encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        staged.rename(target)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    return ReportSummary(folder=target, pages=sorted(rendered))


def export_report(settings: Settings) -> ReportSummary | str:
    """``exports/report/`` from ``exports/analyst/`` (run after the analyst export).

    With no census year in the extracts yet (nothing accepted), there is
    nothing to report: that is said, and no page is written.
    """
    analyst = settings.exports_dir / ANALYST_DIRNAME
    if not read_extract(analyst, "ext_turnover").rows:
        return "London report: not written: the extracts hold no census year yet"
    return build_report(analyst, settings.exports_dir / REPORT_DIRNAME)
