"""Exports for reuse by other archives, written into the built site (one call: `write_exports`).

  data/tei/dNNN.xml            each document as published (citation structure declared)
  data/tei/corpus.xml          the whole edition as one teiCorpus (corpus header, documents, register)
  data/tei-plain/dNNN.xml      the plain-TEI flavour (see tei/corpus-header.xml, xml:id="plain-tei")
  data/edition-tei.zip         all of the above and the register files, with SHA256SUMS inside
  data/text/dNNN.edited.txt    edited reading text;  dNNN.diplomatic.txt: the witness line by line
  data/register/               register.csv, register.jsonld (schema.org), beacon-{wikidata,viaf,gnd}.txt
  data/SHA256SUMS              checksums of every file under data/
  api/dts/                     Distributed Text Services 1.0 as static files
  id/<xml:id>.html             stable addresses of divisions, paragraphs, notes (when the HTML pages exist)

The URL scheme is in urls.py and docs/urls.md; the DTS layout in dts.py and docs/dts.md.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Config
from ..corpus import documents, register_paths
from . import archive, dts, linked_data, plaintext, stable_links, urls
from .citations import all_units, citable_units
from .metadata import read_meta
from .tei_corpus import (build_corpus, document_export, id_problems, plain_explanation, plain_flavour, read_tei,
                         serialize)

NOTE_ID = re.compile(r"d\d{3}-n\d+")


@dataclass
class ExportResult:
    files: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def size(self) -> int:
        return sum(p.stat().st_size for p in self.files if p.exists())

    def summary(self) -> str:
        text = f"exports: {len(self.files)} files, {self.size() / 1024 / 1024:.1f} MB in {self.seconds:.1f} s"
        return "\n".join([text, *(f"  note: {n}" for n in self.notes)])


def _write(path: Path, data: bytes | str, result: ExportResult) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    result.files.append(path)


def write_exports(cfg: Config, site_dir: Path) -> ExportResult:
    """Every export of the edition into site_dir (the built site, or any folder)."""
    start = time.perf_counter()
    result = ExportResult()
    data = site_dir / "data"
    present = [d for d in documents(cfg) if d.tei_path.is_file()]
    roots = {d.id: document_export(d.tei_path) for d in present}
    reg_paths = register_paths(cfg)
    registers = [read_tei(p) for p in reg_paths]

    # TEI: each document, the plain flavour, the corpus, the ZIP
    tei_bytes = {doc_id: serialize(root) for doc_id, root in roots.items()}
    explanation = plain_explanation(cfg)
    plain_bytes = {doc_id: serialize(plain_flavour(root, explanation)) for doc_id, root in roots.items()}
    corpus = build_corpus(cfg, list(roots.values()), registers)
    problems = id_problems(corpus)
    if problems:   # reported, not fatal: a register entry still being written must not stop the site
        result.notes.append(f"data/tei/corpus.xml: {len(problems)} clashing id(s) or pointer(s) that point nowhere "
                            f"(first: {problems[0]}); fix the TEI or the register")
    corpus_bytes = serialize(corpus)
    for doc_id in roots:
        _write(data / urls.tei_download(doc_id).removeprefix("data/"), tei_bytes[doc_id], result)
        _write(data / urls.tei_download(doc_id, "plain").removeprefix("data/"), plain_bytes[doc_id], result)
    _write(data / "tei" / "corpus.xml", corpus_bytes, result)
    in_zip = {f"tei/{k}.xml": v for k, v in tei_bytes.items()}
    in_zip.update({f"tei-plain/{k}.xml": v for k, v in plain_bytes.items()})
    in_zip["tei/corpus.xml"] = corpus_bytes
    in_zip.update({f"register/{p.name}": p.read_bytes() for p in reg_paths})
    archive.write_zip(data / "edition-tei.zip", in_zip, "coalition-edition-tei")
    result.files.append(data / "edition-tei.zip")

    # plain text
    metas = {doc_id: read_meta(doc_id, root) for doc_id, root in roots.items()}
    for doc_id, root in roots.items():
        _write(data / urls.text_download(doc_id, "edited").removeprefix("data/"),
               plaintext.edited_text(root, metas[doc_id].title), result)
        _write(data / urls.text_download(doc_id, "diplomatic").removeprefix("data/"),
               plaintext.diplomatic_text(root), result)

    # register as linked data
    stamp = _timestamp(roots)
    result.files += linked_data.write_linked_data(cfg, reg_paths, site_dir, stamp)
    result.files.append(archive.write_manifest(data))

    # DTS
    dts_docs = [dts.DtsDocument(doc_id, root, metas[doc_id], citable_units(root, doc_id))
                for doc_id, root in roots.items()]
    result.files += dts.write_dts(cfg, dts_docs, site_dir / urls.DTS, tei_bytes)

    # stable addresses, from the HTML pages when they are there
    where = stable_links.locate_ids(site_dir, list(roots))
    if where:
        wanted = [u.xml_id for d in dts_docs for u in all_units(d.units) if u.xml_id]
        wanted += [n for n in where if NOTE_ID.fullmatch(n)]            # notes: dNNN-nN
        result.files += stable_links.write_stubs(site_dir, wanted, where, urls.absolute(cfg, ""))
    else:
        result.notes.append("no HTML reading pages in the output folder: id/ forwarding pages not written")
    result.seconds = time.perf_counter() - start
    return result


def _timestamp(roots: dict) -> str:
    """The latest change recorded in the documents' revisionDesc (so the same TEI gives the same files)."""
    from .. import TEI_NS
    whens = [c.get("when") for r in roots.values() for c in r.iter("{%s}change" % TEI_NS) if c.get("when")]
    return (max(whens) if whens else "2026-01-01")[:10] + "T00:00:00Z"
