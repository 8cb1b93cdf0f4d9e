"""One producer per kind of page: reading pages, register, home, downloads, search, guidelines, assets (the
apparatus's pages, chronology included: site/apparatus.py). Each takes the Site and what the html stage made, and writes its files."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .. import outputs
from ..cache import Cache, code_version, digest, files_digest
from ..corpus import Document, general_editors
from ..exports import urls
from ..apparatus import Abbreviation, EditorsText
from ..archive import Checksums, Member, Spool, deflate, raw_members
from ..exports.bibliography import bibliography_path
from ..exports.catalogue import catalogue
from ..exports.linked_data import entry_page_metadata
from ..exports.metadata import page_metadata
from ..exports.source_citation import cite_data, document_work
from ..html.fragment import to_html
from ..html.stage import DocumentBuild
from ..i18n import format_iso
from ..mentions import Mention
from ..paths import ASSETS, TEMPLATES, build_cache
from ..register import Entry, Register, affiliation_names, life_dates
from .pages import Page, abbreviation_refs, entity_refs, page_notes, paginate
from .shell import Site, json_for_script

Anchors = dict[str, dict[str, str | None]]     # document id → indexed anchor → page filename (+ "#anchor")


def dates_label(entry: Entry, text: dict[str, str]) -> str:
    """"22 April 1870–21 January 1924", "born 29 August 1958" (register.life_dates; month names and words
    from the interface's [text] strings)."""
    return life_dates(entry, text, lambda iso: format_iso(iso, text))


def period_label(period: str, months: dict[str, str]) -> str:
    """"1914-08-31–1924-01-26" → "31 August 1914 – 26 January 1924"."""
    start, _, end = period.partition("–")
    return " – ".join(format_iso(p, months) if p else "…" for p in (start, end)) if end else format_iso(start, months)


def geo_link(entry: Entry) -> dict[str, str] | None:
    """A place's coordinates ("59.93863 30.31413"), written out and linked to OpenStreetMap."""
    parts = entry.geo.split()
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except (IndexError, ValueError):
        return None
    label = f"{abs(lat):.4f}° {'N' if lat >= 0 else 'S'}, {abs(lon):.4f}° {'E' if lon >= 0 else 'W'}"
    return {"label": label, "href": f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=8/{lat}/{lon}"}


def popover(entry: Entry, url: str, months: dict[str, str], abbreviation: Abbreviation | None = None,
            root: str = "../") -> dict[str, str]:
    """What a name's popover on a reading page shows of its register entry (and, for a body known by an
    abbreviation, the abbreviation's expansions and a link to the list of abbreviations)."""
    data = {"name": entry.name, "dates": dates_label(entry, months), "note": entry.note, "kind": entry.kind,
            "url": url}
    if abbreviation is not None:
        data["abbr"] = (", ".join(form for _, form in abbreviation.forms) + ": "
                        + "; ".join(text for _, text in abbreviation.expansions))
        data["abbr_url"] = f"{root}abbreviations.html#{abbreviation.id}"
    return data


def abbreviation_popover(abbreviation: Abbreviation, root: str = "../") -> dict[str, str]:
    """What the popover of an abbreviation of the text shows: its forms, its expansions, the list's entry."""
    return {"name": ", ".join(form for _, form in abbreviation.forms), "kind": "abbr",
            "abbr": "; ".join(text for _, text in abbreviation.expansions),
            "abbr_url": f"{root}abbreviations.html#{abbreviation.id}"}


def lang_name(site: Site, lang: str) -> str:
    return site.strings.ui.get(f"lang_{lang}", lang)


def citation_data(site: Site, build: DocumentBuild) -> dict[str, object]:
    """What the cite action of a reading page needs (templates/assets/edition.js writes the styles): the
    text's known authors (never "Unknown"), its title (a title the editors supplied in brackets), the
    edition, its general editors, publisher, year and version (the text's latest revision); the work the
    text is cited as (exports/source_citation.py: Chicago and BibTeX, as its meta tags and exports give it)."""
    facts, cfg = build.facts, site.config
    title = facts.title                 # a title the editors supplied carries its brackets (Facts)
    year = facts.year[:4] if facts.year[:4].isdigit() else (facts.changed[:4] or "")
    return {"edition": cfg.title, "title": title, "title_en": facts.title_en,
            "authors": [a.name for a in facts.known_authors], "editors": general_editors(cfg),
            "publisher": cfg.publisher, "year": year, "version": facts.changed,
            "key": (re.findall(r"[A-Za-z0-9]+", cfg.short_title) or ["edition"])[0].lower() + "_" + build.id, "url": "",
            **cite_data(cfg, build.doc.with_facts(facts))}


def shorten(text: str, limit: int = 60) -> str:
    """A label cut between words, for links and page titles."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:(–-«\"") + "…"


def page_label(page: Page, ui: dict[str, str]) -> str:
    """What a reading page is called (its <title>, the pager's links): the section it opens with, short;
    "continued" when it opens past that section's heading."""
    label = shorten(page.title)
    return f"{label} ({ui['continued']})" if page.continued else label


def paragraph_range(ids: list[str]) -> str:
    """"¶ 22–48": the paragraphs a page holds, by the numbers of their ids."""
    numbers = [int(m.group(1)) for i in ids if (m := re.fullmatch(r"d\w+-p(\d+)", i))]
    if not numbers:
        return ""
    lo, hi = min(numbers), max(numbers)
    return f"¶ {lo}" if lo == hi else f"¶ {lo}–{hi}"


def neighbours(site: Site, doc: Document) -> tuple[dict[str, str] | None, dict[str, str] | None]:
    """The pager's links beyond the document: to the start of the previous and of the next document."""
    docs = site.documents
    i = next((k for k, d in enumerate(docs) if d.id == doc.id), None)
    if i is None:
        return None, None
    ui = site.strings.ui

    def link(d: Document) -> dict[str, str]:
        return {"href": f"../{d.id}/index.html", "label": f"{ui['document']} {d.number}: {shorten(d.short)}",
                "document": "yes"}
    return (link(docs[i - 1]) if i > 0 else None), (link(docs[i + 1]) if i + 1 < len(docs) else None)


def write_reading_pages(site: Site, build: DocumentBuild, register: Register,
                        intro: EditorsText | None = None,
                        abbreviations: dict[str, Abbreviation] | None = None,
                        stamps: outputs.GroupStamps | None = None) -> dict[str, str | None]:
    """The reading pages of one document, its editors' introduction before the text on the first; taken
    from the pages cache when the document and everything else a reading page shows are unchanged (no
    pagination, no templates: the files are linked). `abbreviations`: the list's entries by the register id of
    the body each names and by their own id (abbr-…). Returns the page of each anchor its mentions and
    dates stand at, for the register and the chronology."""
    doc = build.doc
    store, key = _pages_cache(site, build, register)
    abbreviations = abbreviations or {}
    if key and (intro is not None or abbreviations):
        key = digest(key, intro.html if intro is not None else "", repr(sorted(abbreviations.items())))
    site.page_keys[doc.id] = key           # (its facts, mentions, dates and anchors are a function of the key)
    if key and stamps is not None:         # the previous build's pages, kept unread (~2 MB a document)
        held = store.get(f"{doc.id}-anchors", key)
        if isinstance(held, tuple) and stamps.link(doc.id, key) is not None:
            site.page_counts[doc.id] = held[1]
            build.release()
            return held[0]
    hit = store.get(doc.id, key) if key else None
    if isinstance(hit, CachedPages):
        for filename, html in hit.pages.items():
            site.write_bytes(f"{doc.id}/{filename}", html)
        site.page_counts[doc.id] = len(hit.pages)
        build.release()
        _note_pages(store, stamps, doc.id, key, hit)
        return hit.anchors
    rendered: dict[str, bytes] = {}
    page_keys: dict[str, str] = {}
    last = _last_pages(store, doc.id) if key else None    # the last build's pages of this document, each
    frame = _frame(site, build, register, intro, abbreviations) if key else ""   # under what it was made from
    p = paginate(build.fragment, build.facts.title)
    site.page_counts[doc.id] = len(p.pages)
    header_html = "".join(to_html(part) for part in (p.header, p.principles) if part is not None)
    cite = citation_data(site, build)
    headings = {t.id: t.label for t in p.toc}
    labels = {pg.filename: page_label(pg, site.strings.ui) for pg in p.pages}
    before, after = neighbours(site, doc)
    toc = [(t.id, t.depth, t.label, t.page) for t in p.toc]
    numbered = [(pg.filename, pg.number) for pg in p.pages]
    for i, page in enumerate(p.pages):
        prev = p.pages[i - 1] if i else None
        nxt = p.pages[i + 1] if i + 1 < len(p.pages) else None
        cite["url"] = site.url(f"{doc.id}/{page.filename}")
        division = page.slug if page.number > 1 and page.slug in page.ids else None   # its stable id/ address
        meta = page_metadata(site.config, doc, division, headings.get(division or "", ""), pdf=doc.id in site.pdfs)
        shell = dict(title=doc.short if page.number == 1 else f"{labels[page.filename]} — {doc.short}",
                     page_label=labels[page.filename], paragraphs=paragraph_range(page.ids),
                     intro_html=intro.html if intro is not None and page.number == 1 else "",
                     prev={"href": prev.filename, "label": labels[prev.filename]} if prev else before,
                     next={"href": nxt.filename, "label": labels[nxt.filename]} if nxt else after)
        # A page is a function of its own HTML (its names, notes and popovers are read from it), of the
        # document's pages, contents, labels and header, and of the frame: an edit renders its own page(s).
        page_key = digest(frame, page.filename, str(page.number), page.html(), header_html, repr(toc),
                          repr(numbered), repr(sorted(labels.items())), repr(sorted(shell.items())),
                          json_for_script(cite), repr(meta))
        page_keys[page.filename] = page_key
        if last is not None and last.page_keys.get(page.filename) == page_key and page.filename in last.pages:
            rendered[page.filename] = last.pages[page.filename]
            continue
        refs = entity_refs(page)
        index_names(page, register)
        entities = {r: popover(register[r], f"../register/{r}.html", site.strings.text, abbreviations.get(r))
                    for r in refs if r in register}
        entities.update({a: abbreviation_popover(abbreviations[a]) for a in abbreviation_refs(page)
                         if a in abbreviations})          # (an entry's id, abbr-…, is no register id)
        rendered[page.filename] = site.render(
            f"{doc.id}/{page.filename}", "document.html", kind="document",
            description=build.facts.title_en or build.facts.title, doc=doc, facts=build.facts,
            lang_name=lang_name(site, build.facts.lang), page=page, pages=p.pages, toc=p.toc,
            page_labels=labels, header_html=header_html, page_html=page.html(), notes=page_notes(page),
            entities_json=json_for_script(entities), cite_json=json_for_script(cite), page_meta=meta,
            **shell).encode("utf-8")
    for filename, page_html in rendered.items():
        site.write_bytes(f"{doc.id}/{filename}", page_html)
    indexed = {m.anchor for m in build.index.mentions} | {d.anchor for d in build.index.dates}
    anchors = {a: p.url_of(a) for a in indexed}
    build.release()                                      # the next document's pages may take the memory
    if key:
        cached = CachedPages(rendered, anchors, page_keys)
        store.put(doc.id, key, cached)
        _note_pages(store, stamps, doc.id, key, cached)
    return anchors


def _note_pages(store: Cache, stamps: outputs.GroupStamps | None, doc_id: str, key: str | None,
                pages: CachedPages) -> None:
    """A document's reading pages as this build wrote them (`stamps`), and what a later build that keeps
    them unread needs (their anchors and count, a small entry apart from the pages)."""
    if key and stamps is not None:
        stamps.note(doc_id, key, [f"{doc_id}/{name}" for name in pages.pages])
        if not isinstance(store.get(f"{doc_id}-anchors", key), tuple):
            store.put(f"{doc_id}-anchors", key, (pages.anchors, len(pages.pages)))


def write_documents_pages(site: Site, builds: list[DocumentBuild], register: Register,
                          intros: dict[str, EditorsText], abbreviations: dict[str, Abbreviation]) -> Anchors:
    """Every document's reading pages (`write_reading_pages`), each document's recorded under its pages'
    key (`outputs.GroupStamps`): an edit keeps the other documents' pages without loading or hashing them."""
    stamps = outputs.GroupStamps(Cache(build_cache(site.config.root, "pages")), "reading", site.out)
    anchors = {b.id: write_reading_pages(site, b, register, intros.get(f"{b.id}-intro"), abbreviations, stamps)
               for b in builds}
    stamps.save()
    return anchors


def search_names(entry: Entry, mention_text: str) -> str:
    """The entry's name in each of its other languages and scripts (the shortest form of each, never a form
    printed in error), set apart by ⟦ ⟧: indexed with the mention, so that «Steinberg», «Штейнберг» and
    «Στάινμπεργκ» each find every mention of the person whatever the language of the text; the search page
    shows the bracketed words apart in its excerpts."""
    seen = {w.casefold() for w in mention_text.split()}
    shortest: dict[str, str] = {}
    for name in entry.names:
        if name.type == "sic" or not name.text.strip():
            continue
        text = name.text
        if name.type == "index":                     # "Shteinberg, Isaak Zakharovich": its surname
            text = " ".join(t for part, t in name.parts if part == "surname") or text
        if name.lang not in shortest or len(text) < len(shortest[name.lang]):
            shortest[name.lang] = text
    words: list[str] = []
    for text in shortest.values():
        for word in text.replace(",", " ").split():
            word = word.strip("()[]«»\"'.;:")
            if len(word) > 1 and word.casefold() not in seen:
                seen.add(word.casefold())
                words.append(word)
    return f"⟦{' '.join(words)}⟧" if words else ""


def index_names(page: Page, register: Register) -> None:
    """Each mention on the page carries its register entry's other names for the search index
    (data-names, read by Pagefind through data-pagefind-index-attrs; never shown)."""
    for unit in page.units:
        for el in unit.element.iter("a", "span"):
            entry = register.get(el.get("data-ref") or "")
            if entry is None:
                continue
            names = search_names(entry, "".join(el.itertext()))
            if names:
                el.set("data-names", names)
                el.set("data-pagefind-index-attrs", "data-names")


@dataclass
class CachedPages:
    pages: dict[str, bytes]                  # filename → HTML
    anchors: dict[str, str | None]           # indexed anchor → page filename + "#anchor"
    page_keys: dict[str, str] = field(default_factory=dict)   # filename → what the page was made from


def _last_pages(store: Cache, doc_id: str) -> CachedPages | None:
    """The pages the document's last entry holds, whatever its key (one is kept per document), with what
    each was made from; None when there is none, or it is of a toolkit that kept no page's key."""
    last = store.latest(doc_id)
    pages = last[1] if last is not None else None
    return pages if isinstance(pages, CachedPages) and getattr(pages, "page_keys", None) else None


def _frame(site: Site, build: DocumentBuild, register: Register, intro: EditorsText | None,
           abbreviations: dict[str, Abbreviation]) -> str:
    """What every reading page of the document shows besides its text and the document's pages: the pages'
    shared key (settings, strings, templates, register, code), the document, its facts, its place in the
    edition, the work it is cited as, its introduction and the list of abbreviations; not its TEI."""
    return digest(_shared_key(site, register), repr(build.doc), repr(build.facts),
                  repr(neighbours(site, build.doc)), repr(document_work(site.config, build.doc.with_facts(build.facts))),
                  lang_name(site, build.facts.lang), intro.html if intro is not None else "",
                  repr(sorted(abbreviations.items())))


PAGE_CODE = ("site/producers.py", "site/shell.py", "site/pages.py", "html/fragment.py", "register.py", "mentions.py",
             "corpus.py", "i18n.py", "exports/metadata.py", "exports/urls.py", "exports/source_citation.py",
             "exports/bibliography.py")


def _pages_cache(site: Site, build: DocumentBuild, register: Register) -> tuple[Cache, str | None]:
    """The cache of reading pages and this document's key: its render key (TEI, stylesheets, strings,
    register ids, code) with all a reading page shows besides (settings, interface strings, templates,
    the register entries of the popovers, its place in the edition) and the code that writes pages."""
    store = Cache(build_cache(site.config.root, "pages"))
    if build.key is None:
        return store, None
    return store, digest(build.key, _shared_key(site, register), str(build.doc.number), build.doc.tei_path.as_posix(),
                         repr(neighbours(site, build.doc)),     # and the work it is cited as (the bibliography)
                         repr(document_work(site.config, build.doc.with_facts(build.facts))))


def _shared_key(site: Site, register: Register) -> str:
    """What every cached page depends on: settings, interface strings, templates, register, page code."""
    if site.pages_key is None or site.pages_key[0] is not register:
        templates = files_digest([f for f in TEMPLATES.rglob("*") if f.is_file() and f.suffix in (".html", ".toml")])
        shared = digest(repr(site.config), repr(site.strings), str(site.has_guidelines), str(site.has_fonts),
                        repr(sorted(site.pdfs)),
                        templates, repr(sorted(register.items())), code_version(*PAGE_CODE))
        site.pages_key = (register, shared)
    return site.pages_key[1]


def _href(anchors: Anchors, doc_id: str, anchor: str, from_root: str = "../") -> str | None:
    url = anchors.get(doc_id, {}).get(anchor)
    return f"{from_root}{doc_id}/{url}" if url else None


def write_register(site: Site, builds: list[DocumentBuild], register: Register, anchors: Anchors) -> int:
    """The register index and one page per entry with every mention, grouped by document.

    An entry's page shows the register (its entry, its links to others), the settings, strings, templates and
    code (`_shared_key`) and, of each document mentioning it, its facts and those mentions with their pages:
    each document's share is summed up per entry (`_mention_summary`, kept under the document's reading
    pages' key), and the page is recorded (`outputs.Stamps`) and cached under the shared key and those
    shares. So an edit renders only the pages whose mentions it changed, and looks at the mentions of no
    other document."""
    ui = site.strings.ui
    store, shared = Cache(build_cache(site.config.root, "pages")), _shared_key(site, register)
    stamps = outputs.Stamps(store, "register", site.out)     # unchanged pages linked without loading them
    counts: dict[str, int] = {}
    docs_of: dict[str, list[str]] = {}
    shares: dict[str, list[str]] = {}
    for build in builds:
        for ref, (count, share) in _mention_summary(site, build, anchors, store).items():
            counts[ref] = counts.get(ref, 0) + count
            docs_of.setdefault(ref, []).append(build.id)
            shares.setdefault(ref, []).append(share)
    in_docs = {ref: " ".join(ids) for ref, ids in docs_of.items()}
    index_key = digest(shared, code_version("exports/metadata.py"), repr(site.edition_meta),
                       repr(sorted(counts.items())), repr(sorted(in_docs.items())), repr([b.doc for b in builds]))
    if not stamps.link("register/index.html", index_key):
        groups = []
        for key, label in (("persons", ui["persons"]), ("organisations", ui["organisations"]),
                           ("places", ui["places"])):
            entries = sorted((e for e in register.values() if e.group == key), key=lambda e: (e.sorting, e.id))
            if entries:
                groups.append({"key": key, "label": label, "entries": entries})
        types = sorted({e.subtype for e in register.values() if e.subtype})
        site.write("register/index.html", "register.html", kind="register", title=ui["register"],
                   groups=groups, counts=counts, in_docs=in_docs, documents=[b.doc for b in builds],
                   years={e.id: life_dates(e, site.strings.text) for e in register.values()},
                   types=[(t, ui.get("type_" + t, t)) for t in types])
        stamps.note("register/index.html", index_key)
    entry_code = code_version("exports/linked_data.py")        # (the page's metadata; the rest: PAGE_CODE)
    by_id = {b.id: b for b in builds}
    rows_of: dict[str, dict[str, MentionRows]] = {}   # a document's mentions by entry, read when a page needs them
    for entry in register.values():
        rel = f"register/{entry.id}.html"
        key = digest(shared, entry_code, entry.id, *shares.get(entry.id, ()))
        if stamps.link(rel, key):
            continue
        html = store.get(f"register-{entry.id}", key)      # one entry a page: never all pages in memory
        if not isinstance(html, bytes):
            mentions = []                                   # (only the documents that mention it)
            for doc_id in docs_of.get(entry.id, ()):
                if doc_id not in rows_of:
                    rows_of[doc_id] = _mention_rows(site, by_id[doc_id], anchors, store)
                if entry.id in rows_of[doc_id]:
                    mentions.append((by_id[doc_id], rows_of[doc_id][entry.id]))
            html = site.render(rel, "entry.html", **_entry_context(site, entry, register, mentions)).encode("utf-8")
            store.put(f"register-{entry.id}", key, html)
        site.write_bytes(rel, html)
        stamps.note(rel, key)
    stamps.save()
    return len(register)


def _mention_summary(site: Site, build: DocumentBuild, anchors: Anchors, store: Cache) -> dict[str, tuple[int, str]]:
    """Per register entry the document mentions: how often, and the hash of all its page shows of the document
    (its title and languages, each mention's link, label and context); kept under the document's reading
    pages' key, of which all that is a function."""
    key = site.page_keys.get(build.id)
    kept = store.get(f"mentions-{build.id}", key) if key else None
    if isinstance(kept, dict):
        return kept
    by_ref: dict[str, list[Mention]] = {}
    for m in build.index.mentions:
        by_ref.setdefault(m.ref, []).append(m)
    head = repr((build.id, build.facts.title, build.facts.title_lang, build.facts.lang))
    summary = {ref: (len(ms), digest(head, repr([(href, m.text or m.anchor, m.context) for m in ms
                                                 if (href := _href(anchors, build.id, m.anchor))])))
               for ref, ms in by_ref.items()}
    if key:
        store.put(f"mentions-{build.id}", key, summary)
    return summary


MentionRows = tuple[tuple[str, str, str], ...]   # a document's mentions of one entry: (link, label, context) each


def _mention_rows(site: Site, build: DocumentBuild, anchors: Anchors, store: Cache) -> dict[str, MentionRows]:
    """Per register entry the document mentions, those mentions as the entry's page lists them (those that have a
    page to link to); kept under the document's reading pages' key, as `_mention_summary` is, and read only when
    an entry's page is rendered: an edit that changes a mention of an entry fifty documents mention reads these
    (strings: ~0.05 s at 10×), not fifty indexes of mentions and dates (~0.15 s)."""
    key = site.page_keys.get(build.id)
    kept = store.get(f"mention-rows-{build.id}", key) if key else None
    if isinstance(kept, dict):
        return kept
    rows: dict[str, list[tuple[str, str, str]]] = {}
    for m in build.index.mentions:
        if (href := _href(anchors, build.id, m.anchor)):
            rows.setdefault(m.ref, []).append((href, m.text or m.anchor, m.context))
    made = {ref: tuple(found) for ref, found in rows.items()}
    if key:
        store.put(f"mention-rows-{build.id}", key, made)
    return made


def _entry_context(site: Site, entry: Entry, register: Register, mentions: list[tuple[DocumentBuild, MentionRows]],
                   ) -> dict[str, object]:
    """What an entry's page shows: the entry, and its mentions grouped by document (in edition order)."""
    ui = site.strings.ui
    by_doc = [{"title": build.facts.title, "title_lang": build.facts.title_lang, "lang": build.facts.lang,
               "mentions": [{"href": href, "label": label, "context": context} for href, label, context in rows]}
              for build, rows in mentions if rows]
    months = site.strings.text
    return dict(kind="register", title=entry.name, entry=entry, dates=dates_label(entry, months),
                periods={n.period: period_label(n.period, months) for n in entry.names if n.period},
                events=[{"label": e.label, "dates": period_label(f"{e.start}–{e.end}", months),
                         "type": e.type, "sources": e.sources} for e in entry.events],
                geo=geo_link(entry), parent_link=entry.parent_ref if entry.parent_ref in register else "",
                affiliations=affiliation_names(entry, register), group_label=ui[entry.group],
                by_doc=by_doc, total=sum(len(d["mentions"]) for d in by_doc),
                page_meta=entry_page_metadata(site.config, entry))    # the page is about the entry


def write_home(site: Site, builds: list[DocumentBuild], missing: list[str], intro: EditorsText | None,
               has_about: bool, introduced: frozenset[str] = frozenset()) -> None:
    """The home page: the edition, the editors' introduction to it, its documents, how to cite it.
    (The editorial principles stand on the About page, written for readers; the encoding itself is
    documented in the encoding guidelines.)"""
    cfg = site.config
    release = f", version {cfg.version}" if cfg.version else ""            # the release and, once registered,
    pid = f" {cfg.identifier}" if cfg.identifier else ""                  # the persistent identifier (#17)
    citation = (f"{cfg.title}{release}. {', '.join(general_editors(cfg))} (eds.). {cfg.publisher}, {cfg.pub_place}. "
                f"{cfg.base_url}{pid}")
    site.write("index.html", "home.html", kind="home", title=cfg.short_title,
               documents=[{"doc": b.doc, "facts": b.facts, "lang_name": lang_name(site, b.facts.lang),
                           "pages": site.page_counts.get(b.id, 0), "intro": b.id in introduced} for b in builds],
               missing=missing, intro_html=intro.html if intro is not None else "", has_about=has_about,
               edition_citation=citation,
               letters=[{"doc": doc, "letter": letter} for letter, doc in sorted(
                   ((b.facts.letter, b.doc) for b in builds if b.facts.letter),
                   key=lambda ld: (ld[0].date or "9999", ld[1].number))])


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def write_texts(site: Site, builds: list[DocumentBuild]) -> dict[str, int]:
    """The plain text of each document, at its two addresses (downloads/dNNN.txt beside the pages,
    data/text/dNNN.edited.txt among the exports: the same bytes, linked), and all of them as a ZIP. A
    document's two files are recorded under its render key (`outputs.GroupStamps`): while it is unchanged
    they are the previous build's files and its ZIP member is taken, as stored, from the previous build's
    ZIP, so an edit loads and compresses the text of its own document only."""
    texts = Spool()                        # members deflated by the html stage (cached with it)
    sizes = {}
    stamps = outputs.GroupStamps(Cache(build_cache(site.config.root, "pages")), "texts", site.out)
    zip_rel = "downloads/edition-text.zip"
    previous: dict[str, Member] | None = None
    for build in builds:
        rels = [f"downloads/{build.id}.txt", urls.text_download(build.id, "edited")]
        linked = stamps.link(build.id, build.key) if build.key else None
        if linked is not None:
            if previous is None:
                before = outputs.previous_of(site.out / zip_rel)
                previous = raw_members(before) if before else {}
            member = previous.get(f"{build.id}.txt")
            if member is not None and 2 * member.size == linked[1]:
                texts.add(f"{build.id}.txt", member)
                sizes[build.id] = member.size
                continue
        txt, member = build.text_and_member()
        data = txt.encode("utf-8")
        site.write_bytes(rels[0], data)
        site.write_bytes(rels[1], data)
        texts.add(f"{build.id}.txt", member if member is not None and member.size == len(data) else deflate(data))
        sizes[build.id] = len(data)
        build.release()
        if build.key:
            stamps.note(build.id, build.key, rels)
    stamps.save()
    texts.write(site.out / zip_rel, "", None)   # fixed dates: the same edition, the same ZIP
    return sizes


def write_downloads(site: Site, builds: list[DocumentBuild], pdf_dir: Path, register: Register,
                    sizes: dict[str, int]) -> None:
    """The downloads page: the exports' catalogue (TEI, texts, register data, DTS; written by write_exports
    in the same build, before this page), the plain texts and, when the PDF stage made them, the PDFs; each
    file with its size and SHA-256, read from the file the site serves (`sizes`: unused, kept for callers)."""
    (site.out / "downloads").mkdir(parents=True, exist_ok=True)
    sums = Checksums(Cache(build_cache(site.config.root, "pages")), "sha256-downloads")   # (unchanged: not read)
    pdfs = _copy_pdfs(pdf_dir, site.out / "downloads", [b.id for b in builds])
    cat = catalogue([b.id for b in builds], {i.type for e in register.values() for i in e.idnos},
                    bibliography_path(site.config).is_file(), citations=bool(builds))
    for item in [*cat["edition"], *(i for items in cat["documents"].values() for i in items)]:
        item.update(offered_file(site.out, item["href"], sums))
    rows = [{"id": b.id, "title": b.facts.title, "title_lang": b.facts.title_lang,
             "pdf": offered_file(site.out, f"downloads/{b.id}.pdf", sums) if f"{b.id}.pdf" in pdfs else None,
             "pdfa": offered_file(site.out, f"downloads/pdfa/{b.id}.pdf", sums) if f"pdfa/{b.id}.pdf" in pdfs else None}
            for b in builds]
    whole = {name: offered_file(site.out, f"downloads/{name}", sums) for name in ("edition.pdf", "pdfa/edition.pdf")
             if name in pdfs}
    site.write("downloads.html", "downloads.html", kind="downloads", title=site.strings.ui["downloads"],
               documents=rows, text_zip=offered_file(site.out, "downloads/edition-text.zip", sums), pdfs=whole,
               catalogue=cat)
    sums.save()


def offered_file(out: Path, href: str, sums: Checksums | None = None) -> dict[str, str]:
    """What the downloads page says of a file it offers, read from the file the site serves: its size (as
    shown and in bytes) and SHA-256 (`sums`: kept for the files a build did not write again); nothing for a
    file that is not there."""
    path = out / href
    if not path.is_file():
        return {}
    n = path.stat().st_size
    return {"href": href, "size": _size(n), "bytes": str(n), "sha256": (sums or Checksums()).of(path)}


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


def write_search(site: Site, builds: list[DocumentBuild]) -> None:
    languages = sorted({lang_name(site, b.facts.lang) for b in builds})
    site.write("search.html", "search.html", kind="search", title=site.strings.ui["search"],
               documents=[b.doc for b in builds], languages=languages)


def write_guidelines(site: Site, guidelines_html: str | None) -> None:
    site.write("guidelines.html", "guidelines.html", kind="guidelines", title=site.strings.ui["guidelines"],
               guidelines_html=guidelines_html or "")


def copy_assets(site: Site) -> None:
    """CSS and scripts; the web font was written before the pages (they link it only when it exists)."""
    shutil.copytree(ASSETS, site.out / "assets", dirs_exist_ok=True)
