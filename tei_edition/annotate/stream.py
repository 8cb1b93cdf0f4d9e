"""Reading text as streams, and wrapping a stretch of it in a new element without changing a character.

A *stream* is the running text directly inside one element: its .text and the tails of its children.
Milestones (lb, pb, cb) are transparent — a name may run across a line break, and (for names) across the
editors' note on a corrected letter — while any other child
(a note, a name already tagged, residue) is a barrier that no match may cross. Each character of the
stream's virtual text knows where it lives (which piece, which offset), so a match found in the virtual
text can be wrapped in the tree. Whitespace around `<lb break="no"/>` is left out of the virtual text,
so that "Ста<lb break="no" rend="hyphen"/>лин" reads "Сталин".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from lxml import etree

from .. import TEI_NS
from ..editorial import editors_note, editors_text

T = "{%s}" % TEI_NS
MILESTONES = {T + "lb", T + "pb", T + "cb"}
BARRIER = "\ufffc"   # stands for a child element in the virtual text
NAME_TAGS = {T + "persName", T + "orgName", T + "placeName", T + "date", T + "name", T + "rs"}
# Never read: the header, print residue, editors' text, and what an earlier run already encoded.
# A <title> is the title of a work: the names inside it are not mentions (a figure's <head>, its caption, is read).
# An <abbr> is the last pass's (annotate/abbreviations.py): what it holds was read before it was wrapped.
NEVER = {T + "teiHeader", T + "fw", T + "corr", T + "reg", T + "supplied", T + "gap", T + "choice",
         T + "label", T + "graphic", T + "figDesc", T + "title", T + "abbr"}


ATOM = -1   # where[i] == (ATOM, k): the character belongs to the reading of child k (a <choice>)


@dataclass
class Stream:
    parent: etree._Element
    text: str                              # the virtual text
    where: list[tuple[int, int] | None]    # per character: (piece, offset), (ATOM, child) or None
    barriers: dict[int, etree._Element] = field(default_factory=dict)   # position of BARRIER -> child

    def piece(self, k: int) -> str:
        return piece(self.parent, k)


def is_editorial(el: etree._Element) -> bool:
    """The editors' text (editorial.py: corr, reg, supplied, gap or anything with @resp), never tagged."""
    return editors_text(el)


def default_descend(el: etree._Element) -> bool:
    """Whether a child element's own text is read as a stream of its own."""
    return isinstance(el.tag, str) and el.tag not in NEVER and el.tag not in NAME_TAGS and not is_editorial(el)


def reading(choice: etree._Element) -> str:
    """The editors' reading of a <choice> (corr, reg), else its source reading."""
    for tag in ("corr", "reg", "sic", "orig"):
        el = choice.find(T + tag)
        if el is not None:
            return " ".join("".join(el.itertext()).split())
    return ""


def build(parent: etree._Element, atoms: bool = True, notes_inside: bool = False) -> Stream:
    """The stream of `parent`; with atoms, a <choice> reads as its editors' reading and can be wrapped whole;
    with notes_inside, the editors' note on a correction is read as if it were not there (a name may hold it)."""
    chars: list[str] = []
    where: list[tuple[int, int] | None] = []
    barriers: dict[int, etree._Element] = {}
    glue = False   # the previous milestone was break="no": drop leading whitespace of the next piece

    def add(k: int, s: str) -> None:
        nonlocal glue
        start = 0
        if glue:
            while start < len(s) and s[start].isspace():
                start += 1
            if start < len(s):
                glue = False
        chars.extend(s[start:])
        where.extend((k, i) for i in range(start, len(s)))

    add(0, parent.text or "")
    for i, child in enumerate(parent):
        if child.tag in MILESTONES:
            if child.get("break") == "no":
                # a word runs on: drop the whitespace before, also the space that a page break just before put in
                # ("Гер<pb/> <lb break="no"/>мании" reads "Германии")
                while chars and chars[-1].isspace():
                    chars.pop()
                    where.pop()
                glue = True
            elif not glue:
                chars.append(" ")
                where.append(None)
        elif notes_inside and _editors_note(child):
            pass                  # the editors' note on a correction stands inside a name as if it were not there
        elif atoms and child.tag == T + "choice" and reading(child):
            glue = False
            for ch in reading(child):
                chars.append(ch)
                where.append((ATOM, i))
        else:
            glue = False
            barriers[len(chars)] = child
            chars.append(BARRIER)
            where.append(None)
        add(i + 1, child.tail or "")
    return Stream(parent, "".join(chars), where, barriers)


def streams(root: etree._Element, descend: Callable[[etree._Element], bool] = default_descend
            ) -> Iterator[etree._Element]:
    """Every element whose running text is read, in document order (parents before children)."""
    todo = [root]
    while todo:
        el = todo.pop()
        yield el
        todo.extend(reversed([c for c in el if c.tag not in MILESTONES and descend(c)]))


