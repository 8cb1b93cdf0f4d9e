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


def htaccess_data() -> str:
    return """# Apache: the downloads of data/ (TEI, JSON-LD, CSV on the Web metadata)
AddType application/tei+xml .xml .odd
AddType application/ld+json .jsonld
AddType application/csvm+json .json
AddType text/csv .csv
AddType text/plain .txt
AddCharset utf-8 .xml .odd .jsonld .json .csv .txt
<IfModule mod_headers.c>
  Header set Access-Control-Allow-Origin "*"
</IfModule>
"""


def headers_file(cfg: Config) -> str:
    """Netlify / Cloudflare Pages `_headers`: a path pattern, then its headers indented."""
    base = site_path(cfg)
    api = f"{base}{urls.DTS}"
    blocks = [(f"{api}*", ["Access-Control-Allow-Origin: *"]),
              (f"{api}index.json", [f"Content-Type: {JSONLD}"]),
              (f"{api}collection.json", [f"Content-Type: {JSONLD}"]),
              (f"{api}collection/*", [f"Content-Type: {JSONLD}"]),
              (f"{api}navigation/*", [f"Content-Type: {JSONLD}"]),
              (f"{api}document/*", [f"Content-Type: {TEI}"]),
              (f"{base}data/tei/*", [f"Content-Type: {TEI}"]),
              (f"{base}data/tei-plain/*", [f"Content-Type: {TEI}"]),
              (f"{base}data/register/*.jsonld", [f"Content-Type: {JSONLD}"])]
    # (no Link header here: a document's files are named by its IRI, "urn:uuid:…", and a colon in a
    # _headers path is a placeholder; Apache and nginx add it from the path)
    return "".join(f"{path}\n" + "".join(f"  {h}\n" for h in headers) for path, headers in blocks)


def nginx_conf(cfg: Config) -> str:
    base = site_path(cfg)
    collection = urls.absolute(cfg, urls.DTS + "collection/")
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
    types {{ application/tei+xml xml odd; application/ld+json jsonld; application/csvm+json json;
            text/csv csv; text/plain txt; application/zip zip; }}
    charset utf-8;
    charset_types application/tei+xml application/ld+json application/csvm+json text/csv text/plain;
    add_header Access-Control-Allow-Origin "*" always;
}}
"""


def files(cfg: Config) -> dict[str, str]:
    """Site-relative path → text of every hosting file."""
    return {f"{urls.DTS}.htaccess": htaccess_api(cfg), "data/.htaccess": htaccess_data(),
            "_headers": headers_file(cfg), "data/hosting/nginx.conf": nginx_conf(cfg)}
