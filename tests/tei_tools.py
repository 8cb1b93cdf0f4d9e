"""The TEI's own tools, for tests that check the edition's ODD and documents with them: the TEI
Stylesheets (vendor/tei, via tei_edition.schema.tei_processor), jing, and an ISO Schematron runner for the
TEI's Schematron (queryBinding xslt2).

The runner is the ISO Schematron reference implementation (Rick Jelliffe's skeleton, the copy lxml ships),
run by Saxon: the skeleton writes XSLT 1.0 code for queryBinding "xslt", so the schema is handed over with
that binding and the generated stylesheet is declared 2.0, which makes Saxon evaluate the TEI's XPath 2
tests as XPath 2.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import lxml.isoschematron

from tei_edition.schema.tei_processor import _processor

SKELETON = Path(lxml.isoschematron.__file__).parent / "resources" / "xsl" / "iso-schematron-xslt1"
SVRL = "http://purl.oclc.org/dsdl/svrl"
TEI_ODDS_MODULES = ("header", "core", "tei", "gaiji", "textstructure", "tagdocs", "dictionaries", "linking",
                    "figures")   # the TEI's own schema for ODD documents: P5/Exemplars/tei_odds.odd


def tei_odds_odd() -> bytes:
    """The customisation the TEI uses to check ODD files (tei_odds, without its embedded RELAX NG module)."""
    refs = "".join(f'<moduleRef key="{m}"/>' for m in TEI_ODDS_MODULES)
    return ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>TEI for '
            'authoring ODD</title></titleStmt><publicationStmt><p>test</p></publicationStmt><sourceDesc>'
            '<p>P5/Exemplars/tei_odds.odd</p></sourceDesc></fileDesc></teiHeader><text><body>'
            '<schemaSpec ident="tei_odds" start="TEI schemaSpec elementSpec classSpec macroSpec div">'
            f'{refs}<elementSpec ident="teiCorpus" mode="delete" module="core"/></schemaSpec></body></text></TEI>'
            ).encode("utf-8")


@dataclass(frozen=True)
class Finding:
    pattern: str        # the pattern's id (extract-isosch: schematron-constraint-SCHEMA-OWNER-IDENT-N)
    role: str           # "" for an error, else the assertion's role (nonfatal, warning)
    location: str
    text: str


class Schematron:
    """An ISO Schematron schema compiled once, run on files."""

    def __init__(self, schema: bytes):
        proc = _processor()
        xslt = proc.new_xslt30_processor()
        text = re.sub(r'queryBinding="xslt2"', 'queryBinding="xslt"', schema.decode("utf-8"), count=1)
        node = proc.parse_xml(xml_text=text)
        for step in ("iso_dsdl_include.xsl", "iso_abstract_expand.xsl", "iso_svrl_for_xslt1.xsl"):
            stage = xslt.compile_stylesheet(stylesheet_file=str(SKELETON / step))
            out = stage.transform_to_string(xdm_node=node)
            node = proc.parse_xml(xml_text=out)
        out = re.sub(r'(<(?:xsl|axsl):stylesheet[^>]*?)version="1.0"', r'\1version="2.0"', out, count=1)
        self._exe = xslt.compile_stylesheet(stylesheet_text=out)

    def run(self, path: Path) -> list[Finding]:
        from lxml import etree
        proc = _processor()
        svrl = self._exe.transform_to_string(xdm_node=proc.parse_xml(xml_file_name=str(path)))
        report = etree.fromstring(svrl.encode("utf-8"))
        findings, pattern = [], ""
        for el in report:
            if not isinstance(el.tag, str):
                continue
            local = etree.QName(el).localname
            if local == "active-pattern":
                pattern = el.get("id") or ""
            elif local in ("failed-assert", "successful-report"):
                text = " ".join("".join(el.itertext()).split())
                findings.append(Finding(pattern, el.get("role") or "", el.get("location"), text))
        return findings


def jing(rng: Path, files: list[Path]) -> dict[Path, list[str]]:
    """jing's errors per file (one JVM for all of them)."""
    result = subprocess.run(["jing", str(rng), *map(str, files)], capture_output=True, text=True, timeout=600)
    out: dict[Path, list[str]] = {f: [] for f in files}
    by_name = {str(f): f for f in files}
    for line in result.stdout.splitlines():
        m = re.match(r"(.*?):(\d+):(\d+): (error|fatal): (.*)", line)
        if m and m.group(1) in by_name:
            out[by_name[m.group(1)]].append(f"{m.group(2)}:{m.group(3)}: {m.group(5)}")
        elif line.strip():
            raise AssertionError(f"jing said something unexpected: {line}\n{result.stderr}")
    return out
