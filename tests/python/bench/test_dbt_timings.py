"""scripts/dbt_timings.py: the slowest nodes of a run_results.json; bad input, one clear error."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from liia.config import PROJECT_ROOT

_SPEC = importlib.util.spec_from_file_location(
    "dbt_timings", PROJECT_ROOT / "scripts" / "dbt_timings.py"
)
assert _SPEC is not None and _SPEC.loader is not None
dbt_timings = importlib.util.module_from_spec(_SPEC)
sys.modules["dbt_timings"] = dbt_timings  # its dataclass looks its module up there
_SPEC.loader.exec_module(dbt_timings)


def _result(unique_id: str, seconds: float, execute: tuple[str, str] | None = None) -> dict:
    timing = [
        {
            "name": "compile",
            "started_at": "2025-11-01T10:00:00.000000Z",
            "completed_at": "2025-11-01T10:00:00.500000Z",
        }
    ]
    if execute:
        timing.append({"name": "execute", "started_at": execute[0], "completed_at": execute[1]})
    return {
        "unique_id": unique_id,
        "status": "success",
        "execution_time": seconds,
        "timing": timing,
    }


def test_nodes_come_slowest_first_with_their_phases(tmp_path: Path) -> None:
    path = tmp_path / "run_results.json"
    results = [
        _result("test.p.not_null_x", 0.7),
        _result(
            "model.p.int_slow", 4.5, ("2025-11-01T10:00:00.500000Z", "2025-11-01T10:00:04.500000Z")
        ),
        _result("model.p.stg_fast", 1.0),
    ]
    path.write_text(json.dumps({"results": results, "elapsed_time": 5.0}))
    nodes, elapsed = dbt_timings.read_timings(path)
    assert [n.unique_id for n in nodes] == [
        "model.p.int_slow",
        "model.p.stg_fast",
        "test.p.not_null_x",
    ]
    assert nodes[0].compile_seconds == pytest.approx(0.5)
    assert nodes[0].execute_seconds == pytest.approx(4.0)
    assert nodes[1].execute_seconds == 0.0
    assert elapsed == 5.0
    text = dbt_timings.report(nodes, elapsed, top=2)
    assert "model.p.int_slow" in text and "test.p.not_null_x" not in text.split("\n\n")[0]
    assert "model" in text.split("\n\n")[1] and "5.5" in text  # models: 4.5 + 1.0 s


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "cannot be read"), ("{not json", "not JSON"), ('{"nodes": []}', "no 'results' list")],
)
def test_a_bad_file_is_one_clear_error_naming_it(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "run_results.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(SystemExit) as stopped:
        dbt_timings.read_timings(path)
    assert message in str(stopped.value) and str(path) in str(stopped.value)
