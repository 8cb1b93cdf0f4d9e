"""The ODD as the TEI's own tools see it: the TEI Stylesheets (vendored) compile it into RELAX NG and
Schematron that every document of the edition satisfies; the ODD follows the TEI's rules for ODD files
(tei_odds: its grammar and its Schematron); and the project's own schemas (the committed edition.rng and
edition.sch, and the validator that `edition validate` runs) accept and refuse what the TEI's accept and
refuse."""

from __future__ import annotations

import shutil
from types import SimpleNamespace

import pytest
from lxml import etree, isoschematron

from tei_edition import TEI_NS
from tei_edition.corpus import documents as corpus_documents
from tei_edition.corpus import register_paths
from tei_edition.exports.tei_corpus import build_corpus, document_export, read_tei, serialize
from tei_edition.schema import artefact_paths, compile_source, load_odd, odd_path
from tei_edition.schema.tei_processor import extract_schematron, odd2odd, odd2relax
from tei_edition.validate import edition_files
from tei_edition.validate.locate import Locator
from tei_edition.validate.schema_check import ProjectSchema
from tests.tei_tools import Schematron, jing, tei_odds_odd
from tests.validate_helpers import PERSONS, model_text

pytestmark = pytest.mark.skipif(shutil.which("jing") is None, reason="jing is installed by `make setup`")
RNG = "{http://relaxng.org/ns/structure/1.0}"


@pytest.fixture(scope="module")
def odd(root):
    return load_odd(odd_path(root))


@pytest.fixture(scope="module")
def tei(tmp_path_factory, root):
    """What the TEI Stylesheets make of edition.odd: the compiled ODD, RELAX NG and Schematron."""
    tmp = tmp_path_factory.mktemp("tei-schema")
    compiled = compile_source(odd_path(root).read_bytes())
    rng = tmp / "edition-tei.rng"
    rng.write_bytes(odd2relax(compiled))
    return SimpleNamespace(compiled=compiled, rng=rng, sch=Schematron(extract_schematron(compiled)))


@pytest.fixture(scope="module")
def documents(tmp_path_factory, cfg):
    """Every TEI file of the edition (documents, register, editors' apparatus), and the whole edition as one
    teiCorpus (the export that carries tei/corpus-header.xml, which is a header fragment, not a document)."""
    files, _ = edition_files(cfg)
    docs = [d.tei_path for d in corpus_documents(cfg) if d.tei_path.is_file()]
    register = register_paths(cfg)
    corpus = tmp_path_factory.mktemp("corpus") / "corpus.xml"
    corpus.write_bytes(serialize(build_corpus(cfg, [document_export(p) for p in docs],
                                              [read_tei(p) for p in register])))
    assert len(docs) >= 5 and len(register) >= 3 and set(docs + register) <= set(files)
    return [*files, corpus]


def test_the_tei_processor_compiles_the_odd_into_a_schema_of_the_editions_elements(tei, odd):
    grammar = etree.parse(str(tei.rng)).getroot()
    names = {el.get("name") for el in grammar.iter(RNG + "element") if el.get("name")}
    assert names == set(odd.elements) and len(names) > 90
    start = [r.get("name") for r in grammar.find(RNG + "start").iter(RNG + "ref")]
    assert sorted(start) == ["TEI", "teiCorpus"]


def test_every_document_is_valid_against_the_tei_processors_schema(tei, documents):
    assert {str(p): errors for p, errors in jing(tei.rng, documents).items() if errors} == {}
    findings = {str(p): tei.sch.run(p) for p in documents}
    assert {p: f for p, f in findings.items() if f} == {}


