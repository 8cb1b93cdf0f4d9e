"""Starting an edition: `edition init FOLDER` writes a new edition that builds at once, and `edition add FILE…`
takes TEI documents encoded elsewhere into it, with no raw source (`edition import` stays the way in for raw texts).

A new edition gets the toolkit's schema (tei/schema: the ODD and what `edition schema` makes of it) as its strict
profile for the documents it will import, an edition.toml whose comments say what each key is, a README for its
editors, an empty register and an empty tei/. An added document is copied into tei/ as it is, with two
attributes set on its root where they are missing: the xml:id edition.toml knows it by, and xml:lang when its
header declares exactly one language. It is listed with `conformance = "tei"`: validated against TEI P5 and what
the toolkit needs, not against the edition's ODD (validate/conformance.py).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from . import TEI_NS, XML_NS
from .config import Config
from .diagnostics import EditionError
from .paths import CHECKOUT, TEMPLATES
from .xmlsafe import XMLProblem, parse_bytes

NEW_EDITION = TEMPLATES / "new-edition"          # edition.toml, README.md, tei/corpus-header.xml
SCHEMA_FILES = ("edition.odd", "edition.compiled.odd", "edition.rng", "edition.sch")
XML_ID = "{%s}id" % XML_NS
XML_LANG = "{%s}lang" % XML_NS
T = "{%s}" % TEI_NS
_NCNAME = re.compile(r"^[A-Za-z][\w-]*$")   # an id that is also a plain folder name of the site


def init(folder: Path, title: str | None = None) -> list[Path]:
    """Write a new edition into `folder` (absent or empty); the files written."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise EditionError(f"{folder}: exists and is not an empty folder",
                           hint="name a new folder: edition init my-edition")
    name = title or folder.resolve().name.replace("-", " ").replace("_", " ").strip().capitalize() or "New edition"
    written = []
    for src in sorted(p for p in NEW_EDITION.rglob("*") if p.is_file()):
        dest = folder / src.relative_to(NEW_EDITION)
        dest.parent.mkdir(parents=True, exist_ok=True)
        text = src.read_text(encoding="utf-8").replace("{{TITLE}}", name.replace('"', "'"))
        dest.write_text(text, encoding="utf-8")
        written.append(dest)
    schema = folder / "tei" / "schema"
    schema.mkdir(parents=True, exist_ok=True)
    for name_ in SCHEMA_FILES:           # the toolkit's profile, as `edition schema` wrote it
        shutil.copyfile(CHECKOUT / "tei" / "schema" / name_, schema / name_)
        written.append(schema / name_)
    for empty in ("tei/register", "sources/profiles"):
        (folder / empty).mkdir(parents=True, exist_ok=True)
    return written


@dataclass(frozen=True)
class Added:
    id: str
    path: Path
    changes: tuple[str, ...]        # what was set on the root, said to the user


