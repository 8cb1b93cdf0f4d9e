"""d000: the two-column journal article — pages, columns, footnote blocks, calls, hyphens, paragraphs.

The figures and texts below were checked against the witness (sources/000_dd6a13bb4e2f95ad.txt) by hand.
"""

from __future__ import annotations

import copy
import dataclasses

import pytest

from tei_edition.diagnostics import EditionError
from tei_edition.fidelity import compare
from tei_edition.importer import convert
from tei_edition.importer.parsers import journal_columns
from tei_edition.importer.profile import load_profile
from tei_edition.xmlsafe import parse_file
from tests.tei_text import NS
from tests.tei_text import edited_text as _edited_text
from tests.pipeline import annotated

XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


@pytest.fixture(scope="module")
def tei(docs):
    return parse_file(docs["d000"].tei_path).getroot()


def edited_text(el, notes: bool = False) -> str:
    """The shared helper's edited text, with the layout whitespace before lb[@break='no'] removed
    (TEI: whitespace next to a line break inside a word is not text)."""
    clone = copy.deepcopy(el)
    for lb in clone.iter("{%s}lb" % NS["t"]):
        if lb.get("break") == "no":
            prev = lb.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "").rstrip()
            else:
                lb.getparent().text = (lb.getparent().text or "").rstrip()
    return _edited_text(clone, notes=notes)


def xp(node, path):
    return node.xpath(path, namespaces=NS)


def note(tei, n):
    (el,) = xp(tei, f"//t:note[@n='{n}']")
    return el


def para_with_line(tei, n):
    (p,) = xp(tei, f"//t:p[not(ancestor::t:note)][.//t:lb[@n='{n}'][not(ancestor::t:note)]]")
    return p


def text_before(el):
    """The edited text of el's paragraph (el is a child of it) before el."""
    p = el.getparent()
    clone = copy.deepcopy(p)
    for child in list(clone)[list(p).index(el):]:
        clone.remove(child)          # lxml removes an element together with its tail
    return edited_text(clone)


# ---- figures ----------------------------------------------------------------------------------------

def test_figures(tei):
    text = xp(tei, "//t:text")[0]
    assert len(xp(text, ".//t:lb")) == 706
    assert len(xp(text, ".//t:p[not(ancestor::t:note)]")) == 28          # 2 abstracts + 26 in the article
    assert len(xp(text, "t:body/t:div[@type='article']/t:p")) == 26
    assert len(xp(text, ".//t:lb[@rend='hyphen']")) == 250
    assert len(xp(text, ".//t:lb[@break='no'][not(@rend)]")) == 4
    assert len(xp(text, ".//t:head")) == 1
    assert len(xp(text, ".//t:choice")) == 5


def test_pages_have_inferred_numbers_of_the_witness(tei):
    pbs = xp(tei, "//t:pb")
    assert [pb.get("n") for pb in pbs] == [str(i) for i in range(1, 9)]
    assert all(pb.get("type") == "inferred" for pb in pbs)
    # every page starts with column 1, and has a column 2
    breaks = [(el.tag.split("}")[1], el.get("n")) for el in xp(tei, "//t:pb | //t:cb")]
    assert breaks[0] == ("pb", "1")
    assert [n for tag, n in breaks if tag == "cb"] == ["1", "2"] * 8
    # page 2 begins inside a word: литерату-|ре (line 61 | line 62)
    (pb2,) = xp(tei, "//t:pb[@n='2']")
    assert pb2.getnext().tag.endswith("}cb") and pb2.getnext().getnext().get("n") == "62"


def test_notes_are_numbered_as_printed_with_one_asterisk_note(tei):
    ns = [n.get("n") for n in xp(tei, "//t:text//t:note[not(@type='editorial')]")]
    assert ns == [str(i) for i in range(1, 15)] + ["*"] + [str(i) for i in range(15, 24)]
    assert all(n.get("place") == "foot" for n in xp(tei, "//t:text//t:note[not(@type='editorial')]"))
    assert xp(tei, "//t:note[@subtype]") == []


# ---- the cases a naive converter gets wrong ---------------------------------------------------------

