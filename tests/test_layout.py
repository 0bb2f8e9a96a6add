"""The package layout: tests mirror the package, imports have no cycle, and layers import downwards.

The imports are read from the source with :mod:`ast` (nothing is imported). An import at module
level runs when the module is imported; an import inside a function runs when the function is
called, so it cannot make an import cycle fail, but it is still a dependency between layers.
"""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "playbook"
TESTS = ROOT / "tests"


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported playbook module
    line: int
    module_level: bool


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    """Every module of the package, by dotted name."""
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "__pycache__" not in p.parts}


def _resolve(name: str) -> str | None:
    """The deepest playbook module that ``name`` (a dotted path, maybe ending in an attribute) names."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules():
            return candidate
        parts.pop()
    return None


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _walk(node: ast.AST, module_level: bool):
    """Import statements under ``node`` with whether they run at import time."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child, module_level
        elif isinstance(child, ast.If) and _is_type_checking(child):
            continue  # for type checkers only: never runs
        elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            yield from _walk(child, False)
        else:  # class bodies, if/try/with blocks at module level run at import time
            yield from _walk(child, module_level)


@cache
def imports() -> tuple[Import, ...]:
    """Every import of a playbook module by a playbook module."""
    found = []
    for name, path in modules().items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node, module_level in _walk(tree, True):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:  # relative import
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [f"{base}.{alias.name}" for alias in node.names]
            for target in targets:
                resolved = _resolve(target) if target.split(".")[0] == "playbook" else None
                if resolved and resolved != name:
                    found.append(Import(name, resolved, node.lineno, module_level))
    return tuple(found)


def cycles(edges: set[tuple[str, str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    graph: dict[str, set[str]] = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def describe(component: list[str], edges: list[Import]) -> str:
    inside = set(component)
    lines = [f"  {e.source} -> {e.target} (line {e.line}{'' if e.module_level else ', in a function'})"
             for e in edges if e.source in inside and e.target in inside]
    return "cycle between " + ", ".join(component) + ":\n" + "\n".join(sorted(set(lines)))


# --- (a) tests mirror the package ------------------------------------------------------------------


def package_folders() -> list[Path]:
    """Folders of the package that hold Python modules (data-only folders, such as translation files,
    have none)."""
    return sorted(p.parent for p in PACKAGE.rglob("__init__.py") if "__pycache__" not in p.parts)


def test_every_package_folder_has_a_test_folder():
    missing = []
    for folder in package_folders():
        tests = TESTS / folder.relative_to(PACKAGE)
        if not list(tests.glob("test_*.py")):
            missing.append(f"{folder.relative_to(ROOT)} -> {tests.relative_to(ROOT)}/test_*.py")
    assert not missing, "package folders without tests at the same path:\n  " + "\n  ".join(missing)


def test_the_layout_reader_sees_the_whole_package():
    assert {"playbook", "playbook.cli", "playbook.sources.census", "playbook.evi.inputs"} <= set(modules())
    assert any(not e.module_level for e in imports()) and any(e.module_level for e in imports())


# --- (b) no import cycle --------------------------------------------------------------------------


def test_no_import_cycle_at_module_level():
    module_level = [e for e in imports() if e.module_level]
    found = cycles({(e.source, e.target) for e in module_level})
    assert not found, "\n".join(describe(c, module_level) for c in found)


def test_cycles_through_function_level_imports_are_reported():
    """Imports inside functions cannot make an import fail, but a cycle through them still ties two
    modules together: it is reported as a warning naming the imports, not a failure."""
    every = list(imports())
    found = cycles({(e.source, e.target) for e in every})
    deferred = [e for e in every if not e.module_level]
    if found:
        warnings.warn(f"{len(deferred)} function-level imports of playbook modules; cycles through them:\n"
                      + "\n".join(describe(c, every) for c in found), stacklevel=1)
    assert all(e.source in modules() and e.target in modules() for e in deferred)


# --- (c) layers import downwards ------------------------------------------------------------------

#: (importers, what they must not import): a prefix of module names each.
FORBIDDEN = [
    (("playbook.sources", "playbook.codes"),
     ("playbook.geo", "playbook.index", "playbook.evi", "playbook.groups", "playbook.service_points",
      "playbook.publish", "playbook.book")),
    (("playbook.geo",), ("playbook.evi", "playbook.service_points", "playbook.publish")),
    (("playbook.index",), ("playbook.evi", "playbook.geo", "playbook.groups")),
]


def _under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def layering_violations() -> list[str]:
    bad = set()
    for importers, forbidden in FORBIDDEN:
        for e in imports():
            if _under(e.source, importers) and _under(e.target, forbidden):
                where = "" if e.module_level else ", in a function"
                bad.add(f"{e.source} -> {e.target} (line {e.line}{where})")
    return sorted(bad)


def test_layers_import_only_downwards():
    bad = layering_violations()
    assert not bad, "imports against the layering:\n  " + "\n  ".join(bad)
