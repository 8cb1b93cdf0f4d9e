"""Where a document mentions register entries and dates: read from its TEI by the html stage, shown by the
site (an entry's page lists its mentions; the chronology lists the dates).

Each mention and date is placed through the id of the nearest enclosing element that has one
(paragraph, heading, note), which the reading pages keep; its text and the words around it are the
edited reading (text.py).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from . import TEI_NS, XML_NS
from .text import MarkedReading, reading

T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS
XML_LANG = "{%s}lang" % XML_NS
MENTION_TAGS = ("persName", "orgName", "placeName", "rs", "name")
MARK = "\ue000"      # a private-use character: never in the texts, allowed in XML


@dataclass
class Mention:
    doc_id: str
    ref: str
    anchor: str      # id of the enclosing paragraph, heading or note
    text: str        # the form in the text
    context: str     # the words around it


@dataclass
class DatedMention:
    doc_id: str
    anchor: str
    text: str
    lang: str
    calendar: str     # julian | gregorian | …
    when: str         # proleptic Gregorian ISO (start of a range)
    to: str = ""
    inferred: bool = False   # the year is the editors' inference (@cert), not printed
    context: str = ""        # the sentence it stands in (a date alone tells a reader nothing)
    events: tuple[str, ...] = ()   # the chronology's events on its days (@corresp, edition annotate)


@dataclass
class DocumentIndex:
    mentions: list[Mention] = field(default_factory=list)
    dates: list[DatedMention] = field(default_factory=list)
    contexts: dict[str, list[str]] = field(default_factory=dict, repr=False, compare=False)   # by block (_Kept)


def _anchor(el: etree._Element) -> str:
    for anc in el.iterancestors():
        if anc.get(XML_ID) and etree.QName(anc).localname != "TEI":
            return anc.get(XML_ID)
    return ""


def _block(el: etree._Element) -> etree._Element | None:
    """The nearest ancestor with an id: the block whose reading gives el's context."""
    return next((a for a in el.iterancestors() if a.get(XML_ID)), None)


def _marked(el: etree._Element, blocks: dict | None) -> str | None:
    """The edited reading of el's block (its nearest ancestor with an id) with MARK after el; None when it
    has none. `blocks`: the blocks of one document read so far (each is walked once for all its mentions)."""
    block = _block(el)
    if block is None:
        return None
    if blocks is None:
        return reading(block, mark=el, marker=MARK)
    if block not in blocks:
        blocks[block] = MarkedReading(block)
    return blocks[block].with_mark(el, MARK)


Contexts = dict[str, list[str]]   # a block's hash → the contexts and sentences read from it, in the order read


class _Kept:
    """The words around each mention and date, kept per block: a block's are a function of its own subtree
    (its reading, each element's place in it), so a block whose bytes are those of a block of the last
    version gives its contexts back in the order they were read (a word's edit reads its own block again:
    d001's 4,555 contexts took ~85% of its index)."""

    def __init__(self, last: Contexts | None) -> None:
        self.last = last or {}
        self.made: Contexts = {}
        self._keys: dict[etree._Element, str] = {}
        self._at: dict[str, int] = {}

    def read(self, el: etree._Element, make: Callable[[etree._Element], str]) -> str:
        block = _block(el)
        if block is None:
            return make(el)
        key = self._keys.get(block)
        if key is None:
            key = self._keys[block] = hashlib.sha256(etree.tostring(block, with_tail=False)).hexdigest()
        made = self.made.setdefault(key, [])
        kept = self.last.get(key)
        at = self._at.get(key, 0)
        text = kept[at] if kept is not None and at < len(kept) else make(el)
        self._at[key] = at + 1
        made.append(text)
        return text


