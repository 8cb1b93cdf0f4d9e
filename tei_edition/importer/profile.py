"""Per-source import profiles (sources/profiles/NNN.toml): what the raw text cannot tell the importer.

A profile names the layout (which parser reads the source), the document's language and metadata for
its header (title as in the source, author or the evidence that he is unknown, the printed original),
and layout facts: heading lines, document boundaries, supplied headings, known anomalies.

Profiles are written by hand, so a mistake in one is reported with the file, the line of the key, what
is wrong and how to write it, before any parser runs: the header keys every layout shares are checked
on loading, and `Profile.get(key, default)` checks a layout key against the type of its default.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from .. import TEI_NS
from ..diagnostics import EditionError
from .languages import LANGUAGES

EXAMPLE = "see sources/profiles/002.toml (the simplest profile) and the docstring of the layout's parser"

# The keys the writer reads for every layout: dotted key -> (type, what to write when it is wrong).
HEADER_KEYS: dict[str, tuple[type, str]] = {
    "id": (str, 'the document id, e.g. id = "d002"'),
    "source": (str, 'the witness file name, e.g. source = "002_602d0cf3e1612ba8.txt"'),
    "layout": (str, 'the layout name, e.g. layout = "paragraph-per-line"'),
    "lang": (str, 'a language code, e.g. lang = "ru"'),
    "published": (int, "the year, e.g. published = 2026"),
    "other_langs": (list, 'a list of language codes, e.g. other_langs = ["en"]'),
    "header_notes": (list, 'a list of strings, e.g. header_notes = ["The witness ..."]'),
    "witness": (str, 'a string, e.g. witness = "Plain UTF-8 text ..."'),
    "editorial": (str, 'a string, e.g. editorial = "This document was converted ..."'),
    "rights": (str, 'a string naming the holders of the source text, e.g. rights = "Translation © Progress, Moscow, 1989."'),
    "bibl": (str, 'a TEI fragment in a string, e.g. bibl = """<bibl>...</bibl>"""'),
    "title": (dict, 'a table, e.g. [title] text = "..."'),
    "title.text": (str, 'a string, e.g. text = "Title as printed"'),
    "title.en": (str, 'a string, e.g. en = "English title"'),
    "title.supplied": (bool, "true or false"),
    "authors": (list, 'an array of tables, e.g. [[authors]] name = "..."'),
    "changes": (list, 'an array of tables, e.g. [[changes]] when = "2026-11-23" text = "..."'),
}
REQUIRED = ("id", "source", "layout", "lang")

_TYPE_WORDS = {str: "a string in quotes", int: "a whole number", bool: "true or false", list: "a list [...]",
               dict: "a table", float: "a number"}
_PLACEHOLDER = {str: '"..."', int: "12", bool: "true", list: "[...]", dict: "{...}", float: "1.0"}
_TOML_POS = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


@dataclass
class Profile:
    path: Path
    id: str
    source: str
    layout: str
    lang: str
    data: dict[str, Any] = field(default_factory=dict)
    text: str = ""          # the profile as written (to find the line of a key for messages)

    def get(self, dotted: str, default: Any = None) -> Any:
        """The value at a dotted key; when a default is given, the value must have the default's type."""
        node: Any = self.data
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        if default is not None and not _same_type(node, default):
            kind = _TYPE_WORDS.get(type(default), type(default).__name__)
            raise self.error(dotted, f"`{dotted}` is {node!r}, but it must be {kind}",
                             f"write {kind}, e.g. {dotted.split('.')[-1]} = {_toml(default)} (the default)")
        return node

    def entries(self, key: str, required: dict[str, type], optional: dict[str, type] | None = None,
                nonempty: tuple[str, ...] = ()) -> list[dict]:
        """The tables of an array of tables ([[key]]), each checked: required fields present, all typed,
        the `nonempty` ones not "" (an empty text to find would match everywhere)."""
        value = self.get(key, [])
        for i, entry in enumerate(value, start=1):
            line = entry_line(self.text, key, i)
            where = f"{self.path}:{line}" if line else str(self.path)
            example = ", ".join(f"{name} = {_PLACEHOLDER.get(kind, '...')}" for name, kind in required.items())
            if not isinstance(entry, dict):
                raise EditionError(f"{where}: `{key}` entry {i} is {entry!r}, not a table",
                                   hint=f"write [[{key}]] with {example}")
            for name, kind in {**required, **(optional or {})}.items():
                if name not in entry:
                    if name in required:
                        raise EditionError(f"{where}: [[{key}]] entry {i} lacks `{name}`",
                                           hint=f"each [[{key}]] needs {example}")
                elif not _same_type(entry[name], kind()):
                    raise EditionError(f"{where}: [[{key}]] entry {i}: `{name}` is {entry[name]!r}, but it must be "
                                       f"{_TYPE_WORDS.get(kind, kind.__name__)}", hint=f"each [[{key}]] needs {example}")
                elif name in nonempty and not entry[name]:
                    raise EditionError(f"{where}: [[{key}]] entry {i}: `{name}` is empty",
                                       hint=f"copy the text exactly from the source line into `{name}`")
        return value

    def line_of(self, dotted: str) -> int:
        return key_line(self.text, dotted)

    def error(self, dotted: str, message: str, hint: str) -> EditionError:
        line = self.line_of(dotted)
        return EditionError(f"{self.path}:{line}: {message}" if line else f"{self.path}: {message}", hint=hint)


