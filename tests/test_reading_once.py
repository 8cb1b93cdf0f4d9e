"""The shortcuts of the cold build keep their results: a block read once for all its mentions gives each
mention the text a reading of its own would (text.MarkedReading), and a passage made to stand on its own
in place reports the pointers and ids its finished tree really has (standalone.stand_alone_in_place)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from lxml import etree

from tei_edition import TEI_NS
from tei_edition import config as config_mod
from tei_edition.exports.standalone import edition_entries, own_ids, pointers, stand_alone, stand_alone_in_place
from tei_edition.text import MarkedReading, reading
from tei_edition.xmlsafe import parse_file

ROOT = Path(__file__).resolve().parents[1]
T = "{%s}" % TEI_NS

BLOCK = (f'<p xmlns="{TEI_NS}">Товарищ <persName ref="#a">Ле<lb break="no"/>нин </persName> сказал'
         '<note>в <persName ref="#b">сноске</persName></note>: <choice><sic>Кмаенев</sic><corr>Каменев</corr>'
         '</choice> и <orgName ref="#c">ЦК</orgName>.<lb/>Конец</p>')


def test_one_walk_marks_each_descendant_where_the_reading_would():
    block = etree.fromstring(BLOCK)
    once = MarkedReading(block)
    marks = {el.text or el.tag: once.with_mark(el, "|") for el in block.iter() if el is not block}
    assert marks["Ле"] == "Товарищ Ленин | сказал: Каменев и ЦК. Конец"      # a name ending in a space
    assert marks["сноске"] == "Товарищ Ленин сказал: Каменев и ЦК. Конец"    # inside a note: not read, no mark
    assert marks["Каменев"] == "Товарищ Ленин сказал: Каменев| и ЦК. Конец"
    assert marks["ЦК"] == "Товарищ Ленин сказал: Каменев и ЦК|. Конец"
    assert reading(block) == "Товарищ Ленин сказал: Каменев и ЦК. Конец"
    for el in block.iter():           # the one walk is reusable, and reading(mark=) is the same rule
        assert once.with_mark(el, "|") == reading(block, mark=el, marker="|")


@pytest.mark.parametrize("doc", ["d002", "d003"])
def test_in_place_reports_the_finished_trees_pointers_and_ids(doc):
    cfg = config_mod.load(ROOT)
    known = edition_entries(cfg)
    root = parse_file(ROOT / "tei" / f"{doc}.xml").getroot()
    for div in list(root.iter(T + "div"))[:40]:             # passages as the DTS export makes them
        tree = etree.Element(T + "TEI", nsmap={None: TEI_NS})
        tree.append(copy.deepcopy(root.find(T + "teiHeader")))
        tree.append(copy.deepcopy(div))
        expected = etree.tostring(stand_alone(tree, known))
        pointed, ids = stand_alone_in_place(tree, known)
        assert etree.tostring(tree) == expected
        assert (pointed, ids) == (pointers(tree), own_ids(tree))


def test_an_index_made_with_the_last_versions_contexts_is_the_index_read_afresh(monkeypatch):
    """The words around each mention and date are kept by block while the block's bytes are the same
    (mentions._Kept): after an edit of one block, only its mentions are read again, and the index is the one
    made from nothing, the edited words in it."""
    from tei_edition import mentions
    root = parse_file(ROOT / "tei" / "d004.xml").getroot()
    first = mentions.index_document("d004", root)
    name = next(el for el in root.iter(*(T + t for t in mentions.MENTION_TAGS))
                if "#" in (el.get("ref") or "") and mentions._anchor(el))
    name.tail = " ИЗМЕНЕНО" + (name.tail or "")            # an edit of the words after one name
    made = []
    real = mentions._context
    monkeypatch.setattr(mentions, "_context", lambda el, *args, **kwargs: (made.append(el), real(el, *args, **kwargs))[1])
    again = mentions.index_document("d004", root, first.contexts)
    read_again = len(made)
    monkeypatch.setattr(mentions, "_context", real)
    assert again == mentions.index_document("d004", root) != first
    assert any("ИЗМЕНЕНО" in m.context for m in again.mentions)
    assert len(first.mentions) > 100 and 1 <= read_again <= 10    # that block's mentions only
