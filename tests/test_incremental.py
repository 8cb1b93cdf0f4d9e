"""The build cache: a rebuild after one document changes renders that document only, and gives the same
site, byte for byte, as a clean build. Run on a copy of the edition's three smaller documents (the
real TEI, the real register), so the test is fast and never touches the project's build/."""

from __future__ import annotations

import importlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tei_edition import cache as cache_mod, config as config_mod, outputs
from tei_edition.html import stage as html_stage
from tei_edition.build import build
from tei_edition.diagnostics import EditionError
from tei_edition.site import search as search_mod
from tei_edition.synthetic import make_synthetic

pytestmark = pytest.mark.slow   # builds the edition or its exports (left out by `make test-fast`)

SMALL = ["d002", "d000", "d004"]


def _built_pair(cfg, tmp_path: Path) -> tuple[Path, config_mod.Config, Path]:
    """A synthetic edition of two documents (d002, d004), built once without its search index:
    the project folder, its configuration and its site."""
    project = make_synthetic(cfg, tmp_path / "project", 1, only=["d002", "d004"]).root
    edition = config_mod.load(project)
    site = edition.build_dir / "site"
    build(edition, search=False, jobs=1, out=site)
    return project, edition, site


def tree(folder: Path) -> dict[str, bytes]:
    """Every file of a folder by relative path, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


@pytest.fixture(scope="module")
def project(tmp_path_factory, cfg):
    return make_synthetic(cfg, tmp_path_factory.mktemp("edition") / "project", 1, only=SMALL).root


def first_paragraph_word(tei: str) -> tuple[str, str]:
    """A word of d000's first paragraph, and the same text with that word changed."""
    start = tei.index('<p xml:id="d000-p')
    end = tei.index("</p>", start)
    words = [w for w in tei[start:end].split() if w.isalpha() and len(w) > 4]
    assert words, "d000 has a paragraph with plain words"
    return words[0], words[0] + "ИЗМЕНЕНО"


def change_a_word(tei_path: Path, doc_id: str, new: Callable[[str], str]) -> str:
    """Change the first plain word (letters only, over four) of doc_id's first paragraph in its TEI file to
    new(word); the word."""
    text = tei_path.read_text(encoding="utf-8")
    start = text.index(f'<p xml:id="{doc_id}-p')
    word = next(w for w in text[start:text.index("</p>", start)].split() if w.isalpha() and len(w) > 4)
    tei_path.write_text(text[:start] + text[start:].replace(word, new(word), 1), encoding="utf-8")
    return word


def cache_loads(monkeypatch, counted: Callable[[str], bool]) -> list[str]:
    """The names of the cache entries loaded from now on that `counted` accepts (filled as they are loaded)."""
    loaded: list[str] = []
    real_get = cache_mod.Cache.get
    monkeypatch.setattr(cache_mod.Cache, "get", lambda self, name, key: (
        loaded.append(name) if counted(name) else None, real_get(self, name, key))[1])
    return loaded


def test_one_changed_document_is_rendered_alone_and_gives_the_clean_site(project, tmp_path):
    cfg = config_mod.load(project)
    site = cfg.build_dir / "site"                                     # HTML only: with out=, no PDFs
    build(cfg, search=False, jobs=1, out=site)                        # fills the cache
    assert sorted(html_stage.last_run.rendered) == sorted(SMALL)
    before = tree(site)

    build(cfg, search=False, jobs=1, out=site)                        # nothing changed: nothing rendered
    assert html_stage.last_run.rendered == [] and sorted(html_stage.last_run.reused) == sorted(SMALL)
    assert differences(before, tree(site)) == []
    shutil.rmtree(site)                                               # the output gone: built again, from the cache
    build(cfg, search=False, jobs=1, out=site)
    assert html_stage.last_run.rendered == [] and differences(before, tree(site)) == []

    tei_path = project / "tei" / "d000.xml"
    text = tei_path.read_text(encoding="utf-8")
    word, changed = first_paragraph_word(text)
    tei_path.write_text(text.replace(word, changed, 1), encoding="utf-8")

    build(cfg, search=False, jobs=1, out=site)                        # incremental
    assert html_stage.last_run.rendered == ["d000"]
    assert sorted(html_stage.last_run.reused) == ["d002", "d004"]
    incremental = tree(site)

    build(cfg, search=False, jobs=1, cache=False, out=tmp_path / "clean")  # clean, no cache
    assert sorted(html_stage.last_run.rendered) == sorted(SMALL)
    clean = tree(tmp_path / "clean")
    assert differences(incremental, clean) == []

    changed_files = differences(before, incremental)
    assert "d000/index.html" in changed_files and changed in incremental["d000/index.html"].decode()
    # the other documents' reading pages are untouched
    assert not [f for f in changed_files if f.startswith(("d002/", "d004/"))]


def test_a_changed_stylesheet_or_register_renders_everything_again(project, tmp_path, monkeypatch):
    cfg = config_mod.load(project)
    build(cfg, search=False, jobs=1, out=tmp_path / "a")
    assert html_stage.last_run.rendered == []                          # cached by the test above (or now)
    monkeypatch.setattr(html_stage, "_stylesheets_digest", lambda folder: "another stylesheet")
    build(cfg, search=False, jobs=1, out=tmp_path / "b")
    assert sorted(html_stage.last_run.rendered) == sorted(SMALL)


def test_an_unchanged_pdf_comes_from_the_cache_with_the_same_bytes(cfg, tmp_path):
    from tei_edition import i18n, register
    from tei_edition.build import available_documents, build_print
    from tei_edition.corpus import register_paths
    from tei_edition.print import book, cache as pdfcache
    from tei_edition.print.stage import pdf_jobs

    project = make_synthetic(cfg, tmp_path / "project", 1, only=["d002", "d000"]).root
    edition = config_mod.load(project)
    [made] = build_print(edition, ["d002"], with_book=False, pdfa=False, jobs=1)
    first = made.path.read_bytes()
    assert made.seconds > 0 and first.startswith(b"%PDF")
    [again] = build_print(edition, ["d002"], with_book=False, pdfa=False, jobs=1)
    assert again.seconds == 0.0 and again.pages == made.pages      # reused, not laid out again
    assert again.path.read_bytes() == first

    # a changed document changes its own PDF's key and the book's, not another document's
    strings, reg = i18n.load("en"), register.load(register_paths(edition))
    builds = html_stage.render_documents(edition, available_documents(edition)[0], strings, reg)
    jobs = pdf_jobs(builds, tmp_path / "pdf", book.Shell(edition, strings, reg), with_book=True, pdfa=False)
    shared = pdfcache.shared_inputs(edition)
    tei = {i: (project / "tei" / f"{i}.xml").read_bytes() for i in ("d002", "d000")}
    before = [pdfcache.job_key(j, shared, tei) for j in jobs]
    after = [pdfcache.job_key(j, shared, {**tei, "d002": tei["d002"].replace(b"</p>", b" </p>", 1)}) for j in jobs]
    changed = {j.target.name for j, b, a in zip(jobs, before, after) if a != b}
    assert changed == {"edition.pdf", "d002.pdf"}


