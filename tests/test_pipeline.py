"""The build's structure (#21): one entry module, one package `kn` imported
under one name, no import cycles, and the plain-Python stages."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {"kn": ROOT / "hooks" / "kn", "tools": ROOT / "tools"}


def module_name(path: Path) -> str:
    for top, folder in PACKAGES.items():
        if path.is_relative_to(folder):
            parts = [top, *path.relative_to(folder).with_suffix("").parts]
            return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
    raise ValueError(path)


def is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(path: Path, known: set[str]) -> set[str]:
    """Our modules that `path` imports anywhere (in functions too), except
    under `if TYPE_CHECKING:`."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
            submodules = {f"{base}.{alias.name}" for alias in node.names} & known
            # `from package import module` needs the module (its package is
            # initialised first anyway); `from module import name`, the module.
            found.update(submodules or {base})
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {m for m in found if m in known and m != name}


def import_graph() -> dict[str, set[str]]:
    files = [p for folder in PACKAGES.values() for p in folder.rglob("*.py") if "__pycache__" not in p.parts]
    known = {module_name(p) for p in files}
    return {module_name(p): imports_of(p, known) for p in files}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found, state, stack = [], {}, []

    def walk(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                found.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                walk(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            walk(node)
    return found


@pytest.mark.unit
def test_no_import_cycle_in_hooks_and_tools_not_even_inside_functions():
    graph = import_graph()
    assert len(graph) > 30  # the walk found the package
    assert cycles(graph) == []


@pytest.mark.unit
def test_the_cycle_finder_finds_one():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


@pytest.mark.unit
def test_only_the_entry_module_knows_mkdocs_events():
    users = []
    for path in (ROOT / "hooks").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "mkdocs.plugins" in text.replace('getLogger("mkdocs.plugins', "") or "event_priority" in text:
            users.append(path.relative_to(ROOT).as_posix())
    assert users == []
    assert sorted(p.name for p in (ROOT / "hooks").glob("*.py")) == ["main.py"]


def test_after_loading_the_configuration_no_source_file_is_loaded_twice():
    # A fresh interpreter, as `mkdocs build` starts one: load mkdocs.yml (which
    # imports hooks/main.py and through it the package), then count files.
    code = """
import collections, sys
from pathlib import Path
from mkdocs.config import load_config
load_config("mkdocs.yml")
import tools.importer, tools.new_article, tools.pr_summary, tools.pruefen, tools.comments_archive
files = collections.Counter()
for name, module in list(sys.modules.items()):
    path = getattr(module, "__file__", None)
    if path and any(Path(path).resolve().is_relative_to(Path.cwd() / folder) for folder in ("hooks", "tools")):
        files[Path(path).resolve()] += 1
print(len(files))
print([str(p) for p, n in files.items() if n > 1])
"""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT,
                            capture_output=True, text=True, env=env, check=True)
    count, twice = result.stdout.splitlines()[-2:]
    assert int(count) > 30
    assert twice == "[]"
