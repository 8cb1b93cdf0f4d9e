"""The schema: one ODD, compiled artefacts that cannot drift from it, and rules that really bite."""

from __future__ import annotations

import pytest
from lxml import etree, isoschematron

from tei_edition.schema import artefact_paths, compile_all, load_odd, odd_path
from tei_edition.schema.to_rng import build_rng_for
from tei_edition.validate.locate import Locator
from tei_edition.validate.schematron import compile_checks, run as run_checks
from tests.validate_helpers import as_tei, model_text


@pytest.fixture(scope="module")
def odd(root):
    return load_odd(odd_path(root))


def test_committed_schema_files_are_exactly_what_the_odd_gives(odd, root):
    built = compile_all(odd)
    paths = artefact_paths(root)
    assert paths["compiled"].read_bytes() == built.compiled, "run `edition schema` and commit"
    assert paths["rng"].read_bytes() == built.rng, "run `edition schema` and commit"
    assert paths["sch"].read_bytes() == built.sch, "run `edition schema` and commit"
    assert paths["guidelines"].read_text(encoding="utf-8") == built.guidelines, "run `edition schema` and commit"


def test_guidelines_document_every_element_value_and_rule(odd):
    guide = compile_all(odd).guidelines
    for name, spec in odd.elements.items():
        section = guide.split(f"### `<{name}>`\n", 1)[1].split("\n### ", 1)[0]
        for att in odd.attributes(name).values():
            for value, _ in att.values or ():
                assert f"  - `{value}`: " in section, (name, att.name, value)
        for c in spec.constraints:
            assert f"- Rule `{c.ident}`: " in section, (name, c.ident)
    assert len(odd.elements) == guide.count("\n### `<") == 114   # 110 (the apparatus: bibliography, abbreviations, events), teiCorpus, figure, figDesc, editionStmt (the release)


def test_closed_lists_as_the_project_uses_them(odd):
    values = {(el, att): [v for v, _ in a.values] for el in odd.elements
              for att, a in odd.attributes(el).items() if a.values}
    assert values[("note", "type")] == ["authorial", "translator", "source-editor", "editorial", "identification",
                                        "correction", "roles", "dates", "parent", "location", "record", "not-known", "involved"]
    assert values[("note", "subtype")] == ["text-missing", "call-missing"]
    assert values[("note", "place")] == ["foot", "end", "margin", "inline"]
    assert values[("hi", "rend")] == ["spaced", "italic", "bold", "sup"]
    assert values[("lb", "break")] == ["no"] and values[("lb", "rend")] == ["hyphen"]
    assert values[("pb", "type")] == ["inferred"]
    assert values[("rs", "type")] == ["person", "org", "place"]
    assert odd.attributes("TEI")["xml:lang"].required and odd.attributes("text")["xml:lang"].required


def test_the_languages_of_the_schema_are_those_the_importer_names(odd):
    """langUsage may declare only the edition's languages; the importer writes their names from its own
    table, and the two lists must not drift."""
    from tei_edition.importer.languages import LANGUAGES
    assert dict(odd.attributes("language")["ident"].values) == {code: lang.name for code, lang in LANGUAGES.items()}


def test_the_compiled_grammar_itself_rejects_what_the_lists_exclude(root):
    rng = etree.RelaxNG(etree.parse(str(artefact_paths(root)["rng"])))
    good = etree.fromstring(model_text().encode())
    assert rng.validate(etree.ElementTree(good))
    for old, new in [('type="chapter"', 'type="chap"'), ('<lb n="3"/>', '<lb n="three"/>'),
                     ('<text xml:lang="ru">', "<text>"), ("<revisionDesc>", "<revisionDesc><foo/>"),
                     ('<language ident="ru">', '<language ident="xx">')]:
        bad = etree.fromstring(model_text().replace(old, new).encode())
        assert not rng.validate(etree.ElementTree(bad)), new


def test_every_example_is_valid_against_the_project_grammar(odd):
    examples = [(name, eg) for name, spec in odd.elements.items() for eg in spec.examples]
    assert len(examples) == 12   # with the figure (003's photograph caption)
    for name, eg in examples:
        fragment = as_tei(eg)
        rng = etree.RelaxNG(build_rng_for(odd, etree.QName(fragment).localname))
        assert rng.validate(etree.ElementTree(fragment)), (name, str(rng.error_log))


