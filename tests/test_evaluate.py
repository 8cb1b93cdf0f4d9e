"""The evaluation of names and dates: the sampling script, the hand-read samples, and the scorer itself.

The scorer is tested on small fixtures whose right answers are known (a missed name, a wrong link, a name the
register lacks, a wrong date, a range); the samples are tested for being what their headers say (the lines the
seeded draw gives, each mention on its source line). No test asserts today's figures on the real edition.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from tei_edition.annotate import evaluate as ev
from tei_edition.annotate import register as register_mod
from tei_edition.annotate import sample
from tei_edition.cli import cli
from tei_edition.corpus import register_paths
from tei_edition.diagnostics import EditionError

DATA = Path(__file__).parent / "data"
NAMES_HEAD = "doc\tline\tpart\tmention\tref\tflags\tnote\n"
DATES_HEAD = "doc\tline\tpart\texpression\tvalue\tcalendar\tyear\tflags\tnote\n"

# A document of five source lines: names and dates tagged right, wrong, not at all, and across a line end.
FIXTURE = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>
<persName ref="#pers-lenin">Ленин</persName></title></titleStmt></fileDesc></teiHeader><text><body><p>
<lb n="1"/>Ленин и <persName ref="#pers-trotsky">Троцкий</persName> в <placeName ref="#place-moscow">Петрограде</placeName>, с В.И. <persName ref="#pers-lenin">Ле
<lb n="2" break="no" rend="hyphen"/>ниным</persName> и <persName ref="#pers-smirnov-vm">Смирновым</persName>; <orgName ref="#org-x">Пиндрик</orgName>
<lb n="3"/><orgName ref="#org-bolshevik-cc">ЦК <orgName ref="#org-bolsheviks">большевиков</orgName></orgName> и <persName cert="low">Смирнов</persName>, <persName ref="#pers-lenin">Ленинский</persName> ультиматум
<lb n="4"/><date when="1917-11-16" calendar="#d-julian" cert="low">3 ноября</date>, <date when="1917-11-17">4 ноября</date> и <date from="1924-01-16" to="1924-01-16" calendar="#d-gregorian">с 16</date> по <date when="1924-01-18">18.1.1924</date>, в
<lb n="5"/><date from="1918-01-14" to="1918-02-13" calendar="#d-julian">конце января 1918 г.</date>, <date notBefore="1918-03-11" notAfter="1918-03-31" calendar="#d-gregorian">середине марта 1918</date>; <note><lb n="6"/>Примечание: <persName ref="#pers-douds">Douds</persName></note> <date when="1917">1917</date> и <date when="1918-03" calendar="#d-gregorian">начало марта 1918</date>
</p></body></text></TEI>"""

NAMES = NAMES_HEAD + "\n".join("\t".join(row) for row in [
    ["d999", "1", "text", "Троцкий", "pers-trotsky", "", ""],
    ["d999", "1", "text", "Ленин", "pers-lenin", "", "missed: untagged"],
    ["d999", "1", "text", "Петрограде", "place-petrograd", "", "wrong link"],
    ["d999", "1", "text", "Лениным", "pers-lenin", "", "a line-end hyphen inside, «В.И.» outside the tag"],
    ["d999", "2", "text", "Смирновым", "pers-smirnov-in", "namesake", "the other Smirnov"],
    ["d999", "2", "text", "Пиндрик", "absent:person", "bibl", "not in the register"],
    ["d999", "3", "text", "ЦК большевиков", "org-bolshevik-cc", "", ""],
    ["d999", "3", "text", "большевиков", "org-bolsheviks", "plural,nested", ""],
    ["d999", "3", "text", "Смирнов", "?pers-smirnov-vm|pers-smirnov-in", "namesake", "undecidable"],
    ["d999", "3", "text", "Ленинский", "none", "", "an adjective"],
    ["d999", "4", "text", "-", "-", "", ""],
    ["d999", "6", "note", "Douds", "pers-douds", "bibl", ""],
]) + "\n"

