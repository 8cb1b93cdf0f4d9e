"""The print edition's fonts: files found at build time, @font-face rules, and a coverage check.

The book face is Gentium Book Plus (Debian package fonts-sil-gentiumplus: Latin, Cyrillic with the
pre-reform letters, polytonic Greek). The few symbols it lacks (e.g. U+2217 used as a note call) come
from DejaVu Serif (fonts-dejavu-core), declared with a unicode-range holding exactly those characters,
so no character ever falls back silently to whatever fontconfig finds. Fonts are loaded from their files
(@font-face with file URLs), never by family name.

Scripts neither face has (Hebrew, Arabic, CJK …) come from a fallback face, again only for the characters
that need it: first the font files the edition names (edition.toml `[print] fonts`), then the faces of
FALLBACKS found on this machine (Debian packages fonts-noto-core, fonts-noto-cjk or fonts-wqy-microhei),
each its own family (WeasyPrint mixes up the glyphs of two files declared under one family). A character
no face has stops the print edition with one short error: the document, the scripts, how many characters,
where the first stands and which package or key gives a font for them.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

from ..diagnostics import EditionError

BOOK_FAMILY = "Gentium Book Plus"
BOOK_PACKAGE = "fonts-sil-gentiumplus"
BOOK_FILES = {  # (font-style, font-weight) → file name
    ("normal", "normal"): "GentiumBookPlus-Regular.ttf",
    ("italic", "normal"): "GentiumBookPlus-Italic.ttf",
    ("normal", "bold"): "GentiumBookPlus-Bold.ttf",
    ("italic", "bold"): "GentiumBookPlus-BoldItalic.ttf",
}
SYMBOL_FAMILY = "Edition Symbols"
SYMBOL_PACKAGE = "fonts-dejavu-core"
SYMBOL_FILES = {("normal", "normal"): "DejaVuSerif.ttf", ("italic", "normal"): "DejaVuSerif-Italic.ttf",
                ("normal", "bold"): "DejaVuSerif-Bold.ttf", ("italic", "bold"): "DejaVuSerif-BoldItalic.ttf"}

FALLBACK_FAMILY = "Edition Fallback"   # + a number: one family per fallback face


@dataclass(frozen=True)
class Fallback:
    """A face for a script the book face lacks: its files (regular, bold) and the Debian package holding them."""
    script: str
    regular: str
    bold: str
    package: str


FALLBACKS = (
    Fallback("Hebrew", "NotoSerifHebrew-Regular.ttf", "NotoSerifHebrew-Bold.ttf", "fonts-noto-core"),
    Fallback("Arabic", "NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf", "fonts-noto-core"),
    Fallback("Syriac", "NotoSansSyriac-Regular.ttf", "NotoSansSyriac-Regular.ttf", "fonts-noto-core"),
    Fallback("Armenian", "NotoSerifArmenian-Regular.ttf", "NotoSerifArmenian-Bold.ttf", "fonts-noto-core"),
    Fallback("Georgian", "NotoSerifGeorgian-Regular.ttf", "NotoSerifGeorgian-Bold.ttf", "fonts-noto-core"),
    Fallback("Devanagari", "NotoSerifDevanagari-Regular.ttf", "NotoSerifDevanagari-Bold.ttf", "fonts-noto-core"),
    Fallback("Bengali", "NotoSerifBengali-Regular.ttf", "NotoSerifBengali-Bold.ttf", "fonts-noto-core"),
    Fallback("Tamil", "NotoSerifTamil-Regular.ttf", "NotoSerifTamil-Bold.ttf", "fonts-noto-core"),
    Fallback("Thai", "NotoSerifThai-Regular.ttf", "NotoSerifThai-Bold.ttf", "fonts-noto-core"),
    Fallback("Ethiopic", "NotoSerifEthiopic-Regular.ttf", "NotoSerifEthiopic-Bold.ttf", "fonts-noto-core"),
    Fallback("CJK", "NotoSerifCJK-Regular.ttc", "NotoSerifCJK-Bold.ttc", "fonts-noto-cjk"),
    Fallback("CJK", "wqy-microhei.ttc", "wqy-microhei.ttc", "fonts-wqy-microhei"),
)
# Unicode names whose first word is not the script's name as readers know it
SCRIPT_NAMES = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "CJK", "BOPOMOFO": "CJK", "IDEOGRAPHIC": "CJK",
                "KANGXI": "CJK", "FULLWIDTH": "CJK", "HALFWIDTH": "CJK", "CJK": "CJK"}

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts")
FALLBACK_DIRS = FONT_DIRS    # where the fallback faces are looked for (a test points it elsewhere)
# characters no font needs to draw (spaces, controls, joiners, soft hyphen)
INVISIBLE = {"\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}


@dataclass(frozen=True)
class Face:
    family: str
    style: str
    weight: str
    path: Path


def _find(name: str, package: str, dirs: tuple[Path, ...]) -> Path:
    for folder in dirs:
        if folder.is_dir():
            found = sorted(folder.rglob(name))
            if found:
                return found[0]
    where = ", ".join(str(d) for d in dirs)
    raise EditionError(f"font file {name} not found (searched {where})",
                       hint=f"install the Debian package {package}: apt-get install {package} (make setup does)")


@lru_cache(maxsize=4)
def faces(dirs: tuple[Path, ...] = FONT_DIRS) -> tuple[Face, ...]:
    """The book faces and the symbol faces, as files on this machine; a clear error if one is missing."""
    book = [Face(BOOK_FAMILY, s, w, _find(n, BOOK_PACKAGE, dirs)) for (s, w), n in BOOK_FILES.items()]
    symbols = [Face(SYMBOL_FAMILY, s, w, _find(n, SYMBOL_PACKAGE, dirs)) for (s, w), n in SYMBOL_FILES.items()]
    return tuple(book + symbols)


@lru_cache(maxsize=64)
def _cmap(path: Path) -> frozenset[int]:
    number = 0 if path.suffix.lower() in (".ttc", ".otc") else -1     # a collection: its first face
    with TTFont(str(path), lazy=True, fontNumber=number) as font:
        return frozenset(font["cmap"].getBestCmap())


@dataclass(frozen=True)
class FallbackFace:
    family: str
    regular: Path
    bold: Path
    script: str       # what it is for, in messages: a script, or the file the edition names


def _found(name: str, dirs: tuple[Path, ...]) -> Path | None:
    for folder in dirs:
        if folder.is_dir():
            found = sorted(folder.rglob(name))
            if found:
                return found[0]
    return None


@lru_cache(maxsize=8)
def fallback_faces(extra: tuple[Path, ...] = (), dirs: tuple[Path, ...] = FONT_DIRS) -> tuple[FallbackFace, ...]:
    """The fallback faces, in the order they are tried: the edition's own font files, then those of FALLBACKS
    installed on this machine."""
    faces_ = [FallbackFace("", path, path, path.name) for path in extra]
    for fb in FALLBACKS:
        regular = _found(fb.regular, dirs)
        if regular is not None:
            faces_.append(FallbackFace("", regular, _found(fb.bold, dirs) or regular, fb.script))
    return tuple(FallbackFace(f"{FALLBACK_FAMILY} {i}", f.regular, f.bold, f.script)
                 for i, f in enumerate(faces_, 1))


def fallback_plan(chars: set[str] | Counter, extra: tuple[Path, ...] = ()
                  ) -> tuple[dict[FallbackFace, list[str]], list[str]]:
    """The characters the book and symbol faces cannot draw, each given to the first fallback face that has
    it; and those no face has (sorted)."""
    lacking = sorted(set().union(*missing_glyphs(chars).values()))
    plan: dict[FallbackFace, list[str]] = {}
    nobody = []
    for c in lacking:
        face = next((f for f in fallback_faces(extra, FALLBACK_DIRS) if ord(c) in _cmap(f.regular)), None)
        if face is None:
            nobody.append(c)
        else:
            plan.setdefault(face, []).append(c)
    return plan, nobody


def script_of(c: str) -> str:
    """A character's script as readers name it ("Hebrew", "CJK"), from its Unicode name."""
    first = unicodedata.name(c, f"U+{ord(c):04X}").split()[0]
    return SCRIPT_NAMES.get(first, first.title())


