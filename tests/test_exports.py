"""Exports for other archives: TEI (documents, plain flavour, teiCorpus, ZIP), plain text, register as
linked data, page metadata, stable addresses. On the real edition, written once per run."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tei_edition import TEI_NS
from tei_edition import config as config_mod
from tei_edition.corpus import apparatus_paths, register_paths


def corpus_registers(cfg):
    """The register and the apparatus's entries (bibliography, abbreviations, events) the documents point to."""
    return register_paths(cfg) + [p for p in apparatus_paths(cfg) if p.parent.name == "register"]
from tei_edition.diagnostics import EditionError
from tei_edition import archive
from tei_edition.corpus import read_facts
from tei_edition.exports import citations, linked_data, stable_links
from tei_edition.exports.metadata import page_metadata
from tei_edition.exports.tei_corpus import document_export, id_problems, serialize
from tei_edition.xmlsafe import parse_bytes, parse_file
from tests.test_exports_fixtures import ROOT, exported

pytestmark = pytest.mark.slow   # builds the edition or its exports (left out by `make test-fast`)

T = "{%s}" % TEI_NS
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
NS = {"t": TEI_NS}
DOCS = ["d002", "d000", "d003", "d001", "d004"]   # reading order of edition.toml


@pytest.fixture(scope="module")
def out() -> Path:
    return exported()[0]


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split())


# --- TEI ------------------------------------------------------------------------------------------

def test_every_tei_export_is_valid_against_tei_all(out, cfg):
    if not shutil.which("jing") or not cfg.tei_all_rng.is_file():
        pytest.skip("jing or .cache/tei/tei_all.rng missing (make test installs both)")
    files = [out / "data/tei" / f"{d}.xml" for d in DOCS] + [out / "data/tei-plain" / f"{d}.xml" for d in DOCS]
    files.append(out / "data/tei/corpus.xml")
    res = subprocess.run(["jing", str(cfg.tei_all_rng), *map(str, files)], capture_output=True, text=True)
    errors = [line for line in res.stdout.splitlines() if ": error:" in line]
    assert res.returncode == 0 and not errors, errors[:10]


def test_exports_and_the_corpus_add_no_project_schema_error(out, cfg, docs):
    """The exports (each document, the plain flavour, the teiCorpus) add no project-schema error to those of the
    curated TEI (while the schema did not declare refsDecl, that was the one allowed)."""
    rng = cfg.schema_dir / "edition.rng"
    if not shutil.which("jing") or not rng.is_file():
        pytest.skip("jing or tei/schema/edition.rng missing")

    def errors(paths):
        res = subprocess.run(["jing", str(rng), *map(str, paths)], capture_output=True, text=True)
        return [line.split(": error: ", 1)[1] for line in res.stdout.splitlines() if ": error: " in line]

    before = errors([docs[d].tei_path for d in DOCS])
    after = errors([out / "data/tei" / f"{d}.xml" for d in DOCS] + [out / "data/tei-plain" / f"{d}.xml" for d in DOCS])
    added = list(after)
    for e in before + before:                        # each curated error may show in both flavours
        if e in added:
            added.remove(e)
    allowed = 'element "refsDecl" not allowed anywhere'
    if "refsDecl" in rng.read_text(encoding="utf-8"):
        assert added == []
    else:
        assert [e for e in added if not e.startswith(allowed)] == [] and len(added) == 2 * len(DOCS)
    # the teiCorpus (corpus header, documents, register) adds no error of its own either
    curated = set(errors([docs[d].tei_path for d in DOCS] + register_paths(cfg)))
    assert [e for e in errors([out / "data/tei/corpus.xml"]) if e not in curated] == []


def test_document_export_is_the_curated_tei_with_its_citation_structure(out, docs):
    for doc_id in DOCS:
        exported_root = parse_file(out / "data/tei" / f"{doc_id}.xml").getroot()
        assert (out / "data/tei" / f"{doc_id}.xml").read_bytes() == serialize(exported_root)
        exported_root = document_export(docs[doc_id].tei_path)   # afresh: the TEI may be edited meanwhile
        refs = exported_root.find(f"{T}teiHeader/{T}encodingDesc/{T}refsDecl")
        assert refs is not None and refs.find(T + "citeStructure").get("match") == "/TEI/text/*/div"
        curated = parse_file(docs[doc_id].tei_path).getroot()
        strip = lambda r: [(e.tag, (e.text or "").strip(), dict(e.attrib)) for e in r.iter() if isinstance(e.tag, str)]
        assert strip(exported_root) == strip(curated), doc_id


