"""Failures of `edition build`: a build killed half-way leaves the previous build/ as it was and the next
build removes what it left; two builds at once wait for each other (lock) and give the site one build
gives; two clean builds are byte-identical (site with search index, and PDFs).
On a project holding only d002 (the smallest text), built by the real command in subprocesses."""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tei_edition import config as config_mod
from tei_edition.build import build
from tei_edition.site import pagefind_stable
from tei_edition.diagnostics import EditionError
from tei_edition.staging import build_lock, lock_path, records_path, remove_leftovers, spare_of, staged, staged_build
from tei_edition.synthetic import make_synthetic

pytestmark = pytest.mark.slow   # builds the edition or its exports (left out by `make test-fast`)

EDITION = [sys.executable, "-c", "from tei_edition.cli import main; main()"]


def tree(folder: Path) -> dict[str, str]:
    """Every file under folder by relative path, with the sha256 of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def staging_folders(build_dir: Path) -> list[str]:
    """What a build writes beside build/ (a new build/ being made, a previous one on its way out), and any
    staging folder inside it; not the spare tree that the next build writes into, nor the record of what
    the last builds wrote (staging.py)."""
    kept = {spare_of(build_dir).name, records_path(build_dir).name}
    beside = [p.name for p in build_dir.parent.iterdir() if p.name.startswith(f".{build_dir.name}-")
              and p.name not in kept]
    return sorted(beside + [p.name for p in build_dir.iterdir() if p.name.startswith(".")])


def edition(project: Path, *args: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "EDITION_JOBS": "1"}
    return subprocess.Popen([*EDITION, "--root", str(project), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env, start_new_session=True, **kwargs)


def finish(proc: subprocess.Popen) -> str:
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, out
    return out


@pytest.fixture
def project(tmp_path, cfg) -> Path:
    return make_synthetic(cfg, tmp_path / "project", 1, only=["d002"]).root


def test_a_killed_build_leaves_the_previous_build_and_the_next_one_cleans_up(project):
    finish(edition(project, "build", "--no-search"))                # a complete previous build, PDFs included
    build_dir = project / "build"
    before = {name: tree(build_dir / name) for name in ("site", "pdf")}
    assert before["site"] and any(name.endswith(".pdf") for name in before["pdf"])
    for entry in (project / ".cache" / "build" / "pdf").iterdir():
        entry.unlink()                                              # the PDFs are laid out again: seconds
    shutil.rmtree(project / ".cache" / "build" / "last-build")     # (else nothing changed: nothing to do)

    proc = edition(project, "build", "--no-search")
    while not any(project.glob(".build-new-*/pdf/*.pdf")) and proc.poll() is None:
        time.sleep(0.02)                                            # wait until it writes its new build/
    assert proc.poll() is None, proc.communicate()[0]
    os.killpg(proc.pid, signal.SIGKILL)                             # the command and its worker processes
    proc.communicate()

    assert {name: tree(build_dir / name) for name in ("site", "pdf")} == before
    left = staging_folders(build_dir)
    assert len(left) == 1 and left[0].startswith(".build-new-"), left

    out = finish(edition(project, "build", "--no-search", "--no-pdf", "--no-wait"))  # the lock died with it
    assert "built" in out
    assert staging_folders(build_dir) == []
    assert tree(build_dir / "pdf") == before["pdf"]                 # --no-pdf: the PDFs are left as they were


def test_two_builds_at_once_wait_for_each_other_and_give_the_site_of_one_build(project, tmp_path):
    edition_cfg = config_mod.load(project)
    with build_lock(project):                                       # a build is running (this test)
        refused = edition(project, "build", "--no-search", "--no-pdf", "--no-wait")
        out, _ = refused.communicate(timeout=120)
        assert refused.returncode == 2
        assert f"another build is running: PID {os.getpid()} holds {lock_path(project)}" in out
        assert "Traceback" not in out

        both = [edition(project, "build", "--no-search", "--no-pdf") for _ in range(2)]
        for proc in both:                                           # each says whom it waits for
            assert proc.stdout.readline().strip() == (
                f"waiting for the build started by PID {os.getpid()} (lock file {lock_path(project)})")
        assert all(proc.poll() is None for proc in both)
    for proc in both:                                               # the lock released: one, then the other
        assert "built" in finish(proc)

    build_dir = project / "build"
    assert sorted(p.name for p in build_dir.iterdir()) == ["site"]  # no staging folder left, no PDFs asked for
    clean = build(edition_cfg, out=tmp_path / "clean" / "site", search=False, cache=False, jobs=1)
    assert tree(build_dir / "site") == tree(clean.site)


def test_two_clean_builds_are_byte_identical(project, tmp_path, monkeypatch):
    """The whole site with its search index, and the PDFs, each from an empty cache. The PDFs print
    the build's day (title page, CreationDate): SOURCE_DATE_EPOCH fixes it, as for any reproducible build."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    edition_cfg = config_mod.load(project)
    first = build(edition_cfg, search=True, cache=False, jobs=1)
    pdfs = tree(edition_cfg.build_dir / "pdf")
    site = tree(first.site)
    assert any(name.startswith("pagefind/filter/") for name in site)   # the part Pagefind wrote unsorted
    assert "downloads/d002.pdf" in site and "pdfa/d002.pdf" in pdfs
    shutil.rmtree(project / ".cache" / "build")                     # the PDFs laid out again, not copied
    second = build(edition_cfg, search=True, cache=False, jobs=1)
    assert tree(second.site) == site
    assert tree(edition_cfg.build_dir / "pdf") == pdfs

    # Pagefind lists filters and their values in hash-map order (the two builds above agree by chance
    # half the time without the sorting): the same index written in reverse order comes out the same
    shuffled = tmp_path / "pagefind"
    shutil.copytree(second.site / "pagefind", shuffled)
    [meta_path] = shuffled.glob("*.pf_meta")
    meta = pagefind_stable._read(meta_path)
    for _, name in meta[3]:
        path = shuffled / "filter" / f"{name}.pf_filter"
        values = pagefind_stable._read(path)
        _rewrite(path, [values[0], values[1][::-1]])
    _rewrite(meta_path, [*meta[:3], meta[3][::-1], *meta[4:]])
    assert tree(shuffled) != tree(second.site / "pagefind")
    assert pagefind_stable.stabilise(shuffled)
    assert tree(shuffled) == tree(second.site / "pagefind")


