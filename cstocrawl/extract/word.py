"""Text of a .docx as a reader sees it: headers, body, notes, footers, with list labels.

The package is read straight from the zip with lxml: the main part its relationships name, and
the parts that part relates to, each parsed only when the text needs it (numbering, styles,
headers, footers, notes); Strict namespaces are renamed to transitional ones. python-docx, which
parses every part of the package first (three quarters of the time on a typical file,
docs/benchmarks.md), is asked only when that finds no main document part. The text itself is read
from the XML, because python-docx skips content controls, text boxes, tracked insertions, notes
and list labels.
"""

from __future__ import annotations

import io
import logging
import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

import docx
from docx.opc.part import Part, XmlPart
from lxml import etree

from cstocrawl.extract.numbering import ListCounter, read_definitions, read_style_lists
from cstocrawl.extract.ooxml import MATH_NS, MC_NS, R_NS, STRICT_TO_TRANSITIONAL, w
from cstocrawl.extract.result import ExtractionError
from cstocrawl.extract.safety import out_of_memory, parse_xml, read_zip

logger = logging.getLogger(__name__)

_P, _TBL, _TR, _TC, _T = w("p"), w("tbl"), w("tr"), w("tc"), w("t")
_TXBX = w("txbxContent")
_R_ID = f"{{{R_NS}}}id"
_SPACES = {w("tab"), w("ptab"), w("br"), w("cr")}
# Deleted or duplicate content, and properties that never hold text.
_SKIP = {
    w("del"), w("moveFrom"), w("pPr"), w("rPr"), w("sdtPr"), w("instrText"), w("delText"),
    w("trPr"), w("tblPr"), w("tcPr"), f"{{{MC_NS}}}Fallback",
}  # fmt: skip
# Elements that wrap rows or cells without changing them.
_WRAPPERS = {w("sdt"), w("sdtContent"), w("customXml"), w("ins"), w("moveTo")}
_TEXT = {_T, f"{{{MATH_NS}}}t"}
_NOTE_KINDS = {"separator", "continuationSeparator", "continuationNotice"}
_HEADER_ORDER = {"first": 0, "default": 1, "even": 2}

Loader = Callable[[], "etree._Element | None"]


@dataclass(frozen=True)
class _Package:
    """The main document and its related parts (loaded on demand), by relationship id."""

    document: etree._Element
    rels: dict[str, tuple[str, Loader]]  # rId -> (relationship type's last segment, loader)

    def part(self, rel_id: str | None) -> etree._Element | None:
        return self.rels[rel_id][1]() if rel_id in self.rels else None

    def part_of_kind(self, kind: str) -> etree._Element | None:
        return next((load() for k, load in self.rels.values() if k == kind), None)


def docx_lines(data: bytes, *, max_uncompressed: int, max_members: int) -> Iterator[str]:
    """The document's lines in reading order; raises ExtractionError when it cannot be read."""
    members = read_zip(data, max_uncompressed=max_uncompressed, max_members=max_members)
    try:
        package = _open_with_lxml(members)
    except ExtractionError as error:
        try:
            package = _open_with_python_docx(data)
        except MemoryError:
            raise
        except Exception as refused:  # python-docx raises many types
            if out_of_memory(refused):
                raise MemoryError("python-docx parsing the package") from refused
            raise error from refused
    return _Reader(package).lines()


def _open_with_python_docx(data: bytes) -> _Package:
    document = docx.Document(io.BytesIO(data))
    rels = {
        rel_id: (rel.reltype.rsplit("/", 1)[-1], _python_docx_loader(rel.target_part))
        for rel_id, rel in document.part.rels.items()
        if not rel.is_external
    }
    return _Package(document.element, rels)


def _python_docx_loader(part: Part) -> Loader:
    # python-docx already parsed its XML parts, with entities off and the network off.
    if isinstance(part, XmlPart):
        return lambda: part.element
    return lambda: _to_transitional(parse_xml(part.blob, str(part.partname)))


def _open_with_lxml(members: dict[str, bytes]) -> _Package:
    main = _main_part_name(members)
    if main not in members:
        raise ExtractionError(f"not a valid docx: no main document part {main}")
    document = _load(members, main)
    if document is None:
        raise ExtractionError(f"not a valid docx: empty {main}")
    base, name = posixpath.split(main)
    rels: dict[str, tuple[str, Loader]] = {}
    for rel in _relationships(members, posixpath.join(base, "_rels", name + ".rels")):
        if rel.get("TargetMode") == "External":
            continue
        target = posixpath.normpath(posixpath.join(base, rel.get("Target", ""))).lstrip("/")
        rels[rel.get("Id", "")] = (
            rel.get("Type", "").rsplit("/", 1)[-1],
            partial(_load, members, target),
        )
    return _Package(document, rels)


def _main_part_name(members: dict[str, bytes]) -> str:
    for rel in _relationships(members, "_rels/.rels"):
        if rel.get("Type", "").endswith("/officeDocument"):
            return posixpath.normpath(rel.get("Target", "")).lstrip("/")
    return "word/document.xml"


def _relationships(members: dict[str, bytes], name: str) -> list[etree._Element]:
    root = _load(members, name)
    return [] if root is None else [rel for rel in root if isinstance(rel.tag, str)]


