"""Bad input gets a precise diagnostic (file, line, column, what, how to fix), never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.validate_helpers import make_edition, model_text, run


def _one(root, path) -> dict:
    code, out = run(root, "--format", "json", str(path))
    assert code == 1
    diags = json.loads(out)["diagnostics"]
    assert len(diags) == 1, diags
    return diags[0]


def test_malformed_xml_reports_the_parser_position(tmp_path):
    ed = make_edition(tmp_path)
    bad = tmp_path / "bad.xml"
    bad.write_text(model_text().replace('<p xml:id="d002-p2">', '<p xml:id="d002-p2"><hi rend="italic">'),
                   encoding="utf-8")
    d = _one(ed, bad)
    assert (d["line"], d["col"], d["rule"]) == (151, 1539, "xml-syntax")   # just after the </p> that does not match
    assert d["message"] == "not well-formed XML: Opening and ending tag mismatch: hi line 150 and p"
    assert d["hint"] == "fix the markup at this position"


def test_bytes_that_are_not_utf8(tmp_path):
    ed = make_edition(tmp_path)
    bad = tmp_path / "cp1251.xml"
    bad.write_bytes(model_text().replace("Однако даже", "Однако ДАЖЕ").encode("utf-8").replace(
        "ДАЖЕ".encode("utf-8"), "даже".encode("cp1251")))
    d = _one(ed, bad)
    assert (d["line"], d["col"], d["rule"]) == (151, 19, "xml-encoding")   # columns count characters, not bytes
    assert d["message"] == "byte 0xe4 is not valid UTF-8"
    assert d["hint"].startswith("save the file as UTF-8")


def test_empty_file(tmp_path):
    ed = make_edition(tmp_path)
    (tmp_path / "empty.xml").write_bytes(b"")
    d = _one(ed, tmp_path / "empty.xml")
    assert (d["line"], d["col"], d["rule"], d["message"]) == (1, 1, "xml-empty", "the file is empty")


def test_missing_path(tmp_path):
    ed = make_edition(tmp_path)
    d = _one(ed, tmp_path / "nowhere.xml")
    assert (d["rule"], d["message"], d["path"]) == ("io-missing", "no such file", str(tmp_path / "nowhere.xml"))


def test_xml_that_is_not_tei(tmp_path):
    ed = make_edition(tmp_path)
    (tmp_path / "page.xml").write_text('<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>')
    d = _one(ed, tmp_path / "page.xml")
    assert d["rule"] == "not-tei"
    assert d["message"] == "not a TEI document: the root element is <html> (in namespace http://www.w3.org/1999/xhtml)"
    (tmp_path / "nons.xml").write_text('<TEI xml:id="d002"/>')
    d = _one(ed, tmp_path / "nons.xml")
    assert d["message"] == "the root <TEI> is in no namespace, not TEI's"
    assert d["hint"] == 'write <TEI xmlns="http://www.tei-c.org/ns/1.0" ...>'


def test_doctype_with_external_entity_is_refused_and_never_read(tmp_path):
    ed = make_edition(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    bad = tmp_path / "xxe.xml"
    bad.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE TEI [\n  <!ENTITY x SYSTEM "file://{secret}">\n]>\n'
                   '<TEI xmlns="http://www.tei-c.org/ns/1.0">&x;</TEI>\n')
    code, out = run(ed, str(bad))
    assert "TOP-SECRET-CONTENT" not in out
    assert out.splitlines()[0] == (f"{bad}:2:1: error: DOCTYPE with entity declarations or an external DTD is "
                                   "refused [xml-doctype]")
    dtd = tmp_path / "dtd.xml"
    dtd.write_text('<!DOCTYPE TEI SYSTEM "http://example.org/tei.dtd">\n<TEI xmlns="http://www.tei-c.org/ns/1.0"/>')
    assert _one(ed, dtd)["rule"] == "xml-doctype"


def test_recursive_entities_are_refused_not_expanded(tmp_path):
    ed = make_edition(tmp_path)
    bomb = tmp_path / "bomb.xml"
    decl = "".join(f'<!ENTITY l{i} "&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};">' for i in range(1, 12))
    bomb.write_text(f'<!DOCTYPE TEI [<!ENTITY l0 "lol">{decl}<!ENTITY loop "&loop;">]>\n'
                    '<TEI xmlns="http://www.tei-c.org/ns/1.0">&l11;&loop;</TEI>')
    d = _one(ed, bomb)
    assert (d["line"], d["col"], d["rule"]) == (1, 1, "xml-doctype")


def test_pointer_to_a_missing_register_entry(tmp_path):
    ed = make_edition(tmp_path, model_text().replace("Каменев", '<persName ref="#pers-kamenv">Каменев</persName>', 1))
    code, out = run(ed)
    assert code == 1
    path = ed / "tei" / "d002.xml"
    assert out.splitlines()[:2] == [
        f"{path}:151:293: error: <persName ref=\"#pers-kamenv\">: '#pers-kamenv' points to nothing: no xml:id "
        "'pers-kamenv' in this document, the register or the editors (edition.toml) [pointer-unresolved]",
        "  hint: did you mean '#pers-kamenev'?"]


def test_many_bad_files_at_once_through_the_installed_command(tmp_path):
    """The real console entry point: every file reported, exit status 1, no traceback."""
    ed = make_edition(tmp_path)
    (tmp_path / "empty.xml").write_bytes(b"")
    (tmp_path / "broken.xml").write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'><teiHeader></TEI>")
    run_ = subprocess.run([sys.executable, "-c", "from tei_edition.cli import main; main()", "--root", str(ed),
                           "validate", str(tmp_path / "empty.xml"), str(tmp_path / "broken.xml"),
                           str(tmp_path / "missing.xml")], capture_output=True, text=True, timeout=60)
    assert run_.returncode == 1
    assert "Traceback" not in run_.stderr + run_.stdout
    lines = run_.stdout.splitlines()
    assert [ln.split(": error: ")[1] for ln in lines if ": error: " in ln] == [
        "not well-formed XML: Opening and ending tag mismatch: teiHeader line 1 and TEI [xml-syntax]",
        "the file is empty [xml-empty]",
        "no such file [io-missing]"]
    assert lines[-1].startswith("3 file(s) checked: 3 error(s), 0 warning(s)")
