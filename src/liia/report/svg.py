"""Inline SVG charts drawn in Python: no chart library, no script, no network.

Every mark carries its number in ``data-value`` (empty when the cell is
suppressed) with its labels, so a test (or a reader's tool) can compare a chart
with the table beside it and with the extract it came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

PALETTE = ("#1d70b8", "#d4351c", "#00703c", "#6f72af", "#f47738", "#5694ca", "#912b88", "#85994b")
MARKER_COLOUR = "#0b0c0c"
Value = float | int | None


def _a(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def _num(value: Value) -> str:
    return "" if value is None else f"{float(value):g}"


def _svg(width: int, height: int, title: str, source: str, body: str) -> str:
    return (
        f'<svg viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{_a(title)}" class="chart" '
        f'data-source="{_a(source)}"><title>{escape(title)}</title>{body}</svg>'
    )


def _nice_max(values: Sequence[float]) -> float:
    """The axis maximum: four ticks of a round step (1, 2, 2.5, 5 times a power of ten)."""
    top = max([v for v in values if v is not None] or [1.0])
    scale = 1.0
    while True:
        for step in (0.25, 0.5, 1, 2, 2.5, 5):
            if step * scale * 4 >= top:
                return step * scale * 4
        scale *= 10


def _short(label: str, limit: int = 30) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "\u2026"


def line_chart(
    series: Sequence[tuple[str, Sequence[tuple[int, Value]]]],
    *,
    title: str,
    source: str,
    column: str,
    unit: str = "%",
) -> str:
    """Lines over census years, one per series; a suppressed point breaks its line."""
    width, height, left, right, top, bottom = 680, 300, 50, 190, 20, 40
    years = sorted({year for _, points in series for year, _ in points})
    values = [float(v) for _, points in series for _, v in points if v is not None]
    y_max = _nice_max(values)
    span_x = max(len(years) - 1, 1)

    def x(year: int) -> float:
        return left + (width - left - right) * years.index(year) / span_x

    def y(value: float) -> float:
        return top + (height - top - bottom) * (1 - float(value) / y_max)

    parts = []
    for tick in range(5):
        level = y_max * tick / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(level):.1f}" y2="{y(level):.1f}" '
            f'stroke="#ddd"/><text x="{left - 6}" y="{y(level) + 4:.1f}" font-size="11" '
            f'text-anchor="end">{level:g}{escape(unit)}</text>'
        )
    for year in years:
        parts.append(
            f'<text x="{x(year):.1f}" y="{height - bottom + 18}" font-size="11" '
            f'text-anchor="middle">{year}</text>'
        )
    for index, (label, points) in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        dash = "" if index < 3 else ' stroke-dasharray="4 3"'
        segments: list[list[str]] = [[]]
        marks = []
        for year, value in sorted(points):
            if value is None:
                segments.append([])
            else:
                segments[-1].append(f"{x(year):.1f},{y(value):.1f}")
            marks.append(
                f'<circle cx="{x(year):.1f}" cy="{y(value or 0):.1f}" '
                f'r="{3 if value is not None else 0}" '
                f'fill="{colour}" class="mark" data-series="{_a(label)}" data-x="{year}" '
                f'data-column="{_a(column)}" data-value="{_num(value)}"><title>{escape(label)} '
                f"{year}: {'c (suppressed)' if value is None else f'{float(value):.1f}'}"
                "</title></circle>"
            )
        parts += [
            f'<polyline fill="none" stroke="{colour}" stroke-width="2"{dash} '
            f'points="{" ".join(s)}"/>'
            for s in segments
            if len(s) > 1
        ]
        parts += marks
        legend_y = top + 16 * index + 8
        parts.append(
            f'<line x1="{width - right + 10}" x2="{width - right + 30}" y1="{legend_y}" '
            f'y2="{legend_y}" stroke="{colour}" stroke-width="3"{dash}/>'
            f'<text x="{width - right + 36}" y="{legend_y + 4}" font-size="12">'
            f"{escape(label)}</text>"
        )
    return _svg(width, height, title, source, "".join(parts))


def bar_chart(
    rows: Sequence[tuple[str, Sequence[Value], Value]],
    *,
    series: Sequence[str],
    title: str,
    source: str,
    columns: Sequence[str],
    unit: str = "%",
    marker_label: str | None = None,
) -> str:
    """Horizontal bars, one group per row (several series side by side); an optional
    marker per row (e.g. DfE's published figure) drawn as a black tick.

    A suppressed value draws no bar and the letter ``c``.
    """
    label_width, width, bar, gap = 190, 640, 12, 8
    group = bar * len(series) + gap
    legend = 18 * (len(series) + (1 if marker_label else 0))
    height = 20 + group * len(rows) + legend + 24
    values = [float(v) for _, vs, m in rows for v in (*vs, m) if v is not None]
    x_max = _nice_max(values)
    plot = width - label_width - 40

    def x(value: float) -> float:
        return label_width + plot * float(value) / x_max

    parts = []
    for tick in range(5):
        level = x_max * tick / 4
        parts.append(
            f'<line x1="{x(level):.1f}" x2="{x(level):.1f}" y1="10" y2="{20 + group * len(rows)}" '
            f'stroke="#ddd"/><text x="{x(level):.1f}" y="{32 + group * len(rows)}" font-size="11" '
            f'text-anchor="middle">{level:g}{escape(unit)}</text>'
        )
    for index, (label, vs, marker) in enumerate(rows):
        y0 = 16 + group * index
        parts.append(
            f'<text x="{label_width - 6}" y="{y0 + group / 2}" font-size="11" '
            f'text-anchor="end">{escape(_short(label))}</text>'
        )
        for s, value in enumerate(vs):
            yb = y0 + bar * s
            colour = PALETTE[s % len(PALETTE)]
            mark = (
                f'data-series="{_a(series[s])}" data-x="{_a(label)}" '
                f'data-column="{_a(columns[s])}" '
                f'data-value="{_num(value)}" class="mark"'
            )
            if value is None:
                parts.append(
                    f'<text x="{label_width + 4}" y="{yb + bar - 2}" font-size="11" {mark}>c</text>'
                )
            else:
                parts.append(
                    f'<rect x="{label_width}" y="{yb}" '
                    f'width="{max(x(value) - label_width, 0):.1f}" '
                    f'height="{bar - 2}" fill="{colour}" {mark}><title>{escape(label)}, '
                    f"{escape(series[s])}: {float(value):.1f}</title></rect>"
                )
        if marker is not None:
            parts.append(
                f'<line x1="{x(marker):.1f}" x2="{x(marker):.1f}" y1="{y0 - 2}" '
                f'y2="{y0 + bar * len(series)}" stroke="{MARKER_COLOUR}" stroke-width="3" '
                f'class="marker" data-x="{_a(label)}" data-value="{_num(marker)}">'
                f"<title>{escape(marker_label or '')}: {float(marker):.1f}</title></line>"
            )
    legend_top = 44 + group * len(rows)
    for s, name in enumerate(series):
        parts.append(
            f'<rect x="{label_width}" y="{legend_top + 18 * s}" width="12" height="12" '
            f'fill="{PALETTE[s % len(PALETTE)]}"/><text x="{label_width + 18}" '
            f'y="{legend_top + 18 * s + 11}" font-size="12">{escape(name)}</text>'
        )
    if marker_label:
        ym = legend_top + 18 * len(series)
        parts.append(
            f'<line x1="{label_width + 6}" x2="{label_width + 6}" y1="{ym}" y2="{ym + 12}" '
            f'stroke="{MARKER_COLOUR}" stroke-width="3"/><text x="{label_width + 18}" '
            f'y="{ym + 11}" font-size="12">{escape(marker_label)}</text>'
        )
    return _svg(width, height, title, source, "".join(parts))


def matrix_chart(
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    values: Sequence[Sequence[Value]],
    *,
    title: str,
    source: str,
    column: str,
) -> str:
    """A heat map: one cell per (origin, destination), darker for more; ``c`` where suppressed."""
    cell = 44 if len(column_labels) <= 4 else 22
    left, top = 170, 150
    width = left + cell * len(column_labels) + 10
    height = top + cell * len(row_labels) + 10
    top_value = max([float(v) for r in values for v in r if v] or [1.0])
    parts = []
    for j, label in enumerate(column_labels):
        cx = left + cell * j + cell / 2
        parts.append(
            f'<text transform="translate({cx:.1f},{top - 6}) rotate(-60)" font-size="10">'
            f"{escape(label)}</text>"
        )
    for i, label in enumerate(row_labels):
        y0 = top + cell * i
        parts.append(
            f'<text x="{left - 6}" y="{y0 + cell / 2 + 4}" font-size="10" '
            f'text-anchor="end">{escape(label)}</text>'
        )
        for j, value in enumerate(values[i]):
            x0 = left + cell * j
            shade = 0.0 if not value else 0.15 + 0.85 * float(value) / top_value
            mark = (
                f'class="mark" data-series="{_a(label)}" data-x="{_a(column_labels[j])}" '
                f'data-column="{_a(column)}" data-value="{_num(value)}"'
            )
            fill = "#f3f2f1" if value is None else f"rgba(29,112,184,{shade:.2f})"
            parts.append(
                f'<rect x="{x0}" y="{y0}" width="{cell - 1}" height="{cell - 1}" fill="{fill}" '
                f"{mark}><title>{escape(label)} to {escape(column_labels[j])}: "
                f"{'c (suppressed)' if value is None else value}</title></rect>"
            )
            if value is None:
                parts.append(
                    f'<text x="{x0 + cell / 2}" y="{y0 + cell / 2 + 4}" font-size="10" '
                    'text-anchor="middle">c</text>'
                )
    return _svg(width, height, title, source, "".join(parts))
