"""The static DTS 1.0 API (api/dts/): responses checked against JSON Schemas written from the
specification (which first must accept the specification's own examples), the URI templates of the
entry point against the files, and navigation and passages against the TEI."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from tei_edition import TEI_NS
from tei_edition import config as config_mod
from tei_edition.exports import urls
from tei_edition.exports.citations import all_units, citable_units
from tei_edition.xmlsafe import parse_file
from tests.test_exports_fixtures import exported

pytestmark = pytest.mark.slow   # builds the edition or its exports (left out by `make test-fast`)

DATA = Path(__file__).parent / "data" / "dts"
T = "{%s}" % TEI_NS
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
NS = {"t": TEI_NS}
DTS_NS = "https://w3id.org/api/dts#"
DOCS = ["d002", "d000", "d003", "d001", "d004"]
ROOT = Path(__file__).resolve().parents[1]


def iri(doc: str | None = None) -> str:
    """A document's (or the edition's) one IRI, which is also its files' name in api/dts/."""
    return urls.resource_iri(config_mod.load(ROOT), doc)


@pytest.fixture(scope="module")
def api() -> Path:
    return exported()[0] / "api" / "dts"


@pytest.fixture(scope="module")
def validators() -> dict[str, Draft202012Validator]:
    schemas = {p.name: json.loads(p.read_text()) for p in DATA.glob("*.schema.json")}
    registry = Registry().with_resources((name, Resource.from_contents(s)) for name, s in schemas.items())
    return {name.split(".")[0]: Draft202012Validator(s, registry=registry) for name, s in schemas.items()}


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def expand(template: str, **values) -> str:
    """RFC 6570 expansion for the forms the entry point uses: {var}, {/var}, {;var} (values percent-encoded:
    an IRI's colons become %3A)."""
    def one(m: re.Match) -> str:
        op, name = m.group(1), m.group(2)
        if name not in values or values[name] is None:
            return ""
        v = quote(str(values[name]), safe="")
        return {"": v, "/": "/" + v, ";": f";{name}={v}"}[op]
    return re.sub(r"\{([/;]?)(\w+)\}", one, template)


def test_schemas_accept_the_specification_examples(validators):
    kinds = {"entry": "entry", "collection-root": "collection", "collection-child-resource": "collection",
             "navigation-ref": "navigation", "navigation-top": "navigation"}
    for name, kind in kinds.items():
        validators[kind].validate(load(DATA / "examples" / f"{name}.json"))


def test_schemas_reject_what_the_specification_requires(validators):
    nav = load(DATA / "examples" / "navigation-ref.json")
    del nav["ref"]["level"]
    with pytest.raises(ValidationError):
        validators["navigation"].validate(nav)
    res = load(DATA / "examples" / "collection-child-resource.json")
    del res["document"]                      # a Resource must link to the Document endpoint
    with pytest.raises(ValidationError):
        validators["collection"].validate(res)


def test_every_response_validates(api, validators):
    counts = {"entry": 0, "collection": 0, "navigation": 0}
    validators["entry"].validate(load(api / "index.json"))
    counts["entry"] += 1
    for path in [api / "collection.json", *sorted((api / "collection").glob("*.json"))]:
        validators["collection"].validate(load(path))
        counts["collection"] += 1
    for i, path in enumerate(sorted((api / "navigation").rglob("*.json"))):
        nav = load(path)
        members = nav.get("member", [])
        # the schema checks the envelope and the first members of every response of the small documents and
        # of one in ten of d001's 4,000 (all are made by the same code; jsonschema needs ~3 ms a response);
        # every member of every response gets its required fields checked directly
        if "/d001" not in path.as_posix() or i % 10 == 0 or path.parent.name == "navigation":
            validators["navigation"].validate({**nav, "member": members[:5]} if members else nav)
        for m in members:
            assert isinstance(m["identifier"], str) and m["@type"] == "CitableUnit", path
            assert isinstance(m["level"], int) and m["level"] >= 1 and (m["parent"] is None or isinstance(m["parent"], str))
        counts["navigation"] += 1
    files = 0
    for d in DOCS:
        units = all_units(citable_units(parse_file(exported()[0] / f"data/tei/{d}.xml").getroot(), d))
        depth = max(u.level for u in units)
        # from the root: every down to the deepest level and -1; from a unit: alone, 0, 1 to the deepest, -1
        files += depth + 1 + sum(3 + max(1, depth - u.level) for u in units)
    assert counts == {"entry": 1, "collection": 2 + 2 * len(DOCS) + 1, "navigation": files}


