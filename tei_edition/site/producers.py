"""One producer per kind of page: reading pages, register, chronology, home, downloads, guidelines, assets.
Each takes the Site and the data the build prepared, and writes its files."""

from __future__ import annotations

import shutil
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .. import outputs
from ..exports.archive import Member, Spool, deflate
from ..cache import Cache, code_version, digest, files_digest
from ..exports.catalogue import catalogue
from ..exports.metadata import page_metadata_from_path
from .documents import DocInfo
from ..html.transform import to_html
from ..paths import TEMPLATES
from .pages import Paginated, entity_refs, page_notes, paginate
from ..html.plaintext import web_text
from .mentions import DatedMention, DocumentIndex, Entry, format_iso
from .shell import Site, json_for_script

ASSETS = TEMPLATES / "assets"


class DocumentBuild:
    """One document through the build: its metadata and index of mentions (kept), its XSLT fragment,
    pages and web text (heavy: made or loaded on demand). With `load`, `release()` drops the heavy part
    once the reading pages are written and keeps where each indexed anchor landed, so the build holds
    the small summaries of every document and the pages of one at a time."""

    def __init__(self, info: DocInfo, fragment: str | None, paginated: Paginated | None, index: DocumentIndex,
                 text: str | None = None, *, load: Callable[[], tuple[str, str, Member | None]] | None = None,
                 key: str | None = None) -> None:
        self.info, self.index, self._load = info, index, load
        self.key = key                 # the render cache's key, when the pages may be cached under it
        self._fragment, self._paginated, self._text = fragment, paginated, text
        self._anchors: dict[str, str | None] | None = None     # anchor → page filename, after release()

    @property
    def id(self) -> str:
        return self.info.id

    @property
    def fragment(self) -> str:
        if self._fragment is None:
            self._fragment, self._text, _ = self._load()
        return self._fragment

    @property
    def paginated(self) -> Paginated:
        if self._paginated is None:
            self._paginated = paginate(self.fragment, self.info.title)
            self.info.pages = len(self._paginated.pages)
        return self._paginated

    @property
    def text(self) -> str | None:
        return self.text_and_member()[0]

    def text_and_member(self) -> tuple[str | None, Member | None]:
        """The web text and, when the render step made it, its ZIP member (read again, not kept)."""
        if self._text is None and self._load is not None:
            _, text, member = self._load()
            return text, member
        return self._text, None

    def release(self) -> dict[str, str | None] | None:
        """Drop the fragment, pages and text (they can be loaded again); keep (and return) the page each
        indexed anchor is on."""
        if self._load is None:
            return None
        p = self.paginated
        anchors = {m.anchor for m in self.index.mentions} | {d.anchor for d in self.index.dates}
        self.released({a: p.url_of(a) for a in anchors})
        return self._anchors

    def released(self, anchors: dict[str, str | None]) -> None:
        self._anchors = anchors
        self._fragment = self._paginated = self._text = None

    def href(self, anchor: str, from_root: str = "../") -> str | None:
        url = self._anchors.get(anchor) if self._anchors is not None else self.paginated.url_of(anchor)
        return f"{from_root}{self.info.id}/{url}" if url else None


def write_reading_pages(site: Site, doc: DocumentBuild, register: dict[str, Entry]) -> None:
    """The reading pages of one document; taken from the pages cache when the document and everything
    else a reading page shows are unchanged (no pagination, no templates: the files are linked)."""
    store, key = _pages_cache(site, doc, register)
    hit = store.get(doc.id, key) if key else None
    if isinstance(hit, CachedPages):
        for filename, html in hit.pages.items():
            site.write_bytes(f"{doc.info.id}/{filename}", html)
        doc.info.pages = len(hit.pages)
        doc.released(hit.anchors)
        return
    rendered: dict[str, str] = {}
    p = doc.paginated
    header_html = to_html(p.header) if p.header is not None else ""
    cite = {"edition": site.config.title, "title": doc.info.title, "author": doc.info.author,
            "url": ""}
    for i, page in enumerate(p.pages):
        prev = p.pages[i - 1] if i else None
        nxt = p.pages[i + 1] if i + 1 < len(p.pages) else None
        refs = entity_refs(page)
        entities = {r: register[r].popover(f"../register/{r}.html", site.strings.text) for r in refs if r in register}
        cite["url"] = site.url(f"{doc.info.id}/{page.filename}")
        division = page.slug if page.number > 1 and page.slug in page.ids else None   # its stable id/ address
        meta = page_metadata_from_path(site.config, doc.id, doc.info.tei_path, division)
        rendered[page.filename] = site.render(f"{doc.info.id}/{page.filename}", "document.html", kind="document",
                   title=doc.info.short if page.number == 1 else f"{doc.info.short}: {page.title}",
                   description=doc.info.title_en or doc.info.title,
                   doc=doc.info, page=page, pages=p.pages, toc=p.toc, header_html=header_html,
                   page_html=page.html(), notes=page_notes(page),
                   prev={"href": prev.filename, "label": prev.title} if prev else None,
                   next={"href": nxt.filename, "label": nxt.title} if nxt else None,
                   entities_json=json_for_script(entities), cite_json=json_for_script(cite), page_meta=meta)
    for filename, html in rendered.items():
        site.write_text(f"{doc.info.id}/{filename}", html)
    anchors = doc.release()                                   # the next document's pages may take the memory
    if key and anchors is not None:
        store.put(doc.id, key, CachedPages({f: h.encode("utf-8") for f, h in rendered.items()}, anchors))


