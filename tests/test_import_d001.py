"""d001: the book on the Russian communist left — pages, page numbers, footnotes, endnotes, hyphens, structure.

The figures and texts below were checked against the witness (sources/001_7f3fb5cfc14f1a27.txt) by hand.
"""

from __future__ import annotations

import re

import pytest

from tei_edition import TEI_NS
from tei_edition.diagnostics import EditionError
from tei_edition.fidelity import compare
from tei_edition.importer import convert
from tei_edition.importer.parsers import book
from tei_edition.importer.profile import Profile, load_profile
from lxml import etree

from tei_edition.xmlsafe import parse_file
from tests.pipeline import annotated

NS = {"t": TEI_NS}
T = "{%s}" % TEI_NS


def reading(el, notes: bool = False) -> str:
    """The edited text: lb is a space unless break="no" (then the word goes on across the layout newline);
    corr/reg are read instead of sic/orig; fw (page numbers) is left out, and notes unless notes=True.
    (tests/tei_text.edited_text reads "комите<lb break='no'/>та" as two words: the writer puts a newline
    before every lb.)"""
    parts: list[str] = []

    def walk(node) -> None:
        for child in node:
            if not isinstance(child.tag, str):
                continue
            if child.tag == T + "lb":
                if child.get("break") == "no":
                    parts[-1:] = [parts[-1].rstrip()] if parts else []
                    parts.append(child.tail.lstrip() if child.tail else "")
                    continue
                parts.append(" ")
            elif child.tag in (T + "fw", T + "sic", T + "orig") or (child.tag == T + "note" and not notes):
                pass
            else:
                parts.append(child.text or "")
                walk(child)
            parts.append(child.tail or "")

    parts.append(el.text or "")
    walk(el)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


@pytest.fixture(scope="module")
def tei(docs):
    return parse_file(docs["d001"].tei_path).getroot()


def xp(node, path):
    return node.xpath(path, namespaces=NS)


def para_with_line(tei, n):
    (p,) = xp(tei, f"//t:text//*[self::t:p or self::t:item][not(ancestor::t:note)][.//t:lb[@n='{n}'][not(ancestor::t:note)]]")
    return p


def note_at(tei, n):
    (el,) = xp(tei, f"//t:note[t:label/t:lb[@n='{n}']]")
    return el


def test_figures(tei):
    text = tei.find(T + "text")
    count = lambda path: int(text.xpath(f"count({path})", namespaces=NS))  # noqa: E731
    assert count(".//t:pb") == 355
    assert count(".//t:pb[@type='inferred']") == 336
    assert count(".//t:fw[@type='pageNum']") == 19
    assert count(".//t:note[@place='foot']") == 34
    assert count(".//t:note[@place='end']") == 22
    assert count(".//t:note[@place][not(@subtype='call-missing')]") == 55
    assert count(".//t:note[@subtype='call-missing']") == 1
    assert count(".//t:note[@subtype='text-missing']") == 1
    assert count(".//t:p[not(ancestor::t:note)]") == 1272
    assert count(".//t:bibl[@type='original']") == 8        # the source lines the book's editors print
    assert count(".//t:bibl[@type='document'][@resp='#ed']") == 9
    assert count(".//t:fw[@type='separator'][normalize-space() = '***']") == 2
    assert count(".//t:lg") == 4
    assert count(".//t:quote[@type='block']") == 62
    assert count(".//t:choice") == 13 + 2      # + annotate's two misprinted names: КРП(б) → РКП(б), Бердинская → Берлинская
    assert count(".//t:hi[@rend='spaced']") == 2
    assert count(".//t:list") == 2
    assert count(".//t:lb[@rend='hyphen']") == 4908
    assert count(".//t:lb[@break='no'][not(@rend)]") == 82
    assert count(".//t:div[@type='part']") == 5
    assert count(".//t:div[@type='document']") == 6
    assert count(".//t:div[@type='article']") == 8


