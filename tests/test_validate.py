"""`edition validate` on the real edition and on small, precise edits of the model document d002."""

from __future__ import annotations

import json

from tei_edition.corpus import apparatus_paths, register_paths
from tei_edition.validate import validate
from tests.validate_helpers import PERSONS, make_edition, model_text, run

D002_FIRST_NOTE = '<note xml:id="d002-n1" n="13" place="end" type="authorial" subtype="text-missing">'


def test_the_whole_edition_is_clean(cfg):
    """Every document, register file and the corpus header: no error, no warning."""
    report = validate(cfg)
    assert report.files == 5 + len(register_paths(cfg)) + len(apparatus_paths(cfg)) + 1   # + the corpus header
    assert [d.format() for d in report.diagnostics] == []


def test_model_document_is_clean_through_the_command(root):
    code, out = run(root, "tei/d002.xml")
    assert code == 0
    assert out.startswith("1 file(s) checked: 0 error(s), 0 warning(s) in ")


def test_clean_mini_edition_and_json_format(tmp_path):
    ed = make_edition(tmp_path)
    code, out = run(ed, "--format", "json")
    assert code == 0
    assert json.loads(out) == {"files": 2, "errors": 0, "warnings": 0, "diagnostics": []}


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    text = (model_text()
            .replace('type="chapter"', 'type="chap"')                                # closed list
            .replace('<lb n="2"/>', '<lb n="2" rend="hyphen"/>')                      # Schematron
            .replace("Викжеля", '<persName ref="#pers-lenni">Викжеля</persName>', 1)  # register pointer
            .replace("Каменев", "<persName/>Каменев", 1))                            # empty name
    ed = make_edition(tmp_path, text)
    code, out = run(ed, "--format", "json")
    report = json.loads(out)
    assert code == 1
    found = sorted((d["line"], d["col"], d["rule"]) for d in report["diagnostics"])
    assert found == [(147, 31, "schema-value"), (149, 498, "pointer-unresolved"), (151, 1, "lb-hyphen"),
                     (151, 297, "name-empty")]
    assert report["errors"] == 4 and report["warnings"] == 0
    by_rule = {d["rule"]: d for d in report["diagnostics"]}
    assert by_rule["schema-value"]["message"] == "<div type=\"chap\">: value not in the edition's list"
    assert by_rule["schema-value"]["hint"].startswith("allowed: part, article, chapter, section,")
    assert by_rule["lb-hyphen"]["message"] == ('lb with rend="hyphen" must also have break="no" '
                                               "(the word continues on this line).")
    assert by_rule["pointer-unresolved"]["message"] == (
        "<persName ref=\"#pers-lenni\">: '#pers-lenni' points to nothing: no xml:id 'pers-lenni' in this "
        "document, the register or the editors (edition.toml)")
    assert by_rule["pointer-unresolved"]["hint"] == "did you mean '#pers-lenin'?"


def test_text_format_lines_and_summary(tmp_path):
    ed = make_edition(tmp_path, model_text().replace('type="chapter"', 'type="chap"'))
    code, out = run(ed)
    lines = out.splitlines()
    path = str(ed / "tei" / "d002.xml")
    assert code == 1
    assert lines[0] == f"{path}:147:31: error: <div type=\"chap\">: value not in the edition's list [schema-value]"
    assert lines[1].startswith("  hint: allowed: part, article, chapter")
    assert lines[-1].startswith("2 file(s) checked: 1 error(s), 0 warning(s) in ")


def test_several_files_and_document_ids(tmp_path, root):
    ed = make_edition(tmp_path)
    code, out = run(ed, "d002", str(ed / "tei" / "register" / "persons.xml"))
    assert code == 0 and out.startswith("2 file(s) checked: 0 error(s)")


def _rules(tmp_path, text: str, persons: str | None = None) -> list[tuple[str, str]]:
    ed = make_edition(tmp_path, text) if persons is None else make_edition(tmp_path, text, persons)
    code, out = run(ed, "--format", "json")
    return [(d["rule"], d["message"]) for d in json.loads(out)["diagnostics"]]


