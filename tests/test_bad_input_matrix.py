"""The bad-input matrix: every (command, bad input) pair fails with a clear message — the file, the line (and
column where the parser knows it), what is wrong, a hint how to fix it — and a non-zero exit, never a
traceback; a failed command loses nothing (annotate leaves the TEI as it was, build and pdf the previous site
and PDFs).

Each case runs the real command (its main(), as the `edition` program does; two as the installed program) on a
temporary project holding edition.toml, the register, the schema, the corpus header and one document, d002,
damaged in one way (or its corpus header, or edition.toml): the real tei/d002.xml for validate, build and pdf, the
frozen d002 as imported for annotate (what annotate is run on). The counts of cases are printed at the end of the
run (tests/conftest.py: cases tried, refused cleanly, escaped, internal errors).
The import matrix on raw sources (encoding, empty, huge, missing source, malformed profile, values of the wrong
type) is in test_import_errors.py; the unknown language of a profile is here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from tei_edition.xmlsafe import MAX_DEPTH
from tests.conftest import ROOT
from tests.test_import_errors import run as run_command

IMPORTED_D002 = ROOT / "tests" / "golden" / "d002-unannotated.xml"
P2 = '<p xml:id="d002-p2">'
XI = "http://www.w3.org/2001/XInclude"
ARGS = {"validate": ("validate",), "annotate": ("annotate", "d002"), "build": ("build", "--no-search", "--no-pdf"),
        "pdf": ("pdf", "d002", "--no-book", "--no-pdfa")}


def make_project(tmp: Path, command: str) -> Path:
    shutil.copy(ROOT / "edition.toml", tmp / "edition.toml")
    shutil.copytree(ROOT / "tei" / "register", tmp / "tei" / "register")
    shutil.copytree(ROOT / "tei" / "schema", tmp / "tei" / "schema")
    shutil.copy(ROOT / "tei" / "corpus-header.xml", tmp / "tei" / "corpus-header.xml")
    shutil.copy(IMPORTED_D002 if command == "annotate" else ROOT / "tei" / "d002.xml", tmp / "tei" / "d002.xml")
    for out in ("site", "pdf"):                    # a previous build, which a failed one must leave alone
        (tmp / "build" / out).mkdir(parents=True)
        (tmp / "build" / out / "previous.txt").write_text("previous")
    return tmp


def run(project: Path, *args: str, real: bool = False) -> tuple[int, str]:
    """Exit status and all output (as test_import_errors runs the command), never cli.main's last resort:
    an "internal error" is a bug, not bad input."""
    code, out = run_command(project, *args, real=real)
    assert "internal error" not in out, out
    return code, out


def line_of(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


def col_of(text: str, needle: str) -> int:
    """1-based column, in characters, of the first `needle`."""
    at = text.index(needle)
    return at - (text.rfind("\n", 0, at) + 1) + 1


# ---- the damages: each edits the document (or the project) and returns what the message must say ----------

def malformed(tei: Path, text: str):
    tei.write_text(text.replace(P2, P2 + "<hi>", 1), encoding="utf-8")
    line = line_of(text, P2)
    return [f"d002.xml:{line + 1}:", f"not well-formed XML: Opening and ending tag mismatch: hi line {line} and p",
            "fix the markup at this position"]


def invalid_tei(tei: Path, text: str):
    tei.write_text(text.replace(P2, P2 + "<bogus/>", 1), encoding="utf-8")
    return [f"d002.xml:{line_of(text, P2)}:{col_of(text, P2) + len(P2)}: error: <bogus> is not an element of the "
            "edition's schema", "see docs/encoding-guidelines.md for the elements in use"]


def wrong_encoding(tei: Path, text: str):
    words = "Однако даже"
    tei.write_bytes(text.encode("utf-8").replace(words.encode("utf-8"), words.encode("cp1251"), 1))
    return [f"d002.xml:{line_of(text, words)}:{col_of(text, words)}: error: byte 0xce is not valid UTF-8",
            "save the file as UTF-8 (e.g. iconv -f cp1251 -t utf-8)"]


def empty(tei: Path, text: str):
    tei.write_bytes(b"")
    return ["d002.xml:1:1: error: the file is empty", "an edition file must hold a TEI document"]


_HUGE: dict[str, Path] = {}     # base document → its 60 MB version, written once and hard-linked (it is not changed)


def huge(tei: Path, text: str):
    # 60 MB of the document's own paragraph: over the 48 MB limit (max_tei_mb), refused before it is read
    if text not in _HUGE or not _HUGE[text].exists():
        para = text[text.index(P2):text.index("</p>", text.index(P2)) + 4].replace(' xml:id="d002-p2"', "")
        copies = 60_000_000 // len(para.encode("utf-8")) + 1
        tei.write_text(text.replace("</body>", para * copies + "</body>", 1), encoding="utf-8")
        _HUGE[text] = tei
    else:
        tei.unlink()
        os.link(_HUGE[text], tei)
    size = tei.stat().st_size / 1_000_000
    assert size > 60
    return [f"d002.xml:0:0: error: the file is {size:.1f} MB; the edition reads TEI files up to 48 MB [io-size]",
            "raise max_tei_mb in edition.toml"]


def missing_register(tei: Path, text: str):
    shutil.rmtree(tei.parent / "register")
    if "<persName" not in text:          # the imported document links nothing yet: annotate needs the register
        return [f"{tei.parent / 'register'}: no register files (persons.xml, organisations.xml, places.xml)",
                "restore tei/register/ from version control, or create it"]
    person = re.search(r'ref="#(pers-[^"]+)"', text).group(1)     # the first person named (the first errors are shown)
    ref = f'ref="#{person}"'
    return [f"d002.xml:{line_of(text, ref)}:", f"'#{person}' points to nothing: the register file",
            "persons.xml, which holds the pers- entries, does not exist", "from version control, or create it"]


def malformed_register(tei: Path, text: str):
    persons = tei.parent / "register" / "persons.xml"
    reg = persons.read_text(encoding="utf-8")
    entry = '<person xml:id="pers-kamenev"'
    persons.write_text(reg.replace(entry, entry.replace("<person ", "<person <"), 1), encoding="utf-8")
    expected = [f"persons.xml:{line_of(reg, entry)}:", "error: not well-formed XML", "fix the markup at this position"]
    if "<persName" in text:               # each name pointing into it says why it points to nothing
        expected += ["'#pers-kamenev' points into the register file", "persons.xml, which could not be read"]
    return expected


def dangling_pointer(tei: Path, text: str):
    if 'ref="#pers-kamenev"' in text:
        damaged = text.replace('ref="#pers-kamenev"', 'ref="#pers-kamenv"', 1)
    else:
        damaged = text.replace("Каменев", '<persName ref="#pers-kamenv">Каменев</persName>', 1)
    tei.write_text(damaged, encoding="utf-8")
    ref = 'ref="#pers-kamenv"'
    return [f"d002.xml:{line_of(damaged, ref)}:{col_of(damaged, ref)}: error: "
            "<persName ref=\"#pers-kamenv\">: '#pers-kamenv' points to nothing", "did you mean '#pers-kamenev'"]


def duplicate_id(tei: Path, text: str):
    tei.write_text(text.replace(P2, '<p xml:id="d002-p1">', 1), encoding="utf-8")
    return [f"d002.xml:{line_of(text, P2)}:", "xml:id 'd002-p1' is not unique in the edition: also at",
            f"d002.xml:{line_of(text, P2.replace('p2', 'p1'))}",
            "identifiers must be unique across all documents and the register"]


def unknown_language(tei: Path, text: str):
    tei.write_text(text.replace('<text xml:lang="ru">', '<text xml:lang="xx">', 1), encoding="utf-8")
    return [f"d002.xml:{line_of(text, '<text xml:lang')}:", "language 'xx' is used but not declared in "
            "profileDesc/langUsage", 'add <language ident="xx">...</language> to langUsage']


def date_that_does_not_exist(tei: Path, text: str):
    if 'when="1918-03"' in text:
        damaged = text.replace('when="1918-03"', 'when="1917-06-31"', 1)
    else:
        damaged = text.replace("3 ноября", '<date when="1917-06-31">3 ноября</date>', 1)
    tei.write_text(damaged, encoding="utf-8")
    return [f"d002.xml:{line_of(damaged, '1917-06-31')}:", "<date when=\"1917-06-31\">: '1917-06-31' is not a day "
            "of the calendar (1917-06 has no day 31) [date-iso]", "e.g. 1917-06-30 or 1917-07-01"]


def note_without_text(tei: Path, text: str):
    tei.write_text(text.replace(P2, P2 + '<note xml:id="d002-n9" n="9" place="foot" type="authorial"/>', 1),
                   encoding="utf-8")
    return [f"d002.xml:{line_of(text, P2)}:{col_of(text, P2) + len(P2)}: error: The note is empty",
            'give its text, or mark it subtype="text-missing" with gap reason="missing-in-source"']


def foreign_element(tei: Path, text: str):
    # an element of another vocabulary, holding a TEI element with a bad attribute: both said where they stand
    tei.write_text(text.replace(P2, P2 + '<x:foo xmlns:x="urn:x"><hi bogus="1">t</hi></x:foo>', 1), encoding="utf-8")
    line, col = line_of(text, P2), col_of(text, P2) + len(P2)
    return [f"d002.xml:{line}:{col}: error: <x:foo> is not a TEI element (namespace urn:x) [schema-namespace]",
            "the edition's files hold TEI elements only", f"d002.xml:{line}:{col + 27}: error: attribute bogus is "
            "not allowed on <hi>"]


def xinclude(tei: Path, text: str):
    tei.write_text(text.replace(P2, P2 + f'<xi:include xmlns:xi="{XI}" href="/etc/hostname" parse="text"/>', 1),
                   encoding="utf-8")
    return [f"d002.xml:{line_of(text, P2)}:{col_of(text, P2) + len(P2)}: error: <xi:include> is an XInclude: the "
            "edition never reads a file or URL that a TEI file names [xinclude]", "copy the text into this file"]


def tei_element_outside_the_schema(tei: Path, text: str):
    tei.write_text(text.replace(P2, P2 + "<app><lem>a</lem><rdg>b</rdg></app>", 1), encoding="utf-8")
    return [f"d002.xml:{line_of(text, P2)}:{col_of(text, P2) + len(P2)}: error: <app> (apparatus entry) is a TEI "
            "element that the edition's schema does not include", "add it to tei/schema/edition.odd (TEI module "
            "textcrit)"]


def too_deep(tei: Path, text: str, levels: int = 120):
    # d002's paragraphs stand 5 deep (TEI, text, body, div, p): the (MAX_DEPTH - 4)th <hi> inside is one too many
    hi = '<hi rend="italic">'
    tei.write_text(text.replace(P2, P2 + hi * levels + "x" + "</hi>" * levels, 1), encoding="utf-8")
    line, col = line_of(text, P2), col_of(text, P2) + len(P2)
    return [f"d002.xml:{line}:{col + (MAX_DEPTH - 5) * len(hi)}: error: <hi> stands {MAX_DEPTH + 1} elements deep; "
            f"the edition reads at most {MAX_DEPTH} levels of nesting [xml-depth]", "flatten the markup"]


def deeper_than_the_parser(tei: Path, text: str):
    # beyond libxml2's own limit (256) the parser stops first: the same rule and the same limit are said
    too_deep(tei, text, levels=300)
    return [f"d002.xml:{line_of(text, P2)}:", f"elements nested more than 256 deep; the edition reads at most "
            f"{MAX_DEPTH} levels of nesting [xml-depth]", "flatten the markup"]


def malformed_corpus_header(tei: Path, text: str):
    header = tei.parent / "corpus-header.xml"
    original = header.read_text(encoding="utf-8")
    header.write_text(original.replace("<sourceDesc>", "<sourceDesc><p>", 1), encoding="utf-8")
    return [f"corpus-header.xml:{line_of(original, '</sourceDesc>')}:", "error: not well-formed XML",
            "fix the markup at this position"]


def invalid_corpus_header(tei: Path, text: str):
    header = tei.parent / "corpus-header.xml"
    original = header.read_text(encoding="utf-8")
    header.write_text(original.replace("<sourceDesc>", "<sourceDesc><bogus/>", 1), encoding="utf-8")
    line, col = line_of(original, "<sourceDesc>"), col_of(original, "<sourceDesc>") + len("<sourceDesc>")
    return [f"corpus-header.xml:{line}:{col}: error: <bogus> is not an element of the edition's schema"]


def huge_corpus_header(tei: Path, text: str):
    header = tei.parent / "corpus-header.xml"
    original = header.read_text(encoding="utf-8")
    if original not in _HUGE or not _HUGE[original].exists():
        filler = "<!-- " + "x" * 1000 + " -->\n"
        header.write_text(original + filler * 60_000, encoding="utf-8")
        _HUGE[original] = header
    else:
        header.unlink()
        os.link(_HUGE[original], header)
    size = header.stat().st_size / 1_000_000
    return [f"corpus-header.xml:0:0: error: the file is {size:.1f} MB; the edition reads TEI files up to 48 MB "
            "[io-size]"]


DAMAGES = [malformed, invalid_tei, wrong_encoding, empty, huge, missing_register, malformed_register,
           dangling_pointer, duplicate_id, unknown_language, date_that_does_not_exist, note_without_text,
           foreign_element, xinclude, tei_element_outside_the_schema, too_deep, deeper_than_the_parser,
           malformed_corpus_header, invalid_corpus_header, huge_corpus_header]
# two cases through the installed program, the rest in-process
REAL = {("build", "malformed"), ("annotate", "date_that_does_not_exist")}
# annotate reads and checks only the documents it annotates: the corpus header is the exports' (build's) input
NOT_READ_BY = {"annotate": {"malformed_corpus_header", "invalid_corpus_header", "huge_corpus_header"}}


CASES = [(command, damage) for damage in DAMAGES for command in ARGS
         if damage.__name__ not in NOT_READ_BY.get(command, ())]


@pytest.mark.case
@pytest.mark.parametrize("command, damage", CASES, ids=[f"{d.__name__}-{c}" for c, d in CASES])
def test_bad_input_is_refused_clearly_and_loses_nothing(tmp_path, command, damage):
    project = make_project(tmp_path, command)
    tei = project / "tei" / "d002.xml"
    expected = damage(tei, tei.read_text(encoding="utf-8"))
    before = tei.read_bytes() if tei.exists() else None
    code, out = run(project, *ARGS[command], real=(command, damage.__name__) in REAL)
    assert "Traceback" not in out, out
    assert code != 0, out
    for text in expected:
        assert text in out, f"{text!r} not in:\n{out}"
    assert "hint: " in out, out
    if command == "validate":
        assert code == 1 and re.search(r"\d+ file\(s\) checked: [1-9]\d* error\(s\)", out), out
    else:
        assert "error: " in out and code == 2, out
    if before is not None:
        assert tei.read_bytes() == before                            # annotate wrote nothing
    for kept in ("site", "pdf"):                                     # build and pdf replaced nothing
        assert [p.name for p in (project / "build" / kept).iterdir()] == ["previous.txt"]
    assert not list((project / "tei").glob(".*.tmp"))


@pytest.mark.parametrize("command", ["validate", "annotate", "build"])
def test_the_undamaged_project_passes(tmp_path, command):
    """The control: the same project without damage validates, annotates and builds (so each case above fails
    because of its damage, not of the project; test_pdf.py typesets the undamaged d002)."""
    project = make_project(tmp_path, command)
    code, out = run(project, *ARGS[command])
    assert code == 0 and "Traceback" not in out, out
    if command == "build":
        assert (project / "build" / "site" / "d002" / "index.html").is_file()
        assert (project / "build" / "pdf" / "previous.txt").is_file()      # --no-pdf leaves build/pdf alone


@pytest.mark.case
def test_a_date_in_the_text_that_does_not_exist_is_never_tagged(tmp_path):
    # the source may misprint a date: annotate goes on with the rest, tags no such day, and says where it is
    project = make_project(tmp_path, "annotate")
    tei = project / "tei" / "d002.xml"
    text = tei.read_text(encoding="utf-8")
    tei.write_text(text.replace("Однако даже", "Однако 31 июня 1917 года и даже", 1), encoding="utf-8")
    code, out = run(project, "annotate", "d002")
    assert code == 0 and "Traceback" not in out, out
    assert (f"d002.xml:{line_of(text, P2)}: warning: '31 июня 1917 года' in <p xml:id='d002-p2'> is not a day of "
            "the calendar; left untagged") in out
    assert "<choice><sic>" in out                                         # the hint
    written = tei.read_text(encoding="utf-8")
    assert "<persName" in written                                         # the rest was annotated
    assert "1917-06-31" not in written and "1917-07-13" not in written    # nor as Old Style 31 June (= 13 July)
    assert "31 июня 1917 года и даже" in written                          # the words stay untagged text


@pytest.mark.case
def test_the_size_limit_is_set_in_edition_toml(tmp_path):
    project = make_project(tmp_path, "validate")
    toml = project / "edition.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("base_url", "max_tei_mb = 0.01\nbase_url", 1),
                    encoding="utf-8")
    code, out = run(project, "validate", "d002")
    assert code == 1 and "Traceback" not in out, out
    size = (project / "tei" / "d002.xml").stat().st_size / 1_000_000
    assert f"the file is {size:.1f} MB; the edition reads TEI files up to 0.01 MB [io-size]" in out


# ---- edition.toml: every mistake names the file, the line, the key, what it must be, and an example ---------

CONFIG = [
    # as written, as broken, the message, the hint
    ('title = "Coalition', 'title = 5 # "Coalition', "edition.toml:2: `title` is 5, but it must be a string in quotes",
     'write it like: title = "'),
    ('apparatus_language = "en"', 'apparatus_language = ["en"]',
     "edition.toml:7: `apparatus_language` is ['en'], but it must be a string in quotes", 'apparatus_language = "en"'),
    ('roles = ["general editor", "transcription and encoding", "annotation"]', 'roles = "editor"',
     "edition.toml:19: [[editors]] entry 1: `editors.roles` is 'editor', but it must be a list of strings",
     'roles = ["general editor", "annotation"]'),
    ('tei = "d003.xml"', "tei = 3", "edition.toml:40: [[documents]] entry 3: `documents.tei` is 3, but it must be a "
     "string in quotes", 'tei = "d002.xml"'),
    ('tei = "d003.xml"', "", "edition.toml:37: [[documents]] entry 3 lacks `tei`", 'tei = "d002.xml"'),
    ('id = "d003"', 'id = "d002"', "edition.toml:38: [[documents]] entry 3 has id 'd002', like entry 1",
     "each id must be unique"),
    ('tei = "d003.xml"', 'tei = "d002.xml"', "edition.toml:40: [[documents]] entry 3 has tei 'd002.xml', like entry 1",
     "each tei must be unique"),
    ("subtitle", "subtitel", "edition.toml:3: unknown key `subtitel`", "did you mean `subtitle`?"),
    ('publisher = "Coalition and Opposition edition project"', "", "edition.toml: the key `publisher` is missing",
     'publisher = "Coalition and Opposition edition project"'),
    ('licence = "CC-BY-4.0"', 'licence = "CC-BY-4.0', "edition.toml:9:21: TOML syntax error: Illegal character",
     "strings in quotes"),
    ("base_url", 'max_tei_mb = "big"\nbase_url', "edition.toml:8: `max_tei_mb` is 'big', but it must be a number",
     "max_tei_mb = 48"),
    # paths are confined to their folder inside the edition
    ('tei = "d003.xml"', 'tei = "../../outside.xml"', "edition.toml:40: [[documents]] entry 3: `documents.tei` is "
     "'../../outside.xml', which is outside the edition's folder tei/", 'a file inside tei/, e.g. tei = "d002.xml"'),
    ('source = "003_b22461af033d01fa.txt"', 'source = "/etc/hostname"', "edition.toml:39: [[documents]] entry 3: "
     "`documents.source` is '/etc/hostname', which is outside the edition's folder sources/",
     'a file inside sources/, e.g. source = "002_602d0cf3e1612ba8.txt"'),
    ('tei = "d003.xml"', 'tei = "register/../../../x.xml"', "edition.toml:40: [[documents]] entry 3: `documents.tei` "
     "is 'register/../../../x.xml', which is outside the edition's folder tei/", "a file inside tei/"),
    # URLs pass the rule of every link the edition writes
    ('licence_url = "https://creativecommons.org/licenses/by/4.0/"', 'licence_url = "javascript:alert(1)"',
     "edition.toml:10: `licence_url` is 'javascript:alert(1)', but it must be a web address (http: or https: with a "
     "host)", 'write it like: licence_url = "https://creativecommons.org/licenses/by/4.0/"'),
    ('base_url = "https://example.org/coalition-edition/"', 'base_url = " JaVaScRiPt:alert(1)//"',
     "edition.toml:8: `base_url` is ' JaVaScRiPt:alert(1)//', but it must be a web address (http: or https: with a "
     "host)", 'base_url = "https://example.org/edition/"'),
    ('base_url = "https://example.org/coalition-edition/"', 'base_url = "//evil.example/"',
     "edition.toml:8: `base_url` is '//evil.example/', but it must be a web address", 'base_url = "https://'),
]


@pytest.mark.case
@pytest.mark.parametrize("old, new, message, hint", CONFIG, ids=[c[2].split(": ", 1)[1][:60] for c in CONFIG])
@pytest.mark.parametrize("command", list(ARGS))
def test_a_mistake_in_edition_toml_is_refused_clearly(tmp_path, command, old, new, message, hint):
    project = make_project(tmp_path, command)
    toml = project / "edition.toml"
    text = toml.read_text(encoding="utf-8")
    assert old in text
    toml.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, out = run(project, *ARGS[command])
    assert code == 2 and "Traceback" not in out, out
    assert f"error: {project}/{message}" in out and "hint: " in out and hint in out, out


@pytest.mark.case
@pytest.mark.parametrize("key, value", [("tei", "../../escaped.xml"), ("tei", "/tmp/escaped.xml"),
                                        ("tei", "../sources/002_602d0cf3e1612ba8.txt")])
def test_import_never_writes_outside_the_tei_folder(tmp_path, key, value):
    """A careless `tei` path let import write outside the project, or over a witness (which is never edited)."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "edition.toml", project / "edition.toml")
    shutil.copytree(ROOT / "sources", project / "sources")
    (project / "tei").mkdir()
    toml = project / "edition.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('tei = "d002.xml"', f'{key} = "{value}"', 1),
                    encoding="utf-8")
    witness = (project / "sources" / "002_602d0cf3e1612ba8.txt").read_bytes()
    target = project / "tei" / value                 # (an absolute value stays itself)
    if not value.endswith(".txt"):
        target.unlink(missing_ok=True)
    code, out = run(project, "import", "d002", "--force", "--quiet")
    assert code == 2 and "Traceback" not in out, out
    assert f"`documents.tei` is '{value}', which is outside the edition's folder tei/" in out, out
    assert (project / "sources" / "002_602d0cf3e1612ba8.txt").read_bytes() == witness
    if not value.endswith(".txt"):
        assert not target.exists()
    assert not list((project / "tei").iterdir())


