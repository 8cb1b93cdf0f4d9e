"""TEI → HTML fragment with the one XSLT (xslt/edition.xsl), run by saxonche.

One Saxon processor per process (saxonche allows no more), one compiled stylesheet reused for every
document. The input is parsed by xmlsafe first (no DTDs, no entities, clear errors); Saxon gets that
parsed tree serialised again, never the file's own text: Saxon's parser would fetch an external DTD and
expand entities, and a re-serialised root element carries no DOCTYPE for it to act on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree
from saxonche import PySaxonProcessor

from ..diagnostics import EditionError
from ..paths import XSLT
from ..xmlsafe import parse_bytes


@dataclass(frozen=True)
class RenderOptions:
    labels: dict[str, str]                  # interface strings for the text (i18n "text" section)
    register_ids: frozenset[str] = frozenset()
    register_url: str = "../register/"     # relative to a reading page (site/dNNN/page.html)
    site_root: str = "../"                 # the site's root, relative to the page (apparatus links)
    apparatus_lang: str = "en"


@lru_cache(maxsize=1)
def _processor() -> PySaxonProcessor:
    return PySaxonProcessor(license=False)


@lru_cache(maxsize=4)
def _executable(xslt_path: str):
    proc = _processor()
    compiler = proc.new_xslt30_processor()
    try:
        return compiler.compile_stylesheet(stylesheet_file=xslt_path)
    except Exception as exc:  # saxonche raises PySaxonApiError with line and column in the text
        raise EditionError(f"{xslt_path}: the stylesheet does not compile: {exc}",
                           hint="fix the XSLT at the position given") from None


def render_bytes(data: bytes, source_name: str, options: RenderOptions, xslt: Path = XSLT) -> str:
    """The HTML fragment (XML serialisation: <article class="edition">…</article>) for one TEI document."""
    tree = parse_bytes(data, source_name)  # refuses unsafe or broken XML with line and column
    return render_tree(tree.getroot(), source_name, options, xslt)


def render_tree(root: etree._Element, source_name: str, options: RenderOptions, xslt: Path = XSLT) -> str:
    """The fragment of a TEI document already parsed by xmlsafe (the html stage parses each file once)."""
    text = etree.tostring(root, encoding="unicode")
    proc = _processor()
    exe = _executable(str(xslt))
    exe.clear_parameters()
    exe.set_parameter("labels", proc.make_string_value(json.dumps(options.labels, ensure_ascii=False)))
    exe.set_parameter("register-ids", proc.make_string_value(" ".join(sorted(options.register_ids))))
    exe.set_parameter("register-url", proc.make_string_value(options.register_url))
    exe.set_parameter("site-root", proc.make_string_value(options.site_root))
    exe.set_parameter("apparatus-lang", proc.make_string_value(options.apparatus_lang))
    exe.set_save_xsl_message(True)
    try:
        node = proc.parse_xml(xml_text=text)
        result = exe.transform_to_string(xdm_node=node)
    except Exception as exc:
        raise EditionError(f"{source_name}: the transformation failed: {exc}",
                           hint="see the XSLT message above; the TEI may break an encoding convention") from None
    if not result:
        raise EditionError(f"{source_name}: the transformation produced nothing", hint="is the root element TEI?")
    return result


def render_file(path: Path, options: RenderOptions, xslt: Path = XSLT) -> str:
    return render_bytes(path.read_bytes(), str(path), options, xslt)
