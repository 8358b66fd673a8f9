"""Read a DfE CSWW XML return by streaming it (lxml ``iterparse``).

``Message`` > ``Header`` (optional; a second one rejects the file, and so does
an item given twice in it) > ``LALevelVacancies`` / ``LALevel`` (one; a second
rejects the file) > ``CSWWWorker`` (1..n). Each top-level element is processed when it ends and
then cleared, with the elements before it, so the XML tree is never held whole.
The file's worker records are held, though: their values are kept as columns of
text (:class:`~liia.load.parsed_return.WorkerColumns`) for one bulk insert, so
memory grows with the number of workers in the file. The parser never loads a
DTD, never resolves an entity and never touches the network; a file declaring a
DTD or entities has already been rejected by :mod:`liia.load.content_scan`
before it gets here.

Values are landed exactly as written (element text, ``''`` for an empty
element); a value is never judged here. Children that are not on the allow-list
are dropped and only their names kept, screened like a table's column names
(:func:`~liia.load.parsed_return.screened_item_name`): an element named like an
SWE number or a date is recorded as withheld.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from liia.csww_schema import ALL_LA_LEVEL_ITEMS, ALL_WORKER_ITEMS, REPEATED_WORKER_ITEMS
from liia.load.parsed_return import (
    FileRejected,
    LoadNote,
    ParsedReturn,
    RecordBuilder,
    WorkerRecord,
    redact,
    screened_item_name,
)

_ROOT = "Message"
_HEADER = "Header"
_WORKER = "CSWWWorker"
_LA_LEVEL_ELEMENTS = ("LALevelVacancies", "LALevel")
_TOP_LEVEL = (_HEADER, _WORKER, *_LA_LEVEL_ELEMENTS)
_SINGLE_WORKER_ITEMS = frozenset(ALL_WORKER_ITEMS) - REPEATED_WORKER_ITEMS
_LA_ITEMS = frozenset(ALL_LA_LEVEL_ITEMS)
_POSITION_SUFFIX = re.compile(r",? line \d+, column \d+\s*$")


def _drop(parsed: ParsedReturn, tag: str, parent: str) -> None:
    """Record a dropped element's name, withheld if it looks like a value."""
    parsed.dropped_items.add(screened_item_name(tag, f"element in {parent}"))