def _load(members: dict[str, bytes], name: str) -> etree._Element | None:
    """A part parsed safely, or None when the package lacks it (dangling relationships)."""
    data = members.get(name)
    return None if data is None else _to_transitional(parse_xml(data, name))


def _to_transitional(root: etree._Element) -> etree._Element:
    """Rename Strict-namespace elements and attributes to their transitional names in place."""
    if etree.QName(root).namespace in STRICT_TO_TRANSITIONAL.values():
        return root
    for element in root.iter(tag=etree.Element):
        qname = etree.QName(element)
        if qname.namespace in STRICT_TO_TRANSITIONAL:
            element.tag = f"{{{STRICT_TO_TRANSITIONAL[qname.namespace]}}}{qname.localname}"
        for key in list(element.attrib):
            attr = etree.QName(key)
            if attr.namespace in STRICT_TO_TRANSITIONAL:
                element.attrib[f"{{{STRICT_TO_TRANSITIONAL[attr.namespace]}}}{attr.localname}"] = (
                    element.attrib.pop(key)
                )
    return root


def collapse(text: str) -> str:
    """Whitespace runs (tabs, breaks, NBSP) to one space, ends stripped."""
    return " ".join(text.split())


class _Reader:
    def __init__(self, package: _Package) -> None:
        self._package = package
        self._definitions = read_definitions(package.part_of_kind("numbering"))
        self._style_lists = read_style_lists(package.part_of_kind("styles"))

    def lines(self) -> Iterator[str]:
        body = self._package.document.find(w("body"))
        header_ids, footer_ids = self._section_parts()
        yield from self._distinct(header_ids)
        if body is not None:
            yield from self._blocks(body, self._counter())
        for kind, tag in (("footnotes", "footnote"), ("endnotes", "endnote")):
            notes = self._package.part_of_kind(kind)
            if notes is not None:
                counter = self._counter()
                for note in notes.iterfind(w(tag)):
                    if note.get(w("type")) not in _NOTE_KINDS:
                        yield from self._blocks(note, counter)
        yield from self._distinct(footer_ids)

    def _counter(self) -> ListCounter:
        return ListCounter(self._definitions, self._style_lists)

    def _section_parts(self) -> tuple[list[str], list[str]]:
        """Header and footer relationship ids, section by section, first-page ones first."""
        headers: list[str] = []
        footers: list[str] = []
        for sect_pr in self._package.document.iter(w("sectPr")):
            for tag, ids in (("headerReference", headers), ("footerReference", footers)):
                refs = sorted(
                    sect_pr.iterfind(w(tag)),
                    key=lambda ref: _HEADER_ORDER.get(ref.get(w("type"), "default"), 1),
                )
                for ref in refs:
                    rel_id = ref.get(_R_ID)
                    if rel_id is not None and rel_id not in ids:  # no id: no part to read
                        ids.append(rel_id)
        return headers, footers

    def _distinct(self, rel_ids: list[str]) -> Iterator[str]:
        """Lines of each header (or footer) part whose text was not already given."""
        seen: set[tuple[str, ...]] = set()
        for rel_id in rel_ids:
            part = self._package.part(rel_id)
            lines = () if part is None else tuple(self._blocks(part, self._counter()))
            if lines and lines not in seen:
                seen.add(lines)
                yield from lines

    def _blocks(self, container: etree._Element, counter: ListCounter) -> Iterator[str]:
        """Paragraph and table lines of a block container, in document order."""
        for child in container:
            tag = child.tag
            if tag == _P:
                yield from self._paragraph(child, counter)
            elif tag == _TBL:
                yield from self._table(child, counter)
            elif tag not in _SKIP:
                yield from self._blocks(child, counter)

    def _paragraph(self, paragraph: etree._Element, counter: ListCounter) -> Iterator[str]:
        pieces: list[str] = []
        boxes: list[etree._Element] = []
        _inline(paragraph, pieces, boxes)
        text = collapse("".join(pieces))
        label = counter.label(paragraph.find(w("pPr")))
        if text:
            yield f"{label} {text}" if label else text
        for box in boxes:
            yield from self._blocks(box, counter)

    def _table(self, table: etree._Element, counter: ListCounter) -> Iterator[str]:
        """One line per row, cells joined by a tab; a cell's own lines flattened with spaces."""
        for row in _children(table, _TR):
            if row.find(f"{w('trPr')}/{w('del')}") is not None:
                continue
            cells = [
                collapse(" ".join(self._blocks(cell, counter))) for cell in _children(row, _TC)
            ]
            if any(cells):
                yield "\t".join(cells)


def _inline(element: etree._Element, pieces: list[str], boxes: list[etree._Element]) -> None:
    """Collect a paragraph's text; text boxes are set aside to follow the paragraph."""
    for child in element:
        tag = child.tag
        if tag in _TEXT:
            pieces.append(child.text or "")
        elif tag in _SPACES:
            pieces.append(" ")
        elif tag == _TXBX:
            boxes.append(child)
        elif tag not in _SKIP:
            _inline(child, pieces, boxes)


def _children(parent: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Children with `tag`, looking through content controls and tracked-change wrappers."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)