def test_a_declared_citation_structure_is_kept():
    root = etree.fromstring(
        f'<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc/><encodingDesc><refsDecl>'
        '<citeStructure unit="chapter" match="/TEI/text/body/div" use="@n"/></refsDecl></encodingDesc></teiHeader>'
        '<text><body><div n="1"><p>a</p></div><div n="2"/></body></text></TEI>')
    assert citations.ensure_refs_decl(root) is False
    units = citations.citable_units(root)
    assert [(u.ref, u.cite_type, u.level) for u in units] == [("1", "chapter", 1), ("2", "chapter", 1)]


def test_a_citable_element_without_id_is_a_clear_error():
    root = etree.fromstring(f'<TEI xmlns="{TEI_NS}"><teiHeader/><text><body><div xml:id="x-div1">\n'
                            '<p xml:id="x-p1">a</p>\n<p>b</p></div></body></text></TEI>')
    with pytest.raises(EditionError) as exc:
        citations.citable_units(root, "x")
    assert "x:3:" in str(exc.value) and "xml:id" in str(exc.value)


def test_a_division_deeper_than_the_default_structure_is_reported():
    inner = '<p xml:id="x-p1">a</p>'
    for i in range(citations.MAX_DEPTH + 1, 0, -1):
        inner = f'<div xml:id="x-div{i}">{inner}</div>'
    root = etree.fromstring(f'<TEI xmlns="{TEI_NS}"><teiHeader/><text><body>{inner}</body></text></TEI>')
    with pytest.raises(EditionError) as exc:
        citations.citable_units(root, "x")
    assert f"'x-div{citations.MAX_DEPTH + 1}' is not reached" in str(exc.value)


def test_corpus_holds_header_documents_and_register_and_every_pointer_resolves(out, cfg):
    corpus = parse_file(out / "data/tei/corpus.xml").getroot()
    assert corpus.tag == T + "teiCorpus"
    header = corpus.find(T + "teiHeader")
    assert header.findtext(f"{T}fileDesc/{T}titleStmt/{T}title") == cfg.title
    assert header.find(f"{T}fileDesc/{T}publicationStmt/{T}availability/{T}licence").get("target") == cfg.licence_url
    ids = [t.get(XML_ID) for t in corpus.findall(T + "TEI")]
    registers = [parse_file(p).getroot().get(XML_ID) for p in corpus_registers(cfg)]
    assert ids == DOCS + registers
    assert id_problems(corpus) == []
    assert not [n for n in exported()[1].notes if "corpus.xml" in n]
    # "#ed" of every document resolves to the corpus header's statement of responsibility
    ed = corpus.xpath("//*[@xml:id='ed']")
    assert len(ed) == 1 and ed[0].tag == T + "respStmt" and ed[0].findtext(T + "name") == "Edition editorial team"
    pointers = corpus.xpath("//@ref[starts-with(., '#pers-') or starts-with(., '#org-') or starts-with(., '#place-')]")
    targets = set(corpus.xpath("//t:person/@xml:id|//t:org/@xml:id|//t:place/@xml:id", namespaces=NS))
    assert all(p[1:] in targets for p in pointers)


def test_id_problems_names_clashes_and_dangling_pointers():
    root = parse_bytes(f'<teiCorpus xmlns="{TEI_NS}"><TEI xml:id="a"/><TEI xml:id="a"/>'
                       '<name ref="#nobody"/></teiCorpus>'.encode(), "corpus.xml").getroot()
    problems = id_problems(root)
    assert any("xml:id 'a'" in p for p in problems) and any("'#nobody' points nowhere" in p for p in problems)


def test_plain_flavour_drops_project_specific_markup_and_keeps_ids(out):
    for doc_id in DOCS:
        plain = parse_file(out / "data/tei-plain" / f"{doc_id}.xml").getroot()
        full = parse_file(out / "data/tei" / f"{doc_id}.xml").getroot()
        text = plain.find(T + "text")
        assert not text.xpath(".//t:lb|.//t:fw[not(@type='caption' or @type='comment')]|.//t:seg[@type='source-editorial']|.//t:note[@rend]", namespaces=NS)
        assert plain.xpath("//t:text//@xml:id", namespaces=NS) == full.xpath("//t:text//@xml:id", namespaces=NS)
        explained = [p for p in plain.iterfind(f"{T}teiHeader/{T}encodingDesc/{T}editorialDecl/{T}p")
                     if "plain-TEI flavour" in _text(p)]
        assert len(explained) == 1
        assert plain.xpath("string(//t:revisionDesc/t:change[last()])", namespaces=NS).startswith("Plain-TEI flavour")
    d000 = parse_file(out / "data/tei-plain/d000.xml").getroot()
    p3 = d000.xpath("//t:p[@xml:id='d000-p3']", namespaces=NS)[0]
    assert _text(p3).startswith("На первый взгляд о революционных событиях, объединённых названием «Великая "
                                "Октябрьская социалистическая революция», написано очень много.")


