"""Dates: exact calendar arithmetic and the date expressions of the real sources."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tei_edition.annotate.dates import DateReport, Dater
from tei_edition.annotate.julian import is_old_style, julian_to_gregorian, month_span


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


def find(text: str, doc: str = "d000", year: int | None = None):
    dater = Dater(doc, DateReport())
    dater.year = year
    return [(f.text, f.attrs) for f in dater.find(text)], dater.report


def test_source_dates(docs):
    """Expressions as printed in the witnesses, each with its exact reading."""
    cases = [
        ("004", "Заседание 24/11.1.1918.", "24/11.1.1918", {"when": "1918-01-24", "calendar": "#d004-gregorian"}),
        ("004", "Заседание 1.2(19.1).1918. т. Сталин", "1.2(19.1).1918",
         {"when": "1918-02-01", "calendar": "#d004-gregorian"}),
        ("004", "Заседание 23.2.1918: «Тов. Сталин.", "23.2.1918", {"when": "1918-02-23", "calendar": "#d004-gregorian"}),
        ("000", "Так, 15 октября 1917 г. «II Новгородский губ.", "15 октября 1917 г.",
         {"when": "1917-10-28", "calendar": "#d000-julian"}),
        ("003", "Στις 26 Οκτωβρίου 1917 οι Μπολσεβίκοι", "26 Οκτωβρίου 1917",
         {"when": "1917-11-08", "calendar": "#d003-julian"}),
        ("003", "κυβέρνηση συνασπισμού Μπολσεβίκων-Αριστερών Σοσιαλιστών Επαναστατών, Δεκέμβριος 1917-Μάρτιος 1918",
         "Δεκέμβριος 1917-Μάρτιος 1918", {"from": "1917-12-14", "to": "1918-03-31", "calendar": "#d003-julian"}),
        ("003", "τις 19 Φεβρουαρίου 1918 από", "19 Φεβρουαρίου 1918", {"when": "1918-02-19", "calendar": "#d003-gregorian"}),
    ]
    for num, text, expr, attrs in cases:
        source = next(d for d in docs.values() if d.source_path.name.startswith(num)).source_path
        assert expr in source.read_text(encoding="utf-8"), expr
        found, _ = find(text, f"d{num}")
        assert (expr, attrs) in found, (text, found)


def test_double_dates_both_ways():
    found, _ = find("20 (7) января 1918 г.")
    assert found == [("20 (7) января 1918 г.", {"when": "1918-01-20", "calendar": "#d000-gregorian"})]
    found, _ = find("3 февраля (21 января) 1918 г.")
    assert found == [("3 февраля (21 января) 1918 г.", {"when": "1918-02-03", "calendar": "#d000-gregorian"})]


def test_a_double_date_that_does_not_add_up_is_not_tagged():
    found, report = find("20 (9) января 1918 г.")
    assert all(f[0] != "20 (9) января 1918 г." for f in found)


def test_numeric_date_before_1918_is_julian():
    assert find("24.1.1911")[0] == [("24.1.1911", {"when": "1911-02-06", "calendar": "#d000-julian"})]


def test_month_and_year_give_a_span():
    assert find("в ноябре 1917 г.")[0] == [
        ("ноябре 1917 г.", {"from": "1917-11-14", "to": "1917-12-13", "calendar": "#d000-julian"})]
    assert find("в марте 1918 г.")[0] == [("марте 1918 г.", {"when": "1918-03", "calendar": "#d000-gregorian"})]


def test_two_days_of_one_month():
    found, _ = find("Στις 20 και 22 Φεβρουαρίου 1918, ο Στάινμπεργκ", "d003")
    assert found == [("20", {"when": "1918-02-20", "calendar": "#d003-gregorian"}),
                     ("22 Φεβρουαρίου 1918", {"when": "1918-02-22", "calendar": "#d003-gregorian"})]


def test_bare_day_takes_the_year_of_its_paragraph_and_is_marked():
    found, report = find("в 1917 г. ... 3 ноября он написал ультиматум")
    assert found == [("3 ноября", {"when": "1917-11-16", "calendar": "#d000-julian", "cert": "medium"})]
    found, report = find("3 ноября он написал ультиматум")     # d002 l. 2: no year in the paragraph
    assert found == [] and [t for _, t in report.no_year] == ["3 ноября"]


def test_publication_years_are_not_context():
    found, report = find("Сиб. отд-ние. 1957. С. 194. 27 октября")
    assert found == [] and report.no_year


def test_bare_day_takes_the_nearest_year_to_the_last_date():
    """d003 l. 51: the paragraph names December 1917 to March 1918, then "13 Δεκεμβρίου" (1917)."""
    text = ("Το Σόβναρκομ συνεδρίασε πενήντα τρεις φορές μεταξύ Δεκεμβρίου 1917 και Μαρτίου 1918 ως δικομματικό "
            "υπουργικό συμβούλιο. Στις 13 Δεκεμβρίου οι κομισάριοι")
    found, _ = find(text, "d003")
    assert ("13 Δεκεμβρίου", {"when": "1917-12-26", "calendar": "#d003-julian", "cert": "medium"}) in found


def test_years_after_2000():
    assert find("предисловие, январь 2005 г.", "d001")[0] == [
        ("январь 2005 г.", {"when": "2005-01", "calendar": "#d001-gregorian"})]


def test_range_across_the_calendar_change(docs):
    """d000 l. 223: a range whose ends are both Old Style, converted each on its own."""
    assert "26 октября 1917 г.-10 января 1918 г." in docs["d000"].source_path.read_text(encoding="utf-8")
    found, _ = find("Хроника событий: 26 октября 1917 г.-10 января 1918 г. Сост.")
    assert found == [("26 октября 1917 г.-10 января 1918 г.",
                      {"from": "1917-11-08", "to": "1918-01-23", "calendar": "#d000-julian"})]


# A year carried over from earlier paragraphs (cert="low") — on the real documents, against a hand reading.

import csv
from functools import lru_cache

from lxml import etree

from tei_edition.annotate.dates import tag_dates
from tei_edition.annotate.stream import BARRIER, build
from tei_edition.xmlsafe import parse_file

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
HAND_READ = Path(__file__).parent / "data" / "dates_inferred.tsv"


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
    """An element's own running text as the annotator reads it ("октя<lb break='no'/>бря" reads "октября")."""
    return " ".join(build(el).text.replace(BARRIER, " ").split())


