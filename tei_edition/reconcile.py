"""Authority ids for the register through a reconciliation service (W3C Entity Reconciliation API, v0.2).

The protocol is the one OpenRefine speaks, served by Wikidata and lobid-gnd among others:
GET the service URL → its manifest (name, identifierSpace, batchSize); POST `queries=<JSON batch>`
(application/x-www-form-urlencoded) → a result batch `{"q0": {"result": [{"id", "name", "score", ...}]}}`.

Two steps, with an editor between them:
- `query`: every register entry (its English name, its life dates or dates of existence, its kind) is sent to
  the service; every candidate is written, with its score, to a review file (TSV), one row per candidate.
- `apply`: the candidates an editor marked in the review file's first column are written into the register as
  `<idno type="wikidata|gnd|viaf">` with a `<bibl type="reference">` that records where the id came from
  (service, score, date, "accepted by the editors"). Lines are inserted into the register file as text, so
  the rest of the file stays byte for byte as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree

from . import TEI_NS, XML_NS
from .diagnostics import EditionError
from .exports.linked_data import AUTHORITIES
from .xmlsafe import parse_file

T = "{%s}" % TEI_NS
XID = "{%s}id" % XML_NS
KINDS = {"person": "persName", "org": "orgName", "place": "placeName"}
ACCEPT = {"x", "yes", "y", "1", "true", "accept"}
COLUMNS = ["accept", "entry", "kind", "name", "dates", "candidate", "candidate_name", "description", "score",
           "match", "service", "identifier_space"]
# What each known service calls a person, an organisation, a place, and a date of birth/death or of existence.
# Services are recognised by their identifier space (from their manifest); others get no type and no dates.
SERVICE_VOCABULARY = {
    AUTHORITIES["wikidata"][0]: {"types": {"person": "Q5", "org": "Q43229", "place": "Q2221906"},
                                 "birth": "P569", "death": "P570", "founded": "P571", "dissolved": "P576"},
    AUTHORITIES["gnd"][0]: {"types": {"person": "DifferentiatedPerson", "org": "CorporateBody",
                                      "place": "PlaceOrGeographicName"},
                            "birth": "dateOfBirth", "death": "dateOfDeath",
                            "founded": "dateOfEstablishment", "dissolved": "dateOfTermination"},
}
TIMEOUT = 30.0


@dataclass
class Service:
    url: str
    name: str
    identifier_space: str
    batch_size: int

    @property
    def idno_type(self) -> str | None:
        return next((t for t, (space, _, _) in AUTHORITIES.items() if _same_space(space, self.identifier_space)),
                    None)


@dataclass
class RegisterItem:
    id: str
    kind: str
    name: str
    start: str       # birth or foundation year ("" when unknown)
    end: str         # death or dissolution year
    path: Path


def _same_space(a: str, b: str) -> bool:
    norm = lambda s: re.sub(r"^https?://", "", s.strip()).rstrip("/")  # noqa: E731
    return norm(a) == norm(b)


# --- the service ----------------------------------------------------------------------------------------------

def _request(url: str, data: bytes | None = None) -> bytes:
    req = urllib.request.Request(url, data=data, headers={
        "Accept": "application/json", "User-Agent": "tei-edition reconcile (W3C reconciliation API client)"})
    if data is not None:
        req.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:
            return resp.read()
    except urllib.error.HTTPError as exc:
        raise EditionError(f"the reconciliation service at {url} answered HTTP {exc.code} {exc.reason}",
                           hint="check the service URL (it is the endpoint the manifest is served from)") from None
    except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise EditionError(f"cannot reach the reconciliation service at {url}: {reason}",
                           hint="check the URL and the network; nothing was written") from None


def _json(raw: bytes, url: str, what: str):
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EditionError(f"the service at {url} did not answer with JSON ({what}): {exc}",
                           hint="is this the endpoint of a W3C reconciliation service? nothing was written") from None


def connect(url: str) -> Service:
    """Read the service manifest."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise EditionError(f"not an http(s) URL: {url!r}", hint="e.g. --service https://wikidata.reconci.link/en/api")
    manifest = _json(_request(url), url, "manifest")
    if not isinstance(manifest, dict) or not isinstance(manifest.get("identifierSpace"), str) \
            or not isinstance(manifest.get("name"), str):
        raise EditionError(f"the service at {url} answered JSON that is not a reconciliation manifest "
                           "(it needs name and identifierSpace)",
                           hint="is this the endpoint of a W3C reconciliation service? nothing was written")
    size = manifest.get("batchSize")
    return Service(url, manifest["name"], manifest["identifierSpace"],
                   size if isinstance(size, int) and size > 0 else 10)


def _query(item: RegisterItem, service: Service, limit: int) -> dict:
    vocab = next((v for space, v in SERVICE_VOCABULARY.items() if _same_space(space, service.identifier_space)),
                 None)
    q: dict = {"query": item.name, "limit": limit}
    if vocab:
        q["type"] = vocab["types"][item.kind]
        props = []
        start, end = ("birth", "death") if item.kind == "person" else ("founded", "dissolved")
        if item.start:
            props.append({"pid": vocab[start], "v": item.start})
        if item.end:
            props.append({"pid": vocab[end], "v": item.end})
        if props:
            q["properties"] = props
    return q


