"""One pass over a file's bytes before it is parsed: hash, encoding, DTD tricks.

The pass reads the file in chunks (never whole), so it costs one sequential
read. It computes the SHA-256 that identifies the file, checks that the text
decodes in the encoding it may use, finds whether there is any content at all,
and, for XML, finds any document type or entity declaration so that the file is
rejected before a parser sees it.

Encodings accepted: UTF-8 (with or without a byte-order mark) for CSV, and for
XML either UTF-8, UTF-16 (little- or big-endian) announced by a byte-order mark
as XML allows (with or without a declaration, which may then only name UTF-16),
or the encoding its XML declaration names, if that is a text encoding that
agrees with the bytes the declaration is written in (so ``utf-16`` named on
UTF-8 bytes, or ``base64``/``hex``/``zlib``/``rot13``, is refused) and the whole
file decodes cleanly in it. Whatever a codec does, its failure is this file's
rejection reason, never an exception. XLSX is a zip archive: its encoding is
the workbook's.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from liia.load.parsed_return import redact

CHUNK_BYTES = 1 << 20
_DECLARED_ENCODING = re.compile(r"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_DTD_OR_ENTITY = re.compile(r"<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST)", re.IGNORECASE)
_CARRY = 16  # characters kept between chunks so a split declaration is still found
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class FileScan:
    """What one pass over the bytes found; ``problem`` is a rejection reason or None."""

    sha256: str
    size: int
    problem: str | None


def _declared_encoding(head: bytes) -> str | None:
    """The encoding an XML declaration names, read from the first bytes of the file."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head[:400].decode("utf-16", errors="replace")
    elif head.startswith(b"<\x00?\x00"):
        text = head[:400].decode("utf-16-le", errors="replace")
    elif head.startswith(b"\x00<\x00?"):
        text = head[:400].decode("utf-16-be", errors="replace")
    else:
        text = head[:400].decode("latin-1")
    match = _DECLARED_ENCODING.search(text.split("?>", 1)[0] + "?>")
    return match.group(1) if match else None


_UTF16_NAMES = frozenset({"utf-16", "utf-16-le", "utf-16-be"})


def _utf16_decoder(head: bytes) -> tuple[str, codecs.IncrementalDecoder] | str:
    """The decoder of an XML file that starts with a UTF-16 byte-order mark."""
    declared = _declared_encoding(head)
    if declared is not None:
        try:
            declared_name = codecs.lookup(declared).name
        except LookupError:
            declared_name = None
        if declared_name not in _UTF16_NAMES:
            return (
                "unreadable encoding: the file starts with a UTF-16 byte-order mark but its "
                f"XML declaration names {redact(declared, 40)!r}"
            )
    # the BOM gives the byte order; the decoder consumes it
    return "UTF-16", codecs.getincrementaldecoder("utf-16")(errors="strict")


# Codecs Python treats as text encodings that no XML document is written in.
_NOT_DOCUMENT_ENCODINGS = frozenset(
    {"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape", "utf-7"}
)
_ASCII_PROLOG = "<?xml version"


def _declared_decoder(declared: str, head: bytes) -> tuple[str, codecs.IncrementalDecoder] | str:
    """The decoder for the encoding an XML declaration names, or why it cannot be used.

    A declaration is only believed when it is consistent with the bytes it was
    read from: the declaration itself was found in ASCII-compatible bytes (or
    BOM-less UTF-16 ones, see below), so the named encoding must write
    ``<?xml version`` with those same bytes. That one rule refuses codecs that
    are not text encodings (``base64``, ``hex``, ``zlib``, ``rot13``...), UTF-16 or
    UTF-32 named on single-byte text (common .NET output), EBCDIC, and so on.
    """
    shown = redact(declared, 40)
    try:
        info = codecs.lookup(declared)
    except LookupError:
        return f"unreadable encoding: the XML declaration names an unknown encoding {shown!r}"
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_DOCUMENT_ENCODINGS:
        return (
            f"unreadable encoding: the XML declaration names {shown!r}, which is not a text "
            "encoding an XML document can be written in; send UTF-8"
        )
    bomless_utf16 = head.startswith((b"<\x00?\x00", b"\x00<\x00?"))
    if bomless_utf16 and info.name not in _UTF16_NAMES:
        return (
            f"unreadable encoding: the file is UTF-16 without a byte-order mark but its XML "
            f"declaration names {shown!r}"
        )
    if bomless_utf16:
        # UTF-16 without a byte-order mark: the byte order is the first character's
        order = "utf-16-le" if head.startswith(b"<\x00") else "utf-16-be"
        return declared, codecs.getincrementaldecoder(order)(errors="strict")
    try:
        consistent = _ASCII_PROLOG.encode(info.name) == _ASCII_PROLOG.encode("ascii")
    except Exception:  # a codec that cannot even write the prolog
        consistent = False
    if not consistent:
        return (
            f"unreadable encoding: the XML declaration names {shown!r}, but the file's bytes "
            "are not in that encoding (the declaration itself is not written in it); "
            "send UTF-8"
        )
    if info.name == "utf-8":
        return declared, codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
    return declared, info.incrementaldecoder(errors="strict")


