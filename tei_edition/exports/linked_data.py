"""The register (tei/register/*.xml) as linked data: one CSV table, schema.org JSON-LD
(Person / Organization / Place, sameAs to the authority records) and BEACON link dumps, one per
authority (Wikidata, VIAF, GND), for the entries that carry an authority id.

Read through the register model (register.py): each entry's preferred name, its other names with their
languages (forms marked sic left out), <idno type="wikidata|viaf|gnd"> (checked here: a malformed id is
an error naming its line), the identifying note, birth and death, affiliations.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import outputs, register
from ..config import Config
from ..diagnostics import EditionError
from ..xmlsafe import XMLProblem
from . import urls

SCHEMA_TYPES = {"person": "Person", "org": "Organization", "place": "Place"}
AUTHORITIES = {  # idno/@type → (URI prefix, pattern of a valid id, BEACON name)
    "wikidata": ("http://www.wikidata.org/entity/", r"Q[1-9][0-9]*", "Wikidata"),
    "viaf": ("http://viaf.org/viaf/", r"[1-9][0-9]*", "VIAF"),
    "gnd": ("https://d-nb.info/gnd/", r"[0-9X-]{7,12}", "GND"),
}


@dataclass
class RegisterEntry:
    """One register entry as the linked data says it (made from register.Entry)."""
    id: str
    kind: str                               # person | org | place
    name: str
    names: list[tuple[str, str]]            # (form, xml:lang) of every name, preferred first
    description: str
    authority: dict[str, str] = field(default_factory=dict)   # wikidata → Q1394, ...
    birth: str = ""
    death: str = ""
    affiliations: list[str] = field(default_factory=list)     # entry ids
    source: str = ""                        # the register file

    @property
    def schema_type(self) -> str:
        return SCHEMA_TYPES[self.kind]

    def same_as(self) -> list[str]:
        return [AUTHORITIES[k][0] + v for k, v in self.authority.items()]


def read_register(paths: list[Path]) -> list[RegisterEntry]:
    try:
        entries = register.load(paths)
    except XMLProblem as exc:
        raise EditionError(str(exc), hint="fix the register file, then run the export again") from None
    return [_linked(e) for e in entries.values()]


def _linked(e: register.Entry) -> RegisterEntry:
    where = e.file
    if not e.names:
        tag = register.NAME_TAGS[e.kind]
        raise EditionError(f"{where}:{e.line}: <{e.kind} xml:id=\"{e.id}\"> has no <{tag}>",
                           hint=f"give the entry at least one <{tag} type=\"preferred\">")
    preferred = e.preferred
    forms: list[tuple[str, str]] = []
    for n in [preferred] + [n for n in e.names if n is not preferred and n.type != "sic"]:
        if n is not None and (n.text, n.lang) not in forms:
            forms.append((n.text, n.lang))
    authority = {}
    for idno in e.idnos:
        kind_of = idno.type.lower()
        if kind_of in AUTHORITIES:
            if not re.fullmatch(AUTHORITIES[kind_of][1], idno.value):
                raise EditionError(f"{where}:{idno.line}: {e.id}: {idno.value!r} is not a {kind_of} id",
                                   hint=f"write the bare id, e.g. {'Q1394' if kind_of == 'wikidata' else '12345678'}")
            authority[kind_of] = idno.value
    return RegisterEntry(e.id, e.kind, forms[0][0], forms, e.note, authority, e.birth, e.death,
                         [ref for ref, _ in e.affiliations if ref], Path(e.file).name)


def to_csv(entries: list[RegisterEntry], cfg: Config) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["id", "type", "name", "other_names", "description", "birth", "death", "wikidata", "viaf", "gnd",
                "url"])
    for e in entries:
        others = " | ".join(f"{form}@{lang}" if lang else form for form, lang in e.names[1:])
        w.writerow([e.id, e.schema_type, e.name, others, e.description, e.birth, e.death,
                    e.authority.get("wikidata", ""), e.authority.get("viaf", ""), e.authority.get("gnd", ""),
                    urls.absolute(cfg, urls.register_entry(e.id))])
    return buf.getvalue()


def to_jsonld(entries: list[RegisterEntry], cfg: Config) -> dict:
    graph = []
    for e in entries:
        node: dict = {"@id": urls.absolute(cfg, urls.register_entry(e.id)), "@type": e.schema_type,
                      "identifier": e.id, "name": e.name}
        alternates = [{"@value": form, "@language": lang} if lang else form for form, lang in e.names[1:]]
        if alternates:
            node["alternateName"] = alternates
        if e.description:
            node["description"] = {"@value": e.description, "@language": "en"}
        if e.authority:
            node["sameAs"] = [{"@id": uri} for uri in e.same_as()]
        if e.birth:
            node["birthDate"] = e.birth
        if e.death:
            node["deathDate"] = e.death
        if e.affiliations and e.kind == "person":
            node["affiliation"] = [{"@id": urls.absolute(cfg, urls.register_entry(a))} for a in e.affiliations]
        node["subjectOf"] = {"@id": urls.absolute(cfg, urls.edition_home())}
        graph.append(node)
    # an inline context: the file reads as RDF without fetching anything (schema.org terms, links as @id)
    return {"@context": {"@vocab": "https://schema.org/"}, "@graph": graph}


def to_beacon(entries: list[RegisterEntry], cfg: Config, authority: str, timestamp: str) -> str:
    """A BEACON link dump: one line per entry with this authority id, authority id || edition page."""
    prefix, _, name = AUTHORITIES[authority]
    lines = ["#FORMAT: BEACON", f"#PREFIX: {prefix}", f"#TARGET: {urls.absolute(cfg, 'register/')}{{ID}}.html",
             f"#NAME: {cfg.title}", f"#DESCRIPTION: Register entries of the edition that have a {name} id.",
             f"#INSTITUTION: {cfg.publisher}", f"#FEED: {urls.absolute(cfg, beacon_path(authority))}",
             f"#TIMESTAMP: {timestamp}"]
    for e in entries:
        if authority in e.authority:
            lines.append(f"{e.authority[authority]}||{e.id}")
    return "\n".join(lines) + "\n"


def beacon_path(authority: str) -> str:
    return f"data/register/beacon-{authority}.txt"


def write_linked_data(cfg: Config, paths: list[Path], site: Path, timestamp: str) -> list[Path]:
    entries = read_register(paths)
    out = site / "data" / "register"
    out.mkdir(parents=True, exist_ok=True)
    files = {"register.csv": to_csv(entries, cfg),
             "register.jsonld": json.dumps(to_jsonld(entries, cfg), ensure_ascii=False, indent=1) + "\n"}
    for authority in AUTHORITIES:
        files[Path(beacon_path(authority)).name] = to_beacon(entries, cfg, authority, timestamp)
    written = []
    for name, text in files.items():
        outputs.write_text(out / name, text)
        written.append(out / name)
    return written