def _context(el: etree._Element, width: int = 60, blocks: dict | None = None) -> str:
    """A few words either side of the mention, from its block's edited reading."""
    text = _marked(el, blocks)
    if text is None:
        return ""
    mention = reading(el)
    pos = text.find(MARK)
    if pos < 0:
        return text[: 2 * width]
    start = max(0, pos - len(mention) - width)
    end = pos + 1 + width
    if start > 0 and not text[start - 1].isspace():       # cut between words, never inside one
        space = text.find(" ", start, pos - len(mention))
        start = space + 1 if space >= 0 else start
    if end < len(text) and not text[end].isspace():
        space = text.rfind(" ", pos + 1, end)
        end = space if space >= 0 else end
    before = text[start: pos]
    after = text[pos + 1: end].rstrip()
    return ("…" if start else "") + before.lstrip() + after + ("…" if end < len(text) else "")


SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[«“„\"(\[]?[A-ZА-ЯЁΑ-ΩΆ-Ώ])")


def _sentence(el: etree._Element, limit: int = 320, blocks: dict | None = None) -> str:
    """The sentence of its block that holds el (at most `limit` characters, cut around el with "…")."""
    text = _marked(el, blocks)
    if text is None:
        return ""
    pos = text.find(MARK)
    if pos < 0:
        return ""
    before = pos - len(reading(el))          # (read once, not once per sentence of the block)
    starts = [0] + [m.end() for m in SENTENCE_END.finditer(text) if m.end() <= before]
    start = starts[-1]
    end_match = next((m for m in SENTENCE_END.finditer(text, pos)), None)
    end = end_match.start() if end_match else len(text)
    sentence = text[start:end].replace(MARK, "").strip()
    if len(sentence) <= limit:
        return sentence
    at = pos - start
    lo = max(0, at - limit // 2)
    return ("…" if lo else "") + sentence[lo: lo + limit].strip() + "…"


def _lang(el: etree._Element) -> str:
    for anc in (el, *el.iterancestors()):
        if anc.get(XML_LANG):
            return anc.get(XML_LANG)
    return "und"


def index_document(doc_id: str, root: etree._Element, last: Contexts | None = None) -> DocumentIndex:
    """Where every register mention and every date of one document stands. `last`: the contexts of its last
    version by block (`DocumentIndex.contexts`), read again only for the blocks that changed."""
    text = root.find(T + "text")
    index = DocumentIndex()
    if text is None:
        return index
    blocks: dict = {}   # each block's reading, walked once for all its mentions and dates
    kept = _Kept(last)

    def context_of(el: etree._Element) -> str:
        return _context(el, blocks=blocks)

    def sentence_of(el: etree._Element) -> str:
        return _sentence(el, blocks=blocks)
    number = 0     # the XSLT numbers every name with @ref (names-dates.xsl, e:mentions): "dNNN-m12"
    for el in text.iter(*(T + t for t in MENTION_TAGS)):
        if el.get("ref") is None:
            continue
        number += 1
        ref = el.get("ref", "").split()
        if not ref or "#" not in ref[0]:
            continue
        # the element with an id around it; a document from elsewhere often has none: the mention's own
        anchor = _anchor(el) or el.get(XML_ID) or f"{doc_id}-m{number}"
        context = kept.read(el, context_of)
        index.mentions.append(Mention(doc_id, ref[0].split("#", 1)[1], anchor, reading(el), context))
    for el in text.iter(T + "date"):
        when = el.get("when") or el.get("from") or el.get("notBefore") or ""
        if not when:
            continue
        cal = (el.get("calendar") or "gregorian").lower()
        cal = "julian" if "julian" in cal else "gregorian" if "gregorian" in cal else cal.lstrip("#")
        index.dates.append(DatedMention(doc_id, _anchor(el), reading(el), _lang(el), cal, when,
                                        el.get("to") or el.get("notAfter") or "",
                                        inferred=el.get("cert") in ("low", "medium"),
                                        context=kept.read(el, sentence_of),
                                        events=tuple(p.split("#", 1)[1] for p in (el.get("corresp") or "").split()
                                                     if "#ev-" in p)))
    index.contexts = kept.made
    return index