@dataclass
class CachedPages:
    pages: dict[str, bytes]                  # filename → HTML
    anchors: dict[str, str | None]           # indexed anchor → page filename


PAGE_CODE = ("site/producers.py", "site/shell.py", "site/pages.py", "html/transform.py", "site/mentions.py",
             "site/documents.py", "i18n.py", "exports/metadata.py")


def _pages_cache(site: Site, doc: DocumentBuild, register: dict[str, Entry]) -> tuple[Cache, str | None]:
    """The cache of reading pages and this document's key: its render key (TEI, stylesheets, strings,
    register ids, code) with all a reading page shows besides (settings, interface strings, templates,
    the register entries of the popovers, its place in the edition) and the code that writes pages."""
    store = Cache(site.config.root / ".cache" / "build" / "pages")
    if doc.key is None:
        return store, None
    return store, digest(doc.key, _shared_key(site, register), str(doc.info.number), doc.info.tei_path.as_posix())


def _shared_key(site: Site, register: dict[str, Entry]) -> str:
    """What every cached page depends on: settings, interface strings, templates, register, page code."""
    memo = getattr(site, "_pages_shared", None)
    if memo is None or memo[0] is not register:
        templates = files_digest([f for f in TEMPLATES.rglob("*") if f.is_file() and f.suffix in (".html", ".toml")])
        shared = digest(repr(site.config), repr(site.strings), str(site.has_guidelines), str(site.has_fonts),
                        templates, repr(sorted(register.items())), code_version(*PAGE_CODE))
        memo = (register, shared)
        site._pages_shared = memo
    return memo[1]




def write_register(site: Site, docs: list[DocumentBuild], register: dict[str, Entry]) -> int:
    """The register index and one page per entry with every mention, grouped by document."""
    ui = site.strings.ui
    mentions: dict[str, list[tuple[DocumentBuild, object]]] = defaultdict(list)
    for doc in docs:
        for m in doc.index.mentions:
            mentions[m.ref].append((doc, m))
    groups = []
    for key, label in (("persons", ui["persons"]), ("organisations", ui["organisations"]), ("places", ui["places"])):
        entries = sorted((e for e in register.values() if e.group == key), key=lambda e: e.name.casefold())
        if entries:
            groups.append({"key": key, "label": label, "entries": entries})
    counts = {ref: len(ms) for ref, ms in mentions.items()}
    site.write("register/index.html", "register.html", kind="register", title=ui["register"],
               groups=groups, counts=counts)
    # entry pages whose content is unchanged come from the last build's (rendering is most of the cost)
    store, shared = Cache(site.config.root / ".cache" / "build" / "pages"), _shared_key(site, register)
    for entry in register.values():
        by_doc: list[dict] = []
        for doc, m in mentions.get(entry.id, []):          # in edition order, so grouped by document
            href = doc.href(m.anchor)
            if not href:
                continue
            if not by_doc or by_doc[-1]["doc"] is not doc:
                by_doc.append({"doc": doc, "title": doc.info.title, "title_lang": doc.info.title_lang,
                               "lang": doc.info.lang, "mentions": []})
            by_doc[-1]["mentions"].append({"href": href, "label": m.text or m.anchor, "context": m.context})
        for group in by_doc:
            del group["doc"]
        context = dict(kind="register", title=entry.name, entry=entry, dates=entry.dates_label(site.strings.text),
                       group_label=ui[entry.group], by_doc=by_doc, total=sum(len(d["mentions"]) for d in by_doc))
        key = digest(shared, repr(sorted(context.items())))
        html = store.get(f"register-{entry.id}", key)      # one entry a page: never all pages in memory
        if not isinstance(html, bytes):
            html = site.render(f"register/{entry.id}.html", "entry.html", **context).encode("utf-8")
            store.put(f"register-{entry.id}", key, html)
        site.write_bytes(f"register/{entry.id}.html", html)
    return len(register)


