"""Write tei_edition/validate/tei_elements.py from the TEI P5 source (p5subset.xml, gzipped or not):

    .venv/bin/python tests/make_tei_elements.py ../shared/tei-odd/p5subset.xml.gz > tei_edition/validate/tei_elements.py
"""
import gzip
import sys

from tei_edition.xmlsafe import parse_bytes

src = sys.argv[1]
data = open(src, "rb").read()
tree = parse_bytes(gzip.decompress(data) if src.endswith(".gz") else data, src)
NS = {"t": "http://www.tei-c.org/ns/1.0"}
version = " ".join(tree.xpath("string(//t:edition)", namespaces=NS).split()).split(".  Last")[0].split(". Last")[0]
rows = []
for spec in tree.xpath("//t:elementSpec", namespaces=NS):
    if spec.get("ns") not in (None, "http://www.tei-c.org/ns/1.0"):
        continue
    name = spec.get("ident")
    gloss = " ".join(spec.xpath("string(t:gloss[not(@xml:lang) or @xml:lang='en'][1])", namespaces=NS).split())
    rows.append((name, spec.get("module"), gloss if gloss and gloss != name else ""))
rows.sort()
out = ['"""Every element of TEI P5 (name → its module and English gloss), to tell an element of TEI that the',
       "edition's schema leaves out (\"<app> (apparatus entry) is a TEI element ...\") from a misspelt name.",
       "",
       f"Generated from the TEI P5 source p5subset.xml ({version}; TEI Consortium, CC BY 3.0 / BSD-2-Clause)",
       'by tests/make_tei_elements.py (each elementSpec\'s ident, module and gloss); run it again for a new TEI release.',
       '"""', "", "TEI_ELEMENTS: dict[str, tuple[str, str]] = {"]
for name, module, gloss in rows:
    line = f"    {name!r}: ({module!r}, {gloss!r}),"
    if len(line) > 110:
        line = f"    {name!r}: ({module!r},\n{' ' * 8 + repr(gloss)}),"
    out.append(line)
out.append("}")
print("\n".join(out))
print(len(rows), file=sys.stderr)