def _rewrite(path: Path, value: list) -> None:
    """A Pagefind file with other contents under the same name."""
    path.write_bytes(gzip.compress(pagefind_stable.SIGNATURE + pagefind_stable._encode(value), mtime=0))


def test_a_swap_killed_between_its_two_renames_is_repaired(tmp_path):
    """Where the one-step exchange is not available, the swap is two renames; a build killed between
    them leaves the previous output as .site-old-*, and the next build puts it back."""
    target = tmp_path / "site"
    (tmp_path / ".site-old-abc").mkdir()
    (tmp_path / ".site-old-abc" / "index.html").write_text("previous")
    (tmp_path / ".site-new-abc").mkdir()                            # the new one, never swapped in
    removed = remove_leftovers(target)
    assert (target / "index.html").read_text() == "previous"
    assert [p.name for p in removed] == [".site-new-abc"] and sorted(tmp_path.iterdir()) == [target]


def test_a_partial_staged_run_keeps_the_other_files(tmp_path):
    target = tmp_path / "pdf"
    target.mkdir()
    (target / "d001.pdf").write_text("kept")
    (target / "d002.pdf").write_text("old")
    with staged(target, keep=True) as tmp:
        assert (target / "d002.pdf").read_text() == "old"          # not touched until the swap
        (tmp / "d002.pdf").write_text("new")
    assert {p.name: p.read_text() for p in target.iterdir()} == {"d001.pdf": "kept", "d002.pdf": "new"}
    assert sorted(tmp_path.iterdir()) == [target]
    assert oct(target.stat().st_mode & 0o777) == "0o755"


