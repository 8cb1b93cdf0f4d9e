"""Is a line-end hyphen the printer's (join the word) or a real one (keep it)?

Evidence, strongest first: numbers (1917-1920) and a capital after the hyphen (Брест-Литовский) keep it;
particles and words that the document's language writes with a hyphen (languages.py: по-новому, кто-то,
во-первых) keep it; then attestation in the corpus (the joined or the hyphenated form written out inside a
line elsewhere); then, for a language pymorphy3 knows (Russian), morphology (it knows the joined word, or
both halves but not the joined word) and the first parts of hyphenated compounds. Whatever is decided without
strong evidence is returned as uncertain, for the import report.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pymorphy3

from ..diagnostics import EditionError
from ..fidelity import read_source
from .languages import Language

WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)


@dataclass(frozen=True)
class Decision:
    kind: str        # "soft" (printer's hyphen: join) or "hard" (real hyphen: keep)
    certain: bool
    reason: str


class Lexicon:
    """Word forms written out inside lines anywhere in the corpus (never split by a line end)."""

    def __init__(self, texts: list[str]):
        self.words: Counter[str] = Counter()
        for text in texts:
            for line in text.split("\n"):
                tokens = WORD.findall(line)
                # the last token of a line ending in a hyphen is a fragment, and so is the first of the next
                if line.rstrip().endswith("-") and tokens:
                    tokens = tokens[:-1]
                for tok in tokens[1:] if tokens else ():
                    self.words[tok.lower()] += 1
                if tokens:
                    self.words[tokens[0].lower()] += 0  # first tokens may be continuations: do not count

    @classmethod
    def from_folder(cls, folder: Path) -> "Lexicon":
        """All witnesses of the folder; one that the toolkit refuses (huge, not UTF-8, empty) is left out
        here, so that it stops only its own import, with its own message."""
        texts = []
        for path in sorted(folder.glob("*.txt")):
            try:
                texts.append(read_source(path))
            except EditionError:
                continue
        return cls(texts)

    def count(self, form: str) -> int:
        return self.words.get(form.lower(), 0)


@lru_cache(maxsize=1)
def _morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()       # its dictionaries load in seconds: only when a hyphen needs them


def _known(word: str) -> bool:
    return bool(word) and _morph().word_is_known(word.lower())


def decide(left: str, right: str, lexicon: Lexicon | None, lang: Language) -> Decision:
    """left: the text before the line-end hyphen (the last word part); right: the next line's first word."""
    lw = re.findall(r"[^\W_]+$", left)
    rw = re.findall(r"^[^\W_]+", right)
    lpart, rpart = (lw[0] if lw else ""), (rw[0] if rw else "")
    if not lpart or not rpart:
        return Decision("hard", False, "no word on one side of the hyphen")
    if lpart[-1].isdigit() or rpart[0].isdigit():
        return Decision("hard", True, "digits on a side of the hyphen (a range or a compound number)")
    if rpart[0].isupper() and not rpart.isupper():
        return Decision("hard", True, "capital letter after the hyphen")
    # a particle (кто-то, вот-де) unless the halves make a word of their own (вез|де, мес|то, ру|ка)
    if rpart.lower() in lang.hyphen_particles and not (lang.morphology and _known(lpart + rpart)):
        return Decision("hard", True, f"particle -{rpart} is written with a hyphen")
    for firsts, second, reason in lang.hyphen_words:
        if lpart.lower() in firsts and (not second or re.match(f"(?i){second}", rpart)):
            return Decision("hard", True, reason)
    joined, hyphenated = lpart + rpart, f"{lpart}-{rpart}"
    if lexicon is not None:
        j, h = lexicon.count(joined), lexicon.count(hyphenated)
        if j and not h:
            return Decision("soft", True, f"'{joined}' attested {j}× in the corpus")
        if h and not j:
            return Decision("hard", True, f"'{hyphenated}' attested {h}× in the corpus")
        if h and j:
            return Decision("soft" if j >= h else "hard", False, f"both attested: joined {j}×, hyphenated {h}×")
    if not lang.morphology:
        return Decision("soft", False, "no evidence; printer's hyphen assumed")
    if lpart.lower() in lang.hyphen_compounds:
        return Decision("hard", True, f"{lpart}- forms hyphenated compounds")
    if _known(joined):
        return Decision("soft", True, f"'{joined}' is a {lang.name} word form (pymorphy3)")
    if _known(lpart) and _known(rpart) and len(lpart) > 3 and len(rpart) > 3:
        return Decision("hard", False, f"'{joined}' unknown, both '{lpart}' and '{rpart}' known: hyphenated compound")
    return Decision("soft", False, f"no evidence for '{joined}' or '{hyphenated}'; printer's hyphen assumed")