def undrawable(text: str, nobody: list[str], where: str, source: str | None = None) -> EditionError:
    """One short error for the characters no font draws: which document (`where`), scripts, how many, where
    the first stands in the `source` text (the TEI file's text: line and column), how to fix it."""
    missing = set(nobody)
    count = sum(1 for c in text if c in missing)
    scripts = sorted({script_of(c) for c in missing})
    first = next((i for i, c in enumerate(source or "") if c in missing), None)
    if first is not None and source is not None:
        line = source.count("\n", 0, first) + 1
        where = f"{where}:{line}:{first - source.rfind(chr(10), 0, first)}"
    shown = source[first] if first is not None and source is not None else sorted(missing)[0]
    packages = sorted({fb.package for fb in FALLBACKS if fb.script in scripts})
    install = (f"install {' '.join(packages)} (apt-get install {' '.join(packages)}); " if packages else "")
    return EditionError(
        f"{where}: the PDF cannot draw {count} character{'s' * (count != 1)} ({len(missing)} different) of the "
        f"{', '.join(scripts)} script{'s' * (len(scripts) != 1)}, e.g. {shown} U+{ord(shown):04X}: no font on "
        "this machine has them",
        hint=f"{install}or name a font file that has them in edition.toml: [print] fonts = [\"fonts/MyFont.ttf\"] "
             "(a file inside the edition's folder)")


