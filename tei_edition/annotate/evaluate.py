"""Recall and precision of the linking against the hand-checked sample (tests/data/mentions_sample.tsv).

The sample lists, for a set of source lines, EVERY mention of a register entry on those lines: document,
source line, the mention as printed (line-end hyphen dropped), the expected register id. A row with "-" as
mention and id says that the line was read and holds no mention (so any tag on it is a false one). Recall: share of
sample mentions tagged with exactly that id. Precision: share of tags on sampled lines that are in the
sample with the right id.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..diagnostics import EditionError
from .stream import MILESTONES, T
from .text import fold_homoglyphs

TAGS = (T + "persName", T + "orgName", T + "placeName")


@dataclass(frozen=True)
class Expected:
    doc: str
    line: int
    text: str
    ref: str


@dataclass
class Score:
    expected: int = 0
    correct: int = 0
    tagged: int = 0
    misses: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return (self.tagged - len(self.false)) / self.tagged if self.tagged else 1.0


def norm(text: str) -> str:
    return fold_homoglyphs("".join(text.split())).replace("-", "").replace("\u00ad", "")


def load_sample(path: Path) -> list[Expected]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for n, row in enumerate(csv.reader(fh, delimiter="\t"), start=1):
            if not row or row[0].startswith("#"):
                continue
            if len(row) < 4:
                raise EditionError(f"{path}:{n}: expected 4 tab-separated fields (doc, line, mention, ref), got {len(row)}",
                                   hint="fix the sample row")
            out.append(Expected(row[0], int(row[1]), row[2], row[3]))
    return out


def start_line(el: etree._Element) -> int:
    """The source line on which an element's text starts: the last <lb n> before it in reading order.
    A note's lines are its own: the text after a note continues the line of the text before it."""
    for node in el.itersiblings(preceding=True):
        if node.tag == T + "note":
            continue
        lbs = [node] if node.tag == T + "lb" else [x for x in node.iter(T + "lb") if not _in_note(x, node)]
        if lbs and lbs[-1].get("n"):
            return int(lbs[-1].get("n"))
    parent = el.getparent()
    return start_line(parent) if parent is not None else 0


def _in_note(lb: etree._Element, top: etree._Element) -> bool:
    return any(a.tag == T + "note" for a in _ancestors_below(lb, top))


def _ancestors_below(el: etree._Element, top: etree._Element):
    for a in el.iterancestors():
        if a is top:
            return
        yield a


def tagged_mentions(root: etree._Element) -> list[tuple[int, str, str]]:
    out = []
    for el in root.iter(*TAGS):
        if el.xpath("ancestor::*[local-name()='teiHeader']") or not el.get("ref"):
            continue       # an unlinked name (cert="low") claims no link
        text = "".join(x for x in _source_text(el))
        out.append((start_line(el), norm(text), el.get("ref") or ""))
    return out


def _source_text(el: etree._Element):
    """The source reading of a tagged name (sic, orig; not corr, reg)."""
    if el.text:
        yield el.text
    for child in el:
        if child.tag not in (T + "corr", T + "reg") and child.tag not in MILESTONES:
            yield from _source_text(child)
        if child.tail:
            yield child.tail


def score(sample: list[Expected], trees: dict[str, etree._Element]) -> Score:
    s = Score()
    for doc, root in trees.items():
        expected = [e for e in sample if e.doc == doc]
        if not expected:
            continue
        lines = {e.line for e in expected}
        want = Counter((e.line, norm(e.text), e.ref.lstrip("#")) for e in expected if e.text != "-")
        got = Counter((line, text, ref.lstrip("#")) for line, text, ref in tagged_mentions(root) if line in lines)
        s.expected += sum(want.values())
        s.tagged += sum(got.values())
        hit = want & got
        s.correct += sum(hit.values())
        s.misses += [f"{doc}:{k[0]}: {k[1]} → {k[2]}" for k in (want - got).elements()]
        s.false += [f"{doc}:{k[0]}: {k[1]} → {k[2]}" for k in (got - want).elements()]
    return s
