"""What the layouts share about the text of a line, and the facts about a language that those rules need.

Every parser reads lines of text and must tell the same few things in them: where a note is called, what a
bracket of the source's own editors means, whether a line ends a sentence or goes on with a small letter,
whether a line-end hyphen is the printer's (importer/hyphens.py decides that with these facts). The rules
are written once, here, over the language of the document (importer/languages.py: its capital and small
letters, its closing quotes, the words it writes with a hyphen, how its editors sign a remark), so that a book
in Greek or English in a known layout is a new profile, not new code. A profile adapts its language's facts in an
`[inline]` table (`sources/profiles/NNN.toml`), e.g.

    [inline]
    editors_marks = ["Ред", "Прим. ред"]      # a bracketed remark signed "– Ред." is the source's editors'
    hyphen_particles = ["то", "либо"]          # words after a line-end hyphen that keep it
"""

from __future__ import annotations

import re
from dataclasses import fields, replace
from functools import lru_cache
from typing import Any

from .languages import LANGUAGES, Language
from .profile import Profile

SENTENCE_MARKS = ".!?…"           # marks that end a sentence
PAUSE_MARKS = ",;:!?."            # after which a note call may stand


_LISTS = {f.name for f in fields(Language) if f.name in ("editors_marks", "hyphen_particles")}
_STRINGS = {"capitals", "small", "closing_quotes", "quote"}


def language(profile: Profile) -> Language:
    """The document's language as the rules need it: LANGUAGES[profile.lang], adapted by the profile's [inline]."""
    base = LANGUAGES[profile.lang]
    changes: dict[str, Any] = {}
    for key in profile.get("inline", {}) or {}:
        if key in _LISTS:
            changes[key] = tuple(profile.get(f"inline.{key}", [""]))
        elif key in _STRINGS:
            changes[key] = profile.get(f"inline.{key}", "")
        else:
            raise profile.error(f"inline.{key}", f"[inline]: unknown key `{key}`",
                                f"the keys of [inline] are {', '.join(sorted(_LISTS | _STRINGS))}")
    return replace(base, **changes) if changes else base


def language_of(profile: Profile, code: str | None) -> Language:
    """The rules' facts for a passage in language `code` (the document's own, with its profile's [inline]
    adaptations, when `code` is the document's language or None)."""
    return language(profile) if code in (None, profile.lang) else LANGUAGES[code]


# ---- sentences and lines --------------------------------------------------------------------------------

@lru_cache(maxsize=32)
def sentence_end(lang: Language) -> re.Pattern[str]:
    """A text that ends a sentence: a sentence mark, then closing quotes or brackets (a call already cut off)."""
    return re.compile(rf"[{SENTENCE_MARKS}][{re.escape(lang.closing_quotes)})]*\.?$")


@lru_cache(maxsize=32)
def clause_end(lang: Language, call: bool = False) -> re.Pattern[str]:
    """A line that may end a paragraph: it ends with a sentence or clause mark, a closing quote or bracket
    (with `call`, a note call may follow: a figure, a small Roman numeral or an asterisk)."""
    marks = SENTENCE_MARKS + ":;)" + lang.closing_quotes + ("*" if call else "")
    tail = r"\s*(\d{1,3}|[ivx]{1,5})?\s*$" if call else r"\s*$"
    return re.compile(f"[{re.escape(marks)}]{tail}")


@lru_cache(maxsize=32)
def small_start(lang: Language) -> re.Pattern[str]:
    """A line that goes on with a small letter (the sentence runs on from the line before)."""
    return re.compile(rf"^\s*[a-z{lang.small}]")


# ---- note calls -----------------------------------------------------------------------------------------

def call_after(lang: Language) -> str:
    """What a note call follows, besides a word: the end of a word group (punctuation, closing quotes)."""
    return PAUSE_MARKS + lang.closing_quotes + ")…"


@lru_cache(maxsize=32)
def glued_call(lang: Language) -> re.Pattern[str]:
    """Figures glued to the end of a word or of a closing quote or bracket ("переговоров13."): a call."""
    closers = re.escape(lang.closing_quotes + ")")
    return re.compile(rf"(?=\d)(?<=[^\W\d_]|[{closers}\]])(\d{{1,3}})(?=[\s.,;:!?{closers}]|$)")


def numbered_call(label: str, lang: Language) -> re.Pattern[str]:
    """The call of a note labelled with a figure: glued to a word, a closing quote or a pause mark."""
    before = re.escape(lang.closing_quotes + "’'" + PAUSE_MARKS + ")…]")
    return re.compile(rf"(?<=[^\W\d_]|[{before}])" + re.escape(label) + r"(?![\d\w\-–])")


def roman_call(label: str, lang: Language) -> re.Pattern[str]:
    """The call of a note labelled with a small Roman numeral: glued to a word of a script other than
    Latin (in Latin script such a numeral is part of the word), or to punctuation."""
    letters = "" if lang.latin_script else lang.letters
    before = letters + re.escape(lang.closing_quotes + "’" + PAUSE_MARKS + ")…]")
    return re.compile(rf"(?<=[{before}])" + re.escape(label) + r"(?![A-Za-z\d])")


@lru_cache(maxsize=32)
def strong_call(lang: Language) -> re.Pattern[str]:
    """A figure that can only be a note call: after the closing quote, or after the full stop (comma,
    semicolon) that ends a long word."""
    q = re.escape(lang.quote)
    return re.compile(rf"(?:(?<={q})|(?<={q}[.,;])|(?<=[^\W\d_]{{4}}[.,;]))(\d{{1,2}})(?=\s|$)")


# ---- the source's own brackets and remarks --------------------------------------------------------------

def bracket_kind(text: str, before: str, after: str, lang: Language) -> str:
    """What a bracket printed by the source is: "omission" […], "sic", "editor-remark" (signed by the
    source's editors or with initials: [… – Ред.]), "expansion" (inside a word: напр[имер]) or "insertion"."""
    inner = text[1:-1].strip()
    if inner in ("…", "...", ". . ."):
        return "omission"
    if inner.lower() == "sic":
        return "sic"
    marks = "|".join(re.escape(m) + r"\.?" for m in lang.editors_marks)
    initials = rf"[{lang.capitals}]\.\s?[{lang.capitals}]\."
    if re.search(rf"[–—-]\s*({marks + '|' if marks else ''}{initials})$", inner):
        return "editor-remark"
    if re.search(r"[^\W\d_]$", before) or re.match(r"[^\W\d_]", after):
        return "expansion"
    return "insertion"


def signed_remark(signature: str, lang: Language) -> re.Pattern[str]:
    """An author's remark inside a note, a sentence of its own signed "– А.И.": from its capital to the
    signature."""
    return re.compile(rf"(?<=\. )[{lang.capitals}][^.]*?[–—] {re.escape(signature)}")


# ---- letters of another script ----------------------------------------------------------------------------

def script_pattern(lang: Language) -> re.Pattern[str]:
    """A character of the language's script."""
    return re.compile(f"[{lang.script}]")


def lone_lookalike(lang: Language) -> re.Pattern[str] | None:
    """A Latin capital that looks like a letter of the language's script, standing alone as a word or an
    initial ("N. Αλεξέγιεφ"); None for a language in Latin script."""
    return re.compile(rf"(?<!\S)[{lang.lookalikes}]\.?(?=\s)") if lang.lookalikes else None
