"""Evaluation samples: source lines drawn with a fixed seed from the witnesses (sources/*.txt), not our TEI.

Two draws, per document, each with its own seeded generator (one document's draw never moves another's):

- names: min(120, eligible) lines, notes and text in proportion to their shares of the document's eligible
  lines (rounded); the hand reading writes down every name on them.
- dates: the eligible lines whose text matches DATE_CANDIDATE, a deliberately generous pattern (years,
  months in Russian, Greek and English, numeric dates, decades, centuries), in a seeded random order. The
  hand reading takes them in that order until 40 lines holding a date expression are read (or the candidates
  run out); a candidate line without a date stays in the sample, recorded as such, so the pattern never
  decides what counts.

Which lines are note lines, and which are print or web residue, is read from the source layout by the
document's import parser (the neutral Record: every source line starts inside a block, a note or a residue),
never from the curated TEI that the tagging changes. Residue is skipped only when it is not the text's own
content (SKIPPED says why); 003's photo caption is content and stays in.

Run `python -m tei_edition.annotate.sample names|dates [IDS]` to print the drawn lines as a worksheet.
"""

from __future__ import annotations

import dataclasses
import random
import re
import sys
import unicodedata
from dataclasses import dataclass

from ..config import Config
from ..corpus import Document

SEED = "coalition-evaluation-2026-12"
NAMES_PER_DOCUMENT = 120
DATED_LINES_PER_DOCUMENT = 40

# Residue kinds of the import Record that are not the text's content, and why they are left out.
SKIPPED = {
    "pageNum": "a printed page number (print furniture)",
    "runningHead": "a running head (print furniture)",
    "separator": "a section separator (***), no words",
    "web": "web-page chrome (the site's publication and modification timestamps)",
    "comment": "web-page chrome (the site's comment form and its policy)",
    "duplicate-title": "the web page printing the article's title a second time (read at its first place)",
}

_RU_MONTHS = (r"январ\w*|феврал\w*|март\w*|апрел\w*|ма[йяюе]|июн\w*|июл\w*|август\w*|сентябр\w*|октябр\w*|"
              r"ноябр\w*|декабр\w*|янв\.|фев\.|февр\.|апр\.|авг\.|сент?\.|окт\.|нояб?\.|дек\.")
_EL_MONTHS = (r"ιανουαρ\w*|φεβρουαρ\w*|φλεβαρ\w*|μαρτ(?:ιος|ιου|ιο|η)|απριλ\w*|μαι(?:ος|ου|ο)|μαη|"
              r"ιουν\w*|ιουλ\w*|αυγουστ\w*|σεπτεμβρ\w*|οκτωβρ\w*|νοεμβρ\w*|δεκεμβρ\w*")
_EN_MONTHS = (r"january|february|march|april|may|june|july|august|september|october|november|december|"
              r"jan\.|feb\.|mar\.|apr\.|jun\.|jul\.|aug\.|sept?\.|oct\.|nov\.|dec\.")
DATE_CANDIDATE = re.compile(
    r"\b(?:1[5-9]\d\d|20[0-2]\d)\b"                          # a year, 1500-2029
    r"|\b\d{1,2}\s*[./]\s*\d{1,2}\b"                         # a numeric day.month (16.1.1924, 26.6.)
    r"|\b\d0-?[еехx]\b|\b\d0-?(?:ых|ые|ies|s)\b"             # decades: 20-е, 20-х, 1920s
    r"|\b[XVI]{1,5}\s*(?:век\w*|в\.|вв\.|αι\.?|αιων\w*|century)"   # centuries
    rf"|\b(?:{_RU_MONTHS}|{_EL_MONTHS}|{_EN_MONTHS})(?!\w)",
    re.IGNORECASE)


@dataclass(frozen=True)
class Line:
    doc: str
    n: int            # 1-based source line number
    part: str         # "text" or "note"
    text: str


