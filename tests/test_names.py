"""Names (issue 12): what is a mention, which entry it is, and the editors' decisions — on short texts and on the
real edition (the same-surname cases found on review, the Sovnarkom photograph of 003, titles of cited works)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from lxml import etree

from tei_edition import TEI_NS
from tei_edition.annotate import annotate_tree
from tei_edition.annotate import register as register_mod
from tei_edition.annotate.entities import Linker, _source_text
from tei_edition.annotate.stream import start_line
from tei_edition.corpus import register_paths
from tei_edition.diagnostics import EditionError
from tei_edition.fidelity import regenerate
from tei_edition.xmlsafe import parse_bytes, parse_file

T = "{%s}" % TEI_NS
NAMES = (T + "persName", T + "orgName", T + "placeName")


@pytest.fixture(scope="module")
def reg(cfg):
    return register_mod.load(register_paths(cfg))


def lines(tree) -> dict[int, str]:
    return {n: "".join("".join(p).split()) for n, p in regenerate(tree).lines.items()}


def found(reg, text: str) -> list[tuple[str, str]]:
    return [(text[m.start:m.end], m.entries[0].id if m.cert != "low" else "?") for m in Linker(reg).find(text)]


# --- what is a mention ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    # a party named by its members in the plural; one member is not a mention of the party
    ("союз левых эсеров и большевиков, но левый эсер Колегаев", [("левых эсеров", "org-left-srs"),
                                                                 ("большевиков", "org-bolsheviks"),
                                                                 ("Колегаев", "pers-kolegaev")]),
    ("сначала меньшевиком, а потом большевиком", []),
    ("как децист Косиор", [("Косиор", "pers-kosior-v")]),
    ("οι Αριστεροί Σ.Ε. και οι μπολσεβίκοι, ενώ ο Αριστερός Σ.Ε. Καρέλιν", [("Αριστεροί Σ.Ε.", "org-left-srs"),
                                                                           ("μπολσεβίκοι", "org-bolsheviks"),
                                                                           ("Καρέλιν", "pers-karelin")]),
    # an abbreviated place of publication only in an imprint
    ("Избранные произведения. М., 1990, с. 137", [("М.", "place-moscow")]),
    ("Сочинения. Т. XXII. М.-Л., 1929", [("М.", "place-moscow"), ("Л.", "place-petrograd")]),
    ("Ф. 1235. Оп. 17. Д. 13. Л. 1-б.", []),
    # nothing inside a web address
    ("http://iskra-research.org/Trotsky/sochineniia/1927/19270414-2.html", []),
    # a congress is a body of its own, also with a Cyrillic Kha for the Roman ten
    ("на Х съезде РКП(б) и на II съезде Советов", [("Х съезде РКП(б)", "org-party-congress-10"),
                                                  ("II съезде Советов", "org-congress-soviets-2")]),
    # the Little Sovnarkom is not Sovnarkom
    ("το «Μάλιι» ή Μικρό Σόβναρκομ", [("Μάλιι", "org-little-sovnarkom"),
                                      ("Μικρό Σόβναρκομ", "org-little-sovnarkom")]),
    # a forename already taken by one mention is not taken again by the next ("Льва" alone is no name here)
    ("оттеснив Льва Троцкого", [("Льва Троцкого", "pers-trotsky")]),
    # Greek declension by stem; a Latin surname after a Greek word keeps its Latin letters
    ("της Συντακτικής Συνέλευσης και του Melancon", [("Συντακτικής Συνέλευσης", "org-constituent-assembly"),
                                                    ("Melancon", "pers-melancon")]),
    # the member noun as an adjective, and one SR Maximalist: neither the party nor "Σ.Ε." alone
    ("οι Μπολσεβίκοι κομισάριοι και έναν Μαξιμαλιστή Σ.Ε.", []),
])
def test_what_is_a_mention(reg, text, expected):
    assert found(reg, text) == expected


def test_names_inside_a_longer_name(reg, tmp_path):
    doc = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="ru"><teiHeader/><text><body>
<p><lb n="1"/>ЦК большевиков, II съезд Советов и «Рабочей Правдой», Σοβιέτ της Πετρούπολης.</p>
<p><lb n="2"/>позиция «Рабочей Правды», Исполкома Коминтерна и Рабочего Коммунистического Интернационала.</p>
</body></text></TEI>""".encode()
    tree = etree.ElementTree(parse_bytes(doc, "t.xml").getroot())
    annotate_tree(tree, reg, "dX")
    nested = [(el.getparent().get("ref"), el.text, el.get("ref")) for el in tree.getroot().iter(*NAMES)
              if el.getparent().tag in NAMES]
    assert nested == [("#org-bolshevik-cc", "большевиков", "#org-bolsheviks"),
                      ("#org-petrograd-soviet", "Πετρούπολης", "#place-petrograd"),   # not Советов, not Правдой
                      ("#org-ecci", "Коминтерна", "#org-comintern")]    # not Правды, not the Comintern in the KAI


