"""TEI conformance: every file of the edition, the ODD itself and every example of the guidelines are
valid against the official tei_all.rng (TEI P5 4.3.0), checked with jing in one run."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from lxml import etree

from tei_edition.schema import load_odd, odd_path
from tei_edition.validate import edition_files
from tei_edition.validate.tei_all import check
from tests.validate_helpers import example_fragments

RNG_NS = "http://relaxng.org/ns/structure/1.0"

pytestmark = pytest.mark.skipif(shutil.which("jing") is None, reason="jing is installed by `make setup`")


def test_edition_files_and_odd_are_valid_tei(cfg, root):
    files, _ = edition_files(cfg)
    assert len(files) >= 5
    shown = {p.resolve(): str(p.relative_to(root)) for p in [*files, odd_path(root)]}
    assert [d.format() for d in check(cfg.tei_all_rng, shown)] == []


def test_guideline_examples_are_valid_tei(cfg, root, tmp_path):
    """Each example is a fragment: validate it against tei_all with its element as the start."""
    fragments = example_fragments(load_odd(odd_path(root)))
    starts = sorted({etree.QName(f).localname for f in fragments})
    wrapper = tmp_path / "tei_fragment.rng"
    wrapper.write_text(
        f'<grammar xmlns="{RNG_NS}"><include href="{cfg.tei_all_rng.resolve()}"><start><choice>'
        + "".join(f'<ref name="{s}"/>' for s in starts) + "</choice></start></include></grammar>")
    paths = []
    for i, fragment in enumerate(fragments):
        path = tmp_path / f"example{i}.xml"
        path.write_bytes(etree.tostring(fragment, encoding="UTF-8", xml_declaration=True))
        paths.append(str(path))
    run = subprocess.run(["jing", str(wrapper), *paths], capture_output=True, text=True, timeout=120)
    assert run.stdout == "" and run.returncode == 0


def test_a_non_conformant_file_is_reported_with_jings_position(cfg, tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text((cfg.root / "tei" / "d002.xml").read_text(encoding="utf-8").replace(
        '<lb n="3"/>', '<lb n="3" colour="red"/>'), encoding="utf-8")
    diags = check(cfg.tei_all_rng, {bad: "bad.xml"})
    assert [(d.path, d.line, d.rule) for d in diags] == [("bad.xml", 133, "tei-all")]
    assert diags[0].message.startswith('tei_all: attribute "colour" not allowed here')


def test_validate_command_with_tei_all(root):
    from tests.validate_helpers import run
    code, out = run(root, "d002", "--tei-all")
    assert code == 0 and out.startswith("1 file(s) checked: 0 error(s), 0 warning(s)")


def test_every_attribute_and_value_the_schema_allows_is_allowed_by_tei_all(cfg, root, tmp_path):
    """A strict subset: each element is written with every attribute the ODD allows (each closed value in
    turn), and once with only its required attributes; jing against tei_all must raise no complaint about
    an attribute (complaints about the elements' empty content are expected and ignored)."""
    from tei_edition.validate.schema_check import _sample
    odd = load_odd(odd_path(root))
    paths = []
    for name in odd.elements:
        atts = odd.attributes(name)
        rounds = max([len(a.values) for a in atts.values() if a.values] or [1])
        variants = [{a.name: (a.values[i % len(a.values)][0] if a.values else _sample(a)) for a in atts.values()}
                    for i in range(rounds)]
        variants.append({a.name: _sample(a) for a in atts.values() if a.required})
        for i, variant in enumerate(variants):
            attrs = " ".join(f'{k}="{v}"' for k, v in variant.items())
            path = tmp_path / f"{name}-{i}.xml"
            path.write_text(f'<{name} xmlns="http://www.tei-c.org/ns/1.0" {attrs}/>', encoding="utf-8")
            paths.append(str(path))
    wrapper = tmp_path / "any_element.rng"
    wrapper.write_text(
        f'<grammar xmlns="{RNG_NS}"><include href="{cfg.tei_all_rng.resolve()}"><start><choice>'
        + "".join(f'<ref name="{n}"/>' for n in odd.elements) + "</choice></start></include></grammar>")
    run = subprocess.run(["jing", str(wrapper), *paths], capture_output=True, text=True, timeout=300)
    complaints = [line for line in run.stdout.splitlines() if "attribute" in line.split(": error: ")[-1]]
    assert len(paths) > 150
    assert complaints == []


def test_every_child_the_schema_allows_is_allowed_there_by_tei_all(cfg, root, tmp_path):
    """A strict subset for content: each element holding each child its content model allows; jing against
    tei_all must not say the child is "not allowed here" (missing required content is ignored)."""
    from tei_edition.validate.schema_check import _sample
    odd = load_odd(odd_path(root))

    def required(name: str) -> str:
        return " ".join(f'{a.name}="{_sample(a)}"' for a in odd.attributes(name).values() if a.required)
    paths = []
    for name in odd.elements:
        for child in sorted(odd.children(name)):
            path = tmp_path / f"{name}--{child}.xml"
            path.write_text(f'<{name} xmlns="http://www.tei-c.org/ns/1.0" {required(name)}>'
                            f'<{child} {required(child)}/></{name}>', encoding="utf-8")
            paths.append(str(path))
    wrapper = tmp_path / "any_element.rng"
    wrapper.write_text(
        f'<grammar xmlns="{RNG_NS}"><include href="{cfg.tei_all_rng.resolve()}"><start><choice>'
        + "".join(f'<ref name="{n}"/>' for n in odd.elements) + "</choice></start></include></grammar>")
    run = subprocess.run(["jing", str(wrapper), *paths], capture_output=True, text=True, timeout=300)
    refused = [line for line in run.stdout.splitlines()
               if "not allowed here" in line.split(": error: ")[-1] or "not allowed anywhere" in line]
    assert len(paths) > 1000
    assert refused == []