def _dates(root: etree._Element) -> set[tuple]:
    """Every date the annotator made (it always names the calendar), by the xml:id around it."""
    out = set()
    for d in root.find(TEI + "text").iter(TEI + "date"):
        if d.get("calendar"):
            where = next(a.get(XML_ID) for a in d.iterancestors() if a.get(XML_ID))
            out.add((where, _text(d), d.get("when") or d.get("from"), d.get("calendar"), d.get("cert")))
    return out


@lru_cache(maxsize=None)
def _fresh(path: str, doc: str):
    """The committed document with every annotated date unwrapped, dated again from scratch."""
    root = parse_file(Path(path)).getroot()
    committed = _dates(root)
    for d in [d for d in root.find(TEI + "text").iter(TEI + "date") if d.get("calendar")]:
        _unwrap(d)
    report = tag_dates(root, doc, root.get("{http://www.w3.org/XML/1998/namespace}lang") or "ru")
    return root, committed, report


def _hand_read():
    with HAND_READ.open(encoding="utf-8") as f:
        rows = [r for r in csv.reader((line for line in f if not line.startswith("#")), delimiter="\t")]
    header, rows = rows[0], rows[1:]
    assert header[:4] == ["doc", "where", "text", "expected"]
    return rows


def test_hand_read_fixture_covers_every_bare_date_once_listed():
    rows = _hand_read()
    assert len(rows) == 51 and {r[0] for r in rows} == {"d000", "d001", "d002", "d003", "d004"}
    assert sum(r[3] != "-" for r in rows) >= 15 and sum(r[3] == "-" for r in rows) >= 15


@pytest.mark.parametrize("doc", ["d000", "d001", "d002", "d003", "d004"])
def test_annotator_agrees_with_the_hand_reading(docs, doc):
    root, committed, _ = _fresh(str(docs[doc].tei_path), doc)
    made = _dates(root)
    assert made == committed, "dating again from scratch must give the committed dates"
    where = {el.get(XML_ID): el for el in root.iter() if el.get(XML_ID)}
    for _, place, text, expected, *_ in [r for r in _hand_read() if r[0] == doc]:
        got = [(when, cert) for p, t, when, _, cert in made if p == place and t == text]
        if expected == "-":   # there, untagged (d004-p25 prints "4-го апреля" again after its year)
            assert text in _text(where[place]) and "low" not in [c for _, c in got], (place, text, got)
        else:
            assert expected in [w for w, _ in got], (place, text, got)


@pytest.mark.parametrize("doc, place, text, when, calendar, cert", [
    # d003 l. 322: Kadets arrested; the last date before is February 1918, "summer 1918" only a glance ahead
    ("d003", "d003-p37", "28 Νοεμβρίου", "1917-12-11", "#d003-julian", "low"),
    ("d003", "d003-p24", "30 Δεκεμβρίου", "1918-01-12", "#d003-julian", "low"),   # 30 Dec 1917 Old Style
    ("d000", "d000-p16", "18 ноября", "1917-12-01", "#d000-julian", "low"),      # after "марте 1918 г."
    ("d004", "d004-p12", "15 марта", "1917-03-28", "#d004-julian", "low"),       # after "марта 1917 г."
    ("d001", "d001-p397", "7 ноября", "1927-11-07", "#d001-gregorian", "low"),   # after "7 ноября 1927 г."
    ("d001", "d001-p24", "12-13 мая (1918 года)", "1918-05-12", "#d001-gregorian", None),  # year in brackets
])
def test_carried_years_exactly(docs, doc, place, text, when, calendar, cert):
    root, _, report = _fresh(str(docs[doc].tei_path), doc)
    assert (place, text, when, calendar, cert) in _dates(root)
    if cert == "low":
        assert any(t.endswith(f"{text} → {when}") for t in report.carried_texts)


