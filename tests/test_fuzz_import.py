"""Property-based tests of the importers: for raw texts made up by hypothesis, every layout parser either
reads the text or refuses it with a clear EditionError (never another exception), its TEI is well-formed,
and fidelity holds: the source regenerated from the TEI equals the source, character for character.

The texts mix what the real witnesses hold: Cyrillic, Greek and Latin words, numbers, bracketed calls [n],
glued calls (слово12), «quotes», asterisks, line-end hyphens, blank lines and runs of them, lines holding a
single space or a no-break space, lines starting with a space (page starts in the PDF layouts), footnote-like
lines ("3 text"), page numbers standing alone, lines ending in two spaces. Each layout gets a minimal
generic profile; the web-page and journal layouts get the frame they need (title, notes heading) around
the made-up text. A second set cuts stretches out of the real witnesses anywhere (mid-page, mid-note,
mid-word) and damages them a little (lines dropped, doubled, blanked, indented, run together).
Run with --hypothesis-show-statistics to see the inputs tried and what the TEI held.
"""

from __future__ import annotations

import copy
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, assume, event, example, given, settings
from hypothesis import strategies as st

from tei_edition import config as config_mod
from tei_edition.diagnostics import EditionError
from tei_edition.fidelity import compare, source_lines
from tei_edition.importer.parsers import LAYOUTS
from tei_edition.importer.profile import Profile, check_profile, load_profile
from tei_edition.importer.writer import write_tei
from tei_edition.xmlsafe import parse_bytes
from tests.conftest import ROOT

CFG = config_mod.load(ROOT)
PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink]    # no "explain": slow, adds nothing here
COMMON = ROOT / "sources" / "profiles" / "encodingDesc.xml"
# the same 100 inputs per test on every run (a test suite must not flicker); to hunt for new failures, run
# with EDITION_FUZZ_EXAMPLES=2000 (random inputs, as many per layout)
FUZZ = int(os.environ.get("EDITION_FUZZ_EXAMPLES", "0"))
SETTINGS = settings(max_examples=FUZZ or 100, deadline=None, derandomize=not FUZZ, database=None, phases=PHASES,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

CYRILLIC = "абвгдежзийклмнопрстуфхцчшщъыьэюяё"
GREEK = "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώ"
LATIN = "abcdefghijklmnopqrstuvwxyz"

small = st.one_of(st.integers(1, 3), st.integers(1, 25))                 # note numbers: the first ones are likeliest
words = st.one_of(*[st.text(alphabet=a + a.upper(), min_size=1, max_size=9) for a in (CYRILLIC, GREEK, LATIN)])
tokens = st.one_of(
    words, words, words,
    st.integers(0, 2000).map(str),                                        # dates, votes, page references
    small.map(lambda n: f"[{n}]"),                                        # bracketed call
    st.tuples(words, small).map(lambda t: f"{t[0]}{t[1]}"),               # call glued to a word
    st.tuples(words, st.sampled_from(".,;:»"), small).map(lambda t: "".join(map(str, t))),  # "слово. 2" style
    words.map(lambda w: f"«{w}»"),
    words.map(lambda w: f"{w}*"),
    words.map(lambda w: f"[{w}]"),                                        # the source's own bracket
    st.sampled_from([".", ",", ";", ":", "!", "?", "—", "–", "-", "(", ")", "[", "]", "[...]", "…", "...",
                     '"', "«", "»", "*", "***"]),
)
text_line = st.lists(tokens, min_size=1, max_size=10).map(" ".join)
line = st.one_of(
    text_line, text_line, text_line,
    text_line.map(lambda s: " " + s),                                     # a page start in the PDF layouts
    st.tuples(text_line, words).map(lambda t: f"{t[0]} {t[1]}-"),         # a line-end hyphen
    st.tuples(small, text_line).map(lambda t: f"{t[0]} {t[1]}"),           # a footnote line
    st.integers(1, 500).map(str),                                         # a page number alone
    text_line.map(lambda s: s + "  "),                                    # ends a paragraph (ragged)
    st.sampled_from(["", " ", "\u00a0", "***"]),                           # blank, single space, web spacer
)
blocks = st.one_of(line.map(lambda s: [s]), line.map(lambda s: [s]), st.integers(2, 4).map(lambda k: [""] * k))
raw_lines = st.lists(blocks, min_size=1, max_size=30).map(lambda bs: [s for b in bs for s in b])


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "sources" / "profiles").mkdir(parents=True)
        yield Path(folder)


