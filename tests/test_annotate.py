"""edition annotate: links names, tags dates, encodes corrections — and never changes the source text."""

from __future__ import annotations

import copy
import datetime
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from tei_edition import TEI_NS
from tei_edition.annotate import annotate_tree, evaluate
from tei_edition.annotate import register as register_mod
from tei_edition.annotate.corrections import regularise
from tei_edition.cli import cli
from tei_edition.corpus import register_paths
from tei_edition.fidelity import regenerate
from tei_edition.xmlsafe import parse_file

T = "{%s}" % TEI_NS
FIXTURE = Path(__file__).parent / "fixtures" / "annotate" / "phenomena.xml"
FROZEN_D002 = Path(__file__).parent / "golden" / "d002-unannotated.xml"  # as imported, before annotate


@pytest.fixture(scope="module")
def reg(cfg):
    return register_mod.load(register_paths(cfg))


def lines(tree) -> dict[int, str]:
    return {n: "".join("".join(p).split()) for n, p in regenerate(tree).lines.items()}


def tags(root, *names):
    out = []
    for el in root.iter(*(T + n for n in names)):
        out.append((etree.QName(el).localname, "".join(evaluate._source_text(el)).replace("\n", " "),
                    el.get("ref") or el.get("when") or el.get("from")))
    return out


@pytest.fixture(scope="module")
def phenomena(reg):
    tree = parse_file(FIXTURE)
    before = lines(tree)
    result = annotate_tree(tree, reg, "d000")
    return tree, before, result


def test_fixture_keeps_every_source_character(phenomena):
    tree, before, _ = phenomena
    assert lines(tree) == before


def test_name_split_by_a_line_end_hyphen_is_wrapped_whole(phenomena):
    tree, _, _ = phenomena
    found = tags(tree.getroot(), "orgName", "persName")
    assert ("orgName", "Совнарком", "#org-sovnarkom") in found
    assert ("persName", "Ленину", "#pers-lenin") in found
    sov = next(el for el in tree.getroot().iter(T + "orgName") if el.get("ref") == "#org-sovnarkom")
    assert [c.get("n") for c in sov] == ["587"]       # the <lb/> moved inside the name


def test_initials_belong_to_the_name(phenomena):
    assert ("persName", "В. А. Карелин", "#pers-karelin") in tags(phenomena[0].getroot(), "persName")


def test_header_and_residue_are_not_annotated(phenomena):
    root = phenomena[0].getroot()
    assert not root.find(T + "teiHeader").xpath(".//*[local-name()='persName' or local-name()='date']")
    fw = root.find(f".//{T}fw")
    assert len(fw) == 0 and fw.text == "Ленин и Совнарком"


def test_derivatives_and_sentence_words_are_not_names(phenomena):
    found = tags(phenomena[0].getroot(), "persName", "orgName", "placeName")
    texts = [t for _, t, _ in found]
    assert not any(w in texts for w in ("Ленинский", "Правда"))
    assert ("placeName", "Ленинград", "#place-petrograd") in found     # the city, never Lenin
    assert "Правде" in texts       # the newspaper in quotes
    # a group named by its members in the plural is a mention of the group (issue 12)
    assert ("orgName", "мясниковцы", "#org-workers-group") in found


def test_note_text_is_annotated_in_place(phenomena):
    note = phenomena[0].getroot().find(f".//{T}note")
    assert [(t, r) for _, t, r in tags(note, "orgName", "date")] == [
        ("Знамя труда", "#org-znamia-truda"), ("1917. 11 ноября", "1917-11-24")]


def test_wrong_name_becomes_sic_corr_linked_to_the_right_person(phenomena):
    root = phenomena[0].getroot()
    wrong = [el for el in root.iter(T + "persName") if el.find(T + "choice") is not None
             and el.find(f"{T}choice/{T}sic").text == "Georgy Chicherin"]
    assert len(wrong) == 2 and all(el.get("ref") == "#pers-steinberg" for el in wrong)
    assert wrong[0].find(f"{T}choice/{T}corr").text == "Штейнберг"
    assert wrong[0].find(f"{T}choice/{T}corr").get("resp") == "#ed"


