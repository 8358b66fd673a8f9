"""Open a page the project wrote in a real headless Chromium with the network off.

Debian's Chromium, driven by Playwright (which never downloads a browser of its
own here). A test that needs it skips, saying why, where Chromium is missing;
``make test`` installs it where it can (root with apt-get).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest


@dataclass
class PageVisit:
    """What the browser saw: errors, requests that tried to leave the file system,
    and the values of the expressions the test asked about."""

    console_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)


def chromium_path() -> str:
    """The system Chromium, or skip the test with the reason."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("Chromium is not installed (make test installs it with apt-get as root)")
    return path


def visit(page_path: Path, expressions: dict[str, str] | None = None) -> PageVisit:
    """Load ``page_path`` offline; evaluate each JavaScript expression once it has loaded.

    Every request that is not ``file:`` or ``data:`` is refused and recorded.
    """
    from playwright.sync_api import sync_playwright

    seen = PageVisit()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            context = browser.new_context(offline=True)

            def refuse_network(route: Any) -> None:
                url = route.request.url
                if url.startswith(("file:", "data:", "about:")):
                    route.continue_()
                else:
                    seen.external_requests.append(url)
                    route.abort()

            context.route("**/*", refuse_network)
            page = context.new_page()
            page.on(
                "console",
                lambda message: (
                    seen.console_errors.append(message.text) if message.type == "error" else None
                ),
            )
            page.on("pageerror", lambda error: seen.console_errors.append(str(error)))
            page.goto(page_path.resolve().as_uri(), wait_until="load")
            for name, expression in (expressions or {}).items():
                seen.values[name] = page.evaluate(expression)
        finally:
            browser.close()
    return seen
