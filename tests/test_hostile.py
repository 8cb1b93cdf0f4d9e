"""Hostile input: DTDs and entities never reach a parser, links only for safe schemes, markup in the text stays
text, WeasyPrint fetches nothing from outside, every page forbids inline script, `edition serve` on loopback."""

from __future__ import annotations

import ctypes
import functools
import http.server
import json
import logging
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lhtml

from tei_edition import TEI_NS
from tei_edition import config as config_mod
from tei_edition.build import _build
from tei_edition.cli import cli
from tei_edition.commands import serve as serve_cmd
from tei_edition import i18n
from tei_edition.html import fragment as fragments, transform as html
from tei_edition.print import fetch
from tei_edition.serve.server import make_server
from tei_edition.xmlsafe import XMLProblem
from tei_edition.synthetic import make_synthetic
from tests.validate_helpers import make_edition, run

pytestmark = [pytest.mark.case,   # every test here is a case of the hostile-input matrix
              pytest.mark.slow]  # builds the edition or its exports (left out by `make test-fast`)

ROOT = Path(__file__).resolve().parents[1]
FROZEN_D002 = ROOT / "tests" / "golden" / "d002-unannotated.xml"
XHTML = "http://www.w3.org/1999/xhtml"

# markup as text: it must come out as these very characters, never as elements or attributes
TEXTS = ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "&lt;b&gt;", '"><svg onload=alert(3)>']
# @target → the href the reading text may carry (None: the element's text, no link)
TARGETS = {
    "javascript:alert(1)": None, "JaVaScRiPt:alert(1)": None, "vbscript:msgbox(1)": None,
    "data:text/html,<script>alert(1)</script>": None, "file:///etc/passwd": None, "mailto:x@example.org": None,
    "//evil.example/x": None, "/\\evil.example/x": None, "http:alert(1)": None, "https://": None,
    "d001.xml#d001-p1": None,  # a relative path to a TEI file: the site does not hold it
    "#nowhere": None,          # a fragment that names nothing in the document
    "#d002-p2": "#d002-p2", "https://example.org/a?b=1&c=2": "https://example.org/a?b=1&c=2",
    "HTTP://EXAMPLE.ORG/": "HTTP://EXAMPLE.ORG/",
}
UNSAFE_SCHEMES = ("javascript", "vbscript", "data", "file")


def hostile_tei() -> str:
    """The frozen d002 with markup-like text in text, a note and attributes, links of every scheme, and
    XHTML script and img elements (with an onerror) inside a paragraph."""
    text = FROZEN_D002.read_text(encoding="utf-8")
    refs = " ".join(f"<ref target={quoteattr(t)}>link-{i}</ref>" for i, t in enumerate(TARGETS))
    inject = (f'<hi rend="italic">{escape(TEXTS[0])}</hi> {escape(TEXTS[1])} {escape(TEXTS[2])} '
              f'<note place="foot" type="editorial" resp="#ed" n={quoteattr(TEXTS[3])}>{escape(TEXTS[0])} '
              f'{escape(TEXTS[3])}</note> {refs} <ptr target="javascript:alert(9)"/> '
              f'<h:script xmlns:h="{XHTML}">alert(5)</h:script>'
              f'<h:img xmlns:h="{XHTML}" src="x" onerror="alert(6)"/> ')
    old = '<p xml:id="d002-p1">\n<lb n="1"/>'
    assert old in text
    for title in ("Большевики приходят к власти", "The Bolsheviks Come to Power"):  # page titles, JSON-LD, cards
        assert title in text
        text = text.replace(title, f"{escape(TEXTS[0])} {title} {escape(TEXTS[3])}", 1)
    return text.replace(old, f'<p xml:id="d002-p1" xmlns:h="{XHTML}" h:onclick="alert(7)" '
                             f'xml:lang=\'ru" onmouseover="alert(8)\'>\n<lb n="1"/>{inject}', 1)


@pytest.fixture(scope="module")
def options():
    return html.RenderOptions(labels=i18n.load("en").text, register_ids=frozenset({"pers-lenin"}))


@pytest.fixture(scope="module")
def fragment(options):
    return html.render_bytes(hostile_tei().encode("utf-8"), "hostile.xml", options)


def assert_no_active_content(root, where: str) -> None:
    """No script element but our own files and data blocks, no event-handler attribute, no unsafe URL; in
    the edition's text (the whole of a fragment, the article of a page) no embedding or form element."""
    texts = root.xpath("//article[contains(@class, 'edition')]") if root.tag == "html" else [root]
    for text in texts:
        embedded = [el.tag for el in text.iter() if isinstance(el.tag, str) and el.tag.rsplit("}", 1)[-1].lower()
                    in ("iframe", "object", "embed", "svg", "img", "base", "form", "style", "link", "meta")]
        assert embedded == [], (where, embedded)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.rsplit("}", 1)[-1].lower()
        if tag == "script":
            assert el.get("src") or el.get("type") in ("application/json", "application/ld+json"), where
        for name, value in el.attrib.items():
            assert not name.rsplit("}", 1)[-1].lower().startswith("on"), (where, name, value)
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                scheme = urlsplit(value.strip()).scheme.lower()
                icon = tag == "link" and el.get("rel") == "icon" and value == "data:,"
                assert scheme not in UNSAFE_SCHEMES or icon, (where, name, value)