DATES = DATES_HEAD + "\n".join("\t".join(row) for row in [
    ["d999", "4", "text", "3 ноября", "when=1917-11-16", "julian", "inferred", "", "right, cert marks the year"],
    ["d999", "4", "text", "4 ноября", "when=1917-11-17", "julian", "inferred", "", "no calendar, no cert"],
    ["d999", "4", "text", "16 по 18.1.1924", "from=1924-01-16 to=1924-01-18", "gregorian", "stated", "range", ""],
    ["d999", "4", "text", "конце января 1918 г.",
     "notBefore=1918-02-03 notAfter=1918-02-13 in=1918-01-14/1918-02-13", "julian", "stated", "approx", ""],
    ["d999", "5", "text", "середине марта 1918", "notBefore=1918-03-11 notAfter=1918-03-20", "gregorian", "stated",
     "approx", "the TEI's interval covers it and stays in March"],
    ["d999", "5", "text", "1917", "when=1917", "-", "stated", "", ""],
    ["d999", "5", "text", "начало марта 1918", "notBefore=1918-03-01 notAfter=1918-03-10", "gregorian", "stated",
     "approx", "the TEI says the whole month, not approximate"],
    ["d999", "5", "text", "1 декабря", "when=1917-12-14", "julian", "inferred", "", "missed"],
]) + "\n"


@pytest.fixture()
def fixture_scores(tmp_path):
    (tmp_path / "names.tsv").write_text(NAMES, encoding="utf-8")
    (tmp_path / "dates.tsv").write_text(DATES, encoding="utf-8")
    trees = {"d999": etree.fromstring(FIXTURE)}
    names = ev.score_names(ev.load_names(tmp_path / "names.tsv"), trees)["d999"]
    dates = ev.score_dates(ev.load_dates(tmp_path / "dates.tsv"), trees)["d999"]
    return names, dates


def verdicts(score) -> dict[str, str]:
    return {f"{c.row.line}:{getattr(c.row, 'mention', None) or c.row.expression}": c.verdict for c in score.cases}


# ---- the scorer: names ----------------------------------------------------------------------------

def test_each_kind_of_name_answer(fixture_scores):
    names, _ = fixture_scores
    assert verdicts(names) == {
        "1:Троцкий": "right", "1:Ленин": "missed", "1:Петрограде": "wrong", "1:Лениным": "right",
        "2:Смирновым": "wrong", "2:Пиндрик": "unverified", "3:ЦК большевиков": "right",
        "3:большевиков": "right", "3:Смирнов": "right", "3:Ленинский": "false", "6:Douds": "right"}


def test_recall_counts_every_name_and_precision_every_tag(fixture_scores):
    names, _ = fixture_scores
    # 10 names (the adjective is none); right: Троцкий, Лениным, ЦК большевиков, большевиков, Смирнов (cert=low),
    # Douds (in a note: its line is its own)
    assert names.recall() == (6, 10)
    # 10 tags on the sampled lines (the one in the header is not counted): 6 right; wrong Петрограде, Смирновым,
    # Ленинский; Пиндрик linked to an entry the sample says the register lacks is not right either
    assert names.precision() == (6, 10)
    assert names.recall(lambda c: "nested" not in c.row.flags) == (5, 9)
    assert names.recall(lambda c: c.row.part == "note") == (1, 1)


def test_a_name_missing_from_the_register_is_a_miss_and_is_listed(fixture_scores):
    names, _ = fixture_scores
    report = "\n".join(ev.names_report({"d999": names}))
    assert "names the register lacks: 1" in report
    assert "d999:2: «Пиндрик» expected absent:person (not in the register); TEI: <orgName ref=#org-x> «Пиндрик» → unverified" in report


def test_same_surname_cases_are_listed_each_with_its_verdict(fixture_scores):
    names, _ = fixture_scores
    report = ev.names_report({"d999": names})
    assert "  same-surname cases: 1 of 2 right" in report
    assert any("«Смирновым» expected pers-smirnov-in" in line and "ref=#pers-smirnov-vm" in line
               and line.endswith("→ wrong") for line in report)


