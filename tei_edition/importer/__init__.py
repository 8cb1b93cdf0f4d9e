"""Import: raw source text -> neutral record (per-layout parser) -> TEI (one writer) -> report.

Deterministic: the same source and profile give the same bytes. A curated TEI file is never
overwritten silently: import shows a diff and needs force=True.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .. import TEI_NS
from ..config import Config
from ..corpus import Document
from ..diagnostics import EditionError
from ..fidelity import compare
from .parsers import LAYOUTS
from .profile import load_profile
from .record import Record
from .writer import write_tei

T = "{%s}" % TEI_NS


@dataclass
class ImportResult:
    doc: Document
    tei: bytes
    record: Record
    report: str
    written: bool
    diff: str


def convert(config: Config, doc: Document) -> tuple[bytes, Record]:
    profile = load_profile(doc.profile_path)
    parser = LAYOUTS.get(profile.layout)
    if parser is None:
        raise EditionError(f"{doc.profile_path}: unknown layout {profile.layout!r}",
                           hint=f"use one of: {', '.join(sorted(LAYOUTS))}")
    try:
        lines = doc.source_path.read_text(encoding="utf-8").split("\n")
    except UnicodeDecodeError as exc:
        raise EditionError(f"{doc.source_path}: byte {exc.start} is not UTF-8",
                           hint="convert the source to UTF-8 first (iconv)") from None
    rec = parser(lines, profile)
    common = config.sources_dir / "profiles" / "encodingDesc.xml"
    return write_tei(config, profile, doc.source_path, rec, common), rec


def counts(tei: bytes) -> dict[str, int]:
    root = etree.fromstring(tei, etree.XMLParser(resolve_entities=False, no_network=True))
    text = root.find(T + "text")

    def n(xpath: str) -> int:
        return int(text.xpath(f"count({xpath})", namespaces={"t": TEI_NS}))

    return {
        "source lines (lb)": n(".//t:lb"),
        "pages (pb)": n(".//t:pb"),
        "pages with inferred number": n(".//t:pb[@type='inferred']"),
        "columns (cb)": n(".//t:cb"),
        "divisions": n(".//t:div"),
        "headings": n(".//t:head"),
        "paragraphs": n(".//t:p[not(ancestor::t:note)]"),
        "notes (all)": n(".//t:note[not(@type='editorial')]"),
        "note calls": n(".//t:note[not(@type='editorial') and not(@subtype='call-missing')]"),
        "notes with text missing": n(".//t:note[@subtype='text-missing']"),
        "notes with call missing": n(".//t:note[@subtype='call-missing']"),
        "joined words (soft hyphen dropped)": n(".//t:lb[@rend='hyphen']"),
        "kept hyphens (real hyphen at line end)": n(".//t:lb[@break='no' and not(@rend)]"),
        "residue (fw)": n(".//t:fw"),
        "corrections (choice)": n(".//t:choice"),
        "editorial notes": n(".//t:note[@type='editorial']"),
    }


def report_text(doc: Document, tei: bytes, rec: Record) -> str:
    lines = [f"# Import report: {doc.id} ({doc.source_path.name})", ""]
    for key, value in counts(tei).items():
        lines.append(f"{key:42} {value}")
    for key, value in sorted(rec.counts.items()):
        lines.append(f"{key:42} {value}")
    lines += ["", f"## Decisions to review ({len(rec.decisions)})", ""]
    for d in sorted(rec.decisions, key=lambda d: (d.line, d.kind)):
        lines.append(f"line {d.line}: {d.kind}: {d.message}")
    return "\n".join(lines) + "\n"


def import_document(config: Config, doc: Document, force: bool = False, write_report: bool = True) -> ImportResult:
    tei, rec = convert(config, doc)
    report = report_text(doc, tei, rec)
    diff = ""
    written = False
    if doc.tei_path.exists():
        old = doc.tei_path.read_bytes()
        if old != tei:
            diff = "".join(difflib.unified_diff(
                old.decode("utf-8").splitlines(keepends=True), tei.decode("utf-8").splitlines(keepends=True),
                fromfile=f"{doc.tei_path} (curated)", tofile=f"{doc.tei_path} (imported)", n=1))
    if force or not doc.tei_path.exists():
        doc.tei_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = doc.tei_path.with_suffix(".xml.tmp")
        tmp.write_bytes(tei)
        tmp.replace(doc.tei_path)
        written = True
    fid = compare(doc.id, doc.tei_path, doc.source_path, tei=tei)
    report += f"\nFidelity: {fid.matched_chars}/{fid.source_chars} non-whitespace characters ({fid.percent:.2f}%)\n"
    report += "".join(f"  {d}\n" for d in fid.divergences)
    if write_report and (written or not diff):
        path = config.tei_dir / "reports" / f"{doc.id}.import.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(report, encoding="utf-8")
    return ImportResult(doc, tei, rec, report, written, diff)
