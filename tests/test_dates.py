"""Dates: exact calendar arithmetic, every form of date expression the sources print, the editors' dating
decisions, and the whole edition against a hand reading of the inferred years."""

from __future__ import annotations

import csv
from datetime import date
from functools import lru_cache
from pathlib import Path

import pytest
from lxml import etree

from tei_edition.annotate.dates import DateReport, Dater, tag_dates
from tei_edition.annotate.julian import is_old_style, julian_to_gregorian, month_span
from tei_edition.annotate.stream import BARRIER, build
from tei_edition.diagnostics import EditionError
from tei_edition.importer import dating
from tei_edition.importer.profile import load_profile
from tei_edition.xmlsafe import parse_file

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
HAND_READ = Path(__file__).parent / "data" / "dates_inferred.tsv"


@pytest.mark.parametrize("julian, gregorian", [
    ((1917, 10, 25), date(1917, 11, 7)),     # the October rising
    ((1917, 2, 23), date(1917, 3, 8)),       # the February revolution
    ((1918, 1, 31), date(1918, 2, 13)),      # the last Julian day in Russia
    ((1918, 1, 6), date(1918, 1, 19)),       # the Constituent Assembly dispersed
    ((1900, 2, 29), date(1900, 3, 13)),      # a Julian leap day that Gregorian 1900 lacks
    ((1899, 12, 31), date(1900, 1, 12)),     # 12 days before 1 March 1900 (Julian)
])
def test_julian_to_gregorian_is_exact(julian, gregorian):
    assert julian_to_gregorian(*julian) == gregorian


def test_no_such_julian_date():
    with pytest.raises(ValueError):
        julian_to_gregorian(1917, 11, 31)


def test_old_style_until_february_1918():
    assert is_old_style(1918, 1, 31) and not is_old_style(1918, 2, 1)
    assert month_span(1917, 11, True) == (date(1917, 11, 14), date(1917, 12, 13))


def find(text: str, doc: str = "d000", **decision):
    dater = Dater(doc, DateReport())
    return [(f.text, f.attrs) for f in dater.find(text, **decision)], dater.report


def _source(docs, num: str) -> str:
    return next(d for d in docs.values() if d.source_path.name.startswith(num)).source_path.read_text(encoding="utf-8")