def test_zip_holds_all_tei_with_a_manifest_that_matches(out, cfg):
    with zipfile.ZipFile(out / "data/edition-tei.zip") as z:
        names = z.namelist()
        folder = "coalition-edition-tei/"
        expected = {f"{folder}tei/{d}.xml" for d in DOCS} | {f"{folder}tei-plain/{d}.xml" for d in DOCS}
        expected |= {f"{folder}tei/corpus.xml", f"{folder}SHA256SUMS"}
        expected |= {f"{folder}register/{p.name}" for p in register_paths(cfg) + apparatus_paths(cfg)
                     if p.parent.name == "register"}                      # and the bibliography, abbreviations…
        expected |= {f"{folder}{n}" for n in ("README.txt", "LICENCE.txt")}        # tests/test_reuse.py
        expected |= {f"{folder}schema/edition.{n}" for n in ("odd", "compiled.odd", "rng", "sch")}
        assert set(names) == expected
        manifest = z.read(folder + "SHA256SUMS").decode().splitlines()
        assert len(manifest) == len(names) - 1
        for line in manifest:
            digest, name = line.split("  ")
            assert hashlib.sha256(z.read(folder + name)).hexdigest() == digest
        assert z.read(folder + "tei/d002.xml") == (out / "data/tei/d002.xml").read_bytes()


def test_data_manifest_checks_every_file(out):
    lines = (out / "data/SHA256SUMS").read_text().splitlines()
    listed = {}
    for line in lines:
        digest, name = line.split("  ")
        listed[name] = digest
    on_disk = {p.relative_to(out / "data").as_posix() for p in (out / "data").rglob("*")
               if p.is_file() and p.name != "SHA256SUMS"}
    assert set(listed) == on_disk
    assert all(hashlib.sha256((out / "data" / n).read_bytes()).hexdigest() == d for n, d in listed.items())


def test_zip_is_the_same_bytes_for_the_same_content(tmp_path):
    files = {"a.xml": b"<a/>", "b.xml": b"<b/>"}
    assert archive.write_zip(tmp_path / "1.zip", files, "x") == archive.write_zip(tmp_path / "2.zip", files, "x")


def test_a_long_member_is_deflated_in_chunks_an_edit_deflates_again_only_where_it_falls(tmp_path):
    """archive.deflate cuts a long member where its content says (chunk_ends), each chunk deflated with the
    32 KB before it as its dictionary: the stream inflates to the bytes, as a ZIP member (whole) and as a
    segment of one (final=False, joined by Spool.add_segments); after an insertion in the middle every
    chunk but the one or two it touches is taken from the last member (Reuse), and the bytes are the same
    as without it. A short member is one stream, as before."""
    import random
    import zlib
    rng = random.Random(19)
    words = ["<p>", "</p>\n", "<hi>", "</hi>", "революция ", "κόμμα ", "coalition ", "1917 ", "Mensheviks "]
    text = "".join(rng.choice(words) for _ in range(180_000)).encode("utf-8")
    assert len(text) > 4 * archive.CHUNK_MIN
    whole = archive.deflate(text)
    assert zlib.decompress(whole.data, -15) == text and whole.crc == zlib.crc32(text) and whole.size == len(text)
    assert len(whole.chunks) >= 4 and sum(n for _, n in whole.chunks) + len(archive._FINAL_BLOCK) == len(whole.data)
    c = zlib.compressobj(archive.LEVEL, zlib.DEFLATED, -15)
    assert len(whole.data) < 1.01 * len(c.compress(text) + c.flush())   # compressed as well as one stream
    cut = len(text) // 2
    edited = text[:cut] + "вставка, inserted".encode("utf-8") + text[cut:]
    reuse = archive.Reuse([whole])
    again = archive.deflate(edited, reuse=reuse)
    assert again.data == archive.deflate(edited).data and zlib.decompress(again.data, -15) == edited
    assert reuse.taken >= len(again.chunks) - 2, (reuse.taken, len(again.chunks))
    assert {k for k, _ in whole.chunks} - {k for k, _ in again.chunks}     # (the edited chunk is new)

    spool = archive.Spool()                       # as a ZIP member, whole and as segments of one
    spool.add("whole.xml", whole)
    spool.add_segments("joined.xml", [(text[:1000], archive.deflate(text[:1000], final=False)),
                                      (edited, archive.deflate(edited, final=False, reuse=reuse))])
    spool.write(tmp_path / "t.zip", "x", None)
    with zipfile.ZipFile(tmp_path / "t.zip") as z:
        assert z.testzip() is None
        assert z.read("x/whole.xml") == text and z.read("x/joined.xml") == text[:1000] + edited

    short = b"<p>a short member</p>" * 100         # below CHUNKED: one stream, as zipfile writes it
    c = zlib.compressobj(archive.LEVEL, zlib.DEFLATED, -15)
    assert archive.deflate(short).data == c.compress(short) + c.flush() and archive.deflate(short).chunks == ()


