"""Bad input for `edition import` and `edition fidelity`: every case is refused with a clear message (the
file, the line where there is one, what is wrong, a hint how to fix it) and a non-zero exit, never a traceback,
and a curated TEI file is never touched by a failed import.

Each test runs the command (its main(), as the `edition` program does; a few as the installed program in a
subprocess) on a temporary copy of the project (edition.toml, sources/, the TEI documents), with one thing
broken.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from unittest import mock

import pytest

from tei_edition.cli import main
from tests.conftest import ROOT

EDITION = Path(sys.executable).parent / "edition"
SOURCE = {"d000": "000_dd6a13bb4e2f95ad.txt", "d002": "002_602d0cf3e1612ba8.txt",
          "d003": "003_b22461af033d01fa.txt", "d004": "004_d17a5e382e2b05ec.txt"}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "edition.toml", tmp_path / "edition.toml")
    shutil.copytree(ROOT / "sources", tmp_path / "sources")
    (tmp_path / "tei").mkdir()
    for tei in (ROOT / "tei").glob("d*.xml"):
        shutil.copy(tei, tmp_path / "tei" / tei.name)
    for path in (tmp_path / "sources").rglob("*"):
        path.chmod(0o644)                 # the witnesses are read-only in the repository
    return tmp_path


def run(project: Path, *args: str, real: bool = False) -> tuple[int, str]:
    """The command's exit status and output: in this process (fast), or as the installed program (real)."""
    argv = ["edition", "--root", str(project), *args]
    if real:
        proc = subprocess.run([str(EDITION), *argv[1:]], capture_output=True, text=True, timeout=120)
        return proc.returncode, proc.stdout + proc.stderr
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(out), mock.patch.object(sys, "argv", argv):
        try:
            main()          # an exception escaping main() fails the test: the user would see a traceback
            code = 0
        except SystemExit as exc:
            code = exc.code or 0
    return code, out.getvalue()


def refused(project: Path, args: tuple[str, ...], *expected: str, real: bool = False) -> str:
    """Run the command; it must fail cleanly and say each of `expected`."""
    rc, out = run(project, *args, real=real)
    assert "Traceback" not in out, out
    assert rc != 0, out
    for text in expected:
        assert text in out, out
    assert "hint: " in out, out
    return out


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def imported_refused(project: Path, doc: str, *expected: str, real: bool = False) -> str:
    """`edition import DOC --force` fails and leaves the curated TEI as it was."""
    before = (project / "tei" / f"{doc}.xml").read_bytes()
    out = refused(project, ("import", doc, "--force", "--quiet"), f"{doc}: not imported", *expected, real=real)
    assert (project / "tei" / f"{doc}.xml").read_bytes() == before
    return out


# ---- the source --------------------------------------------------------------------------------------

def test_a_source_in_cp1251_is_refused_at_its_first_bad_byte(project):
    src = project / "sources" / SOURCE["d002"]
    lines = src.read_text(encoding="utf-8").split("\n")
    lines[2] = "Ленинский ультиматум"                     # line 3 saved in Windows Cyrillic
    src.write_bytes("\n".join(lines[:2]).encode() + b"\n" + lines[2].encode("cp1251") + b"\n")
    expected = (f"{SOURCE['d002']}:3:1: byte 0xcb is not UTF-8", "iconv -f cp1251 -t utf-8")
    imported_refused(project, "d002", *expected, real=True)          # as the installed program
    refused(project, ("fidelity", "d002"), "d002: cannot compare", *expected, real=True)


@pytest.mark.parametrize("content, message", [(b"", "the source file is empty"),
                                              (b"\n \n\t\n", "the source holds no text (5 bytes, all whitespace)")])
def test_an_empty_source_is_refused(project, content, message):
    (project / "sources" / SOURCE["d002"]).write_bytes(content)
    imported_refused(project, "d002", f"{SOURCE['d002']}: {message}")
    refused(project, ("fidelity", "d002"), f"{SOURCE['d002']}: {message}")