# ---- 1. parsers: no DTD, no entity, no network ---------------------------------------------------------

_DTD_SERVER = r"""
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        print("HIT", self.path, flush=True)
        self.send_response(200); self.end_headers(); self.wfile.write(b'<!ENTITY x "FETCHED">')
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
"""


class DTDServer:
    """An HTTP server in another process (Saxon would hold this one's GIL while it waits for the DTD) that
    logs every request: a fetch by any parser shows up in hits()."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", _DTD_SERVER], stdout=subprocess.PIPE, text=True)
        self.port = int(self.proc.stdout.readline())
        self._hits: list[str] | None = None
        self._seen: list[str] = []
        self._syncs = 0

    def hits_so_far(self) -> list[str]:
        """The paths requested until now, the server still listening: a request of ours is logged after
        every earlier one (the server answers one at a time), so nothing requested before is missed."""
        self._syncs += 1
        mark = f"/__sync{self._syncs}"
        urllib.request.urlopen(f"http://127.0.0.1:{self.port}{mark}", timeout=10).read()
        while (line := self.proc.stdout.readline()) and line.split()[1] != mark:
            self._seen.append(line.split()[1])
        return list(self._seen)

    def hits(self) -> list[str]:
        """The paths requested so far (stops the server)."""
        if self._hits is None:
            self.proc.terminate()
            out = self.proc.communicate(timeout=10)[0]
            self._hits = self._seen + [line.split()[1] for line in out.splitlines() if line.startswith("HIT")]
        return self._hits


class FileWatch:
    """Linux inotify on some files: whether any process opened or read one of them since the watch began."""
    IN_ACCESS, IN_OPEN = 0x1, 0x20

    def __init__(self, *paths: Path) -> None:
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self.libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        assert self.fd >= 0, ctypes.get_errno()
        self.names = {}
        for path in paths:
            wd = self.libc.inotify_add_watch(self.fd, os.fsencode(path), self.IN_ACCESS | self.IN_OPEN)
            assert wd >= 0, (path, ctypes.get_errno())
            self.names[wd] = path.name

    def touched(self) -> list[str]:
        """The watched files opened or read since the last call (in order, one entry per event)."""
        out = []
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                return out
            pos = 0
            while pos < len(data):
                wd, _mask, _cookie, length = struct.unpack_from("iIII", data, pos)
                out.append(self.names.get(wd, "?"))
                pos += 16 + length

    def close(self) -> None:
        os.close(self.fd)


@pytest.fixture
def dtd_server():
    server = DTDServer()
    yield server
    server.hits()


def _doctyped(doctype: str, body: str = "") -> bytes:
    text = FROZEN_D002.read_text(encoding="utf-8")
    text = text.replace("<TEI ", doctype + "<TEI ", 1)
    return text.replace('<lb n="1"/>', '<lb n="1"/>' + body, 1).encode("utf-8")


def test_dtds_and_entities_never_reach_saxon(options, tmp_path, dtd_server):
    port = dtd_server.port
    local_dtd = tmp_path / "x.dtd"
    local_dtd.write_text('<!ENTITY x "READ-FROM-DISK">')
    bomb = '<!ENTITY a "aaaaaaaaaa">' + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">'
                                                for p, c in zip("abcdefgh", "bcdefghi"))
    cases = {
        "network DTD": _doctyped(f'<!DOCTYPE TEI SYSTEM "http://127.0.0.1:{port}/x.dtd">', "&x;"),
        "network DTD behind a comment": _doctyped(f'<!-- <!DOCTYPE --><!DOCTYPE TEI SYSTEM "http://127.0.0.1:{port}/y.dtd">'),
        "public id": _doctyped(f'<!DOCTYPE TEI PUBLIC "-//X//DTD X//EN" "http://127.0.0.1:{port}/z.dtd">'),
        "local DTD behind a comment": _doctyped(f'<!-- <!DOCTYPE --><!DOCTYPE TEI SYSTEM "{local_dtd.as_uri()}">', "&x;"),
        "external entity": _doctyped(f'<!DOCTYPE TEI [<!ENTITY x SYSTEM "http://127.0.0.1:{port}/e">]>', "&x;"),
        "expansion bomb": _doctyped(f"<!DOCTYPE TEI [{bomb}]>", "&i;"),
        "bomb behind a comment": _doctyped(f"<!-- <!DOCTYPE --><!DOCTYPE TEI [{bomb}]>", "&i;"),
        "attribute defaults": _doctyped('<!DOCTYPE TEI [<!ATTLIST ref target CDATA "javascript:alert(1)">]>',
                                        "<ref>x</ref>"),
    }
    for name, data in cases.items():
        with pytest.raises(XMLProblem) as exc:
            html.render_bytes(data, f"{name}.xml", options)
        assert exc.value.diag.rule == "xml-doctype", (name, exc.value.diag.format())
        assert exc.value.diag.line == 2, name  # where the DOCTYPE stands, after the XML declaration
    # a DOCTYPE written in UTF-7 under a declared encoding="UTF-7" is not even XML here: the bytes are read
    # as the UTF-8 they were checked as, so what the check did not see, the parser does not see either
    utf7 = _doctyped('<!DOCTYPE TEI>').replace(b"encoding='UTF-8'", b"encoding='UTF-7'").replace(
        b"<!DOCTYPE TEI>", f'+ADw-!DOCTYPE TEI SYSTEM +ACI-http://127.0.0.1:{port}/u.dtd+ACI-+AD4-'.encode())
    assert b"encoding='UTF-7'" in utf7
    with pytest.raises(XMLProblem) as exc:
        html.render_bytes(utf7, "utf7.xml", options)
    assert exc.value.diag.rule == "xml-syntax"
    # a bare DOCTYPE declares nothing: still rendered
    assert 'id="d002"' in html.render_bytes(_doctyped("<!DOCTYPE TEI>\n"), "bare.xml", options)
    # the control: Saxon's own parser, given the file's text, does fetch (why it never gets it)
    html._processor().parse_xml(xml_text=f'<!DOCTYPE r SYSTEM "http://127.0.0.1:{port}/control.dtd"><r>&x;</r>')
    assert dtd_server.hits() == ["/control.dtd"]


def test_validate_and_tei_all_never_fetch_a_dtd(tmp_path, dtd_server):
    ed = make_edition(tmp_path)
    bad = tmp_path / "bad.xml"
    bad.write_bytes(_doctyped(f'<!-- <!DOCTYPE --><!DOCTYPE TEI SYSTEM "http://127.0.0.1:{dtd_server.port}/v.dtd">',
                              "&x;"))
    code, out = run(ed, "--format", "json", "--tei-all", str(bad))
    assert code == 1
    assert [d["rule"] for d in json.loads(out)["diagnostics"] if d["path"] == str(bad)] == ["xml-doctype"]
    assert dtd_server.hits() == []


XI = "http://www.w3.org/2001/XInclude"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def naming_tei(port: int, secret: Path) -> str:
    """The frozen d002 naming files and URLs in every way a TEI file can: XInclude (of a URL, of a local
    file by absolute and by relative path, as text and as XML), xml-model and xml-stylesheet processing
    instructions, xsi:schemaLocation, xml:base under relative references, and links."""
    web = f"http://127.0.0.1:{port}"
    text = FROZEN_D002.read_text(encoding="utf-8")
    prolog = (f'<?xml-model href="{web}/model.rng" schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
              f'<?xml-model href="{secret.as_uri()}" type="application/xml"?>\n'
              f'<?xml-stylesheet type="text/xsl" href="{web}/style.xsl"?>\n')
    includes = (f'<xi:include xmlns:xi="{XI}" href="{secret}" parse="text"/>'
                f'<xi:include xmlns:xi="{XI}" href="{secret.name}" parse="text"/>'
                f'<xi:include xmlns:xi="{XI}" href="{web}/include.xml" parse="text"/>'
                f'<xi:include xmlns:xi="{XI}" href="{web}/missing.xml"><xi:fallback>'
                f'<xi:include href="{secret.as_uri()}" parse="text"/></xi:fallback></xi:include>'
                f'<ref target="{web}/link">a link is written, never followed</ref>'
                f'<ref xml:base="{web}/base/" target="relative.html">nor is a base</ref>')
    text = text.replace("<TEI ", prolog + f'<TEI xmlns:xsi="{XSI}" xsi:schemaLocation="http://www.tei-c.org/ns/1.0 '
                        f'{web}/schema.xsd" ', 1)
    return text.replace('<lb n="1"/>', '<lb n="1"/>' + includes, 1)


@pytest.mark.skipif(shutil.which("jing") is None, reason="jing is installed by `make setup`")
def test_no_validator_transformer_or_renderer_reads_what_the_tei_names(tmp_path, cfg, dtd_server):
    """validate (with tei_all), the build (Saxon, the exports, Pagefind) and the print edition (WeasyPrint) on
    a document naming URLs of a listener and a local file: the listener is asked for nothing and the file is
    neither opened nor read. The control: Debian's jing wrapper, which turns XInclude on, does both."""
    project = make_synthetic(cfg, tmp_path / "project", 1, only=["d002"]).root
    secret = project / "tei" / "secret.txt"
    secret.write_text("SECRET-NEVER-READ\n", encoding="utf-8")
    tei = project / "tei" / "d002.xml"
    tei.write_text(naming_tei(dtd_server.port, secret), encoding="utf-8")
    (project / ".cache" / "tei").mkdir(parents=True)
    (project / ".cache" / "tei" / "tei_all.rng").symlink_to(cfg.tei_all_rng.resolve())
    watch = FileWatch(secret)
    try:
        code, out = run(project, "--tei-all", "--format", "json", "d002")
        said = {(d["rule"], d["message"]) for d in json.loads(out)["diagnostics"]}
        assert code == 1 and ("xinclude", "<xi:include> is an XInclude: the edition never reads a file or URL "
                              "that a TEI file names") in said, out
        assert not any(d["rule"] == "tei-all" and "SECRET" in d["message"] for d in json.loads(out)["diagnostics"])
        built = _build(config_mod.load(project), search=True, out=None, log=lambda m: None, jobs=None,  # past
                       cache=True, interface=None, pdf=True)        # build()'s validation gate, on purpose
        assert (built.site / "d002" / "index.html").is_file() and (project / "build" / "pdf" / "d002.pdf").is_file()
        site_text = b"".join(p.read_bytes() for p in built.site.rglob("*") if p.is_file())
        assert b"SECRET-NEVER-READ" not in site_text
        assert dtd_server.hits_so_far() == [] and watch.touched() == []
        # the control: the listeners do notice a reader that follows XInclude
        subprocess.run(["jing", str(cfg.tei_all_rng), str(tei)], capture_output=True, timeout=120)
        assert "/include.xml" in dtd_server.hits_so_far() and secret.name in watch.touched()
    finally:
        watch.close()