def test_title_over_three_lines_is_one_heading(tei):
    (head,) = xp(tei, "/t:TEI/t:text/t:body/t:head")
    assert edited_text(head) == ("Попытка создания коалиционной советской власти в 1917 году: "
                                 "«однородное социалистическое правительство»")
    assert xp(head, "t:lb/@n") == ["1", "2", "3"]


def test_english_abstract(tei):
    (en,) = xp(tei, "//t:body/t:div[@type='abstract'][@xml:lang='en']")
    assert edited_text(en).startswith("Annotation: This article is a study of an attempt")
    assert edited_text(en).endswith("are shown on a broad documentary basis.")
    (ru,) = xp(tei, "//t:body/t:div[@type='abstract'][not(@xml:lang)]")
    assert "кто больше виноват в развале союза" in edited_text(ru)   # раз-вале corrected, sic kept
    assert xp(ru, ".//t:sic/text()") == ["раз-вале"]


def test_footnote_continued_on_the_next_page_is_one_note(tei):
    n8 = note(tei, "8")
    assert xp(n8, ".//t:lb/@n") == ["284", "285", "286", "287", "334", "335", "336", "337"]
    assert edited_text(n8, notes=True) == (
        "8 См. Борьба за власть Советов в Приморье (1917-1922 гг.). Сборн. докум. Редк.: Л.И. Беликов. "
        "Владивосток. Примор. кн. изд. 1955; Борьба за власть Советов в Тобольской (Тюменской) губернии "
        "(1917-1920 гг.). Сборн. документальных материалов. Ред. П.И. Рощевский. Свердловск: Сред.-Уральское "
        "кн. Изд. 1967; Борьба за власть Советов в Томской губернии (1917-1919 гг.). Сборн. докум. и матер. "
        "Редк.: В.С. Флёров и др. Томск, 1957.")
    # its call closes the last paragraph of page 3; page 4 begins a new paragraph
    assert text_before(n8).endswith("когда эта проблема просто не существовала.")
    p = para_with_line(tei, "274")
    assert p.getnext().tag.endswith("}pb") and p.getnext().get("n") == "4"
    assert edited_text(para_with_line(tei, "288")).startswith("Можно с уверенностью утверждать, что идея")


def test_word_split_across_a_footnote_block_and_a_page(tei):
    # прави- (line 168) | footnotes 1-2 | page 3 | тельства» (line 173)
    p = para_with_line(tei, "173")
    assert "в понимании проблемы «однородного социалистического правительства» было на местах." in edited_text(p)
    assert para_with_line(tei, "168") is p
    # крестьян- (line 217) | footnotes 3-5 | column 2 | ских (line 230)
    p = para_with_line(tei, "230")
    assert "съезд Советов рабочих, солдатских и крестьянских депутатов, профессиональных союзов" in edited_text(p)
    # a word split at a column break without footnotes: боль-|шинство (lines 116 | 118)
    assert "Правые же эсеры, коих было большинство, а также" in edited_text(para_with_line(tei, "118"))


def test_sentence_across_a_page_break(tei):
    p = para_with_line(tei, "62")
    assert ("в учебной и популярной исторической литературе, практически мало показан (а часто вообще не "
            "упомянут)") in edited_text(p)
    assert xp(p, "t:pb/@n") == ["2"]


def test_numbers_that_are_not_calls_stay_text(tei):
    # a date at a line start right after a closing quotation and full stop
    (lb196,) = xp(tei, "//t:lb[@n='196']")
    assert (lb196.tail or "") == "" and xp(lb196, "string(following-sibling::t:date[1])") == "8 ноября"
    assert lb196.getnext().tail.startswith(" и ") and "8 ноября и Московский Совет принял" in edited_text(para_with_line(tei, "196"))
    # vote counts and a year at a line start
    assert "большинство — 110 высказались за власть Советам, 8 указали – «Власть демократии», 5 – «Коалиции" \
        in edited_text(para_with_line(tei, "309"))
    (lb251,) = xp(tei, "//t:lb[@n='251']")
    assert lb251.tail == "1918 г." and lb251.getparent().tag.endswith("}date")    # a date, not a note call
    assert lb251.getparent().tail.startswith(" обсуждается")
    # the call after a vote count: "85 против 84. 21 Фактически"
    n21 = note(tei, "21")
    assert text_before(n21).endswith("собрала на 1 голос больше – 85 против 84.")
    assert edited_text(n21, notes=True) == "21 Протоколы заседаний ВЦИК II созыва. Пгд, 1918. С. 83."