def test_printed_page_numbers_are_residue_and_others_inferred(tei):
    printed = [fw.xpath("string(.)").strip() for fw in xp(tei, "//t:fw[@type='pageNum']")]
    assert printed == ["9", "75", "80", "106", "118", "120", "142", "172", "195", "199", "215", "227", "243",
                       "248", "257", "264", "266", "344", "345"]
    (p9,) = xp(tei, "//t:pb[@n='9']")
    assert p9.get("type") is None
    # the page before a printed one is inferred by counting back; the first pages of the book too
    (p74,) = xp(tei, "//t:pb[@n='74']")
    assert p74.get("type") == "inferred"
    assert [pb.get("n") for pb in xp(tei, "//t:pb")[:3]] == ["3", "4", "5"]
    # the lost title page of Part II (p. 168) is counted: the documents begin on p. 169, after p. 167
    (part2,) = xp(tei, "//t:div[@type='part'][@n='II']")
    assert [pb.get("n") for pb in xp(part2, "preceding::t:pb[position() <= 2]")] == ["167", "169"]
    (p172,) = xp(tei, "//t:pb[@n='172']")
    assert p172.get("type") is None
    # no page number in the reading text: the paragraph around the number 142 reads on
    p = para_with_line(tei, 5203)
    assert "Центрального комитета, сосредотачиваясь в большей степени на делах технических или культурных" \
        in reading(p)
    assert "142" not in reading(p)


def test_sentence_and_word_across_page_break(tei):
    p = para_with_line(tei, 2648)
    assert xp(p, ".//t:pb")
    assert "В Манифесте ни словом не упоминается спад мировой революции, который имел место" in reading(p)


def test_word_split_across_footnote_block(tei):
    # line 1924 ends "заме-", the footnote 5 stands below, the next page goes on "нив ее системой"
    p = para_with_line(tei, 1924)
    assert "будто бы она желает разрушить армию, заменив ее системой партизанских отрядов" in reading(p)
    assert "Ouvrier" not in reading(p)
    assert "“L’Ouvrier Communiste” – издание французской группы" in reading(note_at(tei, 1926), notes=True)


def test_call_glued_to_quotation_mark_is_linked_to_its_endnote(tei):
    p = para_with_line(tei, 319)
    assert "является «Призыв российской рабочей оппозиции», из которого явствует" in reading(p)
    note = note_at(tei, 1181)
    assert note.getparent() is not None and note in xp(p, ".//t:note")
    assert (note.get("n"), note.get("place")) == ("i", "end")
    assert reading(note, notes=True).startswith("i Это название было дано документу редакцией")


def test_footnote_call_after_parenthesis(tei):
    p = para_with_line(tei, 1271)
    (note,) = xp(p, ".//t:note")
    assert note.get("n") == "1" and note.get("place") == "foot"
    assert reading(p).endswith("быть решена в России» (Роза Люксембург).")
    assert reading(note, notes=True) == ("1 Рукопись о русской революции//Люксембург Р. О социализме и русской "
                                         "революции. М., 1991, с. 333.")


def test_figures_at_line_start_are_text_not_calls(tei):
    # "1905" opens a line inside footnote 2, "30." a line inside a footnote 1: both stay text
    assert "после революции 1905 года" in reading(note_at(tei, 1451), notes=True)
    assert reading(note_at(tei, 13692), notes=True).endswith("(1898 – 1926). М., стр. 30.")
    assert not xp(tei, "//t:note[@n='1905' or @n='30']")
    # dates and vote counts in the text are not calls
    assert not xp(tei, "//t:note[@n='1918' or @n='20']")


def test_real_hyphens_at_line_end_are_kept(tei):
    assert "в использовании парламентаризма и тред-юнионизма Коммунистическим" in reading(para_with_line(tei, 274))
    assert "По-видимому, она с" in reading(para_with_line(tei, 2349))
    assert "1914-1918 гг." in reading(para_with_line(tei, 1433))


def test_heading_over_two_lines_is_one_heading(tei):
    (head,) = xp(tei, "//t:head[.//t:lb[@n='4638']]")
    assert reading(head) == "1922-1923 гг.: борьба коммунистических фракций против контрреволюции"
    assert xp(head, "count(.//t:lb)") == 2