def test_a_correction_of_the_importer_is_linked_by_its_reading(phenomena):
    zin = [el for el in phenomena[0].getroot().iter(T + "persName") if el.get("ref") == "#pers-zinoviev"]
    assert len(zin) == 1 and zin[0][0].tag == T + "choice"


def test_latin_letter_in_a_cyrillic_word_is_regularised(phenomena):
    tree, _, result = phenomena
    assert (602, "cъезда", "съезда") in result.corrections.items
    assert regularise("Aριστεροί") == "Αριστεροί" and regularise("Communistе") == "Communiste"
    assert regularise("Ленин") is None and regularise("A.") is None


def test_dates_in_the_fixture(phenomena):
    found = tags(phenomena[0].getroot(), "date")
    assert ("date", "1 декабря 1917 г.", "1917-12-14") in found


def test_annotating_twice_changes_nothing(phenomena, reg):
    tree = phenomena[0]
    once = etree.tostring(tree)
    again = copy.deepcopy(tree)
    annotate_tree(again, reg, "d000")
    assert etree.tostring(again) == once


def test_d002_exact_links(reg):
    tree = parse_file(FROZEN_D002)
    before = lines(tree)
    result = annotate_tree(tree, reg, "d002")
    assert lines(tree) == before
    assert dict(result.entities.by_kind) == {"person": 18, "org": 22, "place": 4}   # with the parties named by their members and the party inside "ЦК большевиков"
    assert result.entities.tagged["pers-kamenev"] == 4 and result.entities.tagged["org-vikzhel"] == 3
    assert [t for _, t in result.dates.no_year] == ["3 ноября", "3 ноября", "4 ноября"]


def _project(tmp_path: Path, root: Path) -> Path:
    shutil.copy(root / "edition.toml", tmp_path / "edition.toml")
    (tmp_path / "tei" / "register").mkdir(parents=True)
    shutil.copy(FROZEN_D002, tmp_path / "tei" / "d002.xml")
    for p in (root / "tei" / "register").glob("*.xml"):
        shutil.copy(p, tmp_path / "tei" / "register" / p.name)
    shutil.copytree(root / "tei" / "schema", tmp_path / "tei" / "schema")   # annotate validates first
    return tmp_path