def imports_faithfully(workdir: Path, layout: str, lines: list[str], data: dict, lang: str = "ru") -> None:
    """The property: import (as `edition import` does) and regenerate the source from the TEI."""
    text = "\n".join(lines)
    assume(text.strip())                          # an empty witness is refused before any parser runs
    source = workdir / "sources" / "fuzz.txt"
    source.write_text(text, encoding="utf-8")
    path = workdir / "sources" / "profiles" / "fuzz.toml"
    profile = Profile(path, "dfuzz", source.name, layout, lang, {"id": "dfuzz", "source": source.name,
                                                                 "layout": layout, "lang": lang, **data})
    try:
        rec = LAYOUTS[layout](source_lines(source), profile)
    except EditionError as exc:                   # a clear refusal names the profile or the source
        assert str(path) in str(exc) or source.name in str(exc), str(exc)
        event(f"refused: {str(exc).split(': ', 1)[1][:50]}")
        assume(False)
    tei = write_tei(CFG, profile, source, rec, COMMON)
    root = parse_bytes(tei, "fuzz.xml").getroot()  # well-formed (raises XMLProblem otherwise)
    for what, xpath in (("notes", "//t:text//t:note"), ("word split at a line end", "//t:lb[@break='no']"),
                        ("page breaks", "//t:pb"), ("corrections or source brackets", "//t:choice | //t:seg")):
        if root.xpath(xpath, namespaces={"t": "http://www.tei-c.org/ns/1.0"}):
            event(f"TEI has {what}")
    report = compare("dfuzz", workdir / "fuzz.xml", source, limit=3, tei=tei)
    assert report.divergences == [] and report.matched_chars == report.source_chars, report.divergences


@SETTINGS
@given(lines=raw_lines, missing=st.booleans())
def test_paragraph_per_line(workdir, lines, missing):
    imports_faithfully(workdir, "paragraph-per-line", lines, {"notes": {"missing": missing}})


@SETTINGS
@given(lines=raw_lines, policy=st.sampled_from(["real", "decide"]))
def test_ragged_lines(workdir, lines, policy):
    imports_faithfully(workdir, "ragged-lines", lines, {
        "hyphens": {"policy": policy}, "structure": {"separator": "***"},
        "notes": {"missing": True, "missing_comment": "Reference [{n}]: the list is not in the witness."}})


@SETTINGS
@given(title=text_line, body=raw_lines, notes=st.lists(st.tuples(small, text_line, st.booleans()),
                                                      max_size=8))
def test_web_page(workdir, title, body, notes):
    # the page's frame: its title (line 1), the article, the notes heading, then "[n] text" lines
    note_lines = [s for n, text, blank in notes for s in ([f"[{n}] {text}"] + ([""] if blank else []))]
    lines = [title, *body, "Σημειώσεις", *note_lines]
    imports_faithfully(workdir, "web-page", lines, {"page": {"heading": 1, "notes_heading": len(body) + 2}},
                       lang="el")


@SETTINGS
@example(title="Ё", body=["Ё* Ё*", "", "* Ё-"])        # found by hypothesis: two asterisk calls, one note text
@given(title=text_line, body=raw_lines)
def test_journal_columns(workdir, title, body):
    # a title above the columns (line 1), then the two-column text
    imports_faithfully(workdir, "journal-columns", [title, *body],
                       {"page_layout": {"title_lines": [1, 1], "body_first": 2}})


@SETTINGS
@given(body=raw_lines)
def test_book(workdir, body):
    imports_faithfully(workdir, "book", ["Глава первая", *body],
                       {"marks": [{"line": 1, "level": 1, "type": "chapter"}]})


# ---- stretches of the real witnesses, cut anywhere and damaged a little ------------------------------------

def witness(stem: str) -> list[str]:
    (path,) = (ROOT / "sources").glob(f"{stem}_*.txt")
    return path.read_text(encoding="utf-8").split("\n")


WITNESS = {stem: witness(stem) for stem in ("000", "001", "003", "004")}


