"""The editors' introduction to a document, written as tei/front/dNNN-intro.xml, moved into the document.

An introduction belongs in its document's <front> (an archive that takes dNNN.xml takes the introduction with it,
and the one XSLT renders it for the web and for print). It is written as a file of its own while other work
changes the documents; `move_intro` puts its <div type="introduction" resp="#ed"> first in the <front>, creating
the <front> before <body> if there is none, and rewrites its pointers for their new place:
"../dNNN.xml#x" (its own document) → "#x", "../dMMM.xml#x" → "dMMM.xml#x", "../register/…" → "register/…".
Everything else in the document stays byte for byte as it was, and fidelity holds (the division has resp="#ed",
which fidelity and annotation skip).

    python -m tei_edition.front move d002 [d000 …]   # writes tei/d002.xml, removes tei/front/d002-intro.xml
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from lxml import etree

from . import TEI_NS
from .config import Config, load
from .diagnostics import EditionError
from .xmlsafe import parse_bytes

T = "{%s}" % TEI_NS


def intro_path(config: Config, doc_id: str) -> Path:
    return config.tei_dir / "front" / f"{doc_id}-intro.xml"


def intro_division(intro_text: str, doc_id: str, shown: str = "intro") -> str:
    """The <div type="introduction"> of an introduction file, as XML text for the document (no namespace
    declaration: it goes into a TEI document), its pointers rewritten for tei/dNNN.xml."""
    tree = parse_bytes(intro_text.encode("utf-8"), shown)
    divs = tree.getroot().findall(f".//{T}div[@type='introduction']")
    if len(divs) != 1 or divs[0].get("{http://www.w3.org/XML/1998/namespace}id") != f"{doc_id}-intro":
        raise EditionError(f"{shown}: expected one <div type=\"introduction\" xml:id=\"{doc_id}-intro\">")
    div = divs[0]
    div.set("{http://www.w3.org/XML/1998/namespace}lang", div.xpath("string(ancestor-or-self::*[@xml:lang][1]/@xml:lang)"))
    for el in div.iter():
        target = el.get("target") if isinstance(el.tag, str) else None
        if target and target.startswith("../"):
            target = target[3:]
            if target.startswith(f"{doc_id}.xml#"):
                target = target[len(doc_id) + 4:]
            el.set("target", target)
    text = etree.tostring(div, encoding="unicode").replace(f' xmlns="{TEI_NS}"', "", 1)
    return re.sub(r"\s+$", "", text)


def move_intro(doc_text: str, intro_text: str, doc_id: str) -> str:
    """doc_text with the introduction as the first division of its <front>."""
    div = intro_division(intro_text, doc_id)
    if re.search(rf'xml:id="{re.escape(doc_id)}-intro"', doc_text):
        raise EditionError(f"{doc_id}: the document already holds an introduction ({doc_id}-intro)")
    front = re.search(r"<front(\s[^>]*)?>\n?", doc_text)
    if front:
        indent = re.search(r"\n([ \t]*)<", doc_text[front.end() - 1:])
        pad = indent.group(1) if indent else "      "
        return doc_text[:front.end()] + pad + div + "\n" + doc_text[front.end():]
    body = re.search(r"\n([ \t]*)<body(\s[^>]*)?>", doc_text)
    if not body:
        raise EditionError(f"{doc_id}: no <front> or <body> to put the introduction before")
    pad = body.group(1)
    block = f"\n{pad}<front>\n{pad}  {div}\n{pad}</front>"
    return doc_text[:body.start()] + block + doc_text[body.start():]


def move(config: Config, doc_ids: list[str]) -> list[Path]:
    done = []
    by_id = {d.id: d for d in config.documents}
    for doc_id in doc_ids:
        if doc_id not in by_id:
            raise EditionError(f"{doc_id}: not a document of edition.toml")
        tei = config.tei_dir / by_id[doc_id].tei
        intro = intro_path(config, doc_id)
        if not intro.exists():
            raise EditionError(f"{intro}: no introduction to move")
        tei.write_text(move_intro(tei.read_text(encoding="utf-8"), intro.read_text(encoding="utf-8"), doc_id),
                       encoding="utf-8")
        intro.unlink()
        done.append(tei)
    return done


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] != "move":
        sys.exit("usage: python -m tei_edition.front move dNNN [dNNN …]")
    try:
        for path in move(load(Path.cwd()), sys.argv[2:]):
            print(f"moved the introduction into {path}")
    except EditionError as exc:
        sys.exit(f"error: {exc}")
