"""Link mentions of persons, organisations and places to the register.

For each stream of running text (see stream.py) the words are compared with the register's name
forms (see text.py for how words are compared); the longest form wins. A person's mention takes in
the initials or forenames standing before it ("В.И. Ленин", "Ισαάκ Στάινμπεργκ") and initials after
it ("Ленин В.И."). A word that is part of a hyphenated compound ("Брест-Литовского") is not a mention.
An ambiguous form (listed under several entries) is resolved by its initials or forenames, else by
the entry last named unambiguously in the same document (cert="medium"), else it is left unlinked
(the name tagged with cert="low" and no @ref) and listed for review with its candidates. A form of type="sic" is encoded as
<choice><sic>…</sic><corr resp="#ed">…</corr></choice>.

A form of subtype "members" (the party named by its members: «левые эсеры», «Μπολσεβίκοι») names the entry only
in the plural (a Russian word is read by pymorphy3; Greek and Latin forms are listed case by case); a form of
subtype "imprint" («М.», «Л.», «L.») only as the place of publication of a cited work («М., 1991», «М.: Наука»,
«М.-Л., 1929»). Nothing inside a web address is a name. The editors' decisions (register/decisions.tsv) come
before all this: a decided mention takes the decided entry (and counts as named unambiguously), a word decided
not to be a name is left alone, an undecidable one is tagged cert="low"; a decision whose name no form finds
is wrapped as decided.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

from .register import Decision, Entry, Form, Register, decision_key
from .stream import (BARRIER, MILESTONES, NAME_TAGS as NAME_ELEMENTS, T, Stream, build, can_wrap, line_finder,
                     start_line, streams, wrap)
from .text import Token, fold_homoglyphs, keys, pattern_keys, script, tokenize

INITIAL = re.compile(r"[A-ZА-ЯЁΑ-Ω][a-zа-яёα-ω]?$")
# Two letters and a full stop that are no initials: a reference's «См.» (see) and «Ср.» (compare) before a name.
NOT_INITIALS = {"См", "Ср"}
# First letters of forenames across scripts, to compare initials with the register ("В." = "Β." = "V.").
_CANON = dict(zip("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЭЮЯ", "ABVGDEEZZIIKLMNOPRSTUFHCCSSEJJ"))
_CANON.update(zip("ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ", "AVGDEZITIKLMNXOPRSTIFHPO"))
_CANON.update({"Y": "J", "W": "V", "X": "H", "C": "C", "Q": "K"})
PLURAL_ENDINGS = ("ы", "ых", "ыми", "ие", "их", "ими")
ABBR_ENDINGS = {"а", "у", "ом", "е", "ам", "ами", "ах", "ов"}
FEMININE_ADJ = ("ая", "ой", "ую", "ое")
PLURAL_NOUN_ENDINGS = ("ы", "и", "ов", "ев", "ей", "ам", "ям", "ами", "ями", "ах", "ях")
ROMAN = re.compile(r"[IVXLC]+")
# What stands before the institution's name in the name of one of its sessions: "II", "10-й", "Второй
# Всероссийский", "Πέμπτο Πανρωσικό", "Έκτακτο Δεύτερο".
ORDINALS = re.compile(r"(?:(?:[IVXLCХІ]+|\d+(?:-?[а-яё]{1,3})?|(?i:перв|втор|трет|четв[её]рт|пят|шест|седьм|восьм|"
                      r"девят|десят|одиннадцат|двенадцат|тринадцат|четырнадцат|пятнадцат|шестнадцат|семнадцат|"
                      r"всероссийск|всесоюзн|чрезвычайн|πρωτ|δευτερ|τριτ|τεταρτ|πεμπτ|εκτ|εβδομ|ογδο|πανρωσικ|"
                      r"έκτακτ|πρώτ|δεύτερ|τρίτ|τέταρτ|πέμπτ)\w*)\s*)+")
ROMAN_LOOKALIKES = str.maketrans("ХІ", "XI")        # Cyrillic Kha and Ukrainian I printed for Roman numerals
# A web address: nothing inside it is a name ("http://iskra-research.org/Marxists/...").
URL = re.compile(r"(?:https?://|www\.)[^\s«»\"<>\ufffc]+|\b[\w.-]+\.(?:org|com|net|gr|ru|de|fr|uk|htm|html)\b[^\s«»\"\ufffc]*")
# After a place of publication: a colon (publisher), a comma and a year, a year, or a second place («М.-Л.»).
IMPRINT_AFTER = re.compile(r"\s*(?::|,\s*(?:1[89]|20)\d\d|(?:1[89]|20)\d\d\b|[-–—]\s*[A-ZА-ЯЁ][a-zа-яё]{0,2}\.)")
IMPRINT_BEFORE = re.compile(r"[A-ZА-ЯЁ][a-zа-яё]{0,2}\.\s*[-–—]\s*$")


def canon(letter: str) -> str:
    return _CANON.get(letter.upper(), letter.upper())


def initials_fit(initials: str, entry: Entry) -> bool | None:
    """Whether printed initials fit an entry's known forenames (None: the register knows none)."""
    if not entry.initials:
        return None
    return canon(initials[0]) in {canon(i[0]) for i in entry.initials}


