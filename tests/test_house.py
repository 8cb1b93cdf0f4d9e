"""The house rules a newcomer relies on: docs/internals.md names every module, the package has no import
cycle (imports inside functions included), every command is in the README, the view vocabulary is what web,
print and search key on, and no edition's particulars are written into the toolkit."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from click.testing import CliRunner

from tei_edition.cli import cli
from tei_edition.site.search import EXCLUDE

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "tei_edition"


def modules() -> dict[str, Path]:
    """Dotted name → file, for every module of the package."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def test_internals_names_every_module():
    text = (ROOT / "docs" / "internals.md").read_text(encoding="utf-8")
    missing = []
    for path in modules().values():
        rel = path.relative_to(PACKAGE)
        if path.name == "__init__.py":
            wanted = [f"{rel.parent.as_posix()}/"] if rel.parent.parts else []   # a package by its folder
        else:
            wanted = [rel.as_posix(), rel.name] if rel.parent.parts else [rel.name]
        # a module in a package is named with its folder (`html/stage.py`) or, in the package's row, alone
        if wanted and not any(re.search(rf"(?<![\w/.]){re.escape(w)}", text) for w in wanted):
            missing.append(rel.as_posix())
    assert missing == [], f"docs/internals.md does not name: {missing}"


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules this module imports, wherever the import stands (a function's body included),
    with the packages whose __init__ each import runs."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:        # `import a.b.C` (a class): its module
                target = target.rpartition(".")[0]
            parts = target.split(".")
            # the packages around the target run their __init__ first (not those around this module: they ran)
            found.update(p for p in (".".join(parts[:i]) for i in range(2, len(parts) + 1))
                         if p == target or not (name == p or name.startswith(p + ".")))
    found.discard(name)
    return found & known


def test_no_import_cycles():
    mods = modules()
    graph = {name: _imports(name, path, set(mods)) for name, path in mods.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def connect(v: str) -> None:                         # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in graph:
        if v not in index:
            connect(v)
    assert cycles == []


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = sorted(cli.commands)
    assert len(names) >= 9
    assert [n for n in names if f"`edition {n}" not in readme] == []
    for name in names:                                   # and each has a help with an example
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0 and "Example" in result.output, name


def test_web_print_and_search_key_on_the_view_vocabulary():
    """What belongs to one reading is hidden or shown by data-view, the apparatus styled by data-apparatus;
    no stylesheet hides a reading by a class name, and the search excludes by the vocabulary only."""
    screen = (ROOT / "templates" / "assets" / "edition.css").read_text(encoding="utf-8")
    paper = (ROOT / "templates" / "print" / "print.css").read_text(encoding="utf-8")
    assert '.view-edited [data-view="diplomatic"]' in screen and '.view-diplomatic [data-view="edited"]' in screen
    assert re.search(r'\[data-view="diplomatic"\] \{ display: none; \}', paper)
    assert '[data-apparatus="note"]' in screen and 'float: footnote' in paper.split('[data-apparatus="note"] {')[1][:80]
    for css in (screen, paper):
        for cls in ("tei-sic", "tei-corr", "tei-reg", "tei-orig", "tei-lb", "tei-lb-hyphen", "tei-cb",
                    "tei-note-body", "tei-note-call", "tei-note-label", "tei-pb"):
            assert not re.search(rf"\.{cls}(?![\w-])[^{{]*\{{[^}}]*display", css), cls   # the class itself, not tei-pb-x
    assert all(s.startswith("[data-") for s in EXCLUDE)


def test_no_editions_particulars_in_the_toolkit(cfg):
    """Document ids, the search language and the ZIP's name come from edition.toml and the documents."""
    from tei_edition.exports import zip_folder
    from tei_edition.site.search import search_language
    for path in modules().values():
        assert not re.search(r"d\\d\{3\}", path.read_text(encoding="utf-8")), path   # an id pattern such as d\d{3}
    assert search_language(["el", "ru", "ru"]) == "ru" and search_language(["el", "en"]) == "el"
    assert zip_folder(cfg) == "coalition-edition"              # from base_url
    assert "coalition" not in (PACKAGE / "exports" / "__init__.py").read_text(encoding="utf-8").lower()