def test_pointer_to_a_register_entry_of_the_wrong_kind(tmp_path):
    text = model_text().replace("Викжеля", '<persName ref="#org-vikzhel">Викжеля</persName>', 1)
    assert _rules(tmp_path, text) == [
        ("pointer-kind", '<persName ref="#org-vikzhel"> points to a <org>, not a <person>')]


def test_xml_id_unique_across_the_edition(tmp_path):
    persons = PERSONS.replace('xml:id="pers-kamenev"', 'xml:id="d002-p1"')
    rules = _rules(tmp_path, model_text(), persons)
    assert ("id-duplicate", "xml:id 'd002-p1' is not unique in the edition: also at "
            f"{tmp_path / 'tei' / 'register' / 'persons.xml'}:17") in rules
    assert ("id-duplicate", f"xml:id 'd002-p1' is not unique in the edition: also at {tmp_path / 'tei' / 'd002.xml'}:148"
            ) in rules


def test_dates_must_be_real_iso_days_in_order_with_a_declared_calendar(tmp_path):
    text = model_text().replace(
        "3 ноября Каменев", '<date when="1917-02-30">3 ноября</date> <date from="1918-03-01" to="1917-11-16" '
        'calendar="#d002-mayan">Каменев</date>', 1).replace(
        "4 ноября", '<date when="1917-11-17" calendar="#d002-p1">4 ноября</date>', 1)
    assert sorted(_rules(tmp_path, text)) == [
        ("calendar-undeclared", "calendar '#d002-p1' is not declared in this document's header"),
        ("date-iso", "<date when=\"1917-02-30\">: '1917-02-30' is not a day of the calendar (1917-02 has no day 30)"),
        ("date-range", 'from="1918-03-01" is later than to="1917-11-16"'),
        ("pointer-unresolved", "<date calendar=\"#d002-mayan\">: '#d002-mayan' points to nothing: no xml:id "
                               "'d002-mayan' in this document, the register or the editors (edition.toml)"),
    ]


def test_notes_need_their_call_and_their_text_or_the_missing_mark(tmp_path):
    text = (model_text()
            .replace(D002_FIRST_NOTE + '<gap reason="missing-in-source"/>', D002_FIRST_NOTE)
            .replace('<note xml:id="d002-n2" n="14" place="end" type="authorial" subtype="text-missing">',
                     '<note xml:id="d002-n2" place="end" type="authorial" subtype="text-missing">'))
    assert sorted(_rules(tmp_path, text)) == [
        ("note-called", "A source note needs its call as printed in n, or subtype=\"call-missing\" if the source "
                        "prints no call."),
        ("note-text-missing", "A note with subtype=\"text-missing\" must hold gap reason=\"missing-in-source\" and "
                              "no text of its own."),
    ]


def test_languages_declared_and_header_parts_required(tmp_path):
    text = (model_text().replace('<p xml:id="d002-p4">', '<p xml:id="d002-p4" xml:lang="de">')
            .replace(model_text()[model_text().index("<revisionDesc>"):model_text().index("</revisionDesc>") + 15], ""))
    assert sorted(_rules(tmp_path, text)) == [
        ("header-parts", "A document's header needs revisionDesc with at least one change."),
        ("lang-declared", "language 'de' is used but not declared in profileDesc/langUsage"),
    ]


def test_unknown_element_and_attribute_get_hints(tmp_path):
    text = model_text().replace('<p xml:id="d002-p4">', '<p xml:id="d002-p4" rend="bold"><foo/>')
    ed = make_edition(tmp_path, text)
    code, out = run(ed, "--format", "json")
    diags = {d["rule"]: d for d in json.loads(out)["diagnostics"]}
    assert diags["schema-value"]["message"] == '<p rend="bold">: value not in the edition\'s list'
    assert diags["schema"]["message"] == "<foo> is not an element of the edition's schema"
    assert diags["schema"]["hint"].startswith("see docs/encoding-guidelines.md")