def test_entry_templates_lead_to_the_files(api):
    entry = load(api / "index.json")
    base = entry["@id"].removesuffix("index.json")

    def local(url: str) -> Path:            # as a web server maps a request onto a file: the path decoded
        assert url.startswith(base)
        return api / unquote(url.removeprefix(base))

    root = load(local(expand(entry["collection"])))
    assert root["@id"] == iri() and [m["@id"] for m in root["member"]] == [iri(d) for d in DOCS]
    for doc, member in zip(DOCS, root["member"]):
        res = load(local(expand(entry["collection"], id=member["@id"])))       # a client knows the @id only
        assert res["@type"] == "Resource" and res["@id"] == iri(doc) and res["@id"].startswith("urn:uuid:")
        parents = load(local(expand(entry["collection"], id=member["@id"], nav="parents")))
        assert [m["@id"] for m in parents["member"]] == [iri()]
        top = load(local(expand(entry["navigation"], resource=member["@id"], down=1)))
        assert top["resource"]["@id"] == member["@id"]                         # one IRI in every response
        first = top["member"][0]["identifier"]
        assert load(local(expand(entry["navigation"], resource=member["@id"], ref=first)))["ref"]["identifier"] == first
        assert local(expand(entry["document"], resource=member["@id"])).read_bytes() == \
            (exported()[0] / f"data/tei/{doc}.xml").read_bytes()
        assert local(expand(entry["document"], resource=member["@id"], ref=first)).is_file()
        own = load(local(expand(res["navigation"], down=-1)))                   # the resource's own templates
        assert own["resource"]["@id"] == member["@id"]


def test_d002_navigation_exactly(api):
    nav = load(api / f"navigation/{iri('d002')};down=-1.json")
    assert [(m["identifier"], m["level"], m["parent"], m["citeType"]) for m in nav["member"]] == [
        # the editors' introduction, first in the offered document's <front> (#14), then the text
        ("intro", 1, None, "div"), ("intro.intro-text", 2, "intro", "div"),
        ("intro.intro-text_intro-p1", 3, "intro.intro-text", "p"), ("intro.intro-text_intro-p2", 3, "intro.intro-text", "p"),
        ("intro.intro-argument", 2, "intro", "div"), ("intro.intro-argument_intro-p3", 3, "intro.intro-argument", "p"),
        ("intro.intro-argument_intro-p4", 3, "intro.intro-argument", "p"), ("intro.intro-reading", 2, "intro", "div"),
        ("intro.intro-reading_intro-p5", 3, "intro.intro-reading", "p"),
        ("div1", 1, None, "div"), ("div1_p1", 2, "div1", "p"), ("div1_p2", 2, "div1", "p"),
        ("div1_p3", 2, "div1", "p"), ("div1_p4", 2, "div1", "p")]
    assert nav["resource"]["citationTrees"] == [{"@type": "CitationTree", "citeStructure": [
        {"@type": "CiteStructure", "citeType": "div", "citeStructure": [
            {"@type": "CiteStructure", "citeType": "div", "citeStructure": [{"@type": "CiteStructure", "citeType": "p"}]},
            {"@type": "CiteStructure", "citeType": "p"}]}]}]      # (the introduction's sections: div in div)
    alone = load(api / f"navigation/{iri('d002')}/div1_p3.json")
    assert "member" not in alone and alone["ref"]["parent"] == "div1"
    children = load(api / f"navigation/{iri('d002')};down=1/div1.json")
    assert [m["identifier"] for m in children["member"]] == ["div1", "div1_p1", "div1_p2", "div1_p3", "div1_p4"]
    leaf = load(api / f"navigation/{iri('d002')};down=1/div1_p4.json")
    assert [m["identifier"] for m in leaf["member"]] == ["div1_p4"]


def test_d003_units_and_titles(api):
    nav = load(api / f"navigation/{iri('d003')};down=1.json")
    assert [m["identifier"] for m in nav["member"]] == ["intro", "div1", "div2", "div3"]   # (the editors' first)
    assert nav["member"][1]["dublinCore"]["title"][0]["lang"] == "el"
    full = load(api / f"navigation/{iri('d003')};down=-1.json")["member"]
    # the introduction: 5 divisions and 5 paragraphs; the text: 3 divisions and 65 paragraphs
    assert len(full) == 10 + 3 + 65 and sum(m["citeType"] == "p" for m in full) == 5 + 65


def test_navigation_follows_the_tei_for_every_document(api):
    for doc in DOCS:
        root = parse_file(exported()[0] / f"data/tei/{doc}.xml").getroot()
        members = load(api / f"navigation/{iri(doc)};down=-1.json")["member"]
        ids = [m["identifier"] for m in members]
        assert len(ids) == len(set(ids)), doc
        level = {}
        for m in members:
            assert (m["parent"] is None and m["level"] == 1) or level[m["parent"]] == m["level"] - 1
            level[m["identifier"]] = m["level"]
        # every division and every paragraph of a division (or of its block quotation) is citable, in TEI order
        text = root.find(T + "text")
        expected = [e.get(XML_ID) for e in text.iter(T + "div", T + "p")
                    if e.tag == T + "div" or e.getparent().tag == T + "div"
                    or (e.getparent().tag == T + "quote" and e.getparent().getparent().tag == T + "div")]
        assert [m["@id"].rsplit("/", 1)[1].removesuffix(".html") for m in members] == expected, doc


