"""The report's HTML: page shell, navigation, tables and number formats.

Every value is escaped. A suppressed cell is shown as ``c`` (the ONS/DfE
convention) with a footnote on the page; numbers are shown at DfE's precision
(rates and FTEs to one decimal place, counts whole).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from html import escape

SUPPRESSED = "c"
SUPPRESSED_NOTE = (
    '<p class="note"><strong>c</strong> = confidential: a count from 1 to 4, or a figure that '
    'would reveal one, is withheld (see <a href="methodology.html#suppression">the suppression '
    "rule</a>).</p>"
)
PAGES = (
    ("index.html", "Overview"),
    ("turnover.html", "Turnover and agency reliance"),
    ("movement.html", "Movement between boroughs"),
    ("equality.html", "Equality"),
    ("methodology.html", "Methodology"),
)
STYLE = """
body{font-family:Arial,Helvetica,sans-serif;font-size:1rem;line-height:1.45;color:#0b0c0c;
margin:0}header{background:#0b0c0c;color:#fff;padding:.8rem 1.5rem}header a{color:#fff}
nav ul{list-style:none;margin:.4rem 0 0;padding:0;display:flex;flex-wrap:wrap;gap:1.2rem}
nav a[aria-current]{font-weight:bold;text-decoration:none;border-bottom:3px solid #fff}
main{max-width:78rem;margin:0 auto;padding:1rem 1.5rem}h1{font-size:1.8rem}
h2{font-size:1.35rem;margin-top:2rem;border-bottom:2px solid #0b0c0c}
.figure{display:grid;grid-template-columns:minmax(20rem,1.2fr) minmax(18rem,1fr);gap:1.5rem;
align-items:start}.figure .table{max-height:30rem;overflow:auto}
table{border-collapse:collapse;width:100%;font-size:.85rem}
th,td{border:1px solid #b1b4b6;padding:.2rem .4rem;text-align:left}td.n{text-align:right}
th{background:#f3f2f1;position:sticky;top:0}caption{text-align:left;font-weight:bold}
.note{font-size:.9rem;color:#505a5f}.key{display:flex;gap:2rem;flex-wrap:wrap}
.key>div{border-left:5px solid #1d70b8;padding:.3rem .8rem}
.key .big{font-size:1.8rem;font-weight:bold}
svg.chart{max-width:100%;height:auto}
@media (max-width:50rem){.figure{grid-template-columns:1fr}}
"""


@dataclass(frozen=True)
class Cell:
    """One table cell: its text, and whether it is a count (checked for small numbers)."""

    text: str
    numeric: bool = False
    count: bool = False
    value: str = ""


def e(value: object) -> str:
    return escape("" if value is None else str(value))


def one_dp(value: float) -> Decimal:
    """``value`` to one decimal place, halves rounded up, as DfE rounds its figures."""
    return Decimal(repr(float(value))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def rate(value: float | None, suppressed: bool = True) -> Cell:
    """A rate or share to one decimal place (DfE's precision)."""
    if value is None:
        return Cell(SUPPRESSED if suppressed else "", numeric=True)
    return Cell(str(one_dp(value)), numeric=True, value=f"{float(value):g}")


def fte(value: float | None) -> Cell:
    return rate(value)


def count(value: int | None) -> Cell:
    """A count (whole number); ``c`` when suppressed."""
    if value is None:
        return Cell(SUPPRESSED, numeric=True, count=True)
    return Cell(f"{int(value):,}", numeric=True, count=True, value=str(int(value)))


def signed(value: float | None, digits: int = 0) -> Cell:
    """A difference (a net flow, a gap to DfE's figure), with its sign."""
    if value is None:
        return Cell(SUPPRESSED, numeric=True)
    return Cell(f"{float(value):+,.{digits}f}", numeric=True, value=f"{float(value):g}")


def text(value: object) -> Cell:
    return Cell("" if value is None else str(value))


def table(
    caption: str, header: Sequence[str], rows: Sequence[Sequence[Cell]], source: str = ""
) -> str:
    """An accessible table (caption, scoped headers); numbers in data-value attributes."""
    head = "".join(f'<th scope="col">{e(h)}</th>' for h in header)
    body = []
    for row in rows:
        cells = []
        for index, cell in enumerate(row):
            attrs = ' class="n"' if cell.numeric else ""
            if cell.count:
                attrs += ' data-count=""'
            if cell.numeric:
                attrs += f' data-value="{e(cell.value)}"'
            tag = 'th scope="row"' if index == 0 and not cell.numeric else "td"
            close = "th" if tag.startswith("th") else "td"
            cells.append(f"<{tag}{attrs}>{e(cell.text)}</{close}>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<table data-source="{e(source)}"><caption>{e(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def figure(heading: str, chart: str, table_html: str, note: str = "") -> str:
    """A chart with its table beside it (the table holds the same numbers)."""
    slug = "".join(ch if ch.isalnum() else "-" for ch in heading.lower()).strip("-")
    return (
        f'<section aria-labelledby="{slug}"><h2 id="{slug}">{e(heading)}</h2>{note}'
        f'<div class="figure"><div>{chart}</div><div class="table">{table_html}</div></div>'
        "</section>"
    )


def page(file_name: str, title: str, body: str, generated: str) -> str:
    """One complete, self-contained page (styles inline, no script, no external resource)."""
    current = ' aria-current="page"'
    links = "".join(
        f'<li><a href="{name}"{current if name == file_name else ""}>{e(label)}</a></li>'
        for name, label in PAGES
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}: London social work workforce</title><style>{STYLE}</style></head>"
        "<body><header><strong>London social work workforce (children's services)</strong>"
        f'<nav aria-label="Report pages"><ul>{links}</ul></nav></header><main>'
        f"<h1>{e(title)}</h1>{body}"
        f'<p class="note">Built {e(generated)} from the suppressed aggregated extracts of '
        "exports/analyst/ and DfE's published figures only.</p></main></body></html>"
    )
