"""A failing check on the extracts withholds the extracts, never a borough's pack."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from liia.errors import EXIT_BUILD_FAILED
from liia.warehouse_build import _extract_nodes, failed_nodes
from tests.python.conftest import LIIA_TOOLS_SAMPLE_XML, run_liia


def _write(path: Path, payload: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload))


def _manifest() -> dict:
    def model(folder: str) -> dict:
        return {"resource_type": "model", "original_file_path": f"models/{folder}/x.sql"}

    def test(*upstream: str) -> dict:
        return {"resource_type": "test", "depends_on": {"nodes": list(upstream)}}

    return {
        "nodes": {
            "model.p.ext_turnover": model("extracts"),
            "model.p.fct_la_indicators": model("marts/core"),
            "test.p.not_null_ext_turnover_la_code": test("model.p.ext_turnover"),
            "test.p.assert_totals": test("model.p.ext_turnover", "model.p.fct_la_indicators"),
            "test.p.not_null_fct_la_indicators_la_code": test("model.p.fct_la_indicators"),
        }
    }


def test_only_failures_of_extracts_and_their_checks_count_as_extract_failures(
    tmp_path: Path,
) -> None:
    _write(tmp_path / "manifest.json", _manifest())
    _write(
        tmp_path / "run_results.json",
        {
            "results": [
                {"unique_id": "model.p.fct_la_indicators", "status": "success"},
                {"unique_id": "test.p.not_null_ext_turnover_la_code", "status": "fail"},
                {"unique_id": "test.p.assert_totals", "status": "error"},
                {"unique_id": "test.p.not_null_fct_la_indicators_la_code", "status": "pass"},
            ]
        },
    )
    extract_nodes = _extract_nodes(tmp_path)
    failed = failed_nodes(tmp_path)
    assert failed == ["test.p.not_null_ext_turnover_la_code", "test.p.assert_totals"]
    assert set(failed) <= extract_nodes
    assert "test.p.not_null_fct_la_indicators_la_code" not in extract_nodes
    assert "model.p.fct_la_indicators" not in extract_nodes
    assert failed_nodes(tmp_path / "missing") == []


def test_a_failing_extract_check_withholds_the_extracts_but_not_the_packs(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    (home / "incoming" / "301").mkdir(parents=True)
    shutil.copy(LIIA_TOOLS_SAMPLE_XML, home / "incoming" / "301")

    result = run_liia(home, "run", check=False, LIIA_TEST_FAIL_EXTRACT_CHECK="true")

    assert result.returncode == EXIT_BUILD_FAILED
    assert "extracts are withheld" in result.stderr
    assert "assert_fixture_extract_check_fails" in result.stderr
    # The borough's pack went out, from the swapped-in warehouse, and was scanned.
    assert (home / "exports" / "la" / "301" / "2022" / "report.html").is_file()
    assert (home / "warehouse.duckdb").is_file()
    assert "privacy scan PASSED" in result.stdout
    # Nothing built from the extracts was published.
    assert not (home / "exports" / "analyst").exists()