# Every form the issue names, as printed in the witnesses (the text around it as printed too), with the exact
# values: proleptic Gregorian, the calendar of the text as written.
CENTURY = {"cert": "high", "resp": "#ed", "evidence": "internal"}    # a decade in two figures: the century is read
FORMS = [
    # ranges, in every form
    ("004", "ХIII конференция РКПб с 16 по 18.1.1924", "с 16 по 18.1.1924",
     {"from": "1924-01-16", "to": "1924-01-18", "calendar": "#d004-gregorian"}),
    ("004", "Декабрьский пленум ЦК 2-19.12.1927 г.", "2-19.12.1927 г.",
     {"from": "1927-12-02", "to": "1927-12-19", "calendar": "#d004-gregorian"}),
    ("004", "XVI съезд ВКП(б) с 26.6. по 13.7.1930", "с 26.6. по 13.7.1930",
     {"from": "1930-06-26", "to": "1930-07-13", "calendar": "#d004-gregorian"}),
    ("000", "материалы. Том 1. Июль 1917 г. – май 1918 г. М., 2000.", "Июль 1917 г. – май 1918 г.",
     {"from": "1917-07-14", "to": "1918-05-31", "calendar": "#d000-julian"}),     # July Old Style to May New Style
    ("000", "Хроника событий: 26 октября 1917 г.-10 января 1918 г. Сост.", "26 октября 1917 г.-10 января 1918 г.",
     {"from": "1917-11-08", "to": "1918-01-23", "calendar": "#d000-julian"}),
    ("000", "в период с конца ноября 1917 по июль 1918 г.", "с конца ноября 1917 по июль 1918 г.",
     {"from": "1917-12-04", "to": "1918-07-31", "calendar": "#d000-julian"}),
    ("003", "μεταξύ Δεκεμβρίου 1917 και Μαρτίου 1918 ως", "μεταξύ Δεκεμβρίου 1917 και Μαρτίου 1918",
     {"from": "1917-12-14", "to": "1918-03-31", "calendar": "#d003-julian"}),
    ("003", "Protokoly zasedanii Soveta Narodnykh Kommissarov RSFSR: noiabr’ 1917–mart 1918 gg., επιμ.",
     "noiabr’ 1917–mart 1918 gg.", {"from": "1917-11-14", "to": "1918-03-31", "calendar": "#d003-julian"}),
    ("003", "Second Convocation, Oct. 1917–Jan. 1918", "Oct. 1917–Jan. 1918",
     {"from": "1917-10-14", "to": "1918-02-13", "calendar": "#d003-julian"}),
    ("001", "Их позиция по отношению к войне 1914-1918 гг.", "1914-1918 гг.",
     {"from": "1914", "to": "1918", "calendar": "#d001-julian"}),
    ("004", "Личный секретарь Сталина в 1923-27 гг., Б. Г. Бажанов", "1923-27 гг.",
     {"from": "1923", "to": "1927", "calendar": "#d004-gregorian"}),
    # approximate dates: the first, middle or last third of the month, a season
    ("002", "в середине марта 1918 года они подали", "середине марта 1918 года",
     {"notBefore": "1918-03-11", "notAfter": "1918-03-20", "calendar": "#d002-gregorian"}),
    ("004", "в Петроград к середине марта 1917 г.", "середине марта 1917 г.",
     {"notBefore": "1917-03-24", "notAfter": "1917-04-02", "calendar": "#d004-julian"}),
    ("004", "Осенью 1923 г. в партии прокатилась", "Осенью 1923 г.",
     {"notBefore": "1923-09", "notAfter": "1923-11", "calendar": "#d004-gregorian"}),
    ("001", "в конце 60-х годов", "конце 60-х годов", {"notBefore": "1967", "notAfter": "1969",
                                                        "calendar": "#d001-gregorian", **CENTURY}),
    # Greek ordinal days, English abbreviations, double dates
    ("003", "το βράδυ της 30ής Δεκεμβρίου 1917, μέσω", "30ής Δεκεμβρίου 1917",
     {"when": "1918-01-12", "calendar": "#d003-julian"}),
    ("003", "Protokoly zasedanii Soveta Narodnykh Kommissarov, σελ. 174, 30 Dec. 1917· Steinberg", "30 Dec. 1917",
     {"when": "1918-01-12", "calendar": "#d003-julian"}),
    ("004", "Заседание 24/11.1.1918.", "24/11.1.1918", {"when": "1918-01-24", "calendar": "#d004-gregorian"}),
    ("004", "Заседание 1.2(19.1).1918. т. Сталин", "1.2(19.1).1918", {"when": "1918-02-01", "calendar": "#d004-gregorian"}),
    ("001", "второй раз 3 февраля (21 января) 1918 г. На этих", "3 февраля (21 января) 1918 г.",
     {"when": "1918-02-03", "calendar": "#d001-gregorian"}),
    # a year alone, a decade, a century, day-month-year, month-year
    ("001", "Начиная с 1898 года, социал-демократия", "1898 года", {"when": "1898", "calendar": "#d001-julian"}),
    ("001", "С конца 20-х годов имя коммунизма", "конца 20-х годов", {"notBefore": "1927", "notAfter": "1929",
                                                                     "calendar": "#d001-gregorian", **CENTURY}),
    ("001", "в мрачный период 30-40-х гг., когда", "30-40-х гг.", {"from": "1930", "to": "1949",
                                                                   "calendar": "#d001-gregorian", **CENTURY}),
    ("001", "Лишь в 30-е и 40-е гг. у сохранившихся коммунистических фракций", "30-е", {"from": "1930", "to": "1939", "calendar": "#d001-gregorian",
                                                           **CENTURY}),
    ("004", "десятки тысяч крестьянских восстаний в конце 20-х – начале 30-х,", "конце 20-х – начале 30-х",
     {"notBefore": "1927", "notAfter": "1933", "calendar": "#d004-gregorian", **CENTURY}),
    ("001", "События 1930-х гг., когда троцкисты", "1930-х гг.", {"from": "1930", "to": "1939", "calendar": "#d001-gregorian"}),
    ("003", "Κατά τους πρώτους μήνες του 1918 το όργανο αυτό ήταν", "πρώτους μήνες του 1918",
     {"notBefore": "1918-01", "notAfter": "1918-04", "calendar": "#d003-gregorian"}),
    ("001", "кв. арш. в 1925/26 г. до 10,71 кв. арш. в 1930/31 г., в то время", "1925/26 г.", {"from": "1925", "to": "1926", "calendar": "#d001-gregorian"}),
    ("004", "в молодости баловавшиеся революционной политикой, а после 1907-8 гг. отошедшие", "1907-8 гг.", {"from": "1907", "to": "1908", "calendar": "#d004-julian"}),
    ("003", "Soviet Karelia, 1918–9’ (αδημοσ", "1918–9", {"from": "1918", "to": "1919", "calendar": "#d003-gregorian"}),
    ("001", "№ 18, avril-mai 1935.).", "avril-mai 1935", {"from": "1935-04", "to": "1935-05", "calendar": "#d001-gregorian"}),
    ("004", "Революция в Англии в XVII в. тоже", "XVII в.", {"from": "1601", "to": "1700", "calendar": "#d004-julian"}),
    ("001", "всех, интересующихся историей ХХ века.", "ХХ века", {"from": "1901", "to": "2000",
                                                                  "calendar": "#d001-gregorian"}),
    ("000", "Так, 15 октября 1917 г. «II Новгородский губ.", "15 октября 1917 г.",
     {"when": "1917-10-28", "calendar": "#d000-julian"}),
    ("003", "Στις 26 Οκτωβρίου 1917 οι Μπολσεβίκοι", "26 Οκτωβρίου 1917", {"when": "1917-11-08", "calendar": "#d003-julian"}),
    ("003", "τις 19 Φεβρουαρίου 1918 από", "19 Φεβρουαρίου 1918", {"when": "1918-02-19", "calendar": "#d003-gregorian"}),
    ("000", "в Астраханской губернии в январе 1918 г. мест", "январе 1918 г.",
     {"from": "1918-01-14", "to": "1918-02-13", "calendar": "#d000-julian"}),
    ("000", "что в марте 1918 г. подавляющее", "марте 1918 г.", {"when": "1918-03", "calendar": "#d000-gregorian"}),
    ("000", "2 Правда. 1917. 27 октября. Сохранён", "1917. 27 октября", {"when": "1917-11-09", "calendar": "#d000-julian"}),
]


