"""TEI conformance against the official tei_all.rng (TEI P5 4.3.0), checked with jing: every file of the
edition and the ODD itself; every example of the guidelines; and the schema as a strict subset of TEI
(every attribute, closed value and parent/child pair it allows is allowed by tei_all). One JVM per run."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from tei_edition.schema import load_odd, odd_path
from tei_edition.validate import edition_files
from tei_edition.validate.schema_check import _sample
from tei_edition.validate.tei_all import check
from tests.validate_helpers import example_fragments, make_edition, model_text, run

RNG_NS = "http://relaxng.org/ns/structure/1.0"
TEI = "http://www.tei-c.org/ns/1.0"

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("jing") is None, reason="jing is installed by `make setup`")]


def test_edition_files_and_odd_are_valid_tei(cfg, root):
    files, _ = edition_files(cfg)
    assert len(files) >= 5
    shown = {p.resolve(): str(p.relative_to(root)) for p in [*files, odd_path(root)]}
    assert [d.format() for d in check(cfg.tei_all_rng, shown)] == []


def test_validate_tei_all_reports_jings_position(tmp_path, cfg):
    ed = make_edition(tmp_path)
    code, out = run(ed, "--tei-all", "--format", "json", "d002")
    assert code == 1
    assert [(d["rule"], d["message"], d["hint"]) for d in json.loads(out)["diagnostics"]] == [
        ("tei-all", "the official tei_all.rng is missing",
         "run `make setup`: it fetches TEI P5 4.3.0's tei_all.rng into .cache/tei/")]
    (ed / ".cache" / "tei").mkdir(parents=True)
    (ed / ".cache" / "tei" / "tei_all.rng").symlink_to(cfg.tei_all_rng.resolve())
    bad = tmp_path / "bad.xml"
    bad.write_text(model_text().replace('<lb n="3"/>', '<lb n="3" colour="red"/>'), encoding="utf-8")
    code, out = run(ed, "--tei-all", "--format", "json", "d002", str(bad))
    tei_all = [d for d in json.loads(out)["diagnostics"] if d["rule"] == "tei-all"]
    assert code == 1
    assert [(d["path"], d["line"], d["col"]) for d in tei_all] == [(str(bad), 153, 25)]   # jing points after the start tag
    assert tei_all[0]["message"].startswith('tei_all: attribute "colour" not allowed here')


@pytest.fixture(scope="module")
def fragments(tmp_path_factory, cfg, root) -> dict[str, list[str]]:
    """Fragments of three kinds, validated in one jing run against tei_all with any element as start:
    examples of the guidelines; each element with every attribute (each closed value in turn) and with only
    its required ones; each element holding each child its content model allows. → kind: jing messages."""
    odd = load_odd(odd_path(root))
    tmp = tmp_path_factory.mktemp("fragments")

    def required(name: str) -> str:
        return " ".join(f'{a.name}="{_sample(a)}"' for a in odd.attributes(name).values() if a.required)
    texts: dict[str, list[str]] = {"example": [], "attribute": [], "child": []}
    for fragment in example_fragments(odd):
        texts["example"].append(etree.tostring(fragment, encoding="unicode"))
    for name in odd.elements:
        atts = odd.attributes(name).values()
        rounds = max([len(a.values) for a in atts if a.values] or [1])
        for i in range(rounds):
            values = " ".join(f'{a.name}="{a.values[i % len(a.values)][0] if a.values else _sample(a)}"' for a in atts)
            texts["attribute"].append(f'<{name} xmlns="{TEI}" {values}/>')
        texts["attribute"].append(f'<{name} xmlns="{TEI}" {required(name)}/>')
        for child in sorted(odd.children(name)):
            texts["child"].append(f'<{name} xmlns="{TEI}" {required(name)}><{child} {required(child)}/></{name}>')
    paths: dict[str, str] = {}
    for kind, items in texts.items():
        for i, text in enumerate(items):
            path = tmp / f"{kind}-{i}.xml"
            path.write_text(text, encoding="utf-8")
            paths[str(path)] = kind
    wrapper = tmp / "any_element.rng"
    wrapper.write_text(f'<grammar xmlns="{RNG_NS}"><include href="{cfg.tei_all_rng.resolve()}"><start><choice>'
                       + "".join(f'<ref name="{n}"/>' for n in odd.elements) + "</choice></start></include></grammar>")
    result = subprocess.run(["jing", str(wrapper), *paths], capture_output=True, text=True, timeout=300)
    out: dict[str, list[str]] = {kind: [] for kind in texts}
    out["counts"] = [str(len(items)) for items in texts.values()]
    for line in result.stdout.splitlines():
        file, _, message = line.partition(": error: ")
        out[paths[file.rsplit(":", 2)[0]]].append(f"{Path(file).name}: {message}")
    return out


def test_guideline_examples_are_valid_tei(fragments):
    assert fragments["counts"][0] == "12"   # with the figure (003's photograph caption)
    assert fragments["example"] == []


def test_every_attribute_and_value_the_schema_allows_is_allowed_by_tei_all(fragments):
    """Complaints about the elements' empty content are expected; none may concern an attribute."""
    assert int(fragments["counts"][1]) > 150
    assert [m for m in fragments["attribute"] if "attribute" in m.split(": ", 1)[1]] == []


def test_every_child_the_schema_allows_is_allowed_there_by_tei_all(fragments):
    """Missing required content is expected; a child "not allowed here" would break the subset."""
    assert int(fragments["counts"][2]) > 1000
    assert [m for m in fragments["child"] if "not allowed here" in m or "not allowed anywhere" in m] == []
