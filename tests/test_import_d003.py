"""d003: the Greek web translation of Douds, imported by the web-page parser.

Figures and texts are read from the committed tei/d003.xml and checked against what the witness holds
(sources/003_b22461af033d01fa.txt); one test re-runs the import in memory. A small fixture page
(tests/fixtures/import/web-page-calls-twice-missing-out-of-order.txt) holds what this source does not: a call twice, a call without note text,
a note without call, calls out of order.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tei_edition.diagnostics import EditionError
from tei_edition.fidelity import compare
from tei_edition.importer import convert

from tei_edition.importer.parsers import web_page
from tei_edition.importer.profile import Profile
from tei_edition.importer.writer import write_tei
from tei_edition.xmlsafe import parse_file
from tests.pipeline import annotated
from tests.tei_text import T
from tests.tei_text import NS, edited_text

FIXTURE = Path(__file__).parent / "fixtures" / "import" / "web-page-calls-twice-missing-out-of-order.txt"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def tei(docs):
    return parse_file(docs["d003"].tei_path).getroot()


def xp(node, path):
    return node.xpath(path, namespaces=NS)


def note(tei, n):
    (el,) = xp(tei, f"//t:note[@n='{n}' and not(@type='editorial')]")
    return el


# ---- figures ---------------------------------------------------------------------------------------

def test_figures(tei):
    text = xp(tei, "t:text")[0]
    assert len(xp(text, ".//t:lb")) == 182                       # every line with characters
    notes = xp(text, ".//t:note[not(@type='editorial')]")
    assert [n.get("n") for n in notes] == [str(i) for i in range(1, 109)]   # in document order
    assert {(n.get("rend"), n.get("place"), n.get("type"), n.get("subtype")) for n in notes} == \
        {("bracket", "end", "authorial", None)}
    assert len(xp(text, ".//t:div[@type='article']/t:p")) == 58
    quotes = xp(text, ".//t:div[@type='article']/t:quote[@type='block']")
    assert [q.xpath("string(t:p/t:lb[1]/@n)", namespaces=NS) for q in quotes] == ["31", "41", "65", "71", "89"]
    assert len(xp(text, ".//t:choice")) == 23 + 16 + 1   # the import profile's 23, annotate's 16 Chicherin → Steinberg, Cinella → Cinnella
    assert len(xp(text, ".//t:seg[@subtype='insertion']")) == 13
    assert len(xp(text, ".//t:seg[@subtype='omission']")) == 3
    assert not xp(text, ".//t:pb | .//t:cb | .//t:lb[@break]")   # a web page: no pages, no line-end hyphens


def test_web_residue_is_furniture_not_text(tei):
    fws = [(fw.xpath("string(t:lb/@n)", namespaces=NS), fw.get("type")) for fw in xp(tei, "//t:fw")]
    assert fws == [("1", "web"), ("15", "duplicate-title"),
                   ("389", "web"), ("391", "comment"), ("393", "comment")]
    title = xp(tei, "//t:div[@type='article']/t:head")[0]
    dup = xp(tei, "//t:fw[@type='duplicate-title']")[0]
    assert edited_text(title) == edited_text(dup)
    assert edited_text(title).startswith("«Η δικτατορία της δημοκρατίας»; Το Συμβούλιο των Λαϊκών Επιτρόπων")
    assert edited_text(xp(tei, "//t:div[@type='article']/t:byline")[0]) == "Lara Douds"
    reading = " ".join(edited_text(p) for p in xp(tei, "//t:text//t:p"))
    assert "Ιανουαρίου 2025 14:49" not in reading and "Προσθήκη σχολίου" not in reading
    assert "Αλεξάντερ Σότμαν" not in reading                       # the photo caption: a figure, not a paragraph
    (figure,) = xp(tei, "//t:div[@type='article']/t:figure")
    assert edited_text(figure.find("{http://www.tei-c.org/ns/1.0}head")).startswith("Συνεδρίαση του Σόβναρκομ")


def test_notes_section_heading_and_credits(tei):
    assert edited_text(xp(tei, "//t:back/t:div[@type='notes']/t:head")[0]) == "Σημειώσεις"
    credits = [edited_text(p) for p in xp(tei, "//t:back/t:div[@type='credits']/t:p")]
    assert credits[0] == "Μετάφραση: elaliberta.gr"
    assert credits[1].endswith("https://onlinelibrary.wiley.com/doi/full/10.1111/1468-2281.12170.")


# ---- notes at their calls ----------------------------------------------------------------------------

def test_last_note_text_and_label(tei):
    n108 = note(tei, "108")
    assert edited_text(xp(n108, "t:label")[0]) == "[108]"
    assert n108.xpath("string(t:label/t:lb/@n)", namespaces=NS) == "373"
    assert edited_text(n108, notes=True) == (
        "[108] V. I. Lenin, ‘In memory of Comrade Proshyan’, Pravda, cclxxvii, 20 Δεκεμβρίου 1918 (Lenin, "
        "Collected Works, τόμος 36, 497–8) [Β. Ι. Λένιν, «Στη μνήμη του σ. Προσιάν», Β. Ι. Λένιν, Άπαντα, "
        "τόμος 37, σελ. 385].")
    # the call stands in the paragraph of line 143, after the quotation it documents
    assert n108.getparent().xpath("string(t:lb/@n)", namespaces=NS) == "143"
    assert _text_before(n108).endswith("απ’ ό,τι μετά τον Ιούλιο του 1918 για την υπονόμευσή της».")
    assert n108.tail.startswith(" Αυτό το συναίσθημα")


def _text_before(el) -> str:
    """The block's text up to the note (other notes left out), whatever names or dates wrap it."""
    block = next(a for a in el.iterancestors() if a.tag in {T + "p", T + "head", T + "l", T + "item"})
    out: list[str] = []

    def walk(node) -> bool:
        out.append(node.text or "")
        for child in node:
            if child is el:
                return True
            if isinstance(child.tag, str) and child.tag != T + "note" and walk(child):
                return True
            out.append(child.tail or "")
        return False

    walk(block)
    return re.sub(r"\s+", " ", "".join(out))


