"""How a document is cited: as the work its witness reproduces. The header's sourceDesc <bibl> (the
translation the witness reproduces, else the original) points with @corresp to its entry in the bibliography
(tei/register/bibliography.xml, the list "texts"), and that <biblStruct>'s @type is the work's type: a journal
article, a book, a web page, a manuscript... The TEI decides; nothing here guesses a type from a document.

One description (a bibliography `Work`, read by the bibliography's own reader) gives every form, so they agree:
the citation meta tags of the reading pages, their schema.org type, the documents' CSL-JSON, BibTeX and RIS
(data/citations/), and the cite action's Chicago and BibTeX styles.

Names follow the bibliography's convention: "Surname, Forenames" for a person, a name without a comma for a body
(or a single name, such as initials). Zotero's "Embedded Metadata" translator (zotero/translators) reads each
`citation_author`/`citation_editor` with Zotero.Utilities.cleanAuthor(name, role, name.includes(",")): without a
comma it splits a body's name at its last space into first and last name ("Интернациональное коммунистическое" /
"течение (ИКТ)"); with a comma it takes what stands before the first comma as the last name and what follows as
the first. A body's name is therefore written with a comma and nothing after it ("ИКТ,"): Zotero keeps the whole
name as the last name with no first name, which its API form records as a single-field name ({"name": ...}) and
its CSL export as one family name. Meta tags cannot do more: only RDF nodes give Zotero fieldMode 1.
tests/zotero_embedded.py is a parser written from that translator's code; tests/test_reuse.py runs it on pages.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from pathlib import Path

from ..config import Config
from ..corpus import Document
from . import urls
from .. import outputs
from ..cache import Cache, code_version, digest
from ..paths import build_cache
from .bibliography import Name, Work, bibliography_path, bibtex, csl_json, read_bibliography, ris, to_bibtex

# biblStruct/@type (the ODD's closed list) → the item type of Zotero (which its RDF reader takes from
# z:itemType when no Highwire container tag names one) and of schema.org.
ZOTERO_TYPE = {"book": "book", "multivolume": "book", "chapter": "bookSection", "article-journal": "journalArticle",
               "article-newspaper": "newspaperArticle", "periodical": "book", "thesis": "thesis",
               "archive": "manuscript", "webpage": "webpage", "encyclopedia": "encyclopediaArticle",
               "manuscript": "manuscript", "document": "document"}
SCHEMA_TYPE = {"book": "Book", "multivolume": "Book", "chapter": "Chapter", "article-journal": "ScholarlyArticle",
               "article-newspaper": "NewsArticle", "periodical": "Periodical", "thesis": "Thesis",
               "archive": "ArchiveComponent", "webpage": "WebPage", "encyclopedia": "Article",
               "manuscript": "Manuscript", "document": "CreativeWork"}
# what holds an article, chapter or page, in schema.org
CONTAINER_TYPE = {"article-journal": "Periodical", "article-newspaper": "Newspaper", "chapter": "Book",
                  "webpage": "WebSite", "encyclopedia": "Book"}
FILES = ("documents.json", "documents.bib", "documents.ris")
FOLDER = "data/citations/"


@lru_cache(maxsize=4)
def _entries(path: Path, mtime: float) -> dict[str, Work]:
    return {w.id: w for w in read_bibliography(path)}


def bibliography_entries(cfg: Config) -> dict[str, Work]:
    """The bibliography's entries by id (read once per version of the file); none without a bibliography."""
    path = bibliography_path(cfg)
    return _entries(path, path.stat().st_mtime) if path.exists() else {}


def document_work(cfg: Config, doc: Document) -> Work:
    """The work a document's witness reproduces, as a citation of this document names it: its bibliography
    entry (the header's bibl/@corresp) with the document's id, the address of its reading page and the
    language of its text. A header that points to no entry is cited from what it says: its title, its
    cited authors (Facts.cited_authors) and the generic type "document"."""
    facts = doc.facts
    assert facts is not None, "the build reads each document's facts before it cites them"
    url = urls.absolute(cfg, urls.document(doc.id))
    entry = bibliography_entries(cfg).get(facts.source_entry) if facts.source_entry else None
    if entry is None:
        return Work(id=doc.id, type="document", title=facts.title, language=facts.lang,
                    authors=[Name(a) for a in facts.cited_authors], url=url)
    return dataclasses.replace(entry, id=doc.id, url=url, language=facts.lang,
                               authors=list(entry.authors), editors=list(entry.editors),
                               compilers=list(entry.compilers), translators=list(entry.translators))