@pytest.mark.parametrize("num, text, expr, attrs", FORMS, ids=[f[2] for f in FORMS])
def test_every_form_of_date_expression(docs, num, text, expr, attrs):
    flat = " ".join(_source(docs, num).replace("-\n", "-").split())
    assert " ".join(expr.split()) in flat, expr
    found, _ = find(text, f"d{num}")
    assert (expr, attrs) in found, found


def test_a_double_date_that_does_not_add_up_is_not_tagged():
    found, report = find("20 (9) января 1918 г.")
    assert all(f[0] != "20 (9) января 1918 г." for f in found) and report.invalid


def test_greek_double_date_puts_the_new_style_side_in_when():
    """003 note 26: «18 του Νοέμβρη (1 του Δεκέμβρη)», Old Style first (the Russian books put New Style first)."""
    found, _ = find("«Τελικός λόγος για το αγροτικό ζήτημα 18 του Νοέμβρη (1 του Δεκέμβρη)», Β. Ι.", "d003", year=1917)
    assert found == [("18 του Νοέμβρη (1 του Δεκέμβρη)", {"when": "1917-12-01", "calendar": "#d003-gregorian"})]


def test_no_date_inside_a_web_address_a_number_or_a_page():
    found, _ = find("http://iskra-research.org/Trotsky/sochineniia/1927/19270414-2.html; № 1917; с. 1921; 2000000")
    assert found == []


def test_the_name_of_the_revolution_is_not_a_month():
    found, _ = find("русский пролетариат одержал победу в Октябре, а в октябре 1917 г. — власть", "d001")
    assert [f[0] for f in found] == ["октябре 1917 г."]


# ---- years from the context --------------------------------------------------------------------------------

def test_bare_day_takes_the_year_of_its_sentence_and_is_marked_as_the_editors():
    found, _ = find("в 1917 г. 3 ноября он написал ультиматум")
    assert found[-1] == ("3 ноября", {"when": "1917-11-16", "calendar": "#d000-julian", "cert": "medium",
                                      "resp": "#ed", "evidence": "internal"})
    found, report = find("3 ноября он написал ультиматум")     # d002 l. 2: no year in the text
    assert found == [] and [t for _, t in report.no_year] == ["3 ноября"]


