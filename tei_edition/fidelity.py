"""Proof of fidelity: regenerate the source text from its TEI and compare it with the witness.

Every <lb n="N"/> says "source line N starts here", so the TEI can be read back line by line:
reading text, notes (each with its call), labels, residue (<fw>) and the source side of every
correction, in document order, with line-end hyphens restored. Editors' additions (corr, reg,
supplied, anything else with resp="#ed") are skipped; a <date> with resp="#ed" is source text whose
value (an inferred year, a calendar) the editors answer for, and is read. Each line's non-whitespace characters must equal
the source line's, in order; the first divergence is reported by source line and TEI line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from . import TEI_NS
from .diagnostics import EditionError
from .xmlsafe import line_col, parse_bytes, parse_file

T = "{%s}" % TEI_NS
_WS = re.compile(r"\s+")
_SKIP = {T + "corr", T + "reg", T + "supplied", T + "gap", T + "teiHeader"}
CALL_FORMS = {None: "{n}", "sup": "{n}", "bracket": "[{n}]", "paren": "({n})"}


@dataclass
class Regenerated:
    lines: dict[int, list[str]] = field(default_factory=dict)
    tei_line: dict[int, int] = field(default_factory=dict)   # source line -> TEI line of its <lb/>
    stray: list[tuple[int, str]] = field(default_factory=list)  # text outside any source line

    def text(self, n: int) -> str:
        return "".join(self.lines.get(n, ()))


@dataclass
class Report:
    doc: str
    source_chars: int
    matched_chars: int
    lines: int
    divergences: list[str]

    @property
    def ok(self) -> bool:
        return not self.divergences and self.matched_chars == self.source_chars

    @property
    def percent(self) -> float:
        return 100.0 * self.matched_chars / self.source_chars if self.source_chars else 100.0


_READ_WITH_RESP = {T + "date"}   # resp names who answers for the value, not who wrote the text


def _editorial(el: etree._Element) -> bool:
    return el.tag in _SKIP or ((el.get("resp") or "").startswith("#ed") and el.tag not in _READ_WITH_RESP)


def _tei_text(tree: etree._ElementTree) -> etree._Element:
    root = tree.getroot()
    text = root.find(T + "text")
    if text is None:
        where = f"{tree.docinfo.URL}:{root.sourceline or 1}"
        raise EditionError(f"{where}: <{etree.QName(root).localname}> holds no TEI <text> element: "
                           "nothing to compare with the source",
                           hint=f"the file must be a TEI document (<TEI xmlns=\"{TEI_NS}\"> with a <text>)")
    return text


def _line_number(lb: etree._Element) -> int:
    """The source line an <lb/> stands for; a missing or non-numeric @n is an error in the TEI."""
    n = lb.get("n")
    if n is None or not n.strip().isdigit():
        what = "lacks @n" if n is None else f"has n={n!r}, not a line number"
        raise EditionError(f"{lb.getroottree().docinfo.URL}:{lb.sourceline}: <lb/> {what}",
                           hint='every <lb/> in the text must give the source line it begins, e.g. <lb n="12"/>')
    return int(n)


def regenerate(tree: etree._ElementTree) -> Regenerated:
    out = Regenerated()
    text = _tei_text(tree)
    state = {"cur": None}

    def emit(s: str | None, where: etree._Element) -> None:
        if not s or not s.strip():
            return
        if state["cur"] is None:
            out.stray.append((where.sourceline or 0, s.strip()))
            return
        out.lines.setdefault(state["cur"], []).append(s)

    def walk(el: etree._Element) -> None:
        if not isinstance(el.tag, str) or _editorial(el):
            return
        if el.tag == T + "lb":
            if el.get("rend") == "hyphen":
                emit("-", el)
            n = _line_number(el)
            state["cur"] = n
            out.lines.setdefault(n, [])
            out.tei_line.setdefault(n, el.sourceline or 0)
            return
        if el.tag == T + "note":
            if el.get("subtype") != "call-missing" and el.get("n"):
                emit(CALL_FORMS.get(el.get("rend"), "{n}").format(n=el.get("n")), el)
            saved = state["cur"]
            emit(el.text, el)
            for child in el:
                walk(child)
                emit(child.tail, child)
            state["cur"] = saved
            return
        emit(el.text, el)
        for child in el:
            walk(child)
            emit(child.tail, child)

    walk(text)
    return out


# The largest witness is 1.5 MB; import and fidelity take about 0.7 s and 13 bytes of memory per source byte,
# so a file far beyond any witness (a wrong file, a runaway extraction) is refused instead of read.
MAX_SOURCE_BYTES = 16 * 1024 * 1024
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")   # characters XML 1.0 does not allow


def read_source(path: Path) -> str:
    """The witness text; a missing, huge, non-UTF-8 or empty witness is an error the user can fix."""
    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            raise EditionError(f"{path}: the source is {size / 2**20:.1f} MB; the toolkit reads witnesses up to "
                               f"{MAX_SOURCE_BYTES // 2**20} MB", hint="check that this is the right file; a witness "
                               "this long is better split into several documents (one profile each)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise EditionError(f"{path}: the source file does not exist",
                           hint="put the witness into sources/ under the name edition.toml gives it") from None
    except IsADirectoryError:
        raise EditionError(f"{path}: is a folder, not a source file", hint="check `source` in edition.toml") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = line_col(data, exc.start)
        raise EditionError(f"{path}:{line}:{col}: byte 0x{data[exc.start]:02x} is not UTF-8 (the source must be "
                           "UTF-8 text)", hint="convert it to UTF-8, e.g. iconv -f cp1251 -t utf-8 old.txt > new.txt") from None
    bad = _NOT_XML.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - text.rfind("\n", 0, bad.start())
        raise EditionError(f"{path}:{line}:{col}: control character U+{ord(bad.group()):04X} cannot stand in XML",
                           hint="remove it from the witness (a PDF extraction puts a form feed, U+000C, at each page "
                                "end: tr -d '\\f' removes them)")
    if not text.strip():
        raise EditionError(f"{path}: the source holds no text ({len(data)} bytes, all whitespace)" if data
                           else f"{path}: the source file is empty",
                           hint="the witness was truncated or replaced: restore it (sources/SHA256SUMS gives its checksum)")
    return text


def source_lines(path: Path) -> list[str]:
    return read_source(path).split("\n")


def compare(doc: str, tei_path: Path, source_path: Path, limit: int = 20, tei: bytes | None = None) -> Report:
    """Compare the TEI (the file, or `tei` bytes standing for it) with the source, line by line."""
    regen = regenerate(parse_bytes(tei, str(tei_path)) if tei is not None else parse_file(tei_path))
    src = source_lines(source_path)
    divergences: list[str] = []
    total = matched = 0
    for line_no, raw in enumerate(src, start=1):
        want = _WS.sub("", raw)
        got = _WS.sub("", regen.text(line_no))
        total += len(want)
        if want == got:
            matched += len(want)
            continue
        if want and line_no not in regen.lines:
            divergences.append(f"{source_path}:{line_no}: source line not encoded (no <lb n=\"{line_no}\"/>): {raw.strip()[:60]!r}")
            continue
        i = next((k for k, (a, b) in enumerate(zip(want, got)) if a != b), min(len(want), len(got)))
        matched += i
        divergences.append(
            f"{source_path}:{line_no}: {tei_path}:{regen.tei_line.get(line_no, 0)}: differs at non-whitespace character {i + 1}: "
            f"source {want[max(0, i - 15):i + 25]!r} vs TEI {got[max(0, i - 15):i + 25]!r}")
    for n in regen.lines:
        if n > len(src) or n < 1:
            divergences.append(f"{tei_path}:{regen.tei_line.get(n, 0)}: <lb n=\"{n}\"/> is beyond the source ({len(src)} lines)")
    for tei_line, s in regen.stray:
        divergences.append(f"{tei_path}:{tei_line}: text before the first <lb/>: {s[:60]!r}")
    return Report(doc, total, matched, len(src), divergences[:limit] if limit else divergences)


def render_source(tei_path: Path, n_lines: int) -> str:
    """The regenerated source, line by line (for diffing by hand)."""
    regen = regenerate(parse_file(tei_path))
    return "\n".join(_WS.sub(" ", regen.text(i)).strip() for i in range(1, n_lines + 1)) + "\n"
