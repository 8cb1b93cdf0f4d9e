"""The synthetic edition: the real documents replicated with new ids, still a valid edition."""

from __future__ import annotations

import re

import pytest

from tei_edition import config as config_mod
from tei_edition.corpus import documents
from tei_edition.diagnostics import EditionError
from tei_edition.synthetic import _rename, make_synthetic
from tei_edition.validate import validate

SMALL = ["d002", "d000", "d004"]


@pytest.fixture(scope="module")
def synthetic(cfg, tmp_path_factory):
    return make_synthetic(cfg, tmp_path_factory.mktemp("synthetic") / "project", 2, only=SMALL)


def test_two_copies_with_new_ids(cfg, synthetic):
    edition = config_mod.load(synthetic.root)
    ids = [d.id for d in documents(edition)]
    assert ids == ["d002", "d000", "d004", "d002c1", "d000c1", "d004c1"]    # copy 1 of d000 is d000c1
    real = {d.id: d.tei_path.read_text(encoding="utf-8") for d in documents(cfg) if d.id in SMALL}
    copy = (synthetic.root / "tei" / "d000c1.xml").read_text(encoding="utf-8")
    assert not re.search(r"(?<![0-9A-Za-z])d000(?![0-9A-Za-z])", copy)     # no id of the original left
    assert copy == re.sub(r"(?<![0-9A-Za-z])d000(?![0-9A-Za-z])", "d000c1", real["d000"])
    assert 'xml:id="d000c1"' in copy
    assert re.findall(r'ref="([^"]+)"', copy) == re.findall(r'ref="([^"]+)"', real["d000"])  # register, editors
    assert synthetic.documents == 6
    assert synthetic.tei_bytes == sum(p.stat().st_size for p in (synthetic.root / "tei").glob("d*.xml"))


def test_the_synthetic_edition_validates(synthetic):
    # ids unique across all six files, every pointer resolving, the register shared
    report = validate(config_mod.load(synthetic.root))
    assert report.errors == 0, [str(d) for d in report.diagnostics if d.severity == "error"][:5]


def test_refuses_a_folder_in_use_and_a_factor_out_of_range(cfg, synthetic, tmp_path):
    with pytest.raises(EditionError, match="not empty"):
        make_synthetic(cfg, synthetic.root, 2)
    with pytest.raises(EditionError, match="between 1 and 999"):
        make_synthetic(cfg, tmp_path / "big", 1000)


def test_renaming_touches_the_document_ids_only():
    tei = ('<p xml:id="d000-p3"><persName ref="#pers-lenin">Ленин</persName><ref target="#d000-n12"/>'
           '<idno>https://example.org/d000/</idno> d0001 pd000 <ptr target="d000.xml#d000-div2"/></p>')
    assert _rename(tei, "d000", "d000c5") == (
        '<p xml:id="d000c5-p3"><persName ref="#pers-lenin">Ленин</persName><ref target="#d000c5-n12"/>'
        '<idno>https://example.org/d000c5/</idno> d0001 pd000 <ptr target="d000c5.xml#d000c5-div2"/></p>')