def test_a_name_inside_a_shorter_form_of_the_same_entry_is_found(reg, tmp_path):
    """«Группой революционно-левых коммунистов (Коммунистической рабочей партии России)»: the shorter name of the
    same group inside it is looked into, so the country in it is a mention of its own."""
    doc = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="ru"><teiHeader/><text><body>
<p><lb n="1"/>подписанный «Группой революционно-левых коммунистов (Коммунистической рабочей партии России)».</p>
</body></text></TEI>""".encode()
    tree = etree.ElementTree(parse_bytes(doc, "t.xml").getroot())
    annotate_tree(tree, reg, "dX")
    names = [(el.get("ref"), "".join(el.itertext())) for el in tree.getroot().iter(*NAMES)]
    assert names == [("#org-krp", "Группой революционно-левых коммунистов (Коммунистической рабочей партии России)"),
                     ("#place-russia", "России")]


def test_a_word_broken_over_a_page_and_a_line_is_read_whole(reg):
    doc = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="ru"><teiHeader/><text><body>
<p><lb n="1"/>войну против Гер<pb n="50"/>
<lb n="2" break="no" rend="hyphen"/>мании и Троц<cb n="2"/>
<lb n="3" break="no" rend="hyphen"/>кого.</p>
</body></text></TEI>""".encode()
    tree = etree.ElementTree(parse_bytes(doc, "t.xml").getroot())
    before = lines(tree)
    annotate_tree(tree, reg, "dX")
    assert [el.get("ref") for el in tree.getroot().iter(*NAMES)] == ["#place-germany", "#pers-trotsky"]
    assert lines(tree) == before


def test_a_name_runs_across_a_corrected_letter_and_its_note(reg):
    doc = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="el"><teiHeader/><text><body>
<p><lb n="1"/>οι <choice xml:id="x-c1"><sic>Aριστεροί</sic><corr resp="#ed">Αριστεροί</corr></choice><note type="editorial" resp="#ed" target="#x-c1">Latin A.</note> Σ.Ε. είπαν</p>
</body></text></TEI>""".encode()
    tree = etree.ElementTree(parse_bytes(doc, "t.xml").getroot())
    annotate_tree(tree, reg, "dX")
    (name,) = tree.getroot().iter(*NAMES)
    assert name.get("ref") == "#org-left-srs" and name.find(T + "choice") is not None
    assert name.find(T + "note") is None and name.getnext().tag == T + "note"    # the note right after the name
    assert lines(tree) == {1: "οιAριστεροίΣ.Ε.είπαν"}


def test_namesakes_apart_by_initials(reg):
    text = "Н. Заварьян, М. Смирнов, В.М. Смирнов, Л. Шапиро"
    assert found(reg, text) == [("Н. Заварьян", "pers-zavaryan"), ("М. Смирнов", "pers-smirnov-m"),
                                ("В.М. Смирнов", "pers-smirnov-vm"), ("Л. Шапиро", "pers-schapiro")]


def test_a_references_see_or_compare_is_no_initial(reg):
    """d001, witness line 13576: «См. Борисов …» — «См.» (see) opens the citation, it is not Borisov's initial."""
    assert found(reg, "1 См. Борисов «О рабочем государстве»; ср. Борисов") == [
        ("Борисов", "pers-borisov"), ("Борисов", "pers-borisov")]


