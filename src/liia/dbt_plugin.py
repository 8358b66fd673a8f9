"""dbt-duckdb plugin registering the keyed-hash function on every connection.

Models call ``liia_keyed_hash(text)`` through the ``pseudonymise_swe_number``
macro; the key is read from the environment here, in Python, so it never
appears in compiled SQL, dbt's artefacts or its logs. Without a key the public
demo key is used and announced; with ``LIIA_ENV=production`` and no usable key
the plugin raises while dbt opens its connection, so the dbt command fails.

``liia_keyed_hash`` only computes HMAC-SHA256(key, input) as 64 lower-case hex
(null stays null). Its input MUST already be normalised by the
``normalise_swe_number`` macro (macros/pseudonymise.sql), which calls
``liia_normalise_identifier``: the plugin also registers the identifier rule's
functions (:func:`liia.privacy.identifier_rule.register_identifier_functions`), the
one definition of normalisation (NFKC, which DuckDB lacks) and of "looks like an
identifier". The hash function normalises nothing itself.

The function is Arrow-vectorised: DuckDB hands it whole batches, each distinct
value of a batch is hashed once, and the result is put back with ``take``.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from dbt.adapters.duckdb.plugins import BasePlugin

from liia.hash_key import HashKey, keyed_hash_many, resolve_hash_key
from liia.privacy.identifier_rule import register_identifier_functions

FUNCTION_NAME = "liia_keyed_hash"


def hash_arrow(key: HashKey, values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """HMAC hex of each value of an Arrow string array (already normalised); null → null."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if len(values) == 0:
        return pa.array([], type=pa.string())
    encoded = pc.dictionary_encode(values)
    hashed = pa.array(keyed_hash_many(key, encoded.dictionary.to_pylist()), type=pa.string())
    return pc.take(hashed, encoded.indices)


def register_keyed_hash(conn: Any, key: HashKey) -> None:
    """Register ``liia_keyed_hash(VARCHAR) -> VARCHAR`` on a DuckDB connection."""

    def _keyed_hash(values: pa.ChunkedArray) -> pa.Array:
        return hash_arrow(key, values)

    conn.create_function(
        FUNCTION_NAME,
        _keyed_hash,
        ["VARCHAR"],
        "VARCHAR",
        type="arrow",
        null_handling="special",
    )


class Plugin(BasePlugin):
    """Loads the key once per dbt invocation; registers the hash on each connection."""

    def initialize(self, plugin_config: dict[str, Any]) -> None:
        # Raises MissingHashKeyError in production without a usable key: dbt then fails.
        self._key: HashKey = resolve_hash_key()

    def configure_connection(self, conn: Any) -> None:
        register_keyed_hash(conn, self._key)
        register_identifier_functions(conn)
