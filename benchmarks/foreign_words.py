"""How much of a TEI document from another project reaches the reader: for each document, the share of the
words of its <text> (the header left out) that stand in the HTML fragment (both views) and in the PDF text.

Each document is taken into a new edition by `edition init` + `edition add` and built. A document TEI P5
refuses (tei_all) is refused by the build's gate; it is then built past the gate (the html and print stages
alone) and marked so. Words are compared as multisets of \\w+ tokens, so a word counts as often as it stands
(a word broken by <lb break="no"/> read whole; in the PDF text the typesetter's
hyphens are taken out and letter-spaced words, which pdftotext writes letter by letter, read whole).
Run: .venv/bin/python benchmarks/foreign_words.py [FILE.xml ...]   (default: ../shared/foreign-tei/*.xml and
the fixtures of tests/fixtures/tei-p5/)
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tei_edition import TEI_NS, build as build_mod, config  # noqa: E402
from tei_edition.diagnostics import EditionError  # noqa: E402
from tei_edition import i18n, register as register_mod  # noqa: E402
from tei_edition.corpus import documents  # noqa: E402
from tei_edition.html.fragment import parse  # noqa: E402
from tei_edition.html.stage import render_documents  # noqa: E402
from tei_edition.start import add, init  # noqa: E402
from tei_edition.validate import validate  # noqa: E402

SHARED = ROOT.parent.parent / "shared" / "foreign-tei"
WORD = re.compile(r"\w+")


def words(text: str) -> Counter[str]:
    return Counter(w.lower() for w in WORD.findall(text))


def share(want: Counter[str], text: str, runs: bool = False) -> float:
    """The share of `want`'s words in `text` as words; with `runs`, a word of four letters or more also counts
    when it stands inside a longer run of letters (two inline elements side by side without a space,
    "xml</ref><ref>2.3", read as one word in a typeset line)."""
    total = sum(want.values())
    have, run = words(text), re.sub(r"\W+", "", text).lower()
    found = sum(min(n, have[w] + (max(0, run.count(w) - have[w]) if runs and len(w) >= 4 else 0))
                for w, n in want.items())
    return 100.0 * found / total if total else 100.0


def body_words(path: Path) -> Counter[str]:
    root = etree.parse(str(path)).getroot()
    text = root.find("{%s}text" % TEI_NS)
    if text is None:
        return Counter()
    for lb in text.iter("{%s}lb" % TEI_NS):      # a word broken over a line is one word
        if lb.get("break") == "no":
            lb.tail = "\u2063" + (lb.tail or "")
    return words(re.sub(r"\s*\u2063\s*", "", " ".join(text.itertext())))


def measure(path: Path, work: Path) -> str:
    folder = work / path.stem
    init(folder)
    cfg = config.load(folder)
    try:
        [done] = add(cfg, [path])
    except EditionError as exc:
        return f"{path.name}: not added: {str(exc).splitlines()[0]}"
    cfg = config.load(folder)
    report = validate(cfg)
    errors = [d for d in report.diagnostics if d.severity == "error"]
    warnings = [d for d in report.diagnostics if d.severity == "warning"]
    lines = sum(1 + bool(d.hint) for d in report.diagnostics)
    build_mod._build(cfg, search=False, out=None, log=lambda m: None, jobs=1, cache=False, interface=None, pdf=True)
    [b] = render_documents(cfg, documents(cfg), i18n.load("en"), register_mod.load([]), jobs=1, cache=True,
                           log=lambda m: None)
    text_div = parse(b.fragment if isinstance(b.fragment, str) else b.fragment()).find(".//*[@class='edition-text']")
    html_text = _joined(_texts(text_div)) if text_div is not None else ""
    edited_text = _joined(_texts(text_div, edited=True)) if text_div is not None else ""
    pdf = folder / "build" / "pdf" / f"{done.id}.pdf"
    pdf_text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                              text=True).stdout if pdf.is_file() else ""
    pdf_text = re.sub(r"-\n", "-", re.sub(r"\u2010\n", "", pdf_text))   # the typesetter's hyphens go, the text's stay
    pdf_text = re.sub(r"\b(?:\w )+\w\b", lambda m: m[0].replace(" ", ""), pdf_text)  # l e t t e r-spaced words
    want = body_words(path)
    gate = "valid" if not errors else f"refused by the gate ({len(errors)} errors), built past it"
    only_diplomatic = sum((want - words(edited_text)).values())
    return (f"{path.name}: {sum(want.values())} words; HTML {share(want, html_text):.1f}%, "
            f"PDF {share(want, pdf_text):.1f}% ({share(want, pdf_text, runs=True):.1f}% with words run together; "
            f"{only_diplomatic} words only in the diplomatic reading, which print leaves out; of the edited reading "
            f"{share(words(edited_text), pdf_text, runs=True):.1f}%); {gate}; "
            f"validate: {len(warnings)} warnings in {lines} lines")


def _texts(el, edited: bool = False):
    """The text nodes of a fragment's element (`edited`: in the edited reading, what print shows, without the
    diplomatic-only parts); a line break inside a word (tei-lb-nobreak) marked to be read through."""
    if edited and el.get("data-view") == "diplomatic" or "tei-lb-nobreak" in (el.get("class") or ""):
        yield "\u2063" if "tei-lb-nobreak" in (el.get("class") or "") else ""
        return
    yield el.text or ""
    for child in el:
        yield from _texts(child, edited)
        yield child.tail or ""


def _joined(texts) -> str:
    return re.sub(r"\s*\u2063\s*", "", " ".join(texts))


def main() -> None:
    files = [Path(a) for a in sys.argv[1:]] or sorted(SHARED.glob("*.xml")) + sorted(
        (ROOT / "tests" / "fixtures" / "tei-p5").glob("*.xml"))
    with tempfile.TemporaryDirectory(prefix="foreign-words-") as tmp:
        for path in files:
            print(measure(path, Path(tmp)), flush=True)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
