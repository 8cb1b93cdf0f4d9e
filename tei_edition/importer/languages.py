"""The languages a document may be imported in, with the facts about each that the importer's rules need
(importer/inline.py, importer/hyphens.py) and its name for the header. A new language is one entry here; what
a language lacks here (how its source editors sign a remark, which words it writes with a hyphen), a profile
can give in its [inline] table. Only what the edition's sources showed is filled in: Russian and Greek."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str
    name: str                                   # for the header's langUsage
    capitals: str = "A-Z"                       # the body of a regular-expression class: its capital letters
    small: str = "a-z"                          # … and its small letters (Latin a-z are always small letters too)
    closing_quotes: str = "”\""                 # quotes that close a quotation
    quote: str = "”"                            # the closing quote a call most often follows
    latin_script: bool = True                   # written in Latin letters (a glued Roman numeral is then a word)
    editors_marks: tuple[str, ...] = ()         # how the source's editors sign a bracketed remark, without the dot
    hyphen_particles: tuple[str, ...] = ()      # words after a line-end hyphen that keep it (кто-то)
    hyphen_words: tuple[tuple[tuple[str, ...], str, str], ...] = ()   # (first parts, second part, reason)
    hyphen_compounds: frozenset[str] = frozenset()   # first parts of hyphenated compounds (социал-)
    morphology: bool = False                    # pymorphy3 knows its word forms
    script: str = "A-Za-z\u00c0-\u024f"         # the characters of its script (to tell its words)
    lookalikes: str = ""                        # Latin capitals that look like letters of its script
    intruders: tuple[tuple[str, str], ...] = ()  # characters of other scripts mistaken for its own: (char, what)

    @property
    def letters(self) -> str:
        return self.capitals + self.small


_RUSSIAN = Language(
    "ru", "Russian", capitals="А-ЯЁ", small="а-яё", closing_quotes="»”\"", quote="»", latin_script=False,
    editors_marks=("Ред",),
    hyphen_particles=("то", "либо", "нибудь", "таки", "ка", "де", "с"),
    hyphen_words=((("по",), "(ру|нем|франц|англ|нов|сво|друг|стар|ин|настоящ|прежн|разн|больш)",
                   "adverb по-…ому/…ски is written with a hyphen"),
                  (("во", "в"), "(перв|втор|трет|четв)", "во-первых, в-третьих are written with a hyphen"),
                  (("кое",), "", "кое- is written with a hyphen")),
    hyphen_compounds=frozenset({"социал", "вице", "экс", "обер", "унтер", "штаб", "лейб", "премьер", "генерал",
                                "военно", "партийно", "государственно", "историко", "научно", "рабоче",
                                "крестьянско"}),
    morphology=True, script="\u0400-\u04ff", lookalikes="ABCEHKMOPTXY")

# The languages an imported document may be in (profile `lang`, `other_langs`), with what the rules need.
LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (
    _RUSSIAN,
    Language("el", "Greek", capitals="Α-ΩΆΈΉΊΌΎΏΪΫ", small="α-ωάέήίόύώϊϋΐΰ", closing_quotes="»”\"", quote="»",
             latin_script=False,
             script="\u0370-\u03ff\u1f00-\u1fff", lookalikes="ABEHIKMNOPTXYZ",
             intruders=(("µ", "micro sign µ (Greek μ?)"), ("∙", "bullet operator ∙ (upper stop ·?)"))),
    Language("en", "English"),
    Language("de", "German"),
    Language("fr", "French"),
    Language("la", "Latin"),
    Language("ru-Latn", "Russian in Latin transliteration"),
)}