def _fold(text: str) -> str:
    """Lower case without accents (Greek month names are printed with and without them)."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()


def candidate_text(lines: list[str], n: int) -> str:
    """Line n (1-based) with the first word of the next line, joined without a line-end hyphen: a date that
    starts on line n and runs over the line end ("25 октя-|бря", "25|октября") is a candidate of line n."""
    line = lines[n - 1].rstrip()
    nxt = lines[n].split() if n < len(lines) else []
    head = nxt[0] if nxt else ""
    return (line[:-1] + head) if line.endswith("-") else f"{line} {head}"


def is_date_candidate(text: str) -> bool:
    return DATE_CANDIDATE.search(_fold(text)) is not None


def classify(doc: Document) -> tuple[list[str], dict[int, str]]:
    """The source's lines and, per non-empty line, where the import parser puts its start: "text", "note",
    or "residue:KIND"."""
    from ..fidelity import source_lines
    from ..importer import record as R
    from ..importer.parsers import LAYOUTS
    from ..importer.profile import load_profile

    profile = load_profile(doc.profile_path)
    lines = source_lines(doc.source_path)
    rec = LAYOUTS[profile.layout](lines, profile)
    where: dict[int, str] = {}

    def walk(obj: object, ctx: str) -> None:
        if isinstance(obj, R.LineBreak):
            where.setdefault(obj.n, ctx)
            return
        if isinstance(obj, R.Note):
            ctx = "note"
        elif isinstance(obj, R.Residue):
            ctx = "residue:" + obj.kind
        if isinstance(obj, list):
            for item in obj:
                walk(item, ctx)
        elif dataclasses.is_dataclass(obj):
            for f in dataclasses.fields(obj):
                walk(getattr(obj, f.name), ctx)

    for part in (rec.front, rec.body, rec.back):
        walk(part, "text")
    return lines, {n: kind for n, kind in where.items() if lines[n - 1].strip()}


def eligible(doc: Document) -> tuple[list[str], list[Line], list[tuple[int, str]]]:
    """The source lines, the lines a sample may draw, and the skipped ones with the reason."""
    lines, where = classify(doc)
    keep, skipped = [], []
    for n in range(1, len(lines) + 1):
        if not lines[n - 1].strip():
            continue
        kind = where.get(n, "text")
        if kind.startswith("residue:") and kind[8:] in SKIPPED:
            skipped.append((n, SKIPPED[kind[8:]]))
            continue
        keep.append(Line(doc.id, n, "note" if kind == "note" else "text", lines[n - 1].rstrip("\n")))
    return lines, keep, skipped


def _rng(kind: str, doc_id: str) -> random.Random:
    return random.Random(f"{SEED}:{kind}:{doc_id}")


def draw_names(doc: Document, size: int = NAMES_PER_DOCUMENT) -> list[Line]:
    """min(size, eligible) lines, notes and text in proportion to their shares, in source order."""
    _, pool, _ = eligible(doc)
    size = min(size, len(pool))
    notes = [x for x in pool if x.part == "note"]
    text = [x for x in pool if x.part == "text"]
    n_notes = round(size * len(notes) / len(pool)) if pool else 0
    rng = _rng("names", doc.id)
    drawn = rng.sample(notes, n_notes) + rng.sample(text, size - n_notes)
    return sorted(drawn, key=lambda x: x.n)


def date_candidates(doc: Document) -> list[Line]:
    """Every eligible line that may hold a date, in the seeded random order the hand reading follows."""
    lines, pool, _ = eligible(doc)
    cands = [x for x in pool if is_date_candidate(candidate_text(lines, x.n))]
    _rng("dates", doc.id).shuffle(cands)
    return cands


def shares(doc: Document) -> dict[str, int]:
    _, pool, skipped = eligible(doc)
    return {"text": sum(x.part == "text" for x in pool), "note": sum(x.part == "note" for x in pool),
            "skipped": len(skipped)}


def _worksheet(cfg: Config, kind: str, ids: list[str]) -> None:
    from ..corpus import documents
    for doc in documents(cfg):
        if ids and doc.id not in ids:
            continue
        lines = classify(doc)[0]
        drawn = draw_names(doc) if kind == "names" else date_candidates(doc)
        s = shares(doc)
        print(f"## {doc.id}: {len(drawn)} lines ({kind}); eligible text {s['text']}, notes {s['note']}, "
              f"skipped residue {s['skipped']}")
        for rank, x in enumerate(drawn, start=1):
            prev = lines[x.n - 2].rstrip() if x.n > 1 else ""
            nxt = lines[x.n].rstrip() if x.n < len(lines) else ""
            print(f"\n[{rank}] {doc.id}:{x.n} ({x.part})\n   < {prev}\n   > {x.text}\n   < {nxt}")


if __name__ == "__main__":
    from ..config import load
    if len(sys.argv) < 2 or sys.argv[1] not in ("names", "dates"):
        sys.exit("usage: python -m tei_edition.annotate.sample names|dates [IDS]")
    _worksheet(load(None), sys.argv[1], sys.argv[2:])