def test_calls_detached_by_a_space_and_glued_to_a_quotation_mark(tei):
    n1 = note(tei, "1")
    assert text_before(n1).endswith("в отношении которых принять позицию беспощадной борьбы».")
    assert n1.tail.startswith(" Такое разное понима")
    assert edited_text(n1, notes=True) == "1 Новая жизнь. Пг., 1917. 27 октября."
    n23 = note(tei, "23")        # "блоке».23 Вхождение"
    assert text_before(n23).endswith("обеспечили за собой руководящую роль в этом блоке».")
    assert xp(n23, "t:label/t:lb/@n") == ["680"]
    star = note(tei, "*")        # "конфликта*"
    assert text_before(star).endswith("В ликвидации всего конфликта")
    assert edited_text(star, notes=True) == "* Имеются в виду мятеж юнкеров и наступление войск Керенского-Краснова."


def test_real_and_printers_hyphens_at_line_ends(tei):
    body = edited_text(xp(tei, "//t:body")[0])
    for word in ("меньшевиков-интернационалистов", "«однородно-демократическую",
                 "большевистско-эсеровский", "(сентябрь-октябрь)", "не везде."):
        assert word in body
    kept = [lb.get("n") for lb in xp(tei, "//t:lb[@break='no'][not(@rend)]")]
    assert kept == ["115", "126", "280", "343"]      # two compounds, 1917-|1920, С. 438-|559
    assert "(1917-1920 гг.)" in edited_text(note(tei, "7"), notes=True)


def test_the_authors_remarks_and_omissions_are_source_editorial(tei):
    remarks = xp(tei, "//t:seg[@type='source-editorial'][@subtype='editor-remark']")
    assert [edited_text(s) for s in remarks] == ["Сохранён стиль документа, выделено мной – А.И.",
                                                 "Подсчёт мой – А.И."]
    assert [s.xpath("ancestor::t:note/@n", namespaces=NS) for s in remarks] == [["2"], ["10"]]
    omissions = xp(tei, "//t:seg[@subtype='omission']")
    assert [s.xpath("preceding::t:lb[1]/@n", namespaces=NS)[0] for s in omissions] == ["158", "435", "541", "664"]
    # "Великой ... в ... губернии": placeholders in an imagined title, not omissions
    assert "Великой ... в ... губернии" in edited_text(para_with_line(tei, "36"))


def test_corrections_keep_the_source_reading(tei):
    # буфе-|ров (lines 79-80) is read "буфером": the correction sits on the second half of the word
    assert "неким буфером в острых противоречиях" in edited_text(para_with_line(tei, "80"))
    pairs = [(c.xpath("t:sic", namespaces=NS)[0].text, c.xpath("t:corr", namespaces=NS)[0].text)
             for c in xp(tei, "//t:choice")]
    assert pairs == [("раз-вале", "развале"), ("ров", "ром"), ("ведён", "ведёт"), ("протии", "против"), ("в себя", "в себе")]


def test_the_witness_ends_with_the_conclusion_and_the_header_says_so(tei):
    """The last paragraph (lines 735-752) answers the abstract's question and ends on a short last page: the
    header says what the witness shows and claims no loss; no editors' note of a loss ends the text."""
    (div,) = xp(tei, "//t:body/t:div[@type='article']")
    last = div[-1]
    assert last.tag.endswith("}p") and edited_text(last).startswith("Отвечая на принципиальный вопрос, – кто был")
    assert edited_text(last).endswith("Можно даже утверждать, что это был акт отчаяния.")
    assert "кто больше виноват в развале союза" in edited_text(xp(tei, "//t:p[@xml:id='d000-p1']")[0])
    assert not xp(tei, "//t:text//t:note[@type='editorial'][contains(., 'breaks off')]")
    assert xp(tei, "//t:titleStmt/t:author/t:name[@type='unknown']")
    header_notes = " ".join(xp(tei, "//t:notesStmt/t:note/text()"))
    assert "«А.И.»" in header_notes and "inferred numbers 1–8" in header_notes
    assert "breaks off" not in header_notes and "ends with the article's conclusion" in header_notes


