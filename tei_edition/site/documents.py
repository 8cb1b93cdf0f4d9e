"""What the site says about each document, read from its TEI header (title, author, language, counts)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import TEI_NS, XML_NS
from ..xmlsafe import parse_file
from .mentions import _text

T = "{%s}" % TEI_NS
XML_LANG = "{%s}lang" % XML_NS
LANG_KEYS = {"ru": "lang_ru", "el": "lang_el", "en": "lang_en"}


def script_lang(text: str, default: str = "en") -> str:
    """The language a name is written in, told by its script (the header gives authors no xml:lang)."""
    cyrillic = sum("\u0400" <= c <= "\u04ff" for c in text)
    greek = sum("\u0370" <= c <= "\u03ff" or "\u1f00" <= c <= "\u1fff" for c in text)
    latin = sum(c.isascii() and c.isalpha() for c in text)
    best = max((cyrillic, "ru"), (greek, "el"), (latin, default))
    return best[1] if best[0] else default


@dataclass
class DocInfo:
    id: str
    number: int
    title: str
    title_lang: str
    title_en: str
    author: str
    lang: str
    lang_name: str
    summary: str
    paragraphs: int
    notes: int
    pages: int = 0
    tei_path: Path | None = None

    @property
    def author_lang(self) -> str:
        return script_lang(self.author)

    @property
    def short(self) -> str:
        """A name for filters and page titles: the English title when there is one."""
        name = self.title_en or self.title
        if len(name) <= 70:
            return name
        return name[:68].rsplit(" ", 1)[0].rstrip(" ,;:(–-") + "…"  # cut between words


def read_info(doc_id: str, number: int, tei_path: Path, ui: dict[str, str]) -> DocInfo:
    tree = parse_file(tei_path)
    root = tree.getroot()
    stmt = root.find(f"{T}teiHeader/{T}fileDesc/{T}titleStmt")
    titles = stmt.findall(T + "title") if stmt is not None else []
    main = next((t for t in titles if t.get("type") in (None, "main")), titles[0] if titles else None)
    alt = next((t for t in titles if t.get(XML_LANG) == "en" and t is not main), None)
    author = stmt.find(T + "author") if stmt is not None else None
    text = root.find(T + "text")
    lang = (text.get(XML_LANG) if text is not None else None) or root.get(XML_LANG) or "und"
    notes_stmt = root.find(f"{T}teiHeader/{T}fileDesc/{T}notesStmt/{T}note")
    body = text if text is not None else root
    return DocInfo(
        id=doc_id, number=number,
        title=_text(main) or doc_id,
        title_lang=(main.get(XML_LANG) if main is not None else None) or lang,
        title_en=_text(alt),
        author=_text(author),
        lang=lang,
        lang_name=ui.get(LANG_KEYS.get(lang, ""), lang),
        summary=_text(notes_stmt),
        paragraphs=sum(1 for _ in body.iter(T + "p")),
        notes=sum(1 for n in body.iter(T + "note") if n.getparent().tag != T + "note"),
        tei_path=tei_path,
    )