def write_chronology(site: Site, docs: list[DocumentBuild]) -> int:
    rows: list[tuple[str, DatedMention, DocumentBuild]] = []
    for doc in docs:
        for d in doc.index.dates:
            rows.append((d.when, d, doc))
    rows.sort(key=lambda r: (r[0], r[2].info.number))
    years: dict[str, list[dict[str, str]]] = {}
    for when, d, doc in rows:
        href = doc.href(d.anchor, from_root="")
        if not href:
            continue
        greg = format_iso(when, site.strings.text)
        if d.to:
            greg += " – " + format_iso(d.to, site.strings.text)
        years.setdefault(when[:4], []).append({"when": when, "gregorian": greg, "text": d.text, "lang": d.lang,
                                               "calendar": d.calendar, "href": href, "doc": doc.info.short,
                                               "inferred": d.inferred})
    site.write("chronology.html", "chronology.html", kind="chronology", title=site.strings.ui["chronology"],
               years=[{"year": y, "dates": ds} for y, ds in years.items()])
    return sum(len(ds) for ds in years.values())


def write_home(site: Site, docs: list[DocumentBuild], missing: list[str]) -> None:
    first = docs[0].paginated.header if docs else None
    principles = first.find("section") if first is not None else None
    project_html, principles_html = "", ""
    if principles is not None:
        principles = etree.fromstring(etree.tostring(principles))
        project = principles.find("section[@class='tei-projectDesc']")
        if project is not None:
            principles.remove(project)
            project.remove(project.find("h4"))
            project_html = "".join(to_html(c) for c in project)
        heading = principles.find("h3")
        if heading is not None:
            principles.remove(heading)
        for h4 in principles.iter("h4"):
            h4.tag = "h3"
        principles_html = to_html(principles)
    cfg = site.config
    citation = f"{cfg.title}. {', '.join(e.name for e in cfg.editors[:1])} (eds.). {cfg.publisher}, {cfg.pub_place}. {cfg.base_url}"
    site.write("index.html", "home.html", kind="home", title=cfg.short_title,
               documents=[d.info for d in docs], missing=missing, project_html=project_html,
               principles_html=principles_html, edition_citation=citation)


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def write_downloads(site: Site, docs: list[DocumentBuild], pdf_dir: Path, register: dict[str, Entry]) -> None:
    """The downloads page: the exports' catalogue (TEI, text, register data, DTS; written later by
    write_exports), the PDFs when the PDF stage made them, and the plain text as on the web."""
    rows = []
    (site.out / "downloads").mkdir(parents=True, exist_ok=True)
    pdfs = _copy_pdfs(pdf_dir, site.out / "downloads", [d.id for d in docs])
    texts = Spool()                        # members deflated by the render step (cached with it)
    for doc in docs:
        txt, member = doc.text_and_member()
        if txt is None:
            txt = web_text(doc.fragment, doc.info.title, site.strings.ui["notes"])
        data = txt.encode("utf-8")
        site.write_bytes(f"downloads/{doc.id}.txt", data)
        texts.add(f"{doc.id}.txt", member if member is not None and member.size == len(data) else deflate(data))
        rows.append({"id": doc.id, "title": doc.info.title, "title_lang": doc.info.title_lang,
                     "tei_size": _size(doc.info.tei_path.stat().st_size), "txt_size": _size(len(data)),
                     "pdf": f"{doc.id}.pdf" in pdfs, "pdfa": f"pdfa/{doc.id}.pdf" in pdfs})
    zip_path = site.out / "downloads" / "edition-text.zip"
    texts.write(zip_path, "", None)          # fixed dates: the same edition gives the same ZIP
    site.write("downloads.html", "downloads.html", kind="downloads", title=site.strings.ui["downloads"],
               documents=rows, zip_txt_size=_size(zip_path.stat().st_size), pdfs=pdfs,
               catalogue=catalogue([d.id for d in docs], {kind for e in register.values() for kind, _ in e.idnos}))


def _copy_pdfs(pdf_dir: Path, out: Path, doc_ids: list[str]) -> set[str]:
    """The PDFs the PDF stage made (per document, the book, their PDF/A twins) into downloads/."""
    names = [f"{i}.pdf" for i in doc_ids] + ["edition.pdf"]
    copied = set()
    for name in names + [f"pdfa/{n}" for n in names]:
        if (pdf_dir / name).is_file():
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(pdf_dir / name, out / name)
            copied.add(name)
    return copied


def write_search(site: Site, docs: list[DocumentBuild]) -> None:
    languages = sorted({d.info.lang_name for d in docs})
    site.write("search.html", "search.html", kind="search", title=site.strings.ui["search"],
               documents=[d.info for d in docs], languages=languages)


def write_guidelines(site: Site, guidelines_html: str | None) -> None:
    site.write("guidelines.html", "guidelines.html", kind="guidelines", title=site.strings.ui["guidelines"],
               guidelines_html=guidelines_html or "")


def copy_assets(site: Site) -> None:
    """CSS and scripts; the web font was written before the pages (they link it only when it exists)."""
    shutil.copytree(ASSETS, site.out / "assets", dirs_exist_ok=True)
