"""Names from outside as they may be printed or stored: no control characters.

A file name is chosen by whoever uploads it, and POSIX allows any byte but
``/`` and NUL in it: a newline can forge a line of the load summary
(``Load: 99 accepted…``), a terminal escape can repaint the screen, a
right-to-left override can disguise ``xml.exe`` as ``exe.xml``, and bytes that
are not UTF-8 reach Python as lone surrogates that cannot even be printed.
:func:`shown` writes every such character as an escape (``\\n``, ``\\x1b``,
``\\u202e``; an undecodable byte as ``\\xe9``), and leaves every printable
character, accented letters included, as it is.
"""

from __future__ import annotations

import unicodedata

# control, format (bidi overrides, zero-width), line/paragraph separators,
# surrogates (undecodable bytes of a file name), private use, unassigned
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(character: str) -> str:
    if character in _NAMED:
        return _NAMED[character]
    code = ord(character)
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's stand-in for an undecodable byte
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def shown(text: str) -> str:
    """``text`` with every control, format or undecodable character escaped."""
    if text.isprintable() and all(unicodedata.category(c) not in _ESCAPED_CATEGORIES for c in text):
        return text
    return "".join(
        _escape(c) if unicodedata.category(c) in _ESCAPED_CATEGORIES else c for c in text
    )
