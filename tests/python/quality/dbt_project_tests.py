"""The dbt tests and contracts the project declares, read from its files (no dbt run):
for tests that point a check GX no longer makes at the dbt test that makes it."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from liia.config import PROJECT_ROOT

MODELS_DIR = PROJECT_ROOT / "models"
DBT_TESTS_DIR = PROJECT_ROOT / "tests" / "dbt"
MODEL_LEVEL = ""  # the key of a model's own (not a column's) data tests


@cache
def model_nodes() -> dict[str, dict[str, Any]]:
    """Every model of every models/**/_*__models.yml, by name."""
    nodes: dict[str, dict[str, Any]] = {}
    for path in sorted(MODELS_DIR.rglob("_*__models.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for model in document.get("models", []):
            nodes[model["name"]] = model
    return nodes


def _parsed(entry: str | dict[str, Any]) -> tuple[str, dict[str, Any]]:
    if isinstance(entry, str):
        return entry.split(".")[-1], {}
    ((name, spec),) = entry.items()
    spec = spec or {}
    arguments = dict(spec.get("arguments", {k: v for k, v in spec.items() if k != "config"}))
    if spec.get("config"):
        arguments["config"] = spec["config"]  # e.g. a `where` that limits the rows tested
    return name.split(".")[-1], arguments


def generic_tests(model: str) -> dict[str, dict[str, dict[str, Any]]]:
    """``{column: {test name: arguments}}`` of one model (MODEL_LEVEL for its own);
    a test's ``config``, if it has one, is under the key ``config``."""
    node = model_nodes()[model]
    tests: dict[str, dict[str, dict[str, Any]]] = {
        MODEL_LEVEL: dict(_parsed(e) for e in node.get("data_tests") or [])
    }
    for column in node.get("columns") or []:
        tests[column["name"]] = dict(_parsed(e) for e in column.get("data_tests") or [])
    return tests


def contract(model: str) -> tuple[bool, dict[str, str]]:
    """Whether the model's contract is enforced, and each column's data_type."""
    node = model_nodes()[model]
    enforced = bool(((node.get("config") or {}).get("contract") or {}).get("enforced"))
    types = {c["name"]: str(c.get("data_type", "")) for c in node.get("columns") or []}
    return enforced, types


def singular_test_sql(name: str) -> str:
    """The SQL of the singular test ``tests/dbt/**/<name>.sql``."""
    (path,) = DBT_TESTS_DIR.rglob(f"{name}.sql")
    return Path(path).read_text(encoding="utf-8")
