"""Benchmark: worker records, wall and CPU seconds, records/s and peak memory per stage.

Workloads (all from the generator):

    W0 tiny     2 London boroughs x 2 census years (checks this script works; a few minutes)
    W1 London   32 returns x 6 census years, 2020-2025 (the demo)
    W2 England  150 synthetic authorities x 10 census years, 2020-2029 (LIIA_AUTHORITIES_FILE)
    W3 stress   London x 100 (generator --scale 100): about 5 million worker records

W2 is measured as of 2029-11-01 (the others 2025-11-01) and keeps ten census years:
CSWW returns start in 2020, so ten years end in 2029 (2026-2029 use the 2025 layout
and the 2025 published figures as their profile).

Stages: generate, load, build (production: no unit tests), validate, export (which runs
its own privacy scan), privacy scan, ``liia run`` end to end in a fresh home on the
same incoming files, and then, in that home, an incremental run: one corrected return
for one authority (its latest year, three workers fewer) and ``liia run`` again, which
builds only what that return changes (docs/design.md, "Incremental builds"). Each
stage runs in its own child process, so its peak resident memory (the child's, or its
largest descendant's, dbt included) is its own. dbt's start-up (parsing the project and
connecting, before any node runs) is its own line.

A stage that fails is reported as failed (its log kept) and the benchmark carries on;
the stages that need its output are skipped. Benchmarks assert nothing.

Prints a table and writes it as JSON, with the machine's cores and memory, to
``build/bench/bench-<time>.json`` (one file per run); stage logs go beside it.

    python scripts/bench.py                  # W1, W2 and W3
    python scripts/bench.py --workloads W1   # one workload (make bench W=W1)
    python scripts/bench.py --tiny           # W0 only
    python scripts/bench.py --work /tmp/bench --keep   # keep the homes (for dbt_timings.py)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGES = (
    "generate",
    "load",
    "build",
    "validate",
    "export",
    "privacy scan",
    "run",
    "incremental run",
)
# A stage that needs another's output is skipped when that one failed.
NEEDS = {
    "load": "generate",
    "build": "load",
    "validate": "build",
    "export": "build",
    "privacy scan": "build",
    "run": "generate",
    "incremental run": "run",
}
# The liia command each stage runs (the build as production runs it: no unit tests).
COMMANDS = {
    "load": ["load"],
    "build": ["build", "--exclude-resource-type", "unit_test"],
    "validate": ["validate"],
    "export": ["export"],
    "privacy scan": ["privacy-scan"],
    "run": ["run"],
    "incremental run": ["run"],
}


@dataclass(frozen=True)
class Workload:
    """What the generator writes for one benchmark."""

    name: str
    description: str
    authorities: str  # "london", "tiny" (two London boroughs) or "synthetic:<count>"
    years: int
    scale: int = 1
    as_of_year: int = 2025  # measured as of 1 November of this year

    @property
    def as_of(self) -> str:
        return f"{self.as_of_year}-11-01"


WORKLOADS = {
    w.name: w
    for w in (
        Workload("W0", "tiny: 2 London boroughs x 2 years", "tiny", 2),
        Workload("W1", "London: 32 returns x 6 years (the demo)", "london", 6),
        Workload(
            "W2", "England: 150 synthetic authorities x 10 years", "synthetic:150", 10, 1, 2029
        ),
        Workload("W3", "stress: London x 100 (~5 million worker records)", "london", 6, 100),
    )
}
DEFAULT_WORKLOADS = ("W1", "W2", "W3")
TINY_BOROUGHS = ("202", "203")  # Camden (Inner London) and Greenwich (Outer London)


# --- in the child process -------------------------------------------------------------


def _dbt_command(args: list[str]) -> str:
    """'build', 'docs generate': the dbt command without its options."""
    words = []
    for arg in args:
        if arg.startswith("-"):
            break
        words.append(arg)
    return " ".join(words)


def _run_stage_here(stage: str, workload: Workload, result_path: Path) -> None:
    """Run one stage in this process and write its figures to ``result_path`` (JSON)."""
    import liia.dbt_runner
    import liia.warehouse_build

    dbt_calls: list[dict[str, object]] = []
    real_run_dbt = liia.dbt_runner.run_dbt

    def recording_run_dbt(settings, args, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            timing = real_run_dbt(settings, args, **kwargs)
        except BaseException:
            dbt_calls.append(
                {"command": _dbt_command(args), "seconds": time.perf_counter() - started}
            )
            raise
        dbt_calls.append(
            {
                "command": _dbt_command(args),
                "seconds": timing.seconds,
                "startup_seconds": timing.startup_seconds,
            }
        )
        return timing

    # Both names: warehouse_build imported run_dbt; the analyst export imports it late.
    liia.dbt_runner.run_dbt = recording_run_dbt
    liia.warehouse_build.run_dbt = recording_run_dbt  # type: ignore[attr-defined]

    figures: dict[str, object] = {}
    started = time.perf_counter()
    if stage == "generate":
        from liia.config import load_settings, read_authorities
        from liia.generate.sample import generate_sample

        settings = load_settings()
        file = settings.authorities_file
        summary = generate_sample(
            settings.incoming,
            as_of_year=workload.as_of_year,
            scale=workload.scale,
            years=workload.years,
            authorities=read_authorities(file) if file is not None else None,
        )
        print(summary)
        figures.update(exit_status=0, generated_worker_records=summary.worker_records)
        figures["files"] = summary.files_written
    else:
        from liia.cli import main

        figures["exit_status"] = main(COMMANDS[stage])
    figures["seconds"] = time.perf_counter() - started
    peak_kib = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    figures["peak_rss_mib"] = peak_kib / 1024
    # CPU seconds (user + system, this process and its children, dbt's included): on a
    # shared machine the wall time depends on the neighbours, the CPU time much less.
    usage = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    figures["cpu_seconds"] = sum(u.ru_utime + u.ru_stime for u in usage)
    figures["dbt"] = dbt_calls
    result_path.write_text(json.dumps(figures), encoding="utf-8")


# --- in the parent --------------------------------------------------------------------


def _prepare_home(workload: Workload, home: Path) -> Path | None:
    """Create the workload's home; write its authorities file, if it has one."""
    from liia.config import Authority
    from liia.generate.authorities import synthetic_authorities, write_authorities
    from liia.load.incoming_files import london_boroughs

    home.mkdir(parents=True, exist_ok=True)
    if workload.authorities == "london":
        return None
    if workload.authorities == "tiny":
        boroughs = london_boroughs()
        chosen = [Authority(c, boroughs[c].la_name, "London") for c in TINY_BOROUGHS]
    else:
        chosen = synthetic_authorities(int(workload.authorities.split(":")[1]))
    return write_authorities(home / "authorities.csv", chosen)