def test_call_glued_to_closing_quotation_mark(tei):
    n20 = note(tei, "20")                                          # «...υπόθεσης.»[20] ends a block quotation
    assert _text_before(n20).endswith("στην υπηρεσία αυτής της υπόθεσης.»")
    assert n20.getparent().getparent().tag.endswith("quote") and not (n20.tail or "").strip()
    n79 = note(tei, "79")                                          # »[79]. : the call before the full stop
    assert _text_before(n79).endswith("του προεδρείου του Σοβιέτ της Πετρούπολης»")
    assert n79.tail == "."
    n6 = note(tei, "6")                                            # »,[6] between two quoted epithets
    assert _text_before(n6).endswith("«Δον Κιχώτες της Επανάστασης»,") and n6.tail.startswith(" «νεαρούς")


def test_a_number_that_is_not_a_call_stays_text(tei):
    (p,) = xp(tei, "//t:p[t:lb/@n='45']")
    assert "υπαίθρου. 108 μέλη της υπάρχουσας Κ.Ε.Ε." in edited_text(p)
    assert [n.get("n") for n in xp(p, ".//t:note[not(@type='editorial')]")] == ["28"]


def test_note_language(tei):
    langs = {n.get("n"): n.get(XML_LANG) for n in xp(tei, "//t:note[@xml:lang]")}
    assert langs == {"14": "en", "15": "en", "70": "en", "90": "en",
                     "31": "ru-Latn", "84": "ru-Latn", "97": "ru-Latn", "101": "ru-Latn", "104": "ru-Latn"}
    assert xp(tei, "//t:langUsage/t:language/@ident") == ["el", "en", "ru-Latn"]


