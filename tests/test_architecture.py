"""The package's architecture: its layers, as its top docstring states them, hold for every import of
every module; no two public functions or classes share a name; no module grows past a readable size.

The checker reads source files with ``ast`` (nothing is imported), so lazy imports inside functions
count as much as those at the top. It is tried on small fake packages too, to show that it fails
when an upward import or a cycle is added.
"""
from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "energylab"
_LAYER_LINE = re.compile(r"^\s*(\d+)\.\s+(.+?)\s+—")


def declared_layers(package: Path) -> dict[str, int]:
    """``{top-level module or sub-package: layer}`` from the numbered list in the package docstring."""
    doc = ast.get_docstring(ast.parse((package / "__init__.py").read_text("utf-8"))) or ""
    layers = {}
    for line in doc.splitlines():
        match = _LAYER_LINE.match(line)
        if match:
            for name in match.group(2).split(","):
                layers[name.strip()] = int(match.group(1))
    return layers


def _module_name(path: Path, package: Path) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(package: Path) -> dict[str, set[str]]:
    """``{module: {modules of the package it imports}}``, relative imports resolved, every scope read."""
    root = package.name
    found = {}
    for path in sorted(package.rglob("*.py")):
        name = _module_name(path, package)
        is_package = path.name == "__init__.py"
        targets = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                targets |= {a.name for a in node.names if a.name.split(".")[0] == root}
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".") if is_package else name.split(".")[:-1]
                    base = base[:len(base) - node.level + 1]
                    module = ".".join(base + ([node.module] if node.module else []))
                else:
                    module = node.module or ""
                if module.split(".")[0] != root:
                    continue
                # `from pkg import sub` imports the sub-module `sub` when there is one.
                subs = {f"{module}.{a.name}" for a in node.names if _exists(package, f"{module}.{a.name}")}
                targets |= subs or {module}
        found[name] = targets
    return found


def _exists(package: Path, module: str) -> bool:
    relative = Path(*module.split(".")[1:])
    return (package / relative).with_suffix(".py").exists() or (package / relative / "__init__.py").exists()


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def violations(package: Path) -> list[str]:
    """Every import up the declared order, and every top-level module the docstring does not place."""
    layers = declared_layers(package)
    problems = []
    for module, targets in imports(package).items():
        top = _top(module)
        if not top:
            continue  # the package's own __init__: lazy attribute access only
        if top not in layers:
            problems.append(f"{module} is in no layer of the package docstring")
            continue
        for target in sorted(targets):
            other = _top(target)
            if other and other != top and layers.get(other, 0) > layers[top]:
                problems.append(f"{module} (layer {layers[top]}) imports {target} (layer {layers[other]})")
    return problems


def cycles(package: Path) -> list[list[str]]:
    """Cycles among the package's top-level modules and sub-packages (self-imports aside)."""
    graph: dict[str, set[str]] = {}
    for module, targets in imports(package).items():
        if _top(module):
            graph.setdefault(_top(module), set()).update(t for t in map(_top, targets) if t and t != _top(module))
    found, state = [], {}

    def visit(node, path):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                found.append(path[path.index(nxt):] + [nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


# --- the package itself ------------------------------------------------------------------------------

def test_every_module_is_placed_in_a_layer_and_imports_only_downward():
    assert violations(PACKAGE) == []


def test_no_import_cycle_between_modules():
    assert cycles(PACKAGE) == []


def test_the_docstring_names_only_modules_that_exist():
    missing = [name for name in declared_layers(PACKAGE) if not _exists(PACKAGE, f"energylab.{name}")]
    assert missing == []


# --- the checker can fail -----------------------------------------------------------------------------

def _fake_package(tmp_path: Path, files: dict[str, str]) -> Path:
    package = tmp_path / "energylab"
    docstring = '''"""Fake.

    1. units — low
    2. models — middle
    3. explore — high
    """
    '''
    files = {"__init__.py": docstring, "units.py": "", "models.py": "from . import units\n",
             "explore/__init__.py": "from .. import models\n", **files}
    for name, text in files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(textwrap.dedent(text), "utf-8")
    return package


def test_a_clean_fake_package_passes(tmp_path):
    package = _fake_package(tmp_path, {})
    assert violations(package) == [] and cycles(package) == []


@pytest.mark.parametrize("text", [
    "from .explore import thing\n",                          # at module level
    "def f():\n    from energylab import explore\n",          # lazily, absolute
    "def f():\n    import energylab.explore.widgets\n",       # a sub-module, by plain import
])
def test_an_upward_import_is_reported(tmp_path, text):
    package = _fake_package(tmp_path, {"units.py": text, "explore/widgets.py": ""})
    problems = violations(package)
    assert len(problems) == 1 and "energylab.units (layer 1) imports energylab.explore" in problems[0]


def test_a_module_outside_every_layer_is_reported(tmp_path):
    package = _fake_package(tmp_path, {"stray.py": "from . import units\n"})
    assert violations(package) == ["energylab.stray is in no layer of the package docstring"]


def test_a_cycle_within_one_layer_is_reported(tmp_path):
    package = _fake_package(tmp_path, {
        "__init__.py": '"""Fake.\n\n1. units, models — one layer\n"""\n',
        "units.py": "def f():\n    from . import models\n"})
    assert cycles(package) == [["models", "units", "models"]]


# --- one name, one meaning; modules of a readable size ---------------------------------------------

# Names every module of a family defines with the same meaning: the experiments' shared protocol
# (run one seed, check its conclusion, run many; the arms) and each chapter's open-task targets.
PROTOCOL_NAMES = {"energylab.experiments.": {"Arm", "run", "holds", "run_many", "targets", "deploy"},
                  "energylab.exercises.ch": {"task_targets"}}


def _public_definitions() -> dict[str, list[str]]:
    """``{name: [modules defining a public function or class of that name]}`` (re-exports not counted)."""
    import importlib
    import inspect
    import pkgutil

    import energylab

    found: dict[str, list[str]] = {}
    for info in pkgutil.walk_packages(energylab.__path__, "energylab."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if name.startswith("_") or not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            if obj.__module__ == info.name:
                found.setdefault(name, []).append(info.name)
    return found


def test_no_two_public_functions_or_classes_share_a_name():
    def allowed(name, modules):
        return any(all(m.startswith(prefix) for m in modules) and name in names
                   for prefix, names in PROTOCOL_NAMES.items())
    shared = {name: modules for name, modules in _public_definitions().items()
              if len(modules) > 1 and not allowed(name, modules)}
    assert shared == {}


def test_no_module_is_past_a_thousand_lines():
    sizes = {str(p.relative_to(PACKAGE)): len(p.read_text("utf-8").splitlines()) for p in PACKAGE.rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > 1000} == {}