def test_lost_part_heading_is_supplied_and_documents_carry_their_metadata(tei):
    (part2,) = xp(tei, "//t:div[@type='part'][@n='II']")
    (sup,) = xp(part2, "t:head/t:supplied")
    assert (sup.text, sup.get("resp")) == ("Часть II. Документы", "#ed")
    docs = xp(part2, "t:div[@type='document']")
    assert [reading(d.find(T + "head")) for d in docs] == [
        "Тезисы «левых коммунистов» о текущем моменте", "Рабочая оппозиция",
        "Из воззвания группы «Рабочая Правда»",
        "Манифест Рабочей Группы Российской Коммунистической Партии (б)",
        "Обращение сторонников «Платформы 15-ти» к XV съезду ВКП(б)", "Очередной обман"]
    assert xp(docs[0], "string(t:bibl[@resp='#ed']/t:date/@when)") == "1918-04-20"
    assert xp(docs[5], "string(t:bibl[@resp='#ed']/t:author)") == "Г. И. Мясников"
    (part1,) = xp(tei, "//t:div[@type='part'][@n='I']")
    assert reading(part1.find(T + "head")) == "Часть I Исследования"
    assert [d.get("type") for d in xp(tei, "//t:front/t:div")] == ["annotation", "preface"]


def test_endnotes_restart_and_asterisk_call(tei):
    # four articles number their endnotes from i again
    assert len(xp(tei, "//t:note[@n='i'][@place='end']")) == 4
    # the asterisk note of the 1924-1928 article is called by four asterisks in the article's heading
    (note,) = xp(tei, "//t:head//t:note")
    assert note.get("n") == "∗∗∗∗" and xp(note, "string(t:label)").strip() == "∗"
    assert "Впервые статья была опубликована под заголовком" in reading(note, notes=True)


def test_note_without_call_is_kept_and_flagged(tei):
    note = note_at(tei, 1227)
    assert (note.get("n"), note.get("subtype")) == ("xiii", "call-missing")
    assert xp(note, "string(t:note[@type='editorial'][@resp='#ed'])").startswith("Endnote xiii: no call")


def test_reimport_then_annotate_is_identical_and_faithful(cfg, docs):
    doc = docs["d001"]
    tei, _ = convert(cfg, doc)
    assert annotated(cfg, doc, tei) == doc.tei_path.read_bytes()   # import + annotate = the curated file
    report = compare("d001", doc.tei_path, doc.source_path)
    assert report.ok and report.matched_chars == report.source_chars == 697506


def test_profile_mark_outside_the_source_is_a_clear_error(docs):
    good = load_profile(docs["d001"].profile_path)
    data = dict(good.data, marks=[{"line": 999999, "level": 1}])
    bad = Profile(good.path, good.id, good.source, good.layout, good.lang, data)
    lines = docs["d001"].source_path.read_text(encoding="utf-8").split("\n")
    with pytest.raises(EditionError, match=r"marks #1: line 999999 is not a line of the source"):
        book.parse(lines, bad)


def test_verse_is_encoded_as_verse(tei):
    (lg,) = xp(tei, "//t:lg[.//t:lb[@n='10328']]")
    assert [reading(line) for line in xp(lg, "t:l")] == [
        "Мы не творим себе кумира", "Ни на земле, ни на небесах", "И не падем пред ним во прах!"]
    # the prose goes on in a new paragraph after the stanza
    assert reading(para_with_line(tei, 10331)).startswith("Для нас чистой демократии, абсолютных свобод")


def test_source_errors_are_kept_with_the_editors_correction(tei):
    (choice,) = xp(tei, "//t:choice[t:sic/ancestor::*/t:lb[@n='10885'] or .//t:sic[contains(., 'бу4дут')]]")
    assert (xp(choice, "string(t:sic)"), xp(choice, "string(t:corr)")) == ("бу4дут", "будут")
    assert xp(choice, "string(t:corr/@resp)") == "#ed"
    (latin_c,) = xp(tei, "//t:choice[t:sic='cоюзами']")
    assert xp(latin_c, "string(t:corr)") == "союзами"
    # the word split at the line end after the correction is still joined (скоро-|проходящим, by the profile)
    assert "будут не скоропроходящим явлением" in reading(para_with_line(tei, 10886))


def test_letter_spaced_words_read_without_their_spaces(tei):
    (head,) = xp(tei, "//t:head[.//t:lb[@n='8710']]")
    assert reading(head) == ("Обращение к революционному пролетариату и всем революционным элементам , "
                             "оставшимся верными борющемуся рабочему классу.")
    assert [hi.text for hi in xp(head, ".//t:hi[@rend='spaced']")] == ["всем революционным",
                                                                       "борющемуся рабочему"]


