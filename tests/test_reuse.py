"""Reuse by archives (#17): every machine-readable rights statement says what the TEI header says, file by
file; citation metadata that reference managers read (one author a tag, "Last, First"; the edition as the
book a document is a section of; the PDF); register entry pages about the entry; the ZIP's README, LICENCE
and schemas; BEACON files from the register's authority ids."""

from __future__ import annotations

import json
import re
import zipfile
from html import escape
from pathlib import Path

import pytest
import rispy
from lxml import etree
from pybtex.database import parse_string as pybtex_parse

from tei_edition import TEI_NS, register
from tei_edition.corpus import documents, read_facts, register_paths
from tei_edition.exports import linked_data
from tei_edition.exports.bibliography import BIBTEX_TYPE, CSL_TYPE, RIS_TYPE, Name, Work
from tei_edition.exports.metadata import document_rights, edition_metadata, page_metadata
from tei_edition.exports.source_citation import (SCHEMA_TYPE, citation_tags, cite_data, document_work,
                                                 write_document_citations)
from tei_edition.xmlsafe import parse_file
from tests.test_exports_fixtures import exported
from tests.zotero_embedded import zotero_item

T = "{%s}" % TEI_NS
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
DOCS = ["d002", "d000", "d003", "d001", "d004"]


def facts_of(path: Path):
    return read_facts(parse_file(path).getroot())


def header_rights(path: Path) -> tuple[str, str, str]:
    """What a header's availability says, read here independently of corpus.read_facts: the paragraphs
    beside the licence, the licence's words, its target."""
    avail = parse_file(path).getroot().find(f"{T}teiHeader/{T}fileDesc/{T}publicationStmt/{T}availability")
    words = lambda el: " ".join("".join(el.itertext()).split())
    lic = avail.find(T + "licence")
    return (" ".join(words(p) for p in avail.findall(T + "p")), words(lic) if lic is not None else "",
            lic.get("target", "") if lic is not None else "")


def with_facts(docs, doc_id):
    return docs[doc_id].with_facts(facts_of(docs[doc_id].tei_path))


# --- rights: unit level (no build) -----------------------------------------------------------------

def test_a_source_under_its_holders_rights_is_never_given_the_apparatus_licence(cfg, docs):
    for doc_id in DOCS:
        rights_p, licence_words, target = header_rights(docs[doc_id].tei_path)
        assert rights_p and target == cfg.licence_url            # every source text here has its holders
        rights = document_rights(facts_of(docs[doc_id].tei_path))
        assert rights.statement == f"{rights_p} {licence_words}" and rights.licence == ""
        assert rights.apparatus_licence == target
        meta = page_metadata(cfg, with_facts(docs, doc_id))
        tags = [(m["name"], m["content"]) for m in meta["meta"]]
        assert [c for n, c in tags if n == "DC.rights"] == [rights.statement]
        assert cfg.licence_url not in [c for n, c in tags if n != "DC.rights"]
        ld = meta["jsonld"]
        assert "license" not in ld and ld["copyrightNotice"] == rights.statement
        assert ld["hasPart"] == [{"@type": "CreativeWork", "name": "Encoding and editorial apparatus",
                                  "license": target}]
        assert all("license" not in e for e in ld["encoding"])


def test_a_header_that_names_no_other_rights_gives_its_licence_to_the_whole(tmp_path):
    tei = tmp_path / "free.xml"
    tei.write_text(f"""<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
      <publicationStmt><availability status="free"><licence target="https://creativecommons.org/licenses/by/4.0/">
      <p>CC BY 4.0</p></licence></availability></publicationStmt><sourceDesc><p>born digital</p></sourceDesc>
      </fileDesc></teiHeader><text><body><p>x</p></body></text></TEI>""", encoding="utf-8")
    rights = document_rights(facts_of(tei))
    assert rights.licence == "https://creativecommons.org/licenses/by/4.0/" and rights.statement == "CC BY 4.0"
    assert rights.schema_org() == {"license": rights.licence}
    assert rights.dublin_core("en") == {"rights": [{"lang": "en", "value": "CC BY 4.0"}], "license": rights.licence}


def test_the_edition_pages_state_the_edition_rights_not_a_licence_of_everything(cfg, docs):
    listed = [with_facts(docs, d) for d in DOCS]
    meta = edition_metadata(cfg, listed)
    tags = dict((m["name"], m["content"]) for m in meta["meta"])
    assert tags["DC.rights"] == " ".join(cfg.licence_text.split())
    assert "license" not in meta["jsonld"] and meta["jsonld"]["hasPart"][-1]["license"] == cfg.licence_url
    assert meta["jsonld"]["version"] == cfg.version != ""


# --- citation metadata ------------------------------------------------------------------------------

# What each text's source is, as its header points to its bibliography entry and that entry's type says
# (read from the TEI here, independently of the code); the types a reader expects of these five texts.
ZOTERO = {"article-journal": "journalArticle", "book": "book", "webpage": "webpage", "manuscript": "manuscript",
          "chapter": "bookSection"}
EXPECTED_TYPES = {"d000": "article-journal", "d001": "book", "d002": "book", "d003": "webpage", "d004": "manuscript"}