def test_a_year_in_passing_gives_no_year_to_the_next_sentence():
    """d001 l. 5767-5769: «резолюции 1921 г. о запрете фракций … В декабре на пленуме» is December 1926."""
    found, report = find("верностью резолюции 1921 г. о запрете фракций. Когда их выступления были осуждены. "
                         "В декабре на пленуме Исполкома", "d001")
    assert [f[0] for f in found] == ["1921 г."] and [t for _, t in report.no_year] == ["декабре"]


def test_a_year_in_passing_after_the_paragraphs_months_blocks_the_inference():
    """d001 l. 875-910: «В марте 1923 года … В начале 1917 года … 5 июня … в мае» are June and May 1923."""
    found, report = find("В марте 1923 года был сформирован. В феврале они составили, чтобы … . В начале 1917 "
                         "года большевиков там было всего 1655 человек. 5 июня группа провела, арестованного в мае",
                         "d001")
    assert ("феврале", {"when": "1923-02", "calendar": "#d001-gregorian", "cert": "medium", "resp": "#ed",
                        "evidence": "internal"}) in found
    assert [t for _, t in report.no_year] == ["5 июня", "мае"]


def test_publication_years_are_dates_but_not_context():
    found, report = find("Сиб. отд-ние. 1957. С. 194. 27 октября")
    assert found == [("1957", {"when": "1957", "calendar": "#d000-gregorian"})] and report.no_year


def test_bare_day_takes_the_nearest_year_to_the_last_date():
    """d003 l. 51: the paragraph names December 1917 to March 1918, then "13 Δεκεμβρίου" (1917)."""
    text = ("Το Σόβναρκομ συνεδρίασε πενήντα τρεις φορές μεταξύ Δεκεμβρίου 1917 και Μαρτίου 1918 ως δικομματικό "
            "υπουργικό συμβούλιο. Στις 13 Δεκεμβρίου οι κομισάριοι")
    found, _ = find(text, "d003")
    assert ("13 Δεκεμβρίου", {"when": "1917-12-26", "calendar": "#d003-julian", "cert": "medium", "resp": "#ed",
                              "evidence": "internal"}) in found


def _body(*divs: str) -> etree._Element:
    xml = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>'
           + "".join(f'<div xml:id="x-div{i}">{d}</div>' for i, d in enumerate(divs)) + "</body></text></TEI>")
    return etree.fromstring(xml)


# d000, as printed: l. 65 (a dated report), l. 395 (March 1918), l. 403 (a bare "18 ноября")
OCTOBER = "Так, 15 октября 1917 г. «II Новгородский губ."
MARCH = "можно определённо сделать вывод, что в марте 1918 г. подавляющее большинство местных Советов были коалиционными"
NOVEMBER = "Состоявшееся 18 ноября объединённое заседание Центральных Комитетов партий"


def _tagged(root):
    return [(d.text, d.get("when"), d.get("cert"), d.get("source")) for d in root.iter(TEI + "date")
            if d.text == "18 ноября"]


def test_carry_needs_earlier_body_text_of_the_same_division():
    root = _body(f'<p xml:id="x-p1">{OCTOBER}</p><p xml:id="x-p2">{MARCH}</p><p>{NOVEMBER}</p>')
    tag_dates(root, "d000", "ru")
    assert _tagged(root) == [("18 ноября", "1917-12-01", "low", "#x-p2")]   # the evidence: March 1918's paragraph
    root = _body(f"<p>{OCTOBER}</p><p>{MARCH}</p>", f"<p>{NOVEMBER}</p>")       # another division
    report = tag_dates(root, "d000", "ru")
    assert _tagged(root) == [] and [t for _, t in report.no_year] == ["18 ноября"]
    root = _body(f"<p>x<note>{OCTOBER}</note></p><p>y<note>{MARCH}</note></p><p>{NOVEMBER}</p>")   # notes
    assert tag_dates(root, "d000", "ru").carried == 0 and _tagged(root) == []


