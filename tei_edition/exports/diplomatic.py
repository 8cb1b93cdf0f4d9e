"""The diplomatic plain text of a document for text-mining: the witness line by line (source line breaks,
printed hyphens at line ends, sic and orig, note calls as printed, note texts on their own source lines),
without page residue (fw) and without anything the editors added. Read back with the fidelity reader, so
the diplomatic text is the witness the fidelity check proves, minus its residue. (The edited text is the
edition's one plain text, made from the XSLT's fragment: html/plaintext.py.)
"""

from __future__ import annotations

import copy

from lxml import etree

from .. import TEI_NS
from ..fidelity import regenerate
from ..trees import splice

T = "{%s}" % TEI_NS


def diplomatic_text(root: etree._Element) -> str:
    """The witness line by line without page residue (see the module docstring)."""
    tree = copy.deepcopy(root)
    splice(list(tree.iter(T + "fw")), lambda fw: " ")
    text = tree.find(T + "text")
    if text is not None and any(not (lb.get("n") or "").isdigit() for lb in text.iter(T + "lb")) \
            or text is not None and next(text.iter(T + "lb"), None) is None:
        # a TEI document from elsewhere: its lines are not numbered as a witness's; its text block by block
        blocks = text.xpath(".//*[not(.//tei:p | .//tei:ab | .//tei:l | .//tei:head)][self::tei:p or self::tei:ab "
                            "or self::tei:l or self::tei:head or self::tei:item or self::tei:cell]",
                            namespaces={"tei": TEI_NS})
        return "".join(" ".join("".join(b.itertext()).split()) + "\n" for b in blocks)
    regen = regenerate(etree.ElementTree(tree))
    lines = []
    for n in sorted(regen.lines):
        pieces = regen.lines[n]
        hyphen = bool(pieces) and pieces[-1] == "-"      # the printer's hyphen restored at the line end
        line = " ".join("".join(pieces[:-1] if hyphen else pieces).split())
        lines.append(line + "-" if hyphen and line else line)
    return "\n".join(line for line in lines if line) + "\n"
