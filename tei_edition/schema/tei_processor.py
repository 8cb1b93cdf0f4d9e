"""The TEI Consortium's own ODD processor (vendor/tei, see its README), run by saxonche.

odd2odd merges the edition's customisation with TEI P5 (p5subset.xml) into a compiled ODD, the form every
TEI tool reads; odd2relax turns that into RELAX NG and extract-isosch into ISO Schematron, as Roma and
oXygen do. The project's own compiler reads the compiled ODD, so both start from the same specs.
"""

from __future__ import annotations

import atexit
import gzip
import re
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

from ..diagnostics import EditionError

VENDOR = Path(__file__).resolve().parents[2] / "vendor" / "tei"
ODDS = VENDOR / "stylesheets" / "odds"
P5SUBSET = VENDOR / "p5subset.xml.gz"


def versions() -> str:
    """Which TEI Stylesheets and which TEI P5 the compiled ODD comes from (recorded in it)."""
    stylesheets = (VENDOR / "stylesheets" / "VERSION").read_text(encoding="utf-8").strip()
    return f"TEI Stylesheets {stylesheets}, TEI P5 {_p5_version()}"


@lru_cache(maxsize=1)
def _p5_version() -> str:
    with gzip.open(P5SUBSET, "rt", encoding="utf-8") as f:
        head = f.read(3000)
    m = re.search(r"<ref target=\"[^\"]*readme-[^\"]*\">([^<]+)</ref>", head)
    return m.group(1) if m else "unknown version"


@lru_cache(maxsize=1)
def _processor():
    from saxonche import PySaxonProcessor
    return PySaxonProcessor(license=False)


@lru_cache(maxsize=1)
def _p5subset_uri() -> str:
    """odd2odd reads TEI P5 with document(): it needs a file, unpacked once per process."""
    folder = Path(tempfile.mkdtemp(prefix="tei-p5-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    target = folder / "p5subset.xml"
    with gzip.open(P5SUBSET, "rb") as f:
        target.write_bytes(f.read())
    return target.as_uri()


@lru_cache(maxsize=3)
def _stylesheet(name: str):
    return _processor().new_xslt30_processor().compile_stylesheet(stylesheet_file=str(ODDS / name))


def _run(name: str, source: bytes, source_name: str, **params: str) -> bytes:
    proc = _processor()
    exe = _stylesheet(name)
    exe.clear_parameters()
    for key, value in params.items():
        exe.set_parameter(key, proc.make_string_value(value))
    exe.set_save_xsl_message(True)
    try:
        node = proc.parse_xml(xml_text=source.decode("utf-8"))
        result = exe.transform_to_string(xdm_node=node)
    except Exception as exc:   # saxonche's error text carries the stylesheet's message
        raise EditionError(f"{source_name}: the TEI ODD processor ({name}) failed: {exc}",
                           hint="check the ODD against the TEI's rules (tests/test_odd_tei.py)") from None
    if result is None:
        raise EditionError(f"{source_name}: the TEI ODD processor ({name}) gave no output",
                           hint="check the ODD against the TEI's rules (tests/test_odd_tei.py)")
    return result.encode("utf-8")


def odd2odd(source: bytes, source_name: str = "edition.odd") -> bytes:
    """The compiled ODD: the customisation applied to TEI P5, every spec it uses written out."""
    return _run("odd2odd.xsl", source, source_name, defaultSource=_p5subset_uri())


def odd2relax(compiled: bytes, source_name: str = "edition.odd") -> bytes:
    """The TEI Stylesheets' RELAX NG (XML syntax) from a compiled ODD."""
    return _run("odd2relax.xsl", compiled, source_name)


def extract_schematron(compiled: bytes, source_name: str = "edition.odd") -> bytes:
    """The TEI Stylesheets' ISO Schematron (queryBinding xslt2) from a compiled ODD."""
    return _run("extract-isosch.xsl", compiled, source_name)
