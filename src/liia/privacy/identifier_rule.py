"""The one definition of "looks like an identifier", and of how an identifier is normalised.

Every part of the project that must recognise a raw identifier uses this module:

- the SQL macros (``normalise_swe_number`` in macros/pseudonymise.sql,
  ``looks_like_identifier`` / ``message_holds_identifier`` / ``redact_identifiers``
  in macros/quotable_value.sql) call the DuckDB functions :func:`register_identifier_functions`
  registers (src/liia/dbt_plugin.py registers them on every dbt connection);
- the loader's ``redact()`` calls :func:`redact_identifiers`;
- the Great Expectations message check uses :func:`raw_message_regex`, the same
  patterns rendered for raw (unfolded) text;
- the privacy scan registers the same functions on its own connection and
  extracts candidates with :func:`identifier_candidates`.

Why Python and not a SQL macro: the rule starts with Unicode NFKC normalisation
(full-width SW900005, U+FF33 U+FF37 U+FF19..., is ``SW900005``), which DuckDB
does not have (only ``nfc_normalize``). SQL therefore calls registered Python
functions, so there is no second copy of the rule to drift.

**Folding** (:func:`fold_text`): NFKC; every Unicode format character (category
Cf: soft hyphen U+00AD, zero-width joiner U+200D, zero-width space, BOM...)
removed; every whitespace character (Python's ``str.isspace`` plus the Unicode
separators Zs/Zl/Zp) becomes one space; every dash (category Pd, and the minus
sign U+2212) becomes ``-``.

**Normalising** a SWE number (:func:`normalise_identifier`): fold, remove the
spaces and dashes, upper-case; blank is None. Dashes are folded too (a decision
beyond NFKC + whitespace + Cf): a SWE number is letters and digits only, so
``SW-900004`` is the same registration number as ``SW900004`` and must get the
same pseudonym, and the privacy scan must recognise it. A sender's 64-hex
pseudonym holds no dash or space, so folding never changes one.

**Looks like an identifier** (:func:`looks_like_identifier`), on folded text,
case-insensitive, anywhere in the text:

- ``swe_number``: two letters then four or more digits, up to two spaces or
  dashes allowed between any of them (``SW-987-6543``, ``S W468624``,
  ``sw 987 6543``): exactly the spans the normaliser folds into
  ``[A-Z]{2}[0-9]{4,}``. The first letter must not follow another letter or
  digit. This boundary is Unicode-aware (``é`` is a letter, so ``éab1234`` is a
  word, not ``ab1234``): RE2's ``\\b`` is ASCII-only and Python's is Unicode,
  which is exactly where the old SQL and Python copies disagreed. A word boundary
  is needed so that ``census year 2024`` in a message is not a SWE number.
- ``iso_date`` / ``dmy_date``: ``yyyy-mm-dd`` and ``dd/mm/yyyy`` / ``dd.mm.yy``
  (any of ``- / .``, spaces around them allowed);
- ``named_date``: a day, a month name and a year (``4 Jan 1967``,
  ``January 4, 1967``);
- ``digit_run``: five or more digits in a row (``yyyymmdd``, a SWE number
  without its letters), except the fraction of a decimal number (``0.1234567``);
- ``hex_run``: sixteen or more hexadecimal characters (a SHA-256 pseudonym is 64).

A *message* (a data-quality finding, a load error) is checked with every pattern
except ``named_date`` (:func:`message_holds_identifier`): messages state the
census date in words (``30 September 2024``); values quoted in messages are
screened with the whole rule first.

Tested against every implementation by tests/python/privacy/test_identifier_rule.py
over the shared cases in tests/fixtures/identifier_cases.csv.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

REDACTED = "[redacted]"
SPACE = " "
DASH = "-"
MINUS_SIGN = "\u2212"
SEPARATOR_CATEGORIES = frozenset({"Zs", "Zl", "Zp"})
FORMAT_CATEGORY = "Cf"
DASH_CATEGORY = "Pd"
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

# SQL names of the functions register_identifier_functions() creates.
NORMALISE_FUNCTION = "liia_normalise_identifier"
LOOKS_LIKE_FUNCTION = "liia_looks_like_identifier"
MESSAGE_FUNCTION = "liia_message_holds_identifier"
REDACT_FUNCTION = "liia_redact_identifiers"
REDACT_MESSAGE_FUNCTION = "liia_redact_message"
CANDIDATES_FUNCTION = "liia_identifier_candidates"


# -- folding and normalising -----------------------------------------------------------------
def _fold_char(char: str) -> str:
    """What one (already NFKC-normalised) character becomes in folded text."""
    category = unicodedata.category(char)
    if category == FORMAT_CATEGORY:
        return ""
    if char.isspace() or category in SEPARATOR_CATEGORIES:
        return SPACE
    if category == DASH_CATEGORY or char == MINUS_SIGN:
        return DASH
    return char


# ASCII needs no NFKC and has no format characters: a translate table is enough.
_ASCII_FOLD = str.maketrans({chr(c): _fold_char(chr(c)) for c in range(128)})


class _FoldTable(dict[int, str]):
    """_fold_char as a translate table, filled in as characters are first met (one
    dictionary look-up per character instead of a Unicode category look-up)."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD = _FoldTable(_ASCII_FOLD)


