"""The editors' apparatus (issue 14): bibliography, citing passages, abbreviations, events, introductions.
Each test reads the real files and fails on the real kind of mistake: an incomplete entry, a citation that is not
in the witness where the mapping says, an abbreviation no text uses, an event without a date or a source, a
statement of the editors without a reference."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from lxml import etree

from tei_edition import TEI_NS, XML_NS
from tei_edition.corpus import apparatus_paths, documents
from tei_edition.validate import validate

T = "{%s}" % TEI_NS
NS = {"t": TEI_NS}
XML_ID = "{%s}id" % XML_NS
XML_LANG = "{%s}lang" % XML_NS


def _parse(path: Path) -> etree._ElementTree:
    return etree.parse(str(path))


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split())


@pytest.fixture(scope="module")
def register(root) -> Path:
    return root / "tei" / "register"


@pytest.fixture(scope="module")
def entries(register) -> dict[str, etree._Element]:
    tree = _parse(register / "bibliography.xml")
    return {el.get(XML_ID): el for el in tree.iter(T + "biblStruct")}


@pytest.fixture(scope="module")
def witnesses(docs) -> dict[str, list[str]]:
    return {d: doc.source_path.read_text(encoding="utf-8").split("\n") for d, doc in docs.items()}


@pytest.fixture(scope="module")
def citations(register) -> list[dict[str, str]]:
    lines = [ln for ln in (register / "citations.tsv").read_text(encoding="utf-8").split("\n")
             if ln and not ln.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    for r in rows:
        r["citing"] = r["citing"].replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\")
    return rows


def test_the_apparatus_files_are_part_of_the_edition_and_valid(cfg, root):
    paths = apparatus_paths(cfg)
    names = {p.relative_to(root).as_posix() for p in paths}
    assert {"tei/register/bibliography.xml", "tei/register/abbreviations.xml", "tei/register/events.xml",
            "tei/front/introduction.xml", "tei/front/about.xml"} <= names
    assert {f"tei/front/{d.id}-intro.xml" for d in documents(cfg)} <= names
    report = validate(cfg, paths)
    assert [d.format() for d in report.diagnostics if d.severity == "error"] == []


# --- bibliography ------------------------------------------------------------------------------------------

# The parts an entry of each type must give, or name in its note type="not-known".
REQUIRED = {
    "book": ["author", "title", "place", "publisher", "date"],
    "multivolume": ["author", "title", "place", "publisher", "date", "volumes"],
    "chapter": ["author", "title", "container", "editor", "place", "publisher", "date", "pages"],
    "article-journal": ["author", "title", "container", "volume", "date", "pages"],
    "article-newspaper": ["title", "container", "date"],
    "periodical": ["title", "place", "date"],
    "thesis": ["author", "title", "publisher", "date"],
    "archive": ["title", "place", "fond"],
    "webpage": ["title", "publisher", "date", "url"],
    "encyclopedia": ["title", "container", "date", "url"],
    "manuscript": ["title", "date"],
}
# How a missing part is named in the not-known note (the start of one of its items).
NOT_KNOWN_WORDS = {"author": ("author", "editors"), "editor": ("editors",), "title": ("title",),
                   "place": ("place",), "publisher": ("publisher",), "date": ("date", "first year"),
                   "volumes": ("number of volumes",), "volume": ("volume",), "pages": ("pages",),
                   "container": ("journal",), "url": ("address",), "fond": ("fond number",)}


def _parts(el: etree._Element) -> set[str]:
    analytic, monogr = el.find(T + "analytic"), el.find(T + "monogr")
    imprint = monogr.find(T + "imprint")
    have = set()
    people = el.findall(f".//{T}author") + [e for e in el.iter(T + "editor") if e.get("role") != "translator"]
    if any(_text(p) for p in people):
        have.add("author")
    if any(_text(e) for e in el.iter(T + "editor") if e.get("role") == "editor"):
        have.add("editor")
    def given(title) -> bool:            # a descriptive title of the editors, [in brackets], is not the title
        return bool(_text(title)) and not _text(title).startswith("[") if title is not None else False
    if given((analytic if analytic is not None else monogr).find(T + "title")):
        have.add("title")
    if analytic is not None and given(monogr.find(T + "title")):
        have.add("container")
    for name, tag in (("place", "pubPlace"), ("publisher", "publisher")):
        if _text(imprint.find(T + tag) if imprint.find(T + tag) is not None else etree.Element("x")):
            have.add(name)
    date = imprint.find(T + "date")
    if date is not None and (date.get("when") or date.get("from") or date.get("notBefore")):
        have.add("date")
    units = {s.get("unit") for s in el.iter(T + "biblScope") if _text(s)}
    have |= {"volume" if u == "volume" else "pages" if u == "page" else "issue" for u in units}
    if "issue" in have:
        have.add("volume")                 # a journal cited by issue number alone
    if monogr.find(T + "extent") is not None:
        have.add("volumes")
    if any(i.get("type") == "url" for i in monogr.iter(T + "idno")):
        have.add("url")
    if el.get("type") == "archive" and re.search(r"\b(ф|f)\. ?r?-?\d", _text(monogr.find(T + "title"))):
        have.add("fond")
    return have


def test_every_entry_is_complete_or_says_what_is_not_known(entries):
    problems = []
    for xid, el in entries.items():
        assert xid.startswith("bib-"), xid
        unknown = el.find(f"{T}note[@type='not-known']")
        named = [p.strip() for p in _text(unknown).split(";")] if unknown is not None else []
        have = _parts(el)
        for part in REQUIRED[el.get("type")]:
            if part in have:
                continue
            if not any(item.startswith(NOT_KNOWN_WORDS[part]) for item in named):
                problems.append(f"{xid}: {part} neither given nor named as not known")
        for item in named:     # and nothing is called unknown that the entry gives
            for part, words in NOT_KNOWN_WORDS.items():
                if item.startswith(words) and part in have and part not in ("author", "title"):
                    problems.append(f"{xid}: '{item}' is named as not known but the entry gives it")
        if not _text(el.find(f"{T}note[@type='record']")):
            problems.append(f"{xid}: no record of where its details come from")
    assert problems == []


def test_names_are_written_surname_first_and_link_to_the_register(entries, register):
    persons = {el.get(XML_ID) for el in _parse(register / "persons.xml").iter(T + "person")}
    for xid, el in entries.items():
        for name in [*el.iter(T + "author"), *el.iter(T + "editor")]:
            text = _text(name)
            assert text and not text.endswith(","), (xid, text)
            if name.get("ref", "").startswith("#org-"):
                assert "," not in text, (xid, text)      # a body: its name as one literal
            elif name.get("ref"):
                assert name.get("ref")[1:] in persons, (xid, name.get("ref"))
                assert "," in text, (xid, text)          # a person of the register: "Surname, Forenames"


def test_every_citing_passage_is_in_the_witness_where_the_mapping_says(citations, witnesses, entries, cfg):
    assert len(citations) >= 250
    trees = {d: _parse(cfg.tei_dir / f"{d}.xml") for d in {r["doc"] for r in citations}}
    for r in citations:
        lines = witnesses[r["doc"]]
        first, last = int(r["line"]), int(r["line_end"])
        block = "\n".join(lines[first - 1:last])
        assert r["citing"] in block, r
        assert r["citing"].split("\n")[0] in lines[first - 1], r     # it begins on its first line
        assert r["citing"].split("\n")[-1] in lines[last - 1], r     # and ends on its last
        if r["entry"] == "-":
            assert r["resolution"] == "unidentified" and r["remark"], r
        else:
            assert r["entry"] in entries, r
        assert r["resolution"] in ("explicit", "short-title", "ibid", "op-cit", "unidentified"), r
        held = trees[r["doc"]].xpath(f"//*[@xml:id='{r['where']}']//t:lb/@n", namespaces=NS)
        assert str(first) in held, f"{r['where']} does not hold witness line {first}"


def test_the_notes_of_d003_are_all_read(citations):
    """Every one of the 108 notes of Douds's article that cites a publication has its row (the others,
    notes 1–108 without a reference, are none: every note of d003 cites)."""
    notes = {r["where"] for r in citations if r["doc"] == "d003"}
    assert len(notes) == 108


def test_every_entry_is_cited_by_a_text_or_by_the_editors(entries, citations, cfg, register):
    cited = {r["entry"] for r in citations}
    by_editors = set()
    for path in apparatus_paths(cfg):
        for b in _parse(path).iter(T + "bibl"):
            if b.get("corresp", "").startswith("#bib-"):
                by_editors.add(b.get("corresp")[1:])
    record_links = {m for el in entries.values() for m in re.findall(r"bib-[a-z0-9-]+", _text(el))}
    uncited = [x for x in entries if x not in cited | by_editors | record_links]
    assert uncited == []
    assert not (by_editors - set(entries))


# --- abbreviations -----------------------------------------------------------------------------------------

def _flat(text: str) -> str:
    """A witness with its line breaks undone: a hyphen at a line end joined, other breaks as spaces."""
    return re.sub(r"\s+", " ", re.sub(r"-\n\s*", "", text))


def test_every_abbreviation_has_an_expansion_a_source_and_forms_that_occur(register, witnesses, entries):
    tree = _parse(register / "abbreviations.xml")
    items = list(tree.iter(T + "item"))
    assert len(items) >= 30
    texts = {d: ("\n".join(lines), _flat("\n".join(lines))) for d, lines in witnesses.items()}
    registered = {el.get(XML_ID) for f in ("persons", "organisations", "places")
                  for el in _parse(register / f"{f}.xml").iter() if el.get(XML_ID)}
    for item in items:
        xid = item.get(XML_ID)
        assert xid.startswith("abbr-")
        forms, expansions = item.findall(T + "abbr"), item.findall(T + "expan")
        assert forms and expansions, xid
        for el in [*forms, *expansions]:
            assert el.get(XML_LANG) in ("ru", "el", "en", "ru-Latn"), (xid, _text(el))
        for form in forms:
            found = [d for d, (raw, flat) in texts.items() if _text(form) in raw or _text(form) in flat]
            assert found, f"{xid}: the form {_text(form)!r} occurs in no witness"
        sources = [b.get("corresp", "")[1:] for b in item.findall(T + "bibl")]
        assert sources and all(s in entries for s in sources), xid
        for ptr in item.findall(T + "ptr"):
            assert ptr.get("type") == "register" and ptr.get("target")[1:] in registered, xid


def test_the_abbreviations_the_issue_names_are_there(register):
    forms = {_text(a) for a in _parse(register / "abbreviations.xml").iter(T + "abbr")}
    assert {"ВЦИК", "СНК", "Викжель", "РКП(б)", "ЦКК", "Κ.Ε.Ε.", "ВКП(б)", "Σ.Ε."} <= forms


# --- events --------------------------------------------------------------------------------------------------

def test_every_event_has_a_date_a_source_and_the_register_entries_involved(register, entries):
    tree = _parse(register / "events.xml")
    events = list(tree.iter(T + "event"))
    assert len(events) >= 20
    registered = {el.get(XML_ID) for f in ("persons", "organisations", "places")
                  for el in _parse(register / f"{f}.xml").iter() if el.get(XML_ID)}
    starts = []
    for ev in events:
        xid = ev.get(XML_ID)
        start = ev.get("when") or ev.get("from")
        assert start and re.fullmatch(r"\d{4}(-\d\d){0,2}", start), xid
        starts.append(start)
        assert _text(ev.find(T + "label")) and _text(ev.find(T + "desc")), xid
        sources = [b.get("corresp", "")[1:] for b in ev.findall(T + "bibl")]
        assert sources and all(s in entries for s in sources), xid
        involved = ev.find(f"{T}note[@type='involved']")
        refs = [n.get("ref")[1:] for n in involved.iter() if n.get("ref")]
        assert refs and all(r in registered for r in refs), xid
        for n in ev.find(T + "desc").iter():
            if n.get("ref"):
                assert n.get("ref")[1:] in refs, f"{xid}: {n.get('ref')} named in the description but not listed as involved"
    assert starts == sorted(starts), "the chronology is in order"


def test_dates_before_the_calendar_change_are_given_in_both_calendars(register):
    """Before 14 February 1918 (New Style) a Russian event is written Old Style and New Style, and the two
    written dates differ by the thirteen days of the Julian calendar."""
    import datetime as dt
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December"]
    for ev in _parse(register / "events.xml").iter(T + "event"):
        start = ev.get("when") or ev.get("from")
        if start >= "1918-02-14":
            continue
        dates = ev.find(T + "desc").findall(T + "date")
        cals = [d.get("calendar") for d in dates]
        assert "#events-julian" in cals and "#events-gregorian" in cals, ev.get(XML_ID)
        julian = next(d for d in dates if d.get("calendar") == "#events-julian")
        m = re.match(r"(\d+)(?:–\d+)? (\w+) (\d{4})", _text(julian))
        day = dt.date(int(m.group(3)), months.index(m.group(2)) + 1, int(m.group(1)))
        assert (day + dt.timedelta(days=13)).isoformat() == (julian.get("when") or julian.get("from")), ev.get(XML_ID)


def test_the_events_the_issue_names_are_there(register):
    ids = {ev.get(XML_ID) for ev in _parse(register / "events.xml").iter(T + "event")}
    assert {"ev-second-congress", "ev-vikzhel-talks", "ev-left-srs-enter-sovnarkom", "ev-constituent-assembly",
            "ev-brest-litovsk", "ev-left-sr-rising", "ev-kronstadt", "ev-declaration-46",
            "ev-fifteenth-congress"} <= ids


# --- introductions ---------------------------------------------------------------------------------------------

def _intro_paragraphs(path: Path):
    tree = _parse(path)
    return [p for div in tree.iter(T + "div") if div.get("type") == "introduction" for p in div.iter(T + "p")]


def test_every_historical_statement_of_the_introductions_names_its_source(cfg):
    """A paragraph of an introduction that speaks of the period (a year 1900–1939 or a month of the period)
    carries a reference: a bibl pointing to the bibliography or a ref to a passage of the texts."""
    history = re.compile(r"\b19[0-3]\d\b|\b(January|February|March|April|May|June|July|August|September|October|"
                         r"November|December)\b")
    unsourced = []
    for path in apparatus_paths(cfg):
        if path.parent.name != "front":
            continue
        for p in _intro_paragraphs(path):
            cites = p.findall(f".//{T}bibl[@corresp]") + [r for r in p.iter(T + "ref") if ".xml#" in r.get("target", "")]
            if history.search(_text(p)) and not cites:
                unsourced.append(f"{path.name}: {p.get(XML_ID)}: {_text(p)[:80]}")
    assert unsourced == []


def test_every_document_has_an_introduction_with_the_parts_the_issue_asks_for(cfg):
    for doc in documents(cfg):
        path = cfg.tei_dir / "front" / f"{doc.id}-intro.xml"
        div = _parse(path).find(f".//{T}div[@type='introduction']")
        assert div.get(XML_ID) == f"{doc.id}-intro" and div.get("resp") == "#ed"
        assert all(el.get(XML_ID, "").startswith(f"{doc.id}-intro") for el in div.iter() if el.get(XML_ID))
        text = _text(div)
        assert len(text) > 1500, doc.id
        heads = [_text(h) for h in div.iter(T + "head")]
        assert any("witness" in h.lower() or "text" in h.lower() for h in heads), doc.id
        assert div.findall(f".//{T}bibl[@corresp]"), doc.id


@pytest.mark.parametrize("doc_id", ["d000", "d001", "d002", "d003", "d004"])
def test_each_introduction_moves_into_its_document_keeping_fidelity_and_validity(cfg, root, docs, doc_id):
    from tei_edition.fidelity import compare
    from tei_edition.front import intro_division, intro_path, move_intro
    from tei_edition.schema import load_odd, odd_path
    from tei_edition.validate.locate import Locator
    from tei_edition.validate.schema_check import ProjectSchema
    from tei_edition.xmlsafe import parse_bytes

    doc = docs[doc_id]
    before = doc.tei_path.read_text(encoding="utf-8")
    moved = move_intro(before, intro_path(cfg, doc_id).read_text(encoding="utf-8"), doc_id)
    report = compare(doc_id, doc.tei_path, doc.source_path, tei=moved.encode("utf-8"))
    assert report.ok, report.divergences
    tree = parse_bytes(moved.encode("utf-8"), doc_id)
    front = tree.getroot().find(f"{T}text/{T}front")
    assert front[0].get(XML_ID) == f"{doc_id}-intro" and front[0].get(XML_LANG) == "en"
    schema = ProjectSchema.compile(load_odd(odd_path(root)))
    errors = [d.format() for d in schema.check(tree, doc_id, Locator(tree, moved)) if d.severity == "error"]
    assert errors == []
    ids = {el.get(XML_ID) for el in tree.iter() if isinstance(el.tag, str) and el.get(XML_ID)}
    for ref in front[0].iter(T + "ref"):
        target = ref.get("target")
        assert not target.startswith("../"), target
        if target.startswith("#"):
            assert target[1:] in ids, target
    # outside the new division the document is unchanged
    division = intro_division(intro_path(cfg, doc_id).read_text(encoding="utf-8"), doc_id)
    assert moved.count(division) == 1
    cut = moved.replace(division, "")
    assert re.sub(r"\s+", "", cut).replace("<front></front>", "") == re.sub(r"\s+", "", before)


def test_references_to_witness_lines_name_real_lines(cfg, register, witnesses):
    """The apparatus in tei/register/ refers to passages by witness line ("d003, witness line 35"), which holds in
    a project without that document; each such reference must name a non-empty line of that witness."""
    ref = re.compile(r"\b(d\d{3})\b.*?witness lines? (\d+)(?:[–-](\d+))?")
    seen = 0
    for name in ("bibliography.xml", "abbreviations.xml", "events.xml"):
        for cr in _parse(register / name).iter(T + "citedRange"):
            if cr.get("unit") != "line":
                continue
            m = ref.search(_text(cr))
            assert m, _text(cr)
            lines = witnesses[m.group(1)]
            for n in filter(None, (m.group(2), m.group(3))):
                assert 1 <= int(n) <= len(lines) and lines[int(n) - 1].strip(), _text(cr)
            seen += 1
    assert seen >= 40
    for name in ("bibliography.xml", "abbreviations.xml", "events.xml"):   # and no pointer into a document file
        assert "../d0" not in (register / name).read_text(encoding="utf-8"), name