def _candidates(answer, key: str, url: str) -> list[dict]:
    bad = EditionError(f"the service at {url} answered something that is not a reconciliation result batch "
                       f"(no valid result for query {key})",
                       hint="is this the endpoint of a W3C reconciliation service? nothing was written")
    if not isinstance(answer, dict) or not isinstance(answer.get(key), dict):
        raise bad
    result = answer[key].get("result")
    if not isinstance(result, list):
        raise bad
    for cand in result:
        if not (isinstance(cand, dict) and isinstance(cand.get("id"), str) and isinstance(cand.get("name"), str)
                and isinstance(cand.get("score"), (int, float)) and not isinstance(cand.get("score"), bool)):
            raise bad
    return sorted(result, key=lambda c: -c["score"])


def query(service: Service, items: list[RegisterItem], limit: int = 3) -> list[dict[str, str]]:
    """Send every item to the service, in batches; return the review rows (one per candidate)."""
    rows: list[dict[str, str]] = []
    for start in range(0, len(items), service.batch_size):
        batch = items[start:start + service.batch_size]
        queries = {f"q{i}": _query(item, service, limit) for i, item in enumerate(batch)}
        body = urllib.parse.urlencode({"queries": json.dumps(queries, ensure_ascii=False)}).encode()
        answer = _json(_request(service.url, body), service.url, "result batch")
        for i, item in enumerate(batch):
            dates = "–".join(x for x in (item.start, item.end)) if item.start or item.end else ""
            cands = _candidates(answer, f"q{i}", service.url)
            if not cands:
                rows.append(_row(item, dates, service, {}))
            for cand in cands:
                rows.append(_row(item, dates, service, cand))
    return rows


def _row(item: RegisterItem, dates: str, service: Service, cand: dict) -> dict[str, str]:
    one_line = lambda s: " ".join(str(s).split())  # noqa: E731
    return {"accept": "", "entry": item.id, "kind": item.kind, "name": item.name, "dates": dates,
            "candidate": one_line(cand.get("id", "")), "candidate_name": one_line(cand.get("name", "")),
            "description": one_line(cand.get("description", "")),
            "score": f"{cand['score']:g}" if cand else "", "match": "yes" if cand.get("match") is True else "",
            "service": service.url, "identifier_space": service.identifier_space}


# --- the register ---------------------------------------------------------------------------------------------

def _year(el: etree._Element | None) -> str:
    if el is None:
        return ""
    for att in ("when", "from", "notBefore"):
        m = re.match(r"-?\d{4}", el.get(att) or "")
        if m:
            return m.group(0)
    return ""


def _end_year(el: etree._Element | None) -> str:
    if el is None:
        return ""
    m = re.match(r"-?\d{4}", el.get("to") or el.get("notAfter") or "")
    return m.group(0) if m else ""


def register_items(paths: list[Path], kinds: set[str], only: set[str] | None = None) -> list[RegisterItem]:
    items = []
    for path in paths:
        root = parse_file(path).getroot()
        for kind, name_tag in KINDS.items():
            if kind not in kinds:
                continue
            for el in root.iter(T + kind):
                eid = el.get(XID) or ""
                if only is not None and eid not in only:
                    continue
                names = el.findall(T + name_tag)
                name = next((" ".join("".join(n.itertext()).split()) for n in names
                             if n.get("type") == "preferred"), "")
                if not name:
                    continue
                if kind == "person":
                    start, end = _year(el.find(T + "birth")), _year(el.find(T + "death"))
                else:
                    ev = el.find(T + "event")
                    start, end = _year(ev), _end_year(ev)
                items.append(RegisterItem(eid, kind, name, start, end, path))
    return items


def write_review(rows: list[dict[str, str]], path: Path, service: Service) -> None:
    buf = io.StringIO()
    buf.write(f"# Candidates from {service.name} ({service.url}), {dt.date.today().isoformat()}.\n"
              "# Mark the right candidate of an entry with x in the accept column, then: edition reconcile apply\n")
    w = csv.DictWriter(buf, COLUMNS, delimiter="\t", lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buf.getvalue(), encoding="utf-8")


