"""Golden output of the XSLT: `python -m tests.golden --refresh` (make golden) rewrites the expected HTML
after an intended change; tests/test_render_golden.py compares the current output with it."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tei_edition import i18n  # noqa: E402
from tei_edition.html import fragment, transform as html  # noqa: E402

GOLDEN = Path(__file__).resolve().parent
# Real paragraphs cut from the documents (tests/golden/excerpts.xml): a fixture, so that curating the
# documents never changes the golden output; only a change of the XSLT does.
CASES = {"excerpts.html": GOLDEN / "excerpts.xml"}


def normalise(text: str) -> str:
    """One element per line (HTML serialisation), so a diff points at the element that changed."""
    tree = fragment.parse(text)
    for el in tree.iter():
        if len(el) and el.tag in ("article", "header", "dl", "div", "section", "ul", "p"):
            el.text = (el.text or "").strip() + "\n" if el.tag != "p" else el.text
        if el.tag in ("dt", "dd", "li", "h2", "h3", "h4", "p", "section", "dl", "header", "div", "ul"):
            el.tail = "\n"
    return fragment.to_html(tree).strip() + "\n"


def current(name: str) -> str:
    options = html.RenderOptions(labels=i18n.load("en").text)
    return normalise(html.render_file(CASES[name], options))


def main() -> None:
    if "--refresh" not in sys.argv:
        print("usage: python -m tests.golden --refresh   (rewrites tests/golden/*.html)")
        return
    for name in CASES:
        (GOLDEN / name).write_text(current(name), encoding="utf-8")
        print(f"wrote {GOLDEN / name}")


if __name__ == "__main__":
    main()