def test_structure_errors_say_what_the_element_holds(tmp_path):
    text = model_text()
    no_pub = text[:text.index("<publicationStmt>")] + text[text.index("</publicationStmt>") + 18:]
    ed = make_edition(tmp_path, no_pub.replace('<div xml:id="d002-div1" type="chapter">',
                                               '<div xml:id="d002-div1" type="chapter">stray'))
    code, out = run(ed, "--format", "json")
    found = [(d["line"], d["col"], d["rule"], d["message"], d["hint"]) for d in json.loads(out)["diagnostics"]]
    assert found == [
        (2, 1, "doc-id", 'the header has no <idno type="edition-id">',
         'add <idno type="edition-id">d002</idno> to publicationStmt'),
        (30, 7, "schema", "<notesStmt> is out of place here, inside <fileDesc>",
         "<fileDesc> holds: titleStmt, editionStmt?, publicationStmt, notesStmt?, sourceDesc (see docs/encoding-guidelines.md)"),
        (137, 7, "schema", "<div> may not contain text", "move the text into a child element (e.g. <p>)"),
    ]


def test_listed_document_without_tei_is_a_warning(tmp_path):
    ed = make_edition(tmp_path)
    with (ed / "edition.toml").open("a", encoding="utf-8") as f:
        f.write('\n[[documents]]\nid = "d000"\nsource = "000_dd6a13bb4e2f95ad.txt"\ntei = "d000.xml"\n')
    code, out = run(ed)
    assert code == 0
    assert out.splitlines()[0] == (f"{ed / 'edition.toml'}:0:0: warning: document d000 is listed but "
                                   f"{ed / 'tei' / 'd000.xml'} does not exist yet [doc-missing]")


def test_text_without_any_language(tmp_path):
    text = model_text().replace('<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="d002" xml:lang="ru">',
                                '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="d002">').replace(
        '<teiHeader xml:lang="en">', "<teiHeader>")
    assert sorted(_rules(tmp_path, text)) == [
        ("lang-missing", "text in <author> has no language"),
        ("schema-required", "<TEI> needs attribute xml:lang"),
    ]


def test_a_note_call_printed_apart_must_lead_to_a_note(tmp_path):
    text = model_text().replace("У Ленина,", '<ref type="noteAnchor" target="#d002-p1">1</ref> У Ленина,', 1)
    assert _rules(tmp_path, text) == [
        ("pointer-kind", '<ref target="#d002-p1"> points to a <p>, not a <note>')]


def test_a_witness_line_starts_once_and_a_note_without_call_says_so(tmp_path):
    text = (model_text().replace('<lb n="3"/>', '<lb n="2"/>')
            .replace('subtype="text-missing">', 'subtype="text-missing" rend="none">', 1))
    assert sorted(_rules(tmp_path, text)) == [
        ("lb-duplicate", "witness line 2 starts twice: also at line 151"),
        ("note-call-none", 'A note with rend="none" (no call printed) must have subtype="call-missing".'),
    ]


def test_attribute_not_allowed_and_value_of_the_wrong_kind(tmp_path):
    text = model_text().replace('<lb n="3"/>', '<lb n="0"/>').replace(
        '<p xml:id="d002-p4">', '<p xml:id="d002-p4" colour="red">')
    ed = make_edition(tmp_path, text)
    code, out = run(ed, "--format", "json")
    found = [(d["line"], d["col"], d["rule"], d["message"], d["hint"]) for d in json.loads(out)["diagnostics"]]
    assert found == [
        (153, 5, "schema-datatype", "<lb n=\"0\">: '0' is not a positive whole number",
         "The line number in the witness file (1-based)."),
        (154, 29, "schema-attribute", "attribute colour is not allowed on <p>",
         "allowed on <p>: rend, xml:id, xml:lang"),
    ]


def test_commands_have_help_with_an_example(root):
    from click.testing import CliRunner

    from tei_edition.cli import cli
    for command, example in (("validate", "edition validate tei/d002.xml --format json"),
                             ("schema", "edition schema --check")):
        result = CliRunner().invoke(cli, [command, "--help"])
        assert result.exit_code == 0 and example in result.output


