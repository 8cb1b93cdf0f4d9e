"""Print how fast `edition validate` is: schema compilation, then the whole edition (median of 5 runs).

Run: .venv/bin/python benchmarks/validate.py [--tei-all]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tei_edition import config  # noqa: E402
from tei_edition.schema import load_odd, odd_path  # noqa: E402
from tei_edition.validate import ProjectSchema, edition_files, validate  # noqa: E402


def main() -> None:
    cfg = config.load(Path(__file__).resolve().parents[1])
    files, _ = edition_files(cfg)
    size = sum(p.stat().st_size for p in files)
    t0 = time.perf_counter()
    schema = ProjectSchema.compile(load_odd(odd_path(cfg.root)))
    compile_s = time.perf_counter() - t0
    runs, cpu = [], []
    for _ in range(5):
        t0, c0 = time.perf_counter(), time.process_time()
        report = validate(cfg, schema=schema)
        runs.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    print(f"schema compilation (ODD → RELAX NG + Schematron): {compile_s:.3f} s")
    print(f"whole edition: {len(files)} files, {size / 1e6:.2f} MB, {report.errors} error(s); "
          f"validate median {statistics.median(runs):.3f} s (min {min(runs):.3f}, max {max(runs):.3f}; "
          f"CPU time median {statistics.median(cpu):.3f} s)")
    if "--tei-all" in sys.argv:
        t0 = time.perf_counter()
        report = validate(cfg, schema=schema, tei_all=True)
        print(f"with tei_all (jing): {time.perf_counter() - t0:.2f} s, {report.errors} error(s)")


if __name__ == "__main__":
    main()
