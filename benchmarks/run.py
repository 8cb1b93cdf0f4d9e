"""The performance benchmark of the edition (issue 8): every figure, and ratios against baselines
measured in the same run. No assertions: it prints what it measures.

Usage: .venv/bin/python benchmarks/run.py [--scale 1,10] [--no-pdf] [--no-search] [--jobs N] [--only SECTIONS]

The 100× edition is not built by default (about half an hour on 2 cores, ~10 GB of site and cache):
  .venv/bin/python benchmarks/run.py --only scale --scale 1,10,100 --no-search

  validate       the whole edition (project schema and edition-wide checks)
  HTML build     cold serial vs cold parallel, no-change rebuild, one-document incremental rebuild
  stages         the XSLT (Saxon) against a plain lxml XSLT 1.0 identity-like floor; Pagefind; exports
  PDF            each document and the whole book (WeasyPrint), when the print code is present
  scale          synthetic editions N× the real one (tei_edition.synthetic): time growth, peak memory

Everything runs on a snapshot of the edition copied into a temporary folder (the project's build/ is
never touched). Each measurement runs in a fresh Python process, so its peak memory (ru_maxrss) is its
own: "main" is the build process, "largest child" the largest worker or Pagefind process.
CPU time (user + system, all processes) is printed beside wall time: on a shared machine the wall time
also measures the neighbours; the CPU time does not.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGETS = {"html_cold": 10.0, "incremental": 2.0, "pdf_book": 60.0, "memory_mb": 1024.0}

# An XSLT 1.0 stylesheet that does the least a TEI → HTML transformation must do: walk every node once,
# make every element an HTML element with a class, copy the text. The floor our XSLT is measured against.
IDENTITY_XSL = b"""<?xml version="1.0"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0" exclude-result-prefixes="tei">
  <xsl:output method="xml" encoding="UTF-8"/>
  <xsl:template match="/"><article><xsl:apply-templates select="tei:TEI/tei:text"/></article></xsl:template>
  <xsl:template match="*">
    <span class="tei-{local-name()}">
      <xsl:if test="@xml:id"><xsl:attribute name="id"><xsl:value-of select="@xml:id"/></xsl:attribute></xsl:if>
      <xsl:apply-templates/>
    </span>
  </xsl:template>
