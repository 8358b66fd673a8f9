"""The secret key for the keyed hash of SWE numbers, and the hash itself.

The key comes from ``LIIA_HASH_KEY`` or the file named by ``LIIA_HASH_KEY_FILE``.
Without either, a clearly-named demo key is used and announced on stderr. With
``LIIA_ENV=production`` the key must be set, at least ``MIN_PRODUCTION_KEY_LENGTH``
characters long and not the demo key's text; anything else is an error. The key
is only ever held in Python memory: it is never written into SQL, dbt artefacts
or logs.

The pseudonym of a SWE number is HMAC-SHA256(key, normalised number) as 64
lower-case hex characters. This module only computes the HMAC of the text it is
given: normalising (NFKC, whitespace, format characters and dashes removed,
upper-case) is :func:`liia.privacy.identifier_rule.normalise_identifier`, which the
SQL macros in macros/pseudonymise.sql call as a registered function. Whatever
identifier arrives is keyed-hashed, a sender's 64-hex pseudonym included: an
unkeyed SHA-256 of a number can be reversed by enumeration.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

DEMO_HASH_KEY = "liia-demo-key-NOT-FOR-REAL-DATA"
PRODUCTION_ENV = "production"
MIN_PRODUCTION_KEY_LENGTH = 32


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


def _check_production_key(secret: bytes, source: str) -> None:
    """Refuse a key too short to protect the pseudonyms, or the public demo key."""
    text = secret.decode("utf-8")
    if text == DEMO_HASH_KEY:
        raise MissingHashKeyError(
            f"LIIA_ENV=production but {source} holds the public demo key: "
            "set a secret key of your own"
        )
    if len(text) < MIN_PRODUCTION_KEY_LENGTH:
        raise MissingHashKeyError(
            f"LIIA_ENV=production but the key from {source} has {len(text)} characters: "
            f"a production key needs at least {MIN_PRODUCTION_KEY_LENGTH}"
        )


def _configured_key(env: Mapping[str, str]) -> tuple[bytes, str] | None:
    """The configured secret and where it came from, or None when none is set."""
    key_text = env.get("LIIA_HASH_KEY", "").strip()
    if key_text:
        return key_text.encode("utf-8"), "LIIA_HASH_KEY"
    key_file = env.get("LIIA_HASH_KEY_FILE", "").strip()
    if key_file:
        return _read_key_file(key_file), "LIIA_HASH_KEY_FILE"
    return None


def resolve_hash_key(environ: Mapping[str, str] | None = None, *, announce: bool = True) -> HashKey:
    """The key from the environment, the demo key, or an error in production."""
    env = os.environ if environ is None else environ
    production = env.get("LIIA_ENV", "").strip().lower() == PRODUCTION_ENV
    configured = _configured_key(env)
    if configured is not None:
        secret, source = configured
        if production:
            _check_production_key(secret, source)
        return HashKey(secret, is_demo=secret == DEMO_HASH_KEY.encode("utf-8"))
    if production:
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


def keyed_hash_many(key: HashKey, normalised_values: Iterable[str | None]) -> list[str | None]:
    """``keyed_hash`` over many already-normalised values (None stays None), reusing
    one keyed HMAC state. Nothing is normalised here: callers pass what the
    ``normalise_swe_number`` macro produced."""
    base = hmac.new(key.secret, digestmod=hashlib.sha256)
    out: list[str | None] = []
    for value in normalised_values:
        if value is None:
            out.append(None)
            continue
        state = base.copy()
        state.update(value.encode("utf-8"))
        out.append(state.hexdigest())
    return out