def test_schema_check_command_reports_a_stale_file(tmp_path, root):
    import shutil

    from click.testing import CliRunner

    from tei_edition.cli import cli
    ed = make_edition(tmp_path)
    (ed / "docs").mkdir()
    for rel in ("tei/schema/edition.compiled.odd", "tei/schema/edition.rng", "tei/schema/edition.sch",
                "docs/encoding-guidelines.md"):
        shutil.copy(root / rel, ed / rel)
    assert CliRunner().invoke(cli, ["--root", str(ed), "schema", "--check"]).exit_code == 0
    odd = ed / "tei" / "schema" / "edition.odd"
    odd.write_text(odd.read_text(encoding="utf-8").replace(
        '<valItem ident="inferred">', '<valItem ident="restored"><desc>x</desc></valItem><valItem ident="inferred">'),
        encoding="utf-8")
    stale = CliRunner().invoke(cli, ["--root", str(ed), "schema", "--check"])
    assert stale.exit_code == 1
    assert "tei/schema/edition.rng: differs from what tei/schema/edition.odd gives" in stale.output
    written = CliRunner().invoke(cli, ["--root", str(ed), "schema"])
    assert written.output.splitlines() == ["wrote tei/schema/edition.compiled.odd", "wrote tei/schema/edition.rng",
                                           "wrote docs/encoding-guidelines.md"]
    assert "  - `restored`: x" in (ed / "docs" / "encoding-guidelines.md").read_text(encoding="utf-8")


def test_an_unchanged_file_is_not_checked_again_and_its_diagnostics_stay(tmp_path):
    from tei_edition import config as config_mod
    root = make_edition(tmp_path, model_text().replace("Викжеля", '<persName ref="#org-vikzhel">Викжеля</persName>', 1))
    cfg = config_mod.load(root)
    first = validate(cfg)
    assert first.from_cache == 0 and first.errors
    again = validate(cfg)
    assert again.from_cache >= 2 and again.diagnostics == first.diagnostics        # d002 and persons.xml
    d002 = root / "tei" / "d002.xml"                  # a word changed, no id moved: d002 alone checked again
    d002.write_text(d002.read_text(encoding="utf-8").replace("компромиссу", "компромиссам", 1), encoding="utf-8")
    edited = validate(cfg)
    assert edited.from_cache == again.from_cache - 1
    assert edited.diagnostics == validate(cfg, cache=False).diagnostics != first.diagnostics   # a column moved
    persons = root / "tei" / "register" / "persons.xml"    # an id of d002 given to an entry: the index changed,
    persons.write_text(PERSONS.replace('xml:id="pers-kamenev"', 'xml:id="d002-p1"'), encoding="utf-8")
    clash = validate(cfg)                                   # so every file is checked again
    assert clash.from_cache == 0
    assert sum(d.rule == "id-duplicate" for d in clash.diagnostics) == 2
    assert validate(cfg, cache=False).diagnostics == clash.diagnostics


def test_the_cache_serves_every_folder_and_the_report_names_files_from_the_current_one(tmp_path, monkeypatch):
    """The cache holds files by their names in the project: validated from its root, then from tei/ and from
    outside it, no file is checked again, and each report names every file (the diagnostic's and those
    inside its message) as the user there knows it. Seen failing when names were relative to the current
    folder: every file checked again (~10 s at 10×)."""
    from tei_edition import config as config_mod
    root = make_edition(tmp_path / "ed", model_text())
    persons = root / "tei" / "register" / "persons.xml"
    persons.write_text(PERSONS.replace('xml:id="pers-kamenev"', 'xml:id="d002-p1"'), encoding="utf-8")
    cfg = config_mod.load(root)
    monkeypatch.chdir(root)
    first = validate(cfg)
    clash = sorted((d.path, d.message) for d in first.diagnostics if d.rule == "id-duplicate")
    assert clash == [("tei/d002.xml", "xml:id 'd002-p1' is not unique in the edition: also at "
                      "tei/register/persons.xml:17"),
                     ("tei/register/persons.xml", "xml:id 'd002-p1' is not unique in the edition: also at "
                      "tei/d002.xml:148")]
    for folder, name in ((root / "tei", lambda rel: rel.removeprefix("tei/")),
                         (tmp_path, lambda rel: f"ed/{rel}"),
                         (tmp_path / "ed" / "docs", lambda rel: str(root / rel))):
        folder.mkdir(exist_ok=True)
        monkeypatch.chdir(folder)
        again = validate(cfg)
        assert again.from_cache == first.files
        assert sorted((d.path, d.message) for d in again.diagnostics if d.rule == "id-duplicate") == [
            (name(path), message.replace(message.split("also at ")[1].split(":")[0],
                                         name(message.split("also at ")[1].split(":")[0])))
            for path, message in clash]
        assert len(again.diagnostics) == len(first.diagnostics)


