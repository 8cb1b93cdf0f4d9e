"""What `edition annotate` prints: figures per document and the review lists."""

from __future__ import annotations

from . import Result


def document_figures(r: Result, changed: bool) -> str:
    e, d, c = r.entities, r.dates, r.corrections
    kinds = ", ".join(f"{e.by_kind.get(k, 0)} {label}" for k, label in
                      (("person", "persons"), ("org", "organisations"), ("place", "places")))
    return (f"{r.doc}: names {sum(e.by_kind.values())} ({kinds}; {len(e.low)} left unlinked, "
            f"{len(e.tagged)} register entries); dates {d.tagged} ({d.julian} Julian, {d.inferred} year inferred, "
            f"{d.carried} year from earlier paragraphs, "
            f"{len(d.no_year)} without a year left untagged); corrections {len(c.items) + len(e.corrections)}"
            f"{_citations(r)}{_abbreviations(r)}{'' if changed else ' — unchanged'}")


def _abbreviations(r: Result) -> str:
    """"; abbreviations 779 (12 left: crossing a tag)", and each occurrence that could not be wrapped."""
    a = r.abbreviations
    if not (a.wrapped or a.kept or a.unwrapped):
        return ""
    return (f"; abbreviations {a.wrapped + a.kept} linked ({len(a.unwrapped)} left: they cross a tag)"
            + "".join(f"\n  abbreviation not linked: {u}" for u in a.unwrapped))


def _citations(r: Result) -> str:
    """"; citations 132 (119 with pages)", and every citation of citations.tsv that could not be wrapped."""
    c = r.citations
    if not (c.wrapped or c.kept or c.problems or r.events.linked or r.events.kept):
        return ""
    out = f"; citations {c.wrapped + c.kept} ({c.ranges} pages wrapped in this run)"
    if r.parts.tagged:
        out += "; their parts tagged in this run: " + ", ".join(f"{p} {n}" for p, n in sorted(r.parts.tagged.items()))
    if r.events.linked or r.events.kept:
        out += f"; dates on an event's days {r.events.linked + r.events.kept}"
    return out + "".join(f"\n  citation not encoded: {p}" for p in c.problems)


def review_lists(r: Result, limit: int = 60) -> str:
    e, d, c = r.entities, r.dates, r.corrections
    out = [f"{r.doc}: capitalised words inside sentences left untagged (most frequent first):"]
    out += [f"  {n:4d}  {w}" for w, n in e.untagged.most_common(limit)]
    out.append(f"{r.doc}: names left unlinked (cert=\"low\": namesakes), with their candidates, to review:")
    out += [f"  line {line}: {text} → {refs}?" for line, text, refs in e.low]
    out += [f"  line {line}: {text} (tagged by an earlier run)" for line, text in e.low_before]
    out.append(f"{r.doc}: mentions linked by the editors' decisions (tei/register/decisions.tsv): {e.decided}")
    if e.unused_decisions:
        out.append(f"{r.doc}: decisions that found no such name on their line (fix the line or the text):")
        out += [f"  {d.where}: line {d.line}: {d.text} → {d.target}" for d in e.unused_decisions]
    out.append(f"{r.doc}: day and month with no year in the text before them (not tagged):")
    out += [f"  line {line}: {' '.join(text.split())}" for line, text in d.no_year]
    out.append(f"{r.doc}: year inferred from the paragraph (cert=\"medium\"), to check:")
    out += [f"  {text}" for text in d.inferred_texts]
    out.append(f"{r.doc}: year inferred from earlier paragraphs (cert=\"low\"), to check:")
    out += [f"  {text}" for text in d.carried_texts]
    out.append(f"{r.doc}: every date whose year the editors inferred (by an earlier run or the profile's "
               f"[[dates]]), with its evidence:")
    out += [f"  {text}" for text in d.carried_before]
    new = len(c.items) + len(e.corrections)
    out.append(f"{r.doc}: all editorial interventions in the text ({len(r.interventions)}, {new} made by this run):")
    out += [f"  line {line}: {kind}: {a} → {b}" for line, kind, a, b in r.interventions]
    return "\n".join(out)


def impossible_dates(r: Result, path: str) -> list[str]:
    """Dates in the text that name no real day (31 June): never tagged, always said, for the editors to decide."""
    return [f"{path}:{line}: warning: '{text}' in {where} is not a day of the calendar; left untagged\n"
            "  hint: if the source misprints it, encode <choice><sic>…</sic><corr resp=\"#ed\">…</corr></choice> "
            "with the right day, then annotate again" for line, text, where in r.dates.invalid]