def test_every_passage_holds_its_element(api):
    for doc in DOCS:
        root = parse_file(exported()[0] / f"data/tei/{doc}.xml").getroot()
        by_id = {e.get(XML_ID): e for e in root.iter() if isinstance(e.tag, str) and e.get(XML_ID)}
        for unit in all_units(citable_units(root, doc)):
            passage = parse_file(api / f"document/{iri(doc)}/{unit.ref}.xml").getroot()
            assert passage.tag == T + "TEI" and passage[0].tag == T + "teiHeader"
            wrapper = passage[1]
            assert wrapper.tag == f"{{{DTS_NS}}}wrapper" and wrapper.get("ref") == unit.ref
            assert len(wrapper) == 1 and wrapper[0].get(XML_ID) == unit.xml_id
            assert "".join(wrapper[0].itertext()) == "".join(by_id[unit.xml_id].itertext())


def test_collection_dublin_core_comes_from_the_headers(api, cfg):
    root = load(api / "collection.json")
    assert root["title"] == cfg.title and root["totalChildren"] == 5
    d003 = load(api / f"collection/{iri('d003')}.json")
    titles = {t["lang"]: t["value"] for t in d003["dublinCore"]["title"]}
    assert titles["en"].startswith("‘The dictatorship of the democracy’?")
    assert d003["dublinCore"]["creator"] == [{"lang": "en", "value": "Lara Douds"}]   # the header's language
    assert "el" in d003["dublinCore"]["language"] and "license" not in d003["dublinCore"]   # the source's rights
    assert d003["dublinCore"]["rights"][0]["value"].startswith("Source text: Lara Douds's article")
    assert d003["mediaTypes"] == ["application/tei+xml"]
    d000 = load(api / f"collection/{iri('d000')}.json")
    assert "creator" not in d000["dublinCore"]            # the author is unknown: no invented creator


def test_a_passages_key_changes_with_its_unit_and_the_units_above_it_and_the_tree_stays_as_it_was():
    """dts.passage_keys hashes each unit's bytes once, the units below it standing in as their keys: a word
    changed in a paragraph changes the keys of that paragraph and of the divisions holding it, not of the
    others; text between two paragraphs (a child unit's tail) is its division's; the tree is left as it was."""
    from lxml import etree
    from tei_edition.exports.dts import passage_keys
    root = parse_file(ROOT / "tei" / "d004.xml").getroot()
    top = citable_units(root, "d004")
    units = all_units(top)
    before = etree.tostring(root)
    keys = passage_keys("context", top)
    assert etree.tostring(root) == before and len(set(keys.values())) == len(units) > 20
    assert passage_keys("context", top) == keys and passage_keys("another", top) != keys

    def ancestors(unit) -> set[str]:
        by_ref = {u.ref: u for u in units}
        found = set()
        while unit.parent is not None:
            unit = by_ref[unit.parent]
            found.add(unit.ref)
        return found
    leaf = next(u for u in reversed(units) if not u.children and u.parent is not None)
    leaf.element.text = (leaf.element.text or "") + " ИЗМЕНЕНО"
    new = passage_keys("context", top)
    changed = {u.ref for u in units if keys[id(u)] != new[id(u)]}
    assert changed == {leaf.ref} | ancestors(leaf), changed
    keys = passage_keys("context", top)
    leaf.element.tail = (leaf.element.tail or "") + " между"
    new = passage_keys("context", top)
    changed = {u.ref for u in units if keys[id(u)] != new[id(u)]}
    assert changed == ancestors(leaf), changed


def test_passage_keys_leave_the_tree_as_it_was_when_a_unit_declares_a_namespace_again():
    """The placeholders go into a copy: a child unit that declares again a prefix its document declares (or
    uses a second prefix of the same namespace) keeps its declarations in the tree the passages are made from,
    so a passage made after the keys is the one made without them, and the keys come out the same twice."""
    from lxml import etree
    from tei_edition.exports import dts
    from tei_edition.exports.citations import CitableUnit
    for source in (b'<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:x="urn:x"><text><body><div n="1">'
                   b'<div n="2" xmlns:x="urn:x"><p x:a="1"/></div></div></body></text></TEI>',
                   b'<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:x="urn:x" xmlns:y="urn:x"><text><body>'
                   b'<div n="1"><div n="2"><p y:a="1"/></div>between</div></body></text></TEI>'):
        def made(with_keys: bool, source: bytes = source):
            root = etree.fromstring(source)
            outer, inner = root.iter("{http://www.tei-c.org/ns/1.0}div")
            top = [CitableUnit("1", 1, None, "div", outer, [CitableUnit("1.2", 2, "1", "div", inner, [])])]
            before = etree.tostring(root)
            keys = [dts.passage_keys("c", top), dts.passage_keys("c", top)] if with_keys else []
            assert etree.tostring(root) == before
            assert not keys or list(keys[0].values()) == list(keys[1].values())
            document = dts.DtsDocument("d", None, None, top)
            return [dts.passage(document, top[0]), dts.passage(document, top[0].children[0])]
        assert made(True) == made(False)
