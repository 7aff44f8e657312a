"""The package's import structure: no circle, and the shared layers import no area.

The graph is read from the source with ``ast``: imports at module level and inside
functions alike (a function-level import is still a dependency, only a later one);
imports under ``if TYPE_CHECKING:`` are left out, since they never run.

- An *area* is a sub-package of ``portal`` with pages or an API of its own
  (``portal.clients``, ``portal.slots``, ...).
- The *shared* modules are the top-level modules ``portal/*.py`` and
  ``portal.models``: the app factory (``portal/__init__.py``), the command line
  (``portal/cli.py``) and the demo builders it runs (``portal/demo/``) are the
  places allowed to know every area.
- ``portal.api`` is the API toolkit (auth, body, errors, OpenAPI, tokens): every
  area's ``api.py`` builds on it, so it must not build on them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "portal"

# Sub-packages of portal that are not areas: shared layers every area may use.
SHARED_PACKAGES = {"portal.api", "portal.models"}
# Shared modules allowed to import areas: they assemble the application (the factory, the
# command line, and the demo data that runs every area's demo builder for the CLI).
ASSEMBLERS = {"portal", "portal.cli", "portal.demo"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for sub in child.orelse:
                yield from _import_nodes_of(sub)
            continue
        yield from _import_nodes_of(child)


def _import_nodes_of(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node
    else:
        yield from _import_nodes(node)


def imported_modules(name: str, path: Path, known: set[str]) -> set[str]:
    """The portal modules ``name`` imports (``from X import y`` counts X.y when a module)."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            if node.level:
                base = name.split(".")
                base = base if is_package else base[:-1]
                base = base[: len(base) - (node.level - 1)]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            # ``from X import y``: the module X.y when it is one, else X itself.
            targets = [
                f"{source}.{alias.name}" if f"{source}.{alias.name}" in known else source
                for alias in node.names
            ]
        for target in targets:
            if target in known:
                found.add(target)
            elif target.startswith("portal."):
                # ``import portal.x.y`` of an unknown tail: the closest known parent.
                parent = target.rsplit(".", 1)[0]
                if parent in known:
                    found.add(parent)
    found.discard(name)
    return found


def import_graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imported_modules(name, path, known) for name, path in mods.items()}


def area_of(module: str) -> str | None:
    """``portal.clients.api`` → ``portal.clients``; None for a shared module."""
    parts = module.split(".")
    if len(parts) < 2:
        return None
    top = ".".join(parts[:2])
    if top in SHARED_PACKAGES:
        return None
    if (PACKAGE / parts[1]).is_dir():
        return top
    return None


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph()


def test_the_graph_sees_imports_at_module_and_function_level(graph: dict[str, set[str]]) -> None:
    # Known edges of both kinds, so an empty graph cannot pass the tests below.
    assert "portal.api.errors" in graph["portal.api.auth"]  # module level
    assert "portal.cli" in graph["portal"]  # inside register_cli()


def test_the_reader_skips_type_checking_and_resolves_relative_imports(tmp_path: Path) -> None:
    source = tmp_path / "probe.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "from portal import clock, models\n"
        "from . import policy\n"
        "if TYPE_CHECKING:\n"
        "    from portal import web\n"
        "else:\n"
        "    import portal.audit\n"
        "def later():\n"
        "    from portal.models import User\n"
    )
    known = {"portal", "portal.clock", "portal.models", "portal.policy", "portal.web"}
    known |= {"portal.audit", "portal.x"}
    found = imported_modules("portal.x", source, known)
    assert found == {"portal.clock", "portal.models", "portal.policy", "portal.audit"}


def test_no_import_circle(graph: dict[str, set[str]]) -> None:
    assert cycles(graph) == []


def test_api_toolkit_and_web_layer_import_no_area(graph: dict[str, set[str]]) -> None:
    offending = {
        (module, target)
        for module, targets in graph.items()
        if module == "portal.web" or module == "portal.api" or module.startswith("portal.api.")
        for target in targets
        if area_of(target) is not None
    }
    assert offending == set()


def test_shared_modules_import_no_area(graph: dict[str, set[str]]) -> None:
    offending = {
        (module, target)
        for module, targets in graph.items()
        if area_of(module) is None and module not in ASSEMBLERS
        for target in targets
        if area_of(target) is not None
    }
    assert offending == set()


def test_cycle_finder_finds_a_circle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
