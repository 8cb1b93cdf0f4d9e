"""Each witness described truthfully (issue 13): what the headers say of the sources is checked against them."""

from __future__ import annotations

import re

import pytest

from tei_edition.xmlsafe import parse_file

NS = {"t": "http://www.tei-c.org/ns/1.0"}


def _header(docs, doc):
    return parse_file(docs[doc].tei_path).getroot().find("t:teiHeader", NS)


@pytest.mark.parametrize("doc", ["d000", "d001", "d002", "d003", "d004"])
def test_the_witness_is_described_as_it_is(docs, doc):
    """The number of lines the description gives is the witness's; it says what the witness is."""
    note = _header(docs, doc).xpath("string(.//t:sourceDesc/t:bibl[@type='witness']/t:note)", namespaces=NS)
    source = docs[doc].source_path.read_text(encoding="utf-8")
    lines = source.count("\n") + (not source.endswith("\n"))
    claimed = int(re.search(r"([\d,]+) lines", note).group(1).replace(",", ""))
    assert claimed == lines, (doc, claimed, lines)
    assert re.search(r"extracted from (a|the) PDF|saved from the web page|received by the project", note)


@pytest.mark.parametrize("doc", ["d000", "d001", "d002", "d003", "d004"])
def test_the_original_is_identified_as_far_as_a_named_source_verifies_it(docs, doc):
    """Each printed original says where its facts come from, and what is not known."""
    (bibl,) = _header(docs, doc).xpath(".//t:sourceDesc/t:bibl[@type='original']", namespaces=NS)
    note = " ".join(bibl.xpath("string(t:note)", namespaces=NS).split())
    assert re.search(r"[Ss]ources? of|as the witness|the witness \(|: the witness|Title and year:", note), doc
    assert re.search(r"not (known|found|stated|verified)|not in the witness", note), doc


@pytest.mark.parametrize("doc, urls", [
    ("d001", ["https://en.internationalism.org/publications/russian-left"]),
    ("d002", ["https://www.wsws.org/en/articles/2007/11/bols-n09.html"]),
    ("d003", ["https://www.york.ac.uk/history/news/news/2017/douds-historical-research/"]),
])
def test_the_sources_of_the_identifications_are_named(docs, doc, urls):
    targets = _header(docs, doc).xpath(".//t:sourceDesc//t:ref/@target", namespaces=NS)
    assert set(urls) <= set(targets)


@pytest.mark.parametrize("doc", ["d001", "d002", "d004"])
def test_titles_the_editors_supplied_are_marked_as_supplied(docs, doc):
    stmt = _header(docs, doc).find("t:fileDesc/t:titleStmt", NS)
    for kind in ("main", "alt"):
        (title,) = stmt.xpath(f"t:title[@type='{kind}']", namespaces=NS)
        (sup,) = title.xpath("t:supplied[@resp='#ed']", namespaces=NS)
        assert not (title.text or "").strip() and sup.text.strip()
