"""Figures for the print edition (issue 19: "the book at ≥ 15 pages/s on this machine, peak ≤ 600 MB"; issue 8
before it: the book in ≤ 60 s): seconds per document and for the whole book, pages per second of wall time and
per CPU second, peak memory, and ratios against baselines measured in the same run. Figures, not assertions.

  <id>      one document's booklet: XSLT ("XSLT s": the html stage, uncached), pass 1 (the whole booklet),
            the tail's pass ("tail s": the index alone, laid out with the pages pass 1 found), painting and
            writing the PDF/UA and its PDF/A-3a twin (painted and tagged once for both)
  edition   the whole edition as one book, as the build makes it (with the editors' apparatus), the same
            phases; its tail is the bibliography (with its "Cited in" pages), the appendix on the encoding and
            the index ("again s": a third layout, only when the tail moved a heading the contents list);
            baseline: painting twice (the PDF and the PDF/A written separately, as the build did before)
  stage     the PDF stage as `edition build` runs it, cache bypassed: every booklet and the book, each
            with its PDF/A twin and the lost-note check; on every core, and (baseline) in one process

Each case runs in a fresh process, so its peak memory is its own; for the stage, the memory of all its
processes together is sampled (/proc) and the largest sum printed. CPU time (all processes) is printed
beside wall time: on a shared machine the wall time also measures the neighbours.

    .venv/bin/python benchmarks/build_pdf.py                  # every document, the edition, the stage
    .venv/bin/python benchmarks/build_pdf.py d001 edition     # chosen cases
    .venv/bin/python benchmarks/build_pdf.py --no-serial      # the stage without its serial baseline
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_S, TARGET_MB = 60.0, 1024.0            # issue 8: the book, the PDF stage's processes together
TARGET_PAGES_S, TARGET_BOOK_MB = 15.0, 600.0  # issue 19: the book's pages per second (wall), its peak


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def run_case(case: str) -> dict:
    """In this process: prepare (XSLT), lay out (one or two passes), paint and write; times per phase."""
    from tei_edition import apparatus, config as config_mod, i18n, register as register_mod
    from tei_edition.build import available_documents
    from tei_edition.corpus import register_paths
    from tei_edition.html.stage import render_documents
    from tei_edition.print import book as pdf

    cfg = config_mod.load(ROOT)
    present, _ = available_documents(cfg)
    chosen = present if case == "edition" else [d for d in present if d.id == case]
    if not chosen:
        raise SystemExit(f"{case}: no such document with a TEI file")
    t0, c0 = time.perf_counter(), _cpu()
    strings, register = i18n.load(i18n.interface_language(cfg)), register_mod.load(register_paths(cfg))
    builds = render_documents(cfg, chosen, strings, register, jobs=1, cache=False)
    # the book as the build makes it: with the editors' apparatus (introductions, chronology, abbreviations,
    # bibliography), as print/stage.py builds its Shell
    dated = [d for b in builds for d in b.index.dates]
    shell = pdf.Shell(cfg, strings, register, pdf.build_date(),
                      apparatus.for_print(cfg, strings, frozenset(register), [b.id for b in builds], dated))
    docs = [pdf.prepare(b, strings, cfg) for b in builds]
    t1 = time.perf_counter()
    printed = pdf.typeset("book" if case == "edition" else "document", docs, shell)
    t2, c2 = time.perf_counter(), _cpu()
    result = {}
    with tempfile.TemporaryDirectory() as tmp:
        pdf.write(printed, Path(tmp) / "out.pdf", Path(tmp) / "pdfa.pdf", "TEI")
        t3, c3 = time.perf_counter(), _cpu()
        result["pdf_bytes"] = (Path(tmp) / "out.pdf").stat().st_size
        if case == "edition":  # the baseline: the same two files, each painted
            from weasyprint import Attachment
            printed.document.write_pdf(str(Path(tmp) / "twice.pdf"))
            printed.document.write_pdf(str(Path(tmp) / "twice-a.pdf"), pdf_variant=pdf.PDFA_VARIANT,
                                       attachments=[Attachment(filename=str(d.tei_path)) for d in docs])
            result["write_twice_s"], result["write_twice_cpu"] = time.perf_counter() - t3, _cpu() - c3
    result.update({"case": case, "documents": len(docs), "pages": printed.pages,
                   "notes": sum(d.notes for d in docs), "passes": printed.passes, "prepare_s": t1 - t0,
                   "pass1_s": printed.seconds.get("pass 1", 0.0), "index_s": printed.seconds.get("tail", 0.0),
                   "again_s": printed.seconds.get("again", 0.0),
                   "layout_s": t2 - t1, "write_s": t3 - t2, "total_s": t3 - t0, "cpu_s": c3 - c0, "write_cpu": c3 - c2,
                   "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})
    return result


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


def _tree_rss_mb(root: int) -> float:
    """The resident memory of a process and all its descendants, now (Linux /proc)."""
    parent: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fd:
                fields = fd.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent[int(entry)] = int(fields[1])
        rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += [p for p, pp in parent.items() if pp == pid]
    return total / 2 ** 20


def child(args: list[str]) -> dict | None:
    """Run one case in a fresh interpreter, sampling the memory of its process tree."""
    proc = subprocess.Popen([sys.executable, __file__, "--case", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT)
    peak = 0.0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_mb(proc.pid))
        time.sleep(0.2)
    out, err = proc.communicate()
    if proc.returncode:
        print(f"{' '.join(args)}: failed\n{err[-2000:]}")
        return None
    result = json.loads(out.strip().splitlines()[-1])
    result["tree_peak_mb"] = peak
    return result


def verdict(value: float, target: float, unit: str = "s") -> str:
    return f"[target ≤ {target:.0f} {unit}: {'met' if value <= target else 'MISSED'}]"


def main(cases: list[str], serial: bool) -> None:
    if not cases:
        from tei_edition import config as config_mod
        from tei_edition.corpus import documents
        cases = [d.id for d in documents(config_mod.load(ROOT)) if d.tei_path.exists()] + ["edition", "stage"]
    print(f"{'case':<9} {'docs':>4} {'pages':>6} {'notes':>6} {'XSLT s':>7} {'pass 1 s':>9} {'tail s':>7} "
          f"{'again s':>8} {'write s':>8} {'total s':>8} {'CPU s':>6} {'pages/s':>8} {'/CPU s':>7} {'peak MB':>8}")
    twice = None
    for case in (c for c in cases if c != "stage"):
        r = child([case])
        if r is None:
            continue
        print(f"{r['case']:<9} {r['documents']:>4} {r['pages']:>6} {r['notes']:>6} {r['prepare_s']:>7.1f} "
              f"{r['pass1_s']:>9.1f} {r['index_s']:>7.1f} {r.get('again_s', 0.0):>8.1f} {r['write_s']:>8.1f} "
              f"{r['total_s']:>8.1f} {r['cpu_s']:>6.1f} {r['pages'] / r['total_s']:>8.1f} "
              f"{r['pages'] / r['cpu_s']:>7.1f} {r['peak_mb']:>8.0f}")
        if "write_twice_s" in r:
            twice = r
    if twice:
        print(f"\nedition, PDF + PDF/A: painted once {twice['write_s']:.1f} s wall, {twice['write_cpu']:.1f} s CPU; "
              f"painted twice (baseline) {twice['write_twice_s']:.1f} s wall, {twice['write_twice_cpu']:.1f} s CPU; "
              f"ratio (CPU) {twice['write_cpu'] / twice['write_twice_cpu']:.2f}")
        print(f"edition, the book alone (XSLT included): {twice['total_s']:.1f} s wall, {twice['cpu_s']:.1f} s CPU  "
              f"{verdict(twice['total_s'], TARGET_S)}")
        layout_write = twice["total_s"] - twice["prepare_s"]
        pages_s = twice["pages"] / layout_write
        print(f"edition, layout and writing: {twice['pages']} pages in {layout_write:.1f} s wall, {pages_s:.1f} pages/s "
              f"[target ≥ {TARGET_PAGES_S:.0f} pages/s: {'met' if pages_s >= TARGET_PAGES_S else 'MISSED'}]; "
              f"peak {twice['peak_mb']:.0f} MB (its process), {twice['tree_peak_mb']:.0f} MB sampled "
              f"{verdict(twice['peak_mb'], TARGET_BOOK_MB, 'MB')}; load average {os.getloadavg()[0]:.1f}")
    if "stage" in cases:
        cores = os.cpu_count() or 1
        runs = {n: child(["stage", str(n)]) for n in ([1] if serial else []) + [cores]}
        print("\nthe PDF stage of `edition build` (every booklet and the book, PDF/A twins, note check; no cache)")
        for n, r in runs.items():
            if r is None:
                continue
            pages = sum(p for _, p in r["pdfs"].values())
            label = "one process (baseline)" if n == 1 else f"{n} processes"
            ratio = f", ratio {r['wall_s'] / runs[1]['wall_s']:.2f} of serial" if n != 1 and runs.get(1) else ""
            print(f"  {label:<24} {r['wall_s']:6.1f} s wall, {r['cpu_s']:6.1f} s CPU, {pages} pages, "
                  f"{pages / r['wall_s']:.1f} pages/s{ratio}")
            print(f"  {'':<24} peak memory: all processes together {r['tree_peak_mb']:.0f} MB, largest one "
                  f"{r['peak_mb']:.0f} MB  {verdict(r['tree_peak_mb'], TARGET_MB, 'MB')}")
            if n != 1:
                print(f"  {'':<24} {verdict(r['wall_s'], TARGET_S)}; per PDF (s, pages): "
                      + ", ".join(f"{k} {s:.1f}/{p}" for k, (s, p) in r["pdfs"].items()))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--case":
        print(json.dumps(run_stage(int(sys.argv[3])) if sys.argv[2] == "stage" else run_case(sys.argv[2])))
    else:
        main([a for a in sys.argv[1:] if not a.startswith("--")], "--no-serial" not in sys.argv)