def exact_year(work: Work) -> str:
    """The year of publication when the entry states it (not a bound such as "not before 1991")."""
    return work.year if work.date_parts and not work.date.startswith("not ") else ""


# --- citation meta tags ----------------------------------------------------------------------------------

def highwire_names(names: list[Name]) -> list[str]:
    """Names as citation_author/citation_editor values that Zotero reads right: a person "Surname, Forenames";
    a body's name with a comma after it, so that it is not split (see the module's docstring). A lone tag
    whose comma has two words on each side Zotero reads as two people: a semicolon after it (Zotero's
    separator of names in one tag) keeps it one."""
    out = [f"{n.text}," if n.is_literal else n.text for n in names]
    if len(names) == 1 and not names[0].is_literal and " " in names[0].family and " " in names[0].given:
        out[0] += ";"
    return out


def citation_tags(work: Work, title: str = "", container: str = "") -> list[tuple[str, str]]:
    """The Highwire Press tags of a work (Zotero, Google Scholar): its title, one tag a creator, the tag
    that names its container and so its type (citation_journal_title: a journal article;
    citation_inbook_title: a book section), volume, issue, DOI, publisher, date. `title` and `container`
    override the work's (a division of a document: a section of it)."""
    kind = "chapter" if container else work.type
    container = container or work.container
    tags = [("citation_title", title or work.title)]
    tags += [("citation_author", n) for n in highwire_names(work.authors)]
    tags += [("citation_editor", n) for n in highwire_names([*work.editors, *work.compilers])]
    if kind in ("article-journal", "article-newspaper"):
        tags += [("citation_journal_title", container), ("citation_volume", work.volume),
                 ("citation_issue", work.issue)]
    elif kind in ("chapter", "encyclopedia"):
        tags.append(("citation_inbook_title", container))
    tags += [("citation_doi", work.doi), ("citation_publisher", work.publisher),
             ("citation_publication_date", exact_year(work)),
             ("z.itemType", ZOTERO_TYPE["chapter" if kind == "chapter" else work.type])]
    return [(n, c) for n, c in tags if c]


# --- schema.org ----------------------------------------------------------------------------------------------

def schema_agent(name: Name) -> dict:
    """A person named both ways, or a body as written."""
    if name.is_literal:
        return {"@type": "Organization", "name": name.text}
    return {"@type": "Person", "name": f"{name.given} {name.family}".strip(), "familyName": name.family,
            "givenName": name.given}


def schema_work(work: Work) -> dict:
    """schema.org for the work: its type, creators, container (a Periodical, Book or WebSite), publisher,
    date, volume/issue and DOI."""
    node: dict = {"@type": SCHEMA_TYPE[work.type], "name": work.title}
    for key, names in (("author", work.authors), ("editor", [*work.editors, *work.compilers]),
                       ("translator", work.translators)):
        if names:
            node[key] = [schema_agent(n) for n in names]
    if work.container:
        node["isPartOf"] = {"@type": CONTAINER_TYPE.get(work.type, "CreativeWork"), "name": work.container}
    if work.publisher:
        node["publisher"] = {"@type": "Organization", "name": work.publisher}
    if exact_year(work):
        node["datePublished"] = exact_year(work)
    if work.volume:
        node["volumeNumber"] = work.volume
    if work.issue:
        node["issueNumber"] = work.issue
    if work.doi:
        node["sameAs"] = f"https://doi.org/{work.doi}"
    return node


# --- the cite action ---------------------------------------------------------------------------------------