def _parser_events(path: Path) -> etree.iterparse:
    return etree.iterparse(
        str(path),
        events=("end",),
        tag=_TOP_LEVEL,
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


_HEADER_ITEMS = ("Collection", "Year", "ReferenceDate", "LEA")


def _read_header(element: etree._Element, parsed: ParsedReturn) -> None:
    """The header's items; each may be given once (a second one could hide the first)."""
    found: dict[str, str] = {}
    for item in _HEADER_ITEMS:
        elements = element.findall(f".//{item}")
        if len(elements) > 1:
            raise FileRejected(
                f"the Header gives {item} {len(elements)} times; exactly one is expected, "
                "so the file's origin or year cannot be trusted",
                item=item,
            )
        if elements:
            found[item] = elements[0].text or ""
    collection = found.get("Collection")
    if collection is not None and collection.strip().upper() != "CSWW":
        raise FileRejected(
            f"not a CSWW return: its header names collection {redact(collection, 40)!r}",
            item="Collection",
        )
    parsed.header_year = found.get("Year")
    parsed.header_reference_date = found.get("ReferenceDate")
    parsed.header_lea = found.get("LEA")
    if parsed.header_lea is not None:
        parsed.borough_claims.append(("header LEA", parsed.header_lea))


def _read_la_level(element: etree._Element, parsed: ParsedReturn) -> None:
    parsed.la_level_element = element.tag
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag in _LA_ITEMS:
            parsed.la_level_items_seen.add(tag)
            if parsed.la_level[tag] is None:
                parsed.la_level[tag] = child.text or ""
            else:
                parsed.notes.append(
                    LoadNote(
                        f"LA-level item {tag} is given more than once; only its first value "
                        "was landed",
                        item=tag,
                    )
                )
        else:
            _drop(parsed, tag, element.tag)


def _read_worker(
    element: etree._Element, parsed: ParsedReturn, builder: RecordBuilder, record_number: int
) -> WorkerRecord:
    record: WorkerRecord = {}
    for child in element:
        tag = child.tag
        if tag in _SINGLE_WORKER_ITEMS:
            if tag in record:
                builder.note_repeat(tag, record_number)
            else:
                record[tag] = child.text or ""
        elif tag in REPEATED_WORKER_ITEMS:
            values = record.get(tag)
            if values is None:
                record[tag] = [child.text or ""]
            else:
                values.append(child.text or "")  # type: ignore[union-attr]
        elif isinstance(tag, str):
            _drop(parsed, tag, _WORKER)
    return record


def _check_root(root: etree._Element) -> None:
    tag = root.tag
    if isinstance(tag, str) and tag.startswith("{"):
        raise FileRejected(
            "the return's elements are in an XML namespace; CSWW returns use none "
            f"(root element {redact(etree.QName(tag).localname, 60)!r})"
        )
    if tag != _ROOT:
        raise FileRejected(f"root element is {redact(str(tag), 60)!r}, expected {_ROOT!r}")


def _forget_before(element: etree._Element, parsed: ParsedReturn) -> None:
    """Free the element and every earlier sibling; note unexpected top-level names."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    while element.getprevious() is not None:
        previous = parent[0]
        if isinstance(previous.tag, str) and previous.tag not in _TOP_LEVEL:
            _drop(parsed, previous.tag, _ROOT)
        del parent[0]


def read_xml_return(path: Path) -> ParsedReturn:
    """Stream one XML return into a :class:`ParsedReturn`; raises :class:`FileRejected`."""
    parsed = ParsedReturn(file_format="xml")
    builder = RecordBuilder(parsed)
    workers = parsed.workers
    seen = parsed.worker_items_seen
    la_level_count = 0
    header_count = 0
    root: etree._Element | None = None
    events = _parser_events(path)
    try:
        for _, element in events:
            if root is None:
                root = element.getroottree().getroot()
                _check_root(root)
            parent = element.getparent()
            if parent is not root:
                continue  # a known name in the wrong place: part of its ancestor, not data
            tag = element.tag
            if tag == _WORKER:
                record = _read_worker(element, parsed, builder, workers.count + 1)
                seen.update(record)
                workers.append(record)
            elif tag == _HEADER:
                header_count += 1
                if header_count > 1:
                    raise FileRejected(
                        "the return has more than one Header element; at most one is expected "
                        "(a second header could hide the first one's borough and year)",
                        item=_HEADER,
                    )
                _read_header(element, parsed)
            else:
                la_level_count += 1
                if la_level_count > 1:
                    raise FileRejected(
                        f"the return has more than one LA-level element ({tag}); "
                        "exactly one is expected"
                    )
                _read_la_level(element, parsed)
            _forget_before(element, parsed)
    except etree.XMLSyntaxError as error:
        line, column = error.position
        detail = _POSITION_SUFFIX.sub("", error.msg or str(error))
        raise FileRejected(
            f"malformed XML at line {line}, column {column} (after {workers.count} complete "
            f"CSWWWorker records): {redact(detail)}",
            record_number=workers.count + 1,
        ) from None
    root = events.root if root is None else root
    if root is not None:
        _check_root(root)
        docinfo = root.getroottree().docinfo
        if docinfo.doctype or docinfo.internalDTD is not None:
            raise FileRejected("rejected as an XML entity/DTD trick: the file declares a DTD")
        for leftover in root:
            if isinstance(leftover.tag, str) and leftover.tag not in _TOP_LEVEL:
                _drop(parsed, leftover.tag, _ROOT)
    if workers.count == 0:
        raise FileRejected("the return has no CSWWWorker record", item=_WORKER)
    if la_level_count == 0:
        parsed.notes.append(
            LoadNote("the return has no LALevelVacancies/LALevel element", item="LALevel")
        )
    builder.finish()
    return parsed