def person_form_ok(word: str, pattern: str, entry: Entry) -> bool:
    """Not a mention: plurals ("Сталины", "Бухарины" for people like them) and, for a man, feminine
    adjective forms of an adjective-like surname ("Томской губернии", "Горькая")."""
    if script(word) != "cyr" or word == pattern:
        return True
    low, pat = word.lower(), pattern.lower()
    if low.endswith(PLURAL_ENDINGS) and not pat.endswith(PLURAL_ENDINGS) and not pat.endswith(("а", "я")):
        return False                      # but "Розы", "Спиридоновой" are a woman's name in the genitive
    if entry.sex == "1" and pat.endswith(("ий", "ый", "ой")) and low.endswith(FEMININE_ADJ):
        return False
    return True


def plural_for_singular(word: str, pattern: str) -> bool:
    """"Центральными Комитетами" is not "Центральный комитет": a plural where the register form is singular."""
    if script(word) != "cyr" or script(pattern) != "cyr" or word.lower() == pattern.lower():
        return False
    from .text import _morph
    pk = pattern_keys(pattern)
    mine = [p for p in _morph().parse(word) if p.normal_form.replace("ё", "е") in pk]
    theirs = [p for p in _morph().parse(pattern) if p.normal_form.replace("ё", "е") in pk]
    return bool(mine) and all("plur" in p.tag for p in mine) and theirs != [] \
        and not any("plur" in p.tag for p in theirs)     # "Известий" is the newspaper "Известия"


def members_plural(word: str, pattern: str) -> bool:
    """A "members" form names the party only in the plural: «левых эсеров», not «левый эсер Колегаев»."""
    if script(word) != "cyr" or script(pattern) != "cyr":
        return True                       # Greek and Latin member forms are listed case by case
    from .text import _morph
    if not word.lower().endswith(PLURAL_NOUN_ENDINGS):
        return False                      # "децист", "большевика": the dictionary guesses unknown words freely
    pk = pattern_keys(pattern)
    mine = [p for p in _morph().parse(word) if p.normal_form.replace("ё", "е") in pk]
    return any("plur" in p.tag for p in mine) or not mine


def imprint_context(text: str, start: int, end: int) -> bool:
    """«М., 1991», «М.: Наука», «М.-Л., 1929»: the abbreviated place of publication of a cited work."""
    return bool(IMPRINT_AFTER.match(text, end)) or bool(IMPRINT_BEFORE.search(text[:start]))


def form_fits(form: Form, toks: list[Token], i: int, text: str) -> bool:
    """Whether a form found at token i names its entry here, by its subtype."""
    n = len(form.tokens)
    if form.subtype == "members":
        last = max(m for m in range(n) if form.tokens[m][0].isalpha())
        if script(form.tokens[last]) != "cyr":     # Greek and Latin member forms are listed case by case: exactly
            if any(_folded(toks[i + m].text) != _folded(form.tokens[m]) for m in range(n)):
                return False
            return not _adjectival(toks, i + n, text)
        return members_plural(toks[i + last].text, form.tokens[last])
    if form.subtype == "imprint":
        return imprint_context(text, toks[i].start, toks[i + n - 1].end)
    return True


def _folded(word: str) -> str:
    from .text import strip_accents
    return strip_accents(word.lower()).replace("ς", "σ")


def _adjectival(toks: list[Token], k: int, text: str) -> bool:
    """A Greek member noun used as an adjective of the plural noun after it, with the same case ending
    ("οι Μπολσεβίκοι κομισάριοι", "τους μπολσεβίκους συναδέλφους"): not the party."""
    if k >= len(toks) or not toks[k].word or script(toks[k].text) != "grc" or not toks[k].text.islower() \
            or len(toks[k].text) < 6 or text[toks[k - 1].end:toks[k].start] != " ":
        return False
    noun, before = _folded(toks[k].text), _folded(toks[k - 1].text)
    return any(noun.endswith(e) and before.endswith(e) for e in ("οι", "ουσ", "ων"))


def common_word(word: str) -> bool:
    """A capitalised word that, in lower case, is an ordinary Russian word ("Правда, ..." at a sentence start)."""
    if script(word) != "cyr" or word.isupper():
        return False
    from .text import _morph
    parses = _morph().parse(word.lower())
    return any(p.is_known and p.tag.POS in ("NOUN", "ADVB", "PRCL", "CONJ", "INTJ", "PRED")
               and not ({"Surn", "Name", "Geox", "Orgn", "Abbr", "Patr"} & p.tag.grammemes)
               and p.score > 0.3 for p in parses)


def sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    if re.search(r"(?:^|[^\w])\w\.$", before) or re.search(r"(?:^|[^\w])(?:тов|тт|см|ср|им|гр)\.$", before):
        return False                      # the full stop of an initial ("Е. Преображенский") or of "тов."
    return not before or before[-1] in ".!?…" or before[-1] == BARRIER


@dataclass
class Mention:
    start: int
    end: int
    forms: list[Form]
    entries: list[Entry]
    cert: str | None = None
    initials: str = ""
    glued: bool = False          # joined by a hyphen to the next or previous word
    decided: bool = False        # the editors' decision (decisions.tsv) made this link


@dataclass
class EntityReport:
    tagged: Counter = field(default_factory=Counter)          # entry id -> mentions
    by_kind: Counter = field(default_factory=Counter)
    low: list[tuple[int, str, str]] = field(default_factory=list)       # (line, text, candidates)
    corrections: list[tuple[int, str, str]] = field(default_factory=list)
    untagged: Counter = field(default_factory=Counter)        # capitalised words left for review
    other_person: list[tuple[int, str]] = field(default_factory=list)  # namesakes by their initials
    low_elements: list = field(default_factory=list)                   # the elements of `low`
    low_before: list[tuple[int, str]] = field(default_factory=list)    # unlinked names an earlier run tagged
    decided: int = 0                                          # mentions the editors' decisions made
    unused_decisions: list[Decision] = field(default_factory=list)      # stale: their name is not there


def _token_matches(text_tok: Token, pattern_tok: str) -> bool:
    t, p = text_tok.text, pattern_tok
    if not p[0].isalpha():
        return t == p
    if not t[0].isalpha():
        return False
    if ROMAN.fullmatch(p):                # "Х съезд" printed with a Cyrillic Kha
        return t.translate(ROMAN_LOOKALIKES) == p
    if len(p) > 1 and p.isupper() or len(p) == 1:
        if script(p) == "lat":
            return t == p
        t = fold_homoglyphs(t)
        # Russian inflects some abbreviations: "ВЦИКом", "ВЦИКа"
        return t == p or (len(p) >= 3 and script(p) == "cyr" and t.startswith(p) and t[len(p):] in ABBR_ENDINGS)
    if p[0].isupper() and not t[0].isupper():
        return False
    if script(t) != script(p):
        return False
    return bool(keys(t) & pattern_keys(p))


def _glued(text: str, start: int, end: int) -> bool:
    """Part of a hyphenated compound: "Брест-Литовского", "Ленин-Зиновьев" (a tagged name counts as a word)."""
    before = start >= 2 and text[start - 1] in "-‐" and (text[start - 2].isalpha() or text[start - 2] == BARRIER)
    after = end + 1 < len(text) and text[end] in "-‐" and (text[end + 1].isalpha() or text[end + 1] == BARRIER)
    return before or after


def _surname_joined(text: str, m: Mention) -> bool:
    """"Угланова-Рютина", "Фишер-Маслова": a person joined by a hyphen to another surname."""
    from .text import _morph
    after = re.match(r"[-‐]([^\W\d_]+)", text[m.end:])
    before = re.search(r"([^\W\d_]+)[-‐]$", text[:m.start])
    other = (after or before)
    if other is None or not other.group(1)[0].isupper() or script(other.group(1)) != "cyr":
        return False
    return any("Surn" in p.tag for p in _morph().parse(other.group(1))[:2])


def _initials_before(toks: list[Token], i: int, text: str) -> tuple[int, str]:
    """Initials like "В.И." or "В. И." ending just before token i: (index of first, letters)."""
    letters = ""
    j = i
    while j >= 2 and toks[j - 1].text == "." and toks[j - 2].word and INITIAL.match(toks[j - 2].text) \
            and toks[j - 2].text not in NOT_INITIALS and toks[j - 2].text[0].isupper() and len(letters) < 3:
        letters = toks[j - 2].text[0] + letters
        j -= 2
    return j, letters


def _initials_after(toks: list[Token], k: int) -> tuple[int, str]:
    """Initials after a surname ("Ленин В.И."): only two of them, to keep sentence starts out."""
    if k + 3 < len(toks) + 0 and all(x < len(toks) for x in (k, k + 1, k + 2, k + 3)):
        a, d1, b, d2 = toks[k:k + 4]
        if a.word and b.word and d1.text == d2.text == "." and len(a.text) == len(b.text) == 1 \
                and a.text.isupper() and b.text.isupper():
            return k + 4, a.text[0] + b.text[0]
    return k, ""


def _forenames_before(toks: list[Token], i: int, entries: list[Entry], floor: int = 0) -> tuple[int, list[Entry]]:
    """Forenames/patronyms of one of the candidate entries standing before token i (not before token `floor`,
    where the previous mention ended)."""
    j = i
    chosen = entries
    while j >= max(1, floor + 1) and toks[j - 1].word and toks[j - 1].text[0].isupper():
        tk = keys(toks[j - 1].text)
        tk_fold = {k[:-2] if len(k) > 4 else k for k in tk}
        hits = [e for e in chosen if any(tk & f or tk_fold & {x[:-2] if len(x) > 4 else x for x in f}
                                         for f in e.forenames)]
        if not hits:
            break
        chosen = hits
        j -= 1
    return j, chosen


class Linker:
    """Finds mentions in a document; keeps the document's memory of who was named last."""

    def __init__(self, register: Register, doc_id: str = ""):
        self.register = register
        self.last: dict[str, Entry] = {}   # ambiguous form text -> entry resolved most recently
        self.report = EntityReport()
        self.decisions: dict[tuple[int, str], list[Decision]] = {(d.line, d.text): [] for d in register.decisions.get(doc_id, ())}
        for d in register.decisions.get(doc_id, ()):
            self.decisions[(d.line, d.text)].append(d)
        self.shared = {f.text for fs in register.by_first.values() for f in fs
                       if len({g.entry.id for g in fs if g.text == f.text}) > 1}   # forms of several entries
        self.used: set[Decision] = set()
        self.line_at = lambda pos: 0                   # the source line of a position in the current stream
        self.barriers: dict[int, etree._Element] = {}  # the current stream's children, by position

    def decision(self, text: str, start: int, end: int) -> Decision | None:
        """The editors' decision for the name text[start:end], if any."""
        if not self.decisions:
            return None
        line, key = self.line_at(start), decision_key(text[start:end])
        found = self.decisions.get((line, key)) or self.decisions.get((0, key))
        if not found:
            return None
        nth = self._occurrence(text, start, key, line) if any(d.occurrence for d in found) else 0
        for d in found:
            if d.occurrence in (0, nth):
                self.used.add(d)
                return d
        return None

    def _occurrence(self, text: str, start: int, key: str, line: int) -> int:
        """Which occurrence of `key` on its source line the name at `start` is, counting names tagged by an
        earlier run as well (so that a second run decides as the first did)."""
        before = []
        for i in range(start):
            if self.line_at(i) != line:
                continue
            el = self.barriers.get(i)
            if el is not None:
                before.append("".join(_source_text(el)) if el.tag in NAME_ELEMENTS else "")
            else:
                before.append(text[i])
        return decision_key("".join(before)).count(key) + 1

    def _apply(self, d: Decision, m: Mention) -> bool:
        """Apply a decision to a mention; False if the decision says it is no name."""
        if d.target == "-":
            return False
        m.decided = True
        if d.target == "?":
            m.cert = "low"
            if d.candidates:
                m.entries = [self.register.entries[c] for c in d.candidates]
            return True
        entry = self.register.entries[d.target]
        m.entries, m.cert = [entry], None
        self._remember(entry)
        return True

    def _remember(self, entry: Entry) -> None:
        """An entry named unambiguously ("В.М. Смирнов") is the one its shared forms ("Смирнов") mean next."""
        for f in entry.forms:
            if f.text in self.shared and len(self.register_forms(f.text)) > 1:
                self.last[f.text] = entry

    def find(self, text: str, tagged_at: frozenset[int] = frozenset(),
             non_persons_at: frozenset[int] = frozenset()) -> list[Mention]:
        """Mentions in a stream's text; `tagged_at`: positions where a name tagged earlier stands
        (`non_persons_at`: those of organisations and places)."""
        folded = fold_homoglyphs(text)
        toks = tokenize(folded)
        urls = [(u.start(), u.end()) for u in URL.finditer(folded)]
        found: list[Mention] = []
        i = 0
        floor = 0                  # the token after the last mention: no mention reaches back before it
        while i < len(toks):
            if any(a <= toks[i].start < b for a, b in urls):
                i += 1
                continue
            choice = self._longest_acceptable(toks, i, folded)
            if choice is None:
                i += 1
                continue
            n, forms = choice
            if not forms:
                i += n
                continue
            start, end = toks[i].start, toks[i + n - 1].end
            glued = _glued(folded, start, end)
            entries = list(dict.fromkeys(f.entry for f in forms))
            first, last = i, i + n
            initials = ""
            if entries[0].kind == "person":
                first, initials = _initials_before(toks, i, folded)
                fits = [initials_fit(initials, e) for e in entries] if initials else []
                if initials and not any(f is not False for f in fits):
                    if len(initials) >= 2 and script(initials) == "cyr":
                        self.report.other_person.append((0, folded[toks[first].start:end]))
                        i += n
                        continue                 # "А.И. Медведев": a namesake, not the register's
                    first, initials = i, ""      # "Дойчер И. Троцкий": the initial is someone else's
                if not initials:
                    first, entries_f = _forenames_before(toks, i, entries, floor)
                    if first < i:
                        entries = entries_f
                    last, initials = _initials_after(toks, last)
            first = max(first, floor)
            m = Mention(toks[first].start, toks[last - 1].end, forms, entries, initials=initials, glued=glued)
            decided = self.decision(text, m.start, m.end) or (
                self.decision(text, toks[i].start, m.end) if first < i else None)
            if decided is not None:
                if not self._apply(decided, m):
                    i = last
                    continue
            else:
                self._resolve(m, folded)
            found.append(m)
            i = floor = last
        found = self._drop_compounds(found, folded, tagged_at)
        return self._drop_bare(found, folded, non_persons_at)

    def _candidates(self, toks: list[Token], i: int, text: str) -> dict[int, list[Form]]:
        """Register forms matching the words from token i on, by length in words."""
        by_len: dict[int, list[Form]] = {}
        tok = toks[i]
        if not tok.word and not tok.text.isdigit():      # "46-ти", "10 съезд РКП"
            return by_len
        roman = tok.text.translate(ROMAN_LOOKALIKES)
        for k in keys(tok.text) | (pattern_keys(roman) if ROMAN.fullmatch(roman) else frozenset()):
            for form in self.register.by_first.get(k, ()):
                n = len(form.tokens)
                if i + n > len(toks) or not all(_token_matches(toks[i + m], form.tokens[m]) for m in range(n)):
                    continue
                if any(BARRIER in text[toks[i + m].end:toks[i + m + 1].start] for m in range(n - 1)):
                    continue
                if form not in by_len.setdefault(n, []):
                    by_len[n].append(form)
        return by_len

    def _longest_acceptable(self, toks: list[Token], i: int, text: str) -> tuple[int, list[Form]] | None:
        """The longest match at token i that is a name here: not a plural or a feminine adjective of a
        man's name, not an ordinary word opening a sentence ("Правда, ..."); if the longest is not
        ("ЦК партий"), a shorter one may be ("ЦК")."""
        for n, all_forms in sorted(self._candidates(toks, i, text).items(), reverse=True):
            forms = [f for f in all_forms if (f.entry.kind != "person"
                     or all(person_form_ok(toks[i + m].text, f.tokens[m], f.entry) for m in range(n)))
                     and not any(plural_for_singular(toks[i + m].text, f.tokens[m]) for m in range(n))
                     and form_fits(f, toks, i, text)]
            start, end = toks[i].start, toks[i + n - 1].end
            if not forms and n > 1 and all(f.subtype == "members" for f in all_forms):
                return n, []             # one member, or the noun as an adjective: none of its words is a name
            if not forms or (n == 1 and sentence_start(text, start) and text[end:end + 1] == ","
                             and common_word(toks[i].text)):
                continue
            return n, forms
        return None

    def _drop_compounds(self, found: list[Mention], text: str, tagged_at: frozenset[int]) -> list[Mention]:
        """A name joined by a hyphen to another word is a mention only if the other word is a name too
        ("Маркс-Энгельс", "Σόβναρκομ-Κ.Ε.Ε."), not in "Брест-Литовского"."""
        starts = {m.start for m in found} | set(tagged_at)
        ends = {m.end for m in found} | {p + 1 for p in tagged_at}
        keep = []
        for m in found:
            if m.glued and not m.decided:
                right = text[m.end:m.end + 1] in "-‐" and m.end + 1 in starts
                left = m.start >= 1 and text[m.start - 1] in "-‐" and m.start - 1 in ends
                if not (left or right or (m.entries[0].kind == "person" and _surname_joined(text, m))):
                    continue
            keep.append(m)
        return keep

    def _drop_bare(self, found: list[Mention], text: str, non_persons_at: frozenset[int]) -> list[Mention]:
        """A bare form ("ЦК") followed directly by an organisation or place ("ЦК КПГ") is not a mention of
        its own ("в Цека Сталина" is); the other name may have been tagged by an earlier run (so a second
        run agrees with the first)."""
        keep = []
        for k, m in enumerate(found):
            if all(f.bare for f in m.forms) and not m.decided:
                nxt = found[k + 1] if k + 1 < len(found) else None
                after = m.end + len(text[m.end:]) - len(text[m.end:].lstrip())
                if (nxt is not None and nxt.entries[0].kind != "person" and not text[m.end:nxt.start].strip()) \
                        or after in non_persons_at:
                    continue
            keep.append(m)
        return keep

    def _resolve(self, m: Mention, text: str) -> None:
        key = m.forms[0].text
        if len(m.entries) > 1 and m.initials:
            hits = [e for e in m.entries if initials_fit(m.initials, e)]
            if hits and len(hits) < len(m.entries):
                m.entries = hits
        if len(m.entries) == 1:
            self._remember(m.entries[0])
            return
        remembered = self.last.get(key)
        if remembered in m.entries:
            m.entries, m.cert = [remembered], "medium"
        else:
            m.cert = "low"

    def register_forms(self, text: str) -> set[str]:
        tok = tokenize(text)
        if not tok:
            return set()
        return {f.entry.id for k in keys(tok[0].text) for f in self.register.by_first.get(k, ()) if f.text == text}


