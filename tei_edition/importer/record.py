"""The neutral document record every parser produces and the one TEI writer consumes.

Parsers (one per raw layout) know about columns, hyphens and footnote blocks; the writer knows TEI.
Nothing here is layout- or TEI-specific. Every character of the source must end up in some token
below (the fidelity check proves it), so a parser never drops text: what is not reading text becomes
a Residue, a Label, or the source side of a Correction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Union

# ---- inline tokens -------------------------------------------------------------------------------

Hyphen = Literal["soft", "hard", "join"]     # how a word goes on over a line break (LineBreak.hyphen)


@dataclass
class Text:
    text: str


@dataclass
class LineBreak:
    """Start of source line n (1-based line number in the source file).

    hyphen: None   -- the line break is also a word break (a space in the edited text)
            "soft" -- the word continues; the line-end hyphen is a printer's hyphen, dropped in the edited text
            "hard" -- the word continues; the hyphen is real and stays (it is in the preceding Text)
            "join" -- the word continues without any hyphen in the source
    """
    n: int
    hyphen: Hyphen | None = None


@dataclass
class PageBreak:
    n: str | None
    inferred: bool = False


@dataclass
class ColumnBreak:
    n: str


@dataclass
class Residue:
    """Print or web furniture kept out of the reading text: page numbers, running heads, timestamps."""
    kind: str                      # pageNum | runningHead | web | separator | duplicate-title
    tokens: list["Inline"]


@dataclass
class Highlight:
    rend: str                      # spaced | italic | bold | sup
    tokens: list["Inline"]


@dataclass
class Correction:
    """A source reading and the editor's: sic/corr (error) or orig/reg (regularisation)."""
    kind: Literal["sic", "orig"]
    source: list["Inline"]
    edited: str
    reason: str = ""               # editorial note text, when the reason is not obvious


@dataclass
class Supplied:
    """Text the editors add (a lost heading, a missing word); not in the source."""
    text: str
    reason: str = "lost"


@dataclass
class SourceEditorial:
    """The source's own editorial intervention, kept as source text: [sic], [...], '– Ред.', expansions."""
    kind: str                      # sic | omission | editor-remark | expansion | insertion
    tokens: list["Inline"]


@dataclass
class Note:
    n: str | None                  # the call's label as printed (kept as @n)
    place: Literal["foot", "end", "margin"] | None = "foot"   # None: the editors' note on the text's end
    type: Literal["authorial", "editorial", "translator", "source-editor"] = "authorial"
    call: Literal["sup", "bracket", "paren", "none"] = "sup"   # how the call is printed in the source
    label: list["Inline"] = field(default_factory=list)        # the number printed before the note text
    blocks: list["Block"] = field(default_factory=list)
    missing: Literal[None, "text", "call"] = None
    comment: str = ""              # editorial remark on this note (why text or call is missing, ...)
    id: str | None = None          # assigned by the writer
    lang: str | None = None        # when the note's language differs from the document's (xml:lang)


@dataclass
class NoteCall:
    note: Note


@dataclass
class Foreign:
    """Words in a language other than the document's (an English title in a Russian text): xml:lang."""
    lang: str
    tokens: list["Inline"]


Inline = Union[Text, LineBreak, PageBreak, ColumnBreak, Residue, Highlight, Correction, Supplied,
               SourceEditorial, NoteCall, Foreign]

# ---- blocks --------------------------------------------------------------------------------------


@dataclass
class Paragraph:
    tokens: list[Inline]
    rend: str = ""                 # e.g. "noindent" when it continues after a quotation


@dataclass
class Heading:
    tokens: list[Inline]
    supplied: bool = False         # the editors supplied this heading (the source lost it)


@dataclass
class Quote:
    blocks: list["Block"]


@dataclass
class ListBlock:
    items: list[list[Inline]]


@dataclass
class Verse:
    lines: list[list[Inline]]


@dataclass
class ResidueBlock:
    residue: Residue


@dataclass
class Figure:
    """A picture the text shows: its caption as printed (the picture itself may be absent from the witness),
    and the editors' description of it."""
    caption: list[Inline]
    description: str = ""


@dataclass
class Milestones:
    """Breaks between blocks (a page or column break between paragraphs)."""
    tokens: list[Inline]


@dataclass
class Division:
    type: str                      # part | article | chapter | section | document | preface | notes | abstract ...
    head: Heading | None = None
    blocks: list["Block"] = field(default_factory=list)
    lang: str | None = None        # when different from the document's
    n: str | None = None
    byline: list[Inline] | None = None   # author line, as printed
    dateline: list[Inline] | None = None
    meta: dict[str, str] = field(default_factory=dict)   # author, date, source stated by the text


Block = Union[Paragraph, Heading, Quote, ListBlock, Verse, ResidueBlock, Figure, Milestones, Division]

# ---- the document --------------------------------------------------------------------------------


@dataclass
class Decision:
    """Something the importer was unsure of, for an editor to review."""
    line: int
    kind: str                      # hyphen | note-call | heading | structure | ...
    message: str


@dataclass
class Record:
    doc_id: str
    lang: str
    front: list[Block] = field(default_factory=list)
    body: list[Block] = field(default_factory=list)
    back: list[Block] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)   # parser-side figures: pages, columns, joined words
