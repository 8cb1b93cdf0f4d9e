"""Golden output: `python -m tests.golden --refresh` (make golden) rewrites the expected files after an intended
change; tests/test_golden.py compares the current output with them. Review the diff (`git diff tests/golden`)
before committing: it is the change a reader will see.

Cases, each from a fixture (never from the edition's curated documents, so curating them changes nothing here):
- excerpts.html          the XSLT's fragment of real paragraphs (tests/golden/excerpts.xml), one per phenomenon;
- reading-page.html      the same excerpts as a reading page of the site (document shell, notes list, metadata);
- print-page.html        the same excerpts in the print shell, as WeasyPrint lays them out (first pass);
- import-<layout>.xml    each import layout on a fixture named by its phenomenon (tests/fixtures/import/): the
                         TEI <text> the writer makes.
Normalised so a diff points at what changed: one element per line for HTML, the interface strings' JSON and the
build date left out.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402
from lxml import html as lhtml  # noqa: E402

from tei_edition import TEI_NS, i18n  # noqa: E402
from tei_edition.config import Config, Editor  # noqa: E402
from tei_edition.corpus import Document  # noqa: E402
from tei_edition.html.stage import DocumentBuild, render_documents  # noqa: E402
from tei_edition.html.transform import RenderOptions, render_file  # noqa: E402
from tei_edition.importer.parsers import LAYOUTS  # noqa: E402
from tei_edition.importer.profile import Profile  # noqa: E402
from tei_edition.importer.writer import write_tei  # noqa: E402
from tei_edition.fidelity import source_lines  # noqa: E402
from tei_edition.print import book  # noqa: E402
from tei_edition.site import producers  # noqa: E402
from tei_edition.site.shell import Site  # noqa: E402

GOLDEN = Path(__file__).resolve().parent
FIXTURES = ROOT / "tests" / "fixtures" / "import"
EXCERPTS = GOLDEN / "excerpts.xml"
BLOCKS = ("article", "header", "section", "div", "dl", "dt", "dd", "ul", "ol", "li", "p", "h1", "h2", "h3", "h4",
          "h5", "h6", "nav", "main", "footer", "head", "body", "html", "meta", "link", "script", "title",
          "table", "tr", "details", "summary", "blockquote")

# each layout on a fixture named by what it shows, with the profile facts the layout needs
IMPORTS = {
    "paragraph-per-line": ("paragraph-lines-glued-call.txt", "ru", {
        "notes": {"missing": True, "place": "end", "missing_comment": "The note text is not in the witness."}}),
    "journal-columns": ("journal-columns-balanced-second-column.txt", "ru", {
        "page_layout": {"title_lines": [1, 1], "body_first": 2}}),
    "book": ("book-footnote-over-a-page.txt", "ru", {"marks": [{"line": 1, "level": 1, "type": "chapter"}]}),
    "ragged-lines": ("ragged-lines-paragraph-end-by-space-line.txt", "ru", {
        "hyphens": {"policy": "real"}, "structure": {"separator": "***"}}),
    "web-page": ("web-page-calls-twice-missing-out-of-order.txt", "el", {
        "page": {"heading": 3, "byline": 5, "notes_heading": 11, "residue": {"1": "web", "19": "comment"}},
        "notes": {"place": "end", "call": "bracket", "latin_lang": "en"}}),
}


def config(root: Path) -> Config:
    """A fixed edition, so that the golden pages do not follow edition.toml's settings."""
    return Config(root=root, title="Golden Edition", subtitle="A fixture", short_title="Golden", publisher="Tests",
                  pub_place="Nowhere", apparatus_language="en", base_url="https://example.org/golden/",
                  licence="CC-BY-4.0", licence_url="https://creativecommons.org/licenses/by/4.0/",
                  licence_text="A licence.", editors=(Editor("ed", "The editors", ("general editor",)),))


def normalise_html(text: str) -> str:
    """One element per line (HTML serialisation), so a diff points at the element that changed."""
    tree = lhtml.document_fromstring(text) if text.lstrip().lower().startswith("<!doctype") else \
        lhtml.fragment_fromstring(text, create_parent=False)
    for script in tree.iter("script"):
        if script.get("id") == "ui-strings":
            script.text = "…"                       # the interface strings have golden cases of their own
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag not in BLOCKS:
            continue
        if len(el) and (el.text is None or not el.text.strip()):
            el.text = "\n"
        if el.tail is None or not el.tail.strip():
            el.tail = "\n"
    out = etree.tostring(tree, method="html", encoding="unicode")
    return re.sub(r"\n\s*\n+", "\n", out).strip() + "\n"


def _build(tmp: Path) -> tuple[Config, DocumentBuild]:
    cfg = config(tmp)
    doc = Document("golden", 1, EXCERPTS, EXCERPTS, EXCERPTS)
    [built] = render_documents(cfg, [doc], i18n.load("en"), {}, cache=False)
    return cfg, built


def reading_page() -> str:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        cfg, built = _build(tmp)
        site = Site(tmp / "site", cfg, i18n.load("en"), [built.doc])
        producers.write_reading_pages(site, built, {})
        return normalise_html((tmp / "site" / "golden" / "index.html").read_text(encoding="utf-8"))


def print_page() -> str:
    with tempfile.TemporaryDirectory() as folder:
        cfg, built = _build(Path(folder))
        strings = i18n.load("en")
        shell = book.Shell(cfg, strings, {}, "2026-01-01")
        doc = book.prepare(built, strings, cfg)
        html = book._html("document", [doc], shell, book._index([doc], shell, None))
        return normalise_html(html)


def imported(layout: str) -> str:
    name, lang, facts = IMPORTS[layout]
    source = FIXTURES / name
    profile = Profile(FIXTURES / f"{source.stem}.toml", "dfix", name, layout, lang,
                      {"id": "dfix", "source": name, "layout": layout, "lang": lang, **facts})
    rec = LAYOUTS[layout](source_lines(source), profile)
    with tempfile.TemporaryDirectory() as folder:
        tei = write_tei(config(Path(folder)), profile, source, rec, ROOT / "sources" / "profiles" / "encodingDesc.xml")
    text = etree.fromstring(tei).find("{%s}text" % TEI_NS)
    return etree.tostring(text, encoding="unicode").strip() + "\n"


def current(name: str) -> str:
    if name == "excerpts.html":
        return normalise_html(render_file(EXCERPTS, RenderOptions(labels=i18n.load("en").text)))
    if name == "reading-page.html":
        return reading_page()
    if name == "print-page.html":
        return print_page()
    return imported(name.removeprefix("import-").removesuffix(".xml"))


CASES = ["excerpts.html", "reading-page.html", "print-page.html"] + [f"import-{layout}.xml" for layout in IMPORTS]


def main() -> None:
    if "--refresh" not in sys.argv:
        print("usage: python -m tests.golden --refresh   (rewrites tests/golden/*.html and *.xml)")
        return
    for name in CASES:
        (GOLDEN / name).write_text(current(name), encoding="utf-8")
        print(f"wrote {GOLDEN / name}")


if __name__ == "__main__":
    main()
