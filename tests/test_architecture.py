"""The layout of the code (docs/architecture.md), read from the source with
``ast`` on every run:

- the core of ``disclosure`` (its top-level modules, ``models/``,
  ``workflow/``) never imports one of its packages (``public/``,
  ``workspace/``, ``oversight/``, ``archive/`` and any package added later)
  nor the wiring;
- a package never imports another package, nor the wiring;
- ``catalog`` never imports ``disclosure``; ``portal`` imports no package of
  ``disclosure`` (its root URLconf includes them by name);
- no import circle among the project's modules;
- no module over :data:`MAX_LINES` lines, except migrations and the modules
  in :data:`LONG_MODULES`.

An import counts wherever it is written (at module level or inside a
function; a function-level import is still a dependency, and a circle hidden
in one is still a circle), except under ``if TYPE_CHECKING:``. Imports by
name in strings (``include("…urls")``, ``INSTALLED_APPS``) are not read.

The wiring joins the parts and may import any of them: ``disclosure.apps``
(registers the packages' models), ``disclosure.demo`` (demo data),
``disclosure.management`` (commands), ``disclosure.templatetags`` (the
template library) and ``portal.urls``.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("disclosure", "catalog", "portal")
MAX_LINES = 450

#: Modules allowed past MAX_LINES, with the reason. Data tables belong here;
#: anything else is a debt with a date.
LONG_MODULES: dict[str, str] = {}

#: Subpackages of disclosure that belong to the core.
CORE_PACKAGES = {"models", "workflow", "scrub"}
#: Modules and subpackages of disclosure that wire the parts together.
WIRING = {"apps", "demo", "management", "templatetags", "migrations"}
#: Outside disclosure: the root URLconf includes every package's URLs.
OUTER_WIRING = {"portal.urls"}


# --- reading the source ---------------------------------------------------------------


def project_modules(root: Path = ROOT) -> dict[str, Path]:
    """Dotted name → file, for every module of the apps but migrations."""
    modules = {}
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST):
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            yield from _import_nodes(ast.Module(body=node.orelse, type_ignores=[]))
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        yield from _import_nodes(node)


def imports_of(
    name: str, source: str, modules: dict | set, is_package: bool
) -> set[str]:
    """The project modules that module ``name`` imports."""
    package = name if is_package else name.rpartition(".")[0]
    found = set()
    for node in _import_nodes(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names]
            targets = [t if t in modules else base for t in targets]
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    return {
        name: imports_of(
            name, path.read_text(encoding="utf-8"), modules, path.stem == "__init__"
        )
        for name, path in modules.items()
    }


# --- the rules --------------------------------------------------------------------------


def kind(name: str) -> tuple[str, str]:
    """("core" | "package" | "wiring" | "catalog" | "portal", package name)."""
    if name in OUTER_WIRING:
        return "wiring", ""
    parts = name.split(".")
    if parts[0] != "disclosure":
        return parts[0], ""
    if len(parts) == 1 or parts[1] in CORE_PACKAGES:
        return "core", ""
    if parts[1] in WIRING:
        return "wiring", ""
    if len(parts) == 2 and not (ROOT / "disclosure" / parts[1]).is_dir():
        return "core", ""
    return "package", parts[1]


def direction_violations(graph: dict[str, set[str]]) -> list[str]:
    problems = []
    for module, targets in sorted(graph.items()):
        source_kind, source_package = kind(module)
        for target in sorted(targets):
            target_kind, target_package = kind(target)
            if source_kind == "wiring":
                continue
            if target_kind == "wiring":
                problems.append(f"{module} imports the wiring module {target}")
            elif source_kind == "core" and target_kind == "package":
                problems.append(f"the core module {module} imports {target}")
            elif (
                source_kind == "package"
                and target_kind == "package"
                and source_package != target_package
            ):
                problems.append(
                    f"package {source_package}: {module} imports {target} "
                    f"(package {target_package})"
                )
            elif source_kind == "catalog" and target.startswith("disclosure"):
                problems.append(f"{module} (catalog) imports {target}")
            elif source_kind == "portal" and target_kind == "package":
                problems.append(f"{module} (portal) imports {target}")
    return problems


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
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


def long_modules(modules: dict[str, Path], root: Path = ROOT) -> list[str]:
    problems = []
    for path in modules.values():
        relative = path.relative_to(root).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES and relative not in LONG_MODULES:
            problems.append(f"{relative}: {lines} lines (at most {MAX_LINES})")
    return problems


def _graph() -> dict[str, set[str]]:
    return import_graph(project_modules())


# --- the tests ------------------------------------------------------------------------


def test_dependencies_point_one_way():
    problems = direction_violations(_graph())
    assert not problems, "\n".join(problems)


def test_no_import_circles():
    found = circles(_graph())
    assert not found, "\n".join(" ↔ ".join(component) for component in found)


def test_no_module_is_too_long():
    problems = long_modules(project_modules())
    assert not problems, "\n".join(problems)


def test_long_module_allowances_are_still_needed():
    """An entry of LONG_MODULES whose module is gone or short again goes."""
    stale = [
        relative
        for relative in LONG_MODULES
        if not (ROOT / relative).exists()
        or len((ROOT / relative).read_text(encoding="utf-8").splitlines()) <= MAX_LINES
    ]
    assert not stale, f"remove from LONG_MODULES: {stale}"


def test_the_packages_are_found():
    """The rules above see the layout (a typo in a constant would make them
    pass vacuously)."""
    graph = _graph()
    packages = {kind(name)[1] for name in graph if kind(name)[0] == "package"}
    assert {"public", "workspace", "oversight", "archive"} <= packages
    assert kind("disclosure.models.items") == ("core", "")
    assert kind("disclosure.workflow") == ("core", "")
    assert kind("disclosure.permissions") == ("core", "")
    assert kind("disclosure.public.views") == ("package", "public")
    assert kind("disclosure.oversight.annual.layout") == ("package", "oversight")
    assert kind("disclosure.management.commands.seed_demo") == ("wiring", "")
    # Imports resolve to modules: `from disclosure import permissions`, and a
    # module-level import of a sibling.
    assert "disclosure.permissions" in graph["disclosure.workspace.views.base"]
    assert "disclosure.public.selectors" in graph["disclosure.public.cache"]


# --- the checks themselves, on made-up imports ------------------------------------------


def _fake(**sources: str) -> dict[str, set[str]]:
    names = {name.replace("__", ".") for name in sources}
    return {
        name.replace("__", "."): imports_of(
            name.replace("__", "."), source, names, False
        )
        for name, source in sources.items()
    }


def test_the_checks_catch_a_core_module_importing_a_package():
    graph = _fake(
        disclosure__permissions="def f():\n    from .public import views\n",
        disclosure__public__views="",
    )
    assert direction_violations(graph) == [
        "the core module disclosure.permissions imports disclosure.public.views"
    ]


def test_the_checks_catch_a_package_importing_another():
    graph = _fake(
        disclosure__workspace__views="from disclosure.public.selectors import x\n",
        disclosure__public__selectors="",
    )
    assert len(direction_violations(graph)) == 1


def test_the_checks_catch_catalog_importing_disclosure():
    graph = _fake(catalog__models="import disclosure.models\n", disclosure__models="")
    assert len(direction_violations(graph)) == 1


def test_the_checks_allow_the_wiring_and_type_checking_imports():
    graph = _fake(
        disclosure__apps="from .public import views\n",
        disclosure__permissions=(
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from disclosure.public import views\n"
        ),
        disclosure__public__views="from disclosure import permissions\n",
    )
    assert direction_violations(graph) == []


def test_the_checks_catch_a_circle_through_a_function_level_import():
    graph = _fake(
        disclosure__a="from . import b\n",
        disclosure__b="def f():\n    from disclosure import c\n",
        disclosure__c="import disclosure.a\n",
        disclosure__d="from . import a\n",
    )
    assert circles(graph) == [["disclosure.a", "disclosure.b", "disclosure.c"]]


def test_the_checks_catch_a_long_module(tmp_path):
    module = tmp_path / "portal" / "long.py"
    module.parent.mkdir()
    module.write_text("x = 1\n" * (MAX_LINES + 1))
    short = tmp_path / "portal" / "short.py"
    short.write_text("x = 1\n" * MAX_LINES)
    modules = {"portal.long": module, "portal.short": short}
    assert long_modules(modules, root=tmp_path) == [
        f"portal/long.py: {MAX_LINES + 1} lines (at most {MAX_LINES})"
    ]
