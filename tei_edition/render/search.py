"""The full-text search index: Pagefind, run over the written site (pip package pagefind[bin])."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ..diagnostics import EditionError
from .pagefind_stable import stabilise

# Not indexed: what the edited text does not show (source readings, hyphens, residue, note calls) and
# the note bodies at the calls (the list at the page end holds the same text and is ignored too, so
# note texts are indexed once, at their call's paragraph, through the popover copy).
EXCLUDE = [".tei-sic", ".tei-lb-hyphen", ".tei-fw", ".tei-pb", ".tei-cb", ".tei-note-call", ".tei-note-label",
           ".cite-button"]


def index_site(site: Path, language: str = "ru", documents: list[str] | None = None) -> str:
    """Write site/pagefind/; one index for all languages (Russian stemming; Greek and English words
    are matched as written), so one search finds all three. Returns Pagefind's summary line.
    With `documents`, only their reading pages are read (the only pages with data-pagefind-body, so the
    index is the same): the build starts Pagefind while it still writes the other pages."""
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site), "--force-language", language,
           "--keep-index-url", "--exclude-selectors", ", ".join(EXCLUDE), "--quiet"]
    if documents:
        cmd += ["--glob", "{" + ",".join(documents) + "}/*.html"]
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
    return run.stdout.strip()