def test_xpath_schematron_finds_what_iso_schematron_finds(odd, root):
    """The fast evaluator and lxml's ISO Schematron (on the committed edition.sch) agree on a broken file."""
    text = (model_text().replace('<lb n="2"/>', '<lb n="2" rend="hyphen"/>')
            .replace('xml:id="d002-p3"', 'xml:id="p3"').replace('<gap reason="missing-in-source"/>', "", 1)
            .replace('n="15" ', "", 1).replace('<note type="editorial" resp="#ed">', '<note type="editorial">', 1)
            .replace("<hyphenation", "<hyphenationX").replace("</hyphenation>", "</hyphenationX>"))
    tree = etree.ElementTree(etree.fromstring(text.encode()))
    ours = {(d.rule, d.line) for d in run_checks(compile_checks(odd), tree, "x", Locator(tree, text))}
    iso = isoschematron.Schematron(etree.parse(str(artefact_paths(root)["sch"])), store_report=True)
    assert not iso.validate(tree)
    theirs, pattern = set(), None
    for node in iso.validation_report.iter():
        if not isinstance(node.tag, str):
            continue
        if node.tag.endswith("active-pattern"):
            pattern = node.get("id")
        elif node.tag.endswith("failed-assert"):
            theirs.add((pattern, tree.xpath(node.get("location"))[0].sourceline))
    assert ours == theirs
    assert {rule for rule, _ in ours} == {"lb-hyphen", "id-prefix", "note-text-missing", "note-called",
                                          "note-editorial", "editorial-declarations"}


def test_odd_refuses_what_its_compiler_does_not_understand(tmp_path, root):
    from tei_edition.diagnostics import EditionError
    text = odd_path(root).read_text(encoding="utf-8")
    broken = tmp_path / "edition.odd"
    broken.write_text(text.replace('<elementRef key="lb"/>', '<elementRef key="lbb"/>', 1), encoding="utf-8")
    with pytest.raises(EditionError, match=r"edition.odd:\d+: elementRef lbb: reference to an element the schema does not include"):
        load_odd(broken)
    broken.write_text(text.replace('<valList type="closed">', '<valList type="open">', 1), encoding="utf-8")
    with pytest.raises(EditionError, match=r"edition.odd:\d+: elementSpec p/@rend: an attribute needs a closed "
                                           "valList or a datatype"):
        load_odd(broken)


def test_every_element_of_the_schema_is_a_tei_element(odd, cfg):
    tei_all = cfg.tei_all_rng.read_text(encoding="utf-8")
    for name in odd.elements:
        assert f'<element name="{name}">' in tei_all, name


def test_every_rule_the_validator_can_report_is_documented(odd, root):
    """Rule ids in the validator's code (string constants in Diagnostic calls and in (rule, message, hint)
    tuples) are exactly those the ODD's rules list documents, plus its Schematron constraints."""
    import ast
    used: set[str] = set()
    for path in [*sorted((root / "tei_edition" / "validate").glob("*.py")), root / "tei_edition" / "xmlsafe.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("Diagnostic", "_problem"):
                starred = [i for i, a in enumerate(node.args) if isinstance(a, ast.Starred)]
                at = starred[0] + 3 if starred else (5 if node.func.id == "Diagnostic" else 4)
                args = node.args[at:at + 1]   # the rule: after path, line, col (or *position), severity, message
                used |= {a.value for a in args if isinstance(a, ast.Constant)}
            if (isinstance(node, ast.Tuple) and len(node.elts) == 3 and isinstance(node.elts[0], ast.Constant)
                    and not isinstance(node.elts[1], ast.Constant)):    # (rule, message, hint)
                used.add(node.elts[0].value)
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    documented = set(odd.tree.xpath("//t:div[@xml:id='rules']/t:list/t:label/text()", namespaces=ns))
    assert used == documented
    guide = compile_all(odd).guidelines
    assert all(f"- `{rule}`: " in guide for rule in documented)