def fold_text(text: str) -> str:
    """NFKC; format characters removed; whitespace as one space each; dashes as ``-``."""
    if text.isascii():
        return text.translate(_ASCII_FOLD)
    return unicodedata.normalize("NFKC", text).translate(_FOLD)


def normalise_identifier(text: str | None) -> str | None:
    """A SWE number (or any identifier) as it is hashed: folded, without spaces or dashes,
    upper-case; blank (or None) is None."""
    if text is None:
        return None
    return _normalised(fold_text(text))


def _normalised(folded: str) -> str | None:
    """:func:`normalise_identifier` of text already folded."""
    return folded.replace(SPACE, "").replace(DASH, "").upper() or None


# -- the patterns ------------------------------------------------------------------------------
@dataclass(frozen=True)
class IdentifierPattern:
    """One shape of identifier, written once as a template rendered for folded or raw text.

    Placeholders: ``{L}`` an ASCII letter, ``{D}`` a digit, ``{S}`` a folded
    separator (space or dash), ``{W}`` a space, ``{N}`` a letter or digit of any
    script (for the Unicode-aware boundary), ``{M}`` a month name.
    """

    name: str
    template: str
    in_messages: bool = True


PATTERNS: tuple[IdentifierPattern, ...] = (
    IdentifierPattern(
        "swe_number", r"(?<!{N}){L}{S}{{0,2}}{L}{S}{{0,2}}{D}(?:{S}{{0,2}}{D}){{3,}}"
    ),
    IdentifierPattern("iso_date", r"{D}{{4}}{W}*[-/.]{W}*{D}{{1,2}}{W}*[-/.]{W}*{D}{{1,2}}"),
    IdentifierPattern("dmy_date", r"{D}{{1,2}}{W}*[-/.]{W}*{D}{{1,2}}{W}*[-/.]{W}*{D}{{2,4}}"),
    IdentifierPattern(
        "named_date",
        r"{D}{{1,2}}(?:st|nd|rd|th)?[ .,/-]*{M}[a-z]*[ .,/-]*{D}{{2,4}}"
        r"|{M}[a-z]*[ .,/-]*{D}{{1,2}}(?:st|nd|rd|th)?[ .,/-]+{D}{{4}}",
        in_messages=False,
    ),
    IdentifierPattern("digit_run", r"(?<!{D})(?<!{D}\.){D}{{5,}}"),
    IdentifierPattern("hex_run", r"{H}{{16,}}"),
)

_FOLDED_CLASSES = {
    "L": "[a-z]",
    "D": "[0-9]",
    "S": "[ -]",
    "W": " ",
    "N": r"[^\W_]",
    "H": "[0-9a-f]",
    "M": "(?:" + "|".join(MONTHS) + ")",
}