def test_unchanged_outputs_are_linked_not_rewritten_and_a_removed_document_leaves_no_file(cfg, tmp_path):
    project, edition, site = _built_pair(cfg, tmp_path)
    from tei_edition.exports.urls import resource_iri       # a DTS file is named by its document's IRI
    kept = ["d002/index.html", "data/tei/d002.xml", "data/text/d002.edited.txt",
            f"api/dts/document/{resource_iri(edition, 'd002')}.xml", "register/index.html"]
    before = {rel: (site / rel).stat() for rel in kept + ["d004/index.html"]}
    assert all(before[rel].st_nlink == 1 for rel in before)           # a clean build links nothing
    held = tmp_path / "held.html"
    os.link(site / "d004/index.html", held)                           # the live page, as a reader holds it
    old_page = held.read_bytes()

    tei_path = project / "tei" / "d004.xml"
    change_a_word(tei_path, "d004", lambda word: word + "ИЗМЕНЕНО")
    build(edition, search=False, jobs=1, out=site)

    for rel in kept:                                                  # the same file: inode and mtime kept
        now = (site / rel).stat()
        assert (now.st_ino, now.st_mtime_ns) == (before[rel].st_ino, before[rel].st_mtime_ns), rel
    assert (site / "d004/index.html").stat().st_ino != before["d004/index.html"].st_ino
    assert "ИЗМЕНЕНО" in (site / "d004/index.html").read_text(encoding="utf-8")
    assert held.read_bytes() == old_page                              # the previous site was never written to

    toml = project / "edition.toml"                                   # d004 leaves the edition
    blocks = toml.read_text(encoding="utf-8").split("[[documents]]")
    toml.write_text("[[documents]]".join(b for b in blocks if 'id = "d004"' not in b), encoding="utf-8")
    edition = config_mod.load(project)
    build(edition, search=False, jobs=1, out=site)
    left = [rel for rel in tree(site) if "d004" in rel]
    assert left == [] and (site / "d002/index.html").is_file()
    build(edition, search=False, jobs=1, cache=False, out=tmp_path / "clean")
    assert differences(tree(site), tree(tmp_path / "clean")) == []


def test_the_search_index_is_kept_only_while_no_reading_page_changed(cfg, tmp_path):
    project = make_synthetic(cfg, tmp_path / "project", 1, only=["d002"]).root
    edition = config_mod.load(project)
    site = edition.build_dir / "site"
    kept = "the previous index kept"
    logs: list[str] = []
    build(edition, search=True, jobs=1, out=site, log=logs.append)
    assert not any(kept in m for m in logs) and (site / "pagefind" / "pagefind-entry.json").is_file()
    entry = (site / "pagefind" / "pagefind-entry.json").stat().st_ino
    logs.clear()
    build(edition, search=True, jobs=1, out=site, log=logs.append)     # nothing changed: nothing run at all
    assert logs == ["nothing changed since the last build (TEI, register, settings, templates, code): output kept"]
    assert (site / "pagefind" / "pagefind-entry.json").stat().st_ino == entry
    (project / "tei" / "register" / "persons.xml").write_bytes(                 # the register changed, but no
        (project / "tei" / "register" / "persons.xml").read_bytes() + b"\n")   # reading page: Pagefind not run
    logs.clear()
    build(edition, search=True, jobs=1, out=site, log=logs.append)
    assert any(kept in m for m in logs)
    assert (site / "pagefind" / "pagefind-entry.json").stat().st_ino == entry
    tei_path = project / "tei" / "d002.xml"
    change_a_word(tei_path, "d002", lambda word: "НАЙДИМЕНЯ")
    logs.clear()
    build(edition, search=True, jobs=1, out=site, log=logs.append)     # a reading page changed: indexed again
    assert not any(kept in m for m in logs)
    assert (site / "pagefind" / "pagefind-entry.json").stat().st_ino != entry


def test_the_first_build_on_a_machine_is_followed_by_nothing_changed(cfg, tmp_path, monkeypatch):
    """The first build on a machine makes the reading face's subsets (kept in the toolkit's font cache); the
    next build with nothing changed keeps the output. Seen failing when the last build's key held the cache's
    files: made during the first build, they changed the key, and the second build ran whole again."""
    from tei_edition import build as build_mod
    from tei_edition.site import fonts
    if not all(p.is_file() for p in fonts.web_fonts()[:-1]):
        pytest.skip("the reading face (fonts-sil-gentiumplus) is not installed")
    monkeypatch.setattr(build_mod, "FONT_CACHE", tmp_path / "fonts")      # as on a new machine: no subsets yet
    project = make_synthetic(cfg, tmp_path / "project", 1, only=["d002"]).root
    edition = config_mod.load(project)
    site = edition.build_dir / "site"
    build(edition, search=False, jobs=1, out=site)
    assert len(list((tmp_path / "fonts").glob("*.woff2"))) == len(fonts.FACES)
    logs: list[str] = []
    build(edition, search=False, jobs=1, out=site, log=logs.append)
    assert logs == ["nothing changed since the last build (TEI, register, settings, templates, code): output kept"]


def test_an_edit_indexes_its_documents_part_again_and_gives_the_clean_sites_index(cfg, tmp_path, monkeypatch):
    """One search index per part of the documents (here one document each): an edit runs Pagefind on its
    part only, the other parts' indexes are the previous build's files, and the whole site, indexes
    included, is byte for byte a clean build's."""
    monkeypatch.setattr(search_mod, "MAX_PARTS", 2)          # three documents: parts [d002, d000], [d004]
    project = make_synthetic(cfg, tmp_path / "project", 1, only=SMALL).root
    edition = config_mod.load(project)
    site = edition.build_dir / "site"
    build(edition, search=True, jobs=1, out=site)
    assert json.loads((site / "pagefind" / "parts.json").read_text(encoding="utf-8")) == ["pagefind-parts/d004/"]
    before = {rel: (site / rel).stat().st_ino for rel in tree(site) if rel.startswith("pagefind")}
    tei_path = project / "tei" / "d004.xml"
    change_a_word(tei_path, "d004", lambda word: "НАЙДИМЕНЯ")
    logs: list[str] = []
    build(edition, search=True, jobs=1, out=site, log=logs.append)
    assert "search index: 2 part(s), 1 indexed again, 1 kept from the previous build" in logs
    after = {rel: (site / rel).stat().st_ino for rel in tree(site) if rel.startswith("pagefind")}
    kept = {rel for rel in after if before.get(rel) == after[rel]}
    assert {rel for rel in after if rel.startswith("pagefind/") and rel != "pagefind/parts.json"} <= kept
    assert not any(rel.startswith("pagefind-parts/d004/") for rel in kept)
    assert any("НАЙДИМЕНЯ".lower() in p.read_text(encoding="utf-8").lower()
               for p in (site / "d004").glob("*.html"))
    build(edition, search=True, jobs=1, cache=False, out=tmp_path / "clean")
    assert differences(tree(site), tree(tmp_path / "clean")) == []