def _bounds(st: Stream, start: int, end: int) -> tuple[int, int, int, int] | None:
    """(first piece, offset, last piece, end offset exclusive) of a stretch, or None if it cuts into an atom."""
    a, b = st.where[start], st.where[end - 1]
    if a is None or b is None:
        return None
    if a[0] == ATOM:
        if start > 0 and st.where[start - 1] == a:
            return None
        ps, os_ = a[1], len(st.piece(a[1]))
    else:
        ps, os_ = a
    if b[0] == ATOM:
        if end < len(st.where) and st.where[end] == b:
            return None
        pe, oe = b[1] + 1, 0
    else:
        pe, oe = b[0], b[1] + 1
    return ps, os_, pe, oe


def can_wrap(st: Stream, start: int, end: int) -> bool:
    """A stretch can be wrapped if it starts and ends on text or whole atoms, with only milestones and
    atoms between."""
    bounds = _bounds(st, start, end)
    if bounds is None:
        return False
    ps, _, pe, _ = bounds
    return all(st.parent[k].tag in MILESTONES or st.parent[k].tag == T + "choice" or _editors_note(st.parent[k])
               for k in range(ps, pe))


def _editors_note(el: etree._Element) -> bool:
    return el.tag == T + "note" and editors_note(el)


def wrap(st: Stream, start: int, end: int, new: etree._Element) -> etree._Element:
    """Wrap virtual characters [start, end) in `new`. Call for the rightmost stretch first."""
    bounds = _bounds(st, start, end)
    assert bounds is not None, "wrap() is called only where can_wrap() said yes"
    return wrap_pieces(st.parent, *bounds, new)


def piece(parent: etree._Element, k: int) -> str:
    """The k-th run of parent's own text: its text (k = 0), else the tail of its (k-1)-th child."""
    return (parent.text if k == 0 else parent[k - 1].tail) or ""


def set_piece(parent: etree._Element, k: int, value: str) -> None:
    if k == 0:
        parent.text = value or None
    else:
        parent[k - 1].tail = value or None


def wrap_pieces(parent: etree._Element, ps: int, os_: int, pe: int, oe: int, new: etree._Element) -> etree._Element:
    """Wrap in `new` what lies from offset os_ of parent's run ps to offset oe of its run pe (the children
    between move into it); the one wrapping of the annotator's names, dates and citations."""
    first = piece(parent, ps)
    if ps == pe:
        new.text, new.tail = first[os_:oe] or None, first[oe:] or None
        set_piece(parent, ps, first[:os_])
        parent.insert(ps, new)
        return new
    last = piece(parent, pe)
    moved = [parent[k] for k in range(ps, pe)]
    new.text = first[os_:] or None
    set_piece(parent, ps, first[:os_])
    moved[-1].tail = last[:oe] or None
    new.tail = last[oe:] or None
    parent.insert(ps, new)
    for m in moved:
        new.append(m)
    return new


def start_line(el: etree._Element) -> int:
    """The source line on which an element's text starts: the last <lb n> before it in reading order. A note's
    lines are its own: the text after a note continues the line of the text before it."""
    for node in el.itersiblings(preceding=True):
        if node.tag == T + "note":
            continue
        n = _last_line(node)
        if n:
            return n
    parent = el.getparent()
    return start_line(parent) if parent is not None else 0


def _last_line(node: etree._Element) -> int:
    """The number of the last <lb n> in a node (itself included), notes inside it left out."""
    if node.tag == T + "lb":
        return int(node.get("n") or 0)
    found = 0
    for lb in node.iter(T + "lb"):
        if lb.get("n") and not any(a.tag == T + "note" for a in _between(lb, node)):
            found = int(lb.get("n"))
    return found


def _between(el: etree._Element, top: etree._Element):
    for a in el.iterancestors():
        if a is top:
            return
        yield a


def line_finder(st: Stream) -> Callable[[int], int]:
    """For a stream, a function from a position in its virtual text to the source line it stands on."""
    line = start_line(st.parent) if st.parent.text is not None or len(st.parent) else 0
    piece_line = [line]
    for child in st.parent:
        if child.tag != T + "note" and isinstance(child.tag, str):
            line = _last_line(child) or line
        piece_line.append(line)

    def at(pos: int) -> int:
        for p in range(pos, len(st.where)):       # a barrier or joining space: the next character's line
            w = st.where[p]
            if w is not None:
                return piece_line[w[1]] if w[0] == ATOM else piece_line[w[0]]
        return piece_line[-1]
    return at


def plain_text(el: etree._Element) -> str:
    """The reading text of an element (for reports): milestones transparent, editors' text left out."""
    return build(el).text.replace(BARRIER, "") if len(el) else (el.text or "")
