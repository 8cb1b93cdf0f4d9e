"""Property-based test of the one XSLT (the function the build uses, html.render_bytes): for TEI bodies made up
by hypothesis (p, hi with the schema's rend values, notes, names with refs, ref and ptr with targets of every
scheme, lb and pb, text full of <, &, quotes, script-like strings, Cyrillic and Greek) in a minimal TEI
document, rendering never fails, the output parses as HTML, every text and attribute value of the input comes
out as the same characters (escaped in the serialisation; a run of spaces in a text as one: whitespace is the
file's layout), and nothing active comes out: no script, iframe,
object or embed element, no on* attribute, no href but http(s), in-document fragments and relative paths.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from lxml import html as lhtml

from tei_edition import TEI_NS
from tei_edition import i18n
from tei_edition.html import fragment as fragments, transform as html
from tei_edition.xmlsafe import parse_file
from tests.conftest import ROOT

FUZZ = int(os.environ.get("EDITION_FUZZ_EXAMPLES", "0"))   # 0: the same 150 inputs on every run
SETTINGS = settings(max_examples=FUZZ or 150, deadline=None, derandomize=not FUZZ, database=None,
                    phases=[Phase.explicit, Phase.generate, Phase.shrink],
                    suppress_health_check=[HealthCheck.too_slow])
OPTIONS = html.RenderOptions(labels=i18n.load("en").text, register_ids=frozenset({"pers-lenin"}))


def _rend_values() -> list[str]:
    """hi/@rend's closed value list, from the project schema (the single source)."""
    odd = parse_file(ROOT / "tei" / "schema" / "edition.odd").getroot()
    t = "{%s}" % TEI_NS
    spec = next(e for e in odd.iter(t + "elementSpec") if e.get("ident") == "hi")
    att = next(a for a in spec.iter(t + "attDef") if a.get("ident") == "rend")
    return [v.get("ident") for v in att.iter(t + "valItem")]


REND = _rend_values()
HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "&lt;b&gt;", "&amp;", '"\'><svg onload=x>',
           "javascript:alert(1)", "]]>", "<!--", "-->", "<?php ?>", "</article>", "&#60;"]
TARGETS = ["javascript:alert(1)", " JAVASCRIPT:alert(1)", "data:text/html,<script>x</script>", "vbscript:x",
           "file:///etc/passwd", "//evil.example/", "/\\evil.example", "mailto:a@b.c", "http:x", "https://",
           "https://example.org/?a=1&b=<2>", "http://example.org/", "#p1", "#nowhere", "d001.xml#x", "a b", ""]
ALPHABET = ("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЖЗ" "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώΑΒΓΔ"
            "abcxyzABC0123456789 .,;:!?«»—–-()[]*'\"<>&/=#%\u00a0")

chunks = st.one_of(st.text(alphabet=ALPHABET, min_size=1, max_size=20), st.sampled_from(HOSTILE))
targets = st.one_of(st.sampled_from(TARGETS), st.text(alphabet=ALPHABET, max_size=12))


class Doc:
    """The TEI body being made, and what must come out of it."""

    def __init__(self) -> None:
        self.texts: list[str] = []        # every text node, as written
        self.attrs: list[str] = []        # attribute values that must come out verbatim (pb/@n → data-n)
        self.targets: list[str] = []

    def text(self, s: str) -> str:
        self.texts.append(s)
        return escape(s)