def test_saxon_gets_the_parsed_tree_without_its_doctype(options, monkeypatch):
    real = html._processor()

    class Spy:
        seen: list[str] = []

        def parse_xml(self, **kw):
            self.seen.append(kw["xml_text"])
            return real.parse_xml(**kw)

        def __getattr__(self, name):
            return getattr(real, name)

    spy = Spy()
    monkeypatch.setattr(html, "_processor", lambda: spy)
    out = html.render_bytes(_doctyped("<!-- a comment --><!DOCTYPE TEI>\n"), "bare.xml", options)
    assert len(spy.seen) == 1 and spy.seen[0].startswith("<TEI ") and "<!DOCTYPE" not in spy.seen[0]
    assert 'id="d002-p1"' in out


def test_weasyprint_fetches_only_local_templates_and_fonts(tmp_path, monkeypatch, caplog):
    from PIL import Image
    from tei_edition.print import book as pdf
    allowed, secret = tmp_path / "allowed", tmp_path / "secret"
    for folder, colour in ((allowed, "red"), (secret, "blue")):
        folder.mkdir()
        Image.new("RGB", (7, 5), colour).save(folder / "x.png")
    roots = fetch.allowed_roots()
    monkeypatch.setattr(fetch, "allowed_roots", lambda: roots + (allowed.resolve(),))
    connects: list = []

    def no_network(*args, **kwargs):
        connects.append(args)
        raise AssertionError("network access while laying out the print edition")
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    link = secret / "link"
    link.symlink_to(allowed)  # a path under an allowed folder only by name is resolved first: still refused
    hostile = (f'<html><head><link rel="stylesheet" href="http://example.invalid/x.css"></head><body>'
               f'<p>Текст ἀρχή <img src="http://example.invalid/x.png"> <img src="file:///etc/passwd">'
               f'<img src="{(secret / "x.png").as_uri()}"> <img src="data:image/png;base64,iVBORw0KGgo=">'
               f'<img src="//example.invalid/y.png"></p>'
               f'<p style="background: url(https://example.invalid/z.png)">z</p>'
               f'<p><img src="{(allowed / "x.png").as_uri()}"></p></body></html>')
    with caplog.at_level(logging.ERROR, logger="weasyprint"):
        document = pdf._layout(hostile, "https://example.org/edition/d002/")   # as a document's web address
        out = tmp_path / "x.pdf"
        document.write_pdf(str(out))
    data = out.read_bytes()
    assert connects == []
    assert data.count(b"/Subtype /Image") == 1  # the allowed picture only
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert "Gentium" in fonts  # the book fonts came through the same fetcher
    refused = [r.getMessage() for r in caplog.records if "refused to load" in r.getMessage()]
    for url in ("http://example.invalid/x.css", "http://example.invalid/x.png", "file:///etc/passwd",
                (secret / "x.png").as_uri(), "data:image/png", "https://example.invalid/z.png",
                "https://example.invalid/y.png"):
        assert any(url in m for m in refused), (url, refused)
    assert fetch.local_path((link / "x.png").as_uri(), (allowed.resolve(),)) is not None  # resolved: it is the allowed file
    assert fetch.local_path((secret / "x.png").as_uri(), (allowed.resolve(),)) is None
    assert fetch.local_path("file://evil.example/etc/passwd", (Path("/"),)) is None