def test_documents_are_cut_into_at_most_max_parts_runs_that_move_only_when_documents_come_or_go():
    ids = [f"d{n:03}" for n in range(40)]
    parts = search_mod.search_parts(ids)
    assert len(parts) <= search_mod.MAX_PARTS and [d for p in parts for d in p] == ids
    assert {len(p) for p in parts[:-1]} == {3}
    assert search_mod.search_parts(ids[:5]) == [[d] for d in ids[:5]]
    assert search_mod.search_parts([]) == []


def test_beyond_max_parts_documents_the_runs_hold_about_as_many_reading_pages_each():
    """With each document's number of reading pages, the runs hold about as many pages each (the least
    largest run for at most MAX_PARTS runs): a document of many pages does not share the run of the small
    ones beside it, so an edit of a small one does not index it again. Up to MAX_PARTS documents, each is a
    run whatever its pages."""
    ids = [f"d{n:03}" for n in range(40)]
    pages = {d: 30 if n % 5 == 3 else 2 for n, d in enumerate(ids)}     # every fifth document a large one
    parts = search_mod.search_parts(ids, pages)
    assert len(parts) <= search_mod.MAX_PARTS and [d for p in parts for d in p] == ids
    largest = max(sum(pages[d] for d in p) for p in parts)
    assert largest == 32, parts                 # a large one and one small one at most: 34 would do with fewer
    assert [p for p in parts if "d000" in p] == [["d000", "d001", "d002"]]   # d003 (30 pages) not with them
    assert search_mod.search_parts(ids, pages) == parts                       # the same cut every time
    assert search_mod.search_parts(ids[:5], pages) == [[d] for d in ids[:5]]


class DictStore:
    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], object] = {}

    def get(self, name: str, key: str) -> object | None:
        return self.entries.get((name, key))

    def put(self, name: str, key: str, value: object) -> None:
        self.entries[(name, key)] = value


def test_a_stamped_file_is_linked_only_while_its_key_and_the_live_file_are_those_recorded(tmp_path):
    store, live = DictStore(), tmp_path / "site"
    first = tmp_path / ".site-new-a"
    (first / "register").mkdir(parents=True)
    stamps = outputs.Stamps(store, "register", first)
    for name in ("a", "b"):
        (first / "register" / f"{name}.html").write_text(name, encoding="utf-8")
        stamps.note(f"register/{name}.html", f"key-{name}")
    stamps.save()
    first.rename(live)                                           # the build succeeded: its folder is the site
    second = tmp_path / ".site-new-b"
    stamps = outputs.Stamps(store, "register", second)
    assert stamps.link("register/a.html", "key-a")               # same key, same file: linked
    assert (second / "register" / "a.html").stat().st_ino == (live / "register" / "a.html").stat().st_ino
    assert not stamps.link("register/b.html", "key-b2")          # its inputs changed
    (live / "register" / "b.new").write_text("B", encoding="utf-8")   # the live file is another than the
    os.replace(live / "register" / "b.new", live / "register" / "b.html")   # one recorded (same size)
    assert not stamps.link("register/b.html", "key-b")
    assert not stamps.link("register/c.html", "key-c")           # never made


def test_an_edit_loads_only_the_register_pages_it_changed(cfg, tmp_path, monkeypatch):
    project = make_synthetic(cfg, tmp_path / "project", 1, only=["d002"]).root
    edition = config_mod.load(project)
    site = edition.build_dir / "site"
    build(edition, search=False, jobs=1, out=site)
    entries = len(list((site / "register").glob("*.html")))
    tei_path = project / "tei" / "d002.xml"
    change_a_word(tei_path, "d002", lambda word: word + "·")
    loaded = cache_loads(monkeypatch, lambda name: name.startswith("register-"))
    build(edition, search=False, jobs=1, out=site)
    assert entries > 50 and len(loaded) < entries // 10, (len(loaded), entries)
    build(edition, search=False, jobs=1, cache=False, out=tmp_path / "clean")
    assert differences(tree(site), tree(tmp_path / "clean")) == []


def test_an_edit_is_written_into_the_spare_tree_and_a_failed_one_leaves_the_site(cfg, tmp_path, monkeypatch):
    """Two site trees alternate (staging.py): from the third build on, a build writes into the output of the
    build before the last, so an edit links, writes and removes only the files whose bytes changed; the site
    is the clean build's byte for byte, also when an edit is undone; a build that fails while writing into
    the spare tree leaves the live site as it was, and the next build is right again."""
    from tei_edition.site import producers
    from tei_edition.staging import records_path, spare_of
    project = make_synthetic(cfg, tmp_path / "project", 1, only=["d002", "d004"]).root
    edition = config_mod.load(project)
    site = edition.build_dir / "site"
    tei_path = project / "tei" / "d004.xml"
    original = tei_path.read_text(encoding="utf-8")
    start = original.index('<p xml:id="d004-p')
    word = next(w for w in original[start:original.index("</p>", start)].split() if w.isalpha() and len(w) > 4)

    def edit(mark: str) -> None:
        tei_path.write_text(original[:start] + original[start:].replace(word, word + mark, 1), encoding="utf-8")

    def clean_site(name: str) -> dict[str, bytes]:
        build(edition, search=True, jobs=1, cache=False, out=tmp_path / name / "site")
        return tree(tmp_path / name / "site")

    build(edition, search=True, jobs=1, out=site)
    assert not spare_of(site).exists() and records_path(site).is_file()
    edit("ПЕРВАЯ")
    build(edition, search=True, jobs=1, out=site)                     # into an empty folder: no spare yet
    assert spare_of(site).is_dir()                                    # the first build's site, kept

    files = {rel: (site / rel).stat().st_ino for rel in tree(site)}
    calls = {"link": 0, "create": 0}
    real_link, real_create = os.link, outputs._create

    def counted_link(*args, **kwargs):
        calls["link"] += 1
        return real_link(*args, **kwargs)

    def counted_create(*args, **kwargs):
        calls["create"] += 1
        return real_create(*args, **kwargs)

    monkeypatch.setattr(os, "link", counted_link)
    monkeypatch.setattr(outputs, "_create", counted_create)
    edit("ВТОРАЯ")
    build(edition, search=True, jobs=1, out=site)                     # into the spare: the first build's site
    monkeypatch.undo()
    now = {rel: (site / rel).stat().st_ino for rel in tree(site)}
    replaced = sorted(rel for rel in now if now[rel] != files.get(rel))
    assert "d004/index.html" in replaced and not [rel for rel in replaced if rel.startswith("d002/")]
    assert calls["link"] + calls["create"] < len(files) / 10, (calls, len(files))   # not one per file
    edited = tree(site)
    assert "ВТОРАЯ" in edited["d004/index.html"].decode() and "ПЕРВАЯ" not in edited["d004/index.html"].decode()
    assert differences(edited, clean_site("clean-edit")) == []

    tei_path.write_text(original, encoding="utf-8")                   # the edit undone: the first build's bytes
    build(edition, search=True, jobs=1, out=site)
    undone = tree(site)
    assert differences(undone, clean_site("clean-original")) == []

    def fails(*args, **kwargs):
        raise RuntimeError("a stage failed")

    edit("ТРЕТЬЯ")
    monkeypatch.setattr(producers, "write_home", fails)               # after the reading and register pages
    with pytest.raises(RuntimeError, match="a stage failed"):
        build(edition, search=True, jobs=1, out=site)
    monkeypatch.undo()
    assert differences(tree(site), undone) == []                      # the live site as it was
    assert not spare_of(site).exists()                                # the spare, half rewritten, is gone
    assert not [p for p in site.parent.iterdir() if "-new-" in p.name]
    build(edition, search=True, jobs=1, out=site)
    assert differences(tree(site), clean_site("clean-third")) == []


