"""A small edition project in a temporary folder, made from the real one, for validation tests.

It holds the real ODD, the real model document d002 (optionally edited), a two-entry register, and an
edition.toml listing d002 only, so each test changes one thing and sees exactly its diagnostics.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

from click.testing import CliRunner
from lxml import etree

from tei_edition import TEI_NS
from tei_edition.cli import cli
from tei_edition.schema.odd import EX_NS

ROOT = Path(__file__).resolve().parents[1]

PERSONS = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="register-persons" xml:lang="en">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>Register of persons (test)</title>
        <respStmt><resp>compiled</resp><name>Edition editorial team</name></respStmt></titleStmt>
      <publicationStmt><publisher>Coalition and Opposition edition project</publisher>
        <availability status="free"><licence target="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</licence></availability>
      </publicationStmt>
      <sourceDesc><p>Born digital.</p></sourceDesc>
    </fileDesc>
  </teiHeader>
  <text xml:lang="en">
    <body>
      <listPerson>
        <person xml:id="pers-lenin"><persName type="preferred">Vladimir Lenin</persName></person>
        <person xml:id="pers-kamenev"><persName type="preferred">Lev Kamenev</persName></person>
      </listPerson>
      <listOrg>
        <org xml:id="org-vikzhel" type="trade-union"><orgName type="preferred">Vikzhel</orgName></org>
      </listOrg>
    </body>
  </text>
</TEI>
"""


def make_edition(tmp: Path, d002: str | None = None, persons: str = PERSONS) -> Path:
    (tmp / "tei" / "schema").mkdir(parents=True)
    (tmp / "tei" / "register").mkdir()
    shutil.copy(ROOT / "tei" / "schema" / "edition.odd", tmp / "tei" / "schema" / "edition.odd")
    toml = (ROOT / "edition.toml").read_text(encoding="utf-8")
    (tmp / "edition.toml").write_text(toml.split("[[documents]]")[0] +
                                      '[[documents]]\nid = "d002"\nsource = "002_602d0cf3e1612ba8.txt"\n'
                                      'tei = "d002.xml"\n', encoding="utf-8")
    text = d002 if d002 is not None else model_text()
    (tmp / "tei" / "d002.xml").write_text(text, encoding="utf-8")
    (tmp / "tei" / "register" / "persons.xml").write_text(persons, encoding="utf-8")
    return tmp


def model_text() -> str:
    """A frozen copy of d002 (tests/fixtures/validate): positions in the tests do not move when d002 is curated."""
    return (ROOT / "tests" / "fixtures" / "validate" / "d002-model.xml").read_text(encoding="utf-8")


def run(root: Path, *args: str):
    """`edition --root ROOT validate ARGS` → (exit code, output)."""
    result = CliRunner().invoke(cli, ["--root", str(root), "validate", *args])
    return result.exit_code, result.output


def as_tei(eg: etree._Element) -> etree._Element:
    """An egXML example's element, moved from the Examples namespace into TEI's."""
    el = copy.deepcopy([c for c in eg if isinstance(c.tag, str)][0])
    for node in el.iter():
        if isinstance(node.tag, str) and node.tag.startswith("{%s}" % EX_NS):
            node.tag = "{%s}%s" % (TEI_NS, etree.QName(node).localname)
    etree.cleanup_namespaces(el)
    return el


def example_fragments(odd) -> list[etree._Element]:
    return [as_tei(eg) for spec in odd.elements.values() for eg in spec.examples]


