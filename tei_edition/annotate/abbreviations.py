"""Abbreviations and terms: every occurrence in a document of a form listed in tei/register/abbreviations.xml
is wrapped in <abbr corresp="#abbr-…">, pointing to its entry (the expansion in the popover on the web, the
list of abbreviations in the PDF).

A form is found as a word of its own (no letter or digit touching it), as the list writes it or in a case the
language gives it: a Russian capital-letter abbreviation takes case endings («ВЦИКа», «ВЦИКом»), a Russian or
Greek word its stem's endings («Совнаркома», «эсеров», «левых эсеров», «Αριστερών Σ.Ε.»); a word (not an
all-capital abbreviation) is found with its first letter in either case («Эсеры», «αριστεροί Σ.Ε.»). The longest form wins («РКП(б)» before «РКП», «ЦКК»
before «ЦК»). The same matcher counts the forms in the sources (`count_in_source`), so recall is measured
against the witnesses, not against the TEI.

Read: the running text of the document's <text> — inside names, dates, titles and citations too (the <abbr>
goes inside them) — never the header, the printer's running heads (<fw>), the editors' text (corr, reg,
supplied, notes with @resp) or what an earlier run wrapped, so a second run changes nothing. A form that
crosses the edge of another element («Совета р. и с. д.» half inside a name) is left unwrapped and reported.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lxml import etree

from .. import TEI_NS, XML_NS
from ..editorial import editors_text
from ..xmlsafe import parse_bytes
from . import stream
from .text import fold_homoglyphs

T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS
XML_LANG = "{%s}lang" % XML_NS
# Not read: the header, printer's residue, the editors' text, an abbreviation already wrapped.
NEVER = {T + "teiHeader", T + "fw", T + "corr", T + "reg", T + "supplied", T + "gap", T + "choice",
         T + "label", T + "graphic", T + "figDesc", T + "abbr", T + "expan"}

# Case endings a Russian capital-letter abbreviation takes when declined as a noun («ВЦИКа», «ЦКК-е» is not one).
UPPER_ENDINGS = ("ами", "ом", "ам", "ах", "ов", "а", "у", "е", "ы")
# The endings of a Russian noun or adjective after its stem («эсер-ов», «лев-ых», «Викжел-я»).
RU_ENDINGS = ("ами", "ями", "ого", "его", "ому", "ему", "ыми", "ими", "ом", "ем", "ам", "ям", "ах", "ях", "ов",
              "ев", "ей", "ой", "ые", "ых", "ым", "ый", "ую", "ая", "а", "я", "у", "ю", "е", "ы", "и")
RU_STEM_END = "аяоеыиьй"
RU_ADJECTIVE_END = ("ые", "ый", "ая", "ое", "ие", "ой")
# Greek adjective and noun endings of the plural and singular («Αριστερ-οί», «Αριστερ-ών»).
EL_ENDINGS = ("ούς", "οίς", "οί", "ών", "ός", "ού", "ό", "ή", "ής", "ά", "ές", "ες", "ων")
EL_STEM_END = ("οί", "ός", "ές", "ά", "ή")


@dataclass(frozen=True)
class Form:
    text: str       # as the list writes it
    id: str         # the entry: abbr-…
    lang: str


@dataclass
class AbbreviationReport:
    wrapped: int = 0
    kept: int = 0                                                   # wrapped by an earlier run
    by_entry: dict[str, int] = field(default_factory=dict)
    unwrapped: list[str] = field(default_factory=list)              # "line 40: «…» crosses <persName>"


def read_forms(path: Path) -> list[Form]:
    """The forms of the list of abbreviations (none when there is no file)."""
    if not path.is_file():
        return []
    root = parse_bytes(path.read_bytes(), str(path)).getroot()
    out: list[Form] = []
    for item in root.iter(T + "item"):
        xid = item.get(XML_ID) or ""
        if xid.startswith("abbr-"):
            out.extend(Form(" ".join("".join(a.itertext()).split()), xid, a.get(XML_LANG, ""))
                       for a in item.findall(T + "abbr"))
    return [f for f in out if f.text]


def _script(word: str) -> str:
    for ch in word:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            return "cyr" if "CYRILLIC" in name else "el" if "GREEK" in name else "lat"
    return ""


def _word_pattern(word: str) -> str:
    """One word of a form, with the endings its language gives it."""
    plain = re.escape(word)
    first = word[0]
    if first.lower() != first.upper() and not (len(word) > 1 and word.isupper()):
        # a word may open a sentence, a capitalised one stand inside it («Эсеры», «αριστεροί Σ.Ε.»)
        plain = f"[{re.escape(first.lower())}{re.escape(first.upper())}]" + re.escape(word[1:])
    if not word.isalpha():                                   # dotted, bracketed: as written
        return plain
    script = _script(word)
    if script == "cyr" and word.isupper() and len(word) >= 2:
        return plain + "(?:" + "|".join(UPPER_ENDINGS) + ")?"
    if script == "cyr" and len(word) >= 3 and not word.isupper():
        cut = 2 if word[-2:] in RU_ADJECTIVE_END and len(word) >= 5 else 1 if word[-1] in RU_STEM_END and len(word) >= 5 else 0
        stem = word[: len(word) - cut]
        head = plain[: len(plain) - (len(word) - len(stem))] if stem != word else plain
        return f"(?:{plain}|{head}(?:{'|'.join(RU_ENDINGS)}))"
    if script == "el" and not word.isupper():
        end = next((e for e in EL_STEM_END if word.endswith(e)), None)
        if end:
            head = plain[: len(plain) - len(end)]
            return f"(?:{plain}|{head}(?:{'|'.join(EL_ENDINGS)}))"
    return plain


def form_pattern(form: str) -> str:
    return r"\s+".join(_word_pattern(w) for w in form.split())


@lru_cache(maxsize=4)
def _compiled(forms: tuple[Form, ...]) -> tuple[re.Pattern[str], dict[str, Form]]:
    ordered = sorted(forms, key=lambda f: (-len(f.text), f.text))
    groups = {f"f{i}": f for i, f in enumerate(ordered)}
    body = "|".join(f"(?P<{g}>{form_pattern(f.text)})" for g, f in groups.items())
    return re.compile(rf"(?<![\w])(?:{body})(?![\w])"), groups


def find(text: str, forms: list[Form]) -> list[tuple[int, int, Form]]:
    """(start, end, form) of every occurrence of a listed form in a text, left to right, not overlapping."""
    if not forms:
        return []
    pattern, groups = _compiled(tuple(forms))
    return [(m.start(), m.end(), groups[m.lastgroup or ""]) for m in pattern.finditer(text)]


def source_reading(text: str) -> tuple[str, list[int]]:
    """A source file as the matcher reads it, and the source line of each of its characters: look-alike letters
    folded, a printer's hyphen at a line end joined («Со-\\nвнаркома»), every other run of spaces and line
    breaks one space."""
    folded = fold_homoglyphs(text)
    chars: list[str] = []
    lines: list[int] = []
    line = 1
    for i, ch in enumerate(folded):
        if ch == "\n":
            line += 1
        if ch == "-" and chars and chars[-1].isalpha() and folded[i + 1:i + 2] == "\n":
            rest = folded[i + 1:].lstrip()
            if rest[:1].isalpha():
                chars.append("\u00ad")             # (dropped below with the line break that follows)
                lines.append(line)
                continue
        if ch.isspace():
            if chars and chars[-1] == "\u00ad":
                continue
            if chars and chars[-1] == " ":
                continue
            ch = " "
        elif chars and chars[-1] == "\u00ad":
            chars.pop()
            lines.pop()
        chars.append(ch)
        lines.append(line)
    return "".join(chars), lines


def source_occurrences(text: str, forms: list[Form]) -> list[tuple[int, Form, str]]:
    """(source line, form, the words as the source prints them, hyphen joined) of every occurrence of a listed
    form in a source file."""
    reading, lines = source_reading(text)
    return [(lines[s], form, reading[s:e]) for s, e, form in find(reading, forms)]


def count_in_source(text: str, forms: list[Form]) -> dict[str, int]:
    """Occurrences of each entry's forms in a source file."""
    out: dict[str, int] = {}
    for _, form, _ in source_occurrences(text, forms):
        out[form.id] = out.get(form.id, 0) + 1
    return out