def test_byline_of_the_first_study(tei):
    (div,) = xp(tei, "//t:div[t:head[.//t:lb[@n='186']]]")
    assert reading(div.find(T + "byline")) == "Ян Геббс"


def test_source_brackets_are_encoded_as_the_source_editorial_interventions_they_are(tei):
    segs = xp(tei, "//t:seg[@type='source-editorial']")
    kinds = {k: sum(1 for s in segs if s.get("subtype") == k) for k in
             ("omission", "sic", "editor-remark", "expansion", "insertion")}
    assert kinds == {"omission": 5, "sic": 11, "editor-remark": 5, "expansion": 55, "insertion": 23}
    (remark,) = xp(tei, "//t:seg[@subtype='editor-remark'][.//text()[contains(., 'большевикам')]]")
    assert "".join(remark.itertext()) == "[большевикам – Ред.]"   # the party named by its members is tagged inside
    p = para_with_line(tei, 1713)
    assert xp(p, "string(.//t:seg[@subtype='expansion'][1])") == "[имер]"
    assert "(напр[имер], кре" in reading(p)


# ---- the generic book parser on a small made-up page sequence (cases the real witness does not have) --------

def mini_record(root):
    path = root / "tests" / "fixtures" / "import" / "book-footnote-over-a-page.txt"
    data = {"id": "dmini", "source": path.name, "layout": "book", "lang": "ru",
            "marks": [{"line": 1, "level": 1, "type": "chapter"}]}
    profile = Profile(path, "dmini", path.name, "book", "ru", data)
    return book.parse(path.read_text(encoding="utf-8").split("\n"), profile)


def _walk(blocks):
    from tei_edition.importer import record as r
    for b in blocks:
        if isinstance(b, r.Division):
            yield from _walk(b.blocks)
        elif isinstance(b, r.Paragraph):
            yield from b.tokens
        elif isinstance(b, r.Milestones):
            yield from b.tokens


def test_footnote_running_onto_the_next_page_is_one_note_and_a_lost_note_text_is_flagged(root):
    from tei_edition.importer import record as r
    rec = mini_record(root)
    toks = list(_walk(rec.body))
    notes = [t.note for t in toks if isinstance(t, r.NoteCall)]
    assert [(n.n, n.missing) for n in notes] == [("1", None), ("2", "text"), ("3", None)]
    first = notes[0]
    body = first.blocks[0].tokens
    assert [t.n for t in body if isinstance(t, r.LineBreak)] == [8]            # line 5 is in the label
    assert [t.hyphen for t in body if isinstance(t, r.LineBreak)] == ["soft"]  # сле-|дующей across the page
    text = "".join(t.text for t in body if isinstance(t, r.Text))
    assert text == " Начало сноски, которая продолжается на следующей странице и кончается здесь."
    assert "no footnote 2 is printed" in notes[1].comment
    pages = [(t.n, t.inferred) for t in toks if isinstance(t, r.PageBreak)]
    assert pages == [("7", True), ("8", False), ("9", True)]
    # figures of dates and votes on the third page are no calls
    assert rec.counts["book: notes, footnote"] == 2


def test_editors_hyphen_decisions_from_the_profile(tei):
    # the rules would join анархо-|синдикалистов and keep уезд-|кома; the profile says otherwise
    assert "анархо-синдикалистов" in reading(para_with_line(tei, 4439))
    assert "губкома, уездкома)" in reading(para_with_line(tei, 8478))


def test_quotation_announced_by_a_colon_is_a_block_quote(tei):
    (q,) = xp(tei, "//t:quote[.//t:lb[@n='2997']]")
    text = reading(q)
    assert text.startswith("«Как истинные воспитанники парламентского кретинизма")
    assert text.endswith("в абсолютных хозяев положения» (Люксембург Р. О социализме и русской революции. "
                         "М., 1991, с.313).")
    assert "они [германские социал-демократы – Ред.] просто" in text
    assert reading(q.getprevious()).endswith(":")
    # a quotation the author's own sentence follows in the same paragraph stays a paragraph
    assert not xp(tei, "//t:quote[.//t:lb[@n='3528']]")


