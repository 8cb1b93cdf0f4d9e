"""The pages of the editors' apparatus: About this edition, the bibliography (each work with the passages
citing it), the abbreviations and terms, the chronology (the events, each with the passages dated to its
days, then every other dated passage with its sentence). The content is read by tei_edition/apparatus.py."""

from __future__ import annotations

import json

from .. import outputs
from ..apparatus import Abbreviation, BibEntry, EditorsText, Event
from ..exports.bibliography import FILES as BIBLIOGRAPHY_FILES
from ..cache import Cache, code_version, digest
from ..html.stage import DocumentBuild
from ..mentions import DatedMention
from ..paths import build_cache
from ..register import Register
from ..i18n import format_iso
from .producers import Anchors, _href, _shared_key
from .shell import Site

BIBLIOGRAPHY_DATA = "data/bibliography/"     # where the exports write CSL-JSON, BibTeX and RIS


def editors_text_href(name: str, block: str) -> str:
    """The page (from the site's root) where an editors' text stands, at one of its blocks."""
    page = {"introduction": "index.html", "about": "about.html"}.get(name, f"{name[:4]}/index.html")
    return f"{page}#{block}" if block else page


def write_about(site: Site, about: EditorsText | None) -> bool:
    if about is None:
        return False
    site.write("about.html", "about.html", kind="about", title=site.strings.ui["about"], about_html=about.html)
    return True


def write_bibliography(site: Site, entries: list[BibEntry], builds: list[DocumentBuild], register: Register,
                       ) -> int:
    titles = {b.id: b.doc.short for b in builds}
    rows = []
    for e in entries:
        citing = [{"href": f"id/{c.anchor}.html", "doc": titles.get(c.doc_id, c.doc_id), "line": c.line,
                   "text": c.text, "range": c.cited_range} for c in e.citing if c.doc_id in titles]
        editors: dict[str, dict] = {}          # by editors' text: its label and the blocks citing the work
        for name, block in e.editors:
            label = (site.strings.ui["read_introduction"] if name == "introduction"
                     else site.strings.ui["about_page"] if name == "about"
                     else f"{site.strings.ui['introduction']}, {titles.get(name[:4], name[:4])}")
            editors.setdefault(name, {"label": label, "hrefs": []})["hrefs"].append(editors_text_href(name, block))
        rows.append({"id": e.id, "reference": e.reference, "lang": e.work.language, "citing": citing,
                     "editors": list(editors.values()), "note": e.work.note})
    files = [{"href": BIBLIOGRAPHY_DATA + f, "label": label}
             for f, label in zip(BIBLIOGRAPHY_FILES, ("CSL-JSON", "BibTeX", "RIS"))]
    write_recorded(site, "bibliography", {"bibliography.html": dict(title=site.strings.ui["bibliography"],
                                                                    entries=rows, files=files)}, register)
    return len(rows)


def write_abbreviations(site: Site, abbreviations: list[Abbreviation], register: Register) -> int:
    rows = [{"id": a.id, "forms": a.forms, "expansions": a.expansions, "note": a.note,
             "register": {"href": f"register/{a.register}.html", "name": register[a.register].name}
             if a.register in register else None,
             "sources": [{"href": f"bibliography.html#{s}", "label": label} for s, label in a.sources]}
            for a in abbreviations]
    site.write("abbreviations.html", "abbreviations.html", kind="abbreviations",
               title=site.strings.ui["abbreviations"], abbreviations=rows)
    return len(rows)


def _dated(site: Site, d: DatedMention, build: DocumentBuild, href: str) -> dict[str, object]:
    greg = format_iso(d.when, site.strings.text)
    if d.to:
        greg += " – " + format_iso(d.to, site.strings.text)
    return {"when": d.when, "gregorian": greg, "text": d.text, "lang": d.lang, "calendar": d.calendar,
            "href": href, "doc": build.doc.short, "inferred": d.inferred, "context": d.context}


def _dated_rows(site: Site, build: DocumentBuild, anchors: Anchors, store: Cache,
                ) -> list[tuple[str, tuple[str, ...], dict[str, object], str]]:
    """(date, its events, the item the chronology lists, that item as JSON) for each dated passage of a
    document that its pages hold, in the document's order; kept in the cache under its reading pages' key
    (they are a function of it, `Site.page_keys`): an edit formats and encodes the dates of its own document
    only (the JSON is what a chronology page's record is keyed by: 9,780 items encoded again took 0.2 s at 10×)."""
    key = site.page_keys.get(build.id)
    key = digest(key, code_version("site/apparatus.py")) if key else None
    kept = store.get(f"chronology-rows-{build.id}", key) if key else None
    if isinstance(kept, list):
        return kept
    rows = []
    for d in build.index.dates:
        href = _href(anchors, build.id, d.anchor, from_root="")
        if href:
            item = _dated(site, d, build, href)
            rows.append((d.when, d.events, item, json.dumps(item, ensure_ascii=False, sort_keys=True)))
    if key:
        store.put(f"chronology-rows-{build.id}", key, rows)
    return rows


