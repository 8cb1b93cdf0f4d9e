"""The importer is deterministic: two conversions of each real source, in two processes with different
string-hash seeds (so that no set or dict order can leak into the output), give identical TEI and report bytes.

The per-document tests compare one in-process conversion with the committed file; within one process a
hash-order dependence would go unnoticed, hence the two processes here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import ROOT

CONVERT_ALL = """
import hashlib, json
from tei_edition import config
from tei_edition.corpus import documents
from tei_edition.importer import convert, report_text
cfg = config.load()
out = {}
for doc in documents(cfg):
    tei, rec = convert(cfg, doc)
    out[doc.id] = [hashlib.sha256(tei).hexdigest(), hashlib.sha256(report_text(doc, tei, rec).encode()).hexdigest(),
                   len(tei)]
print(json.dumps(out))
"""


def test_two_conversions_in_two_processes_are_byte_identical(docs):
    runs = [subprocess.Popen([sys.executable, "-c", CONVERT_ALL], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONHASHSEED": seed})
            for seed in ("1", "2")]
    results = []
    for proc in runs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        results.append(json.loads(out))
    first, second = results
    assert sorted(first) == sorted(docs) == ["d000", "d001", "d002", "d003", "d004"]
    assert first == second
    assert all(size > 10_000 for _, _, size in first.values())
