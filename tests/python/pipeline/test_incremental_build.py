"""A new or corrected return is built incrementally: only what it changes is
reprocessed, and every mart and extract equals a full rebuild, row for row.

One small messy home (three boroughs, 2022-2024) is run with one return held
back; then a corrected return for one borough-year and the held-back return
arrive, and ``liia run`` builds incrementally. The held-back return carries an
SWE number equal to a QualInst text an older, unchanged return sent: a full
build withholds that text in the older return (staging screens every file for
landing's identifiers), so the incremental build must rebuild that file too.
A full rebuild of the same landing (forced by a code change) must then give the
same tables.
"""

from __future__ import annotations

import json
import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import duckdb
import pytest

from liia.config import load_settings
from liia.warehouse_build import code_digest, full_refresh_reason
from tests.python.conftest import REPO_ROOT, liia_env, run_liia, skip_if_fast

BOROUGHS = (("202", "Camden"), ("204", "Hackney"), ("304", "Brent"))
CORRECTED = ("202", 2023)  # resubmitted with a few workers fewer
HELD_BACK = ("304", 2024)  # the new return
PLANTED = ("204", 2022)  # unchanged, but holds text the new return sends as an SWE number
# Not shaped like an identifier (so kept at first), but a valid normalised SWE
# number candidate once a return sends it as one.
PLANTED_TEXT = "Plantsville College of Social Work"
STAGING = ("stg_csww__workers", "stg_csww__worker_items", "stg_csww__la_level")


def _write(tree: ET.ElementTree, path: Path) -> None:
    tree.write(path, encoding="utf-8", xml_declaration=True)


def _plant_qual_inst(path: Path) -> None:
    tree = ET.parse(path)
    qual_inst = tree.getroot().find("CSWWWorker/QualInst")
    assert qual_inst is not None
    qual_inst.text = PLANTED_TEXT
    _write(tree, path)


def _send_planted_swe_number(path: Path) -> None:
    tree = ET.parse(path)
    swe_no = tree.getroot().find("CSWWWorker/SWENo")
    assert swe_no is not None
    swe_no.text = PLANTED_TEXT
    _write(tree, path)


def _correct(incoming: Path, la: str, year: int) -> Path:
    """A corrected return: the last three workers removed, stamped an hour before
    the original (arriving in a later run makes it current all the same)."""
    original = incoming / la / f"csww_{year}.xml"
    tree = ET.parse(original)
    root = tree.getroot()
    for worker in root.findall("CSWWWorker")[-3:]:
        root.remove(worker)
    corrected = original.with_name(f"csww_{year}_corrected.xml")
    _write(tree, corrected)
    older = original.stat().st_mtime - 3600
    os.utime(corrected, (older, older))
    return corrected


def _built_in_run(warehouse: Path) -> dict[str, dict[tuple[str, int], set[str]]]:
    """For each incremental staging model: (la_code, census_year) -> its rows' build ids."""
    conn = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {
            model: {
                (la, year): set(runs)
                for la, year, runs in conn.execute(
                    f"select la_code, census_year, list(distinct built_in_run) "
                    f"from staging.{model} group by all"
                ).fetchall()
            }
            for model in STAGING
        }
    finally:
        conn.close()


def _withheld_qual_inst(warehouse: Path) -> int:
    """How many QualInst values of PLANTED's return staging withheld."""
    conn = duckdb.connect(str(warehouse), read_only=True)
    try:
        return conn.execute(
            "select count(*) filter (where withheld_identifier) "
            "from staging.stg_csww__worker_items "
            "where la_code = ? and census_year = ? and item_name = 'QualInst'",
            list(PLANTED),
        ).fetchall()[0][0]
    finally:
        conn.close()


def _tables(conn: duckdb.DuckDBPyConnection, catalog: str, schemas: tuple[str, ...]) -> list:
    return conn.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = ? and table_schema in (select unnest(?)) order by all",
        [catalog, list(schemas)],
    ).fetchall()


def _differences(incremental: Path, full: Path, schemas: tuple[str, ...]) -> dict[str, int]:
    """Rows in one warehouse's table and not in the other's (all columns but the
    build id, as multisets), per table of ``schemas``; {} when identical."""
    conn = duckdb.connect()
    try:
        conn.execute(f"attach '{incremental}' as incr (read_only)")
        conn.execute(f"attach '{full}' as full_build (read_only)")
        tables = _tables(conn, "incr", schemas)
        assert tables == _tables(conn, "full_build", schemas)
        differences = {}
        for schema, table in tables:
            columns = ", ".join(
                f'"{name}"'
                for (name,) in conn.execute(
                    "select column_name from information_schema.columns where table_catalog = "
                    "'incr' and table_schema = ? and table_name = ? and column_name <> "
                    "'built_in_run' order by ordinal_position",
                    [schema, table],
                ).fetchall()
            )
            one, other = f"incr.{schema}.{table}", f"full_build.{schema}.{table}"
            extra, missing = (
                conn.execute(
                    f"select count(*) from (select {columns} from {left} except all "
                    f"select {columns} from {right})"
                ).fetchall()[0][0]
                for left, right in ((one, other), (other, one))
            )
            if extra or missing:
                differences[f"{schema}.{table}"] = extra + missing
        return differences
    finally:
        conn.close()


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The messy sample of BOROUGHS, 2022-2024, with PLANTED's QualInst text planted."""
    skip_if_fast("liia run")
    root = tmp_path_factory.mktemp("incremental_sample")
    authorities = root / "boroughs.csv"
    authorities.write_text(
        "la_code,la_name,region\n" + "".join(f"{c},{n},London\n" for c, n in BOROUGHS),
        encoding="utf-8",
    )
    run_liia(
        root,
        "generate-sample",
        "--out",
        str(root / "all"),
        "--messy",
        "--authorities",
        str(authorities),
        "--years",
        "3",
        "--as-of-year",
        "2024",
    )
    _plant_qual_inst(root / "all" / PLANTED[0] / f"csww_{PLANTED[1]}.xml")
    return root / "all"