def test_call_without_footnote_text_is_kept_and_flagged(tei):
    # Stalin's words are quoted twice; the first quotation's call 1 has no footnote on its page
    (note,) = xp(tei, "//t:note[@subtype='text-missing']")
    assert (note.get("n"), xp(note, "string(preceding::t:lb[1]/@n)")) == ("1", "12748")
    assert xp(note, "count(t:gap[@reason='missing-in-source'])") == 1
    assert "тогда критика пойдет путем восстаний»." in reading(para_with_line(tei, 12748))
    # the second quotation's call 1 is linked to the footnote printed on its page
    (note2,) = xp(para_with_line(tei, 12762), ".//t:note")
    assert reading(note2, notes=True) == "1 См.: «Правда», № 24, 30 января 1925 г."


def test_footnote_label_followed_by_a_full_stop(tei):
    # "1 . Отчет об объединенном собрании…": the label is 1, its call is "приветствовал.1"
    note = note_at(tei, 14100)
    assert note in xp(para_with_line(tei, 14091), ".//t:note")
    assert "Отчет об объединенном собрании КРО и ИКТ" in reading(note, notes=True)


@pytest.mark.parametrize("change, message", [
    ({"fixes": [{"line": 7090, "source": "нет такого текста", "edited": "x"}]}, r"\[\[fixes\]\] line 7090: 'нет такого"),
    ({"fixes": [{"line": 7090, "edited": "x"}]}, r"\[\[fixes\]\] #1: needs line, source, edited"),
    ({"verse": [[10294, 10291]]}, r"verse: each stanza is \[first line, last line\]"),
    ({"paragraph_rend": {"x": "signed"}}, r"\[paragraph_rend\]: 'x' is not a line or a range"),
    ({"paragraph_rend": {"9-5": "signed"}}, r"\[paragraph_rend\]: '9-5' is not a line or a range"),
])
def test_profile_mistakes_are_clear_errors(docs, change, message):
    good = load_profile(docs["d001"].profile_path)
    bad = Profile(good.path, good.id, good.source, good.layout, good.lang, dict(good.data, **change))
    lines = docs["d001"].source_path.read_text(encoding="utf-8").split("\n")
    with pytest.raises(EditionError, match=message):
        book.parse(lines, bad)


def test_signatures_and_epigraph_are_blocks_of_their_own(tei):
    (sig,) = xp(tei, "//t:p[@rend='signed'][.//t:lb[@n='12060']]")
    assert reading(sig).startswith("В. Оборин, Ф. Пилипенко") and reading(sig).endswith("С. Шрайберг.")
    assert "М. Миньков, М. Мино" in reading(sig)
    (epi,) = xp(tei, "//t:p[@rend='epigraph']")
    assert reading(epi) == "Освобождение рабочих должно быть делом самого рабочего класса."
    (closing,) = xp(tei, "//t:p[@rend='signed'][.//t:lb[@n='11802']]")
    assert reading(closing) == ("Временное Центральное Организационное Бюро Рабочей Группы Российской "
                                "Коммунистической партии (большевиков)")


# ---- structure and breaks (issue 13) --------------------------------------------------------------------

def test_ward_article_has_its_two_parts_with_their_sections(tei):
    """«Часть первая:» (lines 1479-1480) and «Часть вторая: …» (line 2174) are part headings: "Первые месяцы" to
    "Рабочая оппозиция" sit under the first, "1. «Рабочая Правда»" to "3. Непримиримые …" under the second."""
    (article,) = xp(tei, "//t:div[@type='article'][t:head//t:lb[@n='1228']]")
    parts = xp(article, "t:div[@type='part']")
    assert [reading(p.find(T + "head")) for p in parts] == [
        "Часть первая: Левые коммунисты в героические годы революции (1918-1921 гг.)",
        "Часть вторая: Левые коммунисты и контрреволюция (1921-1930 гг.)"]
    assert [reading(d.find(T + "head")) for d in xp(parts[0], "t:div")] == [
        "Первые месяцы", "Гражданская война", "Рабочая оппозиция"]
    assert [reading(d.find(T + "head")) for d in xp(parts[1], "t:div")] == [
        "1. «Рабочая Правда»", "2. «Рабочая группа» и Коммунистическая рабочая партия.",
        "3. Непримиримые левые оппозиционеры."]
    # the second part's heading is not run into its first paragraph
    assert reading(para_with_line(tei, 2175)).startswith("После 1921 года большевистская партия")
    assert [reading(d.find(T + "head")) for d in xp(article, "t:div[@type='section']")] == [
        "Введение", "Кто такие левые коммунисты?"]