def test_command_writes_in_place_then_changes_nothing(tmp_path, root):
    project = _project(tmp_path, root)
    tei = project / "tei" / "d002.xml"
    before = lines(parse_file(tei))
    runner = CliRunner()
    dry = runner.invoke(cli, ["--root", str(project), "annotate", "d002", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "d002: names 44 (18 persons, 22 organisations, 4 places" in dry.output
    assert "<persName" not in tei.read_text(encoding="utf-8")
    first = runner.invoke(cli, ["--root", str(project), "annotate", "d002"])
    assert first.exit_code == 0 and "wrote" in first.output
    assert lines(parse_file(tei)) == before
    change = parse_file(tei).getroot().xpath("//*[local-name()='change'][@xml:id='d002-change-annotation']")
    assert len(change) == 1 and change[0].get("when") == datetime.date.today().isoformat()
    assert "(persons 18, organisations 22, places 4); dates tagged 2 (written in the Julian calendar 1)" in change[0].text
    written = tei.read_bytes()
    second = runner.invoke(cli, ["--root", str(project), "annotate", "d002"])
    assert "unchanged" in second.output and tei.read_bytes() == written
    assert not list((project / "tei").glob(".*.tmp"))


def test_check_prints_the_review_lists(tmp_path, root):
    project = _project(tmp_path, root)
    out = CliRunner().invoke(cli, ["--root", str(project), "annotate", "d002", "--check"]).output
    assert "capitalised words inside sentences left untagged" in out
    assert "3 ноября" in out and "<persName" not in (project / "tei" / "d002.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize("doc_id", ["d000", "d001", "d002", "d003", "d004"])
def test_the_committed_document_annotated_again_is_unchanged(docs, reg, doc_id):
    """The committed TEI is import + annotate (the import tests); annotating it again must add nothing: compounds
    ("Σόβναρκομ-Κ.Ε.Ε.") and bare forms ("ЦК РСДРП") read the same once tagged, and a decision for every line
    («– Г.М.» in 001) has been applied to every occurrence by the first run, not one more at each run."""
    tree = parse_file(docs[doc_id].tei_path)
    committed = etree.tostring(tree)
    again = annotate_tree(tree, reg, doc_id)
    assert sum(again.entities.by_kind.values()) == 0 and again.dates.tagged == 0
    assert etree.tostring(tree) == committed


def test_annotate_help_has_an_example():
    result = CliRunner().invoke(cli, ["annotate", "--help"])
    assert result.exit_code == 0 and "edition annotate d002 --dry-run" in result.output


def test_namesakes_resolved_by_initials_memory_or_left_unlinked(reg):
    from tei_edition.annotate.entities import Linker
    linker = Linker(reg)
    # a bare Smirnov with nothing to tell which: unlinked, listed for review with all the Smirnovs
    m = linker.find("Председателем избран меньшевик Смирнов».")
    assert [x.cert for x in m] == ["low"]
    assert {"pers-smirnov-vm", "pers-smirnov-in", "pers-smirnov-rostov"} <= {e.id for e in m[0].entries}
    # d001: initials decide, and a later bare surname follows the last one named (cert="medium")
    linker = Linker(reg)
    m = linker.find("В.М. Смирнова (децисты) ... потом Смирнов сказал")
    assert [(x.cert, [e.id for e in x.entries]) for x in m] == [(None, ["pers-smirnov-vm"]), (None, ["org-decists"]),
                                                                ("medium", ["pers-smirnov-vm"])]
    # "А.И. Медведев (не путать с С.П. Медведевым...)": the initials tell the two Medvedevs apart
    text = "Г.В. Шоханов, А.И. Медведев (не путать с С.П. Медведевым"
    m = Linker(reg).find(text)
    assert [(x.start, [e.id for e in x.entries]) for x in m] == [(0, ["pers-shokhanov"]),     # in the register
                                                                 (text.index("А.И."), ["pers-medvedev-ai"]),
                                                                 (text.index("С.П."), ["pers-medvedev"])]
    # "А. Н. Медведев" fits neither: a namesake the register does not know
    assert Linker(reg).find("и Н.Н. Медведев сказал") == []


def test_genitive_of_a_womans_name_and_bare_cc_before_a_person(reg):
    from tei_edition.annotate.entities import Linker
    text = "со стороны Розы Люксембург. Как только не станет в Цека Сталина, ЦК КПГ, ЦК РКП"   # d004 l. 410, d001 l. 11475
    found = [(text[m.start:m.end], [e.id for e in m.entries]) for m in Linker(reg).find(text)]
    assert found == [("Розы Люксембург", ["pers-luxemburg"]), ("Цека", ["org-bolshevik-cc"]),
                     ("Сталина", ["pers-stalin"]), ("ЦК КПГ", ["org-kpd-cc"]), ("ЦК РКП", ["org-bolshevik-cc"])]


@pytest.mark.parametrize("text, expected", [
    ("как тов. Каменев, очень", [("Каменев", "pers-kamenev")]),            # "тов." ends no sentence (d001)
    ("и кончая ВЦИКом, вот", [("ВЦИКом", "org-vtsik")]),                  # an inflected abbreviation
    ("со страниц «Известий» и", [("Известий", "org-izvestiia")]),         # a plural-only title
    ("развития. ИКТ, которое", [("ИКТ", "org-ikt")]),                     # an abbreviation is no common word
    ("Правда, равнодушие", []),                                           # "Правда, ..." is a word here
    ("(Ciliga А. Op. cit.)", [("Ciliga", "pers-ciliga")]),                # "Op." is no initial
    ("Ленин В.И. Полн. собр. соч.", [("Ленин В.И.", "pers-lenin")]),      # initials after the surname
])
def test_words_around_names(reg, text, expected):
    from tei_edition.annotate.entities import Linker
    found = [(text[m.start:m.end], m.entries[0].id) for m in Linker(reg).find(text)]
    assert found == expected