def test_avanesov_is_the_bolshevik_secretary_not_a_left_sr(reg):
    entry = reg.entries["pers-avanesov"]
    assert "Αφανέσοφ" in {f.text for f in entry.forms} and "pers-afanasev" not in reg.entries
    assert found(reg, "ο Μπολσεβίκος γραμματέας της Κ.Ε.Ε., Βαρλαάμ Αφανέσοφ") == [
        ("Κ.Ε.Ε.", "org-vtsik"), ("Βαρλαάμ Αφανέσοφ", "pers-avanesov")]


# --- the editors' decisions -------------------------------------------------------------------------------------

DOC = """<?xml version='1.0' encoding='UTF-8'?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="ru"><teiHeader/><text><body>
<p><lb n="1"/>Председателем избран меньшевик Смирнов, а местный Совет
<lb n="2"/>и Сибирь. Октябрь в Сибири. Смирнов молчал.</p>
<p><lb n="3"/>Сибирь и Сибирь.</p>
</body></text></TEI>""".encode()


def with_decisions(reg, tmp_path: Path, rows: str):
    path = tmp_path / "decisions.tsv"
    path.write_text("# test\n" + rows, encoding="utf-8")
    other = copy.copy(reg)
    other.decisions = register_mod.load_decisions(path, reg.entries)
    return other


def tagged(root) -> list[tuple[int, str, str]]:
    return [(start_line(el), "".join(_source_text(el)).strip(), el.get("ref") or el.get("cert"))
            for el in root.iter(*NAMES)]


def test_decisions_link_suppress_force_and_doubt(reg, tmp_path):
    other = with_decisions(reg, tmp_path,
                           "dX\t1\tСмирнов\tpers-smirnov-rostov\tthe Menshevik of Rostov\n"
                           "dX\t1\tСовет\torg-rostov-soviet\ta soviet named by the common noun\n"
                           "dX\t2\tСибири\t-\tinside a title\n"
                           "dX\t2\tСмирнов\t?\tcannot tell\n"
                           "dX\t*\tСибирь#2\t-\tthe second on every line\n")
    tree = etree.ElementTree(parse_bytes(DOC, "t.xml").getroot())
    result = annotate_tree(tree, other, "dX")
    assert tagged(tree.getroot()) == [
        (1, "Смирнов", "#pers-smirnov-rostov"), (1, "Совет", "#org-rostov-soviet"),   # decided; forced by decision
        (2, "Сибирь", "#place-siberia"),                                            # not the one in the title
        (2, "Смирнов", "low"),                                                      # undecidable: for review
        (3, "Сибирь", "#place-siberia")]                                            # "#2" left the second alone
    assert result.entities.decided == 3 and not result.entities.unused_decisions
    assert [text for _, text, _ in result.entities.low] == ["Смирнов"]
    once = etree.tostring(tree)
    again = annotate_tree(tree, other, "dX")                     # a second run changes nothing, finds all used
    assert etree.tostring(tree) == once and not again.entities.unused_decisions


def test_an_undecided_name_no_form_finds_is_tagged_by_its_candidates(reg, tmp_path):
    """d003, l. 129: «το επόμενο συνέδριο των Σοβιέτ τον Νοέμβριο του 1919» is the Sixth or the Seventh Congress:
    tagged as an organisation with cert="low", listed with both candidates; a decision for every line ("*")
    holds for every occurrence, not only the first (the remarks «– Г.М.» of 001)."""
    doc = """<?xml version='1.0' encoding='UTF-8'?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="el"><teiHeader/><text><body>
<p><lb n="1"/>μέχρι το επόμενο συνέδριο των Σοβιέτ τον Νοέμβριο.</p>
<p><lb n="2"/>[Сов. Раб. Деп. – Г.М.] и <lb n="3"/>[СРД – Г.М.]</p>
</body></text></TEI>""".encode()
    other = with_decisions(reg, tmp_path, "dX\t1\tσυνέδριο των Σοβιέτ\t?org-congress-soviets-6|org-congress-soviets-7\tnext\n"
                                          "dX\t*\tГ.М.\tpers-myasnikov\this remarks\n")
    tree = etree.ElementTree(parse_bytes(doc, "t.xml").getroot())
    result = annotate_tree(tree, other, "dX")
    assert [(el.tag, el.get("ref"), el.get("cert"), el.text) for el in tree.getroot().iter(*NAMES)] == [
        (T + "orgName", None, "low", "συνέδριο των Σοβιέτ"),
        (T + "persName", "#pers-myasnikov", None, "Г.М."), (T + "persName", "#pers-myasnikov", None, "Г.М.")]
    assert result.entities.low == [(1, "συνέδριο των Σοβιέτ", "#org-congress-soviets-6 #org-congress-soviets-7")]
    once = etree.tostring(tree)
    annotate_tree(tree, other, "dX")
    assert etree.tostring(tree) == once


