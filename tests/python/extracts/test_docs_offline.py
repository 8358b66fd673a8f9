"""The dbt docs site handed to analysts works on a locked-down network."""

from __future__ import annotations

from pathlib import Path

from tests.python.browser import visit

# dbt's own page asks for its icons and favicon through template URLs it never
# renders ('{{ getIcon(...) }}', "${require('./assets/favicons/...')}"), which
# Chromium then fails to load from disk. dbt's quirk: no network request and no
# missing style or content; the only console errors allowed.
_DBT_UNRENDERED_ASSET = ("getIcon", "favicon", "Failed to load resource: net::ERR_FILE_NOT_FOUND")


def test_the_dbt_docs_site_renders_offline(demo_home: Path) -> None:
    page = demo_home / "exports" / "docs" / "index.html"
    seen = visit(
        page,
        {
            "title": "document.title",
            "project_shown": "document.body.innerText.includes('liia_csww')",
            "sources_shown": "document.body.innerText.includes('landing')",
        },
    )
    assert seen.external_requests == []
    assert seen.values == {"title": "dbt Docs", "project_shown": True, "sources_shown": True}
    unexpected = [
        error
        for error in seen.console_errors
        if not any(quirk in error for quirk in _DBT_UNRENDERED_ASSET)
    ]
    assert unexpected == []
