"""scripts/bench.py on its tiny workload (W0): every stage measured, the records counted right.

The benchmark asserts nothing and neither does this about time: it checks the JSON the
script writes has every stage, the machine's figures, dbt's start-up as its own figure,
and worker counts that equal what the generator wrote (counted again from the files).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from liia.config import PROJECT_ROOT

STAGES = [
    "generate",
    "load",
    "build",
    "validate",
    "export",
    "privacy scan",
    "run",
    "incremental run",
]


@pytest.fixture(scope="module")
def tiny_bench(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    out = tmp_path_factory.mktemp("bench")
    work = out / "work"
    options = ["--out", str(out), "--work", str(work)]
    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "scripts" / "bench.py"), "--tiny", *options],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    files = list(out.glob("bench-*.json"))
    assert len(files) == 1, "one JSON file per run"
    return json.loads(files[0].read_text()), work


@pytest.mark.slow
def test_every_stage_is_measured_and_succeeds(tiny_bench) -> None:
    report, _ = tiny_bench
    machine = report["machine"]
    assert machine["cores"] >= 1 and machine["memory_bytes"] > 0
    (workload,) = report["workloads"]
    assert workload["name"] == "W0"
    assert [s["stage"] for s in workload["stages"]] == STAGES
    for stage in workload["stages"]:
        assert stage["status"] == "ok", stage
        assert stage["seconds"] > 0 and stage["peak_rss_mib"] > 0
        assert stage["cpu_seconds"] > 0, "CPU time is measured beside wall time"
    build = next(s for s in workload["stages"] if s["stage"] == "build")
    # dbt build, then the docs generated on the file it built (warehouse_build.py)
    assert [d["command"] for d in build["dbt"]] == ["build", "docs generate"]
    dbt = build["dbt"][0]
    assert dbt["startup_seconds"] is not None and dbt["startup_seconds"] < dbt["seconds"]
    # The last stage: one corrected return, and `liia run` builds only what it changes.
    run, incremental = workload["stages"][-2:]
    assert run["build_mode"].startswith("full refresh")
    assert incremental["build_mode"].startswith("incremental")
    assert incremental["corrected_return"].endswith("_corrected.xml")
    assert incremental["corrected_return_worker_records"] > 0


@pytest.mark.slow
def test_worker_records_are_the_generators(tiny_bench) -> None:
    report, work = tiny_bench
    (workload,) = report["workloads"]
    # What the generator wrote: the incremental run's corrected return came after.
    generated = [
        path
        for path in (work / "W0" / "incoming").glob("*/csww_*.xml")
        if not path.stem.endswith("_corrected")
    ]
    in_files = sum(path.read_text(encoding="utf-8").count("<CSWWWorker>") for path in generated)
    assert in_files > 0
    assert {p.parent.name for p in (work / "W0" / "incoming").glob("*/*.xml")} == {"202", "203"}
    assert workload["generated_worker_records"] == in_files
    assert workload["landed_worker_records"] == in_files
    for stage in workload["stages"]:
        assert stage["worker_records"] == in_files


@pytest.mark.slow
def test_stages_not_selected_are_listed_and_what_needs_them_is_skipped(tmp_path: Path) -> None:
    command = [sys.executable, str(PROJECT_ROOT / "scripts" / "bench.py"), "--tiny"]
    command += ["--stages", "generate", "load", "--out", str(tmp_path)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (file,) = tmp_path.glob("bench-*.json")
    (workload,) = json.loads(file.read_text())["workloads"]
    status = {s["stage"]: s["status"] for s in workload["stages"]}
    assert list(status) == STAGES, "every stage is listed, selected or not"
    assert status["generate"] == status["load"] == "ok"
    assert status["build"] == status["privacy scan"] == status["incremental run"] == "not selected"
    assert workload["landed_worker_records"] == workload["generated_worker_records"] > 0
