"""dbt-duckdb plugin registering the keyed-hash function on every connection.

Models call ``liia_keyed_hash(normalised_swe_number)``; the key is read from
the environment here, in Python, so it never appears in compiled SQL.
"""

from __future__ import annotations

from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

from liia.hash_key import HashKey, keyed_hash, resolve_hash_key


class Plugin(BasePlugin):
    def initialize(self, plugin_config: dict[str, Any]) -> None:
        self._key: HashKey = resolve_hash_key()

    def configure_connection(self, conn: Any) -> None:
        key = self._key

        def _hash(value: str | None) -> str | None:
            if value is None or value == "":
                return None
            return keyed_hash(key, value)

        conn.create_function(
            "liia_keyed_hash", _hash, ["VARCHAR"], "VARCHAR", null_handling="special"
        )