# ---- 2, 3. links and escaping in the real render --------------------------------------------------------

def test_links_only_for_safe_targets(fragment):
    root = fragments.parse(fragment)
    for i, (target, href) in enumerate(TARGETS.items()):
        [el] = [e for e in root.iter() if (e.text or "") == f"link-{i}"]
        assert (el.get("href"), el.tag) == ((href, "a") if href else (None, "span")), target
        assert el.get("rel") == ("noopener" if href and href.lower().startswith("http") else None), target
    [ptr] = [e for e in root.iter() if e.get("class") == "tei-ptr"]
    assert (ptr.tag, ptr.get("href"), ptr.text) == ("span", None, "javascript:alert(9)")


def test_edition_toml_urls_follow_the_same_link_rule_as_the_tei(tmp_path):
    """tei_edition.links.safe_href (for edition.toml's URLs) answers as the XSLT's e:safe-href (for the TEI's)."""
    from tei_edition.links import safe_href
    urls = [*TARGETS, "", " https://example.org/", "https://exa mple.org/", "https://example.org/\u0085",
            "https://example.org/\x7f", "#", "#x", "a/b.html", "?q=1", "/abs/path", "mailto:x", "urn:x:y",
            "HTTPS://example.org", "ftp://example.org/", "https:/x", "x:y/z", "a/b:c", "//", "\\\\host"]
    data = tmp_path / "urls.xml"
    data.write_text("<urls>" + "".join(f"<u>{escape(u)}</u>" for u in urls) + "</urls>", encoding="utf-8")
    sheet = tmp_path / "check.xsl"
    sheet.write_text(f"""<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
        xmlns:e="urn:edition:emit" xmlns:xs="http://www.w3.org/2001/XMLSchema" exclude-result-prefixes="#all">
      <xsl:import href="{(ROOT / "xslt" / "modules" / "links.xsl").as_uri()}"/>
      <xsl:output method="text"/>
      <xsl:template match="/">
        <xsl:for-each select="//*:u"><xsl:value-of select="exists(e:safe-href(string(.)))"/>;</xsl:for-each>
      </xsl:template>
    </xsl:stylesheet>""", encoding="utf-8")
    proc = html._processor()
    exe = proc.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(sheet))
    node = proc.parse_xml(xml_text=data.read_text(encoding="utf-8"))
    xslt = [v == "true" for v in exe.transform_to_string(xdm_node=node).split(";")[:-1]]
    assert len(xslt) == len(urls)
    assert {u: safe_href(u) for u in urls} == dict(zip(urls, xslt))


