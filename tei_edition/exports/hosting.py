"""Web server configuration shipped with the site, so that the static DTS API and the data are served with
the media types and headers clients expect (a static file says nothing of its own content type):

  api/dts/.htaccess, data/.htaccess  Apache (mod_mime, mod_headers, mod_rewrite; AllowOverride FileInfo)
  _headers                           static hosts that read one (Netlify, Cloudflare Pages)
  data/hosting/nginx.conf            an nginx `location` block to include in the server's configuration

JSON-LD (`application/ld+json`) for the API's .json files, TEI (`application/tei+xml`) for its documents
and the TEI downloads, CORS for the API (browser clients on other hosts), and the `Link: <collection>;
rel="collection"` header the specification asks of a document response. Pure functions of the site's
address and the documents' ids."""

from __future__ import annotations

from urllib.parse import urlsplit

from ..config import Config
from . import urls

JSONLD = "application/ld+json; charset=utf-8"
TEI = "application/tei+xml; charset=utf-8"


def site_path(cfg: Config) -> str:
    """The path of the site on its host ("/coalition-edition/"), from edition.toml base_url."""
    path = urlsplit(cfg.base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def htaccess_api(cfg: Config) -> str:
    collection = urls.absolute(cfg, urls.DTS + "collection/")
    return f"""# Apache: the static DTS API ({urls.DTS}); needs AllowOverride FileInfo, mod_headers and mod_rewrite
AddType application/ld+json .json
AddType application/tei+xml .xml
AddCharset utf-8 .json .xml
<IfModule mod_headers.c>
  Header set Access-Control-Allow-Origin "*"
</IfModule>
# a document response names the collection (the Resource) it belongs to: the resource's IRI is the
# file's name (document/<IRI>.xml) or its folder's (document/<IRI>/<ref>.xml)
<IfModule mod_rewrite.c>
  RewriteEngine On
  RewriteRule ^document/([^/]+?)(\\.xml$|/) - [E=DTS_RESOURCE:$1]
  <IfModule mod_headers.c>
    Header set Link "<{collection}%{{DTS_RESOURCE}}e.json>; rel=\\"collection\\"" env=DTS_RESOURCE
  </IfModule>
</IfModule>
"""


# data/: each kind of file and its media type, one table for the three servers' syntaxes. JSON files differ
# by folder: CSV on the Web metadata beside the register's CSV, CSL-JSON citations (the bibliography, the texts).
DATA_TYPES = ((("xml", "odd"), TEI), (("jsonld",), JSONLD), (("csv",), "text/csv; charset=utf-8"),
              (("txt", "conf"), "text/plain; charset=utf-8"), (("bib",), "application/x-bibtex; charset=utf-8"),
              (("ris",), "application/x-research-info-systems; charset=utf-8"),
              (("rng", "sch"), "application/xml; charset=utf-8"), (("zip",), "application/zip"))
CSVW = "application/csvm+json; charset=utf-8"
CSL = "application/vnd.citationstyles.csl+json; charset=utf-8"
JSON_FOLDERS = (("register", CSVW), ("bibliography", CSL), ("citations", CSL))
WITHOUT_EXTENSION = (("SHA256SUMS", "text/plain; charset=utf-8"),)


def _bare(media_type: str) -> str:
    return media_type.split(";")[0]


def htaccess_data() -> str:
    lines = ["# Apache: the downloads of data/ (TEI, JSON-LD, CSV and its metadata, CSL-JSON, BibTeX, RIS...);",
             "# needs AllowOverride FileInfo (and mod_headers for CORS)"]
    lines += [f"AddType {_bare(t)} " + " ".join(f".{e}" for e in exts) for exts, t in DATA_TYPES]
    lines.append("AddCharset utf-8 " + " ".join(f".{e}" for exts, t in DATA_TYPES if "charset" in t for e in exts))
    lines += ["AddType application/json .json", "AddCharset utf-8 .json"]
    for folder, media_type in JSON_FOLDERS:       # a <Files> section matches names in every folder below
        names = {"register": r"[^/]+\.csv-metadata\.json", "bibliography": r"bibliography\.json",
                 "citations": r"documents\.json"}[folder]
        lines += [f'<FilesMatch "^{names}$">', f'  ForceType "{media_type}"', "</FilesMatch>"]
    for name, media_type in WITHOUT_EXTENSION:
        lines += [f'<Files "{name}">', f'  ForceType "{media_type}"', "</Files>"]
    lines += ["<IfModule mod_headers.c>", '  Header set Access-Control-Allow-Origin "*"', "</IfModule>"]
    return "\n".join(lines) + "\n"


def headers_file(cfg: Config) -> str:
    """Netlify / Cloudflare Pages `_headers`: a path pattern, then its headers indented."""
    base = site_path(cfg)
    api = f"{base}{urls.DTS}"
    blocks = [(f"{api}*", ["Access-Control-Allow-Origin: *"]),
              (f"{api}*.json", [f"Content-Type: {JSONLD}"]),   # one rule a file (Netlify's "x/*" matches x.json)
              (f"{api}document/*", [f"Content-Type: {TEI}"]),
              (f"{base}data/*", ["Access-Control-Allow-Origin: *"])]
    # one Content-Type rule a file: Cloudflare Pages joins the values of every rule a path matches
    blocks += [(f"{base}data/*.{e}", [f"Content-Type: {t}"]) for exts, t in DATA_TYPES for e in exts]
    blocks += [(f"{base}data/{folder}/*.json", [f"Content-Type: {t}"]) for folder, t in JSON_FOLDERS]
    blocks += [(f"{base}data/{name}", [f"Content-Type: {t}"]) for name, t in WITHOUT_EXTENSION]
    # (no Link header here: a document's files are named by its IRI, "urn:uuid:…", and a colon in a
    # _headers path is a placeholder; Apache and nginx add it from the path)
    return "".join(f"{path}\n" + "".join(f"  {h}\n" for h in headers) for path, headers in blocks)


def nginx_conf(cfg: Config) -> str:
    base = site_path(cfg)
    collection = urls.absolute(cfg, urls.DTS + "collection/")
    data_types = " ".join(f"{_bare(t)} {' '.join(exts)};" for exts, t in DATA_TYPES)
    charset_types = " ".join(sorted({_bare(t) for _, t in (*DATA_TYPES, *JSON_FOLDERS) if "charset" in t}
                                    | {"application/json"}))
    json_folders = "\n".join(
        f'    location ~ "^{base}data/{folder}/[^/]+\\.json$" {{\n        types {{ {_bare(t)} json; }}\n'
        f'        add_header Access-Control-Allow-Origin "*" always;\n    }}' for folder, t in JSON_FOLDERS)
    return f"""# nginx: include inside the server block that serves the site (root at the built site's parent
# folder so that {base} maps onto it). The static DTS API answers with JSON-LD and TEI media types.
location {base}{urls.DTS} {{
    types {{ application/ld+json json; application/tei+xml xml; }}
    charset utf-8;
    charset_types application/ld+json application/tei+xml;
    add_header Access-Control-Allow-Origin "*" always;
    location ~ "^{base}{urls.DTS}document/([^/]+?)(\\.xml$|/)" {{
        types {{ application/tei+xml xml; }}
        charset utf-8;
        charset_types application/tei+xml;
        add_header Access-Control-Allow-Origin "*" always;
        add_header Link "<{collection}$1.json>; rel=\\"collection\\"" always;
    }}
}}
location {base}data/ {{
    types {{ {data_types} application/json json; }}
    default_type text/plain;
    charset utf-8;
    charset_types {charset_types};
    add_header Access-Control-Allow-Origin "*" always;
{json_folders}
}}
"""


def files(cfg: Config) -> dict[str, str]:
    """Site-relative path → text of every hosting file."""
    return {f"{urls.DTS}.htaccess": htaccess_api(cfg), "data/.htaccess": htaccess_data(),
            "_headers": headers_file(cfg), "data/hosting/nginx.conf": nginx_conf(cfg)}