def source_entry(cfg, path: Path) -> etree._Element:
    """The biblStruct the header's sourceDesc points to: the translation the witness reproduces, else the original."""
    desc = parse_file(path).getroot().find(f"{T}teiHeader/{T}fileDesc/{T}sourceDesc")
    bibl = desc.find(f"{T}bibl[@type='translation']")
    bibl = bibl if bibl is not None else desc.find(f"{T}bibl[@type='original']")
    bib = parse_file(cfg.tei_dir / "register" / "bibliography.xml").getroot()
    (entry,) = bib.xpath("//t:biblStruct[@xml:id=$id]", namespaces={"t": TEI_NS}, id=bibl.get("corresp")[1:])
    return entry


def entry_names(entry: etree._Element, *paths: str) -> list[str]:
    return [" ".join("".join(e.itertext()).split()) for p in paths for e in entry.findall(p)]


def page_head(meta: dict) -> str:
    """A page's head as base.html writes it (one <meta name content> a tag)."""
    return "<html><head>" + "".join(f'<meta name="{escape(m["name"])}" content="{escape(m["content"])}">'
                                    for m in meta["meta"]) + "</head><body></body></html>"


def test_each_text_is_cited_as_the_work_its_header_points_to_and_zotero_reads_it_so(cfg, docs):
    """The item type of each text is its bibliography entry's type (the TEI decides), and Zotero's Embedded
    Metadata translator (tests/zotero_embedded.py, written from its code) saves that type, the work's title and
    container, one creator a tag: a person as last and first name, a body as one field, never split."""
    for doc_id, kind in EXPECTED_TYPES.items():
        entry = source_entry(cfg, docs[doc_id].tei_path)
        assert entry.get("type") == kind, doc_id
        meta = page_metadata(cfg, with_facts(docs, doc_id), pdf=True)
        item = zotero_item(page_head(meta))
        assert item["itemType"] == ZOTERO[kind], doc_id
        assert item["title"] == entry_names(entry, f"{T}analytic/{T}title", f"{T}monogr/{T}title")[0]
        authors = entry_names(entry, f"{T}analytic/{T}author", f"{T}monogr/{T}author")
        editors = entry_names(entry, f"{T}monogr/{T}editor[@role='compiler']", f"{T}monogr/{T}editor[@role='editor']")
        expected = [({"name": n} if ", " not in n else dict(zip(("lastName", "firstName"), n.split(", ", 1))))
                    | {"creatorType": role} for role, names in (("author", authors), ("editor", editors)) for n in names]
        got = [c if "name" not in c else c | {"name": c["name"]} for c in item["creators"]]
        # Zotero's cleanAuthor drops a full stop that ends a name ("А. И." is saved as "А. И")
        assert [c | ({"name": c["name"]} if "name" in c else {}) for c in got] == \
            [c | ({"name": c["name"].rstrip(".")} if "name" in c else {}) for c in expected], doc_id
        assert item["attachments"] == [{"title": "Full Text PDF", "url": f"{cfg.base_url}downloads/{doc_id}.pdf",
                                        "mimeType": "application/pdf"}]
        container = entry_names(entry, f"{T}monogr/{T}title")
        tags = [(m["name"], m["content"]) for m in meta["meta"]]
        if kind == "article-journal":
            assert item["publicationTitle"] == container[0]
        assert not any(n == "citation_inbook_title" for n, _ in tags)   # a text is no section of the edition
        assert meta["jsonld"]["@type"] == SCHEMA_TYPE[kind] and meta["jsonld"]["name"] == item["title"]
        assert meta["jsonld"]["isPartOf"][-1]["@id"] == cfg.base_url       # the page: held by the edition
    no_pdf = page_metadata(cfg, with_facts(docs, "d002"))
    assert "citation_pdf_url" not in [m["name"] for m in no_pdf["meta"]]
    division = page_metadata(cfg, with_facts(docs, "d001"), "d001-div6", "Heading", pdf=True)
    item = zotero_item(page_head(division))
    assert item["itemType"] == "bookSection" and item["title"] == "Heading"       # a section of the work
    assert item["publicationTitle"] == document_work(cfg, with_facts(docs, "d001")).title
    assert item["attachments"][0]["mimeType"] == "application/pdf"              # every reading page
    assert item["creators"] == [{"name": "Интернациональное коммунистическое течение (ИКТ)", "creatorType": "editor"}]


def test_the_parser_splits_plain_names_as_zotero_does():
    """The parser is Zotero's: a body's name given without a comma is split at its last space (what the
    pages did before), a lone tag with two words on both sides of its comma is two authors."""
    head = lambda *tags: "<html><head>" + "".join(f'<meta name="{n}" content="{c}">' for n, c in tags) + "</head></html>"
    item = zotero_item(head(("citation_title", "T"), ("citation_author", "Интернациональное коммунистическое течение (ИКТ)"),
                            ("DC.type", "Text")))
    assert item["creators"] == [{"firstName": "Интернациональное коммунистическое", "lastName": "течение (ИКТ)",
                                 "creatorType": "author"}]
    assert item["itemType"] == "journalArticle"             # citation_title alone: Zotero's guess
    item = zotero_item(head(("citation_author", "Van Ree, Erik Jan")))
    assert [c["lastName"] for c in item["creators"]] == ["Ree", "Jan"]
    work = Work(id="w", type="book", title="T", authors=[Name("Van Ree, Erik Jan")], editors=[Name("ИКТ")])
    tags = citation_tags(work)                   # what the edition writes for such a name: one person
    assert zotero_item(head(*tags))["creators"] == [
        {"firstName": "Erik Jan", "lastName": "Van Ree", "creatorType": "author"}, {"name": "ИКТ", "creatorType": "editor"}]
    assert zotero_item(head(("citation_book_title", "B")))["itemType"] == "webpage"   # og "book:title", not a section


