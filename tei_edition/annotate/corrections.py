"""Editorial corrections the annotator can find by itself: Latin look-alike letters inside Cyrillic or
Greek words ("cъезда", "Aριστεροί", "Κ.E.Ε.") and Cyrillic ones inside Latin words ("Communistе").

Each is encoded as <choice><orig>source form</orig><reg resp="#ed">regular form</reg></choice>: the
source side is kept (the fidelity proof reads it), the regular form serves reading and search. The
list of all interventions (these, and the wrong names encoded by entities.py) is printed for review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from .stream import NEVER, T, build, can_wrap, is_editorial, streams, wrap
from .text import TO_CYRILLIC, TO_GREEK, script

TO_LATIN = {v: k for k, v in TO_CYRILLIC.items()}
# a letter of one script next to a letter of another: the cheap test before reading a stream
MIXED = re.compile(r"[A-Za-z][\u0370-\u03ff\u0400-\u04ff]|[\u0370-\u03ff\u0400-\u04ff][A-Za-z]")
WORD = re.compile(r"[^\W\d_]+(?:\.[^\W\d_]\.?)*")


@dataclass
class CorrectionReport:
    items: list[tuple[int, str, str]] = field(default_factory=list)   # (line, source form, regular form)


def regularise(word: str) -> str | None:
    """The word with its stray look-alike letters in the word's own script, or None if nothing to do."""
    letters = [c for c in word if c.isalpha()]
    scripts = [script(c) for c in letters]
    if len(set(scripts)) < 2:
        return None
    n_lat = scripts.count("lat")
    main = "lat" if n_lat * 2 > len(letters) else ("cyr" if scripts.count("cyr") >= scripts.count("grc") else "grc")
    table = {"cyr": TO_CYRILLIC, "grc": TO_GREEK, "lat": TO_LATIN}[main]
    out = []
    for c in word:
        if c.isalpha() and script(c) != main:
            if c not in table:
                return None            # not a look-alike: a real mixture, leave it to the editors
            out.append(table[c])
        else:
            out.append(c)
    return "".join(out)


def _descend(el: etree._Element) -> bool:
    return isinstance(el.tag, str) and el.tag not in NEVER and not is_editorial(el)


def encode(root: etree._Element, lang: str) -> CorrectionReport:
    report = CorrectionReport()
    text = root.find(T + "text")
    if text is None:
        return report
    for parent in list(streams(text, _descend)):
        raw = (parent.text or "") + "".join(c.tail or "" for c in parent)
        if not MIXED.search(raw):
            continue
        st = build(parent, atoms=False)
        hits = []
        for m in WORD.finditer(st.text):
            reg = regularise(m.group())
            if reg:
                hits.append((m.start(), m.end(), m.group(), reg))
        for s, e, orig, reg in reversed(hits):
            if not can_wrap(st, s, e) or any(st.where[i] is None for i in range(s, e)):
                continue
            choice = etree.Element(T + "choice")
            o = wrap(st, s, e, etree.Element(T + "orig"))
            o.getparent().replace(o, choice)
            choice.tail, o.tail = o.tail, None
            choice.append(o)
            etree.SubElement(choice, T + "reg", resp="#ed").text = reg
            report.items.append((_line(choice), orig, reg))
    return report


def _line(el: etree._Element) -> int:
    from .evaluate import start_line     # the same reading of line numbers as the sample's
    return start_line(el)


def interventions(root: etree._Element) -> list[tuple[int, str, str, str]]:
    """Every editorial intervention in the document's text, for review: (line, kind, source, editors').
    kind is "sic/corr" or "orig/reg"; this lists the importer's and the annotator's alike."""
    out: list[tuple[int, str, str, str]] = []
    text = root.find(T + "text")
    if text is None:
        return out
    for choice in text.iter(T + "choice"):
        for src_tag, ed_tag in (("sic", "corr"), ("orig", "reg")):
            src, ed = choice.find(T + src_tag), choice.find(T + ed_tag)
            if src is not None or ed is not None:
                flat = (lambda el: " ".join("".join(el.itertext()).split()) if el is not None else "")
                out.append((_line(choice), f"{src_tag}/{ed_tag}", flat(src), flat(ed)))
                break
    return out
