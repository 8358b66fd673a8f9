"""The keyed hash in Python (key resolution, the Arrow UDF) and the one normaliser.

Normalisation is defined once (liia.privacy.identifier_rule, called by the
macros in macros/pseudonymise.sql); these tests run those macros (rendered by
liia.privacy.swe_macros, with the rule's functions registered) over awkward
inputs and check that the UDF only hashes what it is given.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from liia.dbt_plugin import FUNCTION_NAME, hash_arrow, register_keyed_hash
from liia.hash_key import (
    DEMO_HASH_KEY,
    MIN_PRODUCTION_KEY_LENGTH,
    HashKey,
    MissingHashKeyError,
    keyed_hash,
    keyed_hash_many,
    resolve_hash_key,
)
from liia.privacy.swe_macros import (
    normalise_swe_number_sql,
    normalise_swe_numbers,
    pseudonymise_swe_number_sql,
    rule_connection,
    swe_number_form_sql,
)

KEY = HashKey(b"test-key-for-unit-tests", is_demo=False)
STRONG_KEY = "k" * MIN_PRODUCTION_KEY_LENGTH

# Spellings of one number: ASCII and non-ASCII whitespace (no-break space, figure
# space, narrow no-break space, ideographic space, line separator, zero-width
# space, byte-order mark, vertical tab) and lower case.
SPELLINGS = (
    "SW123456",
    "sw123456",
    " SW 123456 ",
    "\tSw 12 34 56\n",
    "SW\u00a0123456",
    "\u2007sw12\u202f3456\u3000",
    "SW12\u20283456\u200b",
    "\ufeffSW123456\x0b",
    "SW-123-456",
    "\uff33\uff37\uff11\uff12\uff13\uff14\uff15\uff16",
    "SW\u00ad123456",
    "SW\u200d123456",
)
BLANKS = ("", "   ", "\u00a0\t\u202f", None)


def test_key_from_environment_then_file_then_demo(tmp_path: Path, capsys) -> None:
    key_file = tmp_path / "key.txt"
    key_file.write_text("  from-a-file \n", encoding="utf-8")
    assert resolve_hash_key({"LIIA_HASH_KEY": "from-env"}).secret == b"from-env"
    assert resolve_hash_key({"LIIA_HASH_KEY_FILE": str(key_file)}).secret == b"from-a-file"
    demo = resolve_hash_key({})
    assert demo.is_demo and demo.secret == DEMO_HASH_KEY.encode()
    assert "DEMO hash key" in capsys.readouterr().err
    assert resolve_hash_key({"LIIA_HASH_KEY": DEMO_HASH_KEY}).is_demo


def test_production_without_a_key_refuses(tmp_path: Path) -> None:
    with pytest.raises(MissingHashKeyError, match="production"):
        resolve_hash_key({"LIIA_ENV": "production"})
    empty = tmp_path / "empty.txt"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(MissingHashKeyError, match="empty"):
        resolve_hash_key({"LIIA_HASH_KEY_FILE": str(empty), "LIIA_ENV": "production"})
    with pytest.raises(MissingHashKeyError, match="cannot be read"):
        resolve_hash_key({"LIIA_HASH_KEY_FILE": str(tmp_path / "missing.txt")})
    key = resolve_hash_key({"LIIA_ENV": "production", "LIIA_HASH_KEY": STRONG_KEY})
    assert not key.is_demo and key.secret == STRONG_KEY.encode()


@pytest.mark.parametrize("weak", ["k", "x" * (MIN_PRODUCTION_KEY_LENGTH - 1)])
def test_production_refuses_a_short_key(tmp_path: Path, weak: str) -> None:
    with pytest.raises(MissingHashKeyError, match=f"at least {MIN_PRODUCTION_KEY_LENGTH}"):
        resolve_hash_key({"LIIA_ENV": "production", "LIIA_HASH_KEY": weak})
    key_file = tmp_path / "key.txt"
    key_file.write_text(weak, encoding="utf-8")
    with pytest.raises(MissingHashKeyError, match="LIIA_HASH_KEY_FILE"):
        resolve_hash_key({"LIIA_ENV": "PRODUCTION", "LIIA_HASH_KEY_FILE": str(key_file)})
    # Outside production a short key is accepted (tests, demos).
    assert resolve_hash_key({"LIIA_HASH_KEY": weak}).secret == weak.encode()


def test_production_refuses_the_demo_key(tmp_path: Path) -> None:
    with pytest.raises(MissingHashKeyError, match="demo key") as raised:
        resolve_hash_key({"LIIA_ENV": "production", "LIIA_HASH_KEY": DEMO_HASH_KEY})
    assert DEMO_HASH_KEY not in str(raised.value)
    key_file = tmp_path / "key.txt"
    key_file.write_text(f"{DEMO_HASH_KEY}\n", encoding="utf-8")
    with pytest.raises(MissingHashKeyError, match="demo key"):
        resolve_hash_key({"LIIA_ENV": "production", "LIIA_HASH_KEY_FILE": str(key_file)})


def test_key_is_never_shown() -> None:
    key = HashKey(b"super-secret-value", is_demo=False)
    assert "super-secret-value" not in repr(key) and "super-secret-value" not in str(key)


def test_macro_normalises_every_whitespace() -> None:
    assert normalise_swe_numbers(SPELLINGS) == ["SW123456"] * len(SPELLINGS)
    assert normalise_swe_numbers(BLANKS) == [None] * len(BLANKS)
    # Dashes are folded (a SWE number is letters and digits); other punctuation is not.
    assert normalise_swe_numbers(["SW-123456", "12-34", "SW.123456"]) == [
        "SW123456",
        "1234",
        "SW.123456",
    ]


def test_macro_forms_of_awkward_spellings() -> None:
    conn = rule_connection()
    forms = conn.execute(
        f"select {swe_number_form_sql('v')} from unnest($v) with ordinality t(v, i) order by i",
        {"v": list(SPELLINGS)},
    ).fetchall()
    assert [f for (f,) in forms] == ["canonical"] + ["normalised"] * (len(SPELLINGS) - 1)


def test_pseudonymise_macro_with_the_udf() -> None:
    """The rendered macro + UDF: every spelling shares the HMAC of 'SW123456'; blanks are
    null; a sender's 64-hex value is keyed-hashed too (never kept: an unkeyed SHA-256 is
    reversible); another number differs."""
    conn = rule_connection()
    register_keyed_hash(conn, KEY)
    sender = "ABCDEF0123456789" * 4
    values = [*SPELLINGS, *BLANKS, f"\u00a0{sender} ", "SW123457"]
    hashed = [
        h
        for (h,) in conn.execute(
            f"select {pseudonymise_swe_number_sql('v')} "
            "from unnest($v) with ordinality t(v, i) order by i",
            {"v": values},
        ).fetchall()
    ]
    expected = keyed_hash(KEY, "SW123456")
    assert hashed[: len(SPELLINGS)] == [expected] * len(SPELLINGS)
    assert hashed[len(SPELLINGS) : len(SPELLINGS) + len(BLANKS)] == [None] * len(BLANKS)
    assert hashed[-2] == keyed_hash(KEY, sender) != sender.lower()
    assert hashed[-1] == keyed_hash(KEY, "SW123457") != expected


def test_hash_is_keyed_hmac_hex() -> None:
    digest = keyed_hash(KEY, "SW123456")
    assert len(digest) == 64 and digest == digest.lower()
    assert keyed_hash(HashKey(b"another-key", is_demo=False), "SW123456") != digest


def test_udf_hashes_only_what_it_is_given() -> None:
    """No normalisation inside the UDF: spellings differ, null stays null."""
    values = ["SW123456", " sw 123456", None, "SW123456", "ab" * 32]
    expected = [None if v is None else keyed_hash(KEY, v) for v in values]
    assert keyed_hash_many(KEY, values) == expected
    assert expected[0] == expected[3] and expected[0] != expected[1]
    assert expected[4] != "ab" * 32  # a 64-hex input is hashed too: the macro keeps those
    chunked = pa.chunked_array([pa.array(values[:3]), pa.array(values[3:])])
    assert hash_arrow(KEY, chunked).to_pylist() == expected
    assert hash_arrow(KEY, pa.array([], type=pa.string())).to_pylist() == []


def test_udf_in_duckdb_handles_large_batches() -> None:
    conn = rule_connection()
    register_keyed_hash(conn, KEY)
    rows = conn.execute(
        f"select count(*), count(distinct h), count(h) from ("
        f"select {FUNCTION_NAME}(case when i % 10 = 0 then null else 'SW' || (i % 5000) end) h "
        f"from range(200000) t(i))"
    ).fetchall()
    assert rows == [(200000, 4500, 180000)]
    normalised = normalise_swe_number_sql("' sw 42 '")
    sample = conn.execute(f"select {FUNCTION_NAME}({normalised})")
    assert sample.fetchall()[0][0] == keyed_hash(KEY, "SW42")
