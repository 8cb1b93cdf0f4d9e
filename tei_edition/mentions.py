"""The register (tei/register/*.xml) and the index of mentions and dates in the documents.

The register files are read generically (person, org, place with xml:id; their names, dates, notes and
idnos), so the page works with whatever detail the register holds; when there is no register yet the
edition builds without one. Mentions and dates are read from the TEI and placed on the reading pages
through the id of the nearest enclosing element (paragraph, heading, note).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .. import TEI_NS, XML_NS
from ..xmlsafe import parse_file

T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS
XML_LANG = "{%s}lang" % XML_NS
KINDS = {"person": "persons", "org": "organisations", "place": "places"}
NAME_TAGS = {"person": "persName", "org": "orgName", "place": "placeName"}
MENTION_TAGS = ("persName", "orgName", "placeName", "rs", "name")
SKIP_IN_TEXT = {"note", "sic", "orig", "fw", "pb", "cb", "lb"}


def _text(el: etree._Element | None, skip: set[str] = frozenset()) -> str:
    if el is None:
        return ""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node is not el and isinstance(node.tag, str) and etree.QName(node).localname in skip:
            return
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tag == T + "lb" and child.get("break") == "no":
                _join_word(parts)  # the line end inside a word is no space
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return " ".join("".join(parts).split())


def _join_word(parts: list[str]) -> None:
    while parts and not parts[-1].strip():
        parts.pop()
    if parts:
        parts[-1] = parts[-1].rstrip()


@dataclass
class Name:
    text: str
    lang: str
    type: str


@dataclass
class Entry:
    id: str
    kind: str                  # person | org | place
    name: str                  # preferred (English where given)
    names: list[Name]
    dates: str                 # "1870-04-22–1924-01-21": ISO dates as the register gives them
    note: str                  # one-line identification
    subtype: str               # type of organisation or place
    idnos: list[tuple[str, str]]  # (type, value)
    desc: str = ""             # <desc>: the kind of an organisation or place of type "other" (army, river)
    affiliations: list[tuple[str, str]] = field(default_factory=list)  # (entry id, name), resolved on loading
    sources: list[tuple[str, str]] = field(default_factory=list)       # bibl type="reference": (title, URL)

    @property
    def group(self) -> str:
        return KINDS[self.kind]

    @property
    def years(self) -> str:
        """"1870–1924" for lists."""
        return "–".join(p.lstrip("-")[:4] for p in self.dates.split("–")) if self.dates else ""

    def dates_label(self, months: dict[str, str]) -> str:
        """"22 April 1870 – 21 January 1924" (month names from the interface strings)."""
        parts = self.dates.split("–") if "–" in self.dates else [self.dates]
        return " – ".join(format_iso(p, months) if p not in ("", "?") else "?" for p in parts) if self.dates else ""

    def popover(self, url: str, months: dict[str, str]) -> dict[str, str]:
        return {"name": self.name, "dates": self.dates_label(months), "note": self.note, "kind": self.kind,
                "url": url}


def format_iso(iso: str, months: dict[str, str]) -> str:
    """"1917-11-07" → "7 November 1917"; "1917-11" → "November 1917"; anything else unchanged."""
    parts = iso.lstrip("-").split("-")
    if not parts[0].isdigit():
        return iso
    try:
        out = [str(int(parts[2]))] if len(parts) > 2 else []
        if len(parts) > 1:
            out.append(months[f"month.{int(parts[1])}"])
    except (ValueError, KeyError):
        return iso
    return " ".join(out + [parts[0]])


def _dates(el: etree._Element) -> str:
    def one(tag: str) -> str:
        d = el.find(T + tag)
        if d is None:
            return ""
        return (d.get("when") or d.get("notBefore") or d.get("from") or _text(d))[:10]
    birth, death = one("birth"), one("death")
    if birth or death:
        return f"{birth or '?'}–{death or '?'}"
    for tag in ("floruit", "existence", "event"):
        d = el.find(T + tag)
        if d is not None:
            start = d.get("from") or d.get("notBefore") or d.get("when") or ""
            end = d.get("to") or d.get("notAfter") or ""
            return f"{start}–{end}" if end else (start or _text(d))
    return ""


def _entry(el: etree._Element, kind: str) -> Entry:
    tag = NAME_TAGS[kind]
    names = [Name(_text(n), n.get(XML_LANG, ""), n.get("type", "")) for n in el.findall(T + tag)]
    names = [n for n in names if n.text]
    preferred = (next((n for n in names if n.lang == "en" and n.type in ("", "main", "preferred")), None)
                 or next((n for n in names if n.lang == "en"), None) or (names[0] if names else None))
    note = el.find(T + "note")
    if note is None:
        note = el.find(T + "desc")
    if note is None:
        note = el.find(T + "occupation")
    return Entry(
        id=el.get(XML_ID),
        kind=kind,
        name=preferred.text if preferred else el.get(XML_ID),
        names=names,
        dates=_dates(el),
        note=_text(note),
        subtype=el.get("type", ""),
        idnos=[(i.get("type", ""), _text(i)) for i in el.findall(T + "idno")],
        desc=_text(el.find(T + "desc")),
        affiliations=[(a.get("ref", "").lstrip("#"), _text(a)) for a in el.findall(T + "affiliation")
                      if a.get("ref") or _text(a)],
        sources=[(_text(b.find(T + "title")) or _text(b), (b.find(T + "ref").get("target", "")
                  if b.find(T + "ref") is not None else "")) for b in el.findall(T + "bibl")
                 if b.get("type") == "reference"],
    )


def load_register(paths: list[Path]) -> dict[str, Entry]:
    """Every entry of the register files that exist, by id."""
    entries: dict[str, Entry] = {}
    for path in paths:
        tree = parse_file(path)
        for kind in KINDS:
            for el in tree.iter(T + kind):
                if el.get(XML_ID):
                    entries[el.get(XML_ID)] = _entry(el, kind)
    for entry in entries.values():     # an affiliation pointing to an entry takes that entry's name
        entry.affiliations = [(ref, entries[ref].name) if ref in entries else ("", text or ref)
                              for ref, text in entry.affiliations]
    return entries


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


@dataclass
class DocumentIndex:
    mentions: list[Mention] = field(default_factory=list)
    dates: list[DatedMention] = field(default_factory=list)


def _anchor(el: etree._Element) -> str:
    for anc in el.iterancestors():
        if anc.get(XML_ID) and etree.QName(anc).localname != "TEI":
            return anc.get(XML_ID)
    return ""


def _context(el: etree._Element, width: int = 60) -> str:
    """A few words either side of the mention, from its block's edited reading."""
    block = next((a for a in el.iterancestors() if a.get(XML_ID)), None)
    if block is None:
        return ""
    marker = "\ue000"  # a private-use character: never in the texts, allowed in XML
    saved = el.tail
    el.tail = marker + (saved or "")
    text = _text(block, SKIP_IN_TEXT)
    el.tail = saved
    mention = _text(el, SKIP_IN_TEXT)
    pos = text.find(marker)
    if pos < 0:
        return text[: 2 * width]
    start = max(0, pos - len(mention) - width)
    before = text[start: pos]
    after = text[pos + 1: pos + 1 + width]
    return ("…" if start else "") + before + after + ("…" if pos + 1 + width < len(text) else "")