def test_a_bare_year_between_stops_the_carry_unless_it_is_the_same_year():
    root = _body(f"<p>{OCTOBER}</p><p>{MARCH}</p><p>Как и в 1913 г., ничего.</p><p>{NOVEMBER}</p>")
    tag_dates(root, "d000", "ru")
    assert _tagged(root) == []
    root = _body(f"<p>{OCTOBER}</p><p>{MARCH}</p><p>Как и в 1918 г., ничего.</p><p>{NOVEMBER}</p>")
    tag_dates(root, "d000", "ru")
    assert [t[:3] for t in _tagged(root)] == [("18 ноября", "1917-12-01", "low")]


def test_a_carried_date_stays_within_the_period_the_division_named():
    """Only March 1918 named: November (of 1917, the nearest) lies outside it, so it stays untagged."""
    root = _body(f"<p>{MARCH}</p><p>{NOVEMBER}</p>")
    tag_dates(root, "d000", "ru")
    assert _tagged(root) == []


# ---- the editors' decisions, in the TEI ------------------------------------------------------------------

def _date_at(root, line: int, text: str) -> etree._Element:
    """The (first) date with this text that begins on this source line."""
    return next(d for d in root.find(TEI + "text").iter(TEI + "date")
                if " ".join(build(d).text.split()) == text
                and d.xpath("preceding::t:lb[1]/@n", namespaces={"t": TEI[1:-1]}) == [str(line)])


@pytest.mark.parametrize("doc, line, text, attrs", [
    # the Old Style dates of 002, year from the book's subject (its title: «The Revolution of 1917 in Petrograd»)
    ("d002", 2, "3 ноября", {"when": "1917-11-16", "calendar": "#d002-julian", "cert": "high", "resp": "#ed",
                             "evidence": "internal", "source": "#d002-bibl-original"}),
    ("d002", 3, "4 ноября", {"when": "1917-11-17", "calendar": "#d002-julian", "cert": "high", "resp": "#ed",
                             "evidence": "internal", "source": "#d002-bibl-original"}),
    # a year from a heading: the article «Год 1921-й», the section «1922-1923 гг.: …»
    ("d001", 4120, "8 марта", {"when": "1921-03-08", "calendar": "#d001-gregorian", "cert": "high", "resp": "#ed",
                               "evidence": "internal", "source": "#d001-div27"}),
    ("d001", 4904, "25 декабря", {"when": "1922-12-25", "calendar": "#d001-gregorian", "cert": "high",
                                  "resp": "#ed", "evidence": "internal", "source": "#d001-div36"}),
    # a year from the date line of a document: the obituary's «World Revolution no. 210, December 1997»
    ("d001", 14027, "23 ноября", {"when": "1997-11-23", "calendar": "#d001-gregorian", "cert": "high",
                                  "resp": "#ed", "evidence": "internal", "source": "#d001-bibl7"}),
    # calendars from the context: Western European events are New Style in a Russian text
    ("d001", 12484, "сентябре 1843 г.", {"when": "1843-09", "calendar": "#d001-gregorian", "resp": "#ed"}),
    ("d001", 6117, "июле 1794 г.", {"when": "1794-07", "calendar": "#d001-gregorian", "resp": "#ed"}),
    ("d001", 14232, "1871 года", {"when": "1871", "calendar": "#d001-gregorian", "resp": "#ed"}),
])
def test_the_editors_decisions_live_in_the_tei(docs, doc, line, text, attrs):
    root = parse_file(docs[doc].tei_path).getroot()
    d = _date_at(root, line, text)
    assert {k: v for k, v in d.attrib.items() if k not in NOT_DATING} == attrs


def test_a_wrong_decision_is_a_clear_error(docs, tmp_path):
    good = load_profile(docs["d002"].profile_path)
    root = parse_file(docs["d002"].tei_path).getroot()
    for d in list(root.iter(TEI + "date")):
        if d.get("resp"):
            _unwrap(d)
    for bad, message in [({"line": 2, "text": "5 ноября", "year": 1917, "source": "d002-p2"}, "does not begin"),
                         ({"line": 2, "text": "3 ноября", "year": 1917, "source": "d002-p99"}, "no xml:id"),
                         ({"line": 2, "text": "3 ноября", "year": 1917}, "needs the xml:id"),
                         ({"line": 2, "text": "3 ноября"}, "the year the text leaves out")]:
        profile = type(good)(good.path, good.id, good.source, good.layout, good.lang, dict(good.data, dates=[bad]))
        with pytest.raises(EditionError, match=message):
            dating.apply(root, profile)


