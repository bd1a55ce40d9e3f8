"""The package's shape: no import cycles, the runtime never imports training code or the UI.

The import graph is read from the source (every ``import`` statement, lazy ones inside functions
included), so a cycle that only closes at run time is caught as well.
"""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted((ROOT / "qa").rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Project modules that ``path`` imports (``from pkg import mod`` counts as importing ``pkg.mod``)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(t for t in targets if t in known)
    found.discard(name)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: imports_of(name, path, set(modules)) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
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


def test_cycle_finder_sees_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_package_has_no_import_cycles():
    assert cycles(import_graph()) == []


def runtime_modules() -> list[str]:
    return [m for m in project_modules() if not m.startswith("qa.training")]


def test_runtime_never_imports_training_or_the_ui():
    graph = import_graph()
    for name in runtime_modules():
        training = sorted(m for m in graph[name] if m.startswith("qa.training"))
        assert not training, f"{name} imports training code: {training}"
        source = project_modules()[name].read_text(encoding="utf-8")
        assert "import gradio" not in source and "from ui" not in source, f"{name} imports the UI"


def test_training_package_exists_and_imports_the_runtime():
    graph = import_graph()
    training = [m for m in graph if m.startswith("qa.training.")]
    assert "qa.training.train_reader" in training and "qa.training.calibrate" in training
    assert any(dep.startswith("qa.reader") for dep in graph["qa.training.train_reader"])


BLOCKER = """
import importlib, importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "peft" or name.startswith("peft.") or name == "qa.training" or name.startswith("qa.training."):
            raise ImportError(f"blocked: {name}")
sys.meta_path.insert(0, Block())
for name in sys.argv[1:]:
    importlib.import_module(name)
print("ok")
"""


@pytest.mark.parametrize("group", ["core", "reader"])
def test_runtime_modules_import_alone_without_training_dependencies(group):
    """Each runtime module imports in a fresh interpreter where peft and qa.training cannot load."""
    names = [m for m in runtime_modules() if m.startswith("qa.reader") == (group == "reader")]
    for name in names:
        done = subprocess.run([sys.executable, "-c", BLOCKER, name], cwd=ROOT, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0 and done.stdout.strip() == "ok", f"{name}: {done.stderr[-800:]}"


def file_relative_paths(path: Path) -> list[tuple[int, Path]]:
    """Every ``Path(__file__)…parent / "a" / "b"`` expression in ``path``, resolved (line, path)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)):
            continue
        parts, left = [], node
        while isinstance(left, ast.BinOp) and isinstance(left.op, ast.Div) and isinstance(left.right, ast.Constant):
            parts.insert(0, str(left.right.value))
            left = left.left
        base = path
        while isinstance(left, (ast.Attribute, ast.Call)):
            if isinstance(left, ast.Attribute) and left.attr == "parent":
                base = base.parent
            left = left.value if isinstance(left, ast.Attribute) else left.func
        if parts and re.search(r"\bPath\(__file__\)", ast.unparse(node)) and isinstance(left, ast.Name):
            found.append((node.lineno, base.joinpath(*parts)))
    return found


def test_paths_beside_modules_exist():
    """A module that names a file beside itself (``Path(__file__).parent / "weights"``) names one
    that exists: moving a module without its data folder fails here, not at run time."""
    missing = [f"{path.relative_to(ROOT)}:{line}: {target.relative_to(ROOT)}"
               for path in project_modules().values() for line, target in file_relative_paths(path)
               if not target.exists()]
    assert not missing, "paths that do not exist:\n" + "\n".join(missing)


def test_path_finder_sees_a_missing_folder(tmp_path):
    module = tmp_path / "mod.py"
    module.write_text('from pathlib import Path\nW = Path(__file__).parent / "weights"\n')
    assert file_relative_paths(module) == [(2, tmp_path / "weights")]