def test_unclosed_bracket_of_note_39(tei):
    n39 = note(tei, "39")
    (seg,) = xp(n39, "t:seg[@subtype='insertion']")
    assert edited_text(seg) == ("[Διαθέσιμο στο Marxists Internet Archive, "
                                "https://www.marxists.org/archive/steinberg/1953/workshop/index.htm]")
    assert xp(seg, "t:supplied[@resp='#ed']/text()") == ["] "]
    after = seg.xpath("following-sibling::text() | following-sibling::*[not(self::t:note)]//text()", namespaces=NS)
    assert "".join(after) == "Protokoly zasedanii Soveta Narodnykh Kommissarov, σσ. 177–9."
    assert "no closing bracket" in n39.xpath("string(t:note[@type='editorial'])", namespaces=NS)


def test_source_brackets_are_not_calls(tei):
    (p,) = xp(tei, "//t:p[t:lb/@n='21']")
    assert [edited_text(s) for s in xp(p, "t:seg")] == ["[στο εξής: Σ.Ε.=Σοσιαλεπαναστάτες]"]
    (p,) = xp(tei, "//t:p[t:lb/@n='125']")
    assert [edited_text(s) for s in xp(p, "t:seg")] == [
        "[Ρωσικής Ομοσπονδιακής Σοβιετικής Δημοκρατίας]", "[Σόβναρκομ]", "[Κ.Ε.Ε.]"]
    assert [edited_text(s) for s in xp(tei, "//t:p[t:lb/@n='31']//t:seg")] == ["[...]"] * 3


def test_latin_lookalikes_are_corrected(tei):
    (p,) = xp(tei, "//t:p[t:lb/@n='81']")
    assert "πρόεδρος της Κ.Ε.Ε. και γραμματέας" in edited_text(p)          # Greek Ε in the edited text
    assert xp(p, ".//t:choice/t:sic/text()") == ["Κ.E.Ε.", "Georgy Chicherin", "Georgy Chicherin"]  # + annotate's
    assert xp(p, ".//t:choice/t:orig/text()") == ["∙", "∙"]
    body = " ".join(edited_text(p) for p in xp(tei, "//t:body//t:p"))
    mixed = [w for w in body.split() if re.search("[α-ωΑ-Ω]", w) and re.search("[A-Za-z]", w)]
    assert mixed == [] and "µ" not in body
    assert "Ν. Ν. Αλεξέγιεφ" in body and "N. N. Αλεξέγιεφ" not in body
    # a double point mid-sentence is corrected; at a sentence end ("Σ.Ε.. Στις αρχές") it is the source's usage
    assert "Άλλοι Αριστεροί Σ.Ε. μέλη των συμβουλίων" in body and "Σ.Ε.. παρακολουθούσαν" not in body
    assert "καλισμό των Αριστερών Σ.Ε.. Στις αρχές" in body


def test_stray_parenthesis_of_note_52_is_corrected(tei):
    n52 = note(tei, "52")
    assert xp(n52, "t:choice/t:sic/text()") == [")."] and xp(n52, "t:choice/t:corr/text()") == ["."]
    text = edited_text(n52, notes=True)
    assert "τόμος 50, σσ. 22, 23]." in text and "23])" not in text


def test_header(tei):
    h = xp(tei, "t:teiHeader")[0]
    assert xp(h, "string(.//t:titleStmt/t:author)") == "Lara Douds"
    assert xp(h, "string(.//t:bibl[@type='original']/t:idno[@type='DOI'])") == "10.1111/1468-2281.12170"
    assert xp(h, "string(.//t:bibl[@type='original']/t:biblScope[@unit='issue'])") == "247"
    tr = xp(h, ".//t:bibl[@type='translation']")[0]
    assert xp(tr, "string(t:respStmt/t:orgName)") == "elaliberta.gr"
    assert xp(tr, "t:date/@when") == ["2025-01-01T14:49:00", "2025-07-14T23:35:00"]


# ---- the import itself -------------------------------------------------------------------------------

