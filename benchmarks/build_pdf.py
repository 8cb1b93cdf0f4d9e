"""Figures for the print edition (issue 19: "the book at ≥ 15 pages/s on this machine, peak ≤ 600 MB"; issue 8
before it: the book in ≤ 60 s): seconds per document and for the whole book, pages per second of wall time and
per CPU second, peak memory, and ratios against baselines measured in the same run. Figures, not assertions.

  <id>      one document's booklet: XSLT ("XSLT s": the html stage, uncached, and preparing for print, in a
            process of its own that ends before layout, as in the build), pass 1 (the whole booklet),
            the tail's pass ("tail s": the index alone, laid out with the pages pass 1 found), painting and
            writing the PDF/UA and its PDF/A-3a twin (painted and tagged once for both)
  edition   the whole edition as one book, as the build makes it (with the editors' apparatus): laid out in
            parts on every core, each written as a tagged PDF, and joined (print/parts.py, print/join.py);
            "cold": no layout of a previous build known (each part laid out as if it began on page 1 and
            numbered once the parts before it are laid out; a part printing page numbers of others, the
            front's contents, laid out again when they change); "warm": the previous build's layout known
            (as in every build after the first). "pass 1 s" is then the layouts of the parts and their writing, "tail s" the
            join; the peak is of all processes together (RSS and PSS summed, sampled every 0.2 s)
  one-piece the same book laid out in one process (the build's way before the parts: print/book.py typeset)
  stage     the PDF stage as `edition build` runs it, cache bypassed: every booklet and the book, each
            with its PDF/A twin and the lost-note check; on every core, and (baseline) in one process

Each case runs in a fresh process, so its peak memory is its own; for the stage, the memory of all its
processes together is sampled (/proc) and the largest sum printed. CPU time (all processes) is printed
beside wall time: on a shared machine the wall time also measures the neighbours.

    .venv/bin/python benchmarks/build_pdf.py                  # every document, the edition, the stage
    .venv/bin/python benchmarks/build_pdf.py d001 edition     # chosen cases
    .venv/bin/python benchmarks/build_pdf.py stage --no-serial   # the stage without its serial baseline
    .venv/bin/python benchmarks/build_pdf.py one-piece edition --warm   # the book both ways (warm: the last run's layout)
    .venv/bin/python benchmarks/build_pdf.py edition --cold --rounds 2  # the first build only, twice
    .venv/bin/python benchmarks/build_pdf.py --help

The memory of every process is sampled (PSS, /proc/PID/smaps_rollup) every 0.2 s; at the instant the sum
peaks, each process's share is printed (the benchmark's case process, its layout workers), with what the
case was doing then (its last progress line on stderr).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STARTED = time.perf_counter()   # (a case's phases are timed from its interpreter's start, as the sampler's peak)
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_S, TARGET_MB = 60.0, 1024.0            # issue 8: the book, the PDF stage's processes together
TARGET_PAGES_S, TARGET_BOOK_MB = 15.0, 600.0  # issue 19: the book's pages per second (wall), its peak
KNOWN = Path(tempfile.gettempdir()) / "edition-benchmark-book-layout.json"   # the cold run's layout, for the warm


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def prepared(case: str) -> tuple[list, object]:
    """The documents of `case` through the html stage (XSLT, uncached) and prepared for print, with the shell
    (the editors' apparatus, its XSLT too), as print/stage.py gives them to a PDF's worker."""
    from tei_edition import apparatus, config as config_mod, i18n, register as register_mod
    from tei_edition.build import available_documents
    from tei_edition.corpus import register_paths
    from tei_edition.html.stage import render_documents
    from tei_edition.print import book as pdf

    cfg = config_mod.load(ROOT)
    present, _ = available_documents(cfg)
    chosen = present if case in ("edition", "one-piece") else [d for d in present if d.id == case]
    if not chosen:
        raise SystemExit(f"{case}: no such document with a TEI file")
    strings, register = i18n.load(i18n.interface_language(cfg)), register_mod.load(register_paths(cfg))
    builds = render_documents(cfg, chosen, strings, register, jobs=1, cache=False)
    # the book as the build makes it: with the editors' apparatus (introductions, chronology, abbreviations,
    # bibliography), as print/stage.py builds its Shell
    dated = [d for b in builds for d in b.index.dates]
    shell = pdf.Shell(cfg, strings, register, pdf.build_date(),
                      apparatus.for_print(cfg, strings, frozenset(register), [b.id for b in builds], dated))
    docs = [pdf.prepare(b, strings, cfg) for b in builds]
    for d in docs:   # as the stage prepares them (print/stage.py with_prepared)
        intro = shell.apparatus.intros.get(d.id)
        d.intro_html = intro.html if intro is not None else ""
    return docs, shell


def run_case(case: str, known: str = "") -> dict:
    """The documents prepared in a process of their own (as the build's html stage and the print stage's
    preparing run apart from a PDF's worker: this process then holds no Saxon), then in this process: lay
    out (one or two passes, or the book's parts on two workers), paint and write; times per phase."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from tei_edition.print import book as pdf

    t0, c0 = time.perf_counter(), _cpu()
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as helper:
        docs, shell = helper.submit(prepared, case).result()
    t1 = time.perf_counter()
    result: dict = {"case": case if not known else f"{case}-{'warm' if Path(known).exists() else 'cold'}"}
    with tempfile.TemporaryDirectory() as tmp:
        if case == "edition":
            from tei_edition.print import parts
            printed = parts.typeset(docs, shell, known=Path(known) if known else None, attachment_text="TEI")
            t2, c2 = time.perf_counter(), _cpu()
            parts.write(printed, Path(tmp) / "out.pdf", Path(tmp) / "pdfa.pdf")
            seconds = {"pass 1": t2 - t1, "tail": time.perf_counter() - t2}
            result.update(rounds=printed.log, parts_laid=printed.laid_out, worker_peak_mb=printed.worker_peak_mb,
                          part_cpu={p.name: [p.pages, printed.times.get(p.name, 0),
                                             round(printed.cpu.get(p.name, 0.0), 1)] for p in printed.parts})
        else:
            printed = pdf.typeset("book" if case == "one-piece" else "document", docs, shell)
            t2, c2 = time.perf_counter(), _cpu()
            pdf.write(printed, Path(tmp) / "out.pdf", Path(tmp) / "pdfa.pdf", "TEI")
            seconds = printed.seconds
        t3, c3 = time.perf_counter(), _cpu()
        result["pdf_bytes"] = (Path(tmp) / "out.pdf").stat().st_size
        result["pdfa_bytes"] = (Path(tmp) / "pdfa.pdf").stat().st_size
    result["phases"] = {"prepared": round(t1 - STARTED, 1), "laid out": round(t2 - STARTED, 1),
                        "written": round(t3 - STARTED, 1)}
    result.update({"documents": len(docs), "pages": printed.pages,
                   "notes": sum(d.notes for d in docs), "passes": printed.passes, "prepare_s": t1 - t0,
                   "pass1_s": seconds.get("pass 1", 0.0), "index_s": seconds.get("tail", 0.0),
                   "again_s": seconds.get("again", 0.0),
                   "layout_s": t2 - t1, "write_s": t3 - t2, "total_s": t3 - t0, "cpu_s": c3 - c0, "write_cpu": c3 - c2,
                   "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})
    return result


def run_yardstick() -> dict:
    """A fixed layout, the same in every run of every version of the toolkit: WeasyPrint alone (no print.css, no
    patches) laying out and writing 40 pages of plain justified, hyphenated paragraphs (A5). Its time says how fast
    the machine is now (the same code took 1.1 or 1.4 s for a plain Python loop in consecutive minutes): pages
    per second are comparable between runs only beside it."""
    from weasyprint import HTML
    words = [("".join(chr(97 + (i * 7 + k * 3) % 26) for k in range(2 + i % 9))) for i in range(400)]
    paragraphs = "".join("<p>" + " ".join(words[(n * 13 + w) % 400] for w in range(120)) + "</p>" for n in range(85))
    html = ("<html lang='en'><head><style>@page { size: A5; margin: 20mm } p { text-align: justify; hyphens: auto;"
            f" font: 10pt serif; margin: 0 0 2mm }}</style></head><body>{paragraphs}</body></html>")
    t0, c0 = time.perf_counter(), time.process_time()
    document = HTML(string=html).render()
    document.write_pdf()
    return {"case": "yardstick", "pages": len(document.pages), "wall_s": time.perf_counter() - t0,
            "cpu_s": time.process_time() - c0}


def run_stage(jobs: int) -> dict:
    """In this process (and its workers): the PDF stage of `edition build`, cache bypassed."""
    from tei_edition import config as config_mod, i18n, register as register_mod
    from tei_edition.build import available_documents
    from tei_edition.corpus import register_paths
    from tei_edition.html.stage import render_documents
    from tei_edition.print.stage import build_pdf

    cfg = config_mod.load(ROOT)
    t0, c0 = time.perf_counter(), _cpu()
    strings, register = i18n.load(i18n.interface_language(cfg)), register_mod.load(register_paths(cfg))
    builds = render_documents(cfg, available_documents(cfg)[0], strings, register, cache=False)
    with tempfile.TemporaryDirectory() as tmp:
        reports = build_pdf(cfg, builds, strings, register, Path(tmp), jobs=jobs, cache=False)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"case": f"stage{jobs}", "wall_s": time.perf_counter() - t0, "cpu_s": _cpu() - c0,
            "pdfs": {r.path.name: [r.seconds, r.pages] for r in reports},
            "peak_mb": max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, kids)}


def _tree(root: int) -> dict[int, tuple[float, float]]:
    """Each process of the tree under `root` (itself and all its descendants), now: pid → (RSS, PSS) in MB
    (PSS: shared pages divided among the processes sharing them; Linux /proc)."""
    parent: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fd:
                parent[int(entry)] = int(fd.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
    found: dict[int, tuple[float, float]] = {}
    todo = [root]
    while todo:
        pid = todo.pop()
        rss = pss = 0
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fd:
                for line in fd:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
            found[pid] = (rss / 1024, pss / 1024)
        except OSError:
            pass
        todo += [p for p, pp in parent.items() if pp == pid]
    return found


def _tree_mb(root: int) -> tuple[float, float]:
    """The RSS and PSS of a process and all its descendants, summed, now."""
    tree = _tree(root)
    return sum(r for r, _ in tree.values()), sum(p for _, p in tree.values())


def child(args: list[str]) -> dict | None:
    """Run one case in a fresh interpreter, sampling the memory of its process tree every 0.2 s: the peak of
    the sums (RSS and PSS, each at its own instant), and at the instant PSS peaked, each process's share
    ("case": the case's own process; "worker N": its children in the order they appeared) and the time."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "--case", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT)
    peak = peak_pss = 0.0
    names: dict[int, str] = {proc.pid: "case"}
    at_peak: dict[str, float] = {}
    peak_at = 0.0
    timeline: list[tuple[float, float]] = []
    while proc.poll() is None:
        tree = _tree(proc.pid)
        for pid in tree:
            names.setdefault(pid, f"worker {len(names)}")
        rss, pss = sum(r for r, _ in tree.values()), sum(p for _, p in tree.values())
        timeline.append((time.perf_counter() - start, pss))
        if pss > peak_pss:
            at_peak = {names[pid]: round(p) for pid, (_, p) in tree.items()}
            peak_at = time.perf_counter() - start
        peak, peak_pss = max(peak, rss), max(peak_pss, pss)
        time.sleep(0.2)
    out, err = proc.communicate()
    if proc.returncode:
        print(f"{' '.join(args)}: failed\n{err[-2000:]}")
        return None
    result = json.loads(out.strip().splitlines()[-1])
    result["tree_peak_mb"], result["tree_peak_pss_mb"] = peak, peak_pss
    result["pss_at_peak"], result["peak_at_s"] = at_peak, peak_at
    phases = result.get("phases", {})
    if "laid out" in phases:     # the largest sum while the laid-out book was written (the book's join)
        result["writing_pss_mb"] = max((m for t, m in timeline if phases["laid out"] <= t <= phases["written"] + 0.3),
                                       default=0.0)
    return result


def verdict(value: float, target: float, unit: str = "s") -> str:
    return f"[target ≤ {target:.0f} {unit}: {'met' if value <= target else 'MISSED'}]"


def _peak_line(r: dict) -> str:
    """Who held the memory at the instant the PSS of all processes peaked, and when (the case's phases)."""
    shares = ", ".join(f"{k} {v}" for k, v in sorted(r.get("pss_at_peak", {}).items(), key=lambda kv: -kv[1]))
    phases = ", ".join(f"{k} at {v:.1f} s" for k, v in r.get("phases", {}).items())
    writing = f"; while writing (the join), at most {r['writing_pss_mb']:.0f} MB" if r.get("writing_pss_mb") else ""
    return (f"  PSS at the peak ({r.get('peak_at_s', 0):.1f} s): {shares} MB" + (f"; phases: {phases}" if phases else "")
            + writing)


def main(cases: list[str], serial: bool, warm: bool = False, cold: bool = False, rounds: int = 1) -> None:
    if not cases:
        from tei_edition import config as config_mod
        from tei_edition.corpus import documents
        cases = [d.id for d in documents(config_mod.load(ROOT)) if d.tei_path.exists()] + ["edition", "stage"]
    print(f"{'case':<9} {'docs':>4} {'pages':>6} {'notes':>6} {'XSLT s':>7} {'pass 1 s':>9} {'tail s':>7} "
          f"{'again s':>8} {'write s':>8} {'total s':>8} {'CPU s':>6} {'pages/s':>8} {'/CPU s':>7} {'peak MB':>8}")
    books = []
    stick = child(["yardstick"])
    if stick is not None:
        print(f"(yardstick: a fixed {stick['pages']}-page layout in {stick['cpu_s']:.2f} s CPU, {stick['wall_s']:.2f} s "
              f"wall, load average {os.getloadavg()[0]:.1f}: how fast the machine is now; see run_yardstick)")
    for _round in range(rounds):
        for case in (c for c in cases if c != "stage"):
            args = [case] if case != "edition" else [case, str(KNOWN)]
            warm_only = case == "edition" and warm and KNOWN.exists()
            if case == "edition" and not warm_only:
                KNOWN.unlink(missing_ok=True)     # cold first, then warm (the layout the cold run wrote)
            runs = 1 if case != "edition" or warm_only or cold else 2
            for _ in range(runs):
                r = child(args)
                if r is None:
                    continue
                print(f"{r['case']:<9} {r['documents']:>4} {r['pages']:>6} {r['notes']:>6} {r['prepare_s']:>7.1f} "
                      f"{r['pass1_s']:>9.1f} {r['index_s']:>7.1f} {r.get('again_s', 0.0):>8.1f} {r['write_s']:>8.1f} "
                      f"{r['total_s']:>8.1f} {r['cpu_s']:>6.1f} {r['pages'] / r['total_s']:>8.1f} "
                      f"{r['pages'] / r['cpu_s']:>7.1f} {r['tree_peak_mb']:>8.0f}   (load {os.getloadavg()[0]:.1f})")
                if case in ("edition", "one-piece"):
                    books.append(r)
    for r in books:
        layout_write = r["total_s"] - r["prepare_s"]
        pages_s = r["pages"] / layout_write
        print(f"\n{r['case']}: {r['pages']} pages laid out and written (XSLT not counted) in {layout_write:.1f} s wall, "
              f"{r['pages'] / (r['cpu_s'] - r['prepare_s']):.1f} pages per CPU s (all processes; XSLT's seconds "
              f"taken as CPU); {pages_s:.1f} pages/s wall "
              f"[target ≥ {TARGET_PAGES_S:.0f} pages/s: {'met' if pages_s >= TARGET_PAGES_S else 'MISSED'}]; "
              f"peak of all processes together {r['tree_peak_mb']:.0f} MB RSS, {r['tree_peak_pss_mb']:.0f} MB PSS "
              f"{verdict(r['tree_peak_pss_mb'], TARGET_BOOK_MB, 'MB')}; PDF {r['pdf_bytes'] / 1e6:.2f} MB, "
              f"PDF/A {r['pdfa_bytes'] / 1e6:.2f} MB; load average {os.getloadavg()[0]:.1f}")
        print(_peak_line(r))
        if r.get("rounds"):
            print(f"  {r['parts_laid']} part layouts, in the order started: " + "; ".join(r["rounds"]))
        if r.get("part_cpu"):
            print("  per part (pages, layouts, CPU s of its layouts): "
                  + ", ".join(f"{k} {p}/{n}/{c}" for k, (p, n, c) in r["part_cpu"].items()))
    if "stage" in cases:
        cores = os.cpu_count() or 1
        runs_by = {n: child(["stage", str(n)]) for n in ([1] if serial else []) + [cores]}
        print("\nthe PDF stage of `edition build` (every booklet and the book, PDF/A twins, note check; no cache)")
        for n, r in runs_by.items():
            if r is None:
                continue
            pages = sum(p for _, p in r["pdfs"].values())
            label = "one process (baseline)" if n == 1 else f"{n} processes"
            ratio = f", ratio {r['wall_s'] / runs_by[1]['wall_s']:.2f} of serial" if n != 1 and runs_by.get(1) else ""
            print(f"  {label:<24} {r['wall_s']:6.1f} s wall, {r['cpu_s']:6.1f} s CPU, {pages} pages, "
                  f"{pages / r['wall_s']:.1f} pages/s{ratio}; load average {os.getloadavg()[0]:.1f}")
            print(f"  {'':<24} peak memory: all processes together {r['tree_peak_mb']:.0f} MB RSS, "
                  f"{r['tree_peak_pss_mb']:.0f} MB PSS, largest one {r['peak_mb']:.0f} MB  "
                  f"{verdict(r['tree_peak_mb'], TARGET_MB, 'MB')}")
            print(_peak_line(r))
            if n != 1:
                print(f"  {'':<24} {verdict(r['wall_s'], TARGET_S)}; per PDF (s, pages): "
                      + ", ".join(f"{k} {s:.1f}/{p}" for k, (s, p) in r["pdfs"].items()))


def arguments(argv: list[str]):
    import argparse
    parser = argparse.ArgumentParser(
        description="Figures for the print edition: each case in a fresh process (see the module's docstring).",
        epilog="cases: a document id (its booklet), 'edition' (the book in parts, cold then warm), 'one-piece' "
               "(the book in one process), 'stage' (the PDF stage of edition build); none: all of them")
    parser.add_argument("cases", nargs="*", help="the cases to run (default: every document, edition, stage)")
    parser.add_argument("--warm", action="store_true", help="edition: only the warm case, when a previous "
                        "run's layout is there")
    parser.add_argument("--cold", action="store_true", help="edition: only the cold case (a first build)")
    parser.add_argument("--no-serial", action="store_true", help="stage: without the one-process baseline")
    parser.add_argument("--rounds", type=int, default=1, help="run the cases this many times (default 1)")
    return parser.parse_args(argv)


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--case":
        print(json.dumps(run_stage(int(sys.argv[3])) if sys.argv[2] == "stage" else run_yardstick()
                         if sys.argv[2] == "yardstick" else run_case(*sys.argv[2:4])))
    else:
        a = arguments(sys.argv[1:])
        main(a.cases, not a.no_serial, warm=a.warm, cold=a.cold, rounds=a.rounds)