@st.composite
def inline(draw, doc: Doc, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["text", "text", "hi", "note", "name", "ref", "ptr", "lb", "pb"]
                                    if depth < 2 else ["text", "lb"]))
        if kind == "text":
            parts.append(doc.text(draw(chunks)))
        elif kind == "hi":
            parts.append(f'<hi rend="{draw(st.sampled_from(REND))}">{draw(inline(doc, depth + 1))}</hi>')
        elif kind == "note":
            kind_att = draw(st.sampled_from(['type="authorial"', 'type="editorial" resp="#ed"']))
            n = draw(st.integers(1, 40))
            parts.append(f'<note n="{n}" place="foot" {kind_att}>{draw(inline(doc, depth + 1))}</note>')
        elif kind == "name":
            ref = draw(st.sampled_from(["#pers-lenin", "#pers-nobody", "javascript:alert(1)", "#x\" onclick=\"y"]))
            parts.append(f"<persName ref={quoteattr(ref)}>{doc.text(draw(chunks))}</persName>")
        elif kind == "ref":
            target = draw(targets)
            doc.targets.append(target)
            parts.append(f"<ref target={quoteattr(target)}>{doc.text(draw(chunks))}</ref>")
        elif kind == "ptr":
            target = draw(targets)
            doc.targets.append(target)
            parts.append(f"<ptr target={quoteattr(target)}/>")
        elif kind == "lb":
            parts.append(f'<lb n="{draw(st.integers(1, 999))}"/>')
        else:
            n = draw(st.one_of(st.integers(1, 999).map(str), st.sampled_from(HOSTILE)))
            doc.attrs.append(n)
            parts.append(f"<pb n={quoteattr(n)}/>")
    return "".join(parts)


def _document(paras: list[str]) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="{TEI_NS}" xml:id="d900" xml:lang="ru"><teiHeader>'
            "<fileDesc><titleStmt><title>Т</title></titleStmt><publicationStmt><p>x</p></publicationStmt>"
            f"<sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader><text xml:lang=\"ru\"><body>"
            f'<div xml:id="div1">{"".join(paras)}</div></body></text></TEI>').encode("utf-8")


@st.composite
def documents(draw) -> tuple[bytes, Doc]:
    doc = Doc()
    paras = [f'<p xml:id="p{i}">{draw(inline(doc))}</p>' for i in range(1, draw(st.integers(1, 3)) + 1)]
    return _document(paras), doc


def every_hostile_string() -> tuple[bytes, Doc]:
    """One document with each hostile text, in text, a note and a pb/@n, and each target on a ref and a ptr."""
    doc = Doc()
    doc.attrs += HOSTILE
    doc.targets += TARGETS
    body = "".join(f'{doc.text(h)}<note n="1" place="foot" type="authorial">{doc.text(h)}</note><pb n={quoteattr(h)}/>'
                   for h in HOSTILE)
    links = "".join(f"<ref target={quoteattr(t)}>{doc.text(f'link {i}')}</ref><ptr target={quoteattr(t)}/>"
                    for i, t in enumerate(TARGETS))
    return _document([f'<p xml:id="p1">{body}</p>', f'<p xml:id="p2">{links}</p>']), doc


def _safe_href(href: str) -> bool:
    if href.startswith("#"):
        return True
    parts = urlsplit(href)
    return (parts.scheme.lower() in ("http", "https") and bool(parts.netloc)) or (
        not parts.scheme and not href.startswith("//") and "\\" not in href)


@SETTINGS
@given(documents())
@example(every_hostile_string())
def test_rendering_never_fails_and_never_emits_markup(case):
    data, doc = case
    fragment = html.render_bytes(data, "fuzz.xml", OPTIONS)
    tree = fragments.parse(fragment)
    served = fragments.to_html(tree)                # what pages and the print shell serialise
    page = lhtml.fragment_fromstring(served)        # a browser-like (HTML) parse of it
    assert page.tag == "article"
    text = page.text_content()
    for s in doc.texts:
        s = re.sub(" +", " ", s)                    # whitespace runs are one space in the fragment
        assert s in text, s
        assert escape(s) in served, s
    values = [v for el in page.iter() if isinstance(el.tag, str) for v in el.attrib.values()]
    for s in doc.attrs:
        assert s in values, s
    sources = {t.split()[0] for t in doc.targets if t.split()}
    for el in page.iter():
        if not isinstance(el.tag, str):
            continue
        assert el.tag not in ("script", "iframe", "object", "embed", "svg", "img", "style", "base", "form")
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), (name, value)
            assert name not in ("src", "srcdoc", "action", "formaction", "xlink:href"), name
        if el.get("href") is not None:
            href = el.get("href")
            assert el.tag == "a" and _safe_href(href), href
            if "tei-ref" in el.get("class", "") or "tei-ptr" in el.get("class", ""):
                assert href in sources, href