# ---- the importer itself ----------------------------------------------------------------------------

def test_reimport_then_annotate_is_byte_identical_and_faithful(cfg, docs, tmp_path):
    doc = docs["d000"]
    tei_bytes, rec = convert(cfg, doc)
    assert annotated(cfg, doc, tei_bytes) == doc.tei_path.read_bytes()   # import + annotate = the curated file
    out = tmp_path / "d000.xml"
    out.write_bytes(tei_bytes)
    report = compare(doc.id, out, doc.source_path)
    assert report.divergences == [] and report.matched_chars == report.source_chars == 27341
    assert rec.counts == {"footnote blocks": 10, "footnotes continued in the next column": 1}
    kinds = sorted({d.kind for d in rec.decisions})
    assert kinds == ["column", "hyphen", "note", "note-call", "omission", "page", "paragraph"]


def test_a_bad_profile_is_a_clear_error(docs):
    doc = docs["d000"]
    profile = load_profile(doc.profile_path)
    lines = doc.source_path.read_text(encoding="utf-8").split("\n")
    data = copy.deepcopy(profile.data)
    del data["page_layout"]["body_first"]
    with pytest.raises(EditionError, match="lacks 'body_first'"):
        journal_columns.parse(lines, dataclasses.replace(profile, data=data))
    data = copy.deepcopy(profile.data)
    data["corrections"][3]["line"] = 605
    with pytest.raises(EditionError, match="line 605 of 000_dd6a13bb4e2f95ad.txt does not contain 'протии'"):
        journal_columns.parse(lines, dataclasses.replace(profile, data=data))


def test_fixture_first_page_second_column_begins_at_the_balanced_blank_line(root):
    # lines 25-61 of the witness: the two columns under the title block of page 1. Two blank lines fall
    # inside a sentence (after "написано" and after "широкой"); only the second, mid-page, is the column break.
    from tei_edition.importer.languages import LANGUAGES
    from tei_edition.importer.parsers.journal_layout import find_layout
    from tei_edition.importer.record import Record

    lines = (root / "tests/fixtures/import/journal-columns-balanced-second-column.txt").read_text(encoding="utf-8").split("\n")
    rec = Record("d000", "ru")
    layout = find_layout(lines, 1, set(), rec, LANGUAGES["ru"])
    assert layout.page_starts == [1]
    assert [(c.lines[0], c.lines[-1], c.column, c.kind) for c in layout.chunks] == [
        (1, 4, 1, "text"), (6, 18, 1, "text"), (20, 33, 2, "text"), (35, 37, 2, "text")]
    (decision,) = [d for d in rec.decisions if d.kind == "column"]
    assert decision.line == 20 and "other blank lines where the text runs on: 5" in decision.message


def test_a_call_without_its_note_text_is_kept_and_flagged(docs):
    # the witness with the text of footnote 1 (line 170) blanked out: call 1 stays, marked text-missing
    doc = docs["d000"]
    profile = load_profile(doc.profile_path)
    lines = doc.source_path.read_text(encoding="utf-8").split("\n")
    lines[169] = ""
    rec = journal_columns.parse(lines, profile)
    calls = [tok.note for block in _walk(rec.body) for tok in getattr(block, "tokens", [])
             if type(tok).__name__ == "NoteCall" and tok.note.n is not None]
    assert [c.n for c in calls][:3] == ["1", "2", "3"]
    assert calls[0].missing == "text" and calls[0].comment == "The note text is not in the witness."
    assert calls[1].missing is None
    assert any(d.message == "note call 1 has no note text in the witness" for d in rec.decisions)


def _walk(blocks):
    for b in blocks:
        yield b
        yield from _walk(getattr(b, "blocks", []))
