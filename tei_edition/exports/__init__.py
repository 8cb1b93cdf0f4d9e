"""Exports for reuse by other archives, written into the built site (one call: `write_exports`).

  data/tei/dNNN.xml            each document as published (citation structure declared), standing on its
                               own: the register entries it points to in its <standOff> (standalone.py)
  data/tei/corpus.xml          the whole edition as one teiCorpus (corpus header, documents, register)
  data/tei-plain/dNNN.xml      the plain-TEI flavour (see tei/corpus-header.xml, xml:id="plain-tei")
  data/edition-tei.zip         all of the above, the register files, the ODD and schemas, README.txt and
                               LICENCE.txt (each file's rights), with SHA256SUMS inside
  data/text/dNNN.edited.txt    the edited text (the html stage's plain text, the same as downloads/dNNN.txt);
                               dNNN.diplomatic.txt: the witness line by line
  data/register/               register.csv, register.jsonld (schema.org), beacon-{wikidata,viaf,gnd}.txt
  data/schema/                 the ODD (edition.odd), as the TEI Stylesheets compile it (edition.compiled.odd),
                               and its RELAX NG and Schematron (edition.rng, edition.sch): tei/schema as committed
  data/SHA256SUMS              checksums of every file under data/
  api/dts/                     Distributed Text Services 1.0 as static files
  _headers, */.htaccess, data/hosting/nginx.conf   the media types and headers the files need (hosting.py)
  id/<xml:id>.html             stable addresses of divisions, paragraphs, notes (when the HTML pages exist)
  sitemap.xml                  every page of the site (when the HTML pages exist)

The URL scheme is in urls.py and docs/urls.md; the DTS layout in dts.py and docs/dts.md.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from .. import TEI_NS, XML_NS, archive, outputs
from ..cache import Cache, code_version, digest
from ..config import Config
from ..corpus import Document, Facts, apparatus_paths, read_facts, register_paths
from ..parallel import Engine
from ..paths import build_cache
from . import dts, hosting, linked_data, metadata, readme, sitemap, stable_links, standalone, urls
from .parts import (CODE, DocumentPart, EarlyParts, IdSummary, PartTask, compute_part, corpus_problems,
                    corpus_segment, id_summary, parts)
from .tei_corpus import corpus_header, plain_explanation, read_tei, serialize

SCHEMA_FILES = ("edition.odd", "edition.compiled.odd", "edition.rng", "edition.sch")
T = "{%s}" % TEI_NS
XML_LANG = "{%s}lang" % XML_NS


@dataclass
class ExportResult:
    files: int = 0                 # how many files were written, and their bytes (not their paths: an
    size_bytes: int = 0            # edition 100× this one writes most of a million)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def add(self, *paths: Path) -> None:
        for p in paths:
            self.files += 1
            try:
                self.size_bytes += os.stat(p).st_size
            except OSError:
                pass

    def size(self) -> int:
        return self.size_bytes

    def summary(self) -> str:
        text = f"exports: {self.files} files, {self.size() / 1024 / 1024:.1f} MB in {self.seconds:.1f} s"
        return "\n".join([text, *(f"  note: {n}" for n in self.notes)])


def write_exports(cfg: Config, site_dir: Path, docs: list[Document], edited_text: Callable[[str], bytes], *,
                  cache: bool = True, engine: Engine | None = None, early: EarlyParts | None = None) -> ExportResult:
    """Every export of the edition into site_dir (the built site, or any folder). `docs`: the documents
    with their facts, in edition order; `edited_text(id)`: a document's plain text (the html stage's).

    Documents are done one at a time (`parts.py`: from the cache when unchanged) and only their small
    summaries are kept; the edition-wide files (teiCorpus, ZIP, DTS collections, stable addresses) are
    assembled from those and from segments spooled to temporary files, so memory does not grow with
    the size of the documents. The documents' parts are made on `engine` (the build's workers), this
    process writing one while the next are made; those `early` started are taken from there."""
    start = time.perf_counter()
    result = ExportResult()
    data = site_dir / "data"
    reg_paths = register_paths(cfg)
    corpus_paths = reg_paths + [p for p in apparatus_paths(cfg) if p.parent.name == "register"]  # the documents'
    offered = [p for p in reg_paths + apparatus_paths(cfg) if p.parent.name == "register"]  # citations and dates
    store = Cache(build_cache(cfg.root, "exports"), enabled=cache)                         # point into the
    reg_files = register_files(cfg, corpus_paths, offered, store)                          # apparatus
    explanation = plain_explanation(cfg)
    spool = archive.Spool()                       # the ZIP's members, until every checksum is known
    segments = tempfile.TemporaryFile()           # the documents' corpus segments, until the header is known
    where_segment: list[tuple[int, int, int]] = []
    sums: dict[str, str] = {}
    done: list[DocumentPart] = []
    known = standalone.edition_entries(cfg, store)
    stamps = outputs.GroupStamps(store, "exports", site_dir)

    def remade(doc_id: str) -> dict[str, bytes]:  # an early part's files, made here (its process failed)
        doc = next(d for d in docs if d.id == doc_id)
        assert doc.facts is not None
        return compute_part(PartTask(cfg, doc_id, str(doc.tei_path), serialize(explanation), doc.facts, known,
                                     cache))[1].files

    def kept(doc_id: str, key: str) -> bool:      # an unchanged document's files: the last build's, unread
        linked = stamps.link(doc_id, key)
        if linked is not None:
            result.files += linked[0]
            result.size_bytes += linked[1]
        return linked is not None

    for part in parts(cfg, docs, explanation, known, cache=cache, engine=engine, kept=kept, early=early):
        if part.marks:                            # an early part: its unchanged files by their hashes
            write_marked(site_dir, part, early, remade)
        for rel, blob in part.files.items():      # TEI, plain TEI, diplomatic text, the document's DTS responses
            outputs.write_bytes(f"{site_dir}/{rel}", blob)   # (a string: thousands of Paths cost ~0.1 s)
        for size in (s for _, s in part.marks.values()) if part.marks else map(len, part.files.values()):
            result.files += 1
            result.size_bytes += size
        if part.files or part.marks:
            stamps.note(part.id, part.key, list(part.marks or part.files))
        text_path = f"{site_dir}/{urls.text_download(part.id, 'edited')}"
        if outputs.written_now(text_path):        # (the site's texts wrote it: the same bytes, not loaded again)
            result.add(Path(text_path))
        else:
            plain = edited_text(part.id)          # the html stage's plain text (its own cache)
            outputs.write_bytes(text_path, plain)
            result.files += 1
            result.size_bytes += len(plain)
        for name, member in part.members.items():
            spool.add(name, member)
        offset = segments.seek(0, 2)
        segments.write(part.corpus_segment + part.corpus_deflated.data)
        where_segment.append((offset, len(part.corpus_segment), len(part.corpus_deflated.data)))
        sums.update(part.sums)
        done.append(part.light())
    stamps.save()                                 # what each document's files are, for the next build

    # the corpus: header, documents, register files
    header = corpus_header(cfg, [], [d for p in done for d in p.publication_dates])
    problems = corpus_problems(header, done, reg_files.summaries)
    if problems:   # reported, not fatal: a register entry still being written must not stop the site
        result.notes.append(f"data/tei/corpus.xml: {len(problems)} clashing id(s) or pointer(s) that point nowhere "
                            f"(first: {problems[0]}); fix the TEI or the register")
    corpus_path = data / "tei" / "corpus.xml"
    corpus_sum = hashlib.sha256()

    def corpus_pieces() -> Iterator[tuple[bytes, archive.Member]]:
        prefix, suffix = corpus_frame(cfg, header)
        yield prefix, archive.deflate(prefix, final=False)
        for offset, raw_length, deflated_length in where_segment:
            segments.seek(offset)
            raw = segments.read(raw_length)
            yield raw, archive.Member(0, raw_length, segments.read(deflated_length))
        yield from reg_files.segments
        yield suffix, archive.deflate(suffix, final=False)

    def written(pieces: Iterator[tuple[bytes, archive.Member]]) -> Iterator[tuple[bytes, archive.Member]]:
        corpus_path.parent.mkdir(parents=True, exist_ok=True)
        corpus_path.unlink(missing_ok=True)       # a new file: never write through a link to the live site
        with corpus_path.open("wb") as out:
            for raw, deflated in pieces:
                out.write(raw)
                corpus_sum.update(raw)
                yield raw, deflated

    spool.add_segments("tei/corpus.xml", written(corpus_pieces()))
    segments.close()
    result.add(corpus_path)
    sums["tei/corpus.xml"] = corpus_sum.hexdigest()
    for name, member, sha in reg_files.members:     # register/ (its pointers across files made relative) and schema/
        spool.add(name, member)
        sums[name] = sha
    others = reg_files.others                       # the rights file by file, and what the archive is
    listed = [(p.id, p.facts) for p in done]
    texts = {"LICENCE.txt": readme.licence_text(cfg, listed, others,
                                                metadata.edition_rights(cfg, [p.facts for p in done])),
             "README.txt": readme.readme_text(cfg, listed, list(SCHEMA_FILES))}
    for name, text in texts.items():
        spool.add(name, archive.deflate(text.encode("utf-8")))
        sums[name] = archive.sha256(text.encode("utf-8"))
    spool.write(site_dir / urls.TEI_ZIP, f"{zip_folder(cfg)}-tei",
                "".join(f"{digest}  {name}\n" for name, digest in sorted(sums.items())))
    result.add(site_dir / urls.TEI_ZIP)

    # register as linked data
    whens = [p.latest_change for p in done if p.latest_change]
    stamp = (max(whens) if whens else "2026-01-01")[:10] + "T00:00:00Z"   # the same TEI gives the same files
    result.add(*linked_data.write_linked_data(cfg, reg_paths, site_dir, stamp,
                                              Cache(build_cache(cfg.root, "pages"), enabled=cache)))
    for name in SCHEMA_FILES:      # the schema as committed (a test keeps it what the ODD gives)
        outputs.write_bytes(data / "schema" / name, (cfg.schema_dir / name).read_bytes())
        result.add(data / "schema" / name)
    for rel, text in hosting.files(cfg).items():   # media types, CORS, Link headers
        outputs.write_text(site_dir / rel, text)
        result.add(site_dir / rel)
    checksums = archive.Checksums(store if cache else None, "sha256-data")   # (unchanged files: not read again)
    result.add(archive.write_manifest(data, checksums))
    checksums.save()

    # DTS: the collections (each document's own responses were written with its part)
    dts_docs = []
    for p in done:
        light = dts.DtsDocument(p.id, None, p.facts, [])
        light.tree = p.tree
        dts_docs.append(light)
    for rel, blob in dts.collection_files(dts.Api(cfg), dts_docs).items():
        outputs.write_bytes(site_dir / urls.DTS / rel, blob)
        result.files += 1
        result.size_bytes += len(blob)

    # stable addresses, from the HTML pages when they are there (a document's: kept while its pages are)
    links = outputs.GroupStamps(Cache(build_cache(cfg.root, "exports"), enabled=cache), "stable-links", site_dir)
    files, size, pages = stable_links.write_stable_links(site_dir, [(p.id, p.unit_ids) for p in done],
                                                         urls.absolute(cfg, ""), links)
    links.save()
    result.files, result.size_bytes = result.files + files, result.size_bytes + size
    if pages:
        outputs.write_text(site_dir / "sitemap.xml", sitemap.sitemap(cfg, site_dir))   # every page, for harvesters
        result.add(site_dir / "sitemap.xml")
    else:
        result.notes.append("no HTML reading pages in the output folder: id/ forwarding pages not written")
    result.seconds = time.perf_counter() - start
    return result


def write_marked(site_dir: Path, part: DocumentPart, early: EarlyParts | None,
                 remade: Callable[[str], dict[str, bytes]]) -> None:
    """The files of an early part that it sent by their hashes only (`DocumentPart.marks`): the previous
    build's where it wrote those bytes; the others' bytes read from the part its process stored (or, had it
    failed to, made here: `remade`), put into `part.files` (written with the changed ones)."""
    whole: dict[str, bytes] | None = None
    for rel, (mark, _) in part.marks.items():
        if rel in part.files or outputs.place(f"{site_dir}/{rel}", mark):
            continue
        if whole is None:
            whole = (early.files(part.id, part.key) if early is not None else None) or remade(part.id)
        part.files[rel] = whole[rel]


@dataclass
class RegisterFiles:
    """What the edition-wide exports take from the register, apparatus and schema files, a function of their
    bytes (cached under them: parsing, serialising and compressing them took 0.2 s of every edit)."""
    summaries: list[IdSummary]                       # id_summary of each file the corpus holds
    segments: list[tuple[bytes, archive.Member]]     # each as a segment of corpus.xml, raw and deflated
    members: list[tuple[str, archive.Member, str]]   # the ZIP's register/ and schema/ members, with sha256
    others: list[tuple[str, Facts]]                  # their rights (README/LICENCE)


def register_files(cfg: Config, corpus_paths: list[Path], offered: list[Path], store: Cache) -> RegisterFiles:
    schema = [cfg.schema_dir / name for name in SCHEMA_FILES]
    key = digest(code_version(*CODE), *(f"{p}\0".encode() + p.read_bytes() for p in [*corpus_paths, *offered, *schema]))
    kept = store.get("registers", key)
    if isinstance(kept, RegisterFiles):
        return kept
    registers = [read_tei(p) for p in corpus_paths]
    segments = [corpus_segment(r) for r in registers]
    where = {i: p.name for p in offered for i in standalone.own_ids(read_tei(p))}
    members = []
    for path in offered:    # a pointer into another register file names that file (they travel together)
        blob = standalone.cross_file_pointers(path.read_bytes(), str(path), where)
        members.append((f"register/{path.name}", archive.deflate(blob), archive.sha256(blob)))
    for path in schema:
        blob = path.read_bytes()
        members.append((f"schema/{path.name}", archive.deflate(blob), archive.sha256(blob)))
    others = [(f"register/{p.name}", read_facts(read_tei(p))) for p in offered]
    others.append(("schema/edition.odd, schema/edition.compiled.odd",
                   read_facts(read_tei(cfg.schema_dir / "edition.odd"))))
    found = RegisterFiles([id_summary(r) for r in registers],
                          [(raw, archive.deflate(raw, final=False)) for raw in segments], members, others)
    store.put("registers", key, found)
    return found


def zip_folder(cfg: Config) -> str:
    """The name of the folder inside the ZIP of all TEI: the last segment of the edition's address
    (edition.toml base_url, "https://example.org/my-edition/" → "my-edition"), else its short title, as a
    file name."""
    segment = [p for p in urlsplit(cfg.base_url).path.split("/") if p][-1:] or [cfg.short_title or cfg.title]
    return re.sub(r"[^a-z0-9]+", "-", segment[0].lower()).strip("-") or "edition"


def corpus_frame(cfg: Config, header: etree._Element) -> tuple[bytes, bytes]:
    """corpus.xml up to the end of its header, and its end, as lxml writes a teiCorpus holding them."""
    corpus = etree.Element(T + "teiCorpus", {XML_LANG: cfg.apparatus_language}, nsmap={None: TEI_NS})
    corpus.append(header)
    etree.indent(header, space="  ", level=1)
    text = serialize(corpus)
    end = text.rindex(b"</teiCorpus>")
    return text[:end], text[end:]
