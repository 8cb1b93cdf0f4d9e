"""Pictures and page images a document names as files beside its TEI (graphic/@url, pb/@facs, a surface's
graphic: "images/p1.jpg"): copied beside the document's reading pages, where the fragment's <img src> finds
them (site/dNNN/images/p1.jpg). Only image files inside the edition's tei/ folder are copied: a path that leads
out of it, a missing file or another kind of file is left out (and `edition validate` names a missing one)."""

from __future__ import annotations

from ..html.fragment import parse
from ..links import local_image
from .shell import Site

def copy_images(site: Site, builds: list) -> int:
    """Copy every local image the documents' fragments show; the number copied."""
    copied = 0
    for build in builds:
        tei = build.doc.tei_path.read_bytes()
        if b"facs=" not in tei and b"<graphic" not in tei:     # no fragment loaded for a text without images
            continue
        for src in sorted({img.get("src") or "" for img in parse(build.fragment).iter("img")}):
            path = local_image(build.doc.tei_path, site.config.tei_dir, src)
            if path is not None and path.is_file():
                site.write_bytes(f"{build.id}/{src}", path.read_bytes())
                copied += 1
    return copied