def test_a_member_whose_content_offers_no_cut_is_cut_at_the_longest_chunk(monkeypatch):
    """Bytes that repeat one pattern hash alike at every candidate cut: after _CUT_TRIES candidates the chunk
    ends at CHUNK_MAX (not after a search through each of its ~390,000 candidates), and the stream is whole."""
    import zlib
    tried = []
    real = archive._CUT

    class Counted:
        def search(self, *args):
            tried.append(1)
            return real.search(*args)
    monkeypatch.setattr(archive, "_CUT", Counted())
    data = b">" * (3 * archive.CHUNK_MAX + 5)
    assert archive.chunk_ends(data) == [archive.CHUNK_MAX, 2 * archive.CHUNK_MAX, 3 * archive.CHUNK_MAX, len(data)]
    assert len(tried) < 3 * (archive.CHUNK_MAX - archive.CHUNK_MIN) // 10    # (each chunk offers 393,216 candidates)
    assert zlib.decompress(archive.deflate(data).data, -15) == data


def test_an_edit_of_a_long_document_deflates_its_zip_members_again_only_where_it_changed(cfg, tmp_path, monkeypatch):
    """A document's ZIP members (tei/, tei-plain/) and corpus segment are deflated from the chunks of its last
    part where unchanged (exports.parts.last_version): an edit of one paragraph of d003 (314 KB) compresses a
    chunk or two of each again; the part's members are the bytes a part made without the cache has."""
    import importlib
    from tei_edition.corpus import documents
    from tei_edition.exports.standalone import edition_entries
    from tei_edition.exports.tei_corpus import plain_explanation
    from tei_edition.synthetic import make_synthetic
    parts_mod = importlib.import_module("tei_edition.exports.parts")
    project = make_synthetic(cfg, tmp_path / "project", 1, only=["d003"]).root
    edition = config_mod.load(project)
    tei_path = project / "tei" / "d003.xml"
    reused: list[archive.Reuse] = []
    real = archive.Reuse.__init__
    monkeypatch.setattr(archive.Reuse, "__init__", lambda self, members=(): (real(self, members), reused.append(self))[0])

    def part(cache: bool):
        reused.clear()
        docs = [d.with_facts(read_facts(parse_file(d.tei_path).getroot())) for d in documents(edition)]
        [one] = parts_mod.parts(edition, docs, plain_explanation(edition), edition_entries(edition), cache=cache)
        return one
    first = part(True)
    chunks = sum(len(m.chunks) for m in [first.corpus_deflated, *first.members.values()])
    assert chunks >= 6 and sum(r.taken for r in reused) == 0          # nothing to take the first time
    text = tei_path.read_text(encoding="utf-8")
    start = text.index("<p ", len(text) // 2)
    start = text.index(">", start) + 1
    tei_path.write_text(text[:start] + "ИЗМЕНЕНО " + text[start:], encoding="utf-8")
    edited = part(True)
    taken = sum(r.taken for r in reused)
    assert chunks - 6 <= taken < chunks, (taken, chunks)   # all but a chunk or two of each of three members
    whole = part(False)
    assert edited.corpus_deflated == whole.corpus_deflated and edited.members == whole.members
    assert "ИЗМЕНЕНО".encode("utf-8") in zlib_inflate(edited.members["tei/d003.xml"].data)


def zlib_inflate(data: bytes) -> bytes:
    import zlib
    return zlib.decompress(data, -15)


# --- plain text -----------------------------------------------------------------------------------

def repeats(items, key) -> int:
    """How many of the editors' `items` repeat an earlier one word for word (`key`) in the same paragraph."""
    from collections import Counter
    blocks = ("p", "ab", "item", "cell", "head", "note", "lg")    # notes.xsl's e:series-key
    groups = Counter((next(a for a in i.iterancestors() if etree.QName(a).localname in blocks), key(i)) for i in items)
    return sum(n - 1 for n in groups.values())


def test_edited_text_joins_words_uses_corrections_and_lists_notes(out, docs):
    d000 = (out / "data/text/d000.edited.txt").read_text()
    assert ("На первый взгляд о революционных событиях, объединённых названием «Великая Октябрьская "
            "социалистическая революция», написано очень много.") in d000
    assert "неким буфером" in d000 and "неким буферов" not in d000       # corr, not sic
    d000_body, d000_notes = d000.split("\n\n\nNotes\n\n")
    # an editors' note has its letter as the page shows it, in the text and in the list
    assert "неким буфером[b]" in d000_body and "[b] Editors' note: буферов → буфером" in d000_notes
    d002 = (out / "data/text/d002.edited.txt").read_text()
    body, notes = d002.split("\n\n\nNotes\n\n")
    paragraphs = body.split("\n\n")[1:]
    assert len(paragraphs) == 4
    assert paragraphs[0].endswith("содействовать скорейшему свертыванию переговоров[13].")
    # the editors' remark the TEI repeats in each note: one note [a], listed after the first note that calls it
    assert [n.split("]")[0] + "]" for n in notes.splitlines()] == ["[13]", "[a]", "[14]", "[15]", "[16]", "[17]"]
    root = parse_file(docs["d003"].tei_path).getroot()
    top_notes = root.xpath("//t:text//t:note[not(ancestor::t:note or ancestor::t:fw)]", namespaces=NS)
    d003_body, d003_list = (out / "data/text/d003.edited.txt").read_text().split("\n\n\nNotes\n\n")
    d003_notes = d003_list.splitlines()
    # and the editors' series apart: their remarks inside notes, the notes on corrections the TEI gives none
    remarks = root.xpath("//t:text//t:note[ancestor::t:note][@type='editorial' or @resp]", namespaces=NS)
    targets = {t.lstrip("#") for t in root.xpath("//t:note/@target", namespaces=NS) for t in t.split()}
    silent = [c for c in root.xpath("//t:text//t:choice[t:sic or t:orig][not(.//t:note)]", namespaces=NS)
              if c.get("{http://www.w3.org/XML/1998/namespace}id") not in targets]
    # an editors' note repeated word for word in its paragraph is listed once (notes.xsl): the wrong name's
    # sixteen corrections share one in each of their seven paragraphs, the TEI's repeated remarks likewise
    shared = repeats(silent, lambda c: "".join(c.find(f"{T}sic").itertext())) + repeats(
        [n for n in top_notes if n.get("type") == "editorial" or n.get("resp")], lambda n: " ".join("".join(n.itertext()).split()))
    assert len(silent) == 17 and len(d003_notes) == len(top_notes) + len(remarks) + len(silent) - shared
    assert repeats(silent, lambda c: "".join(c.find(f"{T}sic").itertext())) == 16 - 7
    assert sum("Editors' note: The source reads: Georgy Chicherin." in n for n in d003_notes) == 7   # one a paragraph
    # a figure's caption stands alone between the blocks: a block of its own, its note called and listed
    assert "Κοσάροβα[a]" in d003_body and "Τσιτσέριν. A photograph of a session" in d003_body


def test_diplomatic_text_is_the_witness_without_residue(out, docs):
    def squash(s):
        return "".join(s.split())
    d002 = (out / "data/text/d002.diplomatic.txt").read_text().splitlines()
    witness = [line for line in docs["d002"].source_path.read_text(encoding="utf-8").split("\n") if line.strip()]
    assert [squash(x) for x in d002] == [squash(x) for x in witness]
    d000 = (out / "data/text/d000.diplomatic.txt").read_text().splitlines()
    at = d000.index("событиях, объединённых названи-")
    assert d000[at + 1] == "ем «Великая Октябрьская социали-"
    d003 = (out / "data/text/d003.diplomatic.txt").read_text()
    root = parse_file(docs["d003"].tei_path).getroot()
    residue = [_text(fw) for fw in root.iter(T + "fw") if fw.get("type") in ("web", "caption", "comment")]
    assert residue and not any(r in " ".join(d003.split()) for r in residue)


# --- register as linked data ----------------------------------------------------------------------

FIXTURE = f"""<TEI xmlns="{TEI_NS}" xml:id="register-persons"><teiHeader/><text><body>
<listPerson>
  <person xml:id="pers-lenin">
    <persName type="preferred" xml:lang="en">Vladimir Lenin</persName>
    <persName type="variant" xml:lang="ru">Ленин</persName>
    <persName type="sic" xml:lang="ru">Ленинн</persName>
    <birth when="1870-04-22"/><death when="1924-01-21"/>
    <idno type="wikidata">Q1394</idno><idno type="viaf">64005025</idno><idno type="gnd">118571249</idno>
    <affiliation ref="#org-bolsheviks"/>
    <note type="identification">Bolshevik leader.</note>
  </person>
  <person xml:id="pers-nobody"><persName>Н. Н.</persName></person>
</listPerson>
<listOrg><org xml:id="org-bolsheviks"><orgName type="preferred" xml:lang="en">Bolsheviks</orgName>
  <idno type="wikidata">Q59646</idno></org></listOrg>
<listPlace><place xml:id="place-petrograd"><placeName type="preferred" xml:lang="en">Petrograd</placeName></place></listPlace>
</body></text></TEI>"""


def _rdf(path: Path):
    """The JSON-LD parsed by rdflib (offline: the file's context is inline)."""
    import warnings

    import rdflib
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)   # rdflib's own use of ConjunctiveGraph
        return rdflib.Graph().parse(path, format="json-ld")