def test_an_undecidable_name_linked_with_confidence_is_wrong(tmp_path):
    (tmp_path / "n.tsv").write_text(NAMES_HEAD + "d999\t1\ttext\tСмирнов\t?pers-smirnov-vm|pers-smirnov-in\t\t\n",
                                    encoding="utf-8")
    tei = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><p><lb n="1"/><persName ref="#pers-smirnov-vm">Смирнов</persName></p></text></TEI>'
    score = ev.score_names(ev.load_names(tmp_path / "n.tsv"), {"d999": etree.fromstring(tei)})["d999"]
    assert [c.verdict for c in score.cases] == ["wrong"]


def test_a_tag_on_a_line_without_names_is_a_false_tag(tmp_path):
    (tmp_path / "n.tsv").write_text(NAMES_HEAD + "d999\t1\ttext\t-\t-\t\t\n", encoding="utf-8")
    tei = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><p><lb n="1"/>в <placeName ref="#place-x">Марте</placeName></p></text></TEI>'
    score = ev.score_names(ev.load_names(tmp_path / "n.tsv"), {"d999": etree.fromstring(tei)})["d999"]
    assert score.recall() == (0, 0) and score.precision() == (0, 1)
    assert [t.text for t in score.extra] == ["Марте"]


def test_a_name_continued_from_an_unsampled_line_is_not_judged(tmp_path):
    rows = NAMES_HEAD + "d999\t2\ttext\tСинигалья\tpers-sinigaglia\tcontinued\t\n"
    (tmp_path / "n.tsv").write_text(rows, encoding="utf-8")
    tei = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><p><lb n="1"/>Роберто <lb n="2"/>'
           '<persName ref="#pers-sinigaglia">Синигалья</persName></p></text></TEI>')
    score = ev.score_names(ev.load_names(tmp_path / "n.tsv"), {"d999": etree.fromstring(tei)})["d999"]
    assert score.recall() == (0, 0) and score.precision() == (0, 0)


# ---- the scorer: dates ----------------------------------------------------------------------------

def test_each_kind_of_date_answer(fixture_scores):
    _, dates = fixture_scores
    assert {k: v for k, v in verdicts(dates).items()} == {
        "4:3 ноября": "right", "4:4 ноября": "wrong", "4:16 по 18.1.1924": "wrong",
        "4:конце января 1918 г.": "wrong", "5:середине марта 1918": "right", "5:1917": "right",
        "5:начало марта 1918": "wrong", "5:1 декабря": "missed"}
    why = {c.row.expression: c.why for c in dates.cases}
    assert why["4 ноября"] == "calendar: written in the Julian calendar"
    assert why["16 по 18.1.1924"] == "interval"            # a range cut to one end
    assert why["начало марта 1918"] == "an approximate date needs notBefore/notAfter"
    assert dates.accuracy() == (3, 8)
    assert [t.text for t in dates.extra] == ["с 16"]   # the other half of the range cut in two


def test_a_date_across_a_line_end_matches_a_tag_that_starts_on_the_line_before(fixture_scores):
    _, dates = fixture_scores
    case = next(c for c in dates.cases if c.row.expression == "конце января 1918 г.")
    assert case.tag is not None and case.tag.text == "конце января 1918 г."


def test_an_inferred_year_must_be_marked(tmp_path):
    (tmp_path / "d.tsv").write_text(DATES_HEAD + "d999\t1\ttext\t3 ноября\twhen=1917-11-16\tjulian\tinferred\t\t\n",
                                    encoding="utf-8")
    tei = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><p><lb n="1"/><date when="1917-11-16" '
           'calendar="#d9-julian">3 ноября</date></p></text></TEI>')
    score = ev.score_dates(ev.load_dates(tmp_path / "d.tsv"), {"d999": etree.fromstring(tei)})["d999"]
    assert [(c.verdict, c.why) for c in score.cases] == [("wrong", "the year is the editors' inference: @cert")]


