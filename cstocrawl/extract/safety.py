"""Reading untrusted zips and XML without letting a crafted file exhaust memory or the network."""

from __future__ import annotations

import io
import zipfile
import zlib

from lxml import etree

from cstocrawl.extract.result import ExtractionError

# Never expand entities, load DTDs or fetch anything; refuse pathologically deep/huge trees.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)

_ZIP_ERRORS = (zipfile.BadZipFile, OSError, EOFError, ValueError)
# libxml2's code for a failed allocation (lxml-stubs 0.5.1 has no ErrorTypes: Any without this).
_ERR_NO_MEMORY: int = etree.ErrorTypes.ERR_NO_MEMORY


def parse_xml(data: bytes, name: str) -> etree._Element:
    """Parse one package part with the safe parser."""
    try:
        return etree.fromstring(data, parser=_PARSER)
    except etree.XMLSyntaxError as error:
        if out_of_memory(error):
            raise MemoryError(f"parsing {name}") from error
        raise ExtractionError(f"malformed XML in {name}: {error}") from error


def out_of_memory(error: BaseException) -> bool:
    """libxml2 and zlib report a failed allocation (the worker's memory limit) as a syntax or
    data error; it must be reported as the memory limit, not as a broken file."""
    if isinstance(error, etree.XMLSyntaxError):
        code: int = error.code  # type: ignore[attr-defined]  # lxml-stubs 0.5.1 lacks it
        return code == _ERR_NO_MEMORY
    return isinstance(error, zlib.error) and "Error -4 " in str(error)  # Z_MEM_ERROR


def read_zip(data: bytes, *, max_uncompressed: int, max_members: int) -> dict[str, bytes]:
    """All members of a zip, refusing zip bombs before and while decompressing.

    The declared sizes are checked first; then each member is read with a bounded read, so a
    member whose header under-declares its size cannot push the total past the cap either
    (zipfile itself stops at the declared size, and the CRC check then fails).
    """
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as error:
        raise ExtractionError(f"not a valid docx: {error}") from error
    with package:
        infos = package.infolist()
        if len(infos) > max_members:
            raise ExtractionError(f"zip bomb: too many members ({len(infos)} > {max_members})")
        declared = sum(info.file_size for info in infos)
        if declared > max_uncompressed:
            raise ExtractionError(
                f"zip bomb: declared uncompressed size {declared} bytes > {max_uncompressed}"
            )
        members: dict[str, bytes] = {}
        budget = max_uncompressed
        for info in infos:
            if info.is_dir():
                continue
            try:  # RuntimeError: encrypted; NotImplementedError: unknown compression
                with package.open(info) as member:
                    content = member.read(budget + 1)
            except (*_ZIP_ERRORS, RuntimeError, NotImplementedError, zlib.error) as error:
                if out_of_memory(error):
                    raise MemoryError(f"inflating {info.filename}") from error
                raise ExtractionError(f"not a valid docx: {info.filename}: {error}") from error
            budget -= len(content)
            if budget < 0:
                raise ExtractionError(f"zip bomb: uncompressed size > {max_uncompressed} bytes")
            members[info.filename] = content
    return members
