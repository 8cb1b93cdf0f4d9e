"""The witnesses are kept byte-identical: the SHA-256 manifest must match every source file."""

import hashlib


def test_manifest_matches_every_source(root):
    manifest = (root / "sources" / "SHA256SUMS").read_text().split("\n")
    entries = dict(reversed(line.split("  ", 1)) for line in manifest if line.strip())
    txt = sorted(p.name for p in (root / "sources").glob("*.txt"))
    assert sorted(entries) == txt and len(txt) == 5
    for name, digest in entries.items():
        assert hashlib.sha256((root / "sources" / name).read_bytes()).hexdigest() == digest, name


def test_config_lists_every_source_once(cfg, root):
    assert sorted(d.source for d in cfg.documents) == sorted(p.name for p in (root / "sources").glob("*.txt"))
    assert len({d.id for d in cfg.documents}) == 5
