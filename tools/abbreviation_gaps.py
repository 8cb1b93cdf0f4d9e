"""Abbreviations the texts use that the list lacks: a survey over the SOURCES (not the TEI).

Prints (1) recall of the list's forms: occurrences in each witness (the annotator's matcher, case endings
included) and how many of them the TEI links to their entry on the same source line; (2) every word of the
sources that looks like an abbreviation (two or more capitals, or capitals with full stops: «ВЧК», «Ц.К.»,
«Κ.Κ.Ε.») and that no listed form matches, by frequency; (3) a sample of 40 of those occurrences drawn with a
fixed seed, each with its line, to be written down and judged by the editors (an entry is added only with a
named source). Run: .venv/bin/python tools/abbreviation_gaps.py [--seed 14] [--sample 40]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tei_edition import TEI_NS  # noqa: E402
from tei_edition.annotate import abbreviations as ab  # noqa: E402
from tei_edition.annotate.stream import start_line  # noqa: E402
from tei_edition.annotate.text import fold_homoglyphs  # noqa: E402

T = "{%s}" % TEI_NS
CAPS = "A-ZА-ЯЁΑ-ΩΆΈΉΊΌΎΏ"
# a capital-letter abbreviation: «ВЧК», «РКП(б)», «Ц.К.», «Κ.Κ.Ε.», «ГУЛАГ» (two capitals at least)
CANDIDATE = re.compile(rf"(?<![\w.])(?:[{CAPS}]\.){{2,}}|(?<![\w.])[{CAPS}]{{2,}}(?:\([а-яa-z]\)|[а-яa-z]?)(?![\w])")
# Roman numerals (congresses, centuries) are no abbreviations
ROMAN = re.compile(r"^[IVXLCDM]+$")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--sample", type=int, default=40)
    args = ap.parse_args()
    forms = ab.read_forms(ROOT / "tei" / "register" / "abbreviations.xml")
    sources = sorted((ROOT / "sources").glob("0*.txt"))
    total = linked_total = 0
    gaps: Counter[str] = Counter()
    places: list[tuple[str, int, str, str]] = []
    for path in sources:
        doc = "d" + path.name[:3]
        text = path.read_text(encoding="utf-8")
        occ = Counter((line, f.id) for line, f, _ in ab.source_occurrences(text, forms))
        tei = ROOT / "tei" / f"{doc}.xml"
        root = etree.parse(str(tei)).getroot()
        linked = Counter((start_line(a), (a.get("corresp") or "")[1:]) for a in root.find(T + "text").iter(T + "abbr"))
        hit = sum((occ & linked).values())
        total, linked_total = total + sum(occ.values()), linked_total + hit
        print(f"{doc}: {sum(occ.values())} occurrences of listed forms in the source, {hit} linked on their line")
        lines = fold_homoglyphs(text).split("\n")     # («Κ.E.Ε.» with a Latin E is the listed Κ.Ε.Ε.)
        for n, line in enumerate(lines, 1):
            listed = [(s, e) for s, e, _ in ab.find(line, forms)]
            for m in CANDIDATE.finditer(line):
                word = m.group(0)
                if ROMAN.match(word.rstrip(".")) or any(s <= m.start() < e for s, e in listed):
                    continue
                gaps[word] += 1
                places.append((doc, n, word, line.strip()))
    print(f"recall: {linked_total}/{total} = {100 * linked_total / max(total, 1):.2f}%")
    print(f"\ncapital-letter words no listed form matches: {sum(gaps.values())} occurrences, {len(gaps)} words")
    for word, n in gaps.most_common(60):
        print(f"  {n:4d}  {word}")
    rng = random.Random(args.seed)
    print(f"\nsample of {args.sample} occurrences (seed {args.seed}):")
    for doc, n, word, line in sorted(rng.sample(places, min(args.sample, len(places)))):
        print(f"  {doc}:{n}: {word}  | {line[:110]}")


if __name__ == "__main__":
    main()