def write_chronology(site: Site, builds: list[DocumentBuild], anchors: Anchors, events: list[Event],
                     register: Register) -> int:
    """The events in order, each with the passages dated to its days; then the other dated passages by
    year. Returns the number of dated passages listed."""
    store = Cache(build_cache(site.config.root, "pages"))
    rows = sorted(((when, b.doc.number, on, item, encoded) for b in builds
                   for when, on, item, encoded in _dated_rows(site, b, anchors, store)),
                  key=lambda r: (r[0], r[1]))              # (stable: a document's dates in its order)
    of_event: dict[str, list[dict[str, object]]] = {e.id: [] for e in events}
    years: dict[str, list[dict[str, object]]] = {}
    as_json = {id(row[3]): row[4] for row in rows}
    listed = 0
    for when, _, on, item, _ in rows:
        listed += 1
        owners = [e for e in events if e.id in on]           # the TEI's date points to its events
        for e in owners:
            of_event[e.id].append(item)
        if not owners:
            years.setdefault(when[:4], []).append(item)
    months = site.strings.text
    shown = [{"id": e.id, "label": e.label, "start": e.start, "end": e.end,
              "dates": format_iso(e.start, months) + (" – " + format_iso(e.end, months) if e.end != e.start else ""),
              "old_style": " – ".join(format_iso(d, months) for d in e.old_style.split("–")) if e.old_style else "",
              "description": e.description,
              "sources": [{"href": f"bibliography.html#{s}", "label": label} for s, label in e.sources],
              "involved": [{"href": f"register/{r}.html" if r in register else None, "name": name}
                           for r, name in e.involved],
              "passages": of_event[e.id]} for e in events]
    ui = site.strings.ui
    chunks = _pages_of_years([{"year": y, "dates": ds} for y, ds in years.items()])
    pages: list[tuple[str, dict[str, object]]]
    if len(chunks) <= 1:     # few: on the chronology page, after the events
        pages = [("chronology.html", dict(title=ui["chronology"], events=shown, years=chunks[0] if chunks else [],
                                          parts=[]))]
    else:
        parts: list[dict[str, str]] = [{"href": f"chronology-{n}.html", "label": f"{c[0]['year']}–{c[-1]['year']}",
                                        "count": str(sum(len(y["dates"]) for y in c))}
                                       for n, c in enumerate(chunks, 1)]
        pages = [("chronology.html", dict(title=ui["chronology"], events=shown, years=[], parts=parts))]
        pages += [(part["href"], dict(title=f"{ui['chronology_other']} {part['label']}", events=[], years=chunk,
                                      parts=parts))           # many: pages of years (each well under 500 KB)
                  for part, chunk in zip(parts, chunks)]
    # (an edit changes the passages of a few years at most: the other pages are the last build's)
    def shows(context: dict[str, object]) -> str:   # the context, each passage as its JSON (the same text)
        events_ = [{**e, "passages": [as_json[id(i)] for i in e["passages"]]} for e in context["events"]]  # type: ignore[attr-defined]
        years_ = [{**y, "dates": [as_json[id(i)] for i in y["dates"]]} for y in context["years"]]  # type: ignore[attr-defined]
        return json.dumps({**context, "events": events_, "years": years_}, ensure_ascii=False, sort_keys=True)
    write_recorded(site, "chronology", dict(pages), register, {rel: shows(context) for rel, context in pages})
    return listed


def write_recorded(site: Site, kind: str, pages: dict[str, dict[str, object]], register: Register,
                   shown: dict[str, str] | None = None) -> None:
    """Pages of the template `kind` (rel → what it shows), each recorded (`outputs.Stamps`) under all it shows,
    the settings, strings, templates and code: a page whose content is what the last build rendered is that
    build's file, not rendered again (rendering is the cost). `shown`: what each page shows as text, when the
    caller has it (else its context as JSON)."""
    stamps = outputs.Stamps(Cache(build_cache(site.config.root, "pages")), kind, site.out)
    shared = digest(_shared_key(site, register),
                    code_version("site/apparatus.py", "exports/metadata.py"), repr(site.edition_meta))
    for rel, context in pages.items():
        text = shown[rel] if shown is not None else json.dumps(context, ensure_ascii=False, sort_keys=True)
        key = digest(shared, rel, text)                                   # (JSON, in C: repr took 0.3 s)
        if not stamps.link(rel, key):
            site.write(rel, f"{kind}.html", kind=kind, **context)
            stamps.note(rel, key)
    stamps.save()


PASSAGES_PER_PAGE = 300


def _pages_of_years(years: list[dict]) -> list[list[dict]]:
    """Years grouped into pages of at most PASSAGES_PER_PAGE passages (a year with more stands alone)."""
    pages: list[list[dict]] = []
    count = 0
    for year in years:
        if not pages or count + len(year["dates"]) > PASSAGES_PER_PAGE:
            pages.append([])
            count = 0
        pages[-1].append(year)
        count += len(year["dates"])
    return pages