def read_review(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise EditionError(f"no review file at {path}", hint="run `edition reconcile query --service URL` first")
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t")
    missing = [c for c in ("accept", "entry", "candidate", "score", "service", "identifier_space")
               if c not in (reader.fieldnames or [])]
    if missing:
        raise EditionError(f"{path}: not a review file of `edition reconcile query` (no column {', '.join(missing)})",
                           hint="write it with `edition reconcile query` and only fill in the accept column")
    return list(reader)


@dataclass
class Accepted:
    entry: str
    idno_type: str
    value: str
    name: str
    score: str
    service: str


def accepted(rows: list[dict[str, str]], review: Path) -> list[Accepted]:
    out: dict[tuple[str, str], Accepted] = {}
    for n, row in enumerate(rows, 2):
        if (row.get("accept") or "").strip().lower() not in ACCEPT:
            continue
        where = f"{review}: row {n} ({row.get('entry')})"
        idno_type = next((t for t, (space, _, _) in AUTHORITIES.items()
                          if _same_space(space, row.get("identifier_space") or "")), None)
        if idno_type is None:
            raise EditionError(f"{where}: the identifier space {row.get('identifier_space')!r} is none of "
                               f"{', '.join(s for s, _, _ in AUTHORITIES.values())}",
                               hint="the register records Wikidata, GND and VIAF ids only")
        value = (row.get("candidate") or "").strip()
        if not re.fullmatch(AUTHORITIES[idno_type][1], value):
            raise EditionError(f"{where}: {value!r} is not a {idno_type} id",
                               hint="accept a row that has a candidate")
        key = (row["entry"], idno_type)
        if key in out and out[key].value != value:
            raise EditionError(f"{where}: two {idno_type} candidates accepted for {row['entry']} "
                               f"({out[key].value} and {value})", hint="accept one candidate per entry")
        out[key] = Accepted(row["entry"], idno_type, value, row.get("candidate_name") or "",
                            row.get("score") or "", row.get("service") or "")
    return list(out.values())


def apply(paths: list[Path], decisions: list[Accepted], today: str | None = None) -> list[str]:
    """Write each accepted id into its entry; return one line per change (or per id already there)."""
    today = today or dt.date.today().isoformat()
    report: list[str] = []
    by_entry = {d.entry: [] for d in decisions}
    for d in decisions:
        by_entry[d.entry].append(d)
    found: set[str] = set()
    for path in paths:
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        root = parse_file(path).getroot()
        edits: list[tuple[int, list[str]]] = []    # (0-based line index to insert before, lines)
        for kind in KINDS:
            for el in root.iter(T + kind):
                eid = el.get(XID)
                if eid not in by_entry:
                    continue
                found.add(eid)
                have = {(i.get("type"), (i.text or "").strip()) for i in el.findall(T + "idno")}
                close = _closing_line(lines, el, kind)
                indent = re.match(r"\s*", lines[el.sourceline - 1]).group(0) + "  "
                idno_at = _idno_line(el, kind, close)
                for d in by_entry[eid]:
                    if (d.idno_type, d.value) in have:
                        report.append(f"{eid}: {d.idno_type} {d.value} already recorded")
                        continue
                    other = [v for t, v in have if t == d.idno_type]
                    if other:
                        raise EditionError(f"{path}:{el.sourceline}: {eid} already has {d.idno_type} {other[0]}, "
                                           f"the review accepts {d.value}",
                                           hint="remove the wrong one from the register or from the review")
                    score = f", score {d.score}" if d.score else ""
                    bibl = (f'<bibl type="reference">{escape(AUTHORITIES[d.idno_type][2])} {escape(d.value)}'
                            f"{' (' + escape(d.name) + ')' if d.name else ''}: candidate of the reconciliation "
                            f"service {escape(d.service)}{escape(score)}, accepted by the editors on {today} "
                            f"(edition reconcile).</bibl>")
                    edits.append((idno_at, [f'{indent}<idno type="{d.idno_type}">{escape(d.value)}</idno>']))
                    edits.append((close, [indent + bibl]))
                    report.append(f"{eid}: {d.idno_type} {d.value} written to {path.name}")
        if edits:
            for at, new in sorted(edits, key=lambda e: e[0], reverse=True):
                lines[at:at] = new
            new_text = "\n".join(lines)
            try:
                etree.fromstring(new_text.encode("utf-8"))
            except etree.XMLSyntaxError as exc:   # never leave a broken register behind
                raise EditionError(f"{path}: the register would not be well-formed after the change ({exc})",
                                   hint="nothing was written; check the entry's layout (one element per line)") from None
            tmp = path.with_suffix(path.suffix + ".tmp")
            tmp.write_text(new_text, encoding="utf-8")
            tmp.replace(path)
    unknown = sorted(set(by_entry) - found)
    if unknown:
        raise EditionError(f"the review accepts ids for entries the register does not have: {', '.join(unknown)}",
                           hint="the review file is older than the register; run `edition reconcile query` again")
    return report


def _closing_line(lines: list[str], el: etree._Element, kind: str) -> int:
    """0-based index of the line that holds the entry's closing tag (entries are not nested)."""
    for i in range(el.sourceline - 1, len(lines)):
        if f"</{kind}>" in lines[i]:
            if lines[i].strip() != f"</{kind}>":
                raise EditionError(f"line {i + 1}: </{kind}> shares its line with other markup",
                                   hint="reconcile writes into registers laid out one element per line")
            return i
    raise EditionError(f"line {el.sourceline}: no </{kind}> after <{kind}>",
                       hint="reconcile writes into registers laid out one element per line")


def _idno_line(el: etree._Element, kind: str, close: int) -> int:
    """Where an idno may stand: before the first note or bibl (persons, organisations), else at the end."""
    if kind == "place":
        return close
    for child in el:
        if isinstance(child.tag, str) and child.tag in (T + "note", T + "bibl", T + "ptr"):
            return child.sourceline - 1
    return close
