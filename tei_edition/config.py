"""The edition's configuration (edition.toml) as typed objects."""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import EditionError
from .links import is_web_address


@dataclass(frozen=True)
class Editor:
    id: str
    name: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class DocumentEntry:
    id: str
    source: str               # the raw witness in sources/; "" for a TEI document added from elsewhere
    tei: str
    # "edition": the edition's ODD; "tei": TEI P5 (tei_all) and what the toolkit needs; "as-is": added from
    # elsewhere although TEI P5 refuses it, published as it is (its TEI P5 errors reported as warnings)
    conformance: str = "edition"


@dataclass(frozen=True)
class Config:
    root: Path
    title: str
    subtitle: str
    short_title: str
    publisher: str
    pub_place: str
    apparatus_language: str
    base_url: str
    licence: str
    licence_url: str
    licence_text: str
    editors: tuple[Editor, ...]
    documents: tuple[DocumentEntry, ...] = field(default=())
    max_tei_mb: float = 48.0     # the largest TEI file read (edition.toml `max_tei_mb`)
    keywords: tuple[str, ...] = ()   # [print] keywords: subjects for the PDFs' metadata
    fonts: tuple[Path, ...] = ()     # [print] fonts: font files (in the folder) for scripts the book face lacks
    version: str = ""            # [release] version: the edition's release (CHANGELOG.md), in the exports, DTS, pages
    identifier: str = ""         # [release] identifier: a persistent identifier (a DOI or handle URL), shown where set
    # [build] scheduler: a Dask scheduler's address for the per-document work ("" = this machine's cores);
    # where the work runs changes nothing in the output, so it is no part of a cache key (repr)
    scheduler: str = field(default="", repr=False, compare=False)

    @property
    def tei_dir(self) -> Path:
        return self.root / "tei"

    @property
    def sources_dir(self) -> Path:
        return self.root / "sources"

    @property
    def schema_dir(self) -> Path:
        return self.root / "tei" / "schema"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def tei_all_rng(self) -> Path:
        return self.root / ".cache" / "tei" / "tei_all.rng"


