"""Screenshots of the London report and one borough pack, for the README.

Runs Debian's headless Chromium (``/usr/bin/chromium``) on the pages a demo
home holds and writes PNGs under docs/screenshots/:

    .venv/bin/python scripts/screenshots.py [--home build] [--pack-home HOME]
        [--pack LA/YEAR] [--out docs/screenshots]

The README's shots: the report of `liia demo` (the clean sample) and the pack of
a messy run (`liia generate-sample --messy`, `liia run`), which has findings to show.

Every page is a local file (file://): the browser needs no network.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

# Each report page with the height of its shot (the top of the page, where its
# first charts and tables are).
REPORT_PAGES = {
    "index": 760,
    "turnover": 1600,
    "movement": 1300,
    "equality": 1600,
    "methodology": 1400,
}
WINDOW = (1280, 1600)


def chromium() -> str:
    """The system Chromium, or exit saying it is missing."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        sys.exit("Chromium is not installed (apt-get install chromium)")
    return path


def shoot(browser: str, page: Path, target: Path, size: tuple[int, int] = WINDOW) -> Path:
    """One PNG of ``page`` at ``size`` (width, height)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--screenshot={target}",
            f"--window-size={size[0]},{size[1]}",
            page.resolve().as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    if not target.is_file():
        sys.exit(f"Chromium wrote no screenshot of {page}")
    return target


def first_pack(home: Path, pack: str | None = None) -> Path:
    """The report.html of ``pack`` (LA/YEAR), or of the first borough's latest pack."""
    if pack:
        path = home / "exports" / "la" / pack / "report.html"
        if not path.is_file():
            sys.exit(f"no borough pack {path}")
        return path
    packs = sorted((home / "exports" / "la").glob("*/*/report.html"))
    if not packs:
        sys.exit(f"no borough pack under {home / 'exports' / 'la'} (run `liia demo` first)")
    by_borough = [p for p in packs if p.parent.parent == packs[0].parent.parent]
    return by_borough[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", default="build", help="a LIIA_HOME after `liia demo`")
    parser.add_argument("--pack-home", help="the home of the pack shot (default: --home)")
    parser.add_argument("--pack", help="the pack to shoot, LA/YEAR (default: the first)")
    parser.add_argument("--out", default="docs/screenshots")
    args = parser.parse_args(argv)
    home, out = Path(args.home), Path(args.out)
    browser = chromium()
    report = home / "exports" / "report"
    written = [
        shoot(browser, report / f"{name}.html", out / f"london-report-{name}.png", (1280, height))
        for name, height in REPORT_PAGES.items()
    ]
    pack = first_pack(Path(args.pack_home) if args.pack_home else home, args.pack)
    written.append(shoot(browser, pack, out / "borough-pack.png", (1280, 2400)))
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