def _chicago_names(names: list[Name]) -> str:
    """Chicago's bibliography form: the first name inverted, the others in natural order."""
    shown = [n.text if i == 0 or n.is_literal else f"{n.given} {n.family}".strip() for i, n in enumerate(names)]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + ", and " + shown[-1]


def _sentence(text: str) -> str:
    """A part of a citation ended by one full stop."""
    return text if text.endswith((".", "?", "!", ".”")) else text + "."


def chicago(work: Work) -> str:
    """The work in Chicago's bibliography style (the cite action adds the paragraph and the edition):
    a title in quotation marks when it is part of a container, in italics' place (plain text) otherwise."""
    parts = []
    editors = [*work.editors, *work.compilers]
    if work.authors:
        parts.append(_sentence(_chicago_names(work.authors)))
    elif editors:
        role = "comp." if work.compilers and not work.editors else "ed."
        parts.append(f"{_chicago_names(editors)}, {role}")
    quoted = work.type in ("article-journal", "article-newspaper", "chapter", "webpage", "encyclopedia")
    parts.append(f"“{work.title}.”" if quoted else _sentence(work.title))
    if work.translators:
        parts.append(f"Translated by {_chicago_names(work.translators)}.")
    year = exact_year(work) or work.date
    if work.type in ("article-journal", "article-newspaper"):
        issue = f", no. {work.issue}" if work.issue else ""
        parts.append(f"{work.container} {work.volume}{issue}".strip() + (f" ({year})." if year else "."))
    elif work.type == "webpage":
        parts.append(_sentence(", ".join(p for p in (work.container or work.publisher, work.date or year) if p)))
    else:
        if work.container:
            parts.append(f"In {work.container}.")
        if editors and work.authors:
            parts.append(f"Edited by {_chicago_names(editors)}.")
        imprint = ": ".join(p for p in (work.place, work.publisher) if p)
        tail = ", ".join(p for p in (imprint, year) if p)
        if tail:                          # "not before 1991" opens a sentence
            parts.append(_sentence(tail[:1].upper() + tail[1:]))
    if work.doi:
        parts.append(f"https://doi.org/{work.doi}.")
    return " ".join(parts)


def bibtex_parts(work: Work) -> dict:
    """The work's BibTeX entry type and fields (persons joined by "and", bodies in braces), as the cite
    action writes them around the paragraph it cites: the same entry as data/citations/documents.bib."""
    entry = to_bibtex(work)
    fields = [[k, v] for k, v in entry.fields.items() if k not in ("url", "note", "language")]
    persons = [[role, " and ".join(str(p) for p in people)] for role, people in entry.persons.items()]
    return {"type": entry.type, "fields": persons + fields}


def cite_data(cfg: Config, doc: Document) -> dict:
    """What the cite action needs besides the edition's facts: the work in Chicago's style and as BibTeX."""
    work = document_work(cfg, doc)
    return {"work_chicago": chicago(work), "work_bibtex": bibtex_parts(work)}


# --- files -------------------------------------------------------------------------------------------------

def write_document_citations(cfg: Config, documents: list[Document], folder: Path, cache: bool = True) -> list[Path]:
    """data/citations/documents.{json,bib,ris}: each document cited as the work its witness reproduces, at
    the address of its reading page (CSL-JSON, BibTeX and RIS by the bibliography's writers). The texts are
    kept in the build cache under the works and the code (pybtex's BibTeX costs 0.35 s at 10×, on every
    edit), and the files linked from the previous build when unchanged."""
    works = [document_work(cfg, d) for d in documents if d.facts is not None]
    from importlib.metadata import version
    store = Cache(build_cache(cfg.root, "pages"), enabled=cache)
    key = digest(repr(works), code_version("exports/source_citation.py", "exports/bibliography.py"),
                 version("pybtex"))
    texts = store.get("document-citations", key)
    if not (isinstance(texts, tuple) and len(texts) == len(FILES)):
        texts = tuple(write(works).encode("utf-8") for write in (csl_json, bibtex, ris))
        store.put("document-citations", key, texts)
    paths = [folder / name for name in FILES]
    for path, blob in zip(paths, texts):
        outputs.write_bytes(path, blob)
    return paths