@pytest.fixture
def fixture_register(tmp_path) -> Path:
    path = tmp_path / "persons.xml"
    path.write_text(FIXTURE, encoding="utf-8")
    return path


def test_the_linked_data_come_from_the_cache_while_the_register_is_unchanged(fixture_register, cfg, tmp_path):
    from tei_edition.cache import Cache
    store = Cache(tmp_path / "cache")
    (tmp_path / "cache").mkdir()
    stamp = "2026-11-23T00:00:00Z"
    first = {p.name: p.read_bytes() for p in linked_data.write_linked_data(cfg, [fixture_register], tmp_path / "a",
                                                                           stamp, store)}
    again = {p.name: p.read_bytes() for p in linked_data.write_linked_data(cfg, [fixture_register], tmp_path / "b",
                                                                           stamp, store)}
    assert store.misses == ["linked-data"] and store.hits == ["linked-data"] and again == first
    fixture_register.write_text(FIXTURE.replace("Ленин", "Ульянов"), encoding="utf-8")
    changed = {p.name: p.read_bytes() for p in linked_data.write_linked_data(cfg, [fixture_register], tmp_path / "c",
                                                                             stamp, store)}
    assert store.misses == ["linked-data", "linked-data"] and "Ульянов" in changed["register.csv"].decode()