def _render(patterns: Iterable[IdentifierPattern], classes: dict[str, str]) -> re.Pattern[str]:
    alternatives = "|".join(f"(?:{p.template.format(**classes)})" for p in patterns)
    return re.compile(alternatives, re.IGNORECASE)


@cache
def _folded_regex(messages: bool) -> re.Pattern[str]:
    return _render((p for p in PATTERNS if p.in_messages or not messages), _FOLDED_CLASSES)


def looks_like_identifier(text: str | None) -> bool | None:
    """Whether a value holds anything shaped like an identifier (None stays None)."""
    if text is None:
        return None
    return _folded_regex(False).search(fold_text(text)) is not None


def message_holds_identifier(text: str | None) -> bool | None:
    """Whether a message holds an identifier shape (every pattern but ``named_date``)."""
    if text is None:
        return None
    return _folded_regex(True).search(fold_text(text)) is not None


def redact_identifiers(text: str | None, marker: str = REDACTED) -> str | None:
    """The folded text with every identifier-shaped span replaced by ``marker``."""
    if text is None:
        return None
    return _folded_regex(False).sub(marker, fold_text(text))


def redact_message(text: str | None, marker: str = REDACTED) -> str | None:
    """A message (folded) with every span :func:`message_holds_identifier` sees replaced."""
    if text is None:
        return None
    return _folded_regex(True).sub(marker, fold_text(text))


# -- the same patterns for raw (unfolded) text: the Great Expectations message check ----------
def _code_points() -> Iterable[str]:
    # The BMP and the supplementary planes holding compatibility letters and digits
    # (mathematical alphanumerics, enclosed alphanumerics): every character NFKC folds
    # to an ASCII letter or digit lives there.
    for code in range(0x30000):
        if not 0xD800 <= code <= 0xDFFF:
            yield chr(code)


def _char_class(chars: Iterable[str]) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(set(chars))) + "]"


@cache
def _raw_classes() -> dict[str, str]:
    letters, digits, hexes, separators = [], [], [], []
    for char in _code_points():
        folded = fold_text(char)
        if folded in (SPACE, DASH) or (folded == "" and char != ""):
            separators.append(char)
        elif len(folded) == 1 and folded.isascii():
            if folded.isalpha():
                letters.append(char)
            if folded.isdigit():
                digits.append(char)
            if folded.lower() in "0123456789abcdef" and folded.isalnum():
                hexes.append(char)
    return {
        "L": _char_class(letters),
        "D": _char_class(digits),
        "S": _char_class(separators),
        "W": _char_class(c for c in separators if fold_text(c) == SPACE),
        "N": r"[^\W_]",
        "H": _char_class(hexes),
        "M": _FOLDED_CLASSES["M"],
    }


@cache
def raw_message_regex() -> str:
    """The message patterns (every one but ``named_date``) as one Python regex over raw text.

    For checks that cannot fold first (Great Expectations' regex expectations on a
    pandas column): each class holds every character that folds into it (full-width
    S, U+FF33, is a letter, full-width 9, U+FF19, a digit, U+00AD and U+200D are
    separators). It matches what :func:`message_holds_identifier` finds except where
    folding changes the number of characters (a ligature, a circled ten).
    """
    patterns = (p for p in PATTERNS if p.in_messages)
    return "(?i)" + _render(patterns, _raw_classes()).pattern