def _element(m: Mention) -> etree._Element:
    """The name element; an unresolved ambiguity stays unlinked (cert="low", no @ref) for review."""
    el = etree.Element(T + m.entries[0].tag)
    if m.cert == "low":
        el.set("cert", "low")
        return el
    el.set("ref", " ".join(f"#{e.id}" for e in m.entries))
    if m.cert:
        el.set("cert", m.cert)
    return el


def link(root: etree._Element, register: Register, lang: str, doc_id: str = "") -> EntityReport:
    """Tag every mention in the document's <text>; returns what was done."""
    linker = Linker(register, doc_id)
    text = root.find(T + "text")
    if text is None:
        return linker.report
    for parent in list(streams(text)):
        st = build(parent, notes_inside=True)
        if not st.text.strip():
            continue
        tagged_at = frozenset(pos for pos, el in st.barriers.items() if el.tag in NAME_ELEMENTS)
        non_persons = frozenset(pos for pos in tagged_at if st.barriers[pos].tag != T + "persName")
        linker.line_at, linker.barriers = line_finder(st), st.barriers
        mentions = linker.find(st.text, tagged_at, non_persons)
        mentions = _add_decided(linker, st, mentions)
        for m in reversed(mentions):
            if not can_wrap(st, m.start, m.end):
                continue
            el = _element(m)
            wrap(st, m.start, m.end, el)
            sic = next((f for f in m.forms if f.type == "sic"), None)
            if sic is not None and len(m.entries) == 1:
                right = correction(sic, m.entries[0], lang)
                _encode_wrong_name(el, sic.text, right)
                linker.report.corrections.append((el.sourceline or 0, sic.text, right))
            _notes_after(el)
            _link_inside(linker, el, m, lang)
            line = _line_of(el)
            linker.report.by_kind[e0_kind(m)] += 1
            linker.report.decided += m.decided
            if m.cert == "low":
                candidates = " ".join(f"#{e.id}" for e in m.entries)
                linker.report.low.append((line, st.text[m.start:m.end], candidates))
                linker.report.low_elements.append(el)
            else:
                for e in m.entries:
                    linker.report.tagged[e.id] += 1
    _collect_untagged(text, linker.report)
    linker.report.unused_decisions = _unused(linker, text, doc_id)
    new = {id(x) for x in linker.report.low_elements}
    linker.report.low_before = [(start_line(el), "".join(_source_text(el)).strip()) for el in text.iter(*TAGGED)
                                if el.get("cert") == "low" and not el.get("ref") and id(el) not in new]
    return linker.report