def test_a_source_with_a_control_character_is_refused_at_its_position(project):
    src = project / "sources" / SOURCE["d002"]
    lines = src.read_text(encoding="utf-8").split("\n")
    lines[1] = "Однако\f даже"                    # a form feed, as pdftotext puts at page ends
    src.write_text("\n".join(lines), encoding="utf-8")
    imported_refused(project, "d002", f"{SOURCE['d002']}:2:7: control character U+000C cannot stand in XML",
                     "tr -d")


def test_a_missing_source_is_refused(project):
    (project / "sources" / SOURCE["d003"]).unlink()
    imported_refused(project, "d003", f"{SOURCE['d003']}: the source file does not exist")
    refused(project, ("fidelity", "d003"), f"{SOURCE['d003']}: the source file does not exist")


def test_a_huge_source_is_refused_before_it_is_read(project):
    # 50 MB of the witness's own lines: refused at once (no memory or time spent on it), with its size
    src = project / "sources" / SOURCE["d002"]
    text = src.read_bytes()
    with src.open("wb") as out:
        for _ in range(50_000_000 // len(text) + 1):
            out.write(text)
    assert src.stat().st_size > 50_000_000
    start = time.monotonic()
    imported_refused(project, "d002", f"{SOURCE['d002']}: the source is 47.7 MB; the toolkit reads witnesses "
                     "up to 16 MB")
    refused(project, ("fidelity", "d002"), "the source is 47.7 MB")
    # the other witnesses of the folder are still imported (the huge file is left out of the hyphen lexicon)
    rc, out = run(project, "import", "d004", "--quiet", "--force")
    assert rc == 0 and "wrote " in out and "d004.xml" in out, out
    assert time.monotonic() - start < 20


# ---- the profile -------------------------------------------------------------------------------------

def test_a_missing_profile_is_refused(project):
    (project / "sources" / "profiles" / "002.toml").unlink()
    imported_refused(project, "d002", "profiles/002.toml: no import profile for this document")


def test_a_profile_with_a_toml_syntax_error_is_refused_at_its_line(project):
    edit(project / "sources" / "profiles" / "002.toml", 'lang = "ru"', 'lang = "ru')
    imported_refused(project, "d002", "profiles/002.toml:5:11: TOML syntax error: Illegal character '\\n'")


def test_an_unknown_layout_is_refused_with_the_known_ones(project):
    edit(project / "sources" / "profiles" / "002.toml", 'layout = "paragraph-per-line"', 'layout = "scroll"')
    imported_refused(project, "d002", "profiles/002.toml:4: unknown layout 'scroll'",
                     "use one of: book, journal-columns, paragraph-per-line, ragged-lines, web-page")


WRONG_TYPES = [
    # profile, as written, as broken, what the message says
    ("002", 'layout = "paragraph-per-line"', "layout = 3", "002.toml:4: `layout` is 3, but it must be a string"),
    ("002", "published = 2026", 'published = "soon"', "002.toml:6: `published` is 'soon', but it must be a whole number"),
    ("002", "supplied = true", 'supplied = "yes"', "`title.supplied` is 'yes', but it must be true or false"),
    ("002", 'name = "Александр', 'name = 5\nx = "', "002.toml:29: [[authors]] entry 1: `name` is 5, but it must be a string"),
    ("002", "missing = true", 'missing = "yes"', "002.toml:36: `notes.missing` is 'yes', but it must be true or false"),
    ("002", 'div_type = "chapter"', "div_type = 1", "002.toml:33: `structure.div_type` is 1, but it must be a string"),
    ("004", "min_empty_run = 2", 'min_empty_run = "two"', "`pages.min_empty_run` is 'two', but it must be a whole number"),
    ("003", "heading = 3 ", 'heading = "three" ', "003.toml: 'three' is not a line number"),
    ("003", "line = 5\n", 'line = "5"\n', "003.toml:81: [[corrections]] entry 1: `line` is '5', but it must be a whole number"),
    ("000", "body_first = 25", 'body_first = "25"', "000.toml:33: body_first = '25': not a line number"),
    ("000", "line = 13\n", "", "000.toml:57: [[corrections]] entry 1 lacks `line`"),
    ("004", "line = 189\n", "line = [189]\n", "004.toml:60: [[foot_notes]] entry 1: `line` is [189], but it must be a whole number"),
    # an empty `sic` matched everywhere: the web-page parser looped until memory ran out (found by hypothesis)
    ("003", 'sic = "K. Κοσάροβα"', 'sic = ""', "003.toml:81: [[corrections]] entry 1: `sic` is empty"),
]


@pytest.mark.parametrize("profile, old, new, message", WRONG_TYPES, ids=[f"{w[0]}-{w[3].split('`')[1] if '`' in w[3] else 'line'}" for w in WRONG_TYPES])
def test_a_profile_value_of_the_wrong_type_is_refused(project, profile, old, new, message):
    edit(project / "sources" / "profiles" / f"{profile}.toml", old, new)
    imported_refused(project, f"d{profile}", message)


def test_a_profile_value_no_check_knows_of_is_still_refused_without_a_traceback(project):
    # the book parser reads [paragraph_rend] values as strings; a list there is caught by the importer's
    # last-resort handler: the profile, the exception, and the place in the code for a bug report
    edit(project / "sources" / "profiles" / "001.toml", '"164" = "dateline"', '"164" = ["dateline"]')
    out = imported_refused(project, "d001", "profiles/001.toml")
    # the last-resort message, or a precise one naming the key once the book parser checks it
    assert ("importing 001_7f3fb5cfc14f1a27.txt with the 'book' layout failed: TypeError" in out
            and "this is a bug in the importer (tei_edition/" in out) or "paragraph_rend" in out, out


def test_a_profile_bibl_that_is_not_well_formed_is_refused(project):
    edit(project / "sources" / "profiles" / "002.toml", "</publisher>", "</publisher")
    imported_refused(project, "d002", "002.toml:20: `bibl` is not well-formed TEI", "close every element")


def test_a_profile_copied_from_another_document_is_refused(project):
    edit(project / "sources" / "profiles" / "002.toml", 'id = "d002"', 'id = "d003"')
    imported_refused(project, "d002", "002.toml:2: id = 'd003', but edition.toml imports this profile for 'd002'")


CORRECTIONS = [
    # the layouts that read [[corrections]]: a `sic` that the source line does not hold
    ("003", 'sic = "K. Κοσάροβα"', 'sic = "K. Κοσάροβαα"', "003.toml: correction on line 5: 'K. Κοσάροβαα' found 0 "
     "time(s), expected 1",
     "it must be copied exactly from the source line"),
    ("000", 'sic = "протии"', 'sic = "противв"', f"000.toml: correction 'противв' -> 'против': line 606 of "
     f"{SOURCE['d000']} does not contain 'противв'", "the misprint exactly as printed"),
    ("004", 'sic = "Coco"', 'sic = "Soso"', "004.toml: corrections: line 12 does not contain 'Soso'", "line 12 reads"),
]


@pytest.mark.parametrize("profile, old, new, message, hint", CORRECTIONS, ids=[c[0] for c in CORRECTIONS])
def test_a_correction_that_does_not_match_the_source_is_refused(project, profile, old, new, message, hint):
    edit(project / "sources" / "profiles" / f"{profile}.toml", old, new)
    imported_refused(project, f"d{profile}", message, hint)


def test_one_bad_document_does_not_stop_the_others(project):
    edit(project / "sources" / "profiles" / "002.toml", 'layout = "paragraph-per-line"', 'layout = "scroll"')
    rc, out = run(project, "import", "d002", "d003", "--quiet", "--force")
    assert rc == 2 and "Traceback" not in out
    assert "d002: not imported" in out and "unknown layout 'scroll'" in out
    assert f"wrote {project / 'tei' / 'd003.xml'}" in out


# ---- the TEI (fidelity) ------------------------------------------------------------------------------

def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1) if text in line)


