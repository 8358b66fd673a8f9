"""The secret key for the keyed hash of SWE numbers, and the hash itself.

The key comes from ``LIIA_HASH_KEY`` or the file named by ``LIIA_HASH_KEY_FILE``.
Without either, a clearly-named demo key is used and announced; with
``LIIA_ENV=production`` a missing key is an error. The key is only ever held
in Python memory: it is never written into SQL, dbt artefacts or logs.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import sys
from dataclasses import dataclass
from pathlib import Path

DEMO_HASH_KEY = "liia-demo-key-NOT-FOR-REAL-DATA"


class MissingHashKeyError(RuntimeError):
    """A production run was started without a hash key."""


@dataclass(frozen=True)
class HashKey:
    secret: bytes
    is_demo: bool

    def __repr__(self) -> str:  # never print the secret
        return f"HashKey(is_demo={self.is_demo})"


def resolve_hash_key(environ: dict[str, str] | None = None, *, announce: bool = True) -> HashKey:
    """The key from the environment, the demo key, or an error in production."""
    env = os.environ if environ is None else environ
    if env.get("LIIA_HASH_KEY"):
        return HashKey(env["LIIA_HASH_KEY"].encode("utf-8"), is_demo=False)
    key_file = env.get("LIIA_HASH_KEY_FILE")
    if key_file:
        secret = Path(key_file).read_text(encoding="utf-8").strip()
        if not secret:
            raise MissingHashKeyError(f"LIIA_HASH_KEY_FILE {key_file} is empty")
        return HashKey(secret.encode("utf-8"), is_demo=False)
    if env.get("LIIA_ENV", "").lower() == "production":
        raise MissingHashKeyError(
            "LIIA_ENV=production but neither LIIA_HASH_KEY nor LIIA_HASH_KEY_FILE is set: "
            "refusing to pseudonymise with the public demo key"
        )
    if announce:
        print(
            "WARNING: no LIIA_HASH_KEY or LIIA_HASH_KEY_FILE set - using the DEMO hash key. "
            "Pseudonyms made with it are NOT protected; never use it on real data.",
            file=sys.stderr,
        )
    return HashKey(DEMO_HASH_KEY.encode("utf-8"), is_demo=True)


def keyed_hash(key: HashKey, normalised_value: str) -> str:
    """HMAC-SHA256 of an already-normalised SWE number, as 64 lower-case hex."""
    return hmac.new(key.secret, normalised_value.encode("utf-8"), hashlib.sha256).hexdigest()