def test_register_fixture_to_csv_jsonld_beacon(fixture_register, cfg, tmp_path):
    import rdflib
    files = linked_data.write_linked_data(cfg, [fixture_register], tmp_path, "2026-11-23T00:00:00Z")
    folder = tmp_path / "data/register"
    rows = list(csv.DictReader(io.StringIO((folder / "register.csv").read_text())))
    assert [r["id"] for r in rows] == ["pers-lenin", "pers-nobody", "org-bolsheviks", "place-petrograd"]
    assert rows[0]["other_names"] == "Ленин@ru" and rows[0]["wikidata"] == "Q1394" and rows[0]["gnd"] == "118571249"
    g = _rdf(folder / "register.jsonld")
    S = rdflib.Namespace("https://schema.org/")
    lenin = rdflib.URIRef(cfg.base_url + "register/pers-lenin.html")
    assert (lenin, rdflib.RDF.type, S.Person) in g
    assert set(g.objects(lenin, S.sameAs)) == {rdflib.URIRef("http://www.wikidata.org/entity/Q1394"),
                                               rdflib.URIRef("http://viaf.org/viaf/64005025"),
                                               rdflib.URIRef("https://d-nb.info/gnd/118571249")}
    assert rdflib.Literal("Ленин", lang="ru") in set(g.objects(lenin, S.alternateName))
    assert (lenin, S.affiliation, rdflib.URIRef(cfg.base_url + "register/org-bolsheviks.html")) in g
    assert len(set(g.subjects(rdflib.RDF.type, S.Organization))) == 1
    assert len(set(g.subjects(rdflib.RDF.type, S.Place))) == 1
    beacon = (folder / "beacon-wikidata.txt").read_text().splitlines()
    assert beacon[0] == "#FORMAT: BEACON" and "#PREFIX: http://www.wikidata.org/entity/" in beacon
    assert [line for line in beacon if not line.startswith("#")] == ["Q1394||pers-lenin", "Q59646||org-bolsheviks"]
    assert len(files) == 6          # the CSV, its CSVW metadata (rights, columns), the JSON-LD, three BEACON files