def _lang(el: etree._Element) -> str:
    for anc in (el, *el.iterancestors()):
        if anc.get(XML_LANG):
            return anc.get(XML_LANG)
    return "und"


def index_document(doc_id: str, tei_path: Path) -> DocumentIndex:
    """Where every register mention and every date of one document stands."""
    tree = parse_file(tei_path)
    text = tree.find(T + "text")
    index = DocumentIndex()
    if text is None:
        return index
    for el in text.iter(*(T + t for t in MENTION_TAGS)):
        ref = (el.get("ref") or "").split()
        if not ref or "#" not in ref[0]:
            continue
        index.mentions.append(Mention(doc_id, ref[0].split("#", 1)[1], _anchor(el), _text(el, SKIP_IN_TEXT),
                                      _context(el)))
    for el in text.iter(T + "date"):
        when = el.get("when") or el.get("from") or el.get("notBefore") or ""
        if not when:
            continue
        cal = (el.get("calendar") or "gregorian").lower()
        cal = "julian" if "julian" in cal else "gregorian" if "gregorian" in cal else cal.lstrip("#")
        index.dates.append(DatedMention(doc_id, _anchor(el), _text(el, SKIP_IN_TEXT), _lang(el), cal, when,
                                        el.get("to") or el.get("notAfter") or "",
                                        inferred=el.get("cert") in ("low", "medium")))
    return index