def test_the_texts_citations_agree_in_every_format(cfg, docs, tmp_path):
    """data/citations/documents.{json,bib,ris}, the meta tags, schema.org and the cite action's styles give
    each text the same type and creators."""
    listed = [with_facts(docs, d) for d in DOCS]
    write_document_citations(cfg, listed, tmp_path)
    csl = {i["id"]: i for i in json.loads((tmp_path / "documents.json").read_text(encoding="utf-8"))}
    bib = pybtex_parse((tmp_path / "documents.bib").read_text(encoding="utf-8"), "bibtex").entries
    ris = {r["id"]: r for r in rispy.loads((tmp_path / "documents.ris").read_text(encoding="utf-8"))}
    for doc in listed:
        kind = EXPECTED_TYPES[doc.id]
        entry = source_entry(cfg, doc.tei_path)
        assert csl[doc.id]["type"] == CSL_TYPE[kind] and bib[doc.id].type == BIBTEX_TYPE[kind]
        assert ris[doc.id]["type_of_reference"] == RIS_TYPE[kind]
        assert csl[doc.id]["URL"] == f"{cfg.base_url}{doc.id}/"
        authors = entry_names(entry, f"{T}analytic/{T}author", f"{T}monogr/{T}author")
        assert [n.get("literal") or f"{n['family']}, {n['given']}" for n in csl[doc.id].get("author", [])] == authors
        assert ris[doc.id].get("authors", []) == authors
        cite = cite_data(cfg, doc)
        assert cite["work_bibtex"]["type"] == bib[doc.id].type
        fields = dict(cite["work_bibtex"]["fields"])
        assert fields.get("title") == bib[doc.id].fields["title"]
        assert [str(p) for p in bib[doc.id].persons.get("author", [])] == \
            [a for a in fields.get("author", "").split(" and ") if a]
        assert cite["work_chicago"].count(csl[doc.id]["title"]) == 1
        for name in authors:                   # Chicago names the first author inverted, as written
            assert cite["work_chicago"].startswith(name)


def test_a_register_entry_page_describes_the_entry(cfg):
    entries = register.load(register_paths(cfg))
    lenin = page_of = linked_data.entry_page_metadata(cfg, entries["pers-lenin"])
    assert lenin["jsonld"]["@type"] == "WebPage"
    person = page_of["jsonld"]["mainEntity"]
    assert person["@type"] == "Person" and person["@id"] == f"{cfg.base_url}register/pers-lenin.html"
    place = next(e for e in entries.values() if e.kind == "place" and any(i.type == "geonames" for i in e.idnos))
    node = linked_data.entry_page_metadata(cfg, place)["jsonld"]["mainEntity"]
    geonames = next(i.value for i in place.idnos if i.type == "geonames")
    assert node["@type"] == "Place" and {"@id": f"https://sws.geonames.org/{geonames}/"} in node["sameAs"]


# --- the exports of a build ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def out() -> Path:
    return exported()[0]


@pytest.mark.slow
def test_every_machine_readable_rights_statement_of_the_exports_says_what_its_header_says(out, cfg):
    with zipfile.ZipFile(out / "data/edition-tei.zip") as z:
        folder = z.namelist()[0].split("/")[0]
        licence = z.read(f"{folder}/LICENCE.txt").decode()
        names = set(z.namelist())
    blocks = {b.splitlines()[0]: b for b in licence.split("\n\n")}
    for doc_id in DOCS:
        rights_p, words, target = header_rights(out / f"data/tei/{doc_id}.xml")
        statement = f"{rights_p} {words}"
        dc = json.loads((out / f"api/dts/collection/{iri(doc_id)}.json").read_text())["dublinCore"]
        assert dc["rights"] == [{"lang": cfg.apparatus_language, "value": statement}] and "license" not in dc
        block = blocks[f"tei/{doc_id}.xml"]
        assert statement in " ".join(block.split()) and "whole file" not in block
        assert f"encoding and the editorial apparatus only: {target}" in block
    edition = json.loads((out / "api/dts/collection.json").read_text())["dublinCore"]
    assert "license" not in edition and edition["rights"][0]["value"] == " ".join(cfg.licence_text.split())
    for path in register_paths(cfg):                       # the register: CC BY for the whole, as its header says
        rights_p, words, target = header_rights(path)
        assert not rights_p and f"Licence of the whole file: {target}" in blocks[f"register/{path.name}"]
        assert f"register/{path.name}" in {n.split("/", 1)[1] for n in names}
    graph = json.loads((out / "data/register/register.jsonld").read_text())["@graph"]
    (dataset,) = [n for n in graph if n["@type"] == "Dataset"]
    assert dataset["license"] == header_rights(register_paths(cfg)[0])[2]
    csvw = json.loads((out / "data/register/register.csv-metadata.json").read_text())
    assert csvw["dc:license"] == {"@id": dataset["license"]} and csvw["url"] == "register.csv"