def test_a_group_of_stamped_files_is_linked_only_while_its_key_and_every_live_file_are_those_recorded(tmp_path):
    store, live = DictStore(), tmp_path / "site"
    first = tmp_path / ".site-new-a"
    rels = {"a": ["data/tei/a.xml", "api/dts/a/1.json"], "b": ["data/tei/b.xml", "api/dts/b/1.json"]}
    stamps = outputs.GroupStamps(store, "exports", first)
    for group, paths in rels.items():
        for rel in paths:
            (first / rel).parent.mkdir(parents=True, exist_ok=True)
            (first / rel).write_text(rel, encoding="utf-8")
        stamps.note(group, f"key-{group}", paths)
    stamps.save()
    first.rename(live)                                           # the build succeeded: its folder is the site
    second = tmp_path / ".site-new-b"
    stamps = outputs.GroupStamps(store, "exports", second)
    assert stamps.link("a", "key-a") == (2, sum(len(r) for r in rels["a"]))   # same key, same files: linked
    for rel in rels["a"]:
        assert (second / rel).stat().st_ino == (live / rel).stat().st_ino
    assert stamps.link("b", "key-b2") is None                    # its inputs changed
    (live / "api/dts/b/1.new").write_text("api/dts/b/1.jso", encoding="utf-8")   # one live file is another than
    os.replace(live / "api/dts/b/1.new", live / "api/dts/b/1.json")             # the one recorded (same size)
    assert stamps.link("b", "key-b") is None
    assert stamps.link("c", "key-c") is None                     # never made
    stamps.save()
    assert set(store.get(stamps.name, "stamps")[1]) == {"a"}     # what this build kept is what it records
    # that build failed (its folder never became the site): its record, naming files of a folder since
    # removed, is not trusted, though every file it names is still the live site's
    third = tmp_path / ".site-new-c"
    assert outputs.GroupStamps(store, "exports", third).link("a", "key-a") is None


def test_an_edit_never_loads_the_export_files_of_an_unchanged_document(cfg, tmp_path, monkeypatch):
    """A document's export files (its TEI, texts, DTS responses: most of the exports' bytes) are recorded per
    document with the key they were made from: an edit keeps an unchanged document's files without loading
    them from the cache, and the site is still the clean build's, byte for byte."""
    project, edition, site = _built_pair(cfg, tmp_path)
    from tei_edition.exports import dts
    iri = dts.Api(edition).iri("d002")                               # d002's DTS responses, its TEI and texts
    dts_files = [rel for p in sorted(site.rglob("*")) if p.is_file() and not (rel := str(p.relative_to(site)))
                 .startswith("api/dts/collection") and ("d002" in p.name or iri in rel) and rel.startswith(("api", "data"))]
    assert len(dts_files) > 10 and "data/tei/d002.xml" in dts_files
    before = {rel: (site / rel).stat().st_ino for rel in dts_files}
    tei_path = project / "tei" / "d004.xml"
    change_a_word(tei_path, "d004", lambda word: word + "ИЗМЕНЕНО")
    loaded = cache_loads(monkeypatch, lambda name: name.endswith("-files"))
    texts: list[str] = []                                        # (and its plain text: the ZIP's member reused)
    real_text = html_stage.DocumentBuild.text_and_member
    monkeypatch.setattr(html_stage.DocumentBuild, "text_and_member",
                        lambda self: (texts.append(self.id), real_text(self))[1])
    pages: list[str] = []                                        # (and its reading pages: kept unread)
    real_get = cache_mod.Cache.get
    monkeypatch.setattr(cache_mod.Cache, "get", lambda self, name, key: (
        pages.append(name) if self.folder.name == "pages" and name in ("d002", "d004") else None,
        real_get(self, name, key))[1])
    build(edition, search=False, jobs=1, out=site)
    monkeypatch.undo()
    assert loaded == []                                          # d002's files kept unread; d004's made again
    assert texts == ["d004"] and pages == ["d004"]
    assert {rel: (site / rel).stat().st_ino for rel in dts_files} == before
    assert "ИЗМЕНЕНО" in (site / "data" / "tei" / "d004.xml").read_text(encoding="utf-8")
    build(edition, search=False, jobs=1, cache=False, out=tmp_path / "clean")
    assert differences(tree(site), tree(tmp_path / "clean")) == []


def test_the_record_of_written_files_is_one_int_a_file_and_an_older_layout_is_not_trusted(tmp_path):
    import pickle
    from tei_edition import staging
    value = outputs.entry(123456789, outputs.fingerprint(b"bytes"))
    assert outputs.inode_of(value) == 123456789 and outputs.mark_of(value) == outputs.fingerprint(b"bytes")
    assert outputs.fingerprint(b"") != outputs.UNKNOWN and outputs.mark_of(outputs.entry(5, 0)) == outputs.UNKNOWN
    target = tmp_path / "site"
    target.mkdir()
    records = {target.stat().st_ino: {"index.html": value}}
    staging._save_records(target, records)
    assert staging._records(target) == records
    with staging.records_path(target).open("wb") as fh:        # as the builds before this layout wrote it
        pickle.dump({target.stat().st_ino: {"index.html": (123456789, b"0123456789abcdef")}}, fh)
    assert staging._records(target) == {}                        # the next build starts from an empty folder