def test_markup_in_the_text_stays_text(fragment):
    root = fragments.parse(fragment)
    assert_no_active_content(root, "fragment")
    page = lhtml.fragment_fromstring(fragments.to_html(root))  # as pages and the print shell serialise it
    assert_no_active_content(page, "html")
    text = page.text_content()
    for s in TEXTS:
        assert s in text, s
    p1 = root.xpath("//*[@id='d002-p1']")[0]
    assert p1.get("lang") == 'ru" onmouseover="alert(8)' and p1.get("onclick") is None
    [note] = root.xpath("//*[contains(@class, 'tei-note-editorial')][@data-n]")
    assert note.get("data-n") == TEXTS[3]
    # the XHTML elements are shown as what they are, text in a span
    assert [e.tag for e in root.iter() if "tei-script" in (e.get("class") or "")] == ["span"]
    assert "alert(5)" in text


# ---- 3, 4. a real built site from the hostile document --------------------------------------------------

@functools.lru_cache(maxsize=1)
def hostile_site() -> Path:
    tmp = Path(tempfile.mkdtemp(prefix="edition-hostile-"))
    shutil.copy(ROOT / "edition.toml", tmp / "edition.toml")
    shutil.copytree(ROOT / "tei", tmp / "tei", ignore=lambda folder, names: [
        n for n in names if Path(folder) == ROOT / "tei" and n.startswith("d") and n.endswith(".xml")])
    (tmp / "tei" / "d002.xml").write_text(hostile_tei(), encoding="utf-8")
    # build()'s validation gate refuses this TEI (test_serve_refuses_invalid_tei_like_build); what is tested
    # here is that the stages behind the gate would still publish nothing active, should a hostile string
    # ever pass it: the pipeline after the gate, as build() runs it
    _build(config_mod.load(tmp), out=tmp / "build" / "site", search=False, log=lambda m: None, jobs=None,
           cache=True, interface=None, pdf=False)
    return tmp / "build" / "site"


