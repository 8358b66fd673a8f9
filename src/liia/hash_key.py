"""The secret key for the keyed hash of SWE numbers, and the hash itself.

The key comes from ``LIIA_HASH_KEY`` or the file named by ``LIIA_HASH_KEY_FILE``.
Without either, a clearly-named demo key is used and announced on stderr; with
``LIIA_ENV=production`` a missing key is an error. The key is only ever held
in Python memory: it is never written into SQL, dbt artefacts or logs.

The pseudonym of a SWE number is HMAC-SHA256(key, normalised number) as 64
lower-case hex characters, where normalising trims, upper-cases and drops every
whitespace character. A value that already is 64 hex characters was
pseudonymised by the sender and is kept (lower-cased), not hashed again.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEMO_HASH_KEY = "liia-demo-key-NOT-FOR-REAL-DATA"
PRODUCTION_ENV = "production"

_WHITESPACE = re.compile(r"\s+")
_SENDER_HASH = re.compile(r"[0-9a-fA-F]{64}")


class MissingHashKeyError(RuntimeError):
    """A production run was started without a hash key, or the key file is unusable."""


@dataclass(frozen=True)
class HashKey:
    """The secret, and whether it is the public demo key."""

    secret: bytes
    is_demo: bool

    def __repr__(self) -> str:  # never print the secret
        return f"HashKey(is_demo={self.is_demo})"

    __str__ = __repr__

    @property
    def text(self) -> str:
        """The secret as text (for leak scans only; never print it)."""
        return self.secret.decode("utf-8")


def _read_key_file(key_file: str) -> bytes:
    path = Path(key_file)
    try:
        secret = path.read_text(encoding="utf-8").strip()
    except OSError as error:
        raise MissingHashKeyError(f"LIIA_HASH_KEY_FILE {path} cannot be read: {error}") from error
    if not secret:
        raise MissingHashKeyError(f"LIIA_HASH_KEY_FILE {path} is empty")
    return secret.encode("utf-8")


def resolve_hash_key(environ: Mapping[str, str] | None = None, *, announce: bool = True) -> HashKey:
    """The key from the environment, the demo key, or an error in production."""
    env = os.environ if environ is None else environ
    key_text = env.get("LIIA_HASH_KEY", "").strip()
    if key_text:
        return HashKey(key_text.encode("utf-8"), is_demo=False)
    key_file = env.get("LIIA_HASH_KEY_FILE", "").strip()
    if key_file:
        return HashKey(_read_key_file(key_file), is_demo=False)
    if env.get("LIIA_ENV", "").strip().lower() == PRODUCTION_ENV:
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


def normalise_swe_number(value: str) -> str:
    """Trim, upper-case and drop every whitespace character."""
    return _WHITESPACE.sub("", value).upper()


def is_sender_hash(value: str) -> bool:
    """True when the value (trimmed) already is 64 hex characters."""
    return _SENDER_HASH.fullmatch(value.strip()) is not None


def keyed_hash(key: HashKey, normalised_value: str) -> str:
    """HMAC-SHA256 of an already-normalised SWE number, as 64 lower-case hex."""
    return hmac.new(key.secret, normalised_value.encode("utf-8"), hashlib.sha256).hexdigest()


def pseudonymise(key: HashKey, value: str | None) -> str | None:
    """The pseudonym of a raw SWE number: null/blank → None, sender hash kept, else keyed hash."""
    if value is None:
        return None
    normalised = normalise_swe_number(value)
    if not normalised:
        return None
    if is_sender_hash(normalised):
        return normalised.lower()
    return keyed_hash(key, normalised)


def pseudonymise_many(key: HashKey, values: list[str | None]) -> list[str | None]:
    """``pseudonymise`` over many values, reusing one keyed HMAC state (fast path)."""
    base = hmac.new(key.secret, digestmod=hashlib.sha256)
    out: list[str | None] = []
    for value in values:
        normalised = None if value is None else normalise_swe_number(value)
        if not normalised:
            out.append(None)
        elif is_sender_hash(normalised):
            out.append(normalised.lower())
        else:
            state = base.copy()
            state.update(normalised.encode("utf-8"))
            out.append(state.hexdigest())
    return out
