"""The bad-input matrix: every (command, bad input) pair fails with a clear message — the file, the line (and
column where the parser knows it), what is wrong, a hint how to fix it — and a non-zero exit, never a
traceback; a failed command loses nothing (annotate leaves the TEI as it was, build and pdf the previous site
and PDFs).

Each case runs the real command (its main(), as the `edition` program does; two as the installed program) on a
temporary project holding edition.toml, the register, the schema and one document, d002, damaged in one way:
the real tei/d002.xml for validate, build and pdf, the frozen d002 as imported for annotate (what annotate is run on).
The import matrix on raw sources (encoding, empty, huge, missing source, malformed profile, values of the wrong
type) is in test_import_errors.py; the unknown language of a profile is here.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_import_errors import run as run_command

IMPORTED_D002 = ROOT / "tests" / "golden" / "d002-unannotated.xml"
P2 = '<p xml:id="d002-p2">'
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
    ref = 'ref="#pers-zinoviev"'
    return [f"d002.xml:{line_of(text, ref)}:", "'#pers-zinoviev' points to nothing: the register file",
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


DAMAGES = [malformed, invalid_tei, wrong_encoding, empty, huge, missing_register, malformed_register,
           dangling_pointer, duplicate_id, unknown_language, date_that_does_not_exist, note_without_text]
# two cases through the installed program, the rest in-process
REAL = {("build", "malformed"), ("annotate", "date_that_does_not_exist")}


@pytest.mark.parametrize("damage", DAMAGES, ids=[d.__name__ for d in DAMAGES])
@pytest.mark.parametrize("command", list(ARGS))
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
]


@pytest.mark.parametrize("old, new, message, hint", CONFIG, ids=[c[2].split(": ", 1)[1][:30] for c in CONFIG])
@pytest.mark.parametrize("command", list(ARGS))
def test_a_mistake_in_edition_toml_is_refused_clearly(tmp_path, command, old, new, message, hint):
    project = make_project(tmp_path, command)
    toml = project / "edition.toml"
    text = toml.read_text(encoding="utf-8")
    assert old in text
    toml.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, out = run(project, *ARGS[command])
    assert code == 2 and "Traceback" not in out, out
    assert f"error: {project / message}" in out and "hint: " in out and hint in out, out


# ---- import: a profile in a language the edition does not know ----------------------------------------------

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
