"""The one way the toolkit parses XML: no DTD loading, no entity expansion, no network.

A DOCTYPE that declares entities is refused before parsing, so nothing is fetched or expanded;
errors become Diagnostics with the parser's line and column.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from .diagnostics import Diagnostic

_DOCTYPE = re.compile(rb"<!DOCTYPE\b", re.I)
_ENTITY_DECL = re.compile(rb"<!ENTITY\b|\bSYSTEM\b|\bPUBLIC\b", re.I)


class XMLProblem(Exception):
    def __init__(self, diag: Diagnostic):
        super().__init__(diag.format())
        self.diag = diag


def parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_blank_text=False, collect_ids=False)


def _problem(path: str, line: int, col: int, message: str, rule: str, hint: str = "") -> XMLProblem:
    return XMLProblem(Diagnostic(path, line, col, "error", message, rule, hint))


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters, as editors and the XML parser count) of a byte offset."""
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    col = len(data[start:offset].decode("utf-8", errors="replace")) + 1
    return line, col


line_col = _line_col   # public: other readers (fidelity's source check) report byte offsets the same way


def parse_bytes(data: bytes, path: str) -> etree._ElementTree:
    """Parse XML bytes safely; raise XMLProblem with position and a hint on any failure."""
    if not data.strip():
        raise _problem(path, 1, 1, "the file is empty", "xml-empty", "an edition file must hold a TEI document")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(data, exc.start)
        raise _problem(path, line, col, f"byte 0x{data[exc.start]:02x} is not valid UTF-8", "xml-encoding",
                       "save the file as UTF-8 (e.g. iconv -f cp1251 -t utf-8)") from None
    doctype = _DOCTYPE.search(data)
    if doctype:
        end = data.find(b">", doctype.start())
        internal = data.find(b"]>", doctype.start())
        decl = data[doctype.start(): max(end, internal) + 2]
        line, col = _line_col(data, doctype.start())
        if _ENTITY_DECL.search(decl):
            raise _problem(path, line, col, "DOCTYPE with entity declarations or an external DTD is refused",
                           "xml-doctype", "remove the DOCTYPE: TEI needs none, and entities are never expanded")
    try:
        return etree.ElementTree(etree.fromstring(data, parser(), base_url=path))
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (exc.lineno or 1, 1)
        msg = re.sub(r", line \d+, column \d+$", "", exc.msg or str(exc))
        raise _problem(path, line or 1, col or 1, f"not well-formed XML: {msg}", "xml-syntax",
                       "fix the markup at this position") from None


def parse_file(path: Path | str) -> etree._ElementTree:
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise _problem(str(path), 0, 0, "no such file", "io-missing", "check the path") from None
    except IsADirectoryError:
        raise _problem(str(path), 0, 0, "is a folder, not a file", "io-missing", "name an XML file") from None
    return parse_bytes(data, str(path))