def add(cfg: Config, files: list[Path], lang: str | None = None,
        refused: list[EditionError] | None = None) -> list[Added]:
    """Copy TEI documents from elsewhere into tei/ and list them in edition.toml (conformance = "tei"). A file
    that is no TEI document (or cannot be read) raises EditionError, nothing added; with `refused`, it is
    put there instead and the others are added (`edition add *.xml` in a folder holding other XML too)."""
    taken = {d.id for d in cfg.documents} | {d.tei for d in cfg.documents}
    prepared = []
    for path in files:
        try:
            tree, data = _tei_document(path)
        except EditionError as exc:
            if refused is None:
                raise
            refused.append(exc)
            continue
        root = tree.getroot()
        doc_id = _new_id(root.get(XML_ID), path.stem, taken)
        taken |= {doc_id, f"{doc_id}.xml"}
        changes: list[str] = []
        if root.get(XML_ID) != doc_id:
            changes.append(f'xml:id="{doc_id}" on <TEI>' + (f" (was {root.get(XML_ID)!r})" if root.get(XML_ID)
                                                              else ""))
            root.set(XML_ID, doc_id)
        if not root.get(XML_LANG):
            declared = [lg.get("ident") for lg in root.iterfind(f"{T}teiHeader/{T}profileDesc/{T}langUsage/"
                                                                f"{T}language") if lg.get("ident")]
            chosen = lang or (declared[0] if len(declared) == 1 else None)
            if chosen:
                root.set(XML_LANG, chosen)
                changes.append(f'xml:lang="{chosen}" on <TEI>' + ("" if lang else " (the one language of langUsage)"))
        out = etree.tostring(tree, encoding="UTF-8", xml_declaration=True) if changes else data
        prepared.append((doc_id, path, out, tuple(changes)))
    if not prepared:
        return []
    added = []
    cfg.tei_dir.mkdir(parents=True, exist_ok=True)
    entries = []
    for doc_id, path, out, done in prepared:
        target = cfg.tei_dir / f"{doc_id}.xml"
        if target.exists():
            raise EditionError(f"{target}: exists already", hint="remove it, or add the file under another name")
        target.write_bytes(out)
        added.append(Added(doc_id, target, done))
        entries.append(f'\n[[documents]]\nid = "{doc_id}"\ntei = "{doc_id}.xml"\n'
                       f'conformance = "tei"     # added from {path.name}: TEI P5 applies, not the edition\'s ODD\n')
    toml = cfg.root / "edition.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(_insert_documents(text, "".join(entries)), encoding="utf-8")
    return added


def _tei_document(path: Path) -> tuple[etree._ElementTree, bytes]:
    """A TEI document's tree and bytes; EditionError when the file cannot be read or is no TEI document."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EditionError(f"{path}: {exc.strerror or exc}", hint="name an existing TEI file") from None
    try:
        tree = parse_bytes(data, str(path))
    except XMLProblem as exc:
        raise EditionError(exc.diag.format(), hint="only well-formed XML can be added") from None
    q = etree.QName(tree.getroot())
    if (q.namespace, q.localname) != (TEI_NS, "TEI"):
        raise EditionError(f"{path}: not a TEI document: the root element is <{q.localname}> in "
                           f"{'namespace ' + q.namespace if q.namespace else 'no namespace'}",
                           hint=f'edition add takes TEI P5 documents, <TEI xmlns="{TEI_NS}">; convert this '
                                "one to TEI first (a teiCorpus: add its TEI documents one by one)")
    return tree, data


def _insert_documents(text: str, entries: str) -> str:
    """edition.toml with the new [[documents]] after the last one (or before the first other table, so a
    [print] table keeps its keys), its comments untouched."""
    lines = text.split("\n")
    tables = [i for i, ln in enumerate(lines) if re.match(r"^\s*\[", ln)]
    docs = [i for i in tables if re.match(r"^\s*\[\[\s*documents\s*\]\]", lines[i])]
    after = [i for i in tables if not re.match(r"^\s*\[\[\s*(documents|editors)\s*\]\]", lines[i])
             and (not docs or i > docs[-1])]
    if not after:
        return text.rstrip("\n") + "\n" + entries
    at = after[0]
    while at > 0 and lines[at - 1].lstrip().startswith("#"):    # a table's own comment stays with it
        at -= 1
    return "\n".join(lines[:at]).rstrip("\n") + "\n" + entries + "\n" + "\n".join(lines[at:])


def _new_id(own: str | None, stem: str, taken: set[str]) -> str:
    """The document's own xml:id when it is a usable, free one; else one made from the file name."""
    if own and _NCNAME.match(own) and own not in taken and f"{own}.xml" not in taken:
        return own
    base = re.sub(r"[^\w-]+", "-", stem).strip("-") or "doc"
    base = base if _NCNAME.match(base) else f"d-{base}"
    candidate, n = base, 2
    while candidate in taken or f"{candidate}.xml" in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate
