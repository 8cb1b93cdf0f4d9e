"""Words and their keys: how a word in the text is compared with a name form in the register.

Russian words are compared by lemma (pymorphy3: Ленина, Ленину, Лениным → ленин), Greek words without
accents and with final sigma folded, Latin words in lower case. Latin letters that look like Cyrillic or
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
    """Same length: a Latin look-alike between (or next to) Cyrillic/Greek letters becomes that script's letter."""
    out = list(text)
    n = len(text)
    for i, ch in enumerate(text):
        if not ("A" <= ch <= "z") or (ch not in TO_CYRILLIC and ch not in TO_GREEK):
            continue
        ctx = None
        for j in (i - 1, i + 1, i - 2, i + 2):
            if 0 <= j < n and text[j].isalpha() and script(text[j]) != "lat":
                ctx = script(text[j])
                break
        if ctx is None:
            continue
        # Only when no Latin letter is next to it: "Communistе" is a Latin word with one Cyrillic letter.
        if any(0 <= j < n and text[j].isalpha() and script(text[j]) == "lat" and text[j] not in TO_GREEK
               and text[j] not in TO_CYRILLIC for j in (i - 1, i + 1)):
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


@lru_cache(maxsize=200_000)
def pattern_keys(word: str) -> frozenset[str]:
    """The keys under which a word is compared with register forms (always analysed)."""
    sc = script(word)
    low = word.lower().replace("ё", "е")
    if sc == "grc":
        return frozenset({strip_accents(low).replace("ς", "σ")})
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
