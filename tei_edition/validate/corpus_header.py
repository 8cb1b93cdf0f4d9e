"""The corpus header (tei/corpus-header.xml), checked as the export publishes it.

The file holds a bare <teiHeader>: the teiCorpus export adds its titleStmt and publicationStmt from
edition.toml. So the project schema checks the header as the export makes it, set in a TEI document of
its own (which the schema's start requires); the edition-wide checks (ids, pointers, languages) read the
file itself, so every position is the file's.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from .. import TEI_NS, XML_NS
from ..config import Config
from ..diagnostics import Diagnostic, EditionError

NAME = "corpus-header.xml"
T = "{%s}" % TEI_NS


def path(cfg: Config) -> Path:
    return cfg.tei_dir / NAME


def as_published(cfg: Config, tree: etree._ElementTree, shown: str) -> tuple[etree._ElementTree | None,
                                                                             list[Diagnostic]]:
    """The header with what the export adds, inside a TEI document; or why the export could not make it."""
    from ..exports.tei_corpus import corpus_header     # the export's own code: what is checked is what it makes
    root = tree.getroot()
    line = root.sourceline or 1
    if root.tag != T + "teiHeader":
        q = etree.QName(root)
        where = f"in namespace {q.namespace}" if q.namespace else "in no namespace"
        return None, [Diagnostic(shown, line, 1, "error", f"the corpus header's root is <{q.localname}> ({where}), "
                                 "not TEI's <teiHeader>", "not-tei",
                                 f'the file holds one <teiHeader xmlns="{TEI_NS}">; see the comment at its top')]
    if root.find(f"{T}fileDesc/{T}sourceDesc") is None:
        return None, [Diagnostic(shown, line, 1, "error", "the corpus header has no <fileDesc> with a <sourceDesc>",
                                 "schema", "keep fileDesc with its sourceDesc: the export adds titleStmt and "
                                 "publicationStmt from edition.toml")]
    added = [el for el in root.iterfind(f"{T}fileDesc/*") if el.tag in (T + "titleStmt", T + "publicationStmt")]
    if added:
        return None, [Diagnostic(shown, el.sourceline or line, 1, "error", f"the corpus header's "
                                 f"<{etree.QName(el).localname}> comes from edition.toml", "schema",
                                 "remove it from the file: the export writes titleStmt (title, subtitle, editors) and "
                                 "publicationStmt (publisher, place, licence) from edition.toml") for el in added]
    try:
        header = corpus_header(cfg, [], dates=[])
    except EditionError as exc:      # the file changed since it was read: say what the export says
        return None, [Diagnostic(shown, line, 1, "error", str(exc).split("\n")[0], "schema", exc.hint or "")]
    tei = etree.Element(T + "TEI", {"{%s}id" % XML_NS: "corpus-header", "{%s}lang" % XML_NS: "en"},
                        nsmap={None: TEI_NS})
    tei.append(header)
    text = etree.SubElement(tei, T + "text", {"{%s}lang" % XML_NS: "en"})
    etree.SubElement(etree.SubElement(text, T + "body"), T + "p").text = "The edition's documents."
    return etree.ElementTree(tei), []
