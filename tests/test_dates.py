"""Dates: exact calendar arithmetic and the date expressions of the real sources."""

from __future__ import annotations

from datetime import date

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
