"""Figures for the print edition: pages, pages per second and peak memory, for the book of d001 (the
largest document, ~1.8 MB TEI) and for the whole edition as one book. Figures, not assertions.

Each case runs in a fresh process, so the peak memory (ru_maxrss) is that case's own.

    .venv/bin/python benchmarks/build_pdf.py            # both cases
    .venv/bin/python benchmarks/build_pdf.py d001       # one case: a document id, or "edition"
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def run_case(case: str) -> dict:
    """In this process: prepare (XSLT), lay out (one or two passes), write the PDF; times per phase."""
    from tei_edition import config as config_mod
    from tei_edition.corpus import documents
    from tei_edition.render import pdf

    cfg = config_mod.load(ROOT)
    present = [d for d in documents(cfg) if d.tei_path.exists()]
    chosen = present if case == "edition" else [d for d in present if d.id == case]
    if not chosen:
        raise SystemExit(f"{case}: no such document with a TEI file")
    t0 = time.perf_counter()
    shell, options = pdf.load_shell(cfg), pdf.render_options(cfg)
    docs = [pdf.prepare(d, options) for d in chosen]
    t1 = time.perf_counter()
    printed = pdf.typeset("book" if case == "edition" else "document", docs, shell)
    t2 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        pdf.write(printed, Path(tmp) / "out.pdf", None, "")
        size = (Path(tmp) / "out.pdf").stat().st_size
    t3 = time.perf_counter()
    return {"case": case, "documents": len(docs), "tei_bytes": sum(d.tei_path.stat().st_size for d in chosen),
            "pages": printed.pages, "notes": sum(d.notes for d in docs), "passes": printed.passes,
            "prepare_s": t1 - t0, "layout_s": t2 - t1, "write_s": t3 - t2, "total_s": t3 - t0,
            "pdf_bytes": size, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main(cases: list[str]) -> None:
    print(f"{'case':<9} {'docs':>4} {'TEI MB':>7} {'pages':>6} {'notes':>6} {'passes':>6} {'XSLT s':>7} "
          f"{'layout s':>9} {'write s':>8} {'total s':>8} {'pages/s':>8} {'peak MB':>8} {'PDF MB':>7}")
    for case in cases:
        out = subprocess.run([sys.executable, __file__, "--case", case], capture_output=True, text=True)
        if out.returncode:
            print(f"{case}: failed\n{out.stderr[-2000:]}")
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{r['case']:<9} {r['documents']:>4} {r['tei_bytes'] / 1e6:>7.2f} {r['pages']:>6} {r['notes']:>6} "
              f"{r['passes']:>6} {r['prepare_s']:>7.1f} {r['layout_s']:>9.1f} {r['write_s']:>8.1f} "
              f"{r['total_s']:>8.1f} {r['pages'] / r['total_s']:>8.1f} {r['peak_mb']:>8.0f} {r['pdf_bytes'] / 1e6:>7.2f}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--case":
        print(json.dumps(run_case(sys.argv[2])))
    else:
        main(sys.argv[1:] or ["d001", "edition"])