def _same_type(value: Any, default: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"' if len(value) < 40 else '"..."'
    if isinstance(value, dict):
        return "{ ... } (a table)"
    if isinstance(value, list):
        return "[ ... ]"
    return str(value)


def key_line(text: str, dotted: str) -> int:
    """The 1-based line of a key in a TOML text (0 when not found): `[a]` then `b = ...`, or `a.b = ...`."""
    *tables, key = dotted.split(".")
    table = ".".join(tables)
    current = ""
    assign = re.compile(rf"^\s*(?:\"{re.escape(key)}\"|{re.escape(key)})\s*=")
    for n, line in enumerate(text.split("\n"), start=1):
        head = re.match(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?", line)
        if head:
            current = head.group(1)
            if current == dotted:
                return n
            continue
        if current == table and assign.match(line):
            return n
        if not current and table and re.match(rf"^\s*{re.escape(dotted)}\s*=", line):
            return n
    return 0


def entry_line(text: str, key: str, i: int) -> int:
    """The line of the i-th `[[key]]` header (1-based), 0 when not found."""
    head = re.compile(rf"^\s*\[\[\s*{re.escape(key)}\s*\]\]")
    found = [n for n, line in enumerate(text.split("\n"), start=1) if head.match(line)]
    return found[i - 1] if i <= len(found) else 0


def load_profile(path: Path) -> Profile:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EditionError(f"{path}: no import profile for this document", hint=f"write one; {EXAMPLE}") from None
    except UnicodeDecodeError as exc:
        raise EditionError(f"{path}: byte {exc.start} is not UTF-8", hint="save the profile as UTF-8") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        pos = _TOML_POS.search(msg)
        where = f"{path}:{pos.group(1)}:{pos.group(2)}" if pos else str(path)
        raise EditionError(f"{where}: TOML syntax error: {_TOML_POS.sub('', msg)}",
                           hint="fix the TOML syntax at this position (strings in quotes, one key = value a line, "
                                "[table] headers in brackets)") from None
    profile = Profile(path, data.get("id", ""), data.get("source", ""), data.get("layout", ""), data.get("lang", ""),
                      data, text)
    for key in REQUIRED:
        if key not in data:
            raise EditionError(f"{path}: the profile lacks '{key}'", hint=f"add {HEADER_KEYS[key][1]}")
    check_profile(profile)
    return profile


def check_profile(profile: Profile) -> None:
    """The header keys every layout shares: types, [[authors]] and [[changes]] entries, a well-formed bibl."""
    for dotted, (kind, how) in HEADER_KEYS.items():
        value = profile.get(dotted)
        if value is None:
            continue
        if not _same_type(value, kind()):
            raise profile.error(dotted, f"`{dotted}` is {value!r}, but it must be {_TYPE_WORDS[kind]}", f"write {how}")
    for dotted in ("other_langs", "header_notes"):
        for item in profile.get(dotted) or []:
            if not isinstance(item, str):
                raise profile.error(dotted, f"`{dotted}` holds {item!r}, which is not a string",
                                    f"write {HEADER_KEYS[dotted][1]}")
    for dotted in ("lang", "other_langs"):
        value = profile.get(dotted)
        for code in value if isinstance(value, list) else [value] if value is not None else []:
            if code not in LANGUAGES:
                raise profile.error(dotted, f"`{dotted}`: '{code}' is not a language the edition knows",
                                    f"use one of: {', '.join(LANGUAGES)} (a new one is added to LANGUAGES in "
                                    "tei_edition/importer/languages.py, with its name and rules)")
    profile.entries("authors", {"name": str}, {"ref": str})
    profile.entries("changes", {"when": str, "text": str}, {"who": str})
    bibl = profile.get("bibl")
    if bibl is not None:
        try:
            etree.fromstring(f'<wrap xmlns="{TEI_NS}">{bibl}</wrap>'.encode(),
                             etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
        except etree.XMLSyntaxError as exc:
            raise profile.error("bibl", f"`bibl` is not well-formed TEI: {exc.msg}",
                                "close every element and write & as &amp; and < as &lt;") from None
