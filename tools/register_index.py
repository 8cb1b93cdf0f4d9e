"""Give every person of the register its index form and sort key (run again after new entries arrive).

The index form is the name as a historian indexes it, surname first:
- a person whose Russian full name has a patronym (a subject of the Russian Empire or the USSR): the ALA-LC
  romanization of that name (tei_edition/translit.py), xml:lang="ru-Latn": "Zinov'ev, Grigorii Evseevich";
- anyone else: the preferred English name turned round, xml:lang="en": "Luxemburg, Rosa", "Rigby, T. H.";
  the few names that do not turn round by their last word are listed in SPECIAL.
The person's @sortKey is the index form in lower-case ASCII, words joined by hyphens.
Lines are inserted into tei/register/persons.xml as text (after the preferred name), nothing else changes.

Run: .venv/bin/python tools/register_index.py [--write]   (without --write: print what would be added)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tei_edition import TEI_NS, XML_NS  # noqa: E402
from tei_edition.translit import romanize, sort_key  # noqa: E402

T = "{%s}" % TEI_NS
XID = "{%s}id" % XML_NS
LANG = "{%s}lang" % XML_NS
PERSONS = Path(__file__).resolve().parents[1] / "tei" / "register" / "persons.xml"
SPECIAL = {  # preferred name → (surname part, rest): names whose surname is not the last word, or stands first
    "Chiang Kai-shek": ("Chiang", "Kai-shek"),
    "Wilhelm von Mirbach": ("Mirbach", "Wilhelm von"),
    "Voltaire": ("Voltaire", ""),
}
# Russians whose full name in the register has no patronym: their Russian name is romanized all the same.
RUSSIAN = {"pers-larin", "pers-sorin", "pers-avanesov", "pers-aleksandrovich", "pers-makh", "pers-kotov",
           "pers-tiunov", "pers-demidov", "pers-shokhanov", "pers-moiseev", "pers-rutkovsky", "pers-berzina",
           "pers-smirnov-volodia", "pers-gorky"}


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def index_form(person) -> tuple[str, str, str] | None:
    """(markup of the index persName's content, xml:lang, plain text) or None if nothing can be said."""
    names = person.findall(T + "persName")
    full = next((n for n in names if n.get("type") == "full" and n.get(LANG) == "ru"
                 and n.find(T + "addName[@type='patronym']") is not None and n.find(T + "surname") is not None),
                None)
    if full is not None:
        sur = romanize(_text(full.find(T + "surname")))
        fore = " ".join(romanize(_text(f)) for f in full.findall(T + "forename"))
        pat = romanize(_text(full.find(T + "addName[@type='patronym']")))
        markup = (f"<surname>{escape(sur)}</surname>, <forename>{escape(fore)}</forename> "
                  f'<addName type="patronym">{escape(pat)}</addName>')
        return markup, "ru-Latn", f"{sur}, {fore} {pat}"
    ru = next((n for n in names if n.get("type") in ("full", "variant") and n.get(LANG) == "ru"), None)
    if person.get(XID) in RUSSIAN and ru is not None:
        words = romanize(_text(ru)).split()
        sur, rest = words[-1], " ".join(words[:-1])
        if not rest:
            return f"<surname>{escape(sur)}</surname>", "ru-Latn", sur
        return f"<surname>{escape(sur)}</surname>, <forename>{escape(rest)}</forename>", "ru-Latn", f"{sur}, {rest}"
    pref = next((_text(n) for n in names if n.get("type") == "preferred"), "")
    if not pref:
        return None
    if pref in SPECIAL:
        sur, rest = SPECIAL[pref]
    else:
        words = pref.split()
        sur, rest = words[-1], " ".join(words[:-1])
    if not rest:
        return f"<surname>{escape(sur)}</surname>", "en", sur
    if pref.startswith(sur):      # surname first by custom: no comma
        return f"<surname>{escape(sur)}</surname> <forename>{escape(rest)}</forename>", "en", f"{sur} {rest}"
    return f"<surname>{escape(sur)}</surname>, <forename>{escape(rest)}</forename>", "en", f"{sur}, {rest}"


def main() -> None:
    write = "--write" in sys.argv
    text = PERSONS.read_text(encoding="utf-8")
    lines = text.split("\n")
    root = etree.fromstring(text.encode("utf-8"))
    inserts: list[tuple[int, str]] = []
    for person in root.iter(T + "person"):
        names = person.findall(T + "persName")
        if any(n.get("type") == "index" for n in names):
            continue
        made = index_form(person)
        if made is None:
            print(f"{person.get(XID)}: no preferred name, nothing to index")
            continue
        markup, lang, plain = made
        start = person.sourceline - 1
        if 'sortKey="' not in lines[start]:
            lines[start] = re.sub(r'(<person\b[^>]*?xml:id="[^"]*")', rf'\1 sortKey="{sort_key(plain)}"',
                                  lines[start], count=1)
        pref = next(n for n in names if n.get("type") == "preferred")
        indent = re.match(r"\s*", lines[pref.sourceline - 1]).group(0)
        inserts.append((pref.sourceline, f'{indent}<persName type="index" xml:lang="{lang}">{markup}</persName>'))
        print(f"{person.get(XID)}: {plain}  [{sort_key(plain)}]")
    for at, line in sorted(inserts, reverse=True):
        lines.insert(at, line)
    if write and inserts:
        new = "\n".join(lines)
        etree.fromstring(new.encode("utf-8"))     # still well-formed
        PERSONS.write_text(new, encoding="utf-8")
        print(f"{len(inserts)} index forms written to {PERSONS}")


if __name__ == "__main__":
    main()
