"""Words and their keys: how a word in the text is compared with a name form in the register.

Russian words are compared by lemma (pymorphy3: Ленина, Ленину, Лениным → ленин), Greek words without
accents, with final sigma folded and by their stem without the case ending (Συνέλευσης → συνελευσ), Latin words
in lower case. Latin letters that look like Cyrillic or
Greek ones (an OCR habit of the sources: "Κ.E.Ε.", "cъезда") are read as the script around them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

TOKEN = re.compile(r"[^\W\d_]+|\d+|[^\w\s]")

# Latin letters that print like a Cyrillic / Greek letter.
TO_CYRILLIC = dict(zip("AaBCcEeHKkMOoPpTXxYy", "АаВСсЕеНКкМОоРрТХхУу"))
TO_GREEK = dict(zip("ABEHIKMNOPTXYZov", "ΑΒΕΗΙΚΜΝΟΡΤΧΥΖον"))


def script(word: str) -> str:
    for ch in word:
        if "\u0400" <= ch <= "\u04ff":
            return "cyr"
        if "\u0370" <= ch <= "\u03ff" or "\u1f00" <= ch <= "\u1fff":
            return "grc"
    return "lat"


def fold_homoglyphs(text: str) -> str:
    """Same length: a Latin look-alike inside a Cyrillic or Greek word ("cъезда", "Aριστεροί"), or standing as
    one letter of a dotted abbreviation between letters of that script ("Κ.E.Ε."), becomes that script's letter.
    A Latin word is left alone, also after a Greek or Russian word ("του Melancon")."""
    out = list(text)
    n = len(text)
    for i, ch in enumerate(text):
        if not ("A" <= ch <= "z") or (ch not in TO_CYRILLIC and ch not in TO_GREEK):
            continue
        a = i
        while a > 0 and text[a - 1].isalpha():
            a -= 1
        b = i + 1
        while b < n and text[b].isalpha():
            b += 1
        word = text[a:b]
        others = [c for c in word if script(c) != "lat"]
        if others:
            ctx = script(others[0])
        elif len(word) == 1:              # one letter: the letters beyond the dots around it
            near = [text[j] for j, dot in ((i - 2, i - 1), (i + 2, i + 1))
                    if 0 <= j < n and text[dot] == "." and text[j].isalpha() and script(text[j]) != "lat"]
            if not near:
                continue
            ctx = script(near[0])
        else:
            continue
        # Only when the word has no Latin letter without a look-alike: "Communistе" is a Latin word with one
        # Cyrillic letter.
        if any(script(c) == "lat" and c not in TO_GREEK and c not in TO_CYRILLIC for c in word):
            continue
        table = TO_CYRILLIC if ctx == "cyr" else TO_GREEK
        out[i] = table.get(ch, ch)
    return "".join(out)


def strip_accents(word: str) -> str:
    return "".join(unicodedata.normalize("NFD", c)[0] for c in word)


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3
    return pymorphy3.MorphAnalyzer()


NAME_TAGS = {"Surn", "Name", "Patr", "Geox", "Orgn", "Trad", "Abbr"}


# First letters of the register's Russian name forms: only words that begin like one of them are worth
# the morphological analysis (which is the annotator's main cost). Filled by register.load.
MORPH_PREFIXES: set[str] = set()
PREFIX = 3


# Greek case endings, longest first: "Συντακτικής Συνέλευσης" is "Συντακτική Συνέλευση" (the register lists one
# form; the translation declines it). A stem keeps at least four letters, so short words stay whole.
GREEK_ENDINGS = ("ους", "οις", "ων", "ου", "οσ", "ησ", "εσ", "ασ", "οι", "ει", "α", "η", "ο", "ε", "ι", "υ")


def greek_stem(folded: str) -> str:
    """A Greek word (lower case, no accents, final sigma folded) without its case ending."""
    for ending in GREEK_ENDINGS:
        if folded.endswith(ending) and len(folded) - len(ending) >= 4:
            return folded[: -len(ending)]
    return folded


@lru_cache(maxsize=200_000)
def pattern_keys(word: str) -> frozenset[str]:
    """The keys under which a word is compared with register forms (always analysed)."""
    sc = script(word)
    low = word.lower().replace("ё", "е")
    if sc == "grc":
        folded = strip_accents(low).replace("ς", "σ")
        return frozenset({folded, greek_stem(folded)})
    if sc == "lat" or len(word) < 2 or (word.isupper() and len(word) > 1):
        return frozenset({low})
    found = {low}
    for p in _morph().parse(word):
        found.add(p.normal_form.replace("ё", "е"))
    return frozenset(found)


@lru_cache(maxsize=200_000)
def keys(word: str) -> frozenset[str]:
    """Like pattern_keys, but a Russian word unlike any register form is not analysed."""
    low = word.lower().replace("ё", "е")
    if script(word) == "cyr" and MORPH_PREFIXES and low[:PREFIX] not in MORPH_PREFIXES \
            and low[:PREFIX - 1] not in MORPH_PREFIXES:     # "Яном" for the two-letter "Ян"
        return frozenset({low})
    return pattern_keys(word)


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def word(self) -> bool:
        return self.text[0].isalpha()


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)]