</xsl:stylesheet>
"""


# ---------------------------------------------------------------- measurements, each in its own process

def _usage() -> dict[str, float]:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"cpu": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
            "rss_main_mb": me.ru_maxrss / 1024, "rss_child_mb": kids.ru_maxrss / 1024}


def child_validate(args: dict) -> dict:
    from tei_edition import config
    from tei_edition.validate import validate
    cfg = config.load(Path(args["root"]))
    t0 = time.perf_counter()
    report = validate(cfg)
    return {"wall": time.perf_counter() - t0, "files": report.files, "errors": report.errors}


def child_build(args: dict) -> dict:
    from tei_edition import config
    from tei_edition.build import build
    from tei_edition.html import stage as html_stage
    cfg = config.load(Path(args["root"]))
    t0 = time.perf_counter()
    # out= given: the HTML site only (build() without out also makes the PDFs, measured apart below)
    res = build(cfg, search=args["search"], jobs=args["jobs"], cache=args["cache"], out=cfg.build_dir / "site")
    wall = time.perf_counter() - t0
    site = res.site
    html = sum(1 for _ in site.rglob("*.html"))
    return {"wall": wall, "documents": len(res.documents), "reading_pages": res.pages, "html_files": html,
            "rendered": len(html_stage.last_run.rendered), "workers": html_stage.last_run.workers}


def child_stages(args: dict) -> dict:
    """The XSLT (Saxon) vs the lxml XSLT 1.0 floor on the same TEI; the render stage serial vs parallel."""
    from lxml import etree

    from tei_edition import config, i18n, register as register_mod, xmlsafe
    from tei_edition.build import available_documents
    from tei_edition.corpus import register_paths
    from tei_edition.html.stage import render_documents
    from tei_edition.html.transform import RenderOptions, _executable, render_file
    from tei_edition.paths import XSLT

    cfg = config.load(Path(args["root"]))
    present, _ = available_documents(cfg)
    strings = i18n.load(i18n.interface_language(cfg))
    register = register_mod.load(register_paths(cfg))
    options = RenderOptions(labels=strings.text, register_ids=frozenset(register),
                            apparatus_lang=cfg.apparatus_language)
    out: dict = {"tei_bytes": sum(d.tei_path.stat().st_size for d in present)}
    t0 = time.perf_counter()
    _executable(str(XSLT))
    out["saxon_compile"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    sizes = [len(render_file(d.tei_path, options)) for d in present]
    out["saxon_transform"] = time.perf_counter() - t0
    out["saxon_out_bytes"] = sum(sizes)
    t0 = time.perf_counter()
    identity = etree.XSLT(etree.fromstring(IDENTITY_XSL))
    out["lxml_compile"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    sizes = [len(str(identity(xmlsafe.parse_file(d.tei_path)))) for d in present]
    out["lxml_transform"] = time.perf_counter() - t0
    out["lxml_out_bytes"] = sum(sizes)
    t0 = time.perf_counter()
    parsed = [xmlsafe.parse_file(d.tei_path) for d in present]
    out["parse_only"] = time.perf_counter() - t0
    del parsed
    for jobs in (1, args["cores"]):
        t0 = time.perf_counter()
        render_documents(cfg, present, strings, register, jobs=jobs, cache=False)
        out[f"render_stage_jobs{jobs}"] = time.perf_counter() - t0
    return out


def child_search_exports(args: dict) -> dict:
    """Pagefind and the exports alone, on a site built without them."""
    from tei_edition import config, i18n, register as register_mod
    from tei_edition.build import available_documents, plain_text
    from tei_edition.corpus import register_paths
    from tei_edition.exports import write_exports
    from tei_edition.html.stage import render_documents
    from tei_edition.site.search import index_site, search_language
    cfg = config.load(Path(args["root"]))
    site = Path(args["site"])
    builds = render_documents(cfg, available_documents(cfg)[0], i18n.load(i18n.interface_language(cfg)),
                              register_mod.load(register_paths(cfg)))      # from the build's cache
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    t0 = time.perf_counter()
    index_site(site, search_language([b.facts.lang for b in builds]))
    pagefind = time.perf_counter() - t0
    by_id = {b.id: b for b in builds}
    t0, c0 = time.perf_counter(), time.process_time()
    result = write_exports(cfg, site, [b.doc for b in builds], lambda i: plain_text(by_id[i]))
    return {"pagefind": pagefind, "exports": time.perf_counter() - t0, "exports_cpu": time.process_time() - c0,
            "exports_files": result.files}


def child_pdf(args: dict) -> dict:
    """Each document's PDF cold, then the book (the documents' PDFs then come from the cache), then
    the PDF stage and the whole `edition build` (HTML + PDF) after one document changed."""
    from tei_edition import config
    from tei_edition.build import available_documents, build, build_print
    from tei_edition.paths import build_cache
    cfg = config.load(Path(args["root"]))
    out_dir = Path(args["out"])
    shutil.rmtree(build_cache(cfg.root, "pdf"), ignore_errors=True)
    per_doc = {}
    for doc in available_documents(cfg)[0]:
        t0 = time.perf_counter()
        [report] = build_print(cfg, [doc.id], out=out_dir, with_book=False, pdfa=False, jobs=1)
        per_doc[doc.id] = {"wall": time.perf_counter() - t0, "pages": report.pages}
    t0 = time.perf_counter()
    reports = build_print(cfg, out=out_dir, pdfa=False)
    book_wall = time.perf_counter() - t0
    out = {"per_doc": per_doc, "book_wall": book_wall, "book_pages": reports[0].pages,
           "book_reused_docs": sum(1 for r in reports if r.seconds == 0.0)}
    t0 = time.perf_counter()
    build_print(cfg, out=out_dir, pdfa=False)   # nothing changed: every PDF from the cache
    out["cached_wall"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    build(cfg, search=args["search"])      # the full build once, to fill every cache (HTML and PDF/A too)
    out["full_cold_wall"] = time.perf_counter() - t0
    touch_one(cfg.root)
    t0 = time.perf_counter()
    build(cfg, search=args["search"])
    out["full_incremental_wall"] = time.perf_counter() - t0
    return out


CHILDREN = {"validate": child_validate, "build": child_build, "stages": child_stages,
            "search_exports": child_search_exports, "pdf": child_pdf}


SECTION = {"validate": "validate", "build": "html", "stages": "stages", "search_exports": "stages", "pdf": "pdf"}
ONLY: set[str] = set()


def run_child(task: str, section: str | None = None, **args: object) -> dict:
    """One measurement in a fresh interpreter; its figures plus its CPU time and peak memory."""
    if ONLY and (section or SECTION[task]) not in ONLY:
        return {"error": "skipped (--only)"}
    proc = subprocess.run([sys.executable, __file__, "--child", task, json.dumps(args)],
                          capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- the report

def line(label: str, text: str) -> None:
    print(f"  {label:<38} {text}")


def fig(r: dict) -> str:
    if "error" in r:
        return r["error"] if r["error"].startswith("skipped") else f"FAILED: {r['error']}"
    wall = f"{r['wall']:7.2f} s wall, " if "wall" in r else ""
    return (f"{wall}{r['cpu']:6.2f} s CPU, peak {r['rss_main_mb']:5.0f} MB main"
            f" / {r['rss_child_mb']:4.0f} MB largest child")


def verdict(value: float, target: float, unit: str = "s") -> str:
    return f"[{'meets' if value <= target else 'OVER'} target ≤ {target:g} {unit}]"


def touch_one(root: Path, doc_id: str = "d000") -> None:
    """Change one word in one paragraph of one document (as an editor would)."""
    path = root / "tei" / f"{doc_id}.xml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f'<p xml:id="{doc_id}-p')
    end = text.index("</p>", start)
    word = next(w for w in text[start:end].split() if w.isalpha() and len(w) > 4)
    path.write_text(text[:start] + text[start:end].replace(word, word + "·", 1) + text[end:], encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", default="1,10", help="synthetic factors to build (comma-separated; 100 takes long)")
    ap.add_argument("--no-pdf", action="store_true")
    ap.add_argument("--no-search", action="store_true", help="build without the Pagefind index")
    ap.add_argument("--jobs", type=int, default=None, help="processes for the parallel runs (default: cores)")
    ap.add_argument("--only", default="validate,html,stages,pdf,scale", help="sections to run (comma-separated)")
    opts = ap.parse_args()

    from tei_edition import config
    from tei_edition.parallel import available_cores
    from tei_edition.synthetic import make_synthetic

    cores = opts.jobs or available_cores()
    search = not opts.no_search
    real = config.load(ROOT)
    work = Path(tempfile.mkdtemp(prefix="edition-benchmark-"))
    try:
        snap = make_synthetic(real, work / "edition", 1)
        root = snap.root
        print(f"edition snapshot: {snap.documents} documents, {snap.tei_bytes / 1e6:.2f} MB TEI; "
              f"{cores} core(s) used of {os.cpu_count()}; load average now {os.getloadavg()[0]:.1f}")
        if os.getloadavg()[0] > cores:
            print("  (the machine is busy: wall times include the neighbours; compare the CPU times)")

        ONLY.update(opts.only.split(","))
        print("\nvalidate")
        v = run_child("validate", root=str(root))
        line("whole edition", fig(v) + (f"; {v['files']} files, {v['errors']} error(s)" if "files" in v else ""))

        print(f"\nHTML build (search index {'on' if search else 'off'})")
        cache = root / ".cache" / "build"
        shutil.rmtree(cache, ignore_errors=True)
        serial = run_child("build", root=str(root), jobs=1, cache=False, search=search)
        line("cold, serial (1 process)", fig(serial))
        shutil.rmtree(cache, ignore_errors=True)
        pool = run_child("build", root=str(root), jobs=cores, cache=False, search=search)
        line(f"cold, pool of {cores} processes (forced)", fig(pool))
        shutil.rmtree(cache, ignore_errors=True)
        cold = run_child("build", root=str(root), jobs=opts.jobs, cache=True, search=search)
        line("cold, default (pool when it pays)", fig(cold) + (f"  {verdict(cold['wall'], TARGETS['html_cold'])}"
                                                                if "wall" in cold else ""))
        same = run_child("build", root=str(root), jobs=opts.jobs, cache=True, search=search)
        line("rebuild, nothing changed", fig(same))
        touch_one(root)
        inc = run_child("build", root=str(root), jobs=opts.jobs, cache=True, search=search)
        line("rebuild after one document changed", fig(inc) + (f"  {verdict(inc['wall'], TARGETS['incremental'])}"
                                                                 if "wall" in inc else ""))
        if search:   # Pagefind indexes every reading page again (it has no incremental mode): its share
            touch_one(root)
            bare = run_child("build", root=str(root), jobs=opts.jobs, cache=True, search=False)
            line("  the same, without the search index", fig(bare) + (
                f"  {verdict(bare['wall'], TARGETS['incremental'])}; Pagefind's share "
                f"~{max(0.0, inc['wall'] - bare['wall']):.1f} s" if "wall" in bare and "wall" in inc else ""))
        if all("wall" in r for r in (serial, pool, cold, same, inc)):
            line("documents re-rendered (incremental)", f"{inc['rendered']} of {inc['documents']}")
            line("ratios (wall)", f"pool/serial {pool['wall'] / serial['wall']:.2f}; "
                           f"incremental/cold {inc['wall'] / cold['wall']:.2f}; "
                           f"unchanged/cold {same['wall'] / cold['wall']:.2f}")
            line("ratios (CPU)", f"pool/serial {pool['cpu'] / serial['cpu']:.2f}; "
                                 f"incremental/cold {inc['cpu'] / cold['cpu']:.2f}; "
                                 f"unchanged/cold {same['cpu'] / cold['cpu']:.2f}")
            line("pages per second (cold, parallel)", f"{cold['reading_pages'] / cold['wall']:.1f} reading pages/s, "
                                                     f"{cold['html_files'] / cold['wall']:.0f} HTML files/s "
                                                     f"({cold['reading_pages']} reading pages, {cold['html_files']} HTML files)")

        print("\nstages of the HTML build (same TEI)")
        st = run_child("stages", root=str(root), cores=cores)
        if "error" in st or "lxml_transform" not in st:
            line("stages", fig(st))
        else:
            line("parse only (lxml, xmlsafe)", f"{st['parse_only']:.2f} s for {st['tei_bytes'] / 1e6:.2f} MB")
            line("lxml XSLT 1.0 identity-like (floor)", f"{st['lxml_transform']:.2f} s "
                 f"(+ {st['lxml_compile'] * 1000:.0f} ms compile), {st['lxml_out_bytes'] / 1e6:.1f} MB out")
            line("our XSLT 3.0 (Saxon)", f"{st['saxon_transform']:.2f} s "
                 f"(+ {st['saxon_compile']:.2f} s compile), {st['saxon_out_bytes'] / 1e6:.1f} MB out")
            line("ratio ours / floor", f"{st['saxon_transform'] / st['lxml_transform']:.1f}×")
            line("render stage (XSLT + header + index + pages)",
                 f"serial {st['render_stage_jobs1']:.2f} s, {cores} processes {st[f'render_stage_jobs{cores}']:.2f} s "
                 f"(ratio {st[f'render_stage_jobs{cores}'] / st['render_stage_jobs1']:.2f}; "
                 f"each worker starts Python and compiles the XSLT)")
        if search:
            se = run_child("search_exports", root=str(root), site=str(root / "build" / "site"))
            if "error" in se:
                line("search and exports", fig(se))
            else:
                line("Pagefind index alone", f"{se['pagefind']:.2f} s")
                line("exports alone", f"{se['exports']:.2f} s wall, {se['exports_cpu']:.2f} s CPU, "
                     f"{se['exports_files']} files (in the build they run while Pagefind indexes)")

        print("\nPDF (WeasyPrint, no PDF/A copy)")
        try:
            import tei_edition.print.stage  # noqa: F401
            have_pdf = True
        except ImportError:
            have_pdf = False
        if opts.no_pdf or not have_pdf:
            line("skipped", "--no-pdf" if opts.no_pdf else "tei_edition.print.stage not present")
        else:
            p = run_child("pdf", root=str(root), out=str(work / "pdf"), search=search)
            if "error" in p:
                line("PDF", fig(p))
            else:
                for doc_id, d in p["per_doc"].items():
                    line(f"{doc_id}", f"{d['wall']:6.2f} s, {d['pages']} pages, {d['pages'] / d['wall']:.1f} pages/s")
                docs_wall = sum(d["wall"] for d in p["per_doc"].values())
                line("whole book", f"{p['book_wall']:6.2f} s, {p['book_pages']} pages, "
                     f"{p['book_pages'] / p['book_wall']:.1f} pages/s ({p['book_reused_docs']} document PDFs "
                     f"reused from the cache)  {verdict(p['book_wall'], TARGETS['pdf_book'])}")
                line("ratio book / documents one by one", f"{p['book_wall'] / docs_wall:.2f} "
                     f"(the same texts; {docs_wall:.2f} s for the documents)")
                line("all PDFs again, unchanged (cache)", f"{p['cached_wall']:6.2f} s, ratio "
                     f"{p['cached_wall'] / p['book_wall']:.3f} of the cold book")
                line("`edition build` (HTML + PDF + PDF/A), full", f"{p['full_cold_wall']:6.2f} s (document PDFs "
                     f"cached above, PDF/A and site cold)")
                line("`edition build` after one document changed", f"{p['full_incremental_wall']:6.2f} s "
                     f"(its PDF and the book laid out again)")
                line("this PDF process in all", fig(p) + f"  {verdict(p['rss_main_mb'], TARGETS['memory_mb'], 'MB')}")

        print("\nscale (synthetic editions: the real documents replicated with new ids)")
        factors = [int(f) for f in opts.scale.split(",") if f.strip()]
        results: dict[int, dict] = {}
        for factor in factors:
            if "scale" not in ONLY:
                break
            syn = make_synthetic(real, work / f"x{factor}", factor)
            r = run_child("build", section="scale", root=str(syn.root), jobs=opts.jobs, cache=True, search=search)
            results[factor] = r
            line(f"{factor}× ({syn.documents} documents, {syn.tei_bytes / 1e6:.0f} MB TEI)",
                 fig(r) + f"  {verdict(r['rss_main_mb'] + cores * r['rss_child_mb'], TARGETS['memory_mb'], 'MB')}"
                 if "wall" in r else fig(r))
            shutil.rmtree(syn.root, ignore_errors=True)
        base = results.get(1)
        if base and "wall" in base:
            for factor, r in results.items():
                if factor != 1 and "wall" in r:
                    line(f"growth {factor}× vs 1×", f"time {r['wall'] / base['wall']:.1f}× (linear: {factor}×), "
                         f"CPU {r['cpu'] / base['cpu']:.1f}×, peak memory {r['rss_main_mb'] / base['rss_main_mb']:.1f}× "
                         f"main, {r['rss_child_mb'] / max(1.0, base['rss_child_mb']):.1f}× largest child  "
                         f"[{'meets' if r['wall'] <= factor * base['wall'] else 'OVER'} target ≤ {factor}× the 1× time]")
            top = max(f for f in results if "wall" in results[f])
            if top < 100 and top > 1:
                per = results[top]["wall"] / top
                mem_per = (results[top]["rss_main_mb"] - base["rss_main_mb"]) / (top - 1)
                line("100× extrapolated (linear from largest)",
                     f"~{per * 100:.0f} s wall, ~{base['rss_main_mb'] + mem_per * 99:.0f} MB main process "
                     f"(not measured: run --scale 1,100 to measure)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        result = CHILDREN[sys.argv[2]](json.loads(sys.argv[3]))
        result.update(_usage())
        print(json.dumps(result))
    else:
        main()