def test_a_corrected_and_a_new_return_are_built_incrementally_as_a_full_build_would(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    incoming = home / "incoming"
    shutil.copytree(sample, incoming)
    held_back = incoming / HELD_BACK[0] / f"csww_{HELD_BACK[1]}.xml"
    new_return = tmp_path / held_back.name
    held_back.rename(new_return)

    first = run_liia(home, "run")
    assert "Build: full refresh (no warehouse yet)" in first.stdout
    warehouse = home / "warehouse.duckdb"
    before = _built_in_run(warehouse)
    withheld_before = _withheld_qual_inst(warehouse)
    (first_run,) = {run for runs in before["stg_csww__workers"].values() for run in runs}

    _correct(incoming, *CORRECTED)
    _send_planted_swe_number(new_return)
    new_return.rename(held_back)
    second = run_liia(home, "run")
    assert "Build: incremental" in second.stdout, second.stdout[-3000:]
    assert "1 superseded" in second.stdout
    after = _built_in_run(warehouse)

    # Unchanged returns kept their rows as the first run built them; the corrected
    # and the new return were built now, once (the superseded return is gone: one
    # build id per borough-year), and so was the older return whose kept text the
    # new return's SWE number made an identifier (its worker items and, through
    # them, its quality findings).
    changed = {CORRECTED, HELD_BACK}
    for model in STAGING:
        assert set(after[model]) == set(before[model]) | {HELD_BACK}
        for return_key, runs in after[model].items():
            rebuilt = return_key in changed or (
                model == "stg_csww__worker_items" and return_key == PLANTED
            )
            assert len(runs) == 1, (model, return_key)
            assert (runs != {first_run}) == rebuilt, (model, return_key)
    assert _withheld_qual_inst(warehouse) == withheld_before + 1

    # A code change (here: the last build recorded other code) forces a full rebuild.
    incremental = tmp_path / "incremental.duckdb"
    shutil.copyfile(warehouse, incremental)
    basis_path = home / "dbt" / "incremental_basis.json"
    basis = json.loads(basis_path.read_text(encoding="utf-8"))
    basis["code"] = "0" * 64
    basis_path.write_text(json.dumps(basis), encoding="utf-8")
    rebuild = run_liia(home, "build", "--exclude-resource-type", "unit_test")
    assert "Build: full refresh (the project's code changed" in rebuild.stdout
    rebuilt = _built_in_run(warehouse)
    (full_run,) = {run for runs in rebuilt["stg_csww__workers"].values() for run in runs}
    assert all(runs == {full_run} for model in STAGING for runs in rebuilt[model].values())

    # Every mart and extract, row for row (swe_number_hash included), and the
    # staging and intermediate tables they are made from too.
    assert _differences(incremental, warehouse, ("marts", "extracts")) == {}
    assert _differences(incremental, warehouse, ("staging", "intermediate")) == {}

    # The next build may be incremental again, but not with another key, and not
    # once retention has destroyed returns (deleting rows in place; the warehouse
    # is rewritten).
    for name in ("LIIA_HASH_KEY", "LIIA_HASH_KEY_FILE", "LIIA_ENV"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(liia_env(home))
    assert full_refresh_reason(settings) is None
    monkeypatch.setenv("LIIA_HASH_KEY", "another key, for the incremental build test only")
    assert full_refresh_reason(settings) == "the hash key changed since the last build"
    monkeypatch.delenv("LIIA_HASH_KEY")
    run_liia(home, "retention", LIIA_AS_OF="2028-11-01")  # 2022 ages out
    assert full_refresh_reason(settings) in {
        "the warehouse file is not the one the last build wrote",
        "landing lost files since the last build (retention)",
    }


def test_the_code_digest_covers_models_macros_seeds_and_the_project(tmp_path: Path) -> None:
    root = tmp_path / "project"
    for name in ("dbt_project.yml", "models", "macros", "seeds"):
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            root.mkdir(exist_ok=True)
            shutil.copy(source, root / name)
    digest = code_digest(root)
    assert code_digest(root) == digest
    for changed in (
        "models/staging/csww/stg_csww__workers.sql",
        "macros/incremental_by_file.sql",
        "seeds/csww_code_sets.csv",
        "dbt_project.yml",
    ):
        path = root / changed
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert code_digest(root) != digest, changed
        path.write_bytes(original)
    assert code_digest(root) == digest
