"""The built site in a real browser: Debian's Chromium driven by Playwright (never `playwright install`).

Notes, name popovers into the register and back, the diplomatic view, search in Russian and Greek,
accessibility (axe-core: no serious or critical violations), phone width; every test also fails on a
console error or a failed request."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path

import pytest

pytest.importorskip("playwright")
from playwright.sync_api import Page, expect  # noqa: E402

from tei_edition import config as config_mod  # noqa: E402
from test_site import ROOT, annotated_site, built_site  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="apt-get install chromium (see TOOLCHAIN.md)")]


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {"executable_path": str(CHROMIUM),
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]}


@pytest.fixture(scope="session")
def base_url():
    """pytest-base-url's own fixture warns under pytest 9 (an error here); the pages get full URLs anyway."""
    return None


def serve(folder: Path) -> str:
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def base() -> str:
    return serve(built_site())


@pytest.fixture
def watched(page: Page):
    """The page, with console errors and failed requests collected; asserted empty after the test."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url} {r.failure}"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    yield page
    assert problems == []


def first_page_with(site: Path, selector_class: str) -> str:
    for path in sorted(site.glob("d*/*.html")):
        if selector_class in path.read_text(encoding="utf-8"):
            return str(path.relative_to(site))
    pytest.fail(f"no reading page holds {selector_class}")


def test_note_opens_as_popover_and_closes(watched: Page, base: str):
    page = watched
    page.goto(base + "d002/index.html")
    call = page.locator("#d002-n1 > a.tei-note-call")
    expect(call).to_have_text("13")
    call.click()
    pop = page.locator("#popover")
    expect(pop).to_be_visible()
    expect(pop).to_contain_text("[The note text is missing in the source.]")
    # the editors' remark on the note is not inside it: a lettered call there, its body a note of its own
    remark = pop.locator('a[data-apparatus="call"]')
    expect(remark).to_have_text("a")
    expect(page.locator(remark.get_attribute("href"))).to_contain_text("The note calls 13–17 survive in the source")
    expect(call).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")
    expect(pop).to_be_hidden()
    expect(call).to_be_focused()
    # the notes list at the page end, with its back-link to the call
    page.locator("#d002-n3-text a.note-back").click()
    assert page.evaluate("location.hash") == "#d002-n3"


def test_person_popover_to_register_and_back(watched: Page, base: str):
    page = watched
    site = built_site()
    if not any("tei-persName tei-entity" in p.read_text(encoding="utf-8") for p in site.glob("d*/*.html")):
        site = annotated_site()
        base = serve(site)
    start = first_page_with(site, "tei-persName tei-entity")
    page.goto(base + start)
    name = page.locator("a.tei-persName.tei-entity").first
    ref = name.get_attribute("data-ref")
    # highlighting by type: off, on (persons coloured), remembered
    background = "e => getComputedStyle(e).backgroundColor"
    plain = name.evaluate(background)
    page.locator("button.toggle-entities").click()
    expect(page.locator("html")).to_have_class(re.compile(r"\bshow-entities\b"))
    assert name.evaluate(background) != plain
    page.locator("button.toggle-entities").click()
    assert name.evaluate(background) == plain
    name.click()
    pop = page.locator("#popover")
    expect(pop).to_be_visible()
    link = pop.locator("a.entity-link")
    expect(link).to_have_attribute("href", f"../register/{ref}.html")
    entry_name = pop.locator(".entity-name").inner_text()
    link.click()
    page.wait_for_url(re.compile(rf"/register/{ref}\.html$"))
    expect(page.locator("h1")).to_have_text(entry_name)
    doc = start.split("/")[0]
    mention = page.locator(f'.mentions a[href^="../{doc}/"]').first
    href = mention.get_attribute("href")
    mention.click()
    anchor = href.split("#")[1]
    page.wait_for_url(re.compile(rf"/{doc}/.*#{anchor}$"))
    target = page.locator(f"#{anchor}")
    expect(target).to_be_in_viewport()
    assert target.locator(f'a.tei-entity[data-ref="{ref}"]').count() >= 1


def test_diplomatic_view_switch_is_remembered(watched: Page, base: str):
    page = watched
    site = built_site()
    page.goto(base + first_page_with(site, 'class="tei-lb-hyphen"'))
    hyphen = page.locator(".tei-lb-hyphen").first
    button = page.locator("button.toggle-view")
    expect(hyphen).to_be_hidden()
    expect(page.locator("html")).to_have_class(re.compile(r"\bview-edited\b"))
    button.click()
    expect(page.locator("html")).to_have_class(re.compile(r"\bview-diplomatic\b"))
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(hyphen).to_be_visible()
    display = "e => getComputedStyle(e).display"  # a <br> has no box, so "visible" cannot be asked
    assert page.locator("br.tei-lb").first.evaluate(display) == "inline"
    page.reload()
    expect(page.locator("html")).to_have_class(re.compile(r"\bview-diplomatic\b"))
    page.locator("button.toggle-view").click()
    expect(page.locator("html")).to_have_class(re.compile(r"\bview-edited\b"))
    expect(page.locator(".tei-lb-hyphen").first).to_be_hidden()
    assert page.locator("br.tei-lb").first.evaluate(display) == "none"
    # sic and corr of a correction: the source's reading only in the diplomatic view
    page.goto(base + first_page_with(site, 'class="tei-sic"'))
    sic, corr = page.locator(".tei-choice .tei-sic").first, page.locator(".tei-choice .tei-corr").first
    expect(sic).to_be_hidden()
    expect(corr).to_be_visible()
    page.locator("button.toggle-view").click()
    expect(sic).to_be_visible()
    expect(corr).to_be_hidden()


@pytest.mark.parametrize("word, language, doc", [("Викжеля", "Russian", "d002"), ("Στάινμπεργκ", "Greek", "d003")])
def test_search_and_open_a_result(watched: Page, base: str, word: str, language: str, doc: str):
    page = watched
    if not (built_site() / doc).is_dir():
        pytest.skip(f"{doc} is not in the edition yet")
    page.goto(base + "search.html")
    page.fill("#search-q", word)
    page.select_option("#search-lang", language)
    # the document filter lists the documents in the edition's order, after "All"
    order = [d.id for d in config_mod.load(ROOT).documents if (built_site() / d.id).is_dir()]
    page.select_option("#search-doc", index=1 + order.index(doc))
    page.click(".search-form button")
    results = page.locator(".search-results li")
    expect(results.first).to_be_visible(timeout=15000)
    assert page.evaluate("location.search").startswith("?q=")
    hrefs = [a.get_attribute("href") for a in results.locator("a").all()]
    assert hrefs and all(f"/{doc}/" in h for h in hrefs), hrefs  # both filters hold
    expect(results.first.locator("mark").first).to_be_visible()
    results.locator("a").first.click()
    page.wait_for_url(re.compile(r"/d\d+/"))
    expect(page.locator("article.edition")).to_contain_text(word)


def test_cite_shows_citation_with_paragraph_url(watched: Page, base: str):
    page = watched
    page.goto(base + "d002/index.html")
    page.locator("#d002-p2 .cite-button").click()
    text = page.locator("#popover .citation-text")
    expect(text).to_contain_text("d002/index.html#d002-p2")
    expect(text).to_contain_text("Большевики приходят к власти")


def test_phone_width_has_no_horizontal_scroll(watched: Page, base: str):
    page = watched
    page.set_viewport_size({"width": 375, "height": 800})
    for path in ("index.html", "d002/index.html", first_page_with(built_site(), 'class="tei-pb')):
        page.goto(base + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 376, path


@pytest.mark.skipif(not AXE.is_file(), reason="npm axe-core in .cache/npm missing: make setup installs it")
def test_accessibility_no_serious_or_critical_violations(browser, base: str):
    site = built_site()
    context = browser.new_context(bypass_csp=True)  # axe is injected as a script; the site's CSP forbids that
    page = context.new_page()
    # one page of each kind (the guidelines, 80 KB of generated lists, take axe 12 s: checked by hand)
    pages = ["index.html", "d002/index.html", first_page_with(site, 'class="tei-pb'), "chronology.html",
             "search.html?q=Викжеля", "downloads.html"]
    pages += [str(p.relative_to(site)) for p in sorted((site / "register").glob("pers-*.html"))[:1]]
    found = {}
    for path in pages:
        page.goto(base + path)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        bad = [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
        if bad:
            found[path] = bad
    context.close()
    assert found == {}


def test_reading_without_javascript(browser, base: str):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "d002/index.html")
    expect(page.locator("#d002-p1")).to_be_visible()
    expect(page.locator(".toolbar")).to_be_hidden()            # the switches need scripts: not offered
    body = page.locator("#d002-n1-body")
    expect(body).to_be_hidden()
    page.locator("#d002-n1 > a.tei-note-call").click()          # the call opens its note in place (:target)
    assert page.evaluate("location.hash") == "#d002-n1-body"
    expect(body).to_be_visible()
    expect(body).to_be_in_viewport()
    expect(body).to_contain_text("[The note text is missing in the source.]")
    expect(page.locator("#d002-n1-text")).to_contain_text("[The note text is missing in the source.]")  # and the list
    context.close()


def test_print_shows_text_and_notes_without_controls(watched: Page, base: str):
    page = watched
    page.goto(base + "d002/index.html")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".toolbar")).to_be_hidden()
    expect(page.locator(".cite-button").first).to_be_hidden()
    expect(page.locator("#d002-p4")).to_be_visible()
    expect(page.locator(".page-notes")).to_be_visible()