def _notes_after(el: etree._Element) -> None:
    """The editors' note on a corrected letter inside a name goes right after the name (a note inside a linked
    name would put a link inside a link)."""
    notes = [c for c in el if c.tag == T + "note"]
    if not notes:
        return
    parent, tail = el.getparent(), el.tail
    for n in notes:
        prev = n.getprevious()
        if n.tail:
            if prev is not None:
                prev.tail = (prev.tail or "") + n.tail
            else:
                el.text = (el.text or "") + n.tail
        n.tail = None
        el.remove(n)
    el.tail = None
    at = parent.index(el)
    for k, n in enumerate(notes, start=1):
        parent.insert(at + k, n)
    notes[-1].tail = tail


def _link_inside(linker: Linker, outer: etree._Element, m: Mention, lang: str) -> None:
    """A name inside the name of a body is a mention of its own: the party in "ЦК большевиков", the city in
    "Σοβιέτ της Πετρούπολης", the Constituent Assembly in the union for its defence. Not a person's name, not the
    same entry, and not the institution inside one of its numbered sessions ("съезд Советов" in "II съезд
    Советов": a body of the same type after nothing but an ordinal)."""
    if m.cert == "low" or m.entries[0].kind == "person" or any(f.subtype == "members" for f in m.forms):
        return
    st = build(outer, notes_inside=True)
    saved = linker.line_at, linker.barriers
    linker.line_at, linker.barriers = line_finder(st), st.barriers
    try:
        inner = _names_within(linker, st.text, 0, len(st.text), m.entries[0].id)
    finally:
        linker.line_at, linker.barriers = saved
    for n in reversed(inner):
        e, o = n.entries[0], m.entries[0]
        if n.cert == "low" or e.kind == "person" or e.id == o.id or (n.start, n.end) == (0, len(st.text)) \
                or (e.kind == o.kind and e.type == o.type and (e.type == "party"
                                                                or ORDINALS.fullmatch(st.text[:n.start].strip()))) \
                or not _complement(st.text, n.start) or not can_wrap(st, n.start, n.end):
            continue
        wrap(st, n.start, n.end, _element(n))
        linker.report.by_kind[e.kind] += 1
        linker.report.tagged[e.id] += 1