# ---- the whole edition: dating again from scratch, against the hand reading ------------------------------

def _unwrap(el: etree._Element) -> None:
    """Put an element's content in its place (its text, children and tail), keeping every character."""
    parent, i = el.getparent(), el.getparent().index(el)
    kids = list(el)

    def append_text(after: etree._Element | None, s: str) -> None:
        if after is None:
            parent.text = (parent.text or "") + s
        else:
            after.tail = (after.tail or "") + s

    append_text(parent[i - 1] if i else None, el.text or "")
    for k, child in enumerate(kids):
        parent.insert(i + 1 + k, child)
    parent.remove(el)
    append_text(kids[-1] if kids else (parent[i - 1] if i else None), el.tail or "")


def _text(el: etree._Element) -> str:
    return " ".join(build(el).text.replace(BARRIER, " ").split())


NOT_DATING = {"corresp"}   # a date's events of the chronology: the annotator's events pass, not dating


def _dates(root: etree._Element) -> set[tuple]:
    """Every date of the text (the editors' metadata apart), by the xml:id around it."""
    out = set()
    for d in root.find(TEI + "text").iter(TEI + "date"):
        if d.get("calendar"):
            where = next(a.get(XML_ID) for a in d.iterancestors() if a.get(XML_ID))
            out.add((where, _text(d), tuple(sorted((k, v) for k, v in d.attrib.items() if k not in NOT_DATING))))
    return out


@lru_cache(maxsize=None)
def _fresh(path: str, profile_path: str, doc: str):
    """The committed document with every date unwrapped, then dated again as import and annotate date it:
    the profile's decisions first, then the annotator."""
    root = parse_file(Path(path)).getroot()
    committed = _dates(root)
    for d in [d for d in root.find(TEI + "text").iter(TEI + "date") if d.get("calendar")]:
        _unwrap(d)
    dating.apply(root, load_profile(Path(profile_path)))
    report = tag_dates(root, doc, root.get("{http://www.w3.org/XML/1998/namespace}lang") or "ru")
    return root, committed, report


def _hand_read():
    with HAND_READ.open(encoding="utf-8") as f:
        rows = [r for r in csv.reader((line for line in f if not line.startswith("#")), delimiter="\t")]
    assert rows[0] == ["doc", "where", "text", "expected", "cert", "source", "reading"]
    return rows[1:]


def test_hand_read_fixture_covers_the_inferred_years_of_every_document():
    rows = _hand_read()
    assert {r[0] for r in rows} == {"d000", "d001", "d002", "d003", "d004"}
    assert {r[4] for r in rows} == {"high", "medium", "low"} and len(rows) >= 100


@pytest.mark.parametrize("doc", ["d000", "d001", "d002", "d003", "d004"])
def test_dating_again_gives_the_committed_dates_and_the_hand_reading(docs, doc):
    root, committed, report = _fresh(str(docs[doc].tei_path), str(docs[doc].profile_path), doc)
    assert _dates(root) == committed, "dating again from scratch must give the committed dates"
    assert report.no_year == [], "every date the witness prints is tagged"
    inferred = {(w, t, dict(a).get("when") or dict(a).get("from") or dict(a).get("notBefore"), dict(a).get("cert"),
                 dict(a).get("source", "#")[1:]) for w, t, a in committed if dict(a).get("cert")}
    expected = {(r[1], r[2], r[3], r[4], r[5]) for r in _hand_read() if r[0] == doc}
    assert inferred == expected


def test_check_lists_every_inferred_year_with_its_evidence(docs):
    """`edition annotate --check` on the committed d003: nothing new to tag, every inferred year listed."""
    root = parse_file(docs["d003"].tei_path).getroot()
    inferred = [d for d in root.iter(TEI + "date") if d.get("cert")]
    report = tag_dates(root, "d003", "el")
    assert report.tagged == 0 and report.carried == 0
    assert len(report.carried_before) == len(inferred) >= 20
    assert any("28 Νοεμβρίου → 1917-12-11 (cert=low) — year from #d003-p33" in t for t in report.carried_before)
