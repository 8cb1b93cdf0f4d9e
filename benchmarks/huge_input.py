"""Does every stage stay near-linear in the size of its input? One huge paragraph, one huge note and a huge
register, each at a few sizes (doubling): the time of each stage per size, and its ratio to the size before
(about 2 for a linear stage when the size doubles; about 4 for a quadratic one). No assertions. Times are
CPU seconds of this process (everything runs in it: one job, no search index by default), which the
neighbours on a shared machine do not change as they change wall time.

Run: .venv/bin/python benchmarks/huge_input.py [--sizes 20000,40000,80000] [--shapes paragraph,note,register]
                                              [--pdf-sizes 1000,2000,4000]

Sizes count lines of the witness (<lb/>, about 25 bytes of text each) for the paragraph and the note, and
entries for the register. Each run is a temporary project holding d002 with the huge part, built by the
library (cache off, no search index unless --search) after `edition validate`; PDFs only for --pdf-sizes
(WeasyPrint lays out about 30 pages a second here, so a million lines is hours however linear), and for
the paragraph only: a footnote longer than a page is dropped by WeasyPrint, which the build's note check
refuses ("note(s) missing from the PDF text").
The issue's case: one paragraph of 1,000,000 lines (24 MB) whose plain-TEI export never finished.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tei_edition import build as build_mod  # noqa: E402
from tei_edition import config  # noqa: E402
from tei_edition.render import producers  # noqa: E402
from tei_edition.synthetic import make_synthetic  # noqa: E402

P = '<p xml:id="d002-p2">'
LINE = '<lb n="{n}"/>слово и ещё одно сло'                       # a word divided at the line end


def lines(count: int) -> str:
    """`count` witness lines (numbered past the document's own), every other one continuing a word."""
    return "".join(LINE.format(n=100_000 + k) + ("" if k % 2 else '<lb n="{}" break="no"/>во, '.format(
        100_000 + k + 1)) for k in range(0, count, 2))


def make_project(folder: Path, shape: str, size: int) -> Path:
    project = make_synthetic(config.load(ROOT), folder, 1, only=["d002"]).root
    tei = project / "tei" / "d002.xml"
    text = tei.read_text(encoding="utf-8")
    if shape == "paragraph":
        text = text.replace(P, P + lines(size), 1)
    elif shape == "note":
        text = text.replace(P, P + '<note xml:id="d002-n-huge" n="*" place="foot" type="editorial" resp="#ed">'
                            + lines(size) + "</note>", 1)
    else:
        persons = project / "tei" / "register" / "persons.xml"
        entries = "".join(f'<person xml:id="pers-bench-{k}"><persName type="preferred">Person {k}</persName>'
                          "</person>\n" for k in range(size))
        reg = persons.read_text(encoding="utf-8")
        persons.write_text(reg.replace("</listPerson>", entries + "</listPerson>", 1), encoding="utf-8")
    tei.write_text(text, encoding="utf-8")
    return project


@contextmanager
def timed_stages(times: dict[str, float]):
    """Time the build's stages by wrapping the functions build() calls."""
    wrapped = {(build_mod, "render_documents"): "XSLT + pages (prerender)",
               (producers, "write_reading_pages"): "reading pages", (producers, "write_register"): "register pages",
               (producers, "write_chronology"): "chronology", (producers, "write_downloads"): "downloads",
               (build_mod, "write_exports"): "exports", (build_mod, "build_pdf"): "PDF",
               (build_mod, "index_site"): "search index"}
    originals = {}
    for (module, name), label in wrapped.items():
        original = getattr(module, name)
        originals[(module, name)] = original

        def timer(*args, _f=original, _label=label, **kwargs):
            t0 = time.process_time()
            try:
                return _f(*args, **kwargs)
            finally:
                times[_label] += time.process_time() - t0
        setattr(module, name, timer)
    try:
        yield
    finally:
        for (module, name), original in originals.items():
            setattr(module, name, original)


def measure(shape: str, size: int, pdf: bool, search: bool) -> dict[str, float]:
    from tei_edition.annotate import annotate_document
    from tei_edition.annotate import register as annotate_register
    from tei_edition.corpus import register_paths
    from tei_edition.validate import validate
    times: dict[str, float] = defaultdict(float)
    with tempfile.TemporaryDirectory(prefix="edition-huge-") as tmp:
        project = make_project(Path(tmp) / "project", shape, size)
        cfg = config.load(project)
        tei = project / "tei" / "d002.xml"
        times["TEI MB"] = tei.stat().st_size / 1e6 + sum(p.stat().st_size for p in register_paths(cfg)) / 1e6
        t0 = time.process_time()
        report = validate(cfg)
        times["validate"] = time.process_time() - t0
        if report.errors:
            raise SystemExit("\n".join(d.format() for d in report.diagnostics[:5]))
        reg = annotate_register.load(register_paths(cfg))
        t0 = time.process_time()
        annotate_document(tei.read_bytes(), reg, "d002", str(tei))
        times["annotate"] = time.process_time() - t0
        t0 = time.process_time()
        with timed_stages(times):
            build_mod.build(cfg, search=search, pdf=pdf, cache=False, jobs=1)
        times["build (all)"] = time.process_time() - t0
    return dict(times)


def report(shape: str, sizes: list[int], rows: list[dict[str, float]]) -> None:
    print(f"\n{shape}: " + ", ".join(f"{s:,} {'entries' if shape == 'register' else 'lines'} "
                                      f"({r['TEI MB']:.1f} MB)" for s, r in zip(sizes, rows)))
    stages = [k for k in rows[-1] if k not in ("TEI MB", "peak MB")]
    print(f"  {'stage (CPU s)':28}" + "".join(f"{s:>12,}" for s in sizes) + "   ratios (to the size before)")
    for stage in stages:
        values = [r.get(stage, 0.0) for r in rows]
        ratios = [f"{b / a:4.1f}" if a > 0.05 else "   -" for a, b in zip(values, values[1:])]
        print(f"  {stage:28}" + "".join(f"{v:11.2f}s" for v in values) + "   " + "  ".join(ratios))
    peaks = [r["peak MB"] for r in rows]
    print(f"  {'peak memory (MB)':28}" + "".join(f"{v:12.0f}" for v in peaks) + "   " +
          "  ".join(f"{b / a:4.1f}" for a, b in zip(peaks, peaks[1:])))


def run_one(shape: str, size: int, pdf: bool, search: bool) -> dict[str, float]:
    """One measurement in a fresh process: its peak memory is its own, and nothing is shared between sizes."""
    args = [sys.executable, __file__, "--one", shape, str(size)] + ["--pdf"] * pdf + ["--search"] * search
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{shape} {size}: failed\n{done.stdout}{done.stderr}")
    row = json.loads(done.stdout.splitlines()[-1])
    print(f"  ({shape}, {size:,}: build {row['build (all)']:.1f} s, peak {row['peak MB']:.0f} MB)", flush=True)
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="20000,40000,80000")
    ap.add_argument("--register-sizes", default="2000,4000,8000")
    ap.add_argument("--pdf-sizes", default="", help="sizes for a run with PDFs (e.g. 1000,2000,4000)")
    ap.add_argument("--shapes", default="paragraph,note,register")
    ap.add_argument("--search", action="store_true", help="also build the search index (Pagefind)")
    ap.add_argument("--one", nargs=2, metavar=("SHAPE", "SIZE"), help=argparse.SUPPRESS)
    ap.add_argument("--pdf", action="store_true", help=argparse.SUPPRESS)
    opts = ap.parse_args()
    if opts.one:
        row = measure(opts.one[0], int(opts.one[1]), pdf=opts.pdf, search=opts.search)
        row["peak MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(row))
        return
    for shape in opts.shapes.split(","):
        sizes = [int(s) for s in (opts.register_sizes if shape == "register" else opts.sizes).split(",")]
        report(shape, sizes, [run_one(shape, s, pdf=False, search=opts.search) for s in sizes])
        if opts.pdf_sizes and shape == "paragraph":    # (a footnote longer than a page is refused: see above)
            sizes = [int(s) for s in opts.pdf_sizes.split(",")]
            report(shape + " (with PDFs)", sizes, [run_one(shape, s, pdf=True, search=False) for s in sizes])


if __name__ == "__main__":
    main()
