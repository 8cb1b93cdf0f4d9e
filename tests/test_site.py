"""The built site (edition build) on the real edition: pages, links, sizes, downloads, safety, HTML validity."""

from __future__ import annotations

import atexit
import dataclasses
import functools
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import html as lhtml

from tei_edition import TEI_NS
from tei_edition import config as config_mod
from tei_edition.build import build
from tests.pipeline import build_subset
from tei_edition.exports.catalogue import catalogue
from tei_edition import i18n
from tei_edition.site import producers
from tei_edition.xmlsafe import parse_file
from tei_edition.register import load as load_register
from tei_edition.corpus import read_facts, register_paths
from tei_edition.exports.source_citation import document_work
from tei_edition.paths import I18N

pytestmark = pytest.mark.slow   # builds the edition or its exports (left out by `make test-fast`)

ROOT = Path(__file__).resolve().parents[1]
T = "{%s}" % TEI_NS
VNU = ROOT / ".cache" / "npm" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
MAX_PAGE = 500_000


VALIDATED = ["index.html", "search.html", "chronology.html", "downloads.html", "register/index.html",
             "about.html", "bibliography.html", "abbreviations.html",
             "guidelines.html", "d002/index.html", "d000/index.html", "d003/index.html", "d004/index.html",
             "d001/index.html"]
_vnu: list[subprocess.Popen] = []
REGISTER_AT_BUILD: dict = {}


