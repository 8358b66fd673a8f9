"""Progress of a long stage: a live bar on a terminal, a few plain lines otherwise.

Validation, export and the privacy scan each take about a minute on London.
On a terminal a bar shows they are alive (written to the terminal itself, so
the run log is not filled with redraws); in a log or a pipe a plain line is
written at the start, at each quarter and at the end.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")
_PLAIN_STEPS = 4


def _on_terminal() -> bool:
    stream = sys.__stderr__
    return stream is not None and stream.isatty()


def progress(items: Iterable[T], label: str, unit: str) -> Iterator[T]:
    """Yield ``items``, showing how far through them the stage is."""
    listed = list(items)
    total = len(listed)
    started = time.perf_counter()
    if _on_terminal():
        yield from tqdm(listed, desc=label, unit=unit, file=sys.__stderr__, leave=False)
    else:
        marks = {max(1, total * step // _PLAIN_STEPS) for step in range(1, _PLAIN_STEPS)}
        print(f"{label}: {total} {unit}(s) to do", flush=True)
        for done, item in enumerate(listed, start=1):
            yield item
            if done in marks:
                print(f"{label}: {done}/{total} {unit}(s)", flush=True)
    print(f"{label}: {total} {unit}(s) done in {time.perf_counter() - started:.1f} s", flush=True)