def test_the_deepest_nesting_allowed_is_validated_built_and_printed(tmp_path):
    """The control of the depth limit: at MAX_DEPTH levels every stage works (Saxon's own parser stops at 100,
    WeasyPrint lays out boxes recursively), so the limit validate says is the one the build keeps."""
    project = make_project(tmp_path, "build")
    tei = project / "tei" / "d002.xml"
    text = tei.read_text(encoding="utf-8")
    levels = MAX_DEPTH - 5
    tei.write_text(text.replace(P2, P2 + '<hi rend="italic">' * levels + "deepest" + "</hi>" * levels, 1),
                   encoding="utf-8")
    code, out = run(project, "build", "--no-search")
    assert code == 0 and "Traceback" not in out, out
    page = (project / "build" / "site" / "d002" / "index.html").read_text(encoding="utf-8")
    assert "deepest" in page and page.count('class="tei-hi') >= levels
    assert (project / "build" / "pdf" / "d002.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.case
def test_an_element_of_tei_outside_the_schema_is_not_taken_for_a_typo(tmp_path):
    project = make_project(tmp_path, "validate")
    tei = project / "tei" / "d002.xml"
    tei.write_text(tei.read_text(encoding="utf-8").replace(P2, P2 + "<app><lem>a</lem></app> <gapp/>", 1),
                   encoding="utf-8")
    code, out = run(project, "validate", "--format", "json", "d002")
    assert code == 1, out
    said = {d["message"].split()[0]: d for d in json.loads(out)["diagnostics"]}
    assert said["<app>"]["message"] == "<app> (apparatus entry) is a TEI element that the edition's schema does not include"
    assert "did you mean" not in said["<app>"]["hint"]             # not a misspelt <gap>: TEI's apparatus entry
    assert said["<lem>"]["message"].startswith("<lem> (lemma) is a TEI element")
    assert said["<gapp>"]["message"] == "<gapp> is not an element of the edition's schema"
    assert said["<gapp>"]["hint"].endswith("did you mean <gap>?")  # a typo: not TEI at all


# ---- import: a profile in a language the edition does not know ----------------------------------------------

@pytest.mark.case
@pytest.mark.parametrize("profile, old, new, message", [
    ("002", 'lang = "ru"', 'lang = "xx"', "002.toml:5: `lang`: 'xx' is not a language the edition knows"),
    ("004", 'other_langs = ["en"]', 'other_langs = ["en", "grc"]',
     "004.toml:6: `other_langs`: 'grc' is not a language the edition knows"),
], ids=["lang", "other_langs"])
def test_import_refuses_a_profile_in_an_unknown_language(tmp_path, profile, old, new, message):
    shutil.copy(ROOT / "edition.toml", tmp_path / "edition.toml")
    shutil.copytree(ROOT / "sources", tmp_path / "sources")
    for path in (tmp_path / "sources").rglob("*"):
        path.chmod(0o644)                 # the witnesses are read-only in the repository
    (tmp_path / "tei").mkdir()
    prof = tmp_path / "sources" / "profiles" / f"{profile}.toml"
    text = prof.read_text(encoding="utf-8")
    assert old in text
    prof.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, out = run(tmp_path, "import", f"d{profile}", "--quiet")
    assert code != 0 and "Traceback" not in out, out
    assert f"d{profile}: not imported" in out and message in out, out
    assert "hint: use one of: ru, el, en, de, fr, la, ru-Latn" in out
    assert not (tmp_path / "tei" / f"d{profile}.xml").exists()