@st.composite
def stretch(draw, lines: list[str], first: int = 1, last: int | None = None, longest: int = 120,
            opening: str = "") -> list[str]:
    """Consecutive lines of a witness (cut mid-page, mid-note, mid-word; from a line that begins with
    `opening`), with a few lines dropped, doubled, blanked, indented (a page start where there was none)
    or run together."""
    last = last or len(lines)
    start = draw(st.sampled_from([i for i in range(first - 1, last) if lines[i].startswith(opening)]))
    part = lines[start:min(last, start + draw(st.integers(1, longest)))]
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, len(part) - 1))
        how = draw(st.sampled_from(["drop", "double", "blank", "indent", "join"]))
        if how == "drop" and len(part) > 1:
            del part[i]
        elif how == "double":
            part.insert(i, part[i])
        elif how == "blank":
            part[i] = ""
        elif how == "indent":
            part[i] = " " + part[i]
        elif how == "join" and i + 1 < len(part):
            part[i:i + 2] = [part[i] + part[i + 1]]
    return part


@SETTINGS
@given(body=stretch(WITNESS["000"], first=25))
def test_journal_columns_on_stretches_of_its_witness(workdir, body):
    imports_faithfully(workdir, "journal-columns", [WITNESS["000"][0], *body],
                       {"page_layout": {"title_lines": [1, 1], "body_first": 2}})


@SETTINGS
@given(lines=stretch(WITNESS["004"]), policy=st.sampled_from(["real", "decide"]))
def test_ragged_lines_on_stretches_of_its_witness(workdir, lines, policy):
    imports_faithfully(workdir, "ragged-lines", lines, {
        "hyphens": {"policy": policy}, "structure": {"separator": "***"},
        "notes": {"missing": True, "missing_comment": "Reference [{n}]: the list is not in the witness."}})


@SETTINGS
@given(body=stretch(WITNESS["003"], first=16, last=150, longest=60),
       notes=stretch(WITNESS["003"], first=158, last=388, longest=60, opening="["))
def test_web_page_on_stretches_of_its_witness(workdir, body, notes):
    lines = [WITNESS["003"][2], *body, "Σημειώσεις", *notes]
    imports_faithfully(workdir, "web-page", lines, {"page": {"heading": 1, "notes_heading": len(body) + 2}},
                       lang="el")


@SETTINGS
@given(body=stretch(WITNESS["001"], longest=200))
def test_book_on_stretches_of_its_witness(workdir, body):
    imports_faithfully(workdir, "book", ["Глава первая", *body],
                       {"marks": [{"line": 1, "level": 1, "type": "chapter"}]})


# ---- the real profiles with one value wrong -------------------------------------------------------------------

def key_paths(node, prefix=()):
    """Every key and list position of a profile's data (the first entries of long lists)."""
    items = node.items() if isinstance(node, dict) else enumerate(node[:4]) if isinstance(node, list) else ()
    for key, value in items:
        yield prefix + (key,)
        yield from key_paths(value, prefix + (key,))


WRONG_VALUES = [0, -1, 10**9, "", "x", "{n}{", True, [], [1, "a"], {}, {"a": 1}, 3.5, None]   # None: key removed


@pytest.mark.parametrize("stem", ["002", "003"])
def test_a_real_profile_with_one_wrong_value_imports_faithfully_or_is_refused(workdir, stem):
    """Any one value of a real profile replaced by one of another kind (or removed): the import still
    holds to fidelity, or it is refused with an EditionError naming the profile -- never another exception."""
    profile = load_profile(ROOT / "sources" / "profiles" / f"{stem}.toml")
    (source,) = (ROOT / "sources").glob(f"{stem}_*.txt")
    paths = [p for p in key_paths(profile.data) if p[0] not in ("id", "source", "layout", "lang")]

    @SETTINGS
    @given(path=st.sampled_from(paths), value=st.sampled_from(WRONG_VALUES))
    def one_wrong_value(path, value):
        data = copy.deepcopy(profile.data)
        node = data
        for key in path[:-1]:
            node = node[key]
        if value is None:
            del node[path[-1]]
        else:
            node[path[-1]] = copy.deepcopy(value)
        wrong = Profile(profile.path, profile.id, profile.source, profile.layout, profile.lang, data, profile.text)
        try:
            check_profile(wrong)
            rec = LAYOUTS[wrong.layout](source_lines(source), wrong)
            tei = write_tei(CFG, wrong, source, rec, COMMON)
        except EditionError as exc:
            assert str(profile.path) in str(exc) or source.name in str(exc), str(exc)
            event("refused")
            return
        event("imported")
        report = compare(profile.id, workdir / "wrong.xml", source, limit=3, tei=tei)
        assert report.divergences == [] and report.matched_chars == report.source_chars, report.divergences

    one_wrong_value()
