"""The full-text search index: Pagefind, run over the written site (pip package pagefind[bin])."""

from __future__ import annotations

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


def index_site(site: Path, language: str, documents: list[str] | None = None) -> str:
    """Write site/pagefind/; one index for all languages (`language`'s stemming; words of the others are
    matched as written), so one search finds all. Returns Pagefind's summary line.
    With `documents`, only their reading pages are read (the only pages with data-pagefind-body, so the
    index is the same): the build starts Pagefind while it still writes the other pages."""
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site), "--force-language", language,
           "--keep-index-url", "--exclude-selectors", ", ".join(EXCLUDE), "--quiet"]
    if documents:
        cmd += ["--glob", "{" + ",".join(documents) + "}/*.html"]
        key = " ".join([_pagefind_version(), *cmd[5:]])        # all but the (staging) folder: the documents too
        if _reuse_previous(site, documents, key):
            return "search index: reading pages unchanged, the previous index kept"
    try:
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except FileNotFoundError:
        raise EditionError("pagefind is not installed", hint="pip install 'pagefind[bin]'") from None
    if run.returncode != 0:
        if "No module named pagefind" in run.stderr:
            raise EditionError("pagefind is not installed", hint=".venv/bin/pip install 'pagefind[bin]'")
        raise EditionError(f"pagefind failed: {run.stderr.strip() or run.stdout.strip()}",
                           hint="run the command shown with -v to see which page it stopped at")
    stabilise(site / "pagefind")   # filter files in a fixed order: the same site gives the same bytes
    if documents:
        (site / "pagefind" / STAMP).write_text(key, encoding="utf-8")
    return run.stdout.strip()


STAMP = ".edition-index"   # in pagefind/: how the index was made (Pagefind's version and options)


def _pagefind_version() -> str:
    try:
        return version("pagefind")
    except PackageNotFoundError:
        return "?"


def _reuse_previous(site: Path, documents: list[str], key: str) -> bool:
    """When every reading page is the previous build's file (hard-linked: the same bytes, outputs.py) and
    the index was made the same way, link the previous index instead of running Pagefind again (it has
    no incremental mode: a rebuild that changed no reading page would otherwise pay for all of them)."""
    previous = outputs.previous_of(site / "pagefind")
    if previous is None:
        return False
    old_site = Path(previous).parent
    try:
        if (old_site / "pagefind" / STAMP).read_text(encoding="utf-8") != key:
            return False
        for doc in documents:
            new = sorted(p.name for p in (site / doc).glob("*.html"))
            if new != sorted(p.name for p in (old_site / doc).glob("*.html")):
                return False
            if any(os.stat(site / doc / n).st_ino != os.stat(old_site / doc / n).st_ino for n in new):
                return False
        shutil.copytree(old_site / "pagefind", site / "pagefind", copy_function=os.link)
    except OSError:
        shutil.rmtree(site / "pagefind", ignore_errors=True)
        return False
    return True