def test_a_documents_forwarding_pages_are_kept_while_its_reading_pages_are_and_follow_an_id_that_moved(tmp_path):
    """id/<xml:id>.html of a document are recorded with the hashes of its reading pages (the staging tree's
    record) and its wanted ids: kept unread while both are unchanged; an id that moved to another page gets
    its new address (a record that ignored the pages would keep the stale one)."""
    from tei_edition.exports import stable_links
    store, live = DictStore(), tmp_path / "site"
    base = "https://example.org/e/"
    pages = {"a": {"index.html": '<p id="a-p1">', "2.html": '<p id="a-p2">'},
             "b": {"index.html": '<p id="b-p1"> <p id="b-p2">'}}
    wanted = [("a", ["a-p1", "a-p2"]), ("b", ["b-p1", "b-p2"])]

    def one_build(name: str, record: outputs.Record) -> tuple[Path, outputs.Tree]:
        folder = tmp_path / f".site-new-{name}"
        folder.mkdir()
        tree = outputs.Tree(str(folder), record, {})
        outputs.register_tree(tree)
        try:
            for doc, files in pages.items():
                for filename, html in files.items():
                    outputs.write_text(folder / doc / filename, html)
            stamps = outputs.GroupStamps(store, "stable-links", folder)
            files_written = stable_links.write_stable_links(folder, wanted, base, stamps)
            stamps.save()
            assert files_written[0] == 4 and files_written[2]
        finally:
            outputs.unregister_tree(str(folder))
        if live.exists():
            shutil.rmtree(live)
        folder.rename(live)
        return live, tree

    _, tree = one_build("first", {})
    first = {p.name: p.stat().st_ino for p in (live / "id").iterdir()}
    pages["a"] = {"index.html": '<p id="a-p1"> <p id="a-p2">', "2.html": "<p>"}   # a-p2 moved to the first page
    _, tree = one_build("second", tree.written)
    second = {p.name: p.stat().st_ino for p in (live / "id").iterdir()}
    assert second["b-p1.html"] == first["b-p1.html"] and second["b-p2.html"] == first["b-p2.html"]   # kept
    assert 'url=../a/index.html#a-p2"' in (live / "id" / "a-p2.html").read_text(encoding="utf-8")


def test_an_entrys_and_the_chronologys_pages_follow_their_mentions_and_the_others_are_kept(cfg, tmp_path):
    """A register entry's page is recorded with the keys of the documents that mention it, and each chronology
    page with all it shows: a word added beside a mention and a date of d002 changes that entry's page and
    the chronology (as a clean build has them), while the page of an entry only d004 mentions is kept (the
    previous build's file). A record that ignored the documents would keep the stale pages."""
    import re
    project, edition, site = _built_pair(cfg, tmp_path)
    tei_path = project / "tei" / "d002.xml"
    text = tei_path.read_text(encoding="utf-8")
    only_d004 = sorted(set(re.findall(r'ref="#((?:pers|org|place)-[^"]+)"', (project / "tei" / "d004.xml")
                                      .read_text(encoding="utf-8"))) - set(re.findall(r'ref="#([^"]+)"', text)))
    assert only_d004
    kept = {ref: (site / "register" / f"{ref}.html").stat().st_ino for ref in only_d004}
    mention = '<persName ref="#pers-krasnov">Краснова</persName>'
    date = '3 ноября</date>'
    assert mention in text and date in text
    tei_path.write_text(text.replace(mention, mention + " МЕНЦИЯ", 1).replace(date, date + " ДАТИРОВКА", 1),
                        encoding="utf-8")
    build(edition, search=False, jobs=1, out=site)
    assert "МЕНЦИЯ" in (site / "register" / "pers-krasnov.html").read_text(encoding="utf-8")
    assert "ДАТИРОВКА" in "".join(p.read_text(encoding="utf-8") for p in site.glob("chronology*.html"))
    assert {ref: (site / "register" / f"{ref}.html").stat().st_ino for ref in only_d004} == kept
    build(edition, search=False, jobs=1, cache=False, out=tmp_path / "clean")
    assert differences(tree(site), tree(tmp_path / "clean")) == []


def test_the_validation_gate_parses_only_the_files_whose_bytes_changed_and_reports_as_without_its_record(
        cfg, tmp_path, monkeypatch):
    """validate() keeps each file's ids under the hash of its bytes: after a word changed, a second run parses
    only the file that changed; and its report is the one a run without any cache gives, also when a change
    clashes with an id of an unchanged file (a record that ignored the bytes would miss the clash)."""
    from tei_edition import validate as validate_mod, xmlsafe
    project = make_synthetic(cfg, tmp_path / "project", 1, only=["d002", "d004"]).root
    edition = config_mod.load(project)
    assert validate_mod.validate(edition).errors == 0
    tei_path = project / "tei" / "d002.xml"
    change_a_word(tei_path, "d002", lambda word: word + "·")
    parsed: list[str] = []
    real_parse = xmlsafe.parse_bytes
    monkeypatch.setattr(validate_mod, "parse_bytes", lambda data, name, *a, **k: (
        parsed.append(str(name)), real_parse(data, name, *a, **k))[1])
    assert validate_mod.validate(edition).errors == 0
    monkeypatch.undo()
    assert {Path(name).name for name in parsed} == {"d002.xml"}, parsed     # (indexed, then checked)
    d004 = (project / "tei" / "d004.xml").read_text(encoding="utf-8")
    taken = d004[d004.index('<p xml:id="d004-p') + len('<p xml:id="'):]
    taken = taken[:taken.index('"')]                                   # an id of d004, which stays unchanged
    text = tei_path.read_text(encoding="utf-8")
    first = text.index('<p xml:id="d002-p') + len('<p xml:id="')
    tei_path.write_text(text[:first] + taken + text[text.index('"', first):], encoding="utf-8")
    report = validate_mod.validate(edition)
    clashes = [d for d in report.diagnostics if d.rule == "id-duplicate"]
    assert {Path(d.path).name for d in clashes} == {"d002.xml", "d004.xml"}
    assert report.diagnostics == validate_mod.validate(edition, cache=False).diagnostics


def test_the_register_is_read_once_per_content_of_its_files(cfg, tmp_path, monkeypatch):
    """register.load_cached keeps the register under the bytes of its files: read again only when a file
    changed, and then as load() reads it (a record that ignored the bytes would give the old entry)."""
    from tei_edition import register as register_mod
    from tei_edition.cache import Cache
    from tei_edition.corpus import register_sources
    project = make_synthetic(cfg, tmp_path / "project", 1, only=["d002"]).root
    paths = register_sources(config_mod.load(project))
    store = Cache(tmp_path / "cache")
    first = register_mod.load_cached(paths, store)
    reads: list[int] = []
    real_load = register_mod.load
    monkeypatch.setattr(register_mod, "load", lambda *a, **k: (reads.append(1), real_load(*a, **k))[1])
    assert register_mod.load_cached(paths, store) == first and reads == []
    persons = next(p for p in paths if p.name == "persons.xml")
    text = persons.read_text(encoding="utf-8")
    name = first["pers-lenin"].name
    persons.write_text(text.replace(f">{name}<", ">ИЗМЕНЕНО<", 1), encoding="utf-8")
    changed = register_mod.load_cached(paths, store)
    assert reads == [1] and changed == real_load(paths) and changed["pers-lenin"] != first["pers-lenin"]


