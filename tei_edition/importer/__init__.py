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
from ..fidelity import compare, source_lines
from ..xmlsafe import parse_bytes
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
        raise profile.error("layout", f"unknown layout {profile.layout!r}",
                            hint=f"use one of: {', '.join(sorted(LAYOUTS))}")
    # a profile copied from another document and not adapted would give wrong ids or read the wrong witness
    if profile.id != doc.id:
        raise profile.error("id", f"id = {profile.id!r}, but edition.toml imports this profile for {doc.id!r}",
                            hint=f'write id = "{doc.id}"')
    if profile.source != doc.source_path.name:
        raise profile.error("source", f"source = {profile.source!r}, but edition.toml gives {doc.id}'s witness "
                            f"as {doc.source_path.name!r}", hint=f'write source = "{doc.source_path.name}"')
    lines = source_lines(doc.source_path)     # refuses a missing, huge, empty or non-UTF-8 source
    common = config.sources_dir / "profiles" / "encodingDesc.xml"
    try:
        rec = parser(lines, profile)
        return write_tei(config, profile, doc.source_path, rec, common), rec
    except EditionError:
        raise
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, OSError, etree.LxmlError) as exc:
        # Last resort, so that the user gets a message, not a traceback: the profile and the source were
        # checked, so this is a profile value no check knows of yet, or a bug (then the place helps).
        raise EditionError(
            f"{doc.profile_path}: importing {doc.source_path.name} with the {profile.layout!r} layout failed: "
            f"{type(exc).__name__}: {exc}",
            hint=f"check the profile's values against sources/profiles/002.toml and the layout's docstring; if "
                 f"the profile is right, this is a bug in the importer ({_innermost(exc)}): please report it") from None


def _innermost(exc: BaseException) -> str:
    """file:line of the deepest frame of the toolkit in the exception's traceback."""
    where = "unknown place"
    tb = exc.__traceback__
    while tb is not None:
        path = Path(tb.tb_frame.f_code.co_filename)
        if "tei_edition" in path.parts:
            where = f"{'/'.join(path.parts[path.parts.index('tei_edition'):])}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


def counts(tei: bytes) -> dict[str, int]:
    """The report's figures, counted in one walk over <text> (a long witness makes a large tree)."""
    root = parse_bytes(tei, "imported TEI").getroot()
    c = dict.fromkeys(_FIGURES, 0)

    def walk(el: etree._Element, in_note: bool) -> None:
        for child in el:
            if not isinstance(child.tag, str):
                continue
            tag, get = child.tag, child.get
            if tag == T + "lb":
                c["source lines (lb)"] += 1
                c["joined words (soft hyphen dropped)"] += get("rend") == "hyphen"
                c["kept hyphens (real hyphen at line end)"] += get("break") == "no" and get("rend") is None
            elif tag == T + "pb":
                c["pages (pb)"] += 1
                c["pages with inferred number"] += get("type") == "inferred"
            elif tag == T + "note":
                if get("type") == "editorial":
                    c["editorial notes"] += 1
                else:
                    c["notes (all)"] += 1
                    c["note calls"] += get("subtype") != "call-missing"
                    c["notes with text missing"] += get("subtype") == "text-missing"
                    c["notes with call missing"] += get("subtype") == "call-missing"
            else:
                key = {T + "cb": "columns (cb)", T + "div": "divisions", T + "head": "headings",
                       T + "fw": "residue (fw)", T + "choice": "corrections (choice)"}.get(tag)
                if key:
                    c[key] += 1
                elif tag == T + "p" and not in_note:
                    c["paragraphs"] += 1
            walk(child, in_note or tag == T + "note")

    walk(root.find(T + "text"), False)
    return c


_FIGURES = ("source lines (lb)", "pages (pb)", "pages with inferred number", "columns (cb)", "divisions", "headings",
            "paragraphs", "notes (all)", "note calls", "notes with text missing", "notes with call missing",
            "joined words (soft hyphen dropped)", "kept hyphens (real hyphen at line end)", "residue (fw)",
            "corrections (choice)", "editorial notes")


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
                old.decode("utf-8", errors="replace").splitlines(keepends=True), tei.decode("utf-8").splitlines(keepends=True),
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
