"""The print edition's fonts: files found at build time, @font-face rules, and a coverage check.

The book face is Gentium Book Plus (Debian package fonts-sil-gentiumplus: Latin, Cyrillic with the
pre-reform letters, polytonic Greek). The few symbols it lacks (e.g. U+2217 used as a note call) come
from DejaVu Serif (fonts-dejavu-core), declared with a unicode-range holding exactly those characters,
so no character ever falls back silently to whatever fontconfig finds. Fonts are loaded from their files
(@font-face with file URLs), never by family name.
"""

from __future__ import annotations

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

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts")
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


@lru_cache(maxsize=16)
def _cmap(path: Path) -> frozenset[int]:
    with TTFont(str(path), lazy=True) as font:
        return frozenset(font["cmap"].getBestCmap())


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


def font_face_css(chars: set[str] | Counter) -> str:
    """@font-face rules: the book face, and the symbol face limited to the characters the book face lacks."""
    rules = []
    for f in faces():
        if f.family == BOOK_FAMILY:
            rules.append(f'@font-face {{ font-family: "{f.family}"; src: url("{f.path.as_uri()}"); '
                         f"font-style: {f.style}; font-weight: {f.weight}; }}")
    lacking = sorted(set().union(*not_covered(chars).values()))
    if lacking:
        for f in faces():
            if f.family == SYMBOL_FAMILY:
                rules.append(f'@font-face {{ font-family: "{f.family}"; src: url("{f.path.as_uri()}"); '
                             f"font-style: {f.style}; font-weight: {f.weight}; "
                             f"unicode-range: {_unicode_range(lacking)}; }}")
    return "\n".join(rules)


def describe_missing(missing: dict[str, list[str]]) -> str:
    return "; ".join(f"{face}: " + " ".join(f"U+{ord(c):04X} {c}" for c in chars) for face, chars in missing.items())
