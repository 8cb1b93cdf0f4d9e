"""Print how complete the register is: life dates, sources and authority ids of the entries that the texts name.

Mentions are counted from the TEI: every pointer in a @ref of the five documents (tei/d*.xml) to a register
entry is one mention. A person "has life dates" when the entry has a birth or a death with a date
(@when, @notBefore, @notAfter, @from or @to); "both" when it has both. The target of issue #12 is life dates
for at least 90% of the persons named two or more times.

Run: .venv/bin/python benchmarks/register_coverage.py [--list]   (--list: the persons still without dates)
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tei_edition import TEI_NS, XML_NS, config, corpus  # noqa: E402
from tei_edition.xmlsafe import parse_file  # noqa: E402

T = "{%s}" % TEI_NS
XID = "{%s}id" % XML_NS
DATED = ("when", "notBefore", "notAfter", "from", "to")


def mentions(cfg: config.Config) -> Counter[str]:
    counts: Counter[str] = Counter()
    for doc in corpus.documents(cfg):
        for el in parse_file(doc.tei_path).getroot().iter():
            for ptr in (el.get("ref") or "").split():
                if ptr.startswith("#"):
                    counts[ptr[1:]] += 1
    return counts


def dated(entry, tag: str) -> bool:
    return any(el.get(a) for el in entry.findall(T + tag) for a in DATED)


def purpose(bibl) -> str:
    """What a reference is cited for: the bracket after "consulted YYYY-MM-DD"."""
    text = " ".join("".join(bibl.itertext()).split())
    found = re.search(r"consulted \d{4}-\d{2}-\d{2} \((.*)\)\.?$", text)
    return found.group(1) if found else ""


def main() -> None:
    cfg = config.load(Path(__file__).resolve().parents[1])
    counts = mentions(cfg)
    entries = {}
    for path in corpus.register_paths(cfg):
        for kind in ("person", "org", "place"):
            for el in parse_file(path).getroot().iter(T + kind):
                entries[el.get(XID)] = (kind, el)
    persons = {i: el for i, (k, el) in entries.items() if k == "person"}
    named2 = [i for i in persons if counts[i] >= 2]
    some = [i for i in named2 if dated(persons[i], "birth") or dated(persons[i], "death")]
    both = [i for i in named2 if dated(persons[i], "birth") and dated(persons[i], "death")]
    print(f"persons: {len(persons)} entries, {sum(1 for i in persons if counts[i])} named in the texts, "
          f"{len(named2)} named two or more times")
    pct = 100 * len(some) / len(named2) if named2 else 0.0
    print(f"life dates, persons named ≥2 times: {len(some)}/{len(named2)} = {pct:.1f}% "
          f"(birth and death: {len(both)}) [target ≥ 90%]")
    alld = [i for i in persons if dated(persons[i], "birth") or dated(persons[i], "death")]
    print(f"life dates, all persons: {len(alld)}/{len(persons)}")
    for kind, label in (("person", "persons"), ("org", "organisations"), ("place", "places")):
        els = [el for k, el in entries.values() if k == kind]
        sourced = sum(1 for el in els if el.find(T + "bibl") is not None
                      or el.find(".//" + T + "bibl") is not None)
        ids = sum(1 for el in els if el.find(T + "idno") is not None)
        print(f"{label}: {len(els)} entries, {sourced} with a named source, {ids} with an identifier")
    orgs = [el for k, el in entries.values() if k == "org"]
    print(f"organisations with dates of existence: {sum(1 for el in orgs if el.find('.//' + T + 'event') is not None)}")
    # a source for the identification: a reference whose stated purpose, "consulted DATE (…)", names it
    ident_src = sum(1 for el in orgs if any("identification" in purpose(b) for b in el.iter(T + "bibl")))
    print(f"organisations with a named source for the identification: {ident_src}/{len(orgs)}")
    print(f"organisations with a parent body: {sum(1 for el in orgs if el.find(T + 'note[@type=' + chr(39) + 'parent' + chr(39) + ']') is not None)}")
    # persons: a reference whose stated purpose names the identification (an encyclopedia page, or for a person
    # known only from these texts the lines of the text that name him)
    pers_ident = sum(1 for el in persons.values() if any(
        "identification" in purpose(b) for b in el.iter(T + "bibl")))
    print(f"persons with a named source for the identification: {pers_ident}/{len(persons)}")
    roles = [i for i, el in persons.items() if el.find(T + "note[@type='roles']") is not None]
    print(f"persons with roles in the texts: {len(roles)}/{len(persons)} "
          f"(named in the texts: {sum(1 for i in roles if counts[i])}/{sum(1 for i in persons if counts[i])})")
    places = [el for k, el in entries.values() if k == "place"]
    print(f"places with coordinates: {sum(1 for el in places if el.find('.//' + T + 'geo') is not None)}")
    unknown = [i for i in persons if counts[i] and i not in set(named2)]
    missing = [i for i in counts if i.startswith(("pers-", "org-", "place-")) and i not in entries]
    if missing:
        print(f"pointers to no register entry: {len(missing)} ({', '.join(sorted(missing)[:8])} …)")
    if "--list" in sys.argv:
        print("\nnamed ≥2 times, no life dates (mentions):")
        for i in sorted(set(named2) - set(some), key=lambda i: -counts[i]):
            print(f"  {counts[i]:4d}  {i}")
        print(f"\nnamed once: {len(unknown)}")
        no_ident = [i for i, el in persons.items()
                    if not any("identification" in purpose(b) for b in el.iter(T + "bibl"))]
        print(f"\nno named source for the identification ({len(no_ident)}): {', '.join(sorted(no_ident))}")


if __name__ == "__main__":
    main()
