"""One rule for "looks like an identifier", the same verdict from every implementation.

The shared cases (tests/fixtures/identifier_cases.csv: text, expected verdict,
expected normalised form, shape, the landing needle the privacy scan must find
in it) run against the Python rule, the SQL macros (rendered and run in DuckDB
with the rule's functions, as dbt runs them), the loader's ``redact()``, the
Great Expectations message regex and the privacy scan. ``\\uXXXX`` in the file
stands for the character, so invisible ones stay visible.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import jinja2
import pandas as pd
import pytest

from liia.config import PROJECT_ROOT
from liia.load.parsed_return import redact
from liia.privacy.identifier_rule import (
    REDACTED,
    fold_text,
    looks_like_identifier,
    message_holds_identifier,
    normalise_identifier,
    register_identifier_functions,
)
from liia.privacy.needles import BIRTH_DATE_KIND, SENDER_HASH_KIND, SWE_KIND, find_in_text
from liia.validate.quality import SWE_NUMBER_LIKE
from tests.python.staging.synthetic_landing import ODD_ITEM_NAMES, build_staging, run_dbt_cli

CASES_FILE = PROJECT_ROOT / "tests" / "fixtures" / "identifier_cases.csv"
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})")


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def _cases() -> list[dict[str, Any]]:
    with CASES_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        {
            "text": _unescape(row["text"]),
            "expected": row["looks_like_identifier"] == "true",
            "normalised": _unescape(row["normalised"]) or None,
            "kind": row["kind"],
            "scan_needle": row["scan_needle"] or None,
        }
        for row in rows
    ]


CASES = _cases()
IDS = [f"{i}:{c['text']!r}" for i, c in enumerate(CASES)]


class _DuckdbAdapter:
    """What the macros ask of dbt's ``adapter``, as dbt-duckdb answers: ``dispatch``
    gives the ``default__`` variant (DuckDB's), ``quote`` double-quotes."""

    def __init__(self) -> None:
        self.modules: list[Any] = []

    def dispatch(self, name: str, namespace: str | None = None) -> Any:
        for module in self.modules:
            for prefix in ("duckdb__", "default__"):
                if hasattr(module, prefix + name):
                    return getattr(module, prefix + name)
        raise LookupError(name)

    @staticmethod
    def quote(identifier: str) -> str:
        return '"' + identifier.replace('"', '""') + '"'


def _environment() -> jinja2.Environment:
    """Plain Jinja with the dispatched macros of macros/cross_engine.sql (DuckDB's)."""
    adapter = _DuckdbAdapter()
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined, extensions=["jinja2.ext.do"])
    environment.globals.update(adapter=adapter, **{"return": lambda value: value})
    engine = environment.from_string(
        (PROJECT_ROOT / "macros" / "cross_engine.sql").read_text(encoding="utf-8")
    ).module
    adapter.modules.append(engine)
    for name in dir(engine):
        if not name.startswith("_") and not name.startswith(("default__", "spark__", "duckdb__")):
            environment.globals[name] = getattr(engine, name)
    environment.globals["_liia_adapter"] = adapter
    return environment


@cache
def _macro_module(name: str) -> Any:
    environment = _environment()
    source = (PROJECT_ROOT / "macros" / name).read_text(encoding="utf-8")
    module = environment.from_string(source).module
    environment.globals["_liia_adapter"].modules.insert(0, module)
    return module


@cache
def _sql_verdicts() -> dict[str, tuple[bool, str | None, str]]:
    """Every case through the project's SQL macros, in one DuckDB query."""
    quotable = _macro_module("quotable_value.sql")
    pseudonymise = _macro_module("pseudonymise.sql")
    conn = duckdb.connect()
    register_identifier_functions(conn)
    rows = conn.execute(
        f"select v, {quotable.looks_like_identifier('v')}, "
        f"{pseudonymise.normalise_swe_number('v')}, {quotable.quotable_value('v')} "
        "from unnest($v) as t(v)",
        {"v": [c["text"] for c in CASES]},
    ).fetchall()
    conn.close()
    return {row[0]: (row[1], row[2], row[3]) for row in rows}


