"""Proof of fidelity: every TEI document regenerates its witness, character for character."""

from __future__ import annotations

import pytest

from tei_edition.corpus import documents
from tei_edition.fidelity import compare
from tei_edition import config as config_mod
from tests.conftest import ROOT

DOCS = [d for d in documents(config_mod.load(ROOT)) if d.tei_path.exists()]


@pytest.mark.parametrize("doc", DOCS, ids=[d.id for d in DOCS])
def test_every_source_character_is_accounted_for(doc):
    report = compare(doc.id, doc.tei_path, doc.source_path)
    assert report.divergences == []
    assert report.matched_chars == report.source_chars > 0


def _mutated(docs, tmp_path, old: str, new: str):
    doc = docs["d002"]
    text = doc.tei_path.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "d002.xml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return compare(doc.id, path, doc.source_path)


def test_a_lost_character_is_reported_with_source_and_tei_line(docs, tmp_path):
    report = _mutated(docs, tmp_path, "Ленинский ультиматум", "Ленинскй ультиматум")
    assert not report.ok
    assert report.source_chars - report.matched_chars > 0
    first = report.divergences[0]
    assert ":3: " in first and "differs at non-whitespace character 8" in first and "Ленинский" in first


def test_an_editorial_addition_is_not_mistaken_for_source_text(docs, tmp_path):
    # a correction keeps the source reading in <sic>: fidelity still holds
    report = _mutated(docs, tmp_path, "Ленинский ультиматум",
                      '<choice><sic>Ленинский</sic><corr resp="#ed">Ленинский (sic)</corr></choice> ультиматум')
    assert report.ok
    # but an addition without resp="#ed" is text that the source does not have
    report = _mutated(docs, tmp_path, "Ленинский ультиматум", "Ленинский новый ультиматум")
    assert not report.ok


def test_a_missing_line_is_reported(docs, tmp_path):
    report = _mutated(docs, tmp_path, '<lb n="2"/>', '<lb n="1"/>')
    assert any("source line not encoded" in d and ":2:" in d for d in report.divergences)
