"""The register: well-formed, complete for the key people, one entry per person in every language."""

from __future__ import annotations

import re

import pytest

from tei_edition import TEI_NS, XML_NS
from tei_edition.annotate import register as register_mod
from tei_edition.corpus import register_paths
from tei_edition.diagnostics import EditionError
from tei_edition.xmlsafe import parse_file

T = "{%s}" % TEI_NS
XID = "{%s}id" % XML_NS


@pytest.fixture(scope="module")
def reg(cfg):
    return register_mod.load(register_paths(cfg))


def test_three_register_files(cfg):
    assert [p.name for p in register_paths(cfg)] == ["persons.xml", "organisations.xml", "places.xml"]


def test_ids_follow_the_convention(reg):
    prefixes = {"person": "pers-", "org": "org-", "place": "place-"}
    for entry in reg.entries.values():
        assert entry.id.startswith(prefixes[entry.kind]) and re.fullmatch(r"[a-z]+-[a-z0-9-]+", entry.id), entry.id


def test_every_entry_is_identified(cfg):
    for path in register_paths(cfg):
        root = parse_file(path).getroot()
        for el in root.iter(T + "person", T + "org", T + "place"):
            notes = [n for n in el.findall(T + "note") if n.get("type") == "identification"]
            if el.tag != T + "place":
                assert notes and notes[0].text.strip(), el.get(XID)
            if el.tag != T + "person":
                assert el.get("type"), el.get(XID)


def test_one_person_in_every_language(reg):
    steinberg = reg.entries["pers-steinberg"]
    forms = {f.text for f in steinberg.forms}
    assert {"Штейнберг", "Στάινμπεργκ", "Steinberg", "Shteinberg"} <= forms
    assert {"Σόβναρκομ", "Совнарком", "СНК", "Sovnarkom"} <= {f.text for f in reg.entries["org-sovnarkom"].forms}
    assert {"ВЦИК", "Κ.Ε.Ε."} <= {f.text for f in reg.entries["org-vtsik"].forms}


@pytest.mark.parametrize("pid", ["lenin", "trotsky", "stalin", "kamenev", "zinoviev", "steinberg", "spiridonova",
                                 "kollontai", "myasnikov", "shliapnikov", "bukharin", "karelin", "kolegaev",
                                 "proshian", "natanson", "rykov", "nogin", "miliutin", "sapronov", "smirnov-vm"])
def test_key_people_are_in_the_register(reg, pid):
    assert f"pers-{pid}" in reg.entries


def test_pointers_inside_the_register_resolve(cfg):
    ids, refs = set(), []
    for path in register_paths(cfg):
        root = parse_file(path).getroot()
        ids |= {el.get(XID) for el in root.iter() if el.get(XID)}
        refs += [(path.name, el.get(a)) for el in root.iter() for a in ("ref", "source") if el.get(a)]
    missing = [(f, r) for f, r in refs if r.startswith("#") and r[1:] not in ids]
    assert not missing


def test_life_dates_name_their_source(cfg):
    root = parse_file(cfg.tei_dir / "register" / "persons.xml").getroot()
    dated = [p for p in root.iter(T + "person") if p.find(T + "birth") is not None or p.find(T + "death") is not None]
    assert len(dated) >= 15
    for person in dated:
        refs = [r.get("target") for b in person.findall(T + "bibl") for r in b.findall(T + "ref")]
        assert refs and all(r.startswith(("https://", "http://")) for r in refs), person.get(XID)
        for el in person.findall(T + "birth") + person.findall(T + "death"):
            assert re.fullmatch(r"\d{4}(-\d\d-\d\d)?", el.get("when")), person.get(XID)
    steinberg = root.find(f".//{T}person[@{XID}='pers-steinberg']")
    assert steinberg.find(T + "death").get("when") == "1957-01-02"


def test_missing_register_is_a_clear_error():
    with pytest.raises(EditionError, match="no register files"):
        register_mod.load([])
