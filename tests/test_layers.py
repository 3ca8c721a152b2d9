"""The layers of docs/architecture.md, enforced on the import graph.

The graph is built with ``ast`` from every module of ``tabletop/``: module-level and
function-level imports alike, plus the modules the two name lists load by name
(``plugins.PLUGIN_MODULES``, ``cli.SUBCOMMANDS``). The test fails on an edge that goes up
a layer, on a part importing another part, on any import cycle between modules, and on
pygame imported outside ``tabletop/ui/``.
"""

from __future__ import annotations

import ast
import functools
import os
from collections import defaultdict

ROOT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tabletop")

#: Bottom to top. A module may import its own layer and the layers below it.
def _parts_list() -> tuple[str, ...]:
    """The engine's parts: the packages of ``plugins.PLUGIN_MODULES`` (scoring's part is its own
    modules, listed in LAYERS). Adding a part adds one line there, and nothing here."""
    from tabletop.plugins import PLUGIN_MODULES

    packages = [name.removesuffix(".plugin") for name in PLUGIN_MODULES]
    return tuple(name for name in packages if not name.startswith("tabletop.scoring"))


#: The engine's parts: none imports another's modules (they ask through ``session.query``).
PARTS = _parts_list()
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("core", ("tabletop.core",)),
    ("base", ("tabletop", "tabletop.i18n", "tabletop.files", "tabletop.logfile", "tabletop.fonts")),
    ("scenario", ("tabletop.scenario",)),
    ("part helpers", ("tabletop.pictures", "tabletop.diagrams", "tabletop.generated", "tabletop.feed")),
    # Scoring's part: its scenario section, checked against the metrics, which read a LogView.
    ("parts", PARTS + ("tabletop.scoring.plugin", "tabletop.scoring.config", "tabletop.scoring.registry",
                       "tabletop.scoring.view", "tabletop.scoring.survival", "tabletop.scoring.metrics",
                       "tabletop.scoring.metrics_injects", "tabletop.scoring.distribution_facts",
                       "tabletop.scoring.requisition_facts", "tabletop.scoring.comms_facts",
                       "tabletop.scoring.crises_facts", "tabletop.scoring.evaluation_facts")),
    ("api", ("tabletop.plugins", "tabletop.api")),
    ("drivers", ("tabletop.replay", "tabletop.runner", "tabletop.scoring", "tabletop.server", "tabletop.paper",
                 "tabletop.bots", "tabletop.batch",
                 "tabletop.requisition.cli", "tabletop.requisition.ledger", "tabletop.reference")),
    ("ui", ("tabletop.ui",)),
    ("cli", ("tabletop.cli",)),
]
#: Name lists whose strings are imports.
NAME_LISTS = {"tabletop.plugins": "PLUGIN_MODULES", "tabletop.cli": "SUBCOMMANDS",
              "tabletop.scoring.metrics": "METRIC_MODULES"}


def _modules() -> dict[str, str]:
    out = {}
    for folder, _, names in os.walk(ROOT):
        for name in names:
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                rel = os.path.relpath(path, os.path.dirname(ROOT))[:-3].replace(os.sep, ".")
                out[rel.removesuffix(".__init__")] = path
    return out


MODULES = _modules()


def _owner(target: str) -> str | None:
    """The module of ``tabletop`` that ``target`` (a module or a name in one) resolves to."""
    while target and target not in MODULES:
        target = target.rpartition(".")[0]
    return target or None


def _type_only(tree: ast.AST) -> set[int]:
    """ids of the nodes under ``if TYPE_CHECKING:`` (never run: not a dependency)."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", getattr(node.test, "attr", None)) == "TYPE_CHECKING":
            out.update(id(n) for child in node.body for n in ast.walk(child))
    return out


@functools.lru_cache(maxsize=None)
def _tree(path: str) -> ast.Module:
    """A module's syntax tree, parsed once for all the tests here."""
    return ast.parse(open(path, encoding="utf-8").read(), path)


