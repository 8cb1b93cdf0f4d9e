"""The edition's bibliography (tei/register/bibliography.xml) for reference managers: CSL-JSON, BibTeX and RIS.

One reader turns each <biblStruct> into a neutral `Work`; one writer per format maps it with the format's own
library (json for CSL-JSON, pybtex for BibTeX, rispy for RIS), so Zotero, Citavi or a citeproc processor can
import the same entries. The TEI stays the only source: nothing here adds or corrects a detail.

    write_bibliography_exports(config, folder)  → folder/bibliography.{json,bib,ris}

Conventions read from the TEI (see the ODD's "apparatus" section): names are "Surname, Forenames" (a name
without a comma is a body's or a single name, exported as a literal); <note type="record"> and
<note type="not-known"> go into the exports' note field, so a user sees what the editors could not establish.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import rispy
from lxml import etree
from pybtex.database import BibliographyData, Entry, Person

from .. import TEI_NS, XML_NS
from ..config import Config
from ..diagnostics import EditionError
from ..xmlsafe import XMLProblem, parse_bytes

T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS
XML_LANG = "{%s}lang" % XML_NS
FILES = ("bibliography.json", "bibliography.bib", "bibliography.ris")

# biblStruct/@type (closed list of the ODD) → CSL 1.0.2, BibTeX, RIS types.
CSL_TYPE = {"book": "book", "multivolume": "book", "chapter": "chapter", "article-journal": "article-journal",
            "article-newspaper": "article-newspaper", "periodical": "periodical", "thesis": "thesis",
            "archive": "collection", "webpage": "webpage", "encyclopedia": "entry-encyclopedia",
            "manuscript": "manuscript",
            "document": "document"}   # "document": a source the editors cannot class (CSL 1.0.2)
BIBTEX_TYPE = {"book": "book", "multivolume": "book", "chapter": "incollection", "article-journal": "article",
               "article-newspaper": "article", "periodical": "misc", "thesis": "phdthesis", "archive": "misc",
               "webpage": "misc", "encyclopedia": "misc", "manuscript": "unpublished", "document": "misc"}
RIS_TYPE = {"book": "BOOK", "multivolume": "BOOK", "chapter": "CHAP", "article-journal": "JOUR",
            "article-newspaper": "NEWS", "periodical": "JFULL", "thesis": "THES", "archive": "MANSCPT",
            "webpage": "ELEC", "encyclopedia": "ENCYC", "manuscript": "MANSCPT", "document": "GEN"}


@dataclass
class Name:
    text: str                       # as written in the TEI: "Surname, Forenames" or a body's name

    @property
    def family(self) -> str:
        return self.text.split(",", 1)[0].strip()

    @property
    def given(self) -> str:
        return self.text.split(",", 1)[1].strip() if "," in self.text else ""

    @property
    def is_literal(self) -> bool:
        return "," not in self.text


@dataclass
class Work:
    id: str
    type: str                       # the ODD's biblStruct/@type
    title: str
    language: str = ""
    authors: list[Name] = field(default_factory=list)
    editors: list[Name] = field(default_factory=list)
    compilers: list[Name] = field(default_factory=list)
    translators: list[Name] = field(default_factory=list)
    container: str = ""             # journal, newspaper or book holding an article or chapter
    edition: str = ""
    place: str = ""
    publisher: str = ""
    date: str = ""                  # as printed in the entry ("1957–2009", "13 June 1928")
    date_parts: list[list[int]] = field(default_factory=list)   # CSL: [[y, m, d]] or [[from], [to]]
    volume: str = ""
    issue: str = ""
    pages: str = ""
    volumes: str = ""               # number of volumes of a multivolume work ("3")
    doi: str = ""
    url: str = ""
    accessed: str = ""              # ISO day the editors read a web page
    note: str = ""                  # where the details come from, and what is not known

    @property
    def year(self) -> str:
        years = sorted({str(p[0]) for p in self.date_parts})
        return "–".join(years)


def read_bibliography(path: Path) -> list[Work]:
    """Every entry of the bibliography file, in its order; a file that is not a TEI bibliography is an error."""
    try:
        tree = parse_bytes(path.read_bytes(), str(path))
    except XMLProblem as exc:
        raise EditionError(exc.diag.format()) from None
    except OSError as exc:
        raise EditionError(f"{path}: cannot read the bibliography ({exc.strerror})") from None
    entries = tree.getroot().findall(f".//{T}biblStruct")
    if not entries:
        raise EditionError(f"{path}: no <biblStruct> entries: is this the bibliography (tei/register/bibliography.xml)?")
    return [_work(el) for el in entries]


def _text(el: etree._Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _work(el: etree._Element) -> Work:
    analytic, monogr = el.find(f"{T}analytic"), el.find(f"{T}monogr")
    head = analytic if analytic is not None else monogr
    title_el = head.find(f"{T}title")
    work = Work(id=el.get(XML_ID, ""), type=el.get("type", "book"), title=_text(title_el),
                language=(title_el.get(XML_LANG) or "") if title_el is not None else "")
    people = [*(analytic.findall(f"{T}author") if analytic is not None else []), *monogr.findall(f"{T}author")]
    work.authors = [Name(_text(a)) for a in people]
    for ed in monogr.findall(f"{T}editor"):
        role = ed.get("role", "editor")
        {"compiler": work.compilers, "translator": work.translators}.get(role, work.editors).append(Name(_text(ed)))
    if analytic is not None:
        work.container = _text(monogr.find(f"{T}title"))
    work.edition = _text(monogr.find(f"{T}edition"))
    imprint = monogr.find(f"{T}imprint")
    work.place = _text(imprint.find(f"{T}pubPlace"))
    work.publisher = _text(imprint.find(f"{T}publisher"))
    for date in imprint.findall(f"{T}date"):
        if date.get("type") == "accessed":
            work.accessed = date.get("when", "")
        elif not work.date:
            work.date = _text(date)
            work.date_parts = _date_parts(date)
    for scope in [*monogr.findall(f"{T}biblScope"), *imprint.findall(f"{T}biblScope")]:
        setattr(work, {"volume": "volume", "issue": "issue", "page": "pages"}[scope.get("unit", "page")], _text(scope))
    extent = _text(monogr.find(f"{T}extent"))
    if m := re.match(r"(\d+)", extent):
        work.volumes = m.group(1)
    for idno in monogr.iter(f"{T}idno"):
        if idno.get("type") == "DOI":
            work.doi = _text(idno)
        elif idno.get("type") == "url":
            work.url = _text(idno)
    record = _text(el.find(f"{T}note[@type='record']"))
    unknown = _text(el.find(f"{T}note[@type='not-known']"))
    work.note = " ".join(filter(None, [record, f"Not known: {unknown}." if unknown else ""]))
    return work


def _date_parts(date: etree._Element) -> list[list[int]]:
    def parts(iso: str) -> list[int]:
        return [int(p) for p in iso.split("T")[0].split("-") if p]
    if date.get("when"):
        return [parts(date.get("when"))]
    if date.get("from") and date.get("to"):
        return [parts(date.get("from")), parts(date.get("to"))]
    bound = date.get("notBefore") or date.get("notAfter")
    return [parts(bound)] if bound else []


# --- CSL-JSON ------------------------------------------------------------------------------------------------

def _csl_name(n: Name) -> dict[str, str]:
    return {"literal": n.text} if n.is_literal else {"family": n.family, "given": n.given}


def to_csl(work: Work) -> dict:
    item: dict = {"id": work.id, "type": CSL_TYPE[work.type], "title": work.title}
    # compilers as editors: "compiler" is CSL 1.0.2 only, and citeproc-py and older importers refuse it
    for key, names in (("author", work.authors), ("editor", [*work.editors, *work.compilers]),
                       ("translator", work.translators)):
        if names:
            item[key] = [_csl_name(n) for n in names]
    if work.date_parts and not work.date.startswith("not "):
        item["issued"] = {"date-parts": work.date_parts}
    elif work.date:
        item["issued"] = {"literal": work.date}
    if work.accessed:
        item["accessed"] = {"date-parts": [[int(p) for p in work.accessed.split("-")]]}
    pairs = (("container-title", work.container), ("edition", work.edition), ("publisher", work.publisher),
             ("volume", work.volume), ("issue", work.issue), ("page", work.pages),
             ("number-of-volumes", work.volumes), ("DOI", work.doi), ("URL", work.url), ("language", work.language),
             ("note", work.note))
    item.update({k: v for k, v in pairs if v})
    if work.place:
        item["archive-place" if work.type == "archive" else "publisher-place"] = work.place
    return item


def csl_json(works: list[Work]) -> str:
    return json.dumps([to_csl(w) for w in works], ensure_ascii=False, indent=1) + "\n"


# --- BibTeX (pybtex) ---------------------------------------------------------------------------------------

def _person(n: Name) -> Person:
    # a body's name in braces, so that no program splits it into forename and surname
    return Person(last="{%s}" % n.text) if n.is_literal else Person(n.text)


def to_bibtex(work: Work) -> Entry:
    fields = {"title": work.title, "year": work.year, "address": work.place, "edition": work.edition,
              "volume": work.volume, "number": work.issue, "pages": work.pages, "doi": work.doi, "url": work.url,
              "language": work.language, "note": work.note, "urldate": work.accessed}
    if work.type == "thesis":
        fields["school"] = work.publisher
    else:
        fields["publisher"] = work.publisher
    if work.type in ("article-journal", "article-newspaper"):
        fields["journal"] = work.container
    elif work.type == "webpage":
        fields["howpublished"] = work.container
    elif work.container:
        fields["booktitle"] = work.container
    if work.date and not re.fullmatch(r"\d{4}", work.date):
        fields["date"] = work.date                  # the date as printed, when more than a year
    if work.type == "periodical":
        fields["howpublished"] = "periodical"
    elif work.type == "archive":
        fields["howpublished"] = "archival fond"
    persons = {"author": [_person(n) for n in work.authors],
               "editor": [_person(n) for n in [*work.editors, *work.compilers]]}
    if work.translators:
        fields["translator"] = " and ".join(n.text for n in work.translators)
    return Entry(BIBTEX_TYPE[work.type], fields={k: v for k, v in fields.items() if v},
                 persons={k: v for k, v in persons.items() if v})


def bibtex(works: list[Work]) -> str:
    data = BibliographyData(entries={w.id: to_bibtex(w) for w in works})
    return data.to_string("bibtex")


# --- RIS (rispy) -------------------------------------------------------------------------------------------

def to_ris(work: Work) -> dict:
    rec: dict = {"type_of_reference": RIS_TYPE[work.type], "id": work.id, "title": work.title}
    if work.authors:
        rec["authors"] = [n.text for n in work.authors]
    if work.editors or work.compilers:
        rec["secondary_authors"] = [n.text for n in [*work.editors, *work.compilers]]
    if work.translators:
        rec["translated_author"] = "; ".join(n.text for n in work.translators)
    first, _, last = work.pages.replace("–", "-").partition("-")
    pairs = (("secondary_title", work.container), ("edition", work.edition), ("place_published", work.place),
             ("publisher", work.publisher), ("year", work.year), ("date", _ris_date(work)), ("volume", work.volume),
             ("number", work.issue), ("start_page", first.strip()), ("end_page", last.strip()),
             ("number_of_volumes", work.volumes), ("doi", work.doi), ("language", work.language),
             ("notes", [work.note] if work.note else []), ("urls", [work.url] if work.url else []),
             ("access_date", work.accessed.replace("-", "/")))
    rec.update({k: v for k, v in pairs if v})
    return rec


def _ris_date(work: Work) -> str:
    """RIS DA is YYYY/MM/DD/other: the first date of the entry, the date as printed in "other"."""
    if not work.date_parts:
        return ""
    y, m, d = (work.date_parts[0] + [0, 0])[:3]
    if m:
        return f"{y:04d}/{m:02d}/{d:02d}/".replace("/00", "/")
    return f"{y:04d}///" + ("" if work.date == str(y) else work.date)


class _RisWriter(rispy.RisWriter):
    """RIS without rispy's numbered header line before each record, which the format does not have."""

    def set_header(self, count: int) -> str:
        return ""


def ris(works: list[Work]) -> str:
    return rispy.dumps([to_ris(w) for w in works], implementation=_RisWriter)


# --- files -------------------------------------------------------------------------------------------------

def bibliography_path(config: Config) -> Path:
    return config.tei_dir / "register" / "bibliography.xml"


def write_bibliography_exports(config: Config, folder: Path) -> list[Path]:
    """bibliography.json (CSL-JSON), .bib (BibTeX) and .ris (RIS) in folder; none when the edition has no
    bibliography. The build calls this with folder = site/data/bibliography."""
    source = bibliography_path(config)
    if not source.exists():
        return []
    return write_formats(read_bibliography(source), folder, FILES)


def write_formats(works: list[Work], folder: Path, names: tuple[str, str, str]) -> list[Path]:
    """The works as CSL-JSON, BibTeX and RIS in folder, under names (in that order)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, text in zip(names, (csl_json(works), bibtex(works), ris(works))):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out