def test_a_decision_that_finds_nothing_is_reported(reg, tmp_path):
    other = with_decisions(reg, tmp_path, "dX\t3\tСмирнов\tpers-smirnov-vm\twrong line\n")
    result = annotate_tree(etree.ElementTree(parse_bytes(DOC, "t.xml").getroot()), other, "dX")
    assert [(d.line, d.text) for d in result.entities.unused_decisions] == [(3, "Смирнов")]


@pytest.mark.parametrize("row, message", [
    ("dX\t1\tСмирнов\tpers-nobody\twho?", "no register entry 'pers-nobody'"),
    ("dX\tone\tСмирнов\tpers-smirnov-vm\tline?", "'one' is not a source line number"),
    ("dX\t1\tСмирнов\tpers-smirnov-vm", "expected 5 tab-separated fields"),
    ("dX\t1\tСмирнов\t?pers-smirnov-vm|pers-nobody\twho?", "no register entry 'pers-nobody'"),
    ("dX\t1\tСмирнов\t?pers-smirnov-vm|org-bolsheviks\tboth?", "not of one kind"),
])
def test_bad_decision_is_a_clear_error(reg, tmp_path, row, message):
    with pytest.raises(EditionError, match=message) as err:
        with_decisions(reg, tmp_path, row + "\n")
    assert "decisions.tsv:2:" in str(err.value)


# --- the real edition -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def mentions(cfg):
    out = {}
    for doc in ("d000", "d001", "d003", "d004"):
        root = parse_file(cfg.tei_dir / f"{doc}.xml").getroot().find(T + "text")
        out[doc] = [(start_line(el), "".join(_source_text(el)).replace("\n", " ").strip(), el.get("ref"))
                    for el in root.iter(*NAMES)]
    return out


def refs(mentions, doc: str, line: int, text: str) -> list[str | None]:
    return [r for n, t, r in mentions[doc] if n == line and "".join(t.split()) == "".join(text.split())]


@pytest.mark.parametrize("doc, line, text, ref", [
    ("d001", 5982, "Володя Смирнов", "#pers-smirnov-volodia"),     # young Volodia (001's note: not V. M.)
    ("d001", 5980, "Смирнова", "#pers-smirnov-volodia"),
    ("d001", 5952, "В. Смирнова", "#pers-smirnov-vm"),
    ("d001", 6016, "Владимиром Михайловичем Смирновым", "#pers-smirnov-vm"),
    ("d001", 12062, "М. Смирнов", "#pers-smirnov-m"),               # «М. Смирнов, В. Смирнов»: two men
    ("d001", 12062, "В. Смирнов", "#pers-smirnov-vm"),
    ("d001", 5994, "Шапиро", "#pers-shapiro-decist"),               # the Decist, not the historian
    ("d001", 303, "Л. Шапиро", "#pers-schapiro"),
    ("d001", 905, "А.И. Медведев", "#pers-medvedev-ai"),
    ("d003", 109, "Σμιρνόφ", "#pers-smirnov-kresty"),               # the Left SR of the Kresty prison
    ("d003", 105, "Σμιρνόφ", "#pers-smirnov-sa"),                   # the Kadet minister
    ("d003", 117, "Βαρλαάμ Αφανέσοφ", "#pers-avanesov"),
    ("d003", 47, "Μικρό Σόβναρκομ", "#org-little-sovnarkom"),
    ("d000", 375, "Смирнов", "#pers-smirnov-rostov"),
    ("d000", 146, "II съезде Советов", "#org-congress-soviets-2"),
    ("d004", 192, "X съезде РКПб", "#org-party-congress-10"),
    # the KRP of 1922 and Myasnikov's Workers' Group, which later took its name (001, l. 403; note x)
    ("d001", 403, "КРП", "#org-krp"),
    ("d001", 454, "КРП", "#org-krp"),
    ("d001", 995, "КРП", "#org-workers-group"),
    ("d001", 1054, "КРП", "#org-workers-group"),
    ("d001", 313, "КРП", "#org-cwp-britain"),                       # the British party of the Dreadnought
    ("d001", 2484, "КРП", "#org-kapn"),                             # «КРП в Голландии»
    ("d001", 9770, "РСДРП", "#org-rsdlp"),                          # the party as a whole, not the Mensheviks
    ("d001", 10761, "Поволжье", "#place-volga"),                    # «на все Поволжье», not the Middle Volga
    ("d001", 311, "Четвертого Интернационала", "#org-kri"),         # the KAI of 1922, not the Trotskyists' of 1938
    ("d001", 9902, "2", "#org-second-international"),               # «2 и 2 ½ Интернационалы»
    ("d001", 9902, "2 ½ Интернационалы", "#org-two-and-a-half-international"),
    ("d001", 12901, "Амстердамского Интернационалов", "#org-amsterdam-international"),
    ("d001", 13062, "Г.М.", "#pers-myasnikov"),
    ("d003", 35, "Ουκρανούς Σοσιαλιστές", "#org-ukrainian-socialists"),
])
def test_same_surname_and_same_word_cases(mentions, doc, line, text, ref):
    assert refs(mentions, doc, line, text) == [ref]


