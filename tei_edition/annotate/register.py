"""The register (tei/register/*.xml) as the annotator sees it: entries and the name forms that point to them.

All editorial knowledge lives in the register TEI: each entry lists the forms used in the sources
(`persName|orgName|placeName` with xml:lang; type="preferred", "full", "variant"), and a form of
type="sic" records a wrong name printed in a source, to be encoded as <choice><sic/><corr/></choice>.
A form listed under two entries is ambiguous; the annotator resolves it from initials or context.
A form's subtype says where it names the entry: "bare" only when no other name follows ("ЦК"), "members"
only in the plural (the party named by its members: «большевики», «Αριστεροί Σ.Ε.»), "imprint" only as the
place of publication of a cited work («М., 1991», «Л.: Прибой»).

The editors' decisions about single mentions that no form can make (which Smirnov a bare «Смирнов» is, a
word that is no name here, a body named by a common noun) are `decisions.tsv` beside the register files:
see `load_decisions`.

The files are read by the one register model (tei_edition/register.py); this module indexes its forms.
"""

from __future__ import annotations

import re
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
    subtype: str = ""               # "bare", "members", "imprint": where the form names the entry

    @property
    def bare(self) -> bool:         # names the entry only when no other name follows
        return self.subtype == "bare"


@dataclass(eq=False)
class Entry:
    id: str
    kind: str                       # person | org | place
    preferred: str
    forms: list[Form] = field(default_factory=list)
    initials: set[str] = field(default_factory=set)       # "ВИ", "В", "VI" ...
    forenames: set[frozenset[str]] = field(default_factory=set)  # keys of forenames and patronyms
    sex: str = ""                   # ISO 5218: "1" male, "2" female
    type: str = ""                  # an organisation's or place's @type (party, party-body, soviet, city ...)

    @property
    def tag(self) -> str:
        return KINDS[self.kind]

    def preferred_in(self, lang: str) -> str:
        for f in self.forms:
            if f.lang == lang and f.type in ("variant", "preferred") and " " not in f.text:
                return f.text
        return self.preferred


@dataclass(frozen=True)
class Decision:
    """The editors' decision about one mention: in document `doc`, the name printed `text` (whitespace and
    hyphens aside) starting on source line `line` (0: on every line) (its `occurrence`-th there, 0: every one) is `target`:
    an entry id, "-" (not a name here), or "?" (undecidable: tagged cert="low", listed for review), with the
    `candidates` the editors could not choose between ("?org-a|org-b": they also give the kind of name to tag
    where no register form finds the words)."""
    doc: str
    line: int
    text: str
    occurrence: int
    target: str
    reason: str
    where: str                          # file:line of the decision, for messages
    candidates: tuple[str, ...] = ()


@dataclass
class Register:
    entries: dict[str, Entry]
    by_first: dict[str, list[Form]]     # first token key -> forms starting with it
    paths: list[Path]
    decisions: dict[str, list[Decision]] = field(default_factory=dict)   # document id -> its decisions

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


DECISIONS = "decisions.tsv"


def decision_key(text: str) -> str:
    """How a decision's text is compared with a mention: no whitespace, no hyphens (line ends), Latin
    look-alike letters read as the script around them."""
    return text_mod.fold_homoglyphs("".join(text.split())).replace("-", "").replace("\u00ad", "")


def load_decisions(path: Path, entries: dict[str, Entry]) -> dict[str, list[Decision]]:
    """Read the editors' decisions: tab-separated document, source line (* for every line), the name as printed (with "#k" for
    its k-th occurrence on the line), the entry id or "-" or "?" (or "?id|id": undecided between these entries), the
    reason. Lines starting with # are comments."""
    out: dict[str, list[Decision]] = {}
    if not path.exists():
        return out
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        where = f"{path}:{n}"
        cols = raw.split("\t")
        if len(cols) != 5 or not all(c.strip() for c in cols):
            raise EditionError(f"{where}: expected 5 tab-separated fields (document, line, name as printed, "
                               f"entry id or - or ?, reason), got {len(cols)}",
                               hint="e.g. d001<TAB>905<TAB>Смирнов<TAB>pers-smirnov-volodia<TAB>the note says ...")
        doc, line, text, target, reason = (c.strip() for c in cols)
        if not line.isdigit() and line != "*":
            raise EditionError(f"{where}: '{line}' is not a source line number",
                               hint="give the line of the witness, or * for every line of the document")
        occurrence = 0
        m = re.fullmatch(r"(.+)#(\d+)", text)
        if m:
            text, occurrence = m.group(1), int(m.group(2))
        target = target.lstrip("#")
        candidates: tuple[str, ...] = ()
        if target.startswith("?") and len(target) > 1:
            target, candidates = "?", tuple(c.lstrip("#") for c in target[1:].split("|"))
        for eid in candidates or ((target,) if target not in ("-", "?") else ()):
            if eid not in entries:
                raise EditionError(f"{where}: no register entry '{eid}'",
                                   hint="give an id of tei/register/*.xml, '-' (not a name), '?' (undecided) or "
                                        "'?id|id' (undecided between these entries)")
        if len({entries[c].kind for c in candidates}) > 1:
            raise EditionError(f"{where}: the candidates {', '.join(candidates)} are not of one kind",
                               hint="an undecided mention is one person, one body or one place: list entries of one kind")
        out.setdefault(doc, []).append(Decision(doc, 0 if line == "*" else int(line), decision_key(text), occurrence, target,
                                                reason, where, candidates))
    return out


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
        entry = Entry(model.id, model.kind, pref, sex=model.sex, type=model.subtype)
        for n in model.names:
            entry.forms.append(Form(n.text, n.lang or "en", n.type or "variant", entry,
                                    tuple(t.text for t in tokenize(n.text)), n.subtype))
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
    return Register(entries, by_first, paths, load_decisions(paths[0].parent / DECISIONS, entries))