def _names_within(linker: Linker, text: str, start: int, end: int, outer_id: str, depth: int = 0) -> list[Mention]:
    """The names inside text[start:end] after its first word, at their positions in `text`; a shorter name of the
    same entry («Коммунистической рабочей партии России» in «Группой революционно-левых коммунистов (Коммунистической
    рабочей партии России)») is looked into in turn, so that the city in it is found."""
    first = re.match(r"\s*\S+", text[start:end])
    if first is None or depth > 3:
        return []
    at = start + first.end()
    found = linker.find(" " * at + text[at:end] + " " * (len(text) - end))
    out: list[Mention] = []
    for n in found:
        if n.entries[0].id == outer_id and n.cert != "low" and (n.start, n.end) != (start, end):
            out += _names_within(linker, text, n.start, n.end, outer_id, depth + 1)
        else:
            out.append(n)
    return out


def _complement(text: str, start: int) -> bool:
    """Whether the name at `start` inside a longer name is its complement in the genitive ("ЦК большевиков",
    "Исполкома Коминтерна", "X съезд РКП(б)", "Σοβιέτ της Πετρούπολης"), not a word of the longer name itself
    ("Правдой" in "Рабочей Правдой"; "Правды" in "Рабочей Правды", "Коммунистического Интернационала" in "Рабочего
    Коммунистического Интернационала": an adjective before it agrees with it, so both are words of one name)."""
    before = text[:start].split()
    word = re.match(r"[^\W\d_]+|\d+", text[start:])
    if word is None:
        return False
    w = word.group()
    if script(w) == "grc":
        return bool(before) and _folded(before[-1]) in ("τησ", "του", "των")
    if script(w) != "cyr" or w.isupper():
        return script(w) == "cyr"             # an abbreviation (РКП, КПГ) is not declined
    from .text import _morph
    mine = [p for p in _morph().parse(w)[:3] if "gent" in p.tag]
    if not mine:
        return False
    prev = re.sub(r"[^\w]", "", before[-1]) if before else ""
    if prev and script(prev) == "cyr":
        head = _morph().parse(prev)[0]
        if head.tag.POS in ("ADJF", "PRTF") and head.tag.case == "gent":
            return False                      # «Рабочей Правды»: the adjective and the noun are one name
    return True


def _normalised(text: str) -> tuple[str, list[int]]:
    """The text as decisions are written (no whitespace, no hyphens), with each character's position."""
    chars, index = [], []
    for i, ch in enumerate(fold_homoglyphs(text)):
        if ch.isspace() or ch in "-\u00ad":
            continue
        chars.append(ch)
        index.append(i)
    return "".join(chars), index


def _add_decided(linker: Linker, st: Stream, mentions: list[Mention]) -> list[Mention]:
    """Wrap the names that the editors decided and no register form found (a body named by a common noun; an
    undecided one, by its candidates). A decision may hold for several names (every line, every occurrence on its
    line): one used already is tried again, and a name tagged by an earlier run is a barrier, so none is wrapped twice."""
    waiting = [d for ds in linker.decisions.values() for d in ds
               if d.target != "-" and (d.target != "?" or d.candidates)]
    if not waiting:
        return mentions
    norm, index = _normalised(st.text)
    for d in waiting:
        at = norm.find(d.text)
        while at >= 0:
            start, end = index[at], index[at + len(d.text) - 1] + 1
            word_edge = (start == 0 or not st.text[start - 1].isalnum()) and \
                (end == len(st.text) or not st.text[end].isalnum())
            line = linker.line_at(start)
            inside = [m for m in mentions if m.start < end and start < m.end]
            if word_edge and d.line in (0, line) and d.occurrence in (0, linker._occurrence(st.text, start, d.text, line)) \
                    and all(start <= m.start and m.end <= end and not m.decided for m in inside):
                mentions = [m for m in mentions if m not in inside]      # a shorter name inside is found again inside
                if d.target == "?":
                    found = Mention(start, end, [], [linker.register.entries[c] for c in d.candidates], cert="low",
                                    decided=True)
                else:
                    found = Mention(start, end, [], [linker.register.entries[d.target]], decided=True)
                mentions.append(found)
                linker.used.add(d)
            at = norm.find(d.text, at + 1)
    return sorted(mentions, key=lambda m: m.start)