def test_a_malformed_authority_id_is_reported_with_its_line(fixture_register, cfg):
    fixture_register.write_text(FIXTURE.replace("<idno type=\"viaf\">64005025", "<idno type=\"viaf\">viaf 640"),
                                encoding="utf-8")
    with pytest.raises(EditionError) as exc:
        linked_data.read_register([fixture_register])
    assert f"{fixture_register}:8:" in str(exc.value) and "not a viaf id" in str(exc.value)


def test_real_register_as_linked_data(out, cfg):
    import rdflib
    paths = register_paths(cfg)
    if not paths:
        pytest.skip("no register files yet")
    kinds = {"person": 0, "org": 0, "place": 0}
    for p in paths:
        root = parse_file(p).getroot()
        for k in kinds:
            kinds[k] += len(root.findall(f".//{T}{k}"))
    g = _rdf(out / "data/register/register.jsonld")
    S = rdflib.Namespace("https://schema.org/")
    assert len(set(g.subjects(rdflib.RDF.type, S.Person))) == kinds["person"]
    assert len(set(g.subjects(rdflib.RDF.type, S.Organization))) == kinds["org"]
    assert len(set(g.subjects(rdflib.RDF.type, S.Place))) == kinds["place"]
    rows = list(csv.DictReader(io.StringIO((out / "data/register/register.csv").read_text())))
    assert len(rows) == sum(kinds.values())
    lenin = next(r for r in rows if r["id"] == "pers-lenin")
    assert lenin["name"] == "Vladimir Lenin" and "Ленин@ru" in lenin["other_names"].split(" | ")


# --- metadata for pages ---------------------------------------------------------------------------

def test_page_metadata_for_documents_and_divisions(cfg, docs):
    def doc(i):
        return docs[i].with_facts(read_facts(parse_file(docs[i].tei_path).getroot()))
    meta = page_metadata(cfg, doc("d003"))
    tags = [(m["name"], m["content"]) for m in meta["meta"]]
    assert ("citation_author", "Douds, Lara") in tags
    assert ("citation_public_url", cfg.base_url + "d003/") in tags
    assert ("DC.language", "el") in tags
    title = dict(tags)["citation_title"]
    assert title.startswith("«Η δικτατορία της δημοκρατίας»;")
    # the Greek translation the witness reproduces: a web page (its bibliography entry), translated by a body
    assert meta["jsonld"]["@type"] == "WebPage" and meta["jsonld"]["author"] == [
        {"@type": "Person", "name": "Lara Douds", "familyName": "Douds", "givenName": "Lara"}]
    assert meta["jsonld"]["translator"] == [{"@type": "Organization", "name": "elaliberta.gr"}]
    json.dumps(meta)                                           # plain data a template can write as it is
    anon = [(m["name"], m["content"]) for m in page_metadata(cfg, doc("d004"))["meta"]]
    assert not [t for t in anon if t[0] in ("citation_author", "citation_editor")]   # nobody known
    div = page_metadata(cfg, doc("d001"), "d001-div6", "Российские левые коммунисты после 1920 года")
    div_tags = dict((m["name"], m["content"]) for m in div["meta"])
    assert div_tags["citation_title"] == "Российские левые коммунисты после 1920 года"
    assert div_tags["citation_public_url"] == cfg.base_url + "id/d001-div6.html"
    assert div["jsonld"]["isPartOf"][0]["@id"] == cfg.base_url + "d001/"


# --- stable addresses -----------------------------------------------------------------------------

def test_stable_addresses_forward_to_the_page_that_holds_the_element(tmp_path):
    (tmp_path / "d009").mkdir()
    (tmp_path / "d009/index.html").write_text('<section id="d009-div1"><p id="d009-p1">a</p></section>')
    (tmp_path / "d009/d009-div2.html").write_text('<section id="d009-div2"><p id="d009-p2">b</p></section>')
    where = stable_links.locate_ids(tmp_path, ["d009"])
    assert where == {"d009-div1": "d009/index.html#d009-div1", "d009-p1": "d009/index.html#d009-p1",
                     "d009-div2": "d009/d009-div2.html#d009-div2", "d009-p2": "d009/d009-div2.html#d009-p2"}
    written = stable_links.write_stubs(tmp_path, ["d009-p2", "d009-p7"], where, "https://example.org/e/")
    assert [p.name for p in written] == ["d009-p2.html"]
    stub = written[0].read_text()
    assert 'content="0; url=../d009/d009-div2.html#d009-p2"' in stub
    assert '<link rel="canonical" href="https://example.org/e/d009/d009-div2.html#d009-p2">' in stub


