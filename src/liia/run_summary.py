"""The end of a run: time per stage, the rejected files, and where to look next."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from liia.config import Settings

# Rejections listed by name in the summary; beyond that, a count and where the list is.
LISTED_REJECTIONS = 10


@dataclass
class StageTime:
    """One stage: how long it took and what it did, in a few words."""

    name: str
    seconds: float = 0.0
    result: str = ""


@dataclass
class RunClock:
    """Times each stage of a run."""

    stages: list[StageTime] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)

    @contextmanager
    def stage(self, name: str) -> Iterator[StageTime]:
        timed = StageTime(name)
        start = time.perf_counter()
        try:
            yield timed
        finally:
            timed.seconds = time.perf_counter() - start
            if not timed.result:
                timed.result = "did not finish"
            self.stages.append(timed)

    @property
    def total_seconds(self) -> float:
        return time.perf_counter() - self.started


def where_to_look(settings: Settings) -> list[tuple[str, Path]]:
    """The outputs a person opens next, those that exist, most useful first."""
    candidates = [
        ("London workforce report", settings.exports_dir / "report" / "index.html"),
        ("borough packs (index)", settings.reports_dir / "borough_packs.csv"),
        ("analyst extracts", settings.exports_dir / "analyst" / "analyst.duckdb"),
        ("lineage and model docs", settings.exports_dir / "docs" / "index.html"),
        ("validation results", settings.home / "gx" / "validation.html"),
        ("register of data assets", settings.reports_dir / "data_assets.md"),
        ("audit log", settings.home / "audit" / "audit.jsonl"),
        ("run logs", settings.home / "logs"),
    ]
    return [(what, path) for what, path in candidates if path.exists()]


def render_summary(
    settings: Settings,
    clock: RunClock,
    status: int,
    rejections: list[tuple[str, str]] | None = None,
) -> str:
    """The closing lines of a run."""
    verdict = "finished" if status == 0 else f"FAILED (exit status {status})"
    lines = [f"Run summary: {verdict} in {clock.total_seconds:.1f} s"]
    width = max([len(s.name) for s in clock.stages] + [5])
    for timed in clock.stages:
        lines.append(f"  {timed.name:<{width}}  {timed.seconds:7.1f} s  {timed.result}")
    rejections = rejections or []
    if rejections:
        lines.append(f"Rejected files ({len(rejections)}), each left in incoming:")
        lines += [f"  {path}: {reason}" for path, reason in rejections[:LISTED_REJECTIONS]]
        if len(rejections) > LISTED_REJECTIONS:
            lines.append(
                f"  ... and {len(rejections) - LISTED_REJECTIONS} more: every reason is in the "
                f"load lines above and in the run log under {settings.home / 'logs'}"
            )
    else:
        lines.append("Rejected files: none in this run")
    looks = where_to_look(settings)
    if looks:
        lines.append("Where to look next:")
        width = max(len(what) for what, _ in looks)
        lines += [f"  {what:<{width}}  {path}" for what, path in looks]
    return "\n".join(lines)