@pytest.mark.slow
def test_the_zip_carries_readme_licences_odd_and_schemas(out, cfg):
    with zipfile.ZipFile(out / "data/edition-tei.zip") as z:
        folder = z.namelist()[0].split("/")[0]
        names = {n.split("/", 1)[1] for n in z.namelist()}
        readme = z.read(f"{folder}/README.txt").decode()
        for name in ("edition.odd", "edition.compiled.odd", "edition.rng", "edition.sch"):
            assert z.read(f"{folder}/schema/{name}") == (cfg.schema_dir / name).read_bytes()
        sums = z.read(f"{folder}/SHA256SUMS").decode()
    assert {"README.txt", "LICENCE.txt", "SHA256SUMS"} <= names
    assert f"version {cfg.version}" in readme and cfg.base_url in readme
    for name in names - {"SHA256SUMS"}:
        assert f"  {name}\n" in sums, name


@pytest.mark.slow
def test_beacon_files_only_for_authorities_the_register_has_ids_of(out, cfg):
    entries = register.load(register_paths(cfg))
    geonames = {e.id: i.value for e in entries.values() for i in e.idnos if i.type == "geonames"}
    written = sorted(p.name for p in (out / "data/register").glob("beacon-*.txt"))
    used = sorted({i.type for e in entries.values() for i in e.idnos if i.type in linked_data.AUTHORITIES})
    assert written == [f"beacon-{a}.txt" for a in used]
    if geonames:
        lines = (out / "data/register/beacon-geonames.txt").read_text().splitlines()
        assert "#PREFIX: https://sws.geonames.org/" in lines
        assert sorted(x for x in lines if not x.startswith("#")) == sorted(f"{v}||{k}" for k, v in geonames.items())


# --- TEI that stands on its own ------------------------------------------------------------------------

def offered_tei(out: Path) -> dict[str, bytes]:
    """Every TEI file the site offers: the downloads, the ZIP's members, the DTS documents and passages."""
    files = {p.relative_to(out).as_posix(): p.read_bytes()
             for folder in ("data/tei", "data/tei-plain", "api/dts/document") for p in (out / folder).rglob("*.xml")}
    with zipfile.ZipFile(out / "data/edition-tei.zip") as z:
        files.update({f"zip:{n}": z.read(n) for n in z.namelist() if n.endswith(".xml")})
    return files


@pytest.mark.slow
def test_every_pointer_of_every_offered_tei_file_resolves_in_that_file(out):
    from tei_edition.exports.standalone import dangling
    from tei_edition.xmlsafe import parse_bytes
    files = offered_tei(out)
    pointers = unresolved = 0
    ids = {name: {el.get(XML_ID) for el in parse_bytes(blob, name).getroot().iter() if isinstance(el.tag, str)}
           for name, blob in files.items() if "/register/" in name}
    for name, blob in files.items():
        root = parse_bytes(blob, name).getroot()
        left = dangling(root)
        for el in root.iter():         # the ZIP's register files name each other: "organisations.xml#org-…"
            for value in el.attrib.values() if isinstance(el.tag, str) else ():
                for t in value.split():
                    if re.fullmatch(r"[\w-]+\.xml#\S+", t):
                        target = name.rsplit("/", 1)[0] + "/" + t.split("#")[0]
                        assert t.split("#")[1] in ids.get(target, set()), (name, t)
        pointers += sum(1 for el in root.iter() if isinstance(el.tag, str)
                        for v in el.attrib.values() for t in v.split() if t.startswith("#"))
        assert not left, f"{name}: {len(left)} pointer(s) to nothing in the file, e.g. {left[:3]}"
        unresolved += len(left)
    assert len(files) > 1500 and pointers > 10000
    print(f"\nself-contained TEI: {len(files)} offered files, {pointers} '#' pointers, {unresolved} unresolved")