def test_fidelity_refuses_malformed_tei_at_its_position(project):
    tei = project / "tei" / "d002.xml"
    body, text_end = line_of(tei, "<body>"), line_of(tei, "</text>")
    edit(tei, "</body>", "")
    refused(project, ("fidelity", "d002"), f"d002.xml:{text_end}:10: error: not well-formed XML: Opening and "
            f"ending tag mismatch: body line {body} and text [xml-syntax]")


@pytest.mark.parametrize("lb, message", [('<lb/>', "<lb/> lacks @n"),
                                         ('<lb n="two"/>', "<lb/> has n='two', not a line number")])
def test_fidelity_refuses_an_lb_without_a_line_number(project, lb, message):
    line = line_of(project / "tei" / "d002.xml", '<lb n="2"/>')
    edit(project / "tei" / "d002.xml", '<lb n="2"/>', lb)
    refused(project, ("fidelity", "d002"), f"d002.xml:{line}: {message}", 'e.g. <lb n="12"/>')


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE TEI [<!ENTITY x SYSTEM "file:///etc/passwd">]>',                      # external entity
    '<!DOCTYPE TEI [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',  # expansion bomb
    '<!DOCTYPE TEI SYSTEM "http://example.org/tei.dtd">',                                # network DTD
], ids=["external-entity", "entity-bomb", "network-dtd"])
def test_fidelity_refuses_a_doctype_that_declares_entities(project, doctype):
    edit(project / "tei" / "d002.xml", "?>\n", f"?>\n{doctype}\n")
    out = refused(project, ("fidelity", "d002"), "d002.xml:2:1: error: DOCTYPE with entity declarations or an "
                  "external DTD is refused [xml-doctype]", real=doctype.startswith("<!DOCTYPE TEI [<!ENTITY x"))
    assert "root:" not in out                                    # nothing of /etc/passwd came through