@pytest.mark.parametrize("doc, line, text", [
    ("d000", 219, "Сибири"),           # «Октябрь в Сибири», the title of a cited chronicle
    ("d000", 219, "Март"),             # a month, not Martov
    ("d003", 177, "Sovnarkom"),        # Rigby, «Lenin’s Government: Sovnarkom 1917–22»
    ("d003", 229, "Soveta Narodnykh Kommissarov"),
    ("d004", 449, "Trotsky"),          # inside a web address
    ("d001", 636, "Правды"),           # a word of «Рабочей Правды», not the newspaper Pravda
    ("d001", 12202, "СССР"),           # inside the title of one of Myasnikov's lost manuscripts
])
def test_not_a_name(mentions, doc, line, text):
    assert refs(mentions, doc, line, text) == []


def test_the_photograph_caption_of_003_is_a_figure_naming_seventeen_people(cfg):
    root = parse_file(cfg.tei_dir / "d003.xml").getroot()
    assert not root.xpath("//t:fw[@type='caption']", namespaces={"t": TEI_NS})
    figure = root.find(f".//{T}body//{T}figure")
    head = figure.find(T + "head")
    people = head.findall(T + "persName")
    assert len(people) == 17 and all(p.get("ref") for p in people)
    assert people[0].get("ref") == "#pers-steinberg" and people[-1].get("ref") == "#pers-chicherin"
    assert figure.find(T + "figDesc").get("resp") == "#ed"


def test_a_misprint_is_corrected_alone_and_a_wrong_name_whole(cfg):
    """«E. Cinella» (003, note 15): the correction keeps the initial and mends the surname; «Georgy Chicherin»,
    printed for Steinberg, is replaced whole by his name in the text's language; «КРП(б)» for «РКП(б)» (001)."""
    d003 = parse_file(cfg.tei_dir / "d003.xml").getroot()
    (cinnella,) = [el for el in d003.iter(T + "persName") if el.get("ref") == "#pers-cinnella" and el.find(T + "choice") is not None]
    assert cinnella.text == "E. " and cinnella.findtext(f"{T}choice/{T}sic") == "Cinella" \
        and cinnella.findtext(f"{T}choice/{T}corr") == "Cinnella"
    steinberg = [el for el in d003.iter(T + "persName") if el.findtext(f"{T}choice/{T}sic") == "Georgy Chicherin"]
    assert len(steinberg) == 16 and {el.findtext(f"{T}choice/{T}corr") for el in steinberg} == {"Στάινμπεργκ"}
    d001 = parse_file(cfg.tei_dir / "d001.xml").getroot()
    (krp,) = [el for el in d001.iter(T + "orgName") if el.findtext(f".//{T}choice/{T}sic") == "КРП(б)"]   # (in its <abbr>)
    assert krp.get("ref") == "#org-bolsheviks" and krp.findtext(f".//{T}choice/{T}corr") == "РКП(б)"
