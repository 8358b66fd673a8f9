"""The keyed hash in Python: key resolution, normalisation, sender hashes, the Arrow UDF."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from liia.dbt_plugin import FUNCTION_NAME, hash_arrow, register_keyed_hash
from liia.hash_key import (
    DEMO_HASH_KEY,
    HashKey,
    MissingHashKeyError,
    keyed_hash,
    normalise_swe_number,
    pseudonymise,
    pseudonymise_many,
    resolve_hash_key,
)

KEY = HashKey(b"test-key-for-unit-tests", is_demo=False)


def test_key_from_environment_then_file_then_demo(tmp_path: Path, capsys) -> None:
    key_file = tmp_path / "key.txt"
    key_file.write_text("  from-a-file \n", encoding="utf-8")
    assert resolve_hash_key({"LIIA_HASH_KEY": "from-env"}).secret == b"from-env"
    assert resolve_hash_key({"LIIA_HASH_KEY_FILE": str(key_file)}).secret == b"from-a-file"
    demo = resolve_hash_key({})
    assert demo.is_demo and demo.secret == DEMO_HASH_KEY.encode()
    assert "DEMO hash key" in capsys.readouterr().err


def test_production_without_a_key_refuses(tmp_path: Path) -> None:
    with pytest.raises(MissingHashKeyError, match="production"):
        resolve_hash_key({"LIIA_ENV": "production"})
    empty = tmp_path / "empty.txt"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(MissingHashKeyError, match="empty"):
        resolve_hash_key({"LIIA_HASH_KEY_FILE": str(empty), "LIIA_ENV": "production"})
    with pytest.raises(MissingHashKeyError, match="cannot be read"):
        resolve_hash_key({"LIIA_HASH_KEY_FILE": str(tmp_path / "missing.txt")})
    assert not resolve_hash_key({"LIIA_ENV": "production", "LIIA_HASH_KEY": "k"}).is_demo


def test_key_is_never_shown() -> None:
    key = HashKey(b"super-secret-value", is_demo=False)
    assert "super-secret-value" not in repr(key) and "super-secret-value" not in str(key)


def test_normalisation_makes_spellings_equal() -> None:
    spellings = ["sw123456", " SW 123456 ", "SW123456", "\tSw 12 34 56\n"]
    assert {normalise_swe_number(s) for s in spellings} == {"SW123456"}
    assert len({pseudonymise(KEY, s) for s in spellings}) == 1
    assert pseudonymise(KEY, "SW123456") != pseudonymise(KEY, "SW123457")


def test_hash_is_keyed_hmac_hex() -> None:
    digest = pseudonymise(KEY, "SW123456")
    assert digest == keyed_hash(KEY, "SW123456")
    assert len(digest) == 64 and digest == digest.lower()
    other_key = HashKey(b"another-key", is_demo=False)
    assert pseudonymise(other_key, "SW123456") != digest


def test_blank_null_and_sender_hash() -> None:
    sender = "ABCDEF0123456789" * 4
    assert pseudonymise(KEY, None) is None
    assert pseudonymise(KEY, "") is None
    assert pseudonymise(KEY, "   ") is None
    assert pseudonymise(KEY, f" {sender} ") == sender.lower()


def test_many_and_arrow_agree_with_single() -> None:
    values = ["sw1", None, "", " SW 1", "x" * 3, "ab" * 32, "SW999999"]
    expected = [pseudonymise(KEY, v) for v in values]
    assert pseudonymise_many(KEY, values) == expected
    chunked = pa.chunked_array([pa.array(values[:3]), pa.array(values[3:])])
    assert hash_arrow(KEY, chunked).to_pylist() == expected
    assert hash_arrow(KEY, pa.array([], type=pa.string())).to_pylist() == []


def test_udf_in_duckdb_handles_large_batches() -> None:
    conn = duckdb.connect()
    register_keyed_hash(conn, KEY)
    rows = conn.execute(
        f"select count(*), count(distinct h), count(h) from ("
        f"select {FUNCTION_NAME}(case when i % 10 = 0 then null else 'sw ' || (i % 5000) end) h "
        f"from range(200000) t(i))"
    ).fetchall()
    assert rows == [(200000, 4500, 180000)]
    sample = conn.execute(f"select {FUNCTION_NAME}(' sw 42 ')").fetchall()[0][0]
    assert sample == pseudonymise(KEY, "SW42")