def test_built_pages_escape_the_text_and_forbid_inline_script():
    site = hostile_site()
    pages = sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)
    kinds = {p.relative_to(site).parts[0] if len(p.relative_to(site).parts) > 1 else p.name for p in pages}
    assert {"index.html", "search.html", "d002", "register"} <= kinds
    for page in pages:
        root = lhtml.parse(str(page)).getroot()
        [csp] = root.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
        rules = {r.split()[0]: r.split()[1:] for r in csp.split(";") if r.strip()}
        assert rules["default-src"] == ["'self'"], page
        assert "'unsafe-inline'" not in rules["script-src"] and "'unsafe-eval'" not in rules["script-src"], page
        assert rules["object-src"] == ["'none'"] and rules["base-uri"] == ["'none'"], page
        assert_no_active_content(root, str(page))
    reading = lhtml.parse(str(site / "d002" / "index.html")).getroot()
    text = reading.text_content()
    for s in TEXTS:
        assert s in text, s
    assert TEXTS[0] in reading.findtext(".//title") and TEXTS[0] in reading.findtext(".//h1")
    home = lhtml.parse(str(site / "index.html")).getroot()
    assert TEXTS[0] in home.text_content()
    raw = (site / "d002" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw and "<script>alert" not in raw
    linked = {a.text: a.get("href") for a in reading.iter("a") if (a.text or "").startswith("link-")}
    expected = {f"link-{i}" for i, (t, h) in enumerate(TARGETS.items()) if h}
    assert set(linked) == expected
    assert all(urlsplit(h).scheme.lower() in ("", "http", "https") for h in linked.values())


# ---- 5. edition serve ---------------------------------------------------------------------------------

def test_serve_binds_to_loopback_only(tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>x</title>ok", encoding="utf-8")
    server = make_server(site, 0)
    try:
        assert server.socket.getsockname()[0] == "127.0.0.1"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_address[1]}/index.html", timeout=10) as r:
            assert r.status == 200 and r.read().endswith(b"ok")
    finally:
        server.shutdown()
        server.server_close()


def test_serve_command_listens_on_loopback_and_has_no_host_option(tmp_path, monkeypatch):
    shutil.copy(ROOT / "edition.toml", tmp_path / "edition.toml")
    shutil.copytree(ROOT / "tei", tmp_path / "tei")
    bound: list = []

    def fake_build(cfg, **kwargs):  # the command's own build is tested elsewhere; here only the socket
        (cfg.build_dir / "site").mkdir(parents=True, exist_ok=True)
        return type("R", (), {"documents": []})()

    def record(self, *args, **kwargs):
        bound.append(self.socket.getsockname())
        raise KeyboardInterrupt

    monkeypatch.setattr("tei_edition.build.build", fake_build)
    monkeypatch.setattr(serve_cmd, "watch", lambda *a, **k: None)
    monkeypatch.setattr(http.server.ThreadingHTTPServer, "serve_forever", record)
    result = CliRunner().invoke(cli, ["--root", str(tmp_path), "serve", "--port", "0"])
    assert result.exit_code == 0, result.output
    assert [b[0] for b in bound] == ["127.0.0.1"] and bound[0][1] > 0
    assert f"http://127.0.0.1:{bound[0][1]}/" in result.output
    refused = CliRunner().invoke(cli, ["--root", str(tmp_path), "serve", "--host", "0.0.0.0"])
    assert refused.exit_code == 2 and "No such option" in refused.output


def test_guidelines_markdown_links_only_safe_urls():
    from tei_edition.site.markdown import to_html
    out = lhtml.fragment_fromstring(to_html(
        "A [web](https://tei-c.org/?a=1&b=2), [here](#sec), [page](guidelines.html#x), [js](javascript:alert`1`), "
        "[data](data:text/html,x), [rel](//evil.example/x) and <script>x</script>.\n"), create_parent="div")
    assert [(a.text, a.get("href")) for a in out.iter("a")] == [
        ("web", "https://tei-c.org/?a=1&b=2"), ("here", "#sec"), ("page", "guidelines.html#x")]
    assert "<script>x</script>" in out.text_content() and not list(out.iter("script"))


def test_serve_refuses_invalid_tei_like_build(tmp_path, monkeypatch):
    shutil.copy(ROOT / "edition.toml", tmp_path / "edition.toml")
    shutil.copytree(ROOT / "tei", tmp_path / "tei")
    persons = tmp_path / "tei" / "register" / "persons.xml"
    persons.write_text(persons.read_text(encoding="utf-8").replace('xml:id="pers-', 'xml:id="javascript:pers-', 1),
                       encoding="utf-8")
    built: list = []
    monkeypatch.setattr("tei_edition.build._build", lambda *a, **k: built.append(a))   # after build()'s gate
    result = CliRunner().invoke(cli, ["--root", str(tmp_path), "serve", "--port", "0"])
    assert built == [] and result.exit_code == 1
    assert "build failed, still serving the previous site" in result.output
    assert "validation error(s) in" in result.output and str(persons) in result.output
    assert "Traceback" not in result.output


# ---- 6. a killed build: no worker left behind, never a new site with old PDFs ------------------------------

EDITION = [sys.executable, "-c", "from tei_edition.cli import main; main()"]


def _processes() -> dict[int, tuple[int, str]]:
    """pid → (parent pid, state) of every process (Linux /proc)."""
    out = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            out[int(entry.name)] = (int(fields[1]), fields[0])
    return out


def _descendants(pid: int) -> set[int]:
    procs = _processes()
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for child, (ppid, _) in procs.items():
            if ppid == parent and child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pids: set[int]) -> set[int]:
    procs = _processes()
    return {p for p in pids if p in procs and procs[p][1] != "Z"}     # a zombie has exited


