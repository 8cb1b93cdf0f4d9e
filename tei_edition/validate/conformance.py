"""The second level of conformance: TEI documents added from elsewhere (`conformance = "tei"` in edition.toml).

The edition's ODD is the strict profile of the documents the edition makes. A document another project
encoded is held to TEI P5 instead (tei_all, by jing) and to what the toolkit needs to publish it (ids unique,
`#` pointers that resolve, languages declared); where it goes beyond the edition's profile (elements,
attributes and values the ODD leaves out), the validator says so as warnings, one per kind with its count,
never as a wall of errors. A document from elsewhere that TEI P5 refuses (its project's own errors) is
refused by the build until it is fixed, or published as it is when its entry says `conformance = "as-is"`:
its TEI P5 errors are then warnings, counted by kind like the rest.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from ..diagnostics import Diagnostic
from ..links import local_image
from .locate import Locator
from ..paths import TOOL_CACHE

SHOWN_KINDS = 8         # warning kinds listed per file; the rest in one line (a file's report stays short)
SHOWN_EXPECTED = 6      # names listed of what TEI P5 expected at a place (jing lists up to ~50)
FIX_HINT = ("fix it in the document (the TEI Guidelines say what may stand here); or publish it as it is: "
            "conformance = \"as-is\" in its [[documents]] entry of edition.toml")
AS_IS_HINT = "published as it is (conformance = \"as-is\"); fix it in the document to make it TEI P5"
# What the toolkit itself needs of any document: these stay errors at the "tei" level (TEI P5 itself, by
# tei_all, too: its errors are counted by kind like the rest).
NEEDED = frozenset({"id-duplicate", "lang-missing", "doc-id", "name-empty", "date-range"})
# The edition's own conventions, which a document from elsewhere need not follow: left out at the "tei" level.
EDITION_ONLY = frozenset({"lb-duplicate"})

_KINDS = (   # a project-schema message → the kind of feature it is about
    (re.compile(r"^attribute (\S+) is not allowed on <(\w+)>"), r"attribute @\1 on <\2>"),
    (re.compile(r"^<(\w+) (\S+?)=\"[^\"]*\">: value not in"), r"values of @\2 on <\1>"),
    (re.compile(r"^<(\w+)>(?: \([^)]*\))? is a TEI element that the edition's schema does not include"),
     r"element <\1>"),
    (re.compile(r"^<(\w+)> needs attribute (\S+)"), r"<\1> without @\2"),
    (re.compile(r"^<(\w+) (\S+?)=\"[^\"]*\">: '#[^']*' points to nothing"),
     r"'#' pointers of @\2 on <\1> that lead nowhere in the edition (into the other project: not linked)"),
    (re.compile(r"^tei_all: (.*)"), r"\1"),
)


def kind(d: Diagnostic) -> str:
    """The kind of feature a diagnostic is about ("attribute @key on <persName>"), to count them together."""
    for pattern, name in _KINDS:
        m = pattern.match(d.message)
        if m:
            return m.expand(name)
    text = re.sub(r'"[^"]*"|\'[^\']*\'', "…", d.message)       # values vary, the kind does not
    return f"{text[:90]} [{d.rule}]"


def at_tei_level(diags: list[Diagnostic], added: frozenset[str] = frozenset(), as_is: bool = False
                 ) -> list[Diagnostic]:
    """A document added from elsewhere: what the toolkit needs stays an error, what lies outside the edition's
    profile becomes one warning per kind, with its count and its first place (so does a `#` pointer that leads
    nowhere: the pages link only to what exists), and TEI P5's errors one error per kind. An xml:id that another added
    document uses too is a warning: each document is published on pages of its own (the two projects chose
    their ids apart), but the teiCorpus download then holds it twice. `added`: the added files as shown;
    `as_is`: the document is published as it is, TEI P5's errors are warnings."""
    kept: list[Diagnostic] = []
    outside: dict[str, list[Diagnostic]] = {}
    invalid: dict[str, list[Diagnostic]] = {}
    images: list[Diagnostic] = []
    for d in diags:
        if d.rule in EDITION_ONLY:
            continue
        other = re.search(r"also at (.+):\d+$", d.message) if d.rule == "id-duplicate" else None
        if other and other[1] != d.path and other[1] in added:
            outside.setdefault(f"xml:id also used in {other[1]} (another added document)", []).append(d)
            continue
        if d.rule == "image-missing":
            images.append(d)
        elif d.rule == "tei-all":
            invalid.setdefault(shorter(kind(d)), []).append(d)
        elif d.rule in NEEDED or d.rule.startswith(("xml-", "io-", "not-tei")):
            kept.append(d)
        else:
            outside.setdefault(kind(d), []).append(d)
    if len(images) > 1:     # the first missing image, and how many in all
        first = images[0]
        images = [Diagnostic(first.path, first.line, first.col, first.severity,
                             f"{first.message} (and {len(images) - 1} more images not there)", first.rule, first.hint)]
    if as_is:
        return kept + images + summarise(invalid, "warning", "not TEI P5, published as it is", shown=len(invalid),
                                         hint=AS_IS_HINT) + summarise(outside)
    return kept + images + summarise(invalid, "error", "not TEI P5", shown=len(invalid), hint=FIX_HINT) \
        + summarise(outside)