def find_root(start: Path | None = None) -> Path:
    """The nearest folder upwards that holds edition.toml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "edition.toml").is_file():
            return folder
    raise EditionError(f"{here}: no edition.toml here or in any parent folder",
                       hint="run the command inside an edition project, or pass --root")


# Every key of edition.toml: (type, required, an example to show when it is missing or of the wrong type).
_KEYS: dict[str, tuple[type, bool, str]] = {
    "title": (str, True, 'title = "Coalition and Opposition: ..."'),
    "subtitle": (str, False, 'subtitle = "A digital critical edition of five texts"'),
    "short_title": (str, False, 'short_title = "Coalition and Opposition"'),
    "publisher": (str, True, 'publisher = "Coalition and Opposition edition project"'),
    "pub_place": (str, False, 'pub_place = "Published online"'),
    "apparatus_language": (str, False, 'apparatus_language = "en"'),
    "base_url": (str, False, 'base_url = "https://example.org/edition/"'),
    "licence": (str, True, 'licence = "CC-BY-4.0"'),
    "licence_url": (str, True, 'licence_url = "https://creativecommons.org/licenses/by/4.0/"'),
    "licence_text": (str, True, 'licence_text = "The encoding ... is published under ..."'),
    "max_tei_mb": (float, False, "max_tei_mb = 48"),
    "release": (dict, False, '[release] version = "1.0.0" identifier = "https://doi.org/10.5281/zenodo.1234567" '
                             '(at the end of the file)'),
    "print": (dict, False, '[print] keywords = ["critical edition", "Russian Revolution"] (at the end of the file)'),
    "build": (dict, False, '[build] scheduler = "tcp://scheduler-host:8786" (at the end of the file)'),
    "editors": (list, True, '[[editors]] id = "ed" name = "Edition editorial team" roles = ["general editor"]'),
    "documents": (list, False, '[[documents]] id = "d002" source = "002_602d0cf3e1612ba8.txt" tei = "d002.xml"'),
}
_ENTRY_KEYS: dict[str, dict[str, tuple[type, bool, str]]] = {
    "editors": {"id": (str, True, 'id = "ed"'), "name": (str, True, 'name = "Edition editorial team"'),
                "roles": (list, False, 'roles = ["general editor", "annotation"]')},
    "documents": {"id": (str, True, 'id = "d002"'), "source": (str, False, 'source = "002_602d0cf3e1612ba8.txt"'),
                  "tei": (str, True, 'tei = "d002.xml"'),
                  "conformance": (str, False, 'conformance = "tei" (a TEI document added from elsewhere)')},
}
_TYPE_WORDS = {str: "a string in quotes", float: "a number", list: "an array of tables [[...]]",
               dict: "a table [...]"}
# The two levels of conformance of a document (`conformance` in [[documents]]): the edition's own ODD for the
# documents it makes (imported from a raw witness, the default), TEI P5 for documents added from elsewhere.
CONFORMANCE = ("edition", "tei", "as-is")
ADDED = ("tei", "as-is")     # the levels of documents added from elsewhere (no raw source)
# Keys that become links in every page (footer, metadata, exports): web addresses by the edition's link rule.
_URL_KEYS = ("base_url", "licence_url")
# Keys that name a file, and the edition's folder the file must be in (resolved: no way out by "..", an
# absolute path or a symbolic link; `edition import` writes the tei file, and witnesses are never written).
_PATH_KEYS = {"documents.tei": "tei", "documents.source": "sources"}
# The largest TEI file the toolkit reads (validate, annotate, build): a witness of the importer's 16 MB limit
# makes 22-48 MB of TEI (d001: 1.35 times its witness; the short d002: 3 times, most of it header).
MAX_TEI_MB = 48.0


def _line(text: str, key: str, table: str = "", entry: int = 0) -> int:
    """The line of `key` (at the top, or in the entry-th [[table]]), or of that [[table]] header; 0 if absent."""
    lines = text.split("\n")
    start, stop = 0, len(lines)
    if table:
        heads = [n for n, ln in enumerate(lines) if re.match(rf"^\s*\[\[\s*{table}\s*\]\]", ln)]
        if entry > len(heads):
            return 0
        start = heads[entry - 1]
        stop = next((n for n in range(start + 1, len(lines)) if lines[n].lstrip().startswith("[")), len(lines))
        if not key:
            return start + 1
    for n in range(start, stop):
        if not table and lines[n].lstrip().startswith("["):
            break
        if re.match(rf"^\s*{re.escape(key)}\s*=", lines[n]):
            return n + 1
    return start + 1 if table else 0


def _check(value, want: type, where: str, what: str, example: str) -> None:
    ok = (isinstance(value, (int, float)) and not isinstance(value, bool) if want is float
          else isinstance(value, want))
    if want is list and ok and what in _ENTRY_KEYS:
        ok = all(isinstance(v, dict) for v in value)
    strings = what.endswith("roles") or what.endswith("keywords") or what == "print.fonts"
    if want is list and ok and strings:
        ok = all(isinstance(v, str) for v in value)
    if not ok:
        shown = value if not isinstance(value, str) else repr(value)
        words = 'a list of strings ["...", "..."]' if strings else _TYPE_WORDS[want]
        raise EditionError(f"{where}: `{what}` is {shown}, but it must be {words}",
                           hint=f"write it like: {example}")


def _outside(folder: Path, value: str) -> str:
    """Why `value` (a path relative to `folder`) names no file inside it, or "" when it does."""
    inside = folder.resolve()
    where = (folder / value).resolve()
    if where == inside:
        return "names no file in the edition's folder"
    return "" if where.is_relative_to(inside) else "is outside the edition's folder"


def _read(root: Path) -> tuple[Path, str, dict]:
    path = root / "edition.toml"
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise EditionError(f"{path}: byte {exc.start} is not UTF-8", hint="save edition.toml as UTF-8") from None
    try:
        return path, text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        pos = re.search(r"\(at line (\d+), column (\d+)\)$", str(exc))
        where = f"{path}:{pos[1]}:{pos[2]}" if pos else str(path)
        what = (str(exc)[:pos.start()] if pos else str(exc)).strip()
        raise EditionError(f"{where}: TOML syntax error: {what}",
                           hint='fix the TOML syntax here: strings in quotes (title = "..."), one key = value '
                                'a line, [[documents]] headers in double brackets') from None


def load(root: Path | None = None) -> Config:
    """edition.toml, every key checked: a missing or mistyped key is reported with its line and an example."""
    root = find_root(root)
    path, text, data = _read(root)
    for key, (want, required, example) in _KEYS.items():
        if key not in data:
            if required:
                raise EditionError(f"{path}: the key `{key}` is missing",
                                   hint=f"add it, e.g. {example} (see README.md)")
            continue
        where = f"{path}:{_line(text, key, key if key in _ENTRY_KEYS else '', 1)}"
        _check(data[key], want, where, key, example)
    data.setdefault("documents", [])     # a new edition (edition init) has none yet
    for table, keys in _ENTRY_KEYS.items():
        for i, entry in enumerate(data[table], start=1):
            for key, (want, required, example) in keys.items():
                where = f"{path}:{_line(text, key, table, i)}"
                if key not in entry:
                    if required:
                        raise EditionError(f"{where}: [[{table}]] entry {i} lacks `{key}`",
                                           hint=f"add it to that entry, e.g. {example}")
                    continue
                _check(entry[key], want, f"{where}: [[{table}]] entry {i}", f"{table}.{key}", example)
    fonts_example = '[print] fonts = ["fonts/NotoSerifHebrew-Regular.ttf"]'
    for key, value in data.get("print", {}).items():     # [print]: the print edition's subjects and fonts
        if key not in ("keywords", "fonts"):
            raise EditionError(f"{path}:{_line(text, key)}: unknown key `{key}` in [print]",
                               hint="[print] knows `keywords` and `fonts`")
        _check(value, list, f"{path}:{_line(text, key)}", f"print.{key}",
               _KEYS["print"][2] if key == "keywords" else fonts_example)
    for value in data.get("print", {}).get("fonts", []):   # font files for scripts the book face lacks
        problem = _outside(root, value) or ("" if (root / value).is_file() else "names no file in the edition's folder")
        if not problem and (root / value).suffix.lower() not in (".ttf", ".otf", ".ttc", ".otc"):
            problem = "is no TrueType or OpenType font file (.ttf, .otf, .ttc)"
        if problem:
            raise EditionError(f"{path}:{_line(text, 'fonts')}: `print.fonts` has {value!r}, which {problem}",
                               hint=f"name a font file inside the edition's folder, e.g. {fonts_example}")
    release = {"version": 'version = "1.0.0"', "identifier": 'identifier = "https://doi.org/10.5281/zenodo.1234567"'}
    for key, value in data.get("release", {}).items():   # [release]: the edition's version and identifier
        if key not in release:
            raise EditionError(f"{path}:{_line(text, key)}: unknown key `{key}` in [release]",
                               hint="[release] knows `version` and `identifier`")
        _check(value, str, f"{path}:{_line(text, key)}", f"release.{key}", release[key])
        if key == "identifier" and value and not is_web_address(value):
            raise EditionError(f"{path}:{_line(text, key)}: `release.identifier` is {value!r}, but it must be a web "
                               "address (http: or https: with a host)", hint=f"write it like: {release[key]}")
    for key, value in data.get("build", {}).items():     # [build]: where the per-document work runs
        if key != "scheduler":
            raise EditionError(f"{path}:{_line(text, key)}: unknown key `{key}` in [build]",
                               hint="[build] knows `scheduler` only (a Dask scheduler's address)")
        _check(value, str, f"{path}:{_line(text, key)}", "build.scheduler", _KEYS["build"][2])
        if value and not re.match(r"^(tcp|tls|inproc|ucx)://\S+$", value):
            raise EditionError(f"{path}:{_line(text, key)}: `scheduler` is {value!r}, not a Dask scheduler's address",
                               hint=_KEYS["build"][2])
    for key in data:
        if key not in _KEYS:    # a misspelt optional key would otherwise be ignored without a word
            close = difflib.get_close_matches(key, _KEYS, n=1)
            raise EditionError(f"{path}:{_line(text, key)}: unknown key `{key}`",
                               hint=f"did you mean `{close[0]}`?" if close else f"known keys: {', '.join(_KEYS)}")
    # two documents on one TEI file would overwrite each other's annotation and pages (a shared source is
    # allowed: the synthetic editions of benchmarks copy one witness many times)
    for table, key in (("editors", "id"), ("documents", "id"), ("documents", "tei")):
        seen: dict[str, int] = {}
        for i, entry in enumerate(data[table], start=1):
            if entry[key] in seen:
                raise EditionError(f"{path}:{_line(text, key, table, i)}: [[{table}]] entry {i} has {key} "
                                   f"'{entry[key]}', like entry {seen[entry[key]]}",
                                   hint=f"each {key} must be unique; give this entry its own {key}")
            seen[entry[key]] = i
    for key in _URL_KEYS:
        value = data.get(key, "")
        if value and not is_web_address(value):
            raise EditionError(f"{path}:{_line(text, key)}: `{key}` is {value!r}, but it must be a web address "
                               "(http: or https: with a host)", hint=f"write it like: {_KEYS[key][2]}")
    for table_key, folder in _PATH_KEYS.items():
        table, key = table_key.split(".")
        for i, entry in enumerate(data[table], start=1):
            if key not in entry:
                continue
            problem = _outside(root / folder, entry[key])
            if problem:
                raise EditionError(f"{path}:{_line(text, key, table, i)}: [[{table}]] entry {i}: `{table_key}` is "
                                   f"{entry[key]!r}, which {problem} {folder}/",
                                   hint=f"name a file inside {folder}/, e.g. {_ENTRY_KEYS[table][key][2]}")
    for i, entry in enumerate(data["documents"], start=1):
        level = entry.get("conformance", "edition")
        if level not in CONFORMANCE:
            raise EditionError(f"{path}:{_line(text, 'conformance', 'documents', i)}: [[documents]] entry {i}: "
                               f"`conformance` is {level!r}, but it must be \"edition\", \"tei\" or \"as-is\"",
                               hint='"edition" for a document the edition imported (its ODD applies), "tei" for a '
                                    'TEI document added from elsewhere (TEI P5 applies), "as-is" for one that TEI P5 '
                                    'refuses, published as it is')
        if level == "edition" and "source" not in entry:
            raise EditionError(f"{path}:{_line(text, 'id', 'documents', i)}: [[documents]] entry {i} lacks `source`",
                               hint='name its raw witness in sources/ (source = "002_….txt"), or, for a TEI '
                                    'document added from elsewhere, write conformance = "tei" (edition add does)')
    if data.get("max_tei_mb", 1) <= 0:
        raise EditionError(f"{path}:{_line(text, 'max_tei_mb')}: `max_tei_mb` is {data['max_tei_mb']}, "
                           "but it must be more than 0", hint=f"e.g. max_tei_mb = {MAX_TEI_MB:g}")
    return Config(
        root=root,
        title=data["title"],
        subtitle=data.get("subtitle", ""),
        short_title=data.get("short_title", data["title"]),
        publisher=data["publisher"],
        pub_place=data.get("pub_place", ""),
        apparatus_language=data.get("apparatus_language", "en"),
        base_url=data.get("base_url", ""),
        licence=data["licence"],
        licence_url=data["licence_url"],
        licence_text=data["licence_text"],
        editors=tuple(Editor(e["id"], e["name"], tuple(e.get("roles", ()))) for e in data["editors"]),
        documents=tuple(DocumentEntry(d["id"], d.get("source", ""), d["tei"], d.get("conformance", "edition"))
                        for d in data["documents"]),
        max_tei_mb=float(data.get("max_tei_mb", MAX_TEI_MB)),
        keywords=tuple(data.get("print", {}).get("keywords", ())),
        fonts=tuple((root / f).resolve() for f in data.get("print", {}).get("fonts", ())),
        version=data.get("release", {}).get("version", ""),
        identifier=data.get("release", {}).get("identifier", ""),
        scheduler=data.get("build", {}).get("scheduler", ""),
    )