def test_a_changed_register_entry_reaches_every_file_that_shows_it_as_a_clean_build_has_it(cfg, tmp_path):
    """What is read from the register files is kept under their bytes (the register, the entries documents
    carry in their standOff, the corpus's and the ZIP's register files): after an entry's name changed, the
    site is the clean build's, byte for byte (a record that ignored the bytes would keep the old name in
    corpus.xml, data/tei/d002.xml, the ZIP and the register's pages)."""
    project = make_synthetic(cfg, tmp_path / "project", 1, only=["d002"]).root
    edition = config_mod.load(project)
    site = edition.build_dir / "site"
    build(edition, search=False, jobs=1, out=site)
    persons = project / "tei" / "register" / "persons.xml"
    text = persons.read_text(encoding="utf-8")
    start = text.index('xml:id="pers-krasnov"')
    name = text[start:].split("<persName", 1)[1].split(">", 1)[1].split("<", 1)[0]
    assert name.strip()
    persons.write_text(text[:start] + text[start:].replace(f">{name}<", ">ИЗМЕНЁННОЕ ИМЯ<", 1), encoding="utf-8")
    build(edition, search=False, jobs=1, out=site)
    assert "ИЗМЕНЁННОЕ ИМЯ" in (site / "data" / "tei" / "corpus.xml").read_text(encoding="utf-8")
    assert "ИЗМЕНЁННОЕ ИМЯ" in (site / "data" / "tei" / "d002.xml").read_text(encoding="utf-8")
    build(edition, search=False, jobs=1, cache=False, out=tmp_path / "clean")
    assert differences(tree(site), tree(tmp_path / "clean")) == []


def test_a_files_checksum_is_read_again_only_when_the_file_is_another(tmp_path, monkeypatch):
    """archive.Checksums keeps each sum with the file's inode, size and modification time, from one build to
    the next: the same file is not read again; a file replaced by another of the same size is (a record by
    path or size alone would give the old sum)."""
    import hashlib
    from tei_edition import archive
    store = DictStore()
    path = tmp_path / "a.xml"
    path.write_bytes(b"first")
    first = archive.Checksums(store, "sums")
    assert first.of(path) == hashlib.sha256(b"first").hexdigest()
    first.save()
    reads: list[str] = []
    real_open = open
    monkeypatch.setattr("builtins.open", lambda f, *a, **k: (reads.append(str(f)), real_open(f, *a, **k))[1])
    second = archive.Checksums(store, "sums")
    assert second.of(path) == hashlib.sha256(b"first").hexdigest() and reads == []
    monkeypatch.undo()
    (tmp_path / "b.xml").write_bytes(b"other")
    os.replace(tmp_path / "b.xml", path)                              # another file, the same size
    assert archive.Checksums(store, "sums").of(path) == hashlib.sha256(b"other").hexdigest()


def test_an_edit_reads_no_other_documents_index_of_mentions_and_gives_the_clean_site(cfg, tmp_path, monkeypatch):
    """A document's index of mentions and dates is a cache entry apart from its facts, read when a stage first
    needs it: after a word of d004 changed in a paragraph that mentions no one, the edit reads no index from
    the cache (the changed document's is in hand; the register, chronology and exports keep the others'
    pages by their records), and the site is the clean build's. Read with the facts (as before), every
    index would be loaded."""
    import re
    project, edition, site = _built_pair(cfg, tmp_path)
    tei_path = project / "tei" / "d004.xml"
    text = tei_path.read_text(encoding="utf-8")
    plain = next(m for m in re.finditer(r'<p xml:id="d004-p[^"]*">(.*?)</p>', text, re.S)
                 if "ref=" not in m[1] and "<date" not in m[1]
                 and any(w.isalpha() and len(w) > 4 for w in m[1].split()))
    word = next(w for w in plain[1].split() if w.isalpha() and len(w) > 4)
    tei_path.write_text(text[:plain.start(1)] + plain[1].replace(word, word + "·", 1) + text[plain.end(1):],
                        encoding="utf-8")
    loaded = cache_loads(monkeypatch, lambda name: name.endswith(html_stage.INDEX))
    build(edition, search=False, jobs=1, out=site)
    assert html_stage.last_run.rendered == ["d004"]
    assert loaded == [], loaded
    monkeypatch.undo()
    assert word + "·" in "".join(p.read_text(encoding="utf-8") for p in (site / "d004").glob("*.html"))
    build(edition, search=False, jobs=1, cache=False, out=tmp_path / "clean")
    assert differences(tree(site), tree(tmp_path / "clean")) == []


def test_the_spare_trees_clean_up_lists_only_the_folders_changed_since_its_build_and_still_sees_a_stray_file(
        cfg, tmp_path, monkeypatch):
    """The record of written files comes with what the tree held when its build ended (`staging.Listing`:
    each folder's ctime, and the files other writers made there), so the clean-up of the spare lists only
    the folders whose ctime moved since: an edit lists a few of the tree's folders, not all. A file put by
    hand into an unchanged folder of the live site moves that folder's ctime, so when that site is the spare
    again the folder is listed and the file removed; the site is the clean build's. Trusting the listing
    without the ctimes would keep the stray file; without the listing every folder is listed."""
    from tei_edition import staging
    project = make_synthetic(cfg, tmp_path / "project", 1, only=["d002", "d004"]).root
    edition = config_mod.load(project)
    site = edition.build_dir / "site"
    tei_path = project / "tei" / "d004.xml"
    build(edition, search=True, jobs=1, out=site)
    folders = sum(1 for p in site.rglob("*") if p.is_dir()) + 1
    listed: list[int] = []
    real_clean = staging._clean

    def counted_clean(*args, **kwargs):
        real_scandir = os.scandir
        calls = []
        monkeypatch.setattr(staging.os, "scandir", lambda path: (calls.append(path), real_scandir(path))[1])
        try:
            return real_clean(*args, **kwargs)
        finally:
            monkeypatch.setattr(staging.os, "scandir", real_scandir)
            listed.append(len(calls))
    monkeypatch.setattr(staging, "_clean", counted_clean)
    for mark in ("ПЕРВАЯ", "ВТОРАЯ"):
        change_a_word(tei_path, "d004", lambda word, mark=mark: word + mark)
        build(edition, search=True, jobs=1, out=site)
    assert len(listed) == 1 and listed[0] < folders / 3, (listed, folders)   # the third build: into the first's
    stray = site / "register" / "stray.html"                  # the live site (its folders unchanged by edits)
    stray.write_text("<p>put here by hand</p>", encoding="utf-8")
    for mark in ("ТРЕТЬЯ", "ЧЕТВЁРТАЯ"):
        change_a_word(tei_path, "d004", lambda word, mark=mark: word + mark)
        build(edition, search=True, jobs=1, out=site)         # the second: into the tree with the stray file
    assert not stray.exists()
    build(edition, search=True, jobs=1, cache=False, out=tmp_path / "clean")
    assert differences(tree(site), tree(tmp_path / "clean")) == []


