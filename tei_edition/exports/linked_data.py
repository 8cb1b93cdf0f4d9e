"""The register (tei/register/*.xml) as linked data: one CSV table, schema.org JSON-LD
(Person / Organization / Place, sameAs to the authority records) and BEACON link dumps, one per
authority (Wikidata, VIAF, GND), for the entries that carry an authority id.

Read from the TEI structure only: listPerson/person, listOrg/org, listPlace/place with an xml:id, a
name of type="preferred" (else the first name), variants with xml:lang, <idno type="wikidata|viaf|gnd">,
<note type="identification">, birth/death with @when, affiliation/@ref.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .. import TEI_NS, XML_NS, outputs
from ..config import Config
from ..diagnostics import EditionError
from ..xmlsafe import XMLProblem, parse_file
from . import urls
from .metadata import text_of

T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS
XML_LANG = "{%s}lang" % XML_NS

KINDS = {  # TEI entry element → (name element, schema.org type, register group)
    "person": ("persName", "Person", "persons"),
    "org": ("orgName", "Organization", "organisations"),
    "place": ("placeName", "Place", "places"),
}
AUTHORITIES = {  # idno/@type → (URI prefix, pattern of a valid id, BEACON name)
    "wikidata": ("http://www.wikidata.org/entity/", r"Q[1-9][0-9]*", "Wikidata"),
    "viaf": ("http://viaf.org/viaf/", r"[1-9][0-9]*", "VIAF"),
    "gnd": ("https://d-nb.info/gnd/", r"[0-9X-]{7,12}", "GND"),
}


@dataclass
class RegisterEntry:
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
        return KINDS[self.kind][1]

    def same_as(self) -> list[str]:
        return [AUTHORITIES[k][0] + v for k, v in self.authority.items()]


def read_register(paths: list[Path]) -> list[RegisterEntry]:
    entries: list[RegisterEntry] = []
    for path in paths:
        try:
            root = parse_file(path).getroot()
        except XMLProblem as exc:
            raise EditionError(str(exc), hint="fix the register file, then run the export again") from None
        for kind, (name_tag, _, _) in KINDS.items():
            for el in root.iter(T + kind):
                entries.append(_entry(el, kind, name_tag, path))
    return entries


def _entry(el: etree._Element, kind: str, name_tag: str, path: Path) -> RegisterEntry:
    entry_id = el.get(XML_ID)
    if not entry_id:
        raise EditionError(f"{path}:{el.sourceline}: <{kind}> without xml:id",
                           hint="every register entry needs an xml:id (pers-…, org-…, place-…)")
    names = el.findall(T + name_tag)
    if not names:
        raise EditionError(f"{path}:{el.sourceline}: <{kind} xml:id=\"{entry_id}\"> has no <{name_tag}>",
                           hint=f"give the entry at least one <{name_tag} type=\"preferred\">")
    preferred = next((n for n in names if n.get("type") == "preferred"), names[0])
    forms: list[tuple[str, str]] = []
    for n in [preferred] + [n for n in names if n is not preferred and n.get("type") != "sic"]:
        form = (text_of(n), n.get(XML_LANG) or "")
        if form[0] and form not in forms:
            forms.append(form)
    authority = {}
    for idno in el.findall(T + "idno"):
        kind_of = (idno.get("type") or "").lower()
        value = (idno.text or "").strip()
        if kind_of in AUTHORITIES:
            if not re.fullmatch(AUTHORITIES[kind_of][1], value):
                raise EditionError(f"{path}:{idno.sourceline}: {entry_id}: {value!r} is not a {kind_of} id",
                                   hint=f"write the bare id, e.g. {'Q1394' if kind_of == 'wikidata' else '12345678'}")
            authority[kind_of] = value
    note = el.find(f"{T}note[@type='identification']")
    if note is None:
        note = el.find(T + "note")
    birth, death = el.find(T + "birth"), el.find(T + "death")
    return RegisterEntry(
        entry_id, kind, forms[0][0], forms, text_of(note), authority,
        birth.get("when", "") if birth is not None else "", death.get("when", "") if death is not None else "",
        [a.get("ref", "").lstrip("#") for a in el.findall(T + "affiliation") if a.get("ref")], path.name)


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