def test_no_year_carried_into_a_note_nor_across_a_section_boundary(docs):
    """d000 note 19 "Там же. 5 ноября." follows body dates of 1917–1918 and stays untagged; d003
    "17 Νοεμβρίου" after "μέχρι τον Ιούλιο του 1918" is not made November 1918."""
    root, _, report = _fresh(str(docs["d000"].tei_path), "d000")
    assert not [d for d in _dates(root) if d[0] == "d000-n20"]
    assert (695, "5 ноября") in report.no_year
    root, _, report = _fresh(str(docs["d003"].tei_path), "d003")
    assert not [d for d in _dates(root) if d[0] == "d003-p51" and "Νοεμβρίου" in d[1]]


def _body(*divs: str) -> etree._Element:
    xml = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>'
           + "".join(f"<div>{d}</div>" for d in divs) + "</body></text></TEI>")
    return etree.fromstring(xml)


# d000, as printed: l. 65 (a dated report), l. 395 (March 1918), l. 403 (a bare "18 ноября")
OCTOBER = "Так, 15 октября 1917 г. «II Новгородский губ."
MARCH = "можно определённо сделать вывод, что в марте 1918 г. подавляющее большинство местных Советов были коалиционными"
NOVEMBER = "Состоявшееся 18 ноября объединённое заседание Центральных Комитетов партий"


def _tagged(root):
    return [(d.text, d.get("when"), d.get("cert")) for d in root.iter(TEI + "date") if d.text == "18 ноября"]


def test_carry_needs_earlier_body_text_of_the_same_division():
    root = _body(f"<p>{OCTOBER}</p><p>{MARCH}</p><p>{NOVEMBER}</p>")
    tag_dates(root, "d000", "ru")
    assert _tagged(root) == [("18 ноября", "1917-12-01", "low")]
    root = _body(f"<p>{OCTOBER}</p><p>{MARCH}</p>", f"<p>{NOVEMBER}</p>")       # another division
    report = tag_dates(root, "d000", "ru")
    assert _tagged(root) == [] and [t for _, t in report.no_year] == ["18 ноября"]
    root = _body(f"<p>x<note>{OCTOBER}</note></p><p>y<note>{MARCH}</note></p><p>{NOVEMBER}</p>")   # notes
    assert tag_dates(root, "d000", "ru").carried == 0 and _tagged(root) == []
    root = _body(f"<p>{OCTOBER}</p><p>{MARCH}<note>{NOVEMBER}</note></p>")       # the bare date in a note
    assert tag_dates(root, "d000", "ru").carried == 0 and _tagged(root) == []


def test_a_bare_year_between_stops_the_carry_unless_it_is_the_same_year():
    root = _body(f"<p>{OCTOBER}</p><p>{MARCH}</p><p>Как и в 1913 г., ничего.</p><p>{NOVEMBER}</p>")
    tag_dates(root, "d000", "ru")
    assert _tagged(root) == []
    root = _body(f"<p>{OCTOBER}</p><p>{MARCH}</p><p>Как и в 1918 г., ничего.</p><p>{NOVEMBER}</p>")
    tag_dates(root, "d000", "ru")
    assert _tagged(root) == [("18 ноября", "1917-12-01", "low")]


def test_a_carried_date_stays_within_the_period_the_division_named():
    """Only March 1918 named: November (of 1917, the nearest) lies outside it, so it stays untagged."""
    root = _body(f"<p>{MARCH}</p><p>{NOVEMBER}</p>")
    tag_dates(root, "d000", "ru")
    assert _tagged(root) == []


def test_check_lists_the_carried_years_an_earlier_run_tagged(docs):
    """`edition annotate --check` on the committed d003: nothing new to tag, every cert="low" date listed."""
    root = parse_file(docs["d003"].tei_path).getroot()
    low = [d for d in root.iter(TEI + "date") if d.get("cert") == "low"]
    report = tag_dates(root, "d003", "el")
    assert report.tagged == 0 and report.carried == 0
    assert len(report.carried_before) == len(low) >= 10
    assert any(t.endswith("28 Νοεμβρίου → 1917-12-11") for t in report.carried_before)