def test_the_spare_trees_leftovers_are_removed_from_the_given_folders_only_reading_those_folders(tmp_path):
    """discard_unwritten (before Pagefind reads the reading pages): the files the spare tree left in the given
    folders and this build has not written go, from the disk and from the tree's record; those written, those
    of other folders and of the folders below stay. It lists those folders, not every file the spare holds."""
    root = tmp_path / ".site-new-x"
    files = ["d001/index.html", "d001/p2.html", "d001/p3.html", "d001/img/a.png", "d002/index.html", "about.html"]
    for rel in files:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(rel, encoding="utf-8")
    tree = outputs.Tree(str(root), {}, {rel: (root / rel).stat().st_ino for rel in files})
    outputs.register_tree(tree)
    try:
        outputs.write_text(root / "d001" / "index.html", "new")          # written by this build: kept
        tree.kept = _Counted(tree.kept)
        assert outputs.discard_unwritten([root / "d001", root / "d003"]) == 2
        assert tree.kept.iterated == 0                                    # (never the whole record)
    finally:
        outputs.unregister_tree(str(root))
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) == [
        "about.html", "d001/img/a.png", "d001/index.html", "d002/index.html"]
    assert set(tree.kept) == {"d001/img/a.png", "d002/index.html", "about.html"}


class _Counted(dict):
    """A dict that counts how often it is iterated over."""
    iterated = 0

    def __iter__(self):
        self.iterated += 1
        return super().__iter__()


def test_a_folder_changed_within_the_file_systems_clock_tick_is_listed_again(tmp_path):
    """A folder whose ctime is closer than `staging.RACY_NS` to the moment it was read is listed as not to be
    trusted (None): a change in the same tick of the coarse clock would leave its ctime as it was."""
    import time
    from tei_edition import staging
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "a.html").write_text("a", encoding="utf-8")
    time.sleep(2 * staging.RACY_NS / 1e9)
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "b.html").write_text("b", encoding="utf-8")
    listed, others = staging._listing(f"{tmp_path}/", {}, {"": None})
    assert listed["old/"] == (tmp_path / "old").stat().st_ctime_ns and listed["new/"] is None
    assert others == {"old/": ["a.html"], "new/": ["b.html"]}


def test_a_files_digest_is_read_once_while_the_file_is_the_same_and_an_edit_keeping_size_and_mtime_is_seen(
        tmp_path, monkeypatch):
    """cache.file_digest (the build's stages share one hash of each TEI file) keeps a file's digest under its
    stat: asked again, the file is not read; an edit of the same size whose mtime is put back still moves the
    ctime (no call sets it), so it is read and hashed again; a file changed within RACY_NS of its hash is not
    kept (a change in the same clock tick would not move the ctime). Keyed by size and mtime alone, the
    second edit would give the old digest."""
    import builtins
    import time
    path = tmp_path / "d000.xml"
    path.write_bytes("<TEI>Ленин</TEI>".encode())
    assert cache_mod.file_digest(path) == cache_mod.digest(path.read_bytes())   # just written: not kept
    assert str(path) not in cache_mod._known
    time.sleep(2 * cache_mod.RACY_NS / 1e9)
    first = cache_mod.file_digest(path)
    opened: list[str] = []
    real_open = builtins.open
    monkeypatch.setattr(builtins, "open", lambda f, *a, **k: (opened.append(str(f)), real_open(f, *a, **k))[1])
    assert cache_mod.file_digest(path) == first and opened == []                 # kept: not read again
    monkeypatch.undo()
    st = path.stat()
    path.write_bytes("<TEI>Ленон</TEI>".encode())                                         # same size
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))                           # and the mtime put back
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    assert cache_mod.file_digest(path) == cache_mod.digest("<TEI>Ленон</TEI>".encode()) != first


def test_an_entrys_page_rendered_again_reads_the_other_documents_mention_rows_not_their_indexes(cfg, tmp_path,
                                                                                                monkeypatch):
    """An entry's page lists each document's mentions of it: kept per document as rows of strings (link, label,
    context) under its reading pages' key (`mention-rows-dNNN`). When a word beside a mention of an entry that
    d002 and d004 both mention changes in d002, its page is rendered again from d004's rows, without d004's
    index of mentions and dates; the page shows the change and the site is the clean build's. Without the
    rows, d004's index would be read."""
    import re
    project, edition, site = _built_pair(cfg, tmp_path)
    tei_path = project / "tei" / "d002.xml"
    text = tei_path.read_text(encoding="utf-8")
    d004 = (project / "tei" / "d004.xml").read_text(encoding="utf-8")
    mention = next(m for m in re.finditer(r'<persName ref="#([^"]+)">[^<]+</persName>', text)
                   if f'ref="#{m[1]}"' in d004)
    tei_path.write_text(text[:mention.end()] + " ПОМЕТКА" + text[mention.end():], encoding="utf-8")
    loaded = cache_loads(monkeypatch, lambda name: name.endswith(html_stage.INDEX) or name.startswith("mention-rows-"))
    build(edition, search=False, jobs=1, out=site)
    monkeypatch.undo()
    assert "ПОМЕТКА" in (site / "register" / f"{mention[1]}.html").read_text(encoding="utf-8")
    assert "d004" + html_stage.INDEX not in loaded and "mention-rows-d004" in loaded, loaded
    build(edition, search=False, jobs=1, cache=False, out=tmp_path / "clean")
    assert differences(tree(site), tree(tmp_path / "clean")) == []