def drawable(chars: set[str] | Counter) -> set[str]:
    return {c for c in chars if not c.isspace() and c not in INVISIBLE and ord(c) >= 0x20}


def not_covered(chars: set[str] | Counter, family: str = BOOK_FAMILY) -> dict[str, list[str]]:
    """Per face file of `family`: the characters (sorted) its cmap lacks."""
    wanted = drawable(chars)
    return {f.path.name: sorted(c for c in wanted if ord(c) not in _cmap(f.path))
            for f in faces() if f.family == family}


def missing_glyphs(chars: set[str] | Counter) -> dict[str, list[str]]:
    """Per book face: characters neither the book face nor its symbol face can draw (should be empty)."""
    symbol = {(f.style, f.weight): _cmap(f.path) for f in faces() if f.family == SYMBOL_FAMILY}
    result = {}
    for f in faces():
        if f.family != BOOK_FAMILY:
            continue
        lacking = sorted(c for c in drawable(chars)
                         if ord(c) not in _cmap(f.path) and ord(c) not in symbol[(f.style, f.weight)])
        if lacking:
            result[f.path.name] = lacking
    return result


def _unicode_range(chars: list[str]) -> str:
    return ", ".join(f"U+{ord(c):04X}" for c in chars)


def font_face_css(chars: set[str] | Counter, extra: tuple[Path, ...] = ()) -> str:
    """@font-face rules: the book face, the symbol face limited to the characters the book face lacks and it
    has, and each fallback face limited to the characters given to it (fallback_plan); italic is the
    upright face (the fallback scripts have no italic)."""
    rules = []
    for f in faces():
        if f.family == BOOK_FAMILY:
            rules.append(f'@font-face {{ font-family: "{f.family}"; src: url("{f.path.as_uri()}"); '
                         f"font-style: {f.style}; font-weight: {f.weight}; }}")
    symbol = {ord(c) for c in drawable(chars)} & set().union(*(_cmap(f.path) for f in faces()
                                                                if f.family == SYMBOL_FAMILY))
    lacking = sorted(c for c in set().union(*not_covered(chars).values()) if ord(c) in symbol)
    if lacking:
        for f in faces():
            if f.family == SYMBOL_FAMILY:
                rules.append(f'@font-face {{ font-family: "{f.family}"; src: url("{f.path.as_uri()}"); '
                             f"font-style: {f.style}; font-weight: {f.weight}; "
                             f"unicode-range: {_unicode_range(lacking)}; }}")
    plan, _ = fallback_plan(chars, extra)
    for face, assigned in plan.items():
        for style in ("normal", "italic"):
            for weight, path in (("normal", face.regular), ("bold", face.bold)):
                rules.append(f'@font-face {{ font-family: "{face.family}"; src: url("{path.as_uri()}"); '
                             f"font-style: {style}; font-weight: {weight}; unicode-range: {_unicode_range(assigned)}; }}")
    return "\n".join(rules)


def family_css(chars: set[str] | Counter, extra: tuple[Path, ...] = ()) -> str:
    """The root's font-family with the fallback faces the text needs after the book and symbol faces (a sheet
    read after print.css); empty when none is needed."""
    plan, _ = fallback_plan(chars, extra)
    if not plan:
        return ""
    families = ", ".join(f'"{f}"' for f in (BOOK_FAMILY, SYMBOL_FAMILY, *(face.family for face in plan)))
    return f"html {{ font-family: {families}; }}"


def check_document(tei_path: Path, html: str, extra: tuple[Path, ...] = (), shown_path: str | None = None) -> None:
    """Stop, with one short error naming the TEI file and where its first such character stands, when the
    print edition of a document (its `html`) holds characters no face can draw."""
    _, nobody = fallback_plan(set(html), extra)
    if nobody:
        source = tei_path.read_text(encoding="utf-8", errors="replace") if tei_path.is_file() else None
        raise undrawable(html, nobody, shown_path or str(tei_path), source)