def _decoder_for(file_format: str, head: bytes) -> tuple[str, codecs.IncrementalDecoder] | str:
    """(encoding name, incremental decoder), or a rejection reason."""
    if file_format == "xml":
        utf32 = head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE))
        if not utf32 and head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return _utf16_decoder(head)
        declared = _declared_encoding(head)
        if declared is not None:
            return _declared_decoder(declared, head)
    return "UTF-8", codecs.getincrementaldecoder("utf-8-sig")(errors="strict")


class _TextChecks:
    """Checks on the decoded text: any content at all, and (XML) DTD or entity declarations."""

    def __init__(self, look_for_dtd: bool) -> None:
        self.look_for_dtd = look_for_dtd
        self.has_content = False
        self.dtd_found = False
        self._carry = ""

    def feed(self, text: str) -> None:
        if not self.has_content and text.strip("\ufeff \t\r\n\x00"):
            self.has_content = True
        if self.look_for_dtd and not self.dtd_found:
            window = self._carry + text
            if _DTD_OR_ENTITY.search(window):
                self.dtd_found = True
            self._carry = window[-_CARRY:]


def _feed(
    checks: _TextChecks,
    decoder: codecs.IncrementalDecoder,
    chunk: bytes,
    encoding: str,
    offset: int,
    *,
    final: bool,
) -> str | None:
    """Decode one chunk into the checks; a rejection reason if it does not decode."""
    shown = redact(encoding, 40)
    try:
        text = decoder.decode(chunk, final=final)
    except UnicodeDecodeError as error:
        if final and not chunk:
            return f"unreadable encoding: the file ends inside a {shown} character"
        return (
            f"unreadable encoding: the file is not valid {shown} "
            f"(byte {offset + error.start}); send UTF-8"
        )
    except Exception as error:  # any codec's own failure is this file's, never the batch's
        return f"unreadable encoding: the file does not decode as {shown} ({type(error).__name__})"
    if not isinstance(text, str):
        return f"unreadable encoding: {shown} does not decode bytes to text"
    checks.feed(text)
    return None


def scan_file(path: Path, file_format: str) -> FileScan:
    """Hash the file and check its encoding and (XML) its prolog; raises OSError if unreadable."""
    digest = hashlib.sha256()
    size = 0
    problem: str | None = None
    with path.open("rb") as handle:
        head = handle.read(CHUNK_BYTES)
        decoder: codecs.IncrementalDecoder | None = None
        encoding = ""
        checks = _TextChecks(look_for_dtd=file_format == "xml")
        if file_format in ("xml", "csv"):
            chosen = _decoder_for(file_format, head)
            if isinstance(chosen, str):
                problem = chosen
            else:
                encoding, decoder = chosen
        elif file_format == "xlsx" and head and not head.startswith(_ZIP_MAGIC):
            problem = "not an XLSX workbook: the file is not a zip archive"
        chunk = head
        while chunk:
            digest.update(chunk)
            if decoder is not None:
                problem = _feed(checks, decoder, chunk, encoding, size, final=False)
                if problem is not None:
                    decoder = None
            size += len(chunk)
            chunk = handle.read(CHUNK_BYTES)
        if decoder is not None:
            problem = _feed(checks, decoder, b"", encoding, size, final=True)
    if size == 0 or (file_format in ("xml", "csv") and problem is None and not checks.has_content):
        problem = "empty file: it holds no content"
    elif checks.dtd_found:
        problem = (
            "rejected as an XML entity/DTD trick: the file declares a document type or entities "
            "(<!DOCTYPE>/<!ENTITY>), which a CSWW return never does; nothing was expanded"
        )
    return FileScan(sha256=digest.hexdigest(), size=size, problem=problem)