def shorter(message: str) -> str:
    """jing's list of what TEI P5 expects at a place, cut to its first SHOWN_EXPECTED names."""
    def cut(m: re.Match) -> str:
        names = re.findall(r'"[^"]*"', m[2])
        if len(names) <= SHOWN_EXPECTED:
            return m[0]
        return f"{m[1]}{', '.join(names[:SHOWN_EXPECTED])} … ({len(names)} in all)"
    return re.sub(r'(expected (?:the element end-tag or )?elements? )((?:"[^"]*"(?:, | or )?)+)', cut, message)


def summarise(groups: dict[str, list[Diagnostic]], severity: str = "warning",
              what: str = "outside the edition's profile", shown: int = SHOWN_KINDS, hint: str = "",
              ) -> list[Diagnostic]:
    """One diagnostic per kind (its count, at its first place), the most frequent first, at most `shown`; `hint`
    under the first (TEI P5's kinds: how to proceed)."""
    if not groups:
        return []
    ranked = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    out = []
    rule = "tei-all" if what.startswith("not TEI P5") else "profile"
    lead = min(ranked[:shown], key=lambda kv: min((d.line, d.col) for d in kv[1]))[0]   # the hint: on the first
    for name, group in ranked[:shown]:
        first = min(group, key=lambda d: (d.line, d.col))
        count = f"{len(group)} times, first here" if len(group) > 1 else "once"
        out.append(Diagnostic(first.path, first.line, first.col, severity, f"{what} ({count}): {name}", rule,
                              hint if name == lead else ""))
    rest = ranked[shown:]
    if rest:
        first = min((d for _, g in rest for d in g), key=lambda d: (d.line, d.col))
        out.append(Diagnostic(first.path, first.line, first.col, severity,
                              f"{what}: {len(rest)} more kinds "
                              f"({sum(len(g) for _, g in rest)} places), e.g. {rest[0][0]}", "profile",
                              "a document added from elsewhere (conformance = \"tei\") is published as it is; "
                              "to make it the edition's own, encode these features as its ODD says"))
    return out


def missing_images(tree: etree._ElementTree, tei_path: Path, tei_dir: Path, shown: str,
                   loc: Locator) -> list[Diagnostic]:
    """Page images and pictures named as files beside the TEI that are not there (the page shows none)."""
    out = []
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        for att in ("facs", "url"):
            src = el.get(att) or ""
            path = local_image(tei_path, tei_dir, src) if src else None
            if path is not None and not path.is_file():
                line, col = loc.attribute(el, att)
                out.append(Diagnostic(shown, line, col, "warning",
                                      f"the image {src!r} is not in the edition's tei/ folder: no image shown",
                                      "image-missing", "copy the image file there, beside the TEI"))
    return out


def tei_all_rng(project_rng: Path) -> Path:
    """The official tei_all.rng: the project's copy (make setup), else the toolkit checkout's (a new edition
    made by `edition init` has none of its own)."""
    if project_rng.is_file():
        return project_rng
    shared = TOOL_CACHE / "tei" / "tei_all.rng"
    return shared if shared.is_file() else project_rng