def test_edition_pdf_for_one_document_swaps_in_a_folder_with_the_other_pdfs_kept(project):
    pdf_dir = project / "build" / "pdf"
    (pdf_dir / "pdfa").mkdir(parents=True)
    (pdf_dir / "edition.pdf").write_bytes(b"the previous book")
    (pdf_dir / "pdfa" / "edition.pdf").write_bytes(b"its PDF/A twin")
    (project / "build" / ".pdf-new-stale").mkdir()                   # left by a killed run
    finish(edition(project, "pdf", "d002", "--no-book", "--no-pdfa", "--jobs", "1"))
    assert (pdf_dir / "d002.pdf").read_bytes().startswith(b"%PDF")
    assert (pdf_dir / "edition.pdf").read_bytes() == b"the previous book"
    assert (pdf_dir / "pdfa" / "edition.pdf").read_bytes() == b"its PDF/A twin"
    assert staging_folders(project / "build") == []


def test_the_lock_is_held_once_and_released_after(tmp_path):
    """build() and build_print() take the lock once, around the whole pipeline (gate included): the lock is not
    re-entrant, so a second taking, even in the same thread, is a second build; after the block it is free."""
    import fcntl
    with build_lock(tmp_path):
        with pytest.raises(EditionError, match="another build is running"):
            with build_lock(tmp_path, wait=False):
                pass
    with lock_path(tmp_path).open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)      # free: no BlockingIOError


def test_a_build_folder_that_links_elsewhere_is_replaced_there(tmp_path):
    """build/ may be a symbolic link to another disk: the new build/ is made and swapped in beside its target,
    and the link stays a link."""
    elsewhere = tmp_path / "disk" / "edition-build"
    (elsewhere / "pdf").mkdir(parents=True)
    (elsewhere / "pdf" / "d001.pdf").write_text("kept")
    (tmp_path / "project").mkdir()
    link = tmp_path / "project" / "build"
    link.symlink_to(elsewhere)
    with staged_build(link, fresh=("site",)) as tmp:
        assert tmp.parent == elsewhere.parent
        (tmp / "site" / "index.html").write_text("new")
    assert link.is_symlink() and link.resolve() == elsewhere
    assert (link / "site" / "index.html").read_text() == "new" and (link / "pdf" / "d001.pdf").read_text() == "kept"
    assert sorted(p.name for p in elsewhere.parent.iterdir()) == ["edition-build"]


def test_pagefind_that_cannot_start_is_said_so_and_the_binary_is_used_when_the_package_has_one(tmp_path,
                                                                                               monkeypatch):
    """Pagefind is started as the binary its pip package ships (not through `python -m pagefind`); a
    PAGEFIND_BINARY_PATH naming no file, or a file that cannot run, is an EditionError saying which, never
    an internal error."""
    from tei_edition.site import search
    assert "-m" not in search._pagefind_command() and Path(search._pagefind_command()[0]).name.startswith("pagefind")
    site = tmp_path / "site"
    (site / "d001").mkdir(parents=True)
    (site / "d001" / "index.html").write_text("<html><body data-pagefind-body><p>текст</p></body></html>",
                                              encoding="utf-8")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "nowhere" / "pagefind"))
    with pytest.raises(EditionError, match="PAGEFIND_BINARY_PATH names no file"):
        search.index_site(site, "ru", ["d001"])
    not_a_program = tmp_path / "pagefind"
    not_a_program.write_text("not a program", encoding="utf-8")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(not_a_program))
    with pytest.raises(EditionError, match="could not be started"):
        search.index_site(site, "ru", ["d001"])
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    assert "indexed again" in search.index_site(site, "ru", ["d001"])