def test_source_and_date_lines_are_the_book_editors_metadata_not_notes(tei):
    """The source line printed under a document is a bibl of the text (no footnote, no invented call); the
    editors' own description of the document holds no note and sets its parts apart."""
    (theses,) = xp(tei, "//t:div[@type='document'][t:head//t:lb[@n='6149']]")
    (printed,) = xp(theses, "t:bibl[@type='original']")
    assert reading(printed) == "«Коммунист», № 1, 20 апреля 1918 г." and printed.get("resp") is None
    (ours,) = xp(theses, "t:bibl[@resp='#ed']")
    assert not xp(ours, ".//t:note") and reading(ours) == (
        "«Левые коммунисты» (группа левых большевиков). Тезисы о текущем моменте. 20 апреля 1918 г.")
    assert not xp(tei, "//t:bibl[@type='document']//t:note")
    (platform,) = xp(tei, "//t:div[@type='document'][t:head//t:lb[@n='11806']]")
    assert [etree.QName(c).localname for c in platform][:3] == ["head", "dateline", "bibl"]
    assert reading(platform.find(T + "dateline")) == "(декабрь 1927 г.)"
    assert reading(xp(platform, "t:bibl")[0]) == ("Сторонники «Платформы 15-ти» (Т. Сапронов, В. Смирнов и др.). "
                                                 "декабрь 1927 г.")
    (obituary,) = xp(tei, "//t:bibl[@type='original'][.//t:lb[@n='14138']]")
    assert reading(obituary) == "(Из World Revolution no. 210, December 1997)"


def test_section_breaks_are_division_boundaries_in_001_and_004(tei, docs):
    """*** (001 lines 110 and 3701, 004 line 177) is encoded once: the printed asterisks as fw type="separator"
    between two divisions."""
    d004 = parse_file(docs["d004"].tei_path).getroot()
    for root, line in ((tei, 110), (tei, 3701), (d004, 177)):
        (fw,) = xp(root, f"//t:fw[@type='separator'][t:lb[@n='{line}']]")
        assert reading(fw) == "***"
        before, after = fw.getprevious(), fw.getnext()
        assert before.tag == after.tag == T + "div" and after.find(T + "head") is None, line
    assert not xp(tei, "//t:p[@rend='separator']")


def test_page_numbers_never_jump_inside_a_sentence(tei):
    """The three pages the witness lacks between printed pp. 9 and 75 stand before the second article, not
    in the middle of a sentence at line 1344 (where the numbers jumped 40 -> 44)."""
    numbers = [int(pb.get("n")) for pb in xp(tei, "//t:pb")]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    jumps = [(a, b) for a, b in zip(numbers, numbers[1:]) if b != a + 1]
    assert jumps == [(37, 41), (167, 169)]     # before the second article; the lost title page of Part II
    assert xp(tei, "//t:lb[@n='1228']/preceding::t:pb[1]/@n") == ["41"]
    assert xp(tei, "//t:lb[@n='1343']/preceding::t:pb[1]/@n") == ["43"]   # 40 -> 44 here before


def test_real_hyphens_next_to_punctuation_stay_joined(tei):
    """«М.-|Л.» (line 3455) and «по-|«марксистски»» (line 8040): a hyphen at the line end next to punctuation
    is real; the word goes on (break="no") and nothing is dropped."""
    assert "Изд. 3-е. Т. XXII. М.-Л., 1929, с. 568" in reading(para_with_line(tei, 3455))
    assert "мыслит более по-«марксистски», чем" in reading(para_with_line(tei, 8040))
    for n in (3456, 8041):
        (lb,) = xp(tei, f"//t:lb[@n='{n}']")
        assert lb.get("break") == "no" and lb.get("rend") is None