def test_skipped_schematron_rules_and_remembered_attribute_verdicts_change_nothing(tmp_path, cfg):
    """Rules whose context needs an element the document lacks are skipped, those whose element occurs once
    are evaluated from it, and an attribute's verdict is remembered per (element, name, value): the same
    diagnostics as every rule run over the whole tree, on every file of the edition and on a d002 with
    problems; an attribute error repeated is reported at each place."""
    from lxml import etree

    from tei_edition.corpus import documents
    from tei_edition.schema import load_odd, odd_path
    from tei_edition.validate.locate import Locator
    from tei_edition.validate.schema_check import ProjectSchema
    from tei_edition.validate.schematron import needed_element, run as run_rules

    assert needed_element("tei:note[@place]") == "{http://www.tei-c.org/ns/1.0}note"
    assert needed_element("tei:listEvent/tei:event") == "{http://www.tei-c.org/ns/1.0}listEvent"
    assert needed_element("tei:*[@when]") is None
    assert needed_element("tei:l | tei:lg") is None
    text = (model_text().replace('<lb n="2"/>', '<lb n="2" rend="hyphen"/>')           # a Schematron rule fires
            .replace('<lb n="3"/>', '<lb n="0"/>').replace('<lb n="4"/>', '<lb n="0"/>')   # one bad value, twice
            .replace('<author>Александр Рабинович (Alexander Rabinowitch)</author>', '', 1))   # a rule from TEI
    ed = make_edition(tmp_path, text)
    schema = ProjectSchema.compile(load_odd(odd_path(ed)))
    files = [d.tei_path for d in documents(cfg)] + register_paths(cfg) + apparatus_paths(cfg)
    trees = [(str(p), p.read_text(encoding="utf-8")) for p in files] + [("d002-bad.xml", text)]
    skipped = from_one = 0
    for name, source in trees:
        tree = etree.ElementTree(etree.fromstring(source.encode("utf-8")))
        loc = Locator(tree, source)
        present: dict[str, int] = {}
        for el in tree.iter():
            if isinstance(el.tag, str):
                present[el.tag] = present.get(el.tag, 0) + 1
        skipped += sum(1 for c in schema.checks if c.needs and not present.get(c.needs))
        from_one += sum(1 for c in schema.checks if c.needs and present.get(c.needs) == 1 and c.from_needed is not None)
        assert run_rules(schema.checks, tree, name, loc) == run_rules(schema.checks, tree, name, loc, present), name
    assert skipped and from_one                                                 # both shortcuts were taken
    tree = etree.ElementTree(etree.fromstring(text.encode("utf-8")))
    loc = Locator(tree, text)
    every = run_rules(schema.checks, tree, "d002.xml", loc)
    assert len({d.rule for d in every}) >= 2          # the hyphen rule (lb, whole tree) and the author's (from TEI)
    found = schema.check(tree, "d002.xml", loc)
    assert found == schema.check(tree, "d002.xml", loc)                         # remembered: the same again
    zeros = [d for d in found if "'0'" in d.message]
    assert len(zeros) == 2 and zeros[0].line != zeros[1].line
    assert all(d in found for d in every)
