"""The one way the toolkit parses XML: no DTD loading, no entity expansion, no network.

Only a bare `<!DOCTYPE name>` may stand in the prolog: one with an external id (SYSTEM/PUBLIC) or an
internal subset is refused before parsing, so nothing is fetched, read or expanded (the prolog is scanned
past comments and PIs, which a plain search could be fooled by). The parsed tree is checked again, because
Saxon, which gets documents after us, would load an external DTD and expand entities itself.
Errors become Diagnostics with the parser's line and column.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from .diagnostics import Diagnostic

_PROLOG_SKIP = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.S)
_DOCTYPE = re.compile(rb"<!DOCTYPE\b", re.I)
_BARE_DOCTYPE = re.compile(rb"<!DOCTYPE\s+[^\s\[\]>]+\s*(?:\[\s*\]\s*)?>", re.I)
_ENTITY_DECL = re.compile(rb"<!ENTITY\b|\bSYSTEM\b|\bPUBLIC\b", re.I)
# Levels of element nesting any file may have (the edition's deepest file has 11). Every stage must read
# what validate passes: Saxon's parser stops at 100 levels (jdk.xml.maxElementDepth) and WeasyPrint lays
# out nested boxes recursively; 64 leaves them a margin. libxml2 itself stops at 256.
MAX_DEPTH = 64
_DEEPER = etree.XPath("(/*" + "/*" * MAX_DEPTH + ")[1]")      # the first element one level too deep
_DEPTH_HINT = ("flatten the markup: TEI rarely needs more than a dozen levels (e.g. one <hi> with several "
               "values in @rend instead of <hi> inside <hi>)")


class XMLProblem(Exception):
    def __init__(self, diag: Diagnostic):
        super().__init__(diag.format())
        self.diag = diag


def parser() -> etree.XMLParser:
    # encoding fixed: the bytes were checked as UTF-8, and a declared "UTF-7" must not let the parser read
    # a DOCTYPE that the check above did not see
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_blank_text=False, collect_ids=False, encoding="utf-8")


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
    _refuse_doctype(data, path)
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser(), base_url=path))
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (exc.lineno or 1, 1)
        msg = re.sub(r", line \d+, column \d+$", "", exc.msg or str(exc))
        if msg.startswith("Excessive depth in document"):      # libxml2's own limit, said as ours
            raise _problem(path, line or 1, col or 1, "elements nested more than 256 deep; the edition reads at "
                           f"most {MAX_DEPTH} levels of nesting", "xml-depth", _DEPTH_HINT) from None
        raise _problem(path, line or 1, col or 1, f"not well-formed XML: {msg}", "xml-syntax",
                       "fix the markup at this position") from None
    _refuse_depth(tree, data, path)
    info = tree.docinfo
    if info.system_url or info.public_id or info.externalDTD is not None or (
            info.internalDTD is not None and (list(info.internalDTD.iterelements()) or list(info.internalDTD.entities()))):
        match = _DOCTYPE.search(data)
        line, col = _line_col(data, match.start()) if match else (1, 1)
        raise _doctype_problem(path, line, col, "DOCTYPE with entity declarations or an external DTD is refused")
    return tree


def _refuse_depth(tree: etree._ElementTree, data: bytes, path: str) -> None:
    """One nesting limit for every reader, said where it is first passed (line, and column of the tag)."""
    deeper = _DEEPER(tree)
    if not deeper:
        return
    el = deeper[0]
    name = etree.QName(el).localname
    line = el.sourceline or 1
    nth = 0                               # the how-many-th <name on its line it is
    for other in tree.iter(el.tag):
        if other is el:
            break
        nth += other.sourceline == line
    text = data.split(b"\n", line)[line - 1].decode("utf-8") if line <= data.count(b"\n") + 1 else ""
    starts = [m.start() for m in re.finditer(r"<(?:[\w.-]+:)?%s(?=[\s/>])" % re.escape(name), text)]
    col = starts[nth] + 1 if nth < len(starts) else 1
    raise _problem(path, line, col, f"<{name}> stands {MAX_DEPTH + 1} elements deep; the edition reads at most "
                   f"{MAX_DEPTH} levels of nesting", "xml-depth", _DEPTH_HINT)


def _doctype_problem(path: str, line: int, col: int, message: str) -> XMLProblem:
    return _problem(path, line, col, message, "xml-doctype",
                    "remove the DOCTYPE: TEI needs none, and entities are never expanded")


def _refuse_doctype(data: bytes, path: str) -> None:
    """Refuse, before any parsing, a DOCTYPE in the prolog that is more than `<!DOCTYPE name>`."""
    pos = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    while (m := _PROLOG_SKIP.match(data, pos)) and m.end() > pos:
        pos = m.end()
    if not _DOCTYPE.match(data, pos) or _BARE_DOCTYPE.match(data, pos):
        return
    line, col = _line_col(data, pos)
    end = data.find(b"]>", pos) if b"[" in data[pos: data.find(b">", pos)] else data.find(b">", pos)
    if _ENTITY_DECL.search(data[pos: end + 2 if end > 0 else len(data)]):
        raise _doctype_problem(path, line, col, "DOCTYPE with entity declarations or an external DTD is refused")
    raise _doctype_problem(path, line, col, "DOCTYPE with declarations (an internal DTD subset) is refused")


def parse_file(path: Path | str) -> etree._ElementTree:
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise _problem(str(path), 0, 0, "no such file", "io-missing", "check the path") from None
    except IsADirectoryError:
        raise _problem(str(path), 0, 0, "is a folder, not a file", "io-missing", "name an XML file") from None
    return parse_bytes(data, str(path))
