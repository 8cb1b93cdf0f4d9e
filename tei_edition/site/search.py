"""The full-text search index: Pagefind, run over the written site (pip package pagefind[bin])."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .. import outputs
from ..diagnostics import EditionError
from .pagefind_stable import stabilise

# Not indexed: what the edited reading does not hold (the view vocabulary of the XSLT, emit.xsl): the
# diplomatic reading's lines, hyphens, source readings and residue, and the apparatus standing in the text
# except the note bodies (note calls, labels, page numbers). A note's text is indexed once, at its call's
# paragraph: the list at the page end holds the same text and is marked data-pagefind-ignore.
# A void element (the diplomatic <br> of a source line) must not match: Pagefind waits for its end tag
# and, never seeing one, left out everything after the first line break (d001 indexed 3 words a page).
EXCLUDE = ['[data-view="diplomatic"]:not(br)', '[data-apparatus="call"]', '[data-apparatus="label"]', '[data-apparatus="kind"]',
           '[data-apparatus="page"]', '[data-apparatus="column"]', '[data-apparatus="milestone"]']


def search_language(languages: list[str]) -> str:
    """The language whose stemming the one index uses: the language most documents are in (the first of
    those in edition order on a tie); words of the other languages are matched as written."""
    return max(languages, key=lambda lang: (languages.count(lang), -languages.index(lang))) if languages else "en"


MAX_PARTS = 16          # search indexes a query loads at most (the reader's cost grows with their number)
PARTS = "pagefind-parts"   # the indexes after the first (which is pagefind/, with Pagefind's scripts)
PARTS_LIST = "parts.json"  # in pagefind/: the other indexes' folders, for search.js to merge (mergeIndex)


def search_parts(documents: list[str], pages: dict[str, int] | None = None) -> list[list[str]]:
    """The documents, in edition order, cut into at most MAX_PARTS runs: each run gets its own index, so an
    edit re-indexes its run only. Up to MAX_PARTS documents, each is a run. Beyond, with `pages` (each
    document's number of reading pages), the runs hold about as many pages each (the smallest page count per
    run that gives at most MAX_PARTS runs), so a large document stands alone and an edit of a small one does
    not index it again (at 10×, d000 shared a run of four with d001, whose pages made ~1.2 s of Pagefind's
    CPU in every edit of d000); without, runs of equal length. The cut moves only when documents come or go
    or a document's number of pages changes (which changes its pages anyway), never when a page grows."""
    if len(documents) <= MAX_PARTS or not pages:
        size = max(1, -(-len(documents) // MAX_PARTS))
        return [documents[i:i + size] for i in range(0, len(documents), size)]
    counts = [max(1, pages.get(d, 1)) for d in documents]
    target = max(max(counts), -(-sum(counts) // MAX_PARTS))
    while True:
        runs: list[list[str]] = []
        held = 0
        for doc, count in zip(documents, counts):
            if not runs or held + count > target:
                runs.append([])
                held = 0
            runs[-1].append(doc)
            held += count
        if len(runs) <= MAX_PARTS:
            return runs
        target += 1


def part_folder(n: int, part: list[str]) -> str:
    return "pagefind" if n == 0 else f"{PARTS}/{part[0]}"


def index_site(site: Path, language: str, documents: list[str] | None = None) -> str:
    """Write the search index of the site's reading pages (one index for all languages: `language`'s
    stemming, words of the others matched as written, so one search finds all). Returns a summary line.
    Without `documents`: one index, pagefind/, over the whole site (the benchmark's floor).
    With `documents`: one index per part of the documents (search_parts): pagefind/ for the first,
    pagefind-parts/<first id>/ for the others, listed in pagefind/parts.json, which search.js merges
    into one search (Pagefind's mergeIndex). A part whose reading pages are all the previous build's
    files keeps its previous index (Pagefind has no incremental mode: this is how an edit pays for one
    part). Only reading pages have data-pagefind-body, so reading only them gives the same index; the
    build runs this while it still writes the other pages."""
    if not documents:
        return _pagefind(site, language, "pagefind", None)
    parts = search_parts(documents, {d: sum(1 for _ in (site / d).glob("*.html")) for d in documents})
    ran, kept = 0, 0
    for n, part in enumerate(parts):
        folder = part_folder(n, part)
        if _pagefind(site, language, folder, part) == KEPT:
            kept += 1
        else:
            ran += 1
        if n:                                              # merged indexes need only their data files
            for extra in (site / folder).iterdir():
                if extra.is_file() and (extra.suffix in (".js", ".css") or extra.name.startswith("wasm.")):
                    extra.unlink()
    listing = json.dumps([f"{PARTS}/{part[0]}/" for part in parts[1:]])
    outputs.write_text(site / "pagefind" / PARTS_LIST, listing + "\n")
    if not ran:
        return "search index: reading pages unchanged, the previous index kept"
    return f"search index: {len(parts)} part(s), {ran} indexed again, {kept} kept from the previous build"


KEPT = "kept"


def _pagefind(site: Path, language: str, folder: str, documents: list[str] | None) -> str:
    options = ["--force-language", language, "--keep-index-url", "--exclude-selectors", ", ".join(EXCLUDE),
               "--output-subdir", folder, "--quiet"]
    if documents:
        options += ["--glob", "{" + ",".join(documents) + "}/*.html"]
        key = " ".join([_pagefind_version(), *options])        # all but the (staging) folder: the documents too
        if _reuse_previous(site, folder, documents, key):
            return KEPT
    cmd = [*_pagefind_command(), "--site", str(site), *options]
    try:
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except FileNotFoundError:
        if os.getenv("PAGEFIND_BINARY_PATH") is not None:
            raise EditionError(f"PAGEFIND_BINARY_PATH names no file: {cmd[0]}",
                               hint="set it to Pagefind's binary, or unset it to use the pip package's") from None
        raise EditionError("pagefind is not installed", hint="pip install 'pagefind[bin]'") from None
    except OSError as exc:                      # (not executable, another machine's binary)
        raise EditionError(f"pagefind could not be started ({cmd[0]}): {exc}",
                           hint="reinstall it (pip install --force-reinstall 'pagefind[bin]'), or check "
                                "PAGEFIND_BINARY_PATH") from None
    if run.returncode != 0:
        if "No module named pagefind" in run.stderr:
            raise EditionError("pagefind is not installed", hint=".venv/bin/pip install 'pagefind[bin]'")
        raise EditionError(f"pagefind failed: {run.stderr.strip() or run.stdout.strip()}",
                           hint="run the command shown with -v to see which page it stopped at")
    stabilise(site / folder)   # filter files in a fixed order: the same site gives the same bytes
    if documents:
        (site / folder / STAMP).write_text(key, encoding="utf-8")
    return run.stdout.strip()


def _pagefind_command() -> tuple[str, ...]:
    """How Pagefind is started: its binary, where its pip package has one (`python -m pagefind` only finds
    that binary and replaces itself with it: a Python start, ~0.06 s of CPU, on every run), found as that
    module finds it (PAGEFIND_BINARY_PATH, then the extended build, then the plain one); else the module.
    Looked up on every run (a few microseconds): the variable or the packages may change in a process."""
    if (given := os.getenv("PAGEFIND_BINARY_PATH")) is not None:
        return (given,)
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            binary = Path(importlib.import_module(package).get_executable())
        except (ImportError, AttributeError, OSError):
            continue
        if binary.is_file() and os.access(binary, os.X_OK):
            return (str(binary),)
    return (sys.executable, "-m", "pagefind")


STAMP = ".edition-index"   # in each index folder: how the index was made (Pagefind's version and options)


def _pagefind_version() -> str:
    try:
        return version("pagefind")
    except PackageNotFoundError:
        return "?"


def _reuse_previous(site: Path, folder: str, documents: list[str], key: str) -> bool:
    """When every reading page of `documents` is the previous build's file (hard-linked: the same bytes,
    outputs.py) and their index was made the same way, link the previous index instead of running
    Pagefind again."""
    previous = outputs.previous_of(site / folder)
    if previous is None:
        return False
    old_site = Path(previous[:len(previous) - len(folder)])
    try:
        if (old_site / folder / STAMP).read_text(encoding="utf-8") != key:
            return False
        for doc in documents:
            new = sorted(p.name for p in (site / doc).glob("*.html"))
            if new != sorted(p.name for p in (old_site / doc).glob("*.html")):
                return False
            if any(os.stat(site / doc / n).st_ino != os.stat(old_site / doc / n).st_ino for n in new):
                return False
        shutil.copytree(old_site / folder, site / folder, copy_function=os.link, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(PARTS, PARTS_LIST) if folder == "pagefind" else None)
    except OSError:
        shutil.rmtree(site / folder, ignore_errors=True)
        return False
    return True
