"""The register (tei/register/*.xml) as the annotator sees it: entries and the name forms that point to them.

All editorial knowledge lives in the register TEI: each entry lists the forms used in the sources
(`persName|orgName|placeName` with xml:lang; type="preferred", "full", "variant"), and a form of
type="sic" records a wrong name printed in a source, to be encoded as <choice><sic/><corr/></choice>.
A form listed under two entries is ambiguous; the annotator resolves it from initials or context.
The files are read by the one register model (tei_edition/register.py); this module indexes its forms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import register
from ..diagnostics import EditionError
from . import text as text_mod
from .text import keys, pattern_keys, script, tokenize

KINDS = {"person": "persName", "org": "orgName", "place": "placeName"}


@dataclass(eq=False)
class Form:
    text: str
    lang: str
    type: str
    entry: "Entry"
    tokens: tuple[str, ...] = ()
    bare: bool = False              # names the entry only when no other name follows


@dataclass(eq=False)
class Entry:
    id: str
    kind: str                       # person | org | place
    preferred: str
    forms: list[Form] = field(default_factory=list)
    initials: set[str] = field(default_factory=set)       # "ВИ", "В", "VI" ...
    forenames: set[frozenset[str]] = field(default_factory=set)  # keys of forenames and patronyms
    sex: str = ""                   # ISO 5218: "1" male, "2" female

    @property
    def tag(self) -> str:
        return KINDS[self.kind]

    def preferred_in(self, lang: str) -> str:
        for f in self.forms:
            if f.lang == lang and f.type in ("variant", "preferred") and " " not in f.text:
                return f.text
        return self.preferred


@dataclass
class Register:
    entries: dict[str, Entry]
    by_first: dict[str, list[Form]]     # first token key -> forms starting with it
    paths: list[Path]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for e in self.entries.values():
            out[e.kind] = out.get(e.kind, 0) + 1
        return out


def _initials(parts: tuple[tuple[str, str], ...]) -> set[str]:
    letters = [text[0] for tag, text in parts if tag in ("forename", "addName") and text]
    found = set()
    if letters:
        found.add("".join(letters))
        found.add(letters[0])
    return found


def load(paths: list[Path]) -> Register:
    """The annotator's index of the register's name forms, built from the one register model (register.py)."""
    if not paths:
        raise EditionError("no register files found (tei/register/persons.xml, organisations.xml, places.xml)",
                           hint="the annotator links names to the register: create it first")
    entries: dict[str, Entry] = {}
    for model in register.load(paths, strict=True).values():
        pref = next((n.text for n in model.names if n.type == "preferred"), None)
        if not pref:
            raise EditionError(f"{model.file}:{model.line}: {model.id} has no preferred name",
                               hint=f'add <{register.NAME_TAGS[model.kind]} type="preferred" xml:lang="en">')
        entry = Entry(model.id, model.kind, pref, sex=model.sex)
        for n in model.names:
            entry.forms.append(Form(n.text, n.lang or "en", n.type or "variant", entry,
                                    tuple(t.text for t in tokenize(n.text)), n.subtype == "bare"))
            if n.type in ("full", "pseudonym"):
                entry.initials |= _initials(n.parts)
                for tag, part in n.parts:
                    if tag in ("forename", "addName") and part:
                        entry.forenames.add(pattern_keys(part))
        entries[model.id] = entry
    prefixes = {t.lower().replace("ё", "е")[:text_mod.PREFIX] for e in entries.values() for f in e.forms
                for t in f.tokens if script(t) == "cyr"}
    if prefixes != text_mod.MORPH_PREFIXES:
        text_mod.MORPH_PREFIXES.clear()
        text_mod.MORPH_PREFIXES.update(prefixes)
        keys.cache_clear()
    by_first: dict[str, list[Form]] = {}
    for entry in entries.values():
        for form in entry.forms:
            if not form.tokens:
                continue
            for k in pattern_keys(form.tokens[0]):
                by_first.setdefault(k, []).append(form)
    return Register(entries, by_first, paths)