@functools.lru_cache(maxsize=1)
def built_site() -> Path:
    """The edition built once per test process (with its search index) into a temporary folder; the HTML
    validator starts on it at once and runs alongside the other tests (it needs a JVM: seconds)."""
    out = Path(tempfile.mkdtemp(prefix="edition-test-")) / "site"
    cfg = config_mod.load(ROOT)
    REGISTER_AT_BUILD.update(load_register(register_paths(cfg)))  # the register may be edited meanwhile
    build(cfg, out=out, search=True)
    if VNU.is_file() and shutil.which("java"):
        sample = [out / p for p in VALIDATED] + sorted((out / "d001").glob("*.html"))[1:2] \
            + [p for kind in ("pers", "org", "place") for p in sorted((out / "register").glob(f"{kind}-*.html"))[:1]]
        _vnu.append(subprocess.Popen(["java", "-jar", str(VNU), "--errors-only", "--format", "text",
                                      *map(str, filter(Path.exists, sample))],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
        atexit.register(_stop_vnu)  # when the validity test is deselected or the run stops early
    return out


def _stop_vnu() -> None:
    for proc in _vnu:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


@functools.lru_cache(maxsize=1)
def annotated_site() -> Path:
    """The real register and d002 as imported (a frozen copy) with one name and two dates tagged the way
    the annotation tags them ("Ленин"; "3 ноября" and "4 ноября" 1917, Old Style, the second on the day of
    Lenin's ultimatum, an event of the chronology): register and chronology
    pages with exactly known content (the second date's year marked as inferred). No search index."""
    tmp = Path(tempfile.mkdtemp(prefix="edition-names-"))
    shutil.copy(ROOT / "edition.toml", tmp / "edition.toml")
    # everything of tei/ but the other documents (register, corpus header, schema)
    shutil.copytree(ROOT / "tei", tmp / "tei", ignore=lambda folder, names: [
        n for n in names if Path(folder) == ROOT / "tei" and n.startswith("d") and n.endswith(".xml")])
    text = (ROOT / "tests" / "golden" / "d002-unannotated.xml").read_text(encoding="utf-8")  # frozen: as imported
    for old, new in (("что Ленин и Троцкий", 'что <persName ref="#pers-lenin">Ленин</persName> и Троцкий'),
                     ("Ленинский ультиматум был официально представлен 4 ноября",
                      'Ленинский ультиматум был официально представлен '
                      '<date when="1917-11-17" calendar="#d002-julian" cert="low" corresp="#ev-cc-ultimatum">'
                      '4 ноября</date>'),
                     ("Более того, 3 ноября Каменев",
                      'Более того, <date when="1917-11-16" calendar="#d002-julian">3 ноября</date> Каменев')):
        assert old in text, old
        text = text.replace(old, new, 1)
    (tmp / "tei" / "d002.xml").write_text(text, encoding="utf-8")
    build_subset(config_mod.load(tmp), out=tmp / "build" / "site")   # one document: the introductions point elsewhere
    return tmp / "build" / "site"


@pytest.fixture(scope="module")
def site() -> Path:
    return built_site()


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


@functools.lru_cache(maxsize=None)
def parsed(path: Path):
    return lhtml.parse(str(path)).getroot()


@functools.lru_cache(maxsize=None)
def ids(path: Path) -> frozenset[str]:
    return frozenset(parsed(path).xpath("//@id"))


def present(docs):
    return [d for d in docs.values() if d.tei_path.exists()]


def test_every_present_document_has_reading_pages_and_missing_ones_are_listed(site, docs):
    home = parsed(site / "index.html")
    cards = [a.get("href") for a in home.cssselect(".document-card h3 a")]
    assert cards == [f"{d.id}/index.html" for d in present(docs)]
    missing = [d.id for d in docs.values() if not d.tei_path.exists()]
    assert [li.text for li in home.cssselect(".missing-list li")] == missing
    for doc in present(docs):
        assert (site / doc.id / "index.html").is_file()


def test_pages_under_500_kb(site):
    sizes = {p: p.stat().st_size for p in html_pages(site)}
    too_big = {str(p.relative_to(site)): s for p, s in sizes.items() if s >= MAX_PAGE}
    assert too_big == {}


def test_every_internal_link_and_anchor_resolves(site):
    broken = []
    for page in html_pages(site):
        root = parsed(page)
        for el in root.iter("a", "link", "script"):
            ref = el.get("href") or el.get("src")
            if not ref or ref.startswith(("mailto:", "data:")) or el.get("rel") in ("canonical", "license"):
                continue
            parts = urlsplit(ref)
            if parts.scheme in ("http", "https"):
                continue  # an outward link (licence, authority record) is not a request of the page
            target = (page.parent / parts.path).resolve() if parts.path else page
            if not target.is_file():
                broken.append(f"{page.relative_to(site)} → {ref}")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in ids(target):
                broken.append(f"{page.relative_to(site)} → {ref} (no such id)")
    assert broken == []


def test_no_external_requests_and_no_inline_script(site):
    for page in html_pages(site):
        root = parsed(page)
        csp = root.cssselect('meta[http-equiv="Content-Security-Policy"]')
        assert csp and "script-src 'self'" in csp[0].get("content") and "unsafe-inline" not in csp[0].get("content")
        for script in root.iter("script"):  # data blocks are never executed, so the CSP allows them
            assert script.get("src") or script.get("type") in ("application/json", "application/ld+json"), page
        assert len(root.xpath("//script[@type='application/ld+json']")) <= 1, page
        for el in root.xpath("//script[@src] | //link[@rel='stylesheet'] | //img | //link[@rel='icon']"):
            ref = el.get("src") or el.get("href")
            assert not urlsplit(ref).scheme or ref.startswith("data:"), (page, ref)
        assert root.get("lang") == "en"
        assert not root.xpath("//@style"), page  # CSP forbids inline styles


def test_d002_page_paragraphs_notes_list_and_lang(site):
    root = parsed(site / "d002" / "index.html")
    article = root.cssselect("article.edition")[0]
    assert article.get("lang") == "ru" and article.get("data-pagefind-body") is not None
    assert [p.get("id") for p in article.cssselect("p.tei-p")] == [f"d002-p{i}" for i in range(1, 5)]
    items = root.cssselect(".page-notes li")
    # the five notes, and after the first the editors' remark they all call, listed once (#16)
    ids = ["d002-n1", "d002-n1-note1"] + [f"d002-n{i}" for i in range(2, 6)]
    assert [li.get("id") for li in items] == [f"{i}-text" for i in ids]
    assert [li.cssselect("a.note-back")[0].get("href") for li in items] == [f"#{i}" for i in ids]
    assert all("[The note text is missing in the source.]" in li.text_content() for li in items if li is not items[1])
    assert "The note calls 13–17 survive" in items[1].text_content()
    assert root.cssselect("h1")[0].get("lang") == "ru"


def test_long_documents_are_split_with_contents_and_pager(site, docs):
    for doc in present(docs):
        pages = sorted((site / doc.id).glob("*.html"))
        first = parsed(site / doc.id / "index.html")
        if len(pages) == 1:
            continue
        toc = [a.get("href").split("#")[0] for a in first.cssselect(".toc-list a")]
        assert toc and set(toc) <= {p.name for p in pages}, doc.id
        # previous/next chain visits every page once, in order
        seen, page = [], "index.html"
        while page:
            seen.append(page)
            nxt = parsed(site / doc.id / page).cssselect(".pager a[rel=next]")
            page = nxt[0].get("href") if nxt else None
            if page and page.startswith("../"):          # the last page leads on to the next document
                assert "pager-document" in nxt[0].get("class", "") and page.endswith("/index.html"), page
                break
        assert sorted(seen) == [p.name for p in pages] and len(seen) == len(set(seen)), doc.id


def test_reading_pages_are_named_by_their_section_and_lead_from_document_to_document(site, docs):
    """A page's title names the section it opens with ("continued" when it opens inside it, as d003's second
    and third pages do), the pager's links are named by short titles, the last page of a document links to
    the next document and the first to the previous; breadcrumbs lead back; no heading stands empty."""
    order = [d for d in present(docs)]
    for i, doc in enumerate(order):
        pages = sorted((site / doc.id).glob("*.html"))
        for path in pages:
            page = parsed(path)
            crumbs = [a.get("href") for a in page.cssselect("nav.breadcrumb a")]
            assert crumbs[:2] == ["../index.html", "../index.html#documents"], path
            for label in page.cssselect(".pager .pager-label"):
                assert 0 < len(label.text_content()) <= 80, (path, label.text_content())
            for h in page.cssselect(".edition-text section.tei-div"):      # nothing but a heading: dropped
                heads = h.cssselect("h2, h3, h4, h5, h6")
                rest = "".join(c.text_content() for c in h if c not in heads and not c.get("data-view"))
                assert rest.strip() or len(h.cssselect("section")), (path, h.get("id"))
            if path.name != "index.html":
                title = page.cssselect("title")[0].text
                label = page.cssselect(".page-title")[0].text_content()
                assert title.startswith(label), (title, label)
                first = page.cssselect(".edition-text > *")[0]
                if "tei-div-continued" in first.get("class", "") and not first.cssselect("h2, h3, h4, h5, h6")[:1]:
                    assert label.endswith("(continued)"), (path, label)
        first = parsed(site / doc.id / "index.html")
        prev = first.cssselect(".pager a[rel=prev]")
        if i > 0:
            assert prev and prev[0].get("href") == f"../{order[i - 1].id}/index.html"
        last = [p for p in pages if not parsed(p).cssselect(".pager a[rel=next]:not(.pager-document)")]
        assert len(last) == 1, doc.id
        nxt = parsed(last[0]).cssselect(".pager a[rel=next]")
        if i + 1 < len(order):
            assert nxt and nxt[0].get("href") == f"../{order[i + 1].id}/index.html"
            assert f"{order[i + 1].number}:" in nxt[0].text_content()
        else:
            assert not nxt
    if (site / "d003").is_dir():
        titles = {p.name: parsed(p).cssselect("title")[0].text for p in (site / "d003").glob("*.html")}
        assert not any(t.startswith("Σημειώσεις") for t in titles.values()), titles
        for page in (site / "d003").glob("*.html"):   # the source's notes heading, with nothing under it, is dropped
            heads = [h.text_content().strip() for h in parsed(page).cssselect("main h1, main h2, main h3, main h4")]
            assert "Σημειώσεις" not in heads, page.name


def test_register_pages_one_per_entry_with_mentions_linked(site):
    register = REGISTER_AT_BUILD
    if not register:
        pytest.skip("no register files in tei/register yet")
    pages = {p.stem for p in (site / "register").glob("*.html")} - {"index"}
    assert pages == set(register)
    index = parsed(site / "register" / "index.html")
    assert len(index.cssselect(".register-list li")) == len(register)
    for entry in register.values():
        page = parsed(site / "register" / f"{entry.id}.html")
        assert page.cssselect("h1")[0].text == entry.name
        for a in page.cssselect(".mentions a"):
            assert a.get("href").startswith("../d") and "#" in a.get("href")


def test_downloads(site, docs):
    links = {a.get("href") for a in parsed(site / "downloads.html").iter("a")}
    for doc in present(docs):   # one TEI per document: the export's (the curated TEI, citation structure declared)
        assert {f"data/tei/{doc.id}.xml", f"data/tei-plain/{doc.id}.xml", f"data/text/{doc.id}.edited.txt"} <= links
        # one plain text, at two addresses: beside the pages (in the ZIP of texts) and among the exports
        assert (site / "downloads" / f"{doc.id}.txt").read_bytes() == \
            (site / "data" / "text" / f"{doc.id}.edited.txt").read_bytes(), doc.id
    assert not list((site / "downloads").glob("*.xml")) and not (site / "downloads" / "edition-tei.zip").exists()
    txt = (site / "downloads" / "d002.txt").read_text(encoding="utf-8")
    assert txt.startswith("[Большевики приходят к власти: заключительные абзацы главы]\n\nПо странному совпадению")
    assert "свертыванию переговоров[13]." in txt
    assert "\n[13] [The note text is missing in the source.][a]\n" in txt
    assert txt.count("\n[a] Editors' note: The note calls 13–17 survive in the source") == 1
    assert (site / "downloads" / "edition-text.zip").stat().st_size > 0
    assert (site / "pagefind" / "pagefind.js").is_file()


def test_downloads_page_offers_every_export(site, docs):
    """Every file of the exports' catalogue is linked from the downloads page and is there in the site."""
    register = load_register(register_paths(config_mod.load(ROOT)))
    cat = catalogue([d.id for d in present(docs)], {i.type for e in register.values() for i in e.idnos})
    items = cat["edition"] + cat["api"] + [i for files in cat["documents"].values() for i in files]
    links = {a.get("href") for a in parsed(site / "downloads.html").iter("a")}
    assert [i["href"] for i in items if i["href"] not in links] == []
    assert [i["href"] for i in items if not (site / i["href"]).is_file()] == []
    hrefs = {i["href"] for i in items}
    assert {"data/tei/corpus.xml", "data/edition-tei.zip", "data/register/register.csv", "api/dts/index.json",
            "data/register/register.jsonld"} <= hrefs
    # a BEACON file is offered for an authority the register has ids of, and only then
    from tei_edition.exports.linked_data import AUTHORITIES   # GeoNames ids of places are no authority file
    assert {h for h in hrefs if "beacon-" in h} == {f"data/register/beacon-{i.type}.txt" for e in register.values()
                                                     for i in e.idnos if i.type in AUTHORITIES}
    assert {f"data/text/{d.id}.{r}.txt" for d in present(docs) for r in ("edited", "diplomatic")} <= hrefs


def test_every_size_and_checksum_the_downloads_page_shows_is_the_served_files(site, docs):
    """Each offered file is shown with its size and SHA-256, read from the file served (the self-contained
    TEI, not the curated file in tei/; the ZIPs, texts, exports, PDFs when built)."""
    import hashlib
    page = parsed(site / "downloads.html")
    shown = 0
    for a in page.xpath("//a[@download]"):
        path = site / a.get("href")
        assert path.is_file(), a.get("href")
        size = a.getnext()
        assert size is not None and size.get("class") == "size", a.get("href")     # every offered file
        data = path.read_bytes()
        assert size.get("data-bytes") == str(len(data)) and size.text == f"({producers._size(len(data))})"
        (code,) = size.getnext().xpath(".//code[@class='sha256']")
        assert code.text == hashlib.sha256(data).hexdigest(), a.get("href")
        shown += 1
    assert shown >= 4 * len(present(docs)) + 10
    for doc in present(docs):                # what is offered as the TEI: the self-contained file
        (a,) = page.xpath(f"//a[@href='data/tei/{doc.id}.xml']")
        offered = (site / "data" / "tei" / f"{doc.id}.xml").stat().st_size
        assert a.getnext().get("data-bytes") == str(offered) != str(doc.tei_path.stat().st_size)


def meta_tags(page) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    for m in page.xpath("//head/meta[@name]"):
        tags.setdefault(m.get("name"), []).append(m.get("content"))
    return tags


def json_ld(page) -> dict:
    (block,) = page.xpath("//script[@type='application/ld+json']")
    return json.loads(block.text)


def edition_of(data: dict) -> dict:
    """The edition a page's JSON-LD names as what holds it: the last holder of the page, or of its work."""
    holder = data["isPartOf"][-1]
    while "isPartOf" in holder:          # a division: held by its work, held by the edition
        holder = holder["isPartOf"][-1]
    return holder


def test_document_and_division_pages_carry_citation_metadata(site, cfg, docs):
    work = document_work(cfg, docs["d001"].with_facts(read_facts(parse_file(docs["d001"].tei_path).getroot())))
    editors = [f"{n.text}," for n in work.compilers]     # a body's name: kept whole by Zotero (tests/test_reuse.py)
    first = parsed(site / "d001" / "index.html")
    division_page = first.cssselect(".pager a[rel=next]")[0].get("href")   # a page cut at a division
    division = parsed(site / "d001" / division_page)
    title = first.cssselect("h1")[0].text_content()
    for page, url in ((first, cfg.base_url + "d001/"),
                      (division, f"{cfg.base_url}id/{division_page.removesuffix('.html')}.html")):
        tags = meta_tags(page)
        assert tags["citation_editor"] == editors and editors and "citation_author" not in tags
        assert tags["citation_language"] == ["ru"]
        assert tags["citation_public_url"] == tags["DC.identifier"] == [url]
        assert (site / url.removeprefix(cfg.base_url) / ("index.html" if url.endswith("/") else "")).is_file()
        data = json_ld(page)
        assert data["@context"] == "https://schema.org" and data["name"] == tags["citation_title"][0]
        assert data["@id"] == url and [e["name"] for e in data["editor"]] == [n.text for n in work.compilers]
        edition = edition_of(data)
        assert edition["name"] == cfg.title and edition["@id"] == cfg.base_url
    assert meta_tags(first)["citation_title"] == [work.title] and meta_tags(first)["z.itemType"] == ["book"]
    assert meta_tags(division)["citation_inbook_title"] == [work.title]    # a section of the book
    assert json_ld(division)["isPartOf"][0]["name"] == work.title
    # rel=license says the page's main content is under that licence: never on a page of a source text
    assert not first.cssselect("a[rel=license]") and not division.cssselect("a[rel=license]")
    assert meta_tags(division)["citation_title"][0] != title    # the division's heading


def test_every_document_page_names_its_document_and_the_edition(site, cfg, docs):
    for doc in present(docs):
        for path in sorted((site / doc.id).glob("*.html")):
            page = parsed(path)
            data = json_ld(page)
            assert edition_of(data)["name"] == cfg.title, path
            assert meta_tags(page)["citation_xml_url"] == [f"{cfg.base_url}data/tei/{doc.id}.xml"], path
            (url,) = meta_tags(page)["citation_public_url"]     # a stable address that exists
            target = site / url.removeprefix(cfg.base_url)
            assert url.startswith(cfg.base_url) and (target / "index.html" if url.endswith("/") else target).is_file()


def test_home_register_and_other_pages_carry_the_edition_metadata(site, cfg, docs):
    for rel in ("index.html", "register/index.html", "chronology.html", "downloads.html", "search.html"):
        page = parsed(site / rel)
        tags = meta_tags(page)
        assert tags["citation_title"] == [cfg.title] and tags["citation_public_url"] == [cfg.base_url], rel
        assert tags["citation_publisher"] == [cfg.publisher], rel
        assert tags["citation_editor"] == [e.name for e in cfg.editors if "general editor" in e.roles], rel
        data = json_ld(page)
        assert data["@type"] == "Collection" and data["name"] == cfg.title and "license" not in data  # texts: their holders'
        assert [p["@id"] for p in data["hasPart"][:-1]] == [f"{cfg.base_url}{d.id}/" for d in present(docs)]
        assert data["hasPart"][-1]["license"] == cfg.licence_url            # the apparatus
    entry = parsed(sorted((site / "register").glob("pers-*.html"))[0])     # an entry's page is about the entry
    assert json_ld(entry)["mainEntity"]["@type"] == "Person" and "citation_title" not in meta_tags(entry)


def test_home_page_leads_with_the_introduction_citation_and_licence(site, cfg, docs):
    """The home page opens with the editors' introduction, not the machinery; the editorial principles,
    written for readers, stand on the About page (the encoding's own on each document's source description)."""
    home = parsed(site / "index.html")
    assert [h.text_content() for h in home.cssselect("main h2")][:2] == ["Introduction to the edition", "Documents"]
    assert home.cssselect(".edition-introduction h3")[0].text_content() == "The five texts"
    assert not home.cssselect("section.principles") and home.cssselect('a[href="about.html"]')
    about = parsed(site / "about.html")
    assert about.cssselect("main h1")[0].text_content() == "About the edition"
    assert [h.text_content() for h in about.cssselect("main h2")] == ["About this edition", "Editorial principles"]
    assert "Dates" in [h.text_content() for h in about.cssselect("main h3")]
    cite = home.cssselect("section.how-to-cite .citation")[0].text_content()
    assert cite.startswith(cfg.title) and cfg.base_url in cite and cfg.publisher in cite
    assert f"{cfg.title}, version {cfg.version}." in cite if cfg.version else True       # the release cited
    licence = home.cssselect("section.licence")[0]
    assert " ".join(cfg.licence_text.split()) in " ".join(licence.text_content().split())
    assert [a.get("href") for a in licence.cssselect("a[rel=license]")] == [cfg.licence_url]


def test_encoding_guidelines_page_holds_the_guidelines(site):
    markdown = (ROOT / "docs" / "encoding-guidelines.md").read_text(encoding="utf-8")
    sections = re.findall(r"^## (.+)$", markdown, flags=re.M)
    page = parsed(site / "guidelines.html")
    assert sections and [h.text_content() for h in page.cssselect("main h2")] == sections
    assert page.cssselect("main h1")[0].text == "Encoding guidelines"
    assert page.cssselect('nav a[href="guidelines.html"]')[0].get("aria-current") == "page"


def test_own_scripts_under_50_kb_and_styles_bounded(site):
    """The budget of issue #5 ("scripts under 50 KB, no framework needed"): our scripts (not Pagefind's search
    bundle), all of them together and those any one page loads; our styles (not the web font) held under 30 KB
    so that they cannot grow unseen (24 KB on 7 December 2026)."""
    files = sorted(p for p in (site / "assets").rglob("*") if p.suffix in (".js", ".css"))
    assert {"edition.css", "edition.js", "view.js"} <= {p.name for p in files}
    sizes = {p.name: p.stat().st_size for p in files}
    assert sum(n for name, n in sizes.items() if name.endswith(".js")) < 50 * 1024, sizes
    assert sum(n for name, n in sizes.items() if name.endswith(".css")) < 30 * 1024, sizes
    for page in [site / "search.html", site / "register" / "index.html", *sorted(site.glob("d*/index.html"))[:1]]:
        loaded = re.findall(r'<script[^>]+src="(?:\.\./)?assets/([^"]+\.js)"', page.read_text(encoding="utf-8"))
        assert loaded and sum(sizes[name] for name in loaded) < 50 * 1024, (page.name, loaded)


@functools.lru_cache(maxsize=1)
def second_language_site() -> tuple[Path, dict[str, str]]:
    """d002 alone with a second interface language, given only as a strings file (templates untouched),
    and a PDF stage that made every expected file (fakes: the test site is built without the PDF stage)."""
    tmp = Path(tempfile.mkdtemp(prefix="edition-lang-"))
    (tmp / "i18n").mkdir()
    text = (I18N / "en.toml").read_text(encoding="utf-8")
    changed = {"nav_downloads": "Herunterladen", "downloads": "Herunterladen", "export_corpus": "Die ganze Edition",
               "skip": "Zum Text", "export_text_edited": "bearbeitet"}
    for key, value in changed.items():
        text, n = re.subn(rf'^{key} = ".*"$', f'{key} = "{value}"', text, count=1, flags=re.M)
        assert n == 1, key
    (tmp / "i18n" / "de.toml").write_text(text.replace('lang = "en"', 'lang = "de"'), encoding="utf-8")
    pdf = tmp / "pdf"
    for name in ("d002.pdf", "edition.pdf", "pdfa/d002.pdf", "pdfa/edition.pdf"):
        (pdf / name).parent.mkdir(parents=True, exist_ok=True)
        (pdf / name).write_bytes(b"%PDF-1.7 " + name.encode())
    cfg = config_mod.load(ROOT)
    cfg = dataclasses.replace(cfg, documents=tuple(d for d in cfg.documents if d.id == "d002"))
    load, write = i18n.load, producers.write_downloads
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(i18n, "load", lambda lang="en", folder=tmp / "i18n": load(lang, folder))
        mp.setattr(producers, "write_downloads",
                   lambda site, builds, pdf_dir, register, sizes: write(site, builds, pdf, register, sizes))
        build_subset(cfg, out=tmp / "site", interface="de")
    return tmp / "site", changed


def test_downloads_page_links_the_pdfs_the_pdf_stage_made():
    site, _ = second_language_site()
    links = {a.get("href") for a in parsed(site / "downloads.html").iter("a")}
    for name in ("d002.pdf", "edition.pdf", "pdfa/d002.pdf", "pdfa/edition.pdf"):
        assert f"downloads/{name}" in links
        assert (site / "downloads" / name).read_bytes() == b"%PDF-1.7 " + name.encode()


def test_a_second_interface_language_needs_only_its_strings_file():
    site, changed = second_language_site()
    for rel in ("index.html", "downloads.html", "d002/index.html", "register/index.html"):
        page = parsed(site / rel)
        assert page.get("lang") == "de", rel
        assert page.cssselect(".skip-link")[0].text == "Zum Text", rel
        assert page.cssselect('nav a[href$="downloads.html"]')[0].text == "Herunterladen", rel
    downloads = parsed(site / "downloads.html")
    assert downloads.cssselect("h1")[0].text == "Herunterladen"
    assert [a.text for a in downloads.cssselect('a[href="data/tei/corpus.xml"]')] == ["Die ganze Edition"]
    assert [a.text for a in downloads.cssselect('a[href="data/text/d002.edited.txt"]')] == ["bearbeitet"]
    ui = json.loads(downloads.xpath("//script[@id='ui-strings']")[0].text)
    assert {k: ui[k] for k in changed} == changed


def test_failed_build_leaves_previous_site(tmp_path, cfg, monkeypatch):
    cfg = dataclasses.replace(cfg, documents=cfg.documents[:1])  # one short document is enough
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("previous")

    def boom(*args, **kwargs):
        raise RuntimeError("stage failed")
    monkeypatch.setattr(producers, "write_home", boom)
    with pytest.raises(RuntimeError):
        build_subset(cfg, out=out)
    assert (out / "index.html").read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no staging folder left behind


@pytest.mark.skipif(not VNU.is_file() or not shutil.which("java"),
                    reason="vnu.jar (npm vnu-jar in .cache/npm) or java missing: make setup installs them")
def test_html_is_valid(site):
    (run,) = _vnu
    output, _ = run.communicate(timeout=180)
    assert run.returncode == 0, output


def test_chronology_by_gregorian_date_with_old_style_form():
    """A dated passage on an event's day stands under the event (4 November O.S. = 17 November 1917: Lenin's
    ultimatum), the others by year; each with its Old Style form, its New Style date and its sentence."""
    site = annotated_site()
    page = parsed(site / "chronology.html")
    event = page.cssselect("#ev-cc-ultimatum")[0]
    on_event = event.cssselect(".chronology li")
    assert [" ".join(li.cssselect(".chrono-date")[0].text_content().split()) for li in on_event] == [
        "4 ноября (O.S.) = 17 November 1917 [year inferred by the editors] — The Bolsheviks Come to Power: the "
        "closing paragraphs of a chapter…"]   # cert="low": the year is the editors' inference
    assert on_event[0].cssselect(".chrono-context")[0].text.startswith("Ленинский ультиматум был официально представлен")
    others = page.cssselect("#other-h ~ section .chronology li")
    assert [" ".join(li.cssselect(".chrono-date")[0].text_content().split()) for li in others] == [
        "3 ноября (O.S.) = 16 November 1917 — The Bolsheviks Come to Power: the closing paragraphs of a chapter…"]
    assert "3 ноября Каменев и Зиновьев добились того" in others[0].cssselect(".chrono-context")[0].text
    assert [li.cssselect("a")[0].get("href") for li in on_event + others] == ["d002/index.html#d002-p3",
                                                                             "d002/index.html#d002-p2"]
    time = parsed(site / "d002" / "index.html").cssselect("time.tei-date-julian")[0]
    assert time.get("title") == "Old Style (Julian) = 16 November 1917 (Gregorian)"


def test_register_entry_lists_mentions_with_context():
    site = annotated_site()
    entry = parsed(site / "register" / "pers-lenin.html")
    assert entry.cssselect("h1")[0].text == "Vladimir Lenin"
    links = entry.cssselect(".mentions a")
    assert [a.get("href") for a in links] == ["../d002/index.html#d002-p1"]
    assert links[0].text == "Ленин"
    assert "Ленин и Троцкий вновь приняли участие" in entry.cssselect(".mentions .context")[0].text
    index = parsed(site / "register" / "index.html")
    lenin = [li for li in index.cssselect(".register-list li") if li.cssselect('a[href="pers-lenin.html"]')]
    assert lenin[0].cssselect(".count")[0].text == "· 1"


def test_broken_tei_fails_with_position_and_keeps_the_site(tmp_path):
    shutil.copy(ROOT / "edition.toml", tmp_path / "edition.toml")
    (tmp_path / "tei").mkdir()
    text = (ROOT / "tei" / "d002.xml").read_text(encoding="utf-8")
    (tmp_path / "tei" / "d002.xml").write_text(text.replace('<p xml:id="d002-p2">', '<p xml:id="d002-p2"><hi>', 1),
                                               encoding="utf-8")
    site = tmp_path / "build" / "site"
    site.mkdir(parents=True)
    (site / "index.html").write_text("previous")
    run = subprocess.run([str(ROOT / ".venv" / "bin" / "edition"), "--root", str(tmp_path), "build", "--no-search"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    line = text[: text.index('<p xml:id="d002-p2">')].count("\n") + 1
    assert f"d002.xml:{line + 1}:" in run.stderr and "not well-formed XML" in run.stderr  # reported where it breaks
    assert (site / "index.html").read_text() == "previous"


def test_serve_rebuilds_when_a_source_changes(tmp_path):
    from tei_edition.serve.watch import watch
    (tmp_path / "tei").mkdir()
    tei = tmp_path / "tei" / "d002.xml"
    tei.write_text("<TEI/>")
    calls, stop = [], threading.Event()
    thread = threading.Thread(target=watch, args=(tmp_path, lambda: calls.append(1), 0.05, stop), daemon=True)
    thread.start()
    time.sleep(0.2)
    assert calls == []
    tei.write_text("<TEI>changed</TEI>")
    os.utime(tei, (time.time() + 5, time.time() + 5))
    deadline = time.time() + 5
    while not calls and time.time() < deadline:
        time.sleep(0.05)
    stop.set()
    assert calls == [1]


def test_a_placeholder_address_is_said_once(tmp_path):
    """Citations and metadata name edition.toml's base_url: while it is a domain reserved for examples the
    build says so, in one warning (not one per page)."""
    from tei_edition.site.shell import placeholder_address
    assert placeholder_address("https://example.org/coalition-edition/") == "example.org"
    assert placeholder_address("https://www.example.com/") == "www.example.com"
    assert placeholder_address("https://edition.test/") == "edition.test"
    assert placeholder_address("https://coalition.uni-example.de/edition/") is None
    assert placeholder_address("") is None
    shutil.copy(ROOT / "edition.toml", tmp_path / "edition.toml")
    shutil.copytree(ROOT / "tei", tmp_path / "tei", ignore=lambda folder, names: [
        n for n in names if Path(folder) == ROOT / "tei" and n.startswith("d") and n.endswith(".xml") and n != "d002.xml"])
    cfg = config_mod.load(tmp_path)
    messages: list[str] = []
    build_subset(cfg, out=tmp_path / "site", log=messages.append)
    warnings = [m for m in messages if "placeholder" in m]
    if placeholder_address(cfg.base_url):
        assert len(warnings) == 1 and cfg.base_url in warnings[0] and warnings[0].startswith("warning:")
    else:
        assert warnings == []
    text = (tmp_path / "edition.toml").read_text(encoding="utf-8")
    (tmp_path / "edition.toml").write_text(re.sub(r'(?m)^base_url = ".*"$', 'base_url = "https://edition.uni-x.de/"',
                                                  text), encoding="utf-8")
    messages.clear()
    build_subset(config_mod.load(tmp_path), out=tmp_path / "site2", log=messages.append)
    assert not [m for m in messages if "placeholder" in m]