def _read(el: etree._Element) -> bool:
    """Whether an element's own text is the witness's (a tagged date with @resp is: only its value is theirs)."""
    return isinstance(el.tag, str) and el.tag not in NEVER and (not editors_text(el) or el.tag == T + "date")


def link(root: etree._Element, forms: list[Form]) -> AbbreviationReport:
    """Wrap every occurrence of a listed form in the document's <text> in <abbr corresp="#abbr-…">."""
    report = AbbreviationReport()
    report.kept = sum(1 for a in root.iter(T + "abbr") if (a.get("corresp") or "").startswith("#abbr-"))
    text = root.find(T + "text")
    if text is None or not forms:
        return report
    for parent in list(stream.streams(text, _read)):
        st = stream.build(parent)
        if not st.text.strip():
            continue
        found = find(fold_homoglyphs(st.text), forms)
        lines = stream.line_finder(st) if found else None
        for start, end, form in reversed(found):
            if not stream.can_wrap(st, start, end):
                crossed = next((el for pos, el in st.barriers.items() if start <= pos < end), None)
                what = f"<{etree.QName(crossed).localname}>" if crossed is not None else "a correction"
                report.unwrapped.append(f"line {lines(start) if lines else 0}: «{st.text[start:end]}» "
                                        f"({form.id}) crosses {what}")
                continue
            stream.wrap(st, start, end, etree.Element(T + "abbr", {"corresp": "#" + form.id}))
            report.wrapped += 1
            report.by_entry[form.id] = report.by_entry.get(form.id, 0) + 1
    return report
