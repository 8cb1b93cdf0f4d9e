"""Figures for the HTML reading edition: build time of the whole edition, largest page, script and style bytes.

Usage: .venv/bin/python benchmarks/build_html.py [--no-search]
Builds into a temporary folder (build/site is left alone) and prints the figures; targets: every page
under 500 KB of HTML, scripts under 50 KB.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tei_edition import config as config_mod  # noqa: E402
from tei_edition import i18n, register as register_mod  # noqa: E402
from tei_edition.build import available_documents, build  # noqa: E402
from tei_edition.corpus import register_paths  # noqa: E402
from tei_edition.html.stage import render_documents  # noqa: E402
from tei_edition.site.pages import paginate  # noqa: E402


def main() -> None:
    search = "--no-search" not in sys.argv
    cfg = config_mod.load(ROOT)
    tmp = Path(tempfile.mkdtemp(prefix="edition-bench-"))
    try:
        start = time.perf_counter()
        res = build(cfg, out=tmp / "site", search=search)
        seconds = time.perf_counter() - start
        site = tmp / "site"
        present, _ = available_documents(cfg)
        strings, register = i18n.load(i18n.interface_language(cfg)), register_mod.load(register_paths(cfg))
        start = time.perf_counter()
        texts = [paginate(b.fragment, b.facts.title)
                 for b in render_documents(cfg, present, strings, register, jobs=1, cache=False)]
        xslt_seconds = time.perf_counter() - start
        tei_bytes = sum(d.tei_path.stat().st_size for d in present)
        pages = [p for p in site.rglob("*.html") if "pagefind" not in p.parts]
        largest = max(pages, key=lambda p: p.stat().st_size)
        ours_js = sum(p.stat().st_size for p in (site / "assets").glob("*.js"))
        css = sum(p.stat().st_size for p in (site / "assets").glob("*.css"))
        pagefind_js = sum(p.stat().st_size for p in (site / "pagefind").glob("pagefind.js")) if search else 0
        print(f"documents           {len(res.documents)} ({', '.join(res.documents)}); missing: {', '.join(res.missing) or 'none'}")
        print(f"build time          {seconds:.2f} s{' (with search index)' if search else ' (no search index)'}")
        print(f"XSLT + pagination   {xslt_seconds:.2f} s for {tei_bytes:,} bytes of TEI (saxonche; measured again "
              f"alone, {len(texts)} documents)")
        print(f"HTML pages          {len(pages)} ({res.pages} reading pages), {sum(p.stat().st_size for p in pages):,} bytes")
        print(f"largest page        {largest.stat().st_size:,} bytes  {largest.relative_to(site)}"
              f"  [{'OK' if largest.stat().st_size < 500_000 else 'OVER'} < 500,000]")
        print(f"JavaScript (ours)   {ours_js:,} bytes  [{'OK' if ours_js < 50_000 else 'OVER'} < 50,000]")
        if search:
            print(f"JavaScript (search) {pagefind_js:,} bytes  pagefind.js, loaded on the search page only")
        print(f"CSS                 {css:,} bytes")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
