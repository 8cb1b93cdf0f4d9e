"""The reading face, served with the site: Gentium Book Plus (SIL OFL; Debian fonts-sil-gentiumplus), cut
down to Latin, Cyrillic, Greek with polytonic accents and punctuation, as WOFF2. Subsetting takes seconds,
so the results are kept in .cache/fonts; without the Debian package the site uses the reader's fonts."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path


SOURCE = Path("/usr/share/fonts/truetype/gentiumplus")
LICENCE = Path("/usr/share/doc/fonts-sil-gentiumplus/copyright")  # the OFL travels with the font
FACES = {  # (style, weight) → file of the Debian package
    ("normal", 400): "GentiumBookPlus-Regular.ttf",
    ("italic", 400): "GentiumBookPlus-Italic.ttf",
    ("normal", 700): "GentiumBookPlus-Bold.ttf",
}
UNICODES = ("U+0020-007E,U+00A0-017F,U+0300-036F,U+0370-03FF,U+0400-045F,U+0490-0491,U+1F00-1FFF,"
            "U+2000-206F,U+20AC,U+2116,U+2190-2193,U+27E8-27E9")
FAMILY = "Edition Serif"


def _subset(src: Path, dst: Path) -> None:
    from fontTools import subset          # (0.1 s to import; needed once, then the subset is cached)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    font = subset.load_font(str(src), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(UNICODES))
    subsetter.subset(font)
    tmp = dst.with_suffix(".part")
    subset.save_font(font, str(tmp), options)
    font.close()
    tmp.rename(dst)


def web_fonts() -> list[Path]:
    """The files the site's fonts are made from (what `install_fonts` reads, besides its cache)."""
    return [SOURCE / name for name in FACES.values()] + [LICENCE]


def install_fonts(cache: Path, assets: Path) -> bool:
    """Write assets/fonts/*.woff2 and assets/fonts.css; False (and nothing written) without the fonts."""
    if not all((SOURCE / name).is_file() for name in FACES.values()):
        return False
    cache.mkdir(parents=True, exist_ok=True)
    (assets / "fonts").mkdir(parents=True, exist_ok=True)
    rules = []
    for (style, weight), name in FACES.items():
        src = SOURCE / name
        cached = cache / f"{src.stem}-{int(src.stat().st_mtime)}.woff2"
        if not cached.is_file():
            _subset(src, cached)
        target = f"{src.stem.lower()}.woff2"
        shutil.copy2(cached, assets / "fonts" / target)
        rules.append(f'@font-face {{ font-family: "{FAMILY}"; font-style: {style}; font-weight: {weight}; '
                     f'font-display: swap; src: url("fonts/{target}") format("woff2"); }}')
    if LICENCE.is_file():
        shutil.copy2(LICENCE, assets / "fonts" / "LICENCE.txt")
    (assets / "fonts.css").write_text("/* Gentium Book Plus, SIL Open Font License 1.1 */\n" + "\n".join(rules) + "\n",
                                      encoding="utf-8")
    return True