def test_the_odd_follows_the_teis_rules_for_odd_files(tmp_path, root):
    """tei_odds (the TEI's schema for ODD documents), grammar and Schematron, reports nothing on
    edition.odd, and does report a content model the TEI forbids (an alternate of one)."""
    compiled = odd2odd(tei_odds_odd(), "tei_odds.odd")
    rng = tmp_path / "tei_odds.rng"
    rng.write_bytes(odd2relax(compiled, "tei_odds.odd"))
    sch = Schematron(extract_schematron(compiled, "tei_odds.odd"))
    broken = tmp_path / "broken.odd"
    broken.write_text(odd_path(root).read_text(encoding="utf-8").replace(
        '<alternate minOccurs="0" maxOccurs="unbounded"><elementRef key="item"/><macroRef key="edition.global"/>'
        '</alternate>', '<alternate minOccurs="0" maxOccurs="unbounded"><macroRef key="edition.global"/></alternate>'),
        encoding="utf-8")
    assert jing(rng, [odd_path(root), broken]) == {odd_path(root): [], broken: []}
    assert sch.run(odd_path(root)) == []
    assert [f.text for f in sch.run(broken)] == ["The alternate element must have at least two child elements"]


# Small documents: the model document (a frozen d002) with one change each. Both the TEI's schema and the
# project's must refuse each one; `what` says which of the edition's conventions it breaks.
AUTHOR = "<author>Rabinowitch, Alexander</author>"
INVALID = {
    "unknown element": ("<revisionDesc>", "<revisionDesc><foo/>"),
    "element out of place": ("<revisionDesc>", "<revisionDesc><p>x</p>"),
    "required attribute missing": ('<text xml:lang="ru">', "<text>"),
    "value outside a closed list": ('type="chapter"', 'type="chap"'),
    "language the edition does not declare": ('<language ident="ru">', '<language ident="xx">'),
    "wrong datatype": ('<lb n="3"/>', '<lb n="three"/>'),
    "attribute TEI has, deleted in the ODD (att.global/@n)": (AUTHOR, '<author n="1">Rabinowitch, Alexander</author>'),
    "attribute deleted from a class (att.canonical/@key)": (AUTHOR, '<author key="r">Rabinowitch, Alexander</author>'),
    "attribute deleted on one element (persName/@resp)": (AUTHOR, '<author><persName resp="#ed">R.</persName></author>'),
    "certainty outside the closed list": (AUTHOR, '<author><persName cert="0.5">R.</persName></author>'),
    "date TEI allows, the edition does not (gMonthDay)": ('<date when="1976">', '<date when="--11-07">'),
    "the edition's Schematron (lb-hyphen)": ('<lb n="3"/>', '<lb n="3" rend="hyphen"/>'),
    "the edition's Schematron (note-editorial)": ('<note type="editorial" resp="#ed">', '<note type="editorial">'),
    "TEI's Schematron (subtypeTyped)": (AUTHOR, '<author><orgName subtype="bare">R.</orgName></author>'),
    "TEI's Schematron (calendar on an empty element)": ('<date when="1976">1976</date>',
                                                        '<date when="1976" calendar="#d002-julian"/>'),
    "a pattern facet (teidata.word: one word)": ('<person xml:id="pers-lenin">',
                                                 '<person xml:id="pers-lenin" sortKey="lenin vladimir">'),
}
VALID = {
    "model document": ("", ""),
    "register file": ('<person xml:id="pers-lenin">', '<person xml:id="pers-lenin" sortKey="lenin-vladimir">'),
    "a register name in a header": (AUTHOR, '<author><persName ref="#pers-lenin" cert="high">R.</persName></author>'),
}
WARNING = {   # TEI's nonfatal rules: a warning in both
    "att-datable-w3c-when": ('<date when="1976">', '<date when="1976" notBefore="1975">'),
}


def _write(tmp_path, kind: str, cases: dict) -> dict:
    paths = {}
    for i, (what, (old, new)) in enumerate(cases.items()):
        text = PERSONS if old.startswith("<person") else model_text()
        assert old in text, what
        path = tmp_path / f"{kind}-{i}.xml"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        paths[what] = path
    return paths