def test_approximate_units_beyond_the_month():
    assert ev._envelope(*ev.interval({"notBefore": "1934", "notAfter": "1936"})[:2]) == \
        (ev._dt.date(1930, 1, 1), ev._dt.date(1939, 12, 31))
    assert ev._envelope(*ev.interval({"notBefore": "1927", "notAfter": "1933"})[:2]) == \
        (ev._dt.date(1901, 1, 1), ev._dt.date(2000, 12, 31))
    assert ev.interval({"when": "1918-02"})[:2] == (ev._dt.date(1918, 2, 1), ev._dt.date(1918, 2, 28))


# ---- bad sample files ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, message", [
    (NAMES_HEAD + "d999\t1\ttext\tЛенин\n", r"n.tsv:2: expected 7 tab-separated fields"),
    (NAMES_HEAD + "d999\t1\ttext\tЛенин\tLenin\t\t\n", r"n.tsv:2: bad ref 'Lenin' for 'Ленин'"),
    (NAMES_HEAD + "d999\tone\ttext\tЛенин\tpers-lenin\t\t\n", r"n.tsv:2: bad document, line or part"),
    (NAMES_HEAD + "d999\t1\ttext\tЛенин\tpers-lenin\tplurall\t\n", r"n.tsv:2: unknown flag\(s\) plurall"),
])
def test_a_bad_names_row_is_a_clear_error(tmp_path, text, message):
    (tmp_path / "n.tsv").write_text(text, encoding="utf-8")
    with pytest.raises(EditionError, match=message):
        ev.load_names(tmp_path / "n.tsv")


@pytest.mark.parametrize("value", ["when=1917-13-01", "from=1917", "when=1917 from=1918 to=1919", "day=1",
                                   "when=1917 in=1917/1918"])
def test_a_bad_date_value_is_a_clear_error(tmp_path, value):
    (tmp_path / "d.tsv").write_text(DATES_HEAD + f"d999\t1\ttext\t1917\t{value}\t-\tstated\t\t\n", encoding="utf-8")
    with pytest.raises(EditionError, match=r"d.tsv:2: bad value"):
        ev.load_dates(tmp_path / "d.tsv")


def test_a_missing_sample_is_a_clear_error(tmp_path):
    with pytest.raises(EditionError, match="cannot read the sample"):
        ev.load_names(tmp_path / "none.tsv")


# ---- the command ------------------------------------------------------------------------------------

def test_evaluate_prints_the_figures_and_writes_nothing(tmp_path, root):
    project = tmp_path / "p"
    (project / "tei").mkdir(parents=True)
    (project / "edition.toml").write_text((root / "edition.toml").read_text(encoding="utf-8"), encoding="utf-8")
    tei = project / "tei" / "d002.xml"
    tei.write_text(FIXTURE, encoding="utf-8")
    (tmp_path / "names.tsv").write_text(NAMES.replace("d999\t", "d002\t"), encoding="utf-8")
    (tmp_path / "dates.tsv").write_text(DATES.replace("d999\t", "d002\t"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--root", str(project), "annotate", "--evaluate", "d002",
                                      "--names-sample", str(tmp_path / "names.tsv"),
                                      "--dates-sample", str(tmp_path / "dates.tsv")])
    assert result.exit_code == 0, result.output
    assert "  d002: recall 6/10 = 60.0%, precision 6/10 = 60.0%" in result.output
    assert "  d002: right 3/8 = 37.5%; wrong 4, missed 1" in result.output
    assert "same-surname cases: 1 of 2 right" in result.output
    assert tei.read_text(encoding="utf-8") == FIXTURE
    missing = CliRunner().invoke(cli, ["--root", str(project), "annotate", "--evaluate", "d002",
                                       "--names-sample", str(tmp_path / "no.tsv")])
    assert missing.exit_code != 0 and "no names sample" in str(missing.exception or missing.output)