@pytest.mark.slow
def test_a_downloaded_document_carries_the_register_entries_it_names(out, cfg):
    root = parse_file(out / "data/tei/d002.xml").getroot()
    stand_off = root.find(T + "standOff")
    assert stand_off is not None and stand_off.getprevious().tag == T + "text"
    lenin = stand_off.find(f"{T}listPerson/{T}person[@{{http://www.w3.org/XML/1998/namespace}}id='pers-lenin']")
    assert lenin is not None and lenin.find(f"{T}persName").text == "Vladimir Lenin"
    editors = root.findall(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}respStmt[@{{http://www.w3.org/XML/1998/namespace}}id]")
    assert [e.get("{http://www.w3.org/XML/1998/namespace}id") for e in editors] == ["ed", "import"]
    (edition,) = root.findall(f"{T}teiHeader/{T}fileDesc/{T}editionStmt/{T}edition")
    assert edition.get("n") == cfg.version
    corpus = parse_file(out / "data/tei/corpus.xml").getroot()        # the corpus holds the register once:
    doc_ids = {d.id for d in documents(cfg)}                           # no document carries a copy of it
    in_corpus = [t.get("{http://www.w3.org/XML/1998/namespace}id") for t in corpus.findall(f"{T}TEI")]
    assert doc_ids <= set(in_corpus)
    assert [i for i in in_corpus if i in doc_ids and corpus.find(f"{T}TEI[@{{http://www.w3.org/XML/1998/namespace}}id='{i}']/{T}standOff") is not None] == []


@pytest.mark.slow
def test_a_dts_passage_carries_a_header_with_title_source_and_rights(out):
    members = load(out / f"api/dts/navigation/{iri('d003')};down=-1.json")["member"]
    ref = [m["identifier"] for m in members if m["citeType"] == "p"][4]
    passage = parse_file(out / f"api/dts/document/{iri('d003')}/{ref}.xml").getroot()
    header = passage.find(T + "teiHeader")
    titles = header.findall(f"{T}fileDesc/{T}titleStmt/{T}title")
    assert titles[0].text.startswith("«Η δικτατορία") and titles[-1].text == f"Passage {ref} (p)"
    assert header.find(f"{T}fileDesc/{T}sourceDesc/{T}bibl[@type='original']") is not None
    assert header_rights(out / "data/tei/d003.xml")[0] in " ".join(
        "".join(header.find(f"{T}fileDesc/{T}publicationStmt/{T}availability").itertext()).split())


# --- DTS ------------------------------------------------------------------------------------------------

def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def iri(doc: str) -> str:
    """A document's one IRI in the DTS API (and the name of its files there)."""
    from tei_edition import config as config_mod
    from tei_edition.exports import urls
    return urls.resource_iri(config_mod.load(Path(__file__).resolve().parents[1]), doc)


@pytest.mark.slow
def test_every_down_a_client_may_ask_is_a_file(out):
    from tei_edition.exports.citations import all_units, citable_units
    api = out / "api/dts"
    for doc in DOCS:
        units = all_units(citable_units(parse_file(out / f"data/tei/{doc}.xml").getroot(), doc))
        depth = max(u.level for u in units)
        for down in [*range(1, depth + 1), -1]:
            members = load(api / f"navigation/{iri(doc)};down={down}.json")["member"]
            assert {m["level"] for m in members} == set(range(1, (depth if down == -1 else down) + 1)), (doc, down)
        by_ref = {u.ref: u for u in units}
        for u in units:
            for down in [0, *range(1, depth - u.level + 1), -1]:
                assert (api / f"navigation/{iri(doc)};down={down}/{u.ref}.json").is_file(), (doc, u.ref, down)
        unit = next(u for u in units if u.parent and len(by_ref[u.parent].children) > 1)
        siblings = load(api / f"navigation/{iri(doc)};down=0/{unit.ref}.json")["member"]
        assert [m["identifier"] for m in siblings] == [c.ref for c in by_ref[unit.parent].children]


@pytest.mark.slow
def test_hosting_configuration_gives_the_media_types(out, cfg):
    headers = (out / "_headers").read_text()
    assert "/coalition-edition/api/dts/*.json\n  Content-Type: application/ld+json" in headers
    assert "/coalition-edition/api/dts/document/*\n  Content-Type: application/tei+xml" in headers
    htaccess = (out / "api/dts/.htaccess").read_text()
    assert "AddType application/ld+json .json" in htaccess and "AddCharset utf-8 .json .xml" in htaccess and 'rel=\\"collection\\"' in htaccess
    nginx = (out / "data/hosting/nginx.conf").read_text()
    assert "location /coalition-edition/api/dts/ {" in nginx and "application/ld+json json" in nginx
    assert nginx.count("{") == nginx.count("}")


DAPYTAINS = Path(__file__).resolve().parents[1] / ".cache/dapytains/bin/python"


@pytest.mark.slow
def test_the_dts_reference_implementation_reads_the_same_tree_and_passages(out):
    import subprocess
    assert DAPYTAINS.is_file(), "the DTS reference implementation is missing: run `make setup` (.cache/dapytains)"
    args, asked = [], {}
    for doc in DOCS:
        members = load(out / f"api/dts/navigation/{iri(doc)};down=-1.json")["member"]
        quoted = [m["identifier"] for m in members if m["citeType"] == "p"][-1:]   # a paragraph, last
        asked[doc] = [members[0]["identifier"], *quoted]
        args.append(f"{out}/data/tei/{doc}.xml=" + ",".join(asked[doc]))
    run = subprocess.run([str(DAPYTAINS), str(Path(__file__).parent / "dts_reference.py"), *args],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    found = json.loads(run.stdout)
    for doc in DOCS:
        ours = [[m["identifier"], m["level"], m["parent"], m["citeType"]]
                for m in load(out / f"api/dts/navigation/{iri(doc)};down=-1.json")["member"]]
        theirs = found[f"{out}/data/tei/{doc}.xml"]
        assert theirs["tree"] == ours, doc                  # the same units, levels, parents and types
        for ref in asked[doc]:
            element = parse_file(out / f"api/dts/document/{iri(doc)}/{ref}.xml").getroot()[1][0]
            text = " ".join("".join(element.itertext()).split())
            assert text and text in theirs["passages"][ref], (doc, ref)


def test_sitemap_lists_every_page_but_the_forwarding_ones(cfg, tmp_path):
    from tei_edition.exports.sitemap import sitemap
    for rel in ("index.html", "d001/index.html", "d001/d001-div6.html", "register/pers-lenin.html",
                "id/d001-p3.html", "assets/x.html", "pagefind/y.html"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("<p>x</p>")
    from lxml import etree
    root = etree.fromstring(sitemap(cfg, tmp_path).encode())
    locs = [e.text for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs == [cfg.base_url, cfg.base_url + "d001/", cfg.base_url + "d001/d001-div6.html",
                    cfg.base_url + "register/pers-lenin.html"]


def test_version_and_identifier_are_said_where_set(cfg, docs):
    import dataclasses
    from tei_edition.exports.tei_corpus import corpus_header
    header = corpus_header(cfg, [], ["2026-12-01"])
    assert header.find(f"{T}fileDesc/{T}editionStmt/{T}edition").get("n") == cfg.version
    with_pid = dataclasses.replace(cfg, identifier="https://doi.org/10.5281/zenodo.1234567")
    meta = edition_metadata(with_pid, [with_facts(docs, d) for d in DOCS])
    assert meta["jsonld"]["identifier"] == with_pid.identifier
    assert ("citation_doi", with_pid.identifier) in [(m["name"], m["content"]) for m in meta["meta"]]
    pid = corpus_header(with_pid, [], ["2026-12-01"]).find(f"{T}fileDesc/{T}publicationStmt/{T}idno[@type='DOI']")
    assert pid.text == "10.5281/zenodo.1234567"
    assert "identifier" not in edition_metadata(cfg, [with_facts(docs, d) for d in DOCS])["jsonld"]   # unset: none
    doc = page_metadata(with_pid, with_facts(docs, "d002"))["jsonld"]
    assert doc["isPartOf"][-1]["identifier"] == with_pid.identifier and doc["isPartOf"][-1]["version"] == cfg.version


@pytest.mark.slow
def test_the_pdfa_carries_the_offered_tei_and_the_rights_in_its_xmp(cfg, docs, out, tmp_path):
    """The TEI attached to a PDF/A is the download (standing on its own), and its XMP dc:rights is the
    header's statement."""
    import subprocess
    from tei_edition import i18n
    from tei_edition.html.stage import render_documents
    from tei_edition.print import book
    strings = i18n.load("en")
    entries = register.load(register_paths(cfg))
    (build,) = render_documents(cfg, [docs["d002"]], strings, entries)
    printed = book.typeset("document", [book.prepare(build, strings, cfg)], book.Shell(cfg, strings, entries,
                                                                                       book.build_date()))
    book.write(printed, tmp_path / "d002.pdf", tmp_path / "d002a.pdf", "TEI source")
    subprocess.run(["pdfdetach", "-saveall", str(tmp_path / "d002a.pdf")], check=True,
                   cwd=tmp_path, capture_output=True)
    assert (tmp_path / "d002.xml").read_bytes() == (out / "data/tei/d002.xml").read_bytes()
    meta = subprocess.run(["pdfinfo", "-meta", str(tmp_path / "d002a.pdf")], capture_output=True, text=True).stdout
    rights = document_rights(facts_of(docs["d002"].tei_path)).statement
    assert "<dc:rights>" in meta and rights.replace("'", "&apos;")[:120] in meta.replace("&#39;", "&apos;")


@pytest.mark.slow
def test_nginx_serves_the_static_api_with_the_shipped_configuration(out, served, tmp_path):
    """nginx with data/hosting/nginx.conf, as a client asks: the IRI expanded (%3A), JSON-LD and TEI media
    types, CORS, the Link to the collection; a start/end range is a 404, never a whole document."""
    import os
    import shutil
    import socket
    import subprocess
    import time
    import urllib.error
    import urllib.request
    from urllib.parse import quote
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(nginx).is_file(), "nginx is missing: run `make setup` (apt nginx-light)"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    temp = " ".join(f"{k}_temp_path {tmp_path}/{k};" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user root;" if os.geteuid() == 0 else ""      # the workers read the exports' private folder
    (tmp_path / "nginx.conf").write_text(f"""{user} worker_processes 1; pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;
events {{ worker_connections 16; }}
http {{ include /etc/nginx/mime.types; access_log off; {temp}
  server {{ listen 127.0.0.1:{port}; root {served}; include {out}/data/hosting/nginx.conf; }} }}""")
    subprocess.run([nginx, "-c", str(tmp_path / "nginx.conf")], check=True, capture_output=True)
    try:
        base = f"http://127.0.0.1:{port}/coalition-edition/api/dts/"
        resource = quote(iri("d002"), safe="")

        def get(path: str):
            for _ in range(50):
                try:
                    return urllib.request.urlopen(base + path, timeout=5)
                except urllib.error.HTTPError as exc:
                    return exc
                except urllib.error.URLError:
                    time.sleep(0.1)
            raise AssertionError("nginx did not answer")
        nav = get(f"navigation/{resource};down=1.json")
        assert nav.status == 200 and nav.headers["Content-Type"] == "application/ld+json; charset=utf-8"
        assert nav.headers["Access-Control-Allow-Origin"] == "*"
        assert json.loads(nav.read())["resource"]["@id"] == iri("d002")
        doc = get(f"document/{resource}.xml")
        assert doc.status == 200 and doc.headers["Content-Type"] == "application/tei+xml; charset=utf-8"
        assert doc.headers["Link"] == f'<https://example.org/coalition-edition/api/dts/collection/{iri("d002")}.json>; rel="collection"'
        assert doc.read() == (out / "data/tei/d002.xml").read_bytes()
        assert get(f"document/{resource};start=div1_p1;end=div1_p2.xml").status == 404
        site = served / "coalition-edition"
        for rel in sample_of_kinds(site):           # every kind of file of data/ and the API
            answer = fetch(f"http://127.0.0.1:{port}/coalition-edition/" + quote(rel))
            assert answer.status == 200 and answer.headers["Content-Type"] == media_type(rel), rel
            assert answer.headers["Access-Control-Allow-Origin"] == "*", rel
    finally:
        subprocess.run(["kill", (tmp_path / "nginx.pid").read_text().strip()], check=False)


# --- hosting: the media type of every kind of file, on each host ------------------------------------------

# What each served file is (written here from the formats, independently of exports/hosting.py).
MEDIA_TYPES = ((r"^api/dts/document/.*\.xml$", "application/tei+xml; charset=utf-8"),
               (r"^api/dts/.*\.json$", "application/ld+json; charset=utf-8"),
               (r"^data/.*\.(xml|odd)$", "application/tei+xml; charset=utf-8"),
               (r"^data/.*\.jsonld$", "application/ld+json; charset=utf-8"),
               (r"^data/register/.*\.csv-metadata\.json$", "application/csvm+json; charset=utf-8"),
               (r"^data/(bibliography|citations)/.*\.json$", "application/vnd.citationstyles.csl+json; charset=utf-8"),
               (r"^data/.*\.csv$", "text/csv; charset=utf-8"),
               (r"^data/.*\.(txt|conf)$", "text/plain; charset=utf-8"),
               (r"^data/SHA256SUMS$", "text/plain; charset=utf-8"),
               (r"^data/.*\.bib$", "application/x-bibtex; charset=utf-8"),
               (r"^data/.*\.ris$", "application/x-research-info-systems; charset=utf-8"),
               (r"^data/.*\.(rng|sch)$", "application/xml; charset=utf-8"),
               (r"^data/.*\.zip$", "application/zip"))


def media_type(rel: str) -> str:
    return next(t for pattern, t in MEDIA_TYPES if re.search(pattern, rel))


@pytest.fixture(scope="module")
def served(out, cfg) -> Path:
    """The exports as a host serves them (a world-readable copy: a server's workers do not run as root),
    with the citation files the build writes beside them; the site's address path leads to it."""
    import shutil
    import tempfile
    root = Path(tempfile.mkdtemp(prefix="edition-served-"))
    root.chmod(0o755)
    shutil.copytree(out, root / "coalition-edition", symlinks=False)
    data = root / "coalition-edition" / "data"
    from tei_edition.exports.bibliography import write_bibliography_exports
    write_bibliography_exports(cfg, data / "bibliography")
    write_document_citations(cfg, [with_facts(documents_by_id(cfg), d) for d in DOCS], data / "citations")
    for path in root.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    yield root
    shutil.rmtree(root, ignore_errors=True)


def documents_by_id(cfg) -> dict:
    return {d.id: d for d in documents(cfg)}


def sample_of_kinds(site: Path) -> list[str]:
    """One file of every kind under api/dts/ and data/ (folder and extension), each JSON, XML and text file."""
    seen, sample = set(), []
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if not path.is_file() or path.name.startswith(".") or not rel.startswith(("api/dts/", "data/")):
            continue
        kind = (rel.split("/")[:2 if rel.startswith("data/") else 3][-1], "".join(path.suffixes[-1:]) or path.name)
        if kind not in seen:
            seen.add(kind)
            sample.append(rel)
    return sample


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str):
    import time
    import urllib.error
    import urllib.request
    for _ in range(100):
        try:
            return urllib.request.urlopen(url, timeout=5)
        except urllib.error.HTTPError as exc:
            return exc
        except urllib.error.URLError:
            time.sleep(0.1)
    raise AssertionError(f"no answer: {url}")


@pytest.mark.slow
def test_apache_serves_every_kind_of_file_with_its_media_type(served, tmp_path):
    """Apache httpd with the shipped .htaccess files (AllowOverride FileInfo): the media type of every kind
    of file of data/ and the DTS API, CORS, the Link to a document's collection; a range is a 404."""
    import shutil
    import subprocess
    from urllib.parse import quote
    apache = shutil.which("apache2") or "/usr/sbin/apache2"
    assert Path(apache).is_file(), "Apache httpd is missing: run `make setup` (apt apache2)"
    modules = Path("/usr/lib/apache2/modules")
    port = free_port()
    (tmp_path / "httpd.conf").write_text(f"""ServerRoot "{tmp_path}"
Listen 127.0.0.1:{port}
ServerName 127.0.0.1
PidFile "{tmp_path}/httpd.pid"
ErrorLog "{tmp_path}/error.log"
User nobody
Group nogroup
""" + "".join(f"LoadModule {m}_module {modules}/mod_{m}.so\n" for m in ("mpm_event", "authz_core", "mime", "headers",
                                                                         "rewrite")) + f"""TypesConfig /etc/mime.types
DocumentRoot "{served}"
<Directory "{served}">
  Options FollowSymLinks
  AllowOverride FileInfo
  Require all granted
</Directory>
""")
    server = subprocess.Popen([apache, "-f", str(tmp_path / "httpd.conf"), "-DFOREGROUND"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)   # errors: error.log
    try:
        site = served / "coalition-edition"
        base = f"http://127.0.0.1:{port}/coalition-edition/"
        sample = sample_of_kinds(site)
        assert len(sample) >= 20 and any(r.startswith("data/citations/") for r in sample)
        for rel in sample:
            answer = fetch(base + quote(rel))
            assert answer.status == 200, (rel, answer.status, (tmp_path / "error.log").read_text()[-500:])
            assert answer.headers["Content-Type"] == media_type(rel), rel
            assert answer.headers["Access-Control-Allow-Origin"] == "*", rel
            assert answer.read() == (site / rel).read_bytes()
        resource = quote(iri("d002"), safe="")
        doc = fetch(f"{base}api/dts/document/{resource}.xml")
        assert doc.headers["Content-Type"] == "application/tei+xml; charset=utf-8"
        assert doc.headers["Link"] == \
            f'<https://example.org/coalition-edition/api/dts/collection/{iri("d002")}.json>; rel="collection"'
        assert fetch(f"{base}api/dts/document/{resource};start=div1_p1;end=div1_p2.xml").status == 404
    finally:
        server.terminate()
        server.wait(timeout=10)


def netlify_headers(text: str, path: str) -> tuple[dict[str, str], dict[str, int]]:
    """The headers Netlify gives `path` from a _headers file: a parser written from Netlify's own code
    (netlify/build packages/headers-parser: line_parser.ts, for_regexp.ts; netlify/primitives
    headersForPath.ts): a line starting with "/" opens a rule, "Name: value" lines add to it (a repeated
    name joined by ", "); a rule's path becomes ^/…/?$ (case-insensitive), a part "*" is "?(.*)", a "*"
    inside a part "(.*)", ":name" one part; every rule that matches applies, a later one overriding an
    earlier one's header. Also how many matching rules set each header: Cloudflare Pages joins them all."""
    rules: list[tuple[re.Pattern, dict[str, str]]] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("/"):
            parts = [p.rstrip() for p in line.split("/") if p.rstrip()]
            pattern = "/".join("([^/]+)" if p.startswith(":") else "?(.*)" if p == "*"
                               else p.replace("*", "(.*)") if "*" in p else re.escape(p) for p in parts)
            rules.append((re.compile(f"^/{pattern}/?$", re.I), {}))
        elif ":" in line:
            name, value = line.split(":", 1)
            values = rules[-1][1]
            values[name.strip()] = f"{values[name.strip()]}, {value.strip()}" if name.strip() in values else value.strip()
    headers: dict[str, str] = {}
    count: dict[str, int] = {}
    for regex, values in rules:
        if regex.search(path):
            headers.update(values)
            for name in values:
                count[name] = count.get(name, 0) + 1
    return headers, count


@pytest.mark.slow
def test_the_headers_file_gives_every_kind_of_file_its_media_type(served):
    """_headers (Netlify, Cloudflare Pages) read as Netlify reads it: each kind of file of data/ and the DTS
    API gets its media type and CORS, from exactly one rule (so a host that joins the rules' values too
    gives the same)."""
    site = served / "coalition-edition"
    text = (site / "_headers").read_text(encoding="utf-8")
    for rel in sample_of_kinds(site):
        headers, count = netlify_headers(text, "/coalition-edition/" + rel)
        assert headers.get("Content-Type") == media_type(rel) and count["Content-Type"] == 1, rel
        assert headers.get("Access-Control-Allow-Origin") == "*" and count["Access-Control-Allow-Origin"] == 1, rel
    assert netlify_headers(text, "/coalition-edition/d002/index.html")[0] == {}      # pages: the host's own


def test_the_release_table_is_checked(tmp_path):
    import shutil
    from tei_edition import config as config_mod
    from tei_edition.diagnostics import EditionError
    root = Path(__file__).resolve().parents[1]
    shutil.copy(root / "edition.toml", tmp_path / "edition.toml")
    for folder in ("tei", "sources"):
        (tmp_path / folder).symlink_to(root / folder)
    text = (tmp_path / "edition.toml").read_text(encoding="utf-8")
    assert config_mod.load(tmp_path).version == "0.9.0" and config_mod.load(tmp_path).identifier == ""
    for bad, message in (('version = 1', "`release.version` is 1"), ('identifier = "doi:10.1/x"', "web address"),
                         ('pid = "x"', "unknown key `pid` in [release]")):
        (tmp_path / "edition.toml").write_text(text.replace('version = "0.9.0"', bad), encoding="utf-8")
        with pytest.raises(EditionError) as exc:
            config_mod.load(tmp_path)
        assert message in str(exc.value), bad
