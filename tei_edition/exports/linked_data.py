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
from ..cache import Cache, code_version, digest
from ..config import Config
from ..corpus import read_facts
from ..diagnostics import EditionError
from ..xmlsafe import XMLProblem, parse_file
from . import urls
from .metadata import Rights, document_rights

SCHEMA_TYPES = {"person": "Person", "org": "Organization", "place": "Place"}
AUTHORITIES = {  # idno/@type → (URI prefix, pattern of a valid id, BEACON name)
    "wikidata": ("http://www.wikidata.org/entity/", r"Q[1-9][0-9]*", "Wikidata"),
    "viaf": ("http://viaf.org/viaf/", r"[1-9][0-9]*", "VIAF"),
    "gnd": ("https://d-nb.info/gnd/", r"[0-9X-]{7,12}", "GND"),
    "geonames": ("https://sws.geonames.org/", r"[1-9][0-9]*", "GeoNames"),
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
        # GeoNames' linked-data URI of a feature ends in a slash (https://sws.geonames.org/2017370/)
        return [AUTHORITIES[k][0] + v + ("/" if k == "geonames" else "") for k, v in self.authority.items()]


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
    w.writerow(CSV_COLUMNS)
    for e in entries:
        others = " | ".join(f"{form}@{lang}" if lang else form for form, lang in e.names[1:])
        w.writerow([e.id, e.schema_type, e.name, others, e.description, e.birth, e.death,
                    e.authority.get("wikidata", ""), e.authority.get("viaf", ""), e.authority.get("gnd", ""),
                    e.authority.get("geonames", ""), urls.absolute(cfg, urls.register_entry(e.id))])
    return buf.getvalue()


def register_rights(paths: list[Path]) -> Rights:
    """The register's rights, as its files' headers state them (the statements of files that differ
    joined; a licence of the whole only when every file gives it for the whole)."""
    rights = [document_rights(read_facts(parse_file(p).getroot())) for p in paths]
    statement = " ".join(dict.fromkeys(r.statement for r in rights if r.statement))
    whole = {r.licence for r in rights}
    parts = {r.apparatus_licence for r in rights}
    return Rights(statement, whole.pop() if len(whole) == 1 else "", parts.pop() if len(parts) == 1 else "")


def dataset_node(cfg: Config, rights: Rights, path: str) -> dict:
    """The file itself as a schema.org Dataset: what it is and under which rights."""
    node = {"@id": urls.absolute(cfg, path), "@type": "Dataset", "name": f"{cfg.title}: register",
            "isPartOf": {"@id": urls.absolute(cfg, urls.edition_home())}, **rights.schema_org()}
    if rights.statement and "copyrightNotice" not in node:
        node["copyrightNotice"] = rights.statement
    if cfg.version:
        node["version"] = cfg.version
    return node


def csv_metadata(cfg: Config, rights: Rights) -> dict:
    """CSV on the Web metadata for register.csv (its rights and columns: a CSV file has no header for them)."""
    meta: dict = {"@context": "http://www.w3.org/ns/csvw", "url": "register.csv", "dc:title": f"{cfg.title}: register",
                  "dc:rights": rights.statement}
    if rights.licence:
        meta["dc:license"] = {"@id": rights.licence}
    meta["tableSchema"] = {"columns": [{"name": c, "titles": c} for c in CSV_COLUMNS]}
    return meta


CSV_COLUMNS = ["id", "type", "name", "other_names", "description", "birth", "death", "wikidata", "viaf", "gnd",
               "geonames", "url"]


def entry_node(e: RegisterEntry, cfg: Config) -> dict:
    """One entry in schema.org: the person, organisation or place (the edition is what mentions it)."""
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
    return node


def to_jsonld(entries: list[RegisterEntry], cfg: Config, rights: Rights | None = None) -> dict:
    graph = [dataset_node(cfg, rights, "data/register/register.jsonld")] if rights is not None else []
    graph += [entry_node(e, cfg) for e in entries]
    # an inline context: the file reads as RDF without fetching anything (schema.org terms, links as @id)
    return {"@context": {"@vocab": "https://schema.org/"}, "@graph": graph}


def entry_page_metadata(cfg: Config, entry: register.Entry) -> dict:
    """The meta tags and JSON-LD of a register entry's page: the page is about the entry (schema.org
    Person, Organization or Place, with its authority records as sameAs), not about the edition."""
    e = _linked(entry)
    node = entry_node(e, cfg)
    url = node["@id"]
    jsonld = {"@context": "https://schema.org", "@type": "WebPage", "@id": url + "#page", "url": url,
              "name": e.name, "mainEntity": node,
              "isPartOf": {"@type": "Book", "@id": urls.absolute(cfg, urls.edition_home()), "name": cfg.title}}
    tags = [("DC.title", e.name), ("DC.type", "Text"), ("DC.identifier", url), ("DC.publisher", cfg.publisher),
            ("DC.relation.ispartof", urls.absolute(cfg, urls.edition_home()))]
    if e.description:
        tags.append(("DC.description", e.description))
    return {"meta": [{"name": n, "content": c} for n, c in tags if c], "jsonld": jsonld}


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


def authorities_used(entries: list[RegisterEntry]) -> list[str]:
    return [a for a in AUTHORITIES if any(a in e.authority for e in entries)]


def _linked_data_files(cfg: Config, paths: list[Path], timestamp: str) -> dict[str, str]:
    entries = read_register(paths)
    rights = register_rights(paths)
    files = {"register.csv": to_csv(entries, cfg),
             "register.csv-metadata.json": json.dumps(csv_metadata(cfg, rights), ensure_ascii=False, indent=1) + "\n",
             "register.jsonld": json.dumps(to_jsonld(entries, cfg, rights), ensure_ascii=False, indent=1) + "\n"}
    for authority in authorities_used(entries):    # a BEACON file only for an authority the register has ids of
        files[Path(beacon_path(authority)).name] = to_beacon(entries, cfg, authority, timestamp)
    return files


def beacon_path(authority: str) -> str:
    return f"data/register/beacon-{authority}.txt"


def write_linked_data(cfg: Config, paths: list[Path], site: Path, timestamp: str, store: Cache | None = None,
                      ) -> list[Path]:
    """The register as CSV on the web, JSON-LD and BEACON files into site/data/register; from `store` (the
    build cache) when the register files, the settings and this code are those of the last build (reading
    the register and writing these costs ~0.4 s, a third of a one-document rebuild)."""
    key = digest(*(p.read_bytes() for p in paths), repr(cfg), timestamp,
                 code_version("exports/linked_data.py", "exports/metadata.py", "exports/urls.py", "register.py",
                              "corpus.py", "xmlsafe.py"))
    files = store.get("linked-data", key) if store is not None else None
    if not isinstance(files, dict):
        files = _linked_data_files(cfg, paths, timestamp)
        if store is not None:
            store.put("linked-data", key, files)
    out = site / "data" / "register"
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        outputs.write_text(out / name, text)
        written.append(out / name)
    return written