def test_an_edited_documents_export_part_is_made_early_and_taken_only_under_its_key(cfg, tmp_path, monkeypatch):
    """An edit's export part is made on a process of its own beside the XSLT (EarlyParts), after the
    validation gate, which runs there too and still refuses invalid TEI before anything is written; the
    edit gives the clean site; a part made under another key than the build's (here: the build's shared inputs
    differ) is not taken, and the build makes it again, still giving the clean site."""
    parts_mod = importlib.import_module("tei_edition.exports.parts")   # (the package exports a function `parts`)
    monkeypatch.setattr(parts_mod, "EARLY_MIN_BYTES", 0)             # (small documents: started all the same)
    project = make_synthetic(cfg, tmp_path / "project", 1, only=["d002", "d004"]).root
    edition = config_mod.load(project)
    site = edition.build_dir / "site"
    build(edition, search=False, jobs=2, out=site)
    assert parts_mod.EarlyParts.last is not None and parts_mod.EarlyParts.last.started == []   # cold: none

    taken = []                           # the part comes back with the files its last version had the same
    real_take = parts_mod.EarlyParts.take                             # by their hashes only
    monkeypatch.setattr(parts_mod.EarlyParts, "take", lambda self, *args: (
        lambda made: (taken.append(made[1]) if made else None, made)[1])(real_take(self, *args)))
    exports_mod = importlib.import_module("tei_edition.exports")      # (taken also when its process has
    real_parts = exports_mod.parts                                    # stored it before the exports start)
    monkeypatch.setattr(exports_mod, "parts", lambda *args, early, **kwargs: (
        [stored.wait() for stored in early._stored.values()], real_parts(*args, early=early, **kwargs))[1])
    change_a_word(project / "tei" / "d004.xml", "d004", lambda word: word + "ИЗМЕНЕНО")
    build(edition, search=False, jobs=2, out=site)
    early = parts_mod.EarlyParts.last
    assert (early.started, early.taken) == (["d004"], ["d004"])
    assert 0 < len(taken[0].files) < len(taken[0].marks) / 10
    build(edition, search=False, jobs=1, cache=False, out=tmp_path / "clean")
    assert differences(tree(site), tree(tmp_path / "clean")) == []

    monkeypatch.setattr(outputs, "place", lambda *args: False)       # the last output unknown: the part's
    change_a_word(project / "tei" / "d004.xml", "d004", lambda word: word + "СНОВА")   # files as its process
    build(edition, search=False, jobs=2, out=site)                    # stored them
    assert parts_mod.EarlyParts.last.taken == ["d004"]
    build(edition, search=False, jobs=1, cache=False, out=tmp_path / "clean1")
    assert differences(tree(site), tree(tmp_path / "clean1")) == []
    monkeypatch.undo()
    monkeypatch.setattr(parts_mod, "EARLY_MIN_BYTES", 0)

    live = tree(site)                    # the gate ran on the early process, beside the XSLT: invalid TEI is
    tei_path = project / "tei" / "d004.xml"                          # refused with its errors, nothing written
    good = tei_path.read_text(encoding="utf-8")
    change_a_word(tei_path, "d004", lambda word: word + "<bogus/>")
    with pytest.raises(EditionError, match=r"validation error\(s\) in .*d004\.xml; nothing built"):
        build(edition, search=False, jobs=2, out=site)
    assert parts_mod.EarlyParts.last.runs_first and differences(live, tree(site)) == []
    tei_path.write_text(good, encoding="utf-8")

    real = parts_mod.shared_key          # the build's key for every part now differs from the early process's
    monkeypatch.setattr(parts_mod, "shared_key", lambda *args: real(*args) + "changed")
    change_a_word(project / "tei" / "d004.xml", "d004", lambda word: word + "ВНОВЬ")
    build(edition, search=False, jobs=2, out=site)
    early = parts_mod.EarlyParts.last
    assert (early.started, early.taken) == (["d004"], [])
    build(edition, search=False, jobs=1, cache=False, out=tmp_path / "clean2")
    assert differences(tree(site), tree(tmp_path / "clean2")) == []


def test_an_edit_renders_only_the_reading_pages_whose_own_text_or_shell_changed(cfg, tmp_path, monkeypatch):
    """A document's reading page is kept from its last build while its own HTML and all its shell shows (the
    document's contents, page labels, neighbours, facts...) are the same: a word's edit renders its page
    alone; an edit of a division's opening words (its label in every page's contents) renders every page;
    each time the site is the clean build's."""
    import functools
    from tei_edition.site import pages as pages_mod, producers, shell
    monkeypatch.setattr(producers, "paginate", functools.partial(pages_mod.paginate, target=40_000))  # 5 pages
    project = make_synthetic(cfg, tmp_path / "project", 1, only=["d002", "d004"]).root
    edition = config_mod.load(project)
    site = edition.build_dir / "site"
    build(edition, search=False, jobs=1, out=site)
    pages = sorted(p.name for p in (site / "d004").glob("*.html"))
    assert len(pages) == 5 and "d004-p59.html" in pages

    rendered: list[str] = []
    real_render = shell.Site.render
    monkeypatch.setattr(shell.Site, "render", lambda self, rel, *args, **kwargs: (
        rendered.append(rel), real_render(self, rel, *args, **kwargs))[1])

    def upper_word(paragraph: str) -> None:      # (the same length in bytes: the pages are cut as before)
        tei_path = project / "tei" / "d004.xml"
        text = tei_path.read_text(encoding="utf-8")
        start = text.index(f'<p xml:id="d004-{paragraph}"')
        word = next(w for w in text[start:text.index("</p>", start)].split() if w.isalpha() and len(w) > 4)
        tei_path.write_text(text[:start] + text[start:].replace(word, word.upper(), 1), encoding="utf-8")

    upper_word("p60")                            # a word of a paragraph on the fourth page
    build(edition, search=False, jobs=1, out=site)
    assert [r for r in rendered if r.startswith("d004/")] == ["d004/d004-p59.html"]
    build(edition, search=False, jobs=1, cache=False, out=tmp_path / "clean")
    assert differences(tree(site), tree(tmp_path / "clean")) == []

    rendered.clear()
    upper_word("p1")       # the first words of the first division: its label in the contents of every page
    build(edition, search=False, jobs=1, out=site)
    again = sorted(r for r in rendered if r.startswith("d004/"))
    build(edition, search=False, jobs=1, cache=False, out=tmp_path / "clean2")
    assert differences(tree(site), tree(tmp_path / "clean2")) == []
    assert again == [f"d004/{p}" for p in pages]


def test_an_edit_reads_again_only_the_contexts_of_the_blocks_it_changed(cfg, tmp_path, monkeypatch):
    """The html stage gives an edited document's index the contexts of its last version by block
    (`.contexts`): a word's edit reads the words around the mentions of its own block only, and its plain
    text's ZIP member takes the unchanged chunks of the last one (`Task.last_text`; chunks made small here
    to cut d004's text); the site is the clean build's."""
    from tei_edition import archive, mentions
    monkeypatch.setattr(archive, "CHUNKED", 8192)
    monkeypatch.setattr(archive, "CHUNK_MIN", 2048)
    monkeypatch.setattr(archive, "CHUNK_MAX", 8192)
    reuses: list[archive.Reuse] = []
    monkeypatch.setattr(html_stage, "Reuse", lambda members: reuses.append(archive.Reuse(members)) or reuses[-1])
    project = make_synthetic(cfg, tmp_path / "project", 1, only=["d002", "d004"]).root
    edition = config_mod.load(project)
    site = edition.build_dir / "site"
    build(edition, search=False, jobs=1, out=site)
    assert len(reuses) == 2 and sum(r.taken for r in reuses) == 0
    made: list[object] = []
    real = mentions._context
    monkeypatch.setattr(mentions, "_context", lambda el, *args, **kwargs: (made.append(el), real(el, *args, **kwargs))[1])
    change_a_word(project / "tei" / "d004.xml", "d004", lambda word: word + "ИЗМЕНЕНО")
    build(edition, search=False, jobs=1, out=site)
    assert html_stage.last_run.rendered == ["d004"] and len(made) <= 10
    assert len(reuses) == 3 and reuses[-1].taken >= 3, reuses[-1].taken   # the text's unchanged chunks
    build(edition, search=False, jobs=1, cache=False, out=tmp_path / "clean")
    assert len(made) > 100                                      # (the clean build read every one)
    assert differences(tree(site), tree(tmp_path / "clean")) == []