def test_reimport_then_annotate_is_byte_identical_and_faithful(cfg, docs, tmp_path):
    doc = docs["d003"]
    data, rec = convert(cfg, doc)
    assert annotated(cfg, doc, data) == doc.tei_path.read_bytes()   # import + annotate = the curated file
    out = tmp_path / "d003.xml"
    out.write_bytes(data)
    report = compare(doc.id, out, doc.source_path)
    assert report.divergences == [] and report.matched_chars == report.source_chars == 90066
    assert [(d.line, d.kind) for d in rec.decisions] == [(235, "anomaly")]
    assert rec.counts["web spacer lines (no-break space only)"] == 15


def _fixture_profile(tmp_path, **extra) -> Profile:
    data = {"id": "d003", "source": FIXTURE.name, "layout": "web-page", "lang": "el",
            "page": {"heading": 3, "byline": 5, "notes_heading": 11, "residue": {"1": "web", "19": "comment"}},
            "notes": {"place": "end", "call": "bracket", "latin_lang": "en"}, **extra}
    return Profile(tmp_path / "fixture.toml", "d003", FIXTURE.name, "web-page", "el", data)


def test_calls_twice_missing_out_of_order_and_notes_without_call(cfg, tmp_path):
    lines = FIXTURE.read_text(encoding="utf-8").split("\n")
    profile = _fixture_profile(tmp_path)
    rec = web_page.parse(lines, profile)
    decisions = [(d.line, d.kind, d.message) for d in rec.decisions]
    assert (7, "note-call", "call [3] out of order (after [1])") in decisions
    assert (7, "note-call", "call [1] appears a second time") in decisions
    assert (9, "note-call", "call [4] has no note text") in decisions
    assert (15, "note", "note [2] has no call in the text; kept in the notes section") in decisions
    assert any(line == 9 and kind == "lookalike" and "Κ.E.Ε." in msg for line, kind, msg in decisions)
    # the TEI keeps every note and flags what is missing; fidelity still holds
    tei_path = tmp_path / "fixture.xml"
    tei_path.write_bytes(write_tei(cfg, profile, FIXTURE, rec, cfg.sources_dir / "profiles" / "encodingDesc.xml"))
    root = parse_file(tei_path).getroot()
    flags = [(n.get("n"), n.get("subtype")) for n in xp(root, "//t:text//t:note[not(@type='editorial')]")]
    assert flags == [("1", None), ("3", None), ("1", None), ("4", "text-missing"), ("2", "call-missing")]
    second = xp(root, "//t:text//t:note[@n='1']")[1]
    assert edited_text(second, notes=True) == ("The call [1] stands a second time here; its note text is given "
                                               "at the first call.")
    assert xp(root, "//t:div[@type='notes']/t:note/@n") == ["2"]
    assert xp(root, "//t:note[@n='3']/@xml:lang") == ["en"]
    report = compare("d003", tei_path, FIXTURE)
    assert report.divergences == [] and report.ok


def test_a_stale_profile_correction_is_a_clear_error(tmp_path):
    lines = FIXTURE.read_text(encoding="utf-8").split("\n")
    profile = _fixture_profile(tmp_path, corrections=[{"line": 7, "sic": "Κ.E.Ε.", "corr": "Κ.Ε.Ε."}])
    with pytest.raises(EditionError) as exc:
        web_page.parse(lines, profile)
    assert "fixture.toml: correction on line 7: 'Κ.E.Ε.' found 0 time(s), expected 1" in str(exc.value)
    assert "hint:" in str(exc.value)


def test_a_profile_line_that_is_empty_is_a_clear_error(tmp_path):
    lines = FIXTURE.read_text(encoding="utf-8").split("\n")
    profile = _fixture_profile(tmp_path)
    profile.data["page"] = {**profile.data["page"], "byline": 6}
    with pytest.raises(EditionError, match="line 6 named in the profile is empty"):
        web_page.parse(lines, profile)
