"""Run by the DTS reference implementation's own Python (`dapytains`, in .cache/dapytains: it pins a
saxonche the toolkit does not use): prints, for each TEI file given, the citation tree dapytains reads
from its citeStructure, and for each ref asked, its passage's text. Used by tests/test_reuse.py."""

import json
import sys

from dapytains.tei.document import Document


def flat(units, out):
    for u in units:
        out.append([u.ref, u.level, u.parent, u.citeType])
        flat(u.children, out)
    return out


def main() -> None:
    result = {}
    for arg in sys.argv[1:]:
        path, _, refs = arg.partition("=")
        doc = Document(path)
        passages = {}
        for ref in filter(None, refs.split(",")):
            passages[ref] = " ".join("".join(doc.get_passage(ref).itertext()).split())
        result[path] = {"tree": flat(doc.get_reffs(), []), "passages": passages}
    json.dump(result, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