# -- candidates for the privacy scan ----------------------------------------------------------
# Any two letters then digits, spaces/dashes allowed (no boundary: the scan compares the
# normalised token with landing's numbers, so "xSW900004" must still yield SW900004).
_SWE_TOKEN = re.compile(r"[a-z][ -]{0,2}[a-z][ -]{0,2}[0-9](?:[ -]{0,2}[0-9])*", re.IGNORECASE)
_HEX_TOKEN = re.compile(r"[0-9a-f]{64}", re.IGNORECASE)
# Dates are read whole (no digit either side), so 2019-04-01 is not also read as 9-04-01.
_YMD = re.compile(r"(?<![0-9])([0-9]{4}) *[-/.] *([0-9]{1,2}) *[-/.] *([0-9]{1,2})(?![0-9])")
_DMY = re.compile(
    r"(?<![0-9])([0-9]{1,2}) *[-/.] *([0-9]{1,2}) *[-/.] *([0-9]{4}|[0-9]{2})(?![0-9])"
)
_COMPACT = re.compile(r"(?<![0-9])([0-9]{8})(?![0-9])")
_NAMED = re.compile(
    r"(?<![0-9])([0-9]{1,2})(?:st|nd|rd|th)?[ .,/-]*("
    + "|".join(MONTHS)
    + r")[a-z]*[ .,/-]*([0-9]{4})"
    r"|(" + "|".join(MONTHS) + r")[a-z]*[ .,/-]*([0-9]{1,2})(?:st|nd|rd|th)?[ .,/-]+([0-9]{4})",
    re.IGNORECASE,
)


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _dates(folded: str) -> set[str]:
    found: set[str | None] = set()
    for y, m, d in _YMD.findall(folded):
        found.add(_iso(int(y), int(m), int(d)))
    for d, m, y in _DMY.findall(folded):
        years = [int(y)] if len(y) == 4 else [1900 + int(y), 2000 + int(y)]
        found.update(_iso(year, int(m), int(d)) for year in years)
    for digits in _COMPACT.findall(folded):
        found.add(_iso(int(digits[:4]), int(digits[4:6]), int(digits[6:])))  # yyyymmdd
        found.add(_iso(int(digits[4:]), int(digits[2:4]), int(digits[:2])))  # ddmmyyyy
    for d1, m1, y1, m2, d2, y2 in _NAMED.findall(folded):
        month = MONTHS.index((m1 or m2).lower()) + 1
        found.add(_iso(int(y1 or y2), month, int(d1 or d2)))
    found.discard(None)
    return {d for d in found if d is not None}


def identifier_candidates(text: str | None) -> list[str]:
    """What a value could be a copy of, normalised as landing's identifiers are: the whole
    value, every SWE-number-shaped token, every 64-hex run, every full date (as ISO)."""
    if text is None:
        return []
    folded = fold_text(text)
    found = {_normalised(folded)}
    found.update(normalise_identifier(token) for token in _SWE_TOKEN.findall(folded))
    found.update(token.upper() for token in _HEX_TOKEN.findall(folded))
    found.update(_dates(folded))
    found.discard(None)
    return sorted(c for c in found if c is not None)


# -- DuckDB functions -------------------------------------------------------------------------
def _arrow_function(function: Callable[[Any], Any], arrow_type: Any) -> Callable[[Any], Any]:
    """An Arrow-vectorised DuckDB function: each distinct value of a batch is computed once."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def _apply(values: Any) -> Any:
        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks()
        if len(values) == 0:
            return pa.array([], type=arrow_type)
        encoded = pc.dictionary_encode(values)
        distinct = [
            None if value is None else function(value) for value in encoded.dictionary.to_pylist()
        ]
        return pc.take(pa.array(distinct, type=arrow_type), encoded.indices)

    return _apply


def register_identifier_functions(conn: Any) -> None:
    """Register the rule's functions on a DuckDB connection (dbt's, the scan's, a test's)."""
    import pyarrow as pa

    functions: list[tuple[str, Callable[[Any], Any], Any, str]] = [
        (NORMALISE_FUNCTION, normalise_identifier, pa.string(), "VARCHAR"),
        (LOOKS_LIKE_FUNCTION, looks_like_identifier, pa.bool_(), "BOOLEAN"),
        (MESSAGE_FUNCTION, message_holds_identifier, pa.bool_(), "BOOLEAN"),
        (REDACT_FUNCTION, redact_identifiers, pa.string(), "VARCHAR"),
        (REDACT_MESSAGE_FUNCTION, redact_message, pa.string(), "VARCHAR"),
        (CANDIDATES_FUNCTION, identifier_candidates, pa.list_(pa.string()), "VARCHAR[]"),
    ]
    for name, function, arrow_type, sql_type in functions:
        conn.create_function(
            name,
            _arrow_function(function, arrow_type),
            ["VARCHAR"],
            sql_type,
            type="arrow",
            null_handling="special",
        )
