"""WordprocessingML names shared by the .docx modules."""

from __future__ import annotations

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
MATH_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
# ISO 29500 Strict uses other URIs for the same vocabulary.
STRICT_TO_TRANSITIONAL = {
    "http://purl.oclc.org/ooxml/wordprocessingml/main": W_NS,
    "http://purl.oclc.org/ooxml/officeDocument/relationships": R_NS,
    "http://purl.oclc.org/ooxml/officeDocument/math": MATH_NS,
}

_PREFIXES = {"w": W_NS}


def w(name: str) -> str:
    """Clark notation of a w: element or attribute name."""
    return f"{{{W_NS}}}{name}"


def w_val(element: etree._Element, path: str) -> str | None:
    """The w:val of the first element at `path` (an lxml path using `w:`), if any."""
    found = element.find(path, _PREFIXES)
    return None if found is None else found.get(w("val"))
