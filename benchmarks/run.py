"""The performance benchmark of the edition (issues 8, 19): every figure, each labelled with what it includes,
and the targets of #19 beside the floor measured in the same run. No assertions: it prints what it measures.

Usage: .venv/bin/python benchmarks/run.py [--scale 1,10,30] [--rounds 3] [--no-pdf] [--no-search] [--jobs N]
                                          [--only validate,html,stages,pdf,scale]

  floor          what no build can avoid, measured on the same edition: parsing all TEI, our XSLT over it,
                 writing every file of the finished site once (a copy of it), Pagefind on the finished site
  validate       the whole edition (project schema and edition-wide checks)
  HTML build     cold (no build cache; the one-off font subsetting done before), nothing changed, one document
                 changed: medians of --rounds interleaved rounds
  stages         the XSLT (Saxon) against a plain lxml XSLT 1.0 identity-like transform; Pagefind; exports
  PDF            each document and the whole book (WeasyPrint)
  scale          synthetic editions N× the real one (tei_edition.synthetic, deterministic): cold, unchanged and
                 one-document rebuilds, the floor beside each cold build, time growth, peak memory of all
                 processes together; up to 10×, an edit of the largest document too, with its floor measured
                 after it (parsing its TEI, our XSLT over it, Pagefind over its reading pages)

Everything runs on a snapshot of the edition copied into a temporary folder (the project's build/ is
never touched); what a step leaves is put aside there and removed at the end, not before the next step
(`Trash`: on ext4 files made just after many were removed cost the kernel several times more). Each
measurement runs in a fresh Python process; this script samples the memory (RSS) of that process and of
every process it starts, ten times a second, and prints the peak of their sum ("all processes"), of the build
process itself ("main"), of its largest worker and of Pagefind. CPU time (user + system, all processes) is
printed beside wall time: on a shared machine the wall time also measures the neighbours; the CPU time does
not.
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
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# the targets of #19 (the cold build's is 2× the floor measured in the same run)
TARGETS = {"cold_vs_floor": 2.0, "incremental_1x": 1.0, "incremental_10x": 3.0, "unchanged": 0.5,
           "growth_30x": 25.0, "memory_mb": 1024.0, "pdf_pages_per_s": 15.0, "pdf_memory_mb": 600.0}

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

class Trash:
    """Folders put aside (renamed into one folder) instead of removed, and removed when the benchmark ends. On
    ext4 without a journal (this machine's disk) a file made within a minute of many removals (six while
    the inode table block is dirty) is slow to make: the kernel's inode allocator steps over every inode
    those removals freed, reading each one's deletion time (fs/ext4/ialloc.c, `recently_deleted`). A 1×
    cold build right after the previous round's site and cache were removed spent 5.3–8.3 s in the kernel,
    against 1.0–1.6 s with them put aside (perf: a quarter of its samples in `find_get_block_common` and
    `recently_deleted`); the floor's copy of the site met the same cost, by how many removals were how
    recent. A removal before a timed step would charge that step with it (the builds' own removals, an
    edit's spare tree, still reach the next round: the ratio outside the kernel is printed beside)."""

    LOW_DISK = 8 * 1024 ** 3        # below this much free space the trash is emptied at once (said so)

    def __init__(self, folder: Path) -> None:
        self.folder, self.count = folder, 0

    def put(self, path: Path) -> None:
        if not path.exists():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count += 1
        path.rename(self.folder / str(self.count))
        if shutil.disk_usage(self.folder).free < self.LOW_DISK:
            self.empty()
            print("  (little disk space left: folders removed at once; the next figure may include the "
                  "kernel's cost of making files just after removing many)")

    def empty(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


TRASH = Trash(Path(tempfile.gettempdir()) / "edition-benchmark-trash")   # (main() puts it in its folder)


def _usage() -> dict[str, float]:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"cpu": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
            "sys": me.ru_stime + kids.ru_stime,           # of which in the kernel (files made, pages mapped)
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
    from tei_edition.exports.parts import EarlyParts
    from tei_edition.html import stage as html_stage
    cfg = config.load(Path(args["root"]))
    t0, c0, s0 = time.perf_counter(), _usage()["cpu"], _usage()["sys"]
    # out= given: the HTML site only (build() without out also makes the PDFs, measured apart below)
    res = build(cfg, search=args["search"], jobs=args["jobs"], cache=args["cache"], out=cfg.build_dir / "site")
    wall, build_cpu = time.perf_counter() - t0, _usage()["cpu"] - c0   # (not the counting of files below)
    build_sys = _usage()["sys"] - s0
    site = res.site
    counting = _usage()["cpu"]
    files = [p for p in site.rglob("*") if p.is_file()]
    return {"wall": wall, "build_cpu": build_cpu, "build_sys": build_sys, "documents": len(res.documents), "reading_pages": res.pages,
            "html_files": sum(1 for p in files if p.suffix == ".html"), "files": len(files),
            "data_files": sum(1 for p in files if p.relative_to(site).parts[0] == "data"),
            "rendered": len(html_stage.last_run.rendered), "workers": html_stage.last_run.workers,
            "early_parts": list(early.taken) if (early := EarlyParts.last) is not None else [],
            "stages": res.stages, "cpu_before_counting": counting}


def _stepper(out: dict) -> Callable[[str, Callable[[], object]], object]:
    """`step(name, work)`: run work, put its wall, CPU (this process and the programs it ran: Pagefind) and the
    kernel's share into `out` under name, name_cpu, name_sys; return what work returned."""
    def step(name: str, work: Callable[[], object]) -> object:
        t0, u0 = time.perf_counter(), _usage()
        value = work()
        u1 = _usage()
        out[name], out[name + "_cpu"] = time.perf_counter() - t0, u1["cpu"] - u0["cpu"]
        out[name + "_sys"] = u1["sys"] - u0["sys"]
        return value
    return step


def child_floor(args: dict) -> dict:
    """What no build can avoid, on the site a build made: parse every TEI file, our XSLT over each (one
    process, the stylesheet compiled first), write every file of the finished site once (a copy, file by
    file), Pagefind over the finished site's reading pages (as the build runs it, on a copy without an index)."""
    from tei_edition import config, i18n, register as register_mod, xmlsafe
    from tei_edition.build import available_documents
    from tei_edition.corpus import read_facts, register_paths
    from tei_edition.html.stage import render_options
    from tei_edition.html.transform import _executable, render_tree
    from tei_edition.paths import XSLT
    from tei_edition.site.search import index_site, search_language
    cfg = config.load(Path(args["root"]))
    present, _ = available_documents(cfg)
    options = render_options(cfg, i18n.load(i18n.interface_language(cfg)), register_mod.load(register_paths(cfg)))
    _executable(str(XSLT))
    out: dict = {}
    blobs = [(d, d.tei_path.read_bytes()) for d in present]

    step = _stepper(out)
    roots: list = []
    step("parse", lambda: roots.extend(xmlsafe.parse_bytes(data, str(d.tei_path)).getroot() for d, data in blobs))
    step("transform", lambda: [render_tree(root, str(d.tei_path), options) for d, root in zip(present, roots)])
    languages = [read_facts(root).lang for root in roots]
    roots.clear()
    blobs.clear()
    site, copy = Path(args["site"]), Path(args["copy"])
    files = [p for p in sorted(site.rglob("*")) if p.is_file() and not p.relative_to(site).parts[0].startswith("pagefind")]
    size = 0

    def write() -> None:
        nonlocal size
        for p in files:
            target = copy / p.relative_to(site)
            target.parent.mkdir(parents=True, exist_ok=True)
            data = p.read_bytes()
            target.write_bytes(data)
            size += len(data)
    step("write", write)
    out["files"], out["bytes"] = len(files), size
    step("pagefind", lambda: index_site(copy, search_language(languages)) if args.get("search", True) else None)
    return out                                         # (the copy is put aside by the caller: `Trash`)


def child_edit_floor(args: dict) -> dict:
    """What no edit of one document can avoid, on the site its build made (the edit's floor, measured in the
    same run as the edit, so that both meet the machine in the same state: the same code took 0.52 s and
    0.95 s for the XSLT of d001 twelve minutes apart on 2026-12-07): parse its TEI, our XSLT over it (the
    stylesheet compiled first), Pagefind over its reading pages alone (a copy of them; not when the build made
    no search index). Its validation, export part and pages are left out, as the cold build's floor leaves
    them out."""
    from tei_edition import config, i18n, register as register_mod, xmlsafe
    from tei_edition.corpus import read_facts, register_paths
    from tei_edition.html.stage import render_options
    from tei_edition.html.transform import _executable, render_tree
    from tei_edition.paths import XSLT
    from tei_edition.site.search import index_site
    cfg = config.load(Path(args["root"]))
    doc_id = args["document"]
    options = render_options(cfg, i18n.load(i18n.interface_language(cfg)), register_mod.load(register_paths(cfg)))
    _executable(str(XSLT))
    path = Path(args["root"]) / "tei" / f"{doc_id}.xml"
    data = path.read_bytes()
    out: dict = {}

    step = _stepper(out)
    root = step("parse", lambda: xmlsafe.parse_bytes(data, str(path)).getroot())
    step("transform", lambda: render_tree(root, str(path), options))
    pages = sorted((Path(args["site"]) / doc_id).glob("*.html"))
    out["pages"], out["pagefind"], out["pagefind_cpu"] = len(pages), 0.0, 0.0
    if args.get("search", True):
        with tempfile.TemporaryDirectory() as copy:
            (Path(copy) / doc_id).mkdir()
            for page in pages:
                shutil.copyfile(page, Path(copy) / doc_id / page.name)
            step("pagefind", lambda: index_site(Path(copy), read_facts(root).lang))
    else:
        out["pages"] = 0                               # (no search index: no Pagefind in the floor)
    return out


EDIT_FLOOR_STEPS = ("parse", "transform", "pagefind")


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
    shutil.rmtree(site / "pagefind-parts", ignore_errors=True)
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


CHILDREN = {"floor": child_floor, "validate": child_validate, "build": child_build, "stages": child_stages,
            "search_exports": child_search_exports, "pdf": child_pdf, "edit_floor": child_edit_floor}


SECTION = {"floor": "html", "edit_floor": "html", "validate": "validate", "build": "html", "stages": "stages", "search_exports": "stages", "pdf": "pdf"}
ONLY: set[str] = set()


class TreeMemory:
    """The memory of a process and of every process it starts, sampled ten times a second from /proc:
    peak of the sum over all of them (PSS: a page shared by several processes counted once, in shares; RSS
    summed would count the libraries of every worker again), and peaks per kind of process."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.total_mb = self.main_mb = self.worker_mb = self.pagefind_mb = 0.0
        self.at_peak: dict[str, float] = {}    # PSS of each kind of process at the moment of the total's peak
        self.started = time.perf_counter()
        self.log = os.environ.get("BENCH_MEMLOG")   # a file: one line per sample (seconds, total, per kind)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(0.1)

    def sample(self) -> None:
        parents: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                parents[int(entry)] = int(stat[stat.rindex(")") + 2:].split()[1])
        tree, frontier = {self.pid}, [self.pid]
        while frontier:
            parent = frontier.pop()
            children = [p for p, pp in parents.items() if pp == parent and p not in tree]
            tree.update(children)
            frontier += children
        total = 0.0
        kinds = {"main": 0.0, "workers": 0.0, "largest worker": 0.0, "pagefind": 0.0}
        for pid in tree:
            pss, rss = _memory_mb(pid)
            total += pss
            if pid == self.pid:
                self.main_mb = max(self.main_mb, rss)
                kinds["main"] += pss
            elif _is_pagefind(pid):
                self.pagefind_mb = max(self.pagefind_mb, rss)
                kinds["pagefind"] += pss
            else:
                self.worker_mb = max(self.worker_mb, rss)
                kinds["workers"] += pss
                kinds["largest worker"] = max(kinds["largest worker"], pss)
        if total > self.total_mb:
            self.total_mb, self.at_peak = total, kinds
        if self.log:
            with open(self.log, "a") as f:
                f.write(f"{time.perf_counter() - self.started:.1f} {total:.0f} "
                        + " ".join(f"{k.replace(' ', '_')}={v:.0f}" for k, v in kinds.items()) + "\n")


def _memory_mb(pid: int) -> tuple[float, float]:
    """(PSS, RSS) of a process in MB; zeros when it has gone."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0.0, 0.0
    values = {line.split(":")[0]: int(line.split()[1]) for line in text.splitlines()[1:] if line.endswith("kB")}
    return values.get("Pss", 0) / 1024, values.get("Rss", 0) / 1024


def _is_pagefind(pid: int) -> bool:
    try:
        return b"pagefind" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def run_child(task: str, section: str | None = None, **args: object) -> dict:
    """One measurement in a fresh interpreter; its figures plus its CPU time and the peaks of memory of
    it and of every process it started."""
    if ONLY and (section or SECTION[task]) not in ONLY:
        return {"error": "skipped (--only)"}
    proc = subprocess.Popen([sys.executable, __file__, "--child", task, json.dumps(args)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    memory = TreeMemory(proc.pid)
    out, err = proc.communicate()
    memory.stop()
    if proc.returncode != 0:
        return {"error": (err.strip().splitlines() or ["failed"])[-1]}
    result = json.loads(out.strip().splitlines()[-1])
    result.update(total_mb=memory.total_mb, main_mb=memory.main_mb, worker_mb=memory.worker_mb,
                  pagefind_mb=memory.pagefind_mb, at_peak=memory.at_peak)
    return result


def median_run(rounds: list[dict]) -> dict:
    """The round with the median wall time (its other figures with it); the spread beside it."""
    good = sorted((r for r in rounds if "wall" in r), key=lambda r: r["wall"])
    if not good:
        return rounds[0]
    middle = dict(good[len(good) // 2])
    middle["spread"] = (good[0]["wall"], good[-1]["wall"], len(good))
    return middle


# ---------------------------------------------------------------- the report

def line(label: str, text: str) -> None:
    print(f"  {label:<38} {text}")


def fig(r: dict) -> str:
    if "error" in r:
        return r["error"] if r["error"].startswith("skipped") else f"FAILED: {r['error']}"
    wall = f"{r['wall']:7.2f} s wall, " if "wall" in r else ""
    spread = ""
    if "spread" in r:
        low, high, n = r["spread"]
        spread = f" (median of {n}: {low:.2f}–{high:.2f})" if n > 1 else ""
    build_cpu = f" ({r['build_cpu']:.2f} in build(), the rest start-up and imports)" if "build_cpu" in r else ""
    at_peak = r.get("at_peak") or {}
    split = (" (at that moment, PSS: " + ", ".join(f"{k} {v:.0f}" for k, v in at_peak.items()) + ")") if at_peak else ""
    return (f"{wall}{r['cpu']:6.2f} s CPU{build_cpu}{spread}; peak {r['total_mb']:5.0f} MB all processes (PSS){split}; "
            f"peaks apart (RSS): main {r['main_mb']:.0f}, largest worker {r['worker_mb']:.0f}, Pagefind "
            f"{r['pagefind_mb']:.0f} MB")


def verdict(value: float, target: float, unit: str = "s") -> str:
    return f"[{'meets' if value <= target else 'OVER'} target ≤ {target:g} {unit}]"


def touch_one(root: Path, nth: int = 0, doc_id: str = "d000") -> None:
    """Change one word in the nth paragraph of one document (as an editor would)."""
    path = root / "tei" / f"{doc_id}.xml"
    text = path.read_text(encoding="utf-8")
    start = -1
    for _ in range(nth + 1):
        start = text.index(f'<p xml:id="{doc_id}-p', start + 1)
    end = text.index("</p>", start)
    word = next(w for w in text[start:end].split() if w.isalpha() and len(w) > 4)
    path.write_text(text[:start] + text[start:end].replace(word, word + "·", 1) + text[end:], encoding="utf-8")


def largest_document(root: Path) -> tuple[str, int]:
    """The id and TEI size of the edition's largest document (d001 in this edition: ~40% of the TEI)."""
    path = max((p for p in (root / "tei").glob("d*.xml")), key=lambda p: (p.stat().st_size, p.name))
    return path.stem, path.stat().st_size


def build_rounds(root: Path, rounds: int, jobs: int | None, search: bool, section: str = "html",
                 cold_only: bool = False, floor_copy: Path | None = None,
                 largest: bool = False) -> dict[str, list[dict]]:
    """Cold (no build cache), the floor (when `floor_copy` is given: on the site that cold build made),
    nothing changed, one document changed: `rounds` rounds, the kinds interleaved (so a busy minute of the
    neighbours spreads over all of them, and each cold build has a floor measured next to it). Two edits
    follow each other: the first after a cold build writes a whole new site folder ("first_edit"); every
    later one writes into the spare tree, the output of the build before the last (staging.py), as an
    editor's edits do ("one_edit"). `largest`: then one edit of the largest document ("largest_edit": its
    XSLT, pages and export part are the most any one-document edit redoes), and its floor measured next to it
    ("largest_floor", `child_edit_floor`). Every round's figures, by kind
    (`median_run` picks the median)."""
    runs: dict[str, list[dict]] = {"cold": [], "floor": [], "unchanged": [], "first_edit": [], "one_edit": [],
                                   "largest_edit": [], "largest_floor": []}
    for n in range(rounds):
        TRASH.put(root / ".cache" / "build")           # cold: no cache, no previous site (whose search index
        TRASH.put(root / "build")                      # would be kept); put aside, not removed (`Trash`)
        runs["cold"].append(run_child("build", section, root=str(root), jobs=jobs, cache=True, search=search))
        if floor_copy is not None:
            runs["floor"].append(run_child("floor", section, root=str(root), site=str(root / "build" / "site"),
                                           copy=str(floor_copy), search=search))
            TRASH.put(floor_copy)
        if cold_only:
            continue
        runs["unchanged"].append(run_child("build", section, root=str(root), jobs=jobs, cache=True, search=search))
        touch_one(root, 2 * n)
        runs["first_edit"].append(run_child("build", section, root=str(root), jobs=jobs, cache=True, search=search))
        touch_one(root, 2 * n + 1)
        runs["one_edit"].append(run_child("build", section, root=str(root), jobs=jobs, cache=True, search=search))
        if largest:
            doc_id = largest_document(root)[0]
            touch_one(root, n, doc_id)
            runs["largest_edit"].append(run_child("build", section, root=str(root), jobs=jobs, cache=True,
                                                  search=search))
            runs["largest_floor"].append(run_child("edit_floor", section, root=str(root), site=str(root / "build" / "site"),
                                                   document=doc_id, search=search))
    return runs


def medians(runs: dict[str, list[dict]]) -> dict[str, dict]:
    return {kind: median_run(r) if r else {"error": "skipped (cold only)"} for kind, r in runs.items()}


FLOOR_STEPS = ("parse", "transform", "write", "pagefind")


def floor_total(floor: dict, search: bool) -> tuple[float, float]:
    """The floor of one round, (wall, CPU): the sum of its steps (Pagefind only when the build indexes)."""
    steps = [k for k in FLOOR_STEPS if k != "pagefind" or search]
    return sum(floor[k] for k in steps), sum(floor[k + "_cpu"] for k in steps)


def floor_user(floor: dict, search: bool) -> float:
    """The floor's CPU outside the kernel (the kernel's share, mostly pages for the files written, moves
    with the machine's memory: the same 11,512 files cost 0.3 s or 6 s of it in consecutive minutes)."""
    steps = [k for k in FLOOR_STEPS if k != "pagefind" or search]
    return sum(floor[k + "_cpu"] - floor.get(k + "_sys", 0.0) for k in steps)


def spread(values: list[float]) -> tuple[float, float, float, int]:
    """(median, lowest, highest, how many): the median of an even count is the mean of the middle two."""
    ordered = sorted(values)
    n = len(ordered)
    if not n:
        raise ValueError("no values")
    middle = ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2
    return middle, ordered[0], ordered[-1], n


def said(values: list[float], unit: str = "s", digits: int = 2) -> str:
    """A median with its spread, in words: "1.23 s (3 rounds: 1.10–1.40)"."""
    middle, low, high, n = spread(values)
    rounds = f" ({n} rounds: {low:.{digits}f}–{high:.{digits}f})" if n > 1 else ""
    return f"{middle:.{digits}f} {unit}{rounds}"


def floor_ratios(cold: list[dict], floor: list[dict], search: bool) -> dict[str, list[float]]:
    """Each round's cold build against the floor measured beside it: wall / wall, CPU / CPU, and the CPU of
    build() alone (without the interpreter's start and imports, which the floor does not pay) / the floor's
    CPU. Rounds where either failed are left out."""
    out: dict[str, list[float]] = {"wall": [], "cpu": [], "build_cpu": [], "user": []}
    for c, f in zip(cold, floor):
        if "wall" not in c or "parse" not in f:
            continue
        wall, cpu = floor_total(f, search)
        out["wall"].append(c["wall"] / wall)
        out["cpu"].append(c["cpu"] / cpu)
        out["build_cpu"].append(c["build_cpu"] / cpu)
        out["user"].append((c["build_cpu"] - c["build_sys"]) / floor_user(f, search))
    return out


def edit_floor_text(edit: dict, floor: dict) -> str:
    """The floor of an edit (`child_edit_floor`), step by step, and the edit against it (wall / wall, CPU / CPU)."""
    if "parse" not in floor:
        return fig(floor)
    wall, cpu = (sum(floor[k + tail] for k in EDIT_FLOOR_STEPS) for tail in ("", "_cpu"))
    search = (f", Pagefind over its {floor['pages']} reading pages {floor['pagefind']:.2f} s" if floor.get("pages") else
              ", no Pagefind (no search index)")
    text = (f"parse {floor['parse']:.2f} s, our XSLT {floor['transform']:.2f} s{search}: {wall:.2f} s wall, "
            f"{cpu:.2f} s CPU")
    if "wall" in edit and wall > 0 and cpu > 0:
        text += f"; the edit took {edit['wall'] / wall:.1f}× its wall, {edit['cpu'] / cpu:.1f}× its CPU"
    return text


def same_counts(rounds: list[dict]) -> str:
    """Whether every round built the same site (documents, pages, files): it must, the input being fixed."""
    seen = {counts(r) for r in rounds if "files" in r}
    return "the same in every round" if len(seen) == 1 else f"DIFFERENT between rounds: {sorted(seen)}"


def counts(r: dict) -> str:
    return (f"{r['documents']} documents, {r['reading_pages']} reading pages, {r['html_files']} HTML files, "
            f"{r['files']} files ({r['data_files']} under data/)") if "files" in r else ""


def print_floor(floor_runs: list[dict], search: bool, indent: str = "") -> None:
    """The floor of each round, step by step (medians and spread), or why there is none."""
    floors = [f for f in floor_runs if "parse" in f]
    if floors:
        f0 = floors[0]
        print(f"  {indent}the floor, measured after each round's cold build on the site it made (medians, spread):")
        line(f"{indent}floor: parse all TEI", f"{said([f['parse'] for f in floors])} wall, "
             f"{said([f['parse_cpu'] for f in floors])} CPU")
        line(f"{indent}floor: our XSLT over it (1 process)", f"{said([f['transform'] for f in floors])} wall, "
             f"{said([f['transform_cpu'] for f in floors])} CPU  (compiled beforehand)")
        line(f"{indent}floor: write every site file once", f"{said([f['write'] for f in floors])} wall, "
             f"{said([f['write_cpu'] for f in floors])} CPU, of which in the kernel {said([f['write_sys'] for f in floors])}  ({f0['files']} files, {f0['bytes'] / 1e6:.0f} MB: "
             f"read and written, the search index not)")
        if search:
            line(f"{indent}floor: Pagefind on the finished site", f"{said([f['pagefind'] for f in floors])} wall, "
                 f"{said([f['pagefind_cpu'] for f in floors])} CPU  (one index over the reading pages; the "
                 f"build makes one per part)")
        totals = [floor_total(f, search) for f in floors]
        line(f"{indent}floor, in all", f"{said([t[0] for t in totals])} wall, {said([t[1] for t in totals])} CPU  (no "
             f"interpreter start, no validation)")
    elif floor_runs:
        line(f"{indent}floor", fig(floor_runs[0]))


def print_floor_ratio(colds: list[dict], floor_runs: list[dict], search: bool, indent: str = "",
                      judged: bool = True) -> None:
    """Each round's cold build against its floor, and (`judged`: the real edition, whose target it is) the
    verdict on the median CPU ratio."""
    ratios = floor_ratios(colds, floor_runs, search)
    if ratios["cpu"]:
        target = TARGETS["cold_vs_floor"]
        middle = spread(ratios["cpu"])[0]
        verdict_ = (f"[median CPU ratio {'meets' if middle <= target else 'OVER'} target ≤ {target:g}×]" if judged
                    else f"(the target ≤ {target:g}× is the real edition's)")
        line(f"{indent}cold / floor, round by round", f"CPU {said(ratios['cpu'], '×')}, wall {said(ratios['wall'], '×')}, "
             f"build() CPU alone {said(ratios['build_cpu'], '×')}, build() CPU outside the kernel against the "
             f"floor's {said(ratios['user'], '×')}  {verdict_}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", default="1,10,30", help="synthetic factors to build (comma-separated)")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds of the 1× builds (median printed)")
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
    TRASH.folder = work / "trash"                      # removed with the rest at the end
    ONLY.update(opts.only.split(","))
    try:
        snap = make_synthetic(real, work / "edition", 1)
        root = snap.root
        print(f"edition snapshot: {snap.documents} documents, {snap.tei_bytes / 1e6:.2f} MB TEI; "
              f"{cores} core(s) used of {os.cpu_count()}; load average at the start "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        if os.getloadavg()[0] > cores:
            print("  (the machine is busy: wall times include the neighbours; compare the CPU times)")

        print("\nvalidate")
        v = run_child("validate", root=str(root))
        line("whole edition", fig(v) + (f"; {v['files']} files, {v['errors']} error(s)" if "files" in v else ""))

        print(f"\nHTML build (search index {'on' if search else 'off'}; PDFs apart, below)")
        warm = run_child("build", root=str(root), jobs=opts.jobs, cache=False, search=search)
        line("first build (fills the font cache)", fig(warm) + "  [not a target: once per machine]")
        runs = (build_rounds(root, opts.rounds, opts.jobs, search, floor_copy=work / "floor-copy")
                if "html" in ONLY else {})
        html = medians(runs) if runs else {}
        cold, same, inc = (html.get(k, {"error": "skipped (--only)"}) for k in ("cold", "unchanged", "one_edit"))
        print_floor(runs.get("floor", []), search)
        line("cold (no build cache)", fig(cold) + "  (validation gate, html stage, pages, exports, Pagefind; "
             "CPU of all processes, the interpreter's start and imports included)")
        if "wall" in cold:
            colds = [c for c in runs["cold"] if "wall" in c]
            line("cold, every round", f"{said([c['wall'] for c in colds])} wall, {said([c['cpu'] for c in colds])} "
                 f"CPU, of which in build() {said([c['build_cpu'] for c in colds])} (in the kernel "
                 f"{said([c['build_sys'] for c in colds])})")
        print_floor_ratio(runs.get("cold", []), runs.get("floor", []), search)
        line("rebuild, nothing changed", fig(same) + (f"  {verdict(same['wall'], TARGETS['unchanged'])}"
                                                       if "wall" in same else ""))
        first = html.get("first_edit", {"error": "skipped (--only)"})
        line("first edit after a cold build", fig(first) + "  (a whole new site folder: the spare tree is made)")
        line("rebuild after one document changed", fig(inc) + (f"  {verdict(inc['wall'], TARGETS['incremental_1x'])} "
                                                                 f"(CPU includes Python start-up and imports)"
                                                                 if "wall" in inc else ""))
        if "wall" in cold:
            line("counts", f"{counts(cold)}: {same_counts(runs['cold'])}")
            line("documents re-rendered (one changed)", f"{inc.get('rendered')} of {inc.get('documents')}")

        print("\nstages of the HTML build (same TEI)")
        st = run_child("stages", root=str(root), cores=cores)
        if "error" in st or "lxml_transform" not in st:
            line("stages", fig(st))
        else:
            line("parse only (lxml, xmlsafe)", f"{st['parse_only']:.2f} s for {st['tei_bytes'] / 1e6:.2f} MB")
            line("lxml XSLT 1.0 identity-like", f"{st['lxml_transform']:.2f} s "
                 f"(+ {st['lxml_compile'] * 1000:.0f} ms compile), {st['lxml_out_bytes'] / 1e6:.1f} MB out")
            line("our XSLT 3.0 (Saxon)", f"{st['saxon_transform']:.2f} s "
                 f"(+ {st['saxon_compile']:.2f} s compile), {st['saxon_out_bytes'] / 1e6:.1f} MB out")
            line("ratio ours / identity-like", f"{st['saxon_transform'] / st['lxml_transform']:.1f}×")
            line("render stage (XSLT + header + index + text)",
                 f"serial {st['render_stage_jobs1']:.2f} s, {cores} processes {st[f'render_stage_jobs{cores}']:.2f} s "
                 f"(each worker starts Python and compiles the XSLT)")
        if search:
            se = run_child("search_exports", root=str(root), site=str(root / "build" / "site"))
            if "error" in se:
                line("search and exports", fig(se))
            else:
                line("Pagefind index alone", f"{se['pagefind']:.2f} s")
                line("exports alone (parts from the cache)", f"{se['exports']:.2f} s wall, {se['exports_cpu']:.2f} s "
                     f"CPU, {se['exports_files']} files")

        print("\nPDF (WeasyPrint, no PDF/A copy)")
        if opts.no_pdf:
            line("skipped", "--no-pdf")
        else:
            p = run_child("pdf", root=str(root), out=str(work / "pdf"), search=search)
            if "error" in p:
                line("PDF", fig(p))
            else:
                for doc_id, d in p["per_doc"].items():
                    line(f"{doc_id}", f"{d['wall']:6.2f} s, {d['pages']} pages, {d['pages'] / d['wall']:.1f} pages/s")
                docs_wall = sum(d["wall"] for d in p["per_doc"].values())
                rate = p["book_pages"] / p["book_wall"]
                meets = "meets" if rate >= TARGETS["pdf_pages_per_s"] else "UNDER"
                line("whole book", f"{p['book_wall']:6.2f} s, {p['book_pages']} pages, {rate:.1f} pages/s "
                     f"({p['book_reused_docs']} document PDFs reused from the cache)  [{meets} target ≥ "
                     f"{TARGETS['pdf_pages_per_s']:g} pages/s]")
                line("ratio book / documents one by one", f"{p['book_wall'] / docs_wall:.2f} "
                     f"(the same texts; {docs_wall:.2f} s for the documents)")
                line("all PDFs again, unchanged (cache)", f"{p['cached_wall']:6.2f} s")
                line("`edition build` (HTML + PDF + PDF/A), full", f"{p['full_cold_wall']:6.2f} s (document PDFs "
                     f"cached above, PDF/A and site cold)")
                line("`edition build` after one document changed", f"{p['full_incremental_wall']:6.2f} s "
                     f"(its PDF and the book laid out again)")
                line("this PDF process and its workers", fig(p) + f"  {verdict(p['total_mb'], TARGETS['pdf_memory_mb'], 'MB')}")

        print("\nscale (synthetic editions: the real documents replicated with new ids, deterministic)")
        factors = [int(f) for f in opts.scale.split(",") if f.strip()] if "scale" in ONLY else []
        results: dict[int, dict[str, dict]] = {}
        for factor in factors:
            syn = make_synthetic(real, work / f"x{factor}", factor)
            scaled = build_rounds(syn.root, 1, opts.jobs, search, "scale", cold_only=factor > 10,
                                  largest=factor <= 10, floor_copy=work / f"x{factor}-floor-copy")
            r = medians(scaled)
            results[factor] = r
            print(f"  {factor}× ({syn.documents} documents, {syn.tei_bytes / 1e6:.0f} MB TEI)")
            mem = r["cold"].get("total_mb", 0.0)
            line("  cold", fig(r["cold"]) + (f"  {verdict(mem, TARGETS['memory_mb'], 'MB all processes')}"
                                             if "wall" in r["cold"] else ""))
            print_floor(scaled["floor"], search, "  ")
            print_floor_ratio(scaled["cold"], scaled["floor"], search, "  ", judged=False)
            line("  nothing changed", fig(r["unchanged"]))
            target = TARGETS["incremental_1x"] if factor == 1 else TARGETS["incremental_10x"]
            line("  first edit after cold", fig(r["first_edit"]))
            line("  one document changed", fig(r["one_edit"]) + (
                f"  {verdict(r['one_edit']['wall'], target)}" if "wall" in r["one_edit"] and factor <= 10 else ""))
            if "wall" in r["largest_edit"]:
                doc_id, size = largest_document(syn.root)
                early = ", its export part made beside the XSLT" if r["largest_edit"].get("early_parts") else ""
                line(f"  largest document changed ({doc_id}, {size / 1e6:.1f} MB{early})", fig(r["largest_edit"]) +
                     f"  {verdict(r['largest_edit']['wall'], target)}")
                line("  its floor (measured after it)", edit_floor_text(r["largest_edit"], r["largest_floor"]))
            line("  counts", counts(r["cold"]))
            for kind in ("cold", "one_edit", "largest_edit"):
                if "stages" in r[kind]:
                    line(f"  steps ({kind.replace('_', ' ')})", ", ".join(f"{k} {v:.2f} s" for k, v in r[kind]["stages"].items()))
            TRASH.put(syn.root)
        base = results.get(1, {}).get("cold")
        if base and "wall" in base:
            for factor, r in results.items():
                if factor != 1 and "wall" in r["cold"]:
                    cold_f = r["cold"]
                    target = TARGETS["growth_30x"] / 30 * factor
                    meets = "meets" if cold_f["wall"] <= target * base["wall"] else "OVER"
                    line(f"growth {factor}× vs 1× (cold)", f"time {cold_f['wall'] / base['wall']:.1f}× (linear: "
                         f"{factor}×), CPU {cold_f['cpu'] / base['cpu']:.1f}×, memory of all processes "
                         f"{cold_f['total_mb'] / base['total_mb']:.1f}×  [{meets} target ≤ {target:g}× the 1× time]")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        result = CHILDREN[sys.argv[2]](json.loads(sys.argv[3]))
        result.update(_usage())   # CPU time of it and its children; memory: sampled by the parent
        if "cpu_before_counting" in result:   # a build's: without the benchmark's own counting of the files
            result["cpu"] = result.pop("cpu_before_counting")
        print(json.dumps(result))
    else:
        main()
