"""Quote sections of docs/methodology.md in the report: a small Markdown-to-HTML subset.

Headings, paragraphs, bullet lists, tables, ``code``, **bold** and links (kept
as text with the target in brackets when it is another document, since the
report stands alone). Everything is escaped first.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from liia.config import PROJECT_ROOT

METHODOLOGY = PROJECT_ROOT / "docs" / "methodology.md"


def _inline(text: str) -> str:
    html = escape(text)
    html = re.sub(r"`([^`]+)`", r"<code>\1</code>", html)
    html = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", html)
    html = re.sub(r"(?<![*\w])\*([^*]+)\*(?!\*)", r"<em>\1</em>", html)
    return re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1", html)


def _block(lines: list[str]) -> str:
    if all(line.lstrip().startswith("|") for line in lines):
        rows = [
            [cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in lines
            if not re.fullmatch(r"\|?[\s|:-]+\|?", line.strip())
        ]
        head = "".join(f'<th scope="col">{_inline(c)}</th>' for c in rows[0])
        body = "".join(
            "<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in row) + "</tr>" for row in rows[1:]
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    if lines[0].lstrip().startswith(("- ", "* ")):
        items: list[str] = []
        for line in lines:
            if line.lstrip().startswith(("- ", "* ")):
                items.append(line.lstrip()[2:])
            else:
                items[-1] += " " + line.strip()
        return "<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>"
    return f"<p>{_inline(' '.join(line.strip() for line in lines))}</p>"


def sections(path: Path = METHODOLOGY) -> dict[str, str]:
    """Each ``## `` section of the document as HTML, by its heading."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = found.setdefault(line[3:].strip(), [])
        elif current is not None:
            current.append(line)
    html: dict[str, str] = {}
    for heading, lines in found.items():
        blocks: list[list[str]] = [[]]
        for line in lines:
            if line.strip():
                blocks[-1].append(line)
            elif blocks[-1]:
                blocks.append([])
        html[heading] = "".join(_block(b) for b in blocks if b)
    return html