def test_catalogue_lists_only_files_the_export_writes(out):
    from tei_edition.exports.catalogue import catalogue
    from tei_edition.register import load
    used = {i.type for e in load(register_paths(config_mod.load(ROOT))).values() for i in e.idnos}
    cat = catalogue(DOCS, used)         # as the downloads page asks: a BEACON file only for ids the register has
    hrefs = [i["href"] for i in cat["edition"] + cat["api"]] + [i["href"] for d in DOCS for i in cat["documents"][d]]
    beacons = len(set(linked_data.AUTHORITIES) & used)
    assert len(hrefs) == 9 + beacons + 1 + 4 * len(DOCS)
    assert [h for h in hrefs if not (out / h).is_file()] == []
    for name in ("edition.odd", "edition.compiled.odd", "edition.rng", "edition.sch"):   # the schema, downloadable
        assert (out / "data" / "schema" / name).read_bytes() == (ROOT / "tei" / "schema" / name).read_bytes()


def test_an_edit_makes_again_only_the_dts_passages_of_the_units_it_touched(cfg, tmp_path, monkeypatch):
    """A document's DTS passages are kept by the hash of what each is made from (dts.Passages, read from the
    part's entries in the exports' cache): after one word of a paragraph changes, only that paragraph's
    passage and those of the divisions holding it are made again, and every file of the part is what a
    part made without the cache has."""
    import importlib
    from tei_edition.corpus import documents
    from tei_edition.exports import dts
    from tei_edition.exports.standalone import edition_entries
    from tei_edition.exports.tei_corpus import plain_explanation
    from tei_edition.synthetic import make_synthetic
    parts_mod = importlib.import_module("tei_edition.exports.parts")   # (the package exports a function `parts`)
    project = make_synthetic(cfg, tmp_path / "project", 1, only=["d004"]).root
    edition = config_mod.load(project)
    tei_path = project / "tei" / "d004.xml"
    made: list[str] = []
    real = dts.passage
    monkeypatch.setattr(dts, "passage", lambda doc, unit, url="": (made.append(unit.ref), real(doc, unit, url))[1])
    navigated: list[str] = []                # the navigation responses, kept all at once while the units are
    real_navigation = dts.Api.navigation
    monkeypatch.setattr(dts.Api, "navigation", lambda self, doc, unit, down: (
        navigated.append(unit.ref if unit else ""), real_navigation(self, doc, unit, down))[1])

    def part(cache: bool):                         # as the build makes it (and stores it, with the cache)
        made.clear()
        navigated.clear()
        docs = [d.with_facts(read_facts(parse_file(d.tei_path).getroot())) for d in documents(edition)]
        [one] = parts_mod.parts(edition, docs, plain_explanation(edition), edition_entries(edition), cache=cache)
        return one
    first = part(True)
    units = list(made)
    assert len(units) > 10                                          # every passage made the first time
    tei_path.write_text(tei_path.read_text(encoding="utf-8") + "\n", encoding="utf-8")   # (a new key, same units)
    navigations = len(navigated)
    assert part(True).files == first.files and made == [] and navigated == []   # none made again

    text = tei_path.read_text(encoding="utf-8")
    start = text.index('<p xml:id="d004-p')
    word = next(w for w in text[start:text.index("</p>", start)].split() if w.isalpha() and len(w) > 4)
    tei_path.write_text(text[:start] + text[start:].replace(word, word + "ИЗМЕНЕНО", 1), encoding="utf-8")
    edited = part(True)
    again = list(made)
    assert 1 <= len(again) <= 4 and len(again) < len(units) // 4, again   # the paragraph and its divisions
    assert navigated == []
    whole = part(False)
    assert len(made) == len(units) and len(navigated) == navigations      # (without the cache: every one)
    assert edited.files == whole.files                              # and the same bytes
    assert any(word + "ИЗМЕНЕНО" in edited.files[f].decode() for f in edited.files if f.endswith(".xml")
               and "/document/" in f and f.count("/") > 3)

    text = tei_path.read_text(encoding="utf-8")                     # the document's title changed: its
    title_start = text.index(">", text.index('<title type="main"')) + 1          # navigation
    tei_path.write_text(text[:title_start] + "Новое " + text[title_start:], encoding="utf-8")   # responses made again
    retitled = part(True)
    assert (len(made), len(navigated)) == (len(units), navigations) and retitled.files == part(False).files

    from tei_edition.cache import Cache                             # a part an older toolkit stored (without
    store = Cache(project / ".cache" / "build" / "exports")          # its passages' hashes): all made again
    key, older = store.latest("d004")
    del older.__dict__["passage_keys"]
    store.put("d004", key, older)
    tei_path.write_text(tei_path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    remade = part(True)
    assert len(made) == len(units) and remade.files == part(False).files
