"""What a reader makes of one return: worker columns, LA-level values, notes.

Readers (XML, CSV, XLSX) produce a :class:`ParsedReturn` or raise
:class:`FileRejected`. Nothing here holds a value in a message: notes and
rejection reasons name files, records and items only, and any text that comes
from outside (a parser's error message, a header value) goes through
:func:`redact` first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from liia.csww_schema import ALL_LA_LEVEL_ITEMS, REPEATED_WORKER_ITEMS
from liia.privacy.identifier_rule import looks_like_identifier

WorkerRecord = dict[str, str | list[str]]

# A two-letter word followed by digits (an SWE number), any date-like text, long digit runs.
# libxml2 quotes the offending bytes of an encoding error: never pass them on.
_QUOTED_BYTES = re.compile(r"Bytes:.*", re.DOTALL)
_NAME_LIMIT = 64


def redact(text: str, limit: int = 300) -> str:
    """Text from outside the loader, safe to store in a message: no value-like content.

    Identifier shapes are those of the project's one rule (liia.privacy.identifier_rule).
    """
    from liia.privacy.identifier_rule import redact_identifiers

    text = _QUOTED_BYTES.sub("", text)
    text = redact_identifiers(text) or ""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# In a *name*, digits in a run or a date shape are a value, word boundaries or not
# (``_930100001`` and ``x1980-01-15`` are legal XML names).
_VALUE_IN_NAME = re.compile(r"\d{5,}|\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")


def screened_item_name(name: str, where: str) -> str:
    """An item's name as it may be stored or shown: the name, unless it looks like a value.

    The one screening every reader applies to the names it drops (CSV/XLSX
    headers, XML elements): a CSV with no header row would otherwise put its
    first record's values in ``dropped_items``, and ``<SW123456>`` is a legal
    XML element name. ``where`` says where the name was (``column 3``,
    ``element in CSWWWorker``) and stands in for a withheld name.
    """
    name = name.strip()
    if not name:
        return f"({where} without a name)"
    if (
        looks_like_identifier(name)
        or _VALUE_IN_NAME.search(name)
        or len(name) > _NAME_LIMIT
        or any(c.isspace() for c in name)
    ):
        return f"({where}: name withheld, it looks like a value)"
    return name


class FileRejected(Exception):
    """The file cannot be landed; ``reason`` says why (no values in it)."""

    def __init__(self, reason: str, *, record_number: int | None = None, item: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.record_number = record_number
        self.item = item


@dataclass(frozen=True)
class LoadNote:
    """A problem worth reporting that does not stop the file from landing."""

    message: str
    record_number: int | None = None
    item: str | None = None


class WorkerColumns:
    """Worker records in file order, handed to the writer column by column."""

    def __init__(self) -> None:
        self._records: list[WorkerRecord] = []

    @property
    def count(self) -> int:
        return len(self._records)

    def append(self, record: WorkerRecord) -> None:
        self._records.append(record)

    def column(self, item: str) -> list[str | list[str] | None]:
        """One item's values, one per record (None where the record lacks the item)."""
        return [record.get(item) for record in self._records]


@dataclass
class ParsedReturn:
    """One file's content, read but not yet checked against its year or borough."""

    file_format: str
    workers: WorkerColumns = field(default_factory=WorkerColumns)
    la_level: dict[str, str | None] = field(
        default_factory=lambda: dict.fromkeys(ALL_LA_LEVEL_ITEMS)
    )
    # Header values (an XML Header, or a table's LEA/Year/ReferenceDate column or
    # LA-level sheet cell); None when the file has no such item.
    header_year: str | None = None
    header_reference_date: str | None = None
    header_lea: str | None = None
    # Every borough the file names, with where: ("header LEA", "301"),
    # ("column 'LA'", "301"); each must be the folder's borough.
    borough_claims: list[tuple[str, str]] = field(default_factory=list)
    # Name of the LA-level element or sheet the file used, if any.
    la_level_element: str | None = None
    worker_items_seen: set[str] = field(default_factory=set)
    la_level_items_seen: set[str] = field(default_factory=set)
    dropped_items: set[str] = field(default_factory=set)
    notes: list[LoadNote] = field(default_factory=list)


class RecordBuilder:
    """Puts one worker's item values into a record; remembers repeats of single items."""

    def __init__(self, parsed: ParsedReturn) -> None:
        self._parsed = parsed
        self._repeats: dict[str, list[int]] = {}

    def add(self, record: WorkerRecord, item: str, value: str, record_number: int) -> None:
        if item in REPEATED_WORKER_ITEMS:
            values = record.setdefault(item, [])
            assert isinstance(values, list)
            values.append(value)
        elif item in record:
            self.note_repeat(item, record_number)
        else:
            record[item] = value

    def note_repeat(self, item: str, record_number: int) -> None:
        """A single-valued item given again in the same record: the first value stays."""
        self._repeats.setdefault(item, []).append(record_number)

    def finish(self) -> None:
        """Record one note per single-valued item that was given more than once."""
        for item, records in self._repeats.items():
            self._parsed.notes.append(
                LoadNote(
                    f"item {item} is given more than once in {len(set(records))} record(s) "
                    f"(first: record {records[0]}); only its first value was landed",
                    record_number=records[0],
                    item=item,
                )
            )
