"""What the report tests ask the browser: the pages, and every chart mark's data."""

from __future__ import annotations

PAGES = ("index.html", "turnover.html", "movement.html", "equality.html", "methodology.html")
# Every chart mark with the extract it came from and its labels and number.
MARKS_JS = """[...document.querySelectorAll('svg.chart')].flatMap(svg =>
  [...svg.querySelectorAll('.mark')].map(m => ({source: svg.dataset.source,
    series: m.dataset.series, x: m.dataset.x, column: m.dataset.column,
    value: m.dataset.value})))"""