@pytest.mark.parametrize("content, message", [
    ("<html><body/></html>", "d002.xml:1: <html> holds no TEI <text> element"),
    ("", "d002.xml:1:1: error: the file is empty [xml-empty]"),
], ids=["not-tei", "empty"])
def test_fidelity_refuses_a_file_that_is_not_a_tei_document(project, content, message):
    (project / "tei" / "d002.xml").write_text(content, encoding="utf-8")
    refused(project, ("fidelity", "d002"), message)


def test_fidelity_goes_on_with_the_other_documents(project):
    edit(project / "tei" / "d002.xml", '<lb n="2"/>', "<lb/>")
    rc, out = run(project, "fidelity")
    assert rc == 1 and "Traceback" not in out
    assert "d002: cannot compare" in out and "<lb/> lacks @n" in out
    for doc, chars in (("d000", 27341), ("d003", 90066), ("d001", 697506), ("d004", 32850)):
        assert f"{doc}: {chars}/{chars} characters (100.00%)" in out


def test_import_without_force_shows_the_diff_and_keeps_the_curated_file(project):
    """A curated TEI file (here annotated after import) is never replaced silently: the import prints what
    it would change, says how to overwrite, exits 1, and leaves the file byte for byte."""
    curated = project / "tei" / "d002.xml"
    before = curated.read_bytes()
    rc, out = run(project, "import", "d002", "--quiet")
    assert rc == 1
    assert "curated file differs from the import; not overwritten (use --force)" in out
    removed = [line for line in out.splitlines() if line.startswith("-") and not line.startswith("---")]
    assert any('<persName ref="#pers-kamenev">Каменев</persName>' in line for line in removed)  # the curation
    assert curated.read_bytes() == before
    rc, out = run(project, "import", "d002", "--quiet", "--force")
    assert rc == 0 and f"wrote {curated}" in out and b"<persName" not in curated.read_bytes()