# ---- the sampling script and the samples --------------------------------------------------------------

@pytest.fixture(scope="module")
def names_rows():
    return ev.load_names(DATA / "names_sample.tsv")


@pytest.fixture(scope="module")
def dates_rows():
    return ev.load_dates(DATA / "dates_sample.tsv")


def test_the_draw_is_fixed_and_keeps_notes_in_proportion(docs):
    for doc in docs.values():
        drawn = sample.draw_names(doc)
        assert drawn == sample.draw_names(doc)                     # the seed fixes it
        shares = sample.shares(doc)
        assert len(drawn) == min(120, shares["text"] + shares["note"])
        notes = sum(x.part == "note" for x in drawn)
        assert notes == round(len(drawn) * shares["note"] / (shares["text"] + shares["note"]))
    d003 = sample.eligible(docs["d003"])
    assert 5 in {x.n for x in d003[1]}                           # the photo caption is content
    assert {n for n, _ in d003[2]} == {1, 15, 389, 391, 393}      # the site's chrome, the repeated title


def test_the_date_pattern_is_generous():
    for text in ("30ής Δεκεμβρίου 1917", "18 του Νοέμβρη", "30 Dec. 1917", "с 26.6. по 13.7", "в 20-е годы",
                 "ΑπρίλιοςΙούνιος", "в XVII в.", "Июль", "Μαΐου", "May 1918", "в 1920-х гг."):
        assert sample.is_date_candidate(text), text
    assert not sample.is_date_candidate("Ленин и Троцкий в Петрограде")
    assert sample.candidate_text(["25 октя-", "бря 1917 г."], 1) == "25 октября"


def test_the_names_sample_covers_exactly_the_drawn_lines(docs, names_rows):
    for doc_id, doc in docs.items():
        drawn = {x.n: x.part for x in sample.draw_names(doc)}
        rows = [r for r in names_rows if r.doc == doc_id]
        assert {r.line for r in rows} == set(drawn), doc_id
        assert all(r.part == drawn[r.line] for r in rows), doc_id


def test_the_dates_sample_is_the_draw_read_until_forty_dated_lines(docs, dates_rows):
    for doc_id, doc in docs.items():
        order = [x.n for x in sample.date_candidates(doc)]
        lines = {r.line for r in dates_rows if r.doc == doc_id}
        read = order[:len(lines)]
        assert set(read) == lines, doc_id                        # a prefix of the seeded order
        dated = [n for n in read if any(r.expression != "-" for r in dates_rows if (r.doc, r.line) == (doc_id, n))]
        assert len(dated) == min(40, len(dated) + len(order) - len(read)) and read[-1] in dated, doc_id


def _on_line(cfg, rows, text_of):
    sources = {p.name[:3]: p.read_text(encoding="utf-8").split("\n") for p in cfg.sources_dir.glob("*.txt")}
    bad = []
    for r in rows:
        if text_of(r) == "-":
            continue
        src = sources[r.doc[1:]]
        line = src[r.line - 1].rstrip()
        nxt = src[r.line] if r.line < len(src) else ""
        joined = (line[:-1] if line.endswith("-") else line + " ") + nxt
        if ev.norm(text_of(r)) not in ev.norm(joined) and "".join(text_of(r).split()).replace("-", "") \
                not in "".join(joined.split()).replace("-", ""):
            bad.append((r.doc, r.line, text_of(r)))
    return bad


def test_every_mention_and_date_is_on_its_source_line(cfg, names_rows, dates_rows):
    assert _on_line(cfg, names_rows, lambda r: r.mention) == []
    assert _on_line(cfg, dates_rows, lambda r: r.expression) == []


def test_every_register_id_of_the_sample_is_in_the_register(cfg, names_rows):
    reg = register_mod.load(register_paths(cfg))
    ids = {r.ref for r in names_rows if ev.REF.fullmatch(r.ref)}
    ids |= {c for r in names_rows for c in r.candidates}
    assert sorted(ids - set(reg.entries)) == []