def _imports(module: str, path: str) -> set[str]:
    tree = _tree(path)
    package = module if path.endswith("__init__.py") else module.rpartition(".")[0]
    found: set[str] = set()
    skip = _type_only(tree)
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[:len(parts) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
        elif isinstance(node, ast.Assign) and NAME_LISTS.get(module) in {getattr(t, "id", None) for t in node.targets}:
            found.update(e.value for e in ast.walk(node.value) if isinstance(e, ast.Constant) and isinstance(e.value, str))
    return found


@functools.lru_cache(maxsize=1)
def _graph() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(module -> tabletop modules it imports, module -> outside packages it imports), built
    once, when the first test needs it (never at collection)."""
    edges: dict[str, set[str]] = defaultdict(set)
    external: dict[str, set[str]] = defaultdict(set)
    for module, path in MODULES.items():
        for name in _imports(module, path):
            if name == "tabletop" or name.startswith("tabletop."):
                owner = _owner(name)
                if owner and owner != module:
                    edges[module].add(owner)
            else:
                external[module].add(name.split(".")[0])
    return edges, external


def _edges() -> dict[str, set[str]]:
    return _graph()[0]


def _external() -> dict[str, set[str]]:
    return _graph()[1]


def _longest(module: str, prefixes: tuple[str, ...]) -> int:
    return max((len(p) for p in prefixes if module == p or module.startswith(p + ".")), default=-1)


def layer_of(module: str) -> int:
    """The layer whose most specific prefix names ``module``."""
    best, where = -1, -1
    for index, (_, prefixes) in enumerate(LAYERS):
        length = _longest(module, prefixes)
        if length > best:
            best, where = length, index
    assert where >= 0, f"{module} is in no layer of docs/architecture.md"
    return where


def part_of(module: str) -> str | None:
    return next((p for p in PARTS if module == p or module.startswith(p + ".")), None)


def test_every_module_has_a_layer():
    for module in MODULES:
        layer_of(module)


def test_no_edge_goes_up_a_layer():
    wrong = sorted(f"{a} ({LAYERS[layer_of(a)][0]}) -> {b} ({LAYERS[layer_of(b)][0]})"
                   for a, targets in _edges().items() for b in targets if layer_of(b) > layer_of(a))
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_the_core_imports_nothing_outside_the_core():
    wrong = sorted(f"{a} -> {b}" for a, targets in _edges().items() if a.startswith("tabletop.core")
                   for b in targets if not b.startswith("tabletop.core"))
    assert not wrong, "\n".join(wrong)


def test_parts_never_import_each_other():
    wrong = sorted(f"{a} -> {b}" for a, targets in _edges().items() for b in targets
                   if part_of(a) and part_of(b) and part_of(a) != part_of(b)
                   and layer_of(a) == layer_of(b) == layer_of("tabletop.distribution"))
    assert not wrong, "a part reads another through session.query, never its modules:\n" + "\n".join(wrong)


def test_no_import_cycles():
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(_edges().get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(MODULES):
        if module not in index:
            visit(module)
    assert not cycles, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in cycles)


def test_pygame_only_in_the_ui():
    wrong = sorted(m for m, names in _external().items() if {"pygame", "pygame_gui"} & names and not m.startswith("tabletop.ui"))
    assert not wrong, wrong


def test_scoring_reads_the_log_not_the_parts():
    wrong = sorted(f"{a} -> {b}" for a, targets in _edges().items() if a.startswith("tabletop.scoring")
                   for b in targets if part_of(b))
    assert not wrong, "\n".join(wrong)


def test_the_graph_sees_function_level_imports_and_name_lists():
    # The checks above would pass vacuously on an empty graph.
    assert "tabletop.distribution" in _edges()["tabletop.plugins"]  # from PLUGIN_MODULES
    assert "tabletop.server.cli" in _edges()["tabletop.cli"]  # from SUBCOMMANDS
    assert "tabletop.ui.main" in _edges()["tabletop.cli"]  # imported inside a function
    assert layer_of("tabletop.scoring.report") > layer_of("tabletop.scoring.plugin")


#: Modules that open files themselves, and why; every other file goes through tabletop/files.py
#: (whole files, atomic writes) or tabletop/logfile.py (the log).
OPENS_FILES = {
    "tabletop.files": "the IO layer",
    "tabletop.logfile": "the log's one writer and one reader",
    "tabletop.cli": "os.open(os.devnull) to silence a child's output",
    "tabletop.i18n": "the translation tables (package data); tabletop.files renders its messages through them",
}
_OPENERS = {"open", "read_text", "write_text", "read_bytes", "write_bytes"}


def _opens(path: str) -> list[int]:
    tree = _tree(path)
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "open":
            lines.append(node.lineno)
        elif isinstance(func, ast.Attribute) and func.attr in _OPENERS:
            owner = func.value
            # os.open, Path(...).open / read_text ...; not files.read_text or store.open(manifest)
            if isinstance(owner, ast.Name) and owner.id in ("files", "store", "self", "logfile", "webbrowser"):
                continue
            if func.attr == "open" and not (isinstance(owner, ast.Name) and owner.id in ("os", "io", "gzip")):
                continue
            lines.append(node.lineno)
    return lines


def test_only_the_io_layer_opens_files():
    offenders = {}
    for module, path in MODULES.items():
        if not module.startswith("tabletop") or module in OPENS_FILES:
            continue
        found = _opens(path)
        if found:
            offenders[module] = found
    assert not offenders, f"open files through tabletop.files (or list the module in OPENS_FILES with why): {offenders}"


def test_only_the_core_reads_the_parts_slices():
    """Outside the core, a part's state is read through ``session.domain`` (its own), declared
    queries (``session.query``) or, for displays of the truth, ``session.part_state``; never
    ``session.domains``."""
    offenders = {}
    for module, path in MODULES.items():
        if not module.startswith("tabletop") or module.startswith("tabletop.core"):
            continue
        tree = _tree(path)
        found = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Attribute) and node.attr == "domains"]
        if found:
            offenders[module] = found
    assert not offenders, f"reads session.domains: {offenders}"