def _unused(linker: Linker, text: etree._Element, doc_id: str) -> list[Decision]:
    """Decisions that matched nothing in this run and no name tagged earlier: their line or text is wrong.
    (A decision that a word is no name cannot be checked once an earlier run has left the word alone.)"""
    left = [d for ds in linker.decisions.values() for d in ds if d not in linker.used and d.target != "-"]
    if not left:
        return []
    tagged = set()
    for el in text.iter(*NAME_ELEMENTS):
        tagged.add((start_line(el), decision_key("".join(_source_text(el)))))
    return [d for d in left if (d.line, d.text) not in tagged and not (d.line == 0 and d.text in {t for _, t in tagged})]


def _source_text(el: etree._Element):
    """The source reading of a tagged name (sic, orig; not corr, reg), milestones left out."""
    if el.text:
        yield el.text
    for child in el:
        if child.tag not in (T + "corr", T + "reg") and child.tag not in MILESTONES:
            yield from _source_text(child)
        if child.tail:
            yield child.tail


def e0_kind(m: Mention) -> str:
    return m.entries[0].kind


def _line_of(el: etree._Element) -> int:
    """The source line a tagged element stands on (the nearest preceding <lb n>)."""
    for prev in el.itersiblings(preceding=True):
        if prev.tag == T + "lb" and prev.get("n"):
            return int(prev.get("n"))
        found = prev.findall(f".//{T}lb")
        if found and found[-1].get("n"):
            return int(found[-1].get("n"))
    parent = el.getparent()
    return _line_of(parent) if parent is not None and parent.tag != T + "text" else 0


MISPRINT = 0.75     # how alike a wrong form and one of the entry's own forms must be for the one to be a misprint of the other


def correction(sic: Form, entry: Entry, lang: str) -> str:
    """What the editors print for a wrong name. A misprint is corrected to the entry's own form it misspells, in the
    script it was printed in («Cinella» → «Cinnella»); a wrong name (a substitution: «Georgy Chicherin» printed for
    Steinberg) is replaced by the entry's name in the document's language."""
    from difflib import SequenceMatcher
    words = len(sic.text.split())
    own = [f.text for f in entry.forms if f.type != "sic" and len(f.text.split()) == words
           and script(f.text) == script(sic.text)]
    near = max(own, key=lambda t: SequenceMatcher(None, t, sic.text).ratio(), default=None)
    if near is not None and SequenceMatcher(None, near, sic.text).ratio() >= MISPRINT:
        return near
    return entry.preferred_in(lang)


def _encode_wrong_name(el: etree._Element, wrong: str, right: str) -> None:
    """Correct only what is wrong: «E. <choice><sic>Cinella</sic><corr resp="#ed">Cinnella</corr></choice>», the
    initials kept as printed; where the wrong form is the whole name, or cannot be told apart inside it (a line
    break in it), the choice holds the whole name, its correction the printed name with the wrong form replaced."""
    choice = etree.Element(T + "choice")
    sic = etree.SubElement(choice, T + "sic")
    corr = etree.SubElement(choice, T + "corr", resp="#ed")
    printed = el.text or ""
    at = printed.rfind(wrong)
    if len(el) == 0 and at >= 0 and printed.strip() != wrong:
        el.text, sic.text, choice.tail = printed[:at] or None, wrong, printed[at + len(wrong):] or None
        corr.text = right
        el.append(choice)
        return
    whole = "".join(_source_text(el))
    corr.text = " ".join(whole.replace(wrong, right).split()) if wrong in whole and whole.strip() != wrong else right
    sic.text = el.text
    for child in list(el):
        sic.append(child)
    el.text = None
    el.insert(0, choice)


TAGGED = (T + "persName", T + "orgName", T + "placeName")
CAPITALISED = re.compile(r"\b([A-ZА-ЯЁΑ-ΩΆΈΉΊΌΎΏ][a-zа-яёα-ωάέήίόύώϊϋΐΰς]{2,})")
SENTENCE_END = set(".!?…:;«\"“„([" + BARRIER)


def _collect_untagged(text: etree._Element, report: EntityReport) -> None:
    """Capitalised words inside sentences that no name covers: the review list."""
    for parent in streams(text):
        st = build(parent).text
        for m in CAPITALISED.finditer(st):
            before = st[:m.start()].rstrip()
            if before and before[-1] not in SENTENCE_END and looks_like_a_name(m.group(1)):
                report.untagged[m.group(1)] += 1


def looks_like_a_name(word: str) -> bool:
    """For the review list: a Russian word only if the dictionary calls it a name or does not know it."""
    if script(word) != "cyr":
        return True
    from .text import _morph
    parses = _morph().parse(word)
    return any({"Surn", "Name", "Geox", "Orgn", "Patr"} & p.tag.grammemes for p in parses[:2]) \
        or not parses[0].is_known
