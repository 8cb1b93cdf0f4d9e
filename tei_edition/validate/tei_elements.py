"""Every element of TEI P5, with its module and English gloss, from the vendored P5 source (vendor/tei,
p5subset.xml): to tell an element of TEI that the edition's schema leaves out ("<app> (apparatus entry) is
a TEI element ...") from a misspelt name. Read only when such an element turns up."""

from __future__ import annotations

import gzip
from functools import lru_cache

from .. import TEI_NS
from ..schema.tei_processor import P5SUBSET
from ..xmlsafe import parse_bytes

NS = {"t": TEI_NS}


@lru_cache(maxsize=1)
def tei_elements() -> dict[str, tuple[str, str]]:
    """element name → (TEI module, gloss, "" where the gloss only repeats the name)."""
    tree = parse_bytes(gzip.decompress(P5SUBSET.read_bytes()), str(P5SUBSET))
    out = {}
    for spec in tree.iterfind(".//t:elementSpec", NS):
        if spec.get("ns") not in (None, TEI_NS):            # egXML of the Examples namespace
            continue
        name = spec.get("ident")
        gloss = next((" ".join("".join(g.itertext()).split()) for g in spec.iterfind("t:gloss", NS)
                      if g.get("{http://www.w3.org/XML/1998/namespace}lang") in (None, "en")), "")
        out[name] = (spec.get("module") or "", gloss if gloss != name else "")
    return out