def test_the_shared_cases_cover_every_shape() -> None:
    kinds = {c["kind"] for c in CASES}
    assert kinds >= {"swe_number", "iso_date", "dmy_date", "named_date", "digit_run", "hex_run"}
    assert "plain" in kinds and any(not c["expected"] for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_python_rule_gives_the_shared_verdict(case: dict[str, Any]) -> None:
    assert looks_like_identifier(case["text"]) is case["expected"]
    assert normalise_identifier(case["text"]) == case["normalised"]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_sql_macros_give_the_shared_verdict(case: dict[str, Any]) -> None:
    verdict, normalised, quoted = _sql_verdicts()[case["text"]]
    assert verdict is case["expected"]
    assert normalised == case["normalised"]
    assert (quoted == "[value withheld: looks like an identifier]") is case["expected"]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_loader_redaction_gives_the_shared_verdict(case: dict[str, Any]) -> None:
    redacted = redact(case["text"])
    assert (REDACTED in redacted) is case["expected"]
    if not case["expected"]:
        assert redacted == " ".join(fold_text(case["text"]).split())


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_message_checks_give_the_shared_verdict(case: dict[str, Any]) -> None:
    """The dbt message test and GX's regex over raw text: every shape but dates written
    with a month name (messages give the census date in words)."""
    expected = case["expected"] and case["kind"] != "named_date"
    assert message_holds_identifier(case["text"]) is expected
    # Great Expectations' pandas regex expectation is Series.str.contains.
    found = pd.Series([case["text"]]).str.contains(SWE_NUMBER_LIKE, regex=True)[0]
    assert bool(found) is expected


@pytest.mark.parametrize("case", [c for c in CASES if c["scan_needle"]], ids=str)
def test_privacy_scan_finds_every_form_the_normaliser_folds(case: dict[str, Any]) -> None:
    needle = case["scan_needle"]
    kind = (
        BIRTH_DATE_KIND
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", needle)
        else SENDER_HASH_KIND
        if len(needle) == 64
        else SWE_KIND
    )
    conn = duckdb.connect()
    register_identifier_functions(conn)
    conn.execute(
        "create temp table scan_needles (kind varchar, needle varchar, la_codes varchar[])"
    )
    conn.execute("insert into scan_needles values (?, ?, ['301'])", [kind, needle])
    try:
        assert find_in_text(conn, f"a,{case['text']},b") == {kind: (1, ["301"])}
    finally:
        conn.close()


def test_gx_regex_is_rendered_from_the_rule() -> None:
    """The GX constant is the rule's rendering, not a hand-written copy."""
    from liia.privacy.identifier_rule import raw_message_regex

    assert raw_message_regex() == SWE_NUMBER_LIKE


def test_odd_item_names_do_not_fail_the_message_test(tmp_path: Path) -> None:
    """An unknown item named with non-ASCII letters (kept: a word, not an identifier) and
    a 64-hex column header (redacted) reach the findings as messages under the one rule,
    so assert_dq_messages_hold_no_identifier passes and the build goes on; a SWE number
    quoted in a load error ('S W500001') is redacted."""
    home = tmp_path / "home"
    assert build_staging(home).returncode == 0
    result = run_dbt_cli(
        home,
        "build",
        "--select",
        "+assert_dq_messages_hold_no_identifier",
        "--exclude",
        "test_type:unit",
        "--indirect-selection",
        "cautious",
    )
    assert result.returncode == 0, result.stdout[-4000:]
    assert "PASS assert_dq_messages_hold_no_identifier" in result.stdout
    conn = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    rows = conn.execute(
        "select item, message from marts.fct_dq_findings where rule_id = 'FMT_LOAD' and file_id = 4"
    ).fetchall()
    conn.close()
    messages = {message for _, message in rows}
    assert f"item {ODD_ITEM_NAMES[0]} is not on the CSWW allow-list: dropped at landing" in messages
    assert "item [redacted] is not on the CSWW allow-list: dropped at landing" in messages
    assert "record 1: item [redacted] is not a date" in messages
    assert not any(ODD_ITEM_NAMES[1] in str(row) for row in rows)
