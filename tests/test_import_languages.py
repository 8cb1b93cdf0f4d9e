"""A book in Greek or English in the book layout is a profile, not new code: the inline rules (note calls,
the source's own brackets, a line going on with a small letter) read the document's language
(importer/languages.py) and the profile's [inline] table. Made-up pages in the layout of the edition's book
(tests/fixtures/import/book-*-footnotes.txt), each imported, written as TEI and read back for fidelity."""

from __future__ import annotations

from pathlib import Path

from tei_edition import config as config_mod
from tei_edition.fidelity import compare, source_lines
from tei_edition.importer import record as r
from tei_edition.importer.parsers import book
from tei_edition.importer.profile import Profile
from tei_edition.importer.writer import write_tei
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "import"


def imported(name: str, lang: str, inline: dict | None = None) -> tuple[r.Record, Path, bytes]:
    path = FIXTURES / name
    data = {"id": "dbook", "source": path.name, "layout": "book", "lang": lang,
            "marks": [{"line": 1, "level": 1, "type": "chapter"}], **({"inline": inline} if inline else {})}
    profile = Profile(path, "dbook", path.name, "book", lang, data)
    rec = book.parse(source_lines(path), profile)
    common = ROOT / "sources" / "profiles" / "encodingDesc.xml"
    return rec, path, write_tei(config_mod.load(ROOT), profile, path, rec, common)


def tokens(blocks: list) -> list:
    out = []
    for b in blocks:
        if isinstance(b, r.Division):
            out += tokens(b.blocks)
        elif isinstance(b, r.Paragraph):
            out += b.tokens
    return out


def paragraphs(blocks: list) -> list[r.Paragraph]:
    out: list[r.Paragraph] = []
    for b in blocks:
        if isinstance(b, r.Division):
            out += paragraphs(b.blocks)
        elif isinstance(b, r.Paragraph):
            out.append(b)
    return out


def test_a_greek_book_imports_with_its_notes_brackets_and_paragraphs():
    rec, path, tei = imported("book-greek-footnotes.txt", "el")
    toks = tokens(rec.body)
    assert [t.note.n for t in toks if isinstance(t, r.NoteCall)] == ["1", "2"]      # glued to Greek words
    # "[… – Γ.Μ.]": a remark signed with Greek initials is the source's editors', not an insertion
    assert [t.kind for t in toks if isinstance(t, r.SourceEditorial)] == ["editor-remark"]
    # "κ.λπ." ends a short line, but the next goes on with a small Greek letter: one paragraph
    first = paragraphs(rec.body)[0]
    assert [t.n for t in first.tokens if isinstance(t, r.LineBreak)] == [2, 3, 4]
    report = compare("dbook", path.with_suffix(".xml"), path, tei=tei)
    assert report.divergences == [] and report.matched_chars == report.source_chars


def test_an_english_book_takes_its_editors_mark_from_the_profile():
    rec, path, tei = imported("book-english-footnotes.txt", "en")
    toks = tokens(rec.body)
    assert [t.note.n for t in toks if isinstance(t, r.NoteCall)] == ["1", "2"]
    assert [t.kind for t in toks if isinstance(t, r.SourceEditorial)] == ["insertion"]    # "– Ed." unknown
    assert len(paragraphs(rec.body)) >= 2 and [t.n for t in paragraphs(rec.body)[0].tokens
                                                if isinstance(t, r.LineBreak)] == [2, 3, 4]
    rec, path, tei = imported("book-english-footnotes.txt", "en", {"editors_marks": ["Ed"]})
    assert [t.kind for t in tokens(rec.body) if isinstance(t, r.SourceEditorial)] == ["editor-remark"]
    report = compare("dbook", path.with_suffix(".xml"), path, tei=tei)
    assert report.divergences == [] and report.matched_chars == report.source_chars


def test_an_unknown_inline_key_names_the_profile():
    import pytest

    from tei_edition.diagnostics import EditionError
    with pytest.raises(EditionError, match=r"\[inline\]: unknown key `quotes`"):
        imported("book-english-footnotes.txt", "en", {"quotes": "x"})