def test_a_build_killed_by_sigkill_leaves_no_worker_behind(tmp_path, cfg):
    project = make_synthetic(cfg, tmp_path / "project", 2, only=["d002"]).root   # two documents: two workers
    args = ["--root", str(project), "pdf", "--no-book", "--no-pdfa", "--jobs", "2"]
    proc = subprocess.Popen([*EDITION, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while len(workers) < 3 and proc.poll() is None and time.monotonic() < deadline:
            workers = _descendants(proc.pid)          # two workers and multiprocessing's resource tracker
            time.sleep(0.05)
        assert len(workers) >= 3, (workers, proc.poll())
        os.kill(proc.pid, signal.SIGKILL)             # the command only, as the kernel's OOM killer would
        proc.wait(timeout=30)
        deadline = time.monotonic() + 15
        while _alive(workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _alive(workers) == set(), "the workers outlived the killed build"
    finally:
        for pid in _alive(workers):                   # only what this test started, if the test failed
            os.kill(pid, signal.SIGKILL)
    again = subprocess.run([*EDITION, *args[:-2], "--jobs", "1", "--no-wait"], capture_output=True, text=True,
                           timeout=300)
    assert again.returncode == 0, again.stdout + again.stderr
    assert (project / "build" / "pdf" / "d002c1.pdf").is_file()   # the copy of d002 (synthetic.py names it)


_KILLED_AFTER_FIRST_SWAP = """
import os, signal
from tei_edition import staging
real = staging.swap
def swap_then_die(*args, **kwargs):
    real(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)
staging.swap = swap_then_die
from tei_edition.cli import main
main()
"""


def test_a_build_killed_while_swapping_never_leaves_a_new_site_with_old_pdfs(tmp_path, cfg):
    """The site and the PDFs are swapped in as one: killed right after the first swap it makes, the build
    leaves build/ wholly new (the site's downloads equal build/pdf), and the next build cleans up."""
    project = make_synthetic(cfg, tmp_path / "project", 1, only=["d002"]).root
    env = {**os.environ, "EDITION_JOBS": "1"}
    command = ["--root", str(project), "build", "--no-search"]
    first = subprocess.run([*EDITION, *command], capture_output=True, text=True, env=env, timeout=300)
    assert first.returncode == 0, first.stdout + first.stderr
    build_dir = project / "build"
    before = (build_dir / "pdf" / "d002.pdf").read_bytes()
    tei = project / "tei" / "d002.xml"
    tei.write_text(tei.read_text(encoding="utf-8").replace("Однако даже", "Однако, даже", 1), encoding="utf-8")
    killed = subprocess.run([sys.executable, "-c", _KILLED_AFTER_FIRST_SWAP, *command], capture_output=True,
                            text=True, env=env, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    site_copy = (build_dir / "site" / "downloads" / "d002.pdf").read_bytes()
    live = (build_dir / "pdf" / "d002.pdf").read_bytes()
    assert site_copy == live != before, "a new site with the previous PDFs"
    again = subprocess.run([*EDITION, *command, "--no-pdf"], capture_output=True, text=True, env=env, timeout=300)
    assert again.returncode == 0, again.stdout + again.stderr
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".build")    # (the spare tree and the
                  and p.name not in (".build-spare", ".build-written")) == []      # record: staging.py)
    assert sorted(p.name for p in build_dir.iterdir()) == ["pdf", "site"]
    assert (build_dir / "pdf" / "d002.pdf").read_bytes() == live       # --no-pdf kept the PDFs


# ---- 7. size: no stage is quadratic in one element's content -----------------------------------------------

class _Counting(etree.ElementBase):
    """An element that counts the characters written into text and tail (a quadratic way of joining
    text writes the same characters again and again)."""
    written = 0

    @property
    def text(self):
        return etree.ElementBase.text.__get__(self)

    @text.setter
    def text(self, value):
        _Counting.written += len(value or "")
        etree.ElementBase.text.__set__(self, value)

    @property
    def tail(self):
        return etree.ElementBase.tail.__get__(self)

    @tail.setter
    def tail(self, value):
        _Counting.written += len(value or "")
        etree.ElementBase.tail.__set__(self, value)


def _counting_parser() -> etree.XMLParser:
    parser = etree.XMLParser()
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(element=_Counting))
    return parser


def _huge_paragraph(per_line: str, lines: int = 20_000) -> etree._Element:
    """The frozen d002 with 20,000 witness lines in its first paragraph (1,000,000 never finished: each
    removed element joined the whole text before it again), parsed into counting elements."""
    text = FROZEN_D002.read_text(encoding="utf-8")
    body = "".join(per_line.format(n=n) for n in range(100_000, 100_000 + lines))
    return etree.fromstring(text.replace('<p xml:id="d002-p1">', '<p xml:id="d002-p1">' + body, 1).encode("utf-8"),
                            _counting_parser())


def _plain_export():
    from tei_edition.exports.tei_corpus import plain_flavour
    root = _huge_paragraph('<lb n="{n}"/>слово и ещё сло<fw type="pageNum">{n}</fw>во ')
    explanation = etree.fromstring(f'<p xmlns="{TEI_NS}" xml:id="plain-tei">plain</p>', _counting_parser())
    return lambda: plain_flavour(root, explanation)


def _diplomatic_text():
    from tei_edition.exports.diplomatic import diplomatic_text
    root = _huge_paragraph('слово и ещё <fw type="pageNum">{n}</fw>слово ')   # one witness line of page numbers
    return lambda: diplomatic_text(root)


def _validation_repairs():
    from tei_edition.schema import load_odd, odd_path
    from tei_edition.validate.locate import Locator
    from tei_edition.validate.schema_check import ProjectSchema
    root = _huge_paragraph('слово и ещё <bogus/>слово ')
    tree = etree.ElementTree(root)
    schema = ProjectSchema.compile(load_odd(odd_path(ROOT)))
    return lambda: schema.check(tree, "huge.xml", Locator(tree, etree.tostring(root, encoding="unicode")))


# (The print stage removes nothing from the fragment: print.css hides what print leaves out. No print case.)
@pytest.mark.parametrize("stage", [_plain_export, _diplomatic_text, _validation_repairs],
                         ids=["plain-TEI export", "diplomatic text", "validation repairs"])
def test_what_is_written_into_the_tree_grows_with_the_text_not_its_square(stage):
    """Removing many elements of one paragraph writes their text into the tree once, not once per element."""
    run = stage()
    _Counting.written = 0
    run()
    size = 25 * 20_000                     # characters of the huge paragraph, about
    assert _Counting.written < 10 * size, (_Counting.written, size)


def _one_by_one(el: etree._Element, joiner: str) -> None:
    """The export's former way, element by element (the reference the linear one must equal)."""
    parent, prev = el.getparent(), el.getprevious()
    tail = el.tail or ""
    before = (prev.tail if prev is not None else parent.text) or ""
    if joiner == "":
        before, tail = before.rstrip(), tail.lstrip()
    elif before and not before[-1].isspace() and tail and not tail[0].isspace():
        tail = " " + tail
    if prev is not None:
        prev.tail = before + tail
    else:
        parent.text = before + tail
    parent.remove(el)


def _unwrap_one(el: etree._Element) -> None:
    parent, prev = el.getparent(), el.getprevious()
    idx = parent.index(el)
    text, tail = el.text or "", el.tail or ""
    if prev is not None:
        prev.tail = (prev.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    children = list(el)
    for i, child in enumerate(children):
        parent.insert(idx + i, child)
    if children:
        children[-1].tail = (children[-1].tail or "") + tail
    elif prev is not None:
        prev.tail = (prev.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(el)


_PIECES = ["", "a", "b c", " ", "\n", "d-", " e", "f ", '<lb/>', '<lb break="no"/>', "<fw>r</fw>",
           '<seg type="source-editorial">', '<seg type="other">', "<hi>", "</>"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_splicing_in_one_pass_gives_what_element_by_element_gave(pieces):
    from tei_edition.trees import AS_IS, UNWRAP, splice
    xml, open_ = [], []
    for piece in pieces:
        if piece == "</>":
            if open_:
                xml.append(f"</{open_.pop()}>")
        else:
            xml.append(escape(piece) if not piece.startswith("<") else piece)
            if piece.startswith(("<seg", "<hi")):
                open_.append(piece[1:4].strip(" >"))
    xml += [f"</{name}>" for name in reversed(open_)]
    text = "<p>" + "".join(xml) + "</p>"
    old, new = etree.fromstring(text), etree.fromstring(text)
    for fw in [e for e in old.iter("fw")]:
        _one_by_one(fw, " ")
    for lb in list(old.iter("lb")):
        _one_by_one(lb, "" if lb.get("break") == "no" else " ")
    for seg in [s for s in old.iter("seg") if s.get("type") == "source-editorial"]:
        _unwrap_one(seg)
    for hi in list(old.iter("hi")):           # dropped with its content, the text after it kept as it is
        if hi.getparent() is not None and not any(a.tag == "hi" for a in hi.iterancestors()):
            parent, prev = hi.getparent(), hi.getprevious()
            if hi.tail:
                if prev is not None:
                    prev.tail = (prev.tail or "") + hi.tail
                else:
                    parent.text = (parent.text or "") + hi.tail
            parent.remove(hi)
    splice(list(new.iter("fw")), lambda el: " ")
    splice(list(new.iter("lb")), lambda lb: "" if lb.get("break") == "no" else " ")
    splice([s for s in new.iter("seg") if s.get("type") == "source-editorial"], lambda el: UNWRAP)
    splice([h for h in new.iter("hi") if not any(a.tag == "hi" for a in h.iterancestors())], lambda el: AS_IS)
    assert etree.tostring(new) == etree.tostring(old), text