def _environment(workload: Workload, home: Path, incoming: Path, authorities: Path | None):
    env = dict(
        os.environ,
        LIIA_HOME=str(home),
        LIIA_INCOMING=str(incoming),
        LIIA_AS_OF=workload.as_of,
        # Every generated year is kept: W2's ten would otherwise be refused beyond six.
        LIIA_RETAINED_YEARS=str(max(6, workload.years)),
        GX_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    env.pop("LIIA_ENV", None)  # the demo key: synthetic data only
    if authorities is not None:
        env["LIIA_AUTHORITIES_FILE"] = str(authorities)
    else:
        env.pop("LIIA_AUTHORITIES_FILE", None)
    return env


def _measure(stage: str, workload: Workload, env: dict[str, str], log: Path) -> dict:
    """Run ``stage`` in a child process; its figures, or a failure with its log."""
    result_path = log.with_suffix(".json")
    result_path.unlink(missing_ok=True)
    command = [sys.executable, __file__, "--stage", stage, "--workload", workload.name]
    command += ["--result", str(result_path)]
    wall = time.perf_counter()
    with log.open("w", encoding="utf-8") as out:
        child = subprocess.run(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    wall = time.perf_counter() - wall
    figures = json.loads(result_path.read_text()) if result_path.exists() else {}
    result_path.unlink(missing_ok=True)
    exit_status = figures.get("exit_status", child.returncode)
    if child.returncode != 0 and not exit_status:
        exit_status = child.returncode
    figures.setdefault("seconds", wall)
    figures["exit_status"] = exit_status
    figures["status"] = "ok" if exit_status == 0 else f"FAILED (exit {exit_status})"
    figures["log"] = str(log)
    return figures


CORRECTED_SUFFIX = "_corrected"


def write_corrected_return(incoming: Path) -> tuple[Path, int]:
    """A corrected return for the first authority's latest year (its last three
    workers removed) beside the original; the file and its worker records."""
    import xml.etree.ElementTree as ET

    authority = sorted(p for p in incoming.iterdir() if p.is_dir())[0]
    original = sorted(
        p for p in authority.glob("csww_*.xml") if not p.stem.endswith(CORRECTED_SUFFIX)
    )[-1]
    tree = ET.parse(original)
    root = tree.getroot()
    workers = root.findall("CSWWWorker")
    for worker in workers[-3:]:
        root.remove(worker)
    corrected = original.with_name(f"{original.stem}{CORRECTED_SUFFIX}.xml")
    tree.write(corrected, encoding="utf-8", xml_declaration=True)
    return corrected, len(workers) - 3


def _build_mode(log: Path) -> str | None:
    """What the build said it did: 'full refresh (...)' or 'incremental (...)'."""
    try:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    modes = (line.removeprefix("Build: ") for line in lines if line.startswith("Build: "))
    return next(modes, None)


def _landed_worker_records(home: Path) -> int | None:
    """Worker records of accepted files in a home's landing database."""
    import duckdb

    path = home / "landing.duckdb"
    if not path.exists():
        return None
    conn = duckdb.connect(str(path), read_only=True)
    try:
        row = conn.execute(
            "select count(*) from csww.workers w join csww.file_register f using (file_id) "
            "where f.status = 'accepted'"
        ).fetchone()
    finally:
        conn.close()
    return int(row[0]) if row else None


def _row(workload: str, stage: str, status: str, records, seconds, peak, cpu=None) -> str:
    def number(value, spec: str) -> str:
        return "-" if value is None else format(value, spec)

    rate = records / seconds if records is not None and seconds else None
    return (
        f"{workload:<3} {stage:<28} {status:<16} {number(records, ','):>11} "
        f"{number(seconds, '.1f'):>9} {number(cpu, '.1f'):>7} {number(rate, ',.0f'):>11} "
        f"{number(peak, ',.0f'):>9}"
    )


HEADER = (
    f"{'W':<3} {'stage':<28} {'status':<16} {'workers':>11} {'seconds':>9} {'cpu s':>7} "
    f"{'workers/s':>11} {'peak MiB':>9}"
)


def run_workload(
    workload: Workload, work: Path, logs: Path, selected: tuple[str, ...] = STAGES
) -> dict:
    """The selected stages of one workload (every stage by default), printed as each
    finishes; the workload's figures. A stage left out is listed as not selected."""
    home = work / workload.name
    run_home = work / f"{workload.name}-run"
    for folder in (home, run_home):
        shutil.rmtree(folder, ignore_errors=True)
    authorities = _prepare_home(workload, home)
    incoming = home / "incoming"
    stages: list[dict] = []
    outcome: dict[str, bool] = {}
    records: int | None = None
    generated: int | None = None
    for stage in STAGES:
        needed = NEEDS.get(stage)
        entry: dict = {"stage": stage}
        if stage not in selected:
            entry.update(status="not selected")
            outcome[stage] = False
            stages.append(entry)
            continue
        if needed is not None and not outcome.get(needed, False):
            why = "failed" if needed in selected else "not selected"
            entry.update(status=f"skipped ({needed} {why})")
            outcome[stage] = False
            stages.append(entry)
            print(_row(workload.name, stage, entry["status"], None, None, None), flush=True)
            continue
        stage_home = run_home if stage in ("run", "incremental run") else home
        stage_home.mkdir(parents=True, exist_ok=True)
        env = _environment(workload, stage_home, incoming, authorities)
        log = logs / f"{workload.name}-{stage.replace(' ', '-')}.log"
        if stage == "incremental run":
            corrected, corrected_records = write_corrected_return(incoming)
            entry.update(
                corrected_return=str(corrected.relative_to(incoming)),
                corrected_return_worker_records=corrected_records,
            )
        entry.update(_measure(stage, workload, env, log))
        if stage in ("build", "run", "incremental run"):
            entry["build_mode"] = _build_mode(log)
        outcome[stage] = entry["exit_status"] == 0
        if stage == "build":
            # The export's `dbt docs generate` overwrites run_results.json: keep the build's
            # (per-node timings: scripts/dbt_timings.py reads it).
            results = home / "dbt" / "target" / "run_results.json"
            if results.exists():
                kept = logs / f"{workload.name}-build-run_results.json"
                shutil.copyfile(results, kept)
                entry["run_results"] = str(kept)
        if stage == "generate":
            generated = entry.get("generated_worker_records")
            entry["worker_records"] = generated
        else:
            if stage == "load":
                records = _landed_worker_records(home)
            entry["worker_records"] = records
        seconds = entry.get("seconds")
        entry["records_per_second"] = (
            entry["worker_records"] / seconds if entry["worker_records"] and seconds else None
        )
        stages.append(entry)
        print(
            _row(
                workload.name,
                stage,
                entry["status"],
                entry["worker_records"],
                seconds,
                entry.get("peak_rss_mib"),
                entry.get("cpu_seconds"),
            ),
            flush=True,
        )
        for call in entry.get("dbt", []):
            if call.get("startup_seconds") is not None:
                label = f"  dbt {call['command']} start-up"
                print(_row("", label, "", None, call["startup_seconds"], None), flush=True)
        if entry.get("build_mode") and stage != "build":
            print(f"    build: {entry['build_mode']}", flush=True)
        full_run = next((s for s in stages if s["stage"] == "run"), None)
        if stage == "incremental run" and outcome[stage] and full_run and full_run.get("seconds"):
            # The W2 target: under a quarter of the full run.
            entry["fraction_of_full_run"] = entry["seconds"] / full_run["seconds"]
            print(f"    {entry['fraction_of_full_run']:.0%} of the full run's time", flush=True)
        if not outcome[stage]:
            print(f"    see {log}", flush=True)
    return {
        **asdict(workload),
        "home": str(home),
        "run_home": str(run_home),
        "generated_worker_records": generated,
        "landed_worker_records": records,
        "stages": stages,
    }


def _machine() -> dict:
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        memory = None
    return {
        "cores": os.cpu_count(),
        "memory_bytes": memory,
        "memory_gib": round(memory / 2**30, 1) if memory else None,
        "load_average_at_start": os.getloadavg(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--workloads",
        nargs="+",
        choices=sorted(WORKLOADS),
        help=f"which workloads (default: {' '.join(DEFAULT_WORKLOADS)})",
    )
    parser.add_argument("--tiny", action="store_true", help="the W0 smoke workload only")
    parser.add_argument(
        "--stages",
        nargs="+",
        choices=STAGES,
        default=list(STAGES),
        help="only these stages (W3's 'run' repeats every stage: --stages generate load "
        "build validate export 'privacy scan' measures W3 in about half the time)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench", help="JSON folder")
    parser.add_argument("--work", type=Path, help="where the homes go (default: a temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the homes afterwards")
    parser.add_argument("--stage", choices=STAGES, help=argparse.SUPPRESS)
    parser.add_argument("--workload", choices=sorted(WORKLOADS), help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        _run_stage_here(args.stage, WORKLOADS[args.workload], args.result)
        return

    names = ["W0"] if args.tiny else (args.workloads or list(DEFAULT_WORKLOADS))
    started = dt.datetime.now(dt.UTC)
    run_id = started.strftime("%Y%m%dT%H%M%SZ")
    logs = args.out / f"bench-{run_id}-logs"
    logs.mkdir(parents=True, exist_ok=True)
    work = args.work.resolve() if args.work else Path(tempfile.mkdtemp(prefix="liia-bench-"))
    keep = args.keep or args.work is not None
    machine = _machine()
    print(
        f"Benchmark {run_id}: {machine['cores']} cores, {machine['memory_gib']} GiB, "
        f"load average {machine['load_average_at_start'][0]:.1f}; homes under {work}"
    )
    print("(export includes its own privacy scan; 'run' is liia run end to end)")
    print(HEADER)
    report = {"run_id": run_id, "started_at": started.isoformat()}
    report["machine"] = machine
    report["workloads"] = []
    out_file = args.out / f"bench-{run_id}.json"
    try:
        for name in names:
            report["workloads"].append(
                run_workload(WORKLOADS[name], work, logs, tuple(args.stages))
            )
            # Written after each workload: a long run that is stopped keeps what it measured.
            report["finished_at"] = dt.datetime.now(dt.UTC).isoformat()
            out_file.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"Written {out_file}" + (f"; homes kept under {work}" if keep else ""))


if __name__ == "__main__":
    main()
