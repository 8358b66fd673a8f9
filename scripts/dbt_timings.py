"""Where a dbt build's time went: the slowest nodes of ``run_results.json``.

Prints the N slowest nodes (execution time, with its compile and execute parts)
and the total time per resource type (model, test, seed, snapshot, unit test).
Node times overlap when dbt runs threads in parallel: their sum exceeds the wall time.

    python scripts/dbt_timings.py [$LIIA_HOME/dbt/target/run_results.json] [--top 10]

The file defaults to ``$LIIA_HOME/dbt/target/run_results.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class NodeTiming:
    """One node's result: what it is and how long it took (seconds)."""

    unique_id: str
    status: str
    execution_time: float
    compile_seconds: float
    execute_seconds: float

    @property
    def resource_type(self) -> str:
        return self.unique_id.split(".", 1)[0]


def _phase_seconds(result: dict, phase: str) -> float:
    for entry in result.get("timing") or []:
        if entry.get("name") == phase and entry.get("started_at") and entry.get("completed_at"):
            started = datetime.fromisoformat(entry["started_at"].replace("Z", "+00:00"))
            completed = datetime.fromisoformat(entry["completed_at"].replace("Z", "+00:00"))
            return (completed - started).total_seconds()
    return 0.0


def read_timings(path: Path) -> tuple[list[NodeTiming], float | None]:
    """Every node's timing in ``path`` (slowest first), and the run's elapsed seconds."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SystemExit(f"{path}: cannot be read ({error.strerror or error})") from None
    except json.JSONDecodeError as error:
        raise SystemExit(f"{path}: not JSON ({error})") from None
    if not isinstance(document, dict) or not isinstance(document.get("results"), list):
        raise SystemExit(f"{path}: no 'results' list: not a dbt run_results.json")
    nodes = [
        NodeTiming(
            unique_id=str(result.get("unique_id")),
            status=str(result.get("status")),
            execution_time=float(result.get("execution_time") or 0.0),
            compile_seconds=_phase_seconds(result, "compile"),
            execute_seconds=_phase_seconds(result, "execute"),
        )
        for result in document["results"]
    ]
    nodes.sort(key=lambda node: node.execution_time, reverse=True)
    return nodes, document.get("elapsed_time")


def report(nodes: list[NodeTiming], elapsed: float | None, top: int) -> str:
    """The table of the ``top`` slowest nodes, then the totals per resource type."""
    lines = [f"{'seconds':>8} {'compile':>8} {'execute':>8}  {'status':<8} node"]
    for node in nodes[:top]:
        lines.append(
            f"{node.execution_time:>8.2f} {node.compile_seconds:>8.2f} "
            f"{node.execute_seconds:>8.2f}  {node.status:<8} {node.unique_id}"
        )
    totals: dict[str, list[float]] = defaultdict(list)
    for node in nodes:
        totals[node.resource_type].append(node.execution_time)
    lines.append("")
    lines.append(f"{'type':<10} {'nodes':>6} {'seconds (sum)':>14}")
    for kind, times in sorted(totals.items(), key=lambda item: -sum(item[1])):
        lines.append(f"{kind:<10} {len(times):>6} {sum(times):>14.1f}")
    if elapsed is not None:
        lines.append(f"dbt's elapsed time: {elapsed:.1f} s (threads overlap the node times)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run_results", nargs="?", type=Path, help="a run_results.json")
    parser.add_argument("--top", type=int, default=10, help="how many nodes (default 10)")
    args = parser.parse_args(argv)
    path = args.run_results
    if path is None:
        home = os.environ.get("LIIA_HOME")
        if not home:
            parser.error("give a run_results.json, or set LIIA_HOME")
        path = Path(home) / "dbt" / "target" / "run_results.json"
    nodes, elapsed = read_timings(path)
    print(f"{path}: {len(nodes)} nodes")
    print(report(nodes, elapsed, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