def _project(schema: ProjectSchema, path) -> list:
    text = path.read_text(encoding="utf-8")
    tree = etree.ElementTree(etree.fromstring(text.encode("utf-8")))
    return schema.check(tree, str(path), Locator(tree, text))


def test_the_projects_schemas_accept_and_refuse_what_the_teis_do(tmp_path, tei, odd, root):
    """The edition's own documents are accepted by both: by the TEI's schema above, by the project's in
    test_validate.py::test_the_whole_edition_is_clean. Here: small documents, each refused by all or none."""
    schema = ProjectSchema.compile(odd)
    rng, sch = artefact_paths(root)["rng"], artefact_paths(root)["sch"]
    iso = isoschematron.Schematron(etree.parse(str(sch)))
    invalid = _write(tmp_path, "invalid", INVALID)
    valid, warning = _write(tmp_path, "valid", VALID), _write(tmp_path, "warning", WARNING)
    files = [*invalid.values(), *valid.values(), *warning.values()]
    tei_grammar, own_grammar = jing(tei.rng, files), jing(rng, files)

    def verdicts(path) -> dict[str, bool]:
        tei_findings = tei.sch.run(path)
        return {"tei": bool(tei_grammar[path]) or any(f.role not in ("nonfatal", "warning") for f in tei_findings),
                "edition.rng + edition.sch": bool(own_grammar[path]) or not iso.validate(etree.parse(str(path))),
                "edition validate": any(d.severity == "error" for d in _project(schema, path))}

    refused = {what: verdicts(path) for what, path in invalid.items()}
    assert {what: v for what, v in refused.items() if not all(v.values())} == {}
    accepted = {what: verdicts(path) for what, path in {**valid, **warning}.items()}
    assert {what: v for what, v in accepted.items() if any(v.values())} == {}
    for rule, path in warning.items():
        ours = [(d.severity, d.rule) for d in _project(schema, path)]
        theirs = [(f.role, f.pattern.rsplit("-", 1)[0].endswith(rule)) for f in tei.sch.run(path)]
        assert ours == [("warning", rule)] and theirs == [("nonfatal", True)]


def test_the_projects_schematron_holds_every_constraint_of_the_teis(tei, odd, root):
    """The same rules, by name: the edition's and the TEI's own for the elements and classes in use."""
    sch = etree.parse(str(artefact_paths(root)["sch"]))
    ours = {p.get("id") for p in sch.iter("{http://purl.oclc.org/dsdl/schematron}pattern")}
    theirs = {p.get("id") for p in etree.fromstring(extract_schematron(tei.compiled)).iter(
        "{http://purl.oclc.org/dsdl/schematron}pattern")}
    assert len(ours) == len(odd.constraints()) >= 25
    assert {t for t in theirs if not any(t.rsplit("-", 1)[0].endswith("-" + o) for o in ours)} == set()
    assert {o for o in ours if not any(t.rsplit("-", 1)[0].endswith("-" + o) for t in theirs)} == set()


def test_validate_reads_the_committed_compiled_odd_only_when_it_is_current(tmp_path, root):
    """A committed compiled ODD that does not record this ODD's checksum is ignored, not trusted."""
    (tmp_path / "tei" / "schema").mkdir(parents=True)
    odd = tmp_path / "tei" / "schema" / "edition.odd"
    odd.write_text(odd_path(root).read_text(encoding="utf-8").replace(
        '<valItem ident="inferred">', '<valItem ident="restored"><desc>x</desc></valItem><valItem ident="inferred">'),
        encoding="utf-8")
    shutil.copy(artefact_paths(root)["compiled"], odd.with_name("edition.compiled.odd"))   # stale
    assert [v for v, _ in load_odd(odd).attributes("pb")["type"].values] == ["restored", "inferred"]
    assert [v for v, _ in load_odd(odd_path(root)).attributes("pb")["type"].values] == ["inferred"]
    committed = artefact_paths(root)["compiled"].read_bytes()
    assert b"Compiled from edition.odd (sha256 " in committed[:300] and TEI_NS.encode() in committed
