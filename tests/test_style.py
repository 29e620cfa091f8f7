import ast
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT


@pytest.mark.skipif(shutil.which("ruff", path=str(Path(sys.executable).parent)) is None, reason="ruff not installed")
def test_ruff_clean():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent))
    result = subprocess.run([ruff, "check", "cleaner", "tests", "benchmarks"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _install_lines() -> list[tuple[str, str]]:
    """Every `pip install` in the README, the package's messages and docstrings, and the examples."""
    files = [ROOT / "README.md", *sorted((ROOT / "cleaner").rglob("*.py")), *sorted((ROOT / "examples").glob("*.py"))]
    return [
        (str(path.relative_to(ROOT)), line)
        for path in files
        for line in path.read_text(encoding="utf-8").splitlines()
        if "pip install" in line
    ]


def test_the_distribution_name_is_not_pypis_unrelated_cleaner():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] != "cleaner"  # PyPI's "cleaner" is somebody else's project
    extras = [extra for group in project["optional-dependencies"].values() for extra in group]
    assert not [extra for extra in extras if extra.startswith("cleaner[")]


def test_every_install_line_installs_from_the_checkout():
    lines = _install_lines()
    assert lines, "the README shows how to install"
    registry = [f"{name}: {line.strip()}" for name, line in lines if re.search(r"pip install[^`]*['\"]cleaner\[", line)]
    assert registry == [], "these would install PyPI's unrelated 'cleaner'"


# --- sizes (issue 13): no module over 600 lines, no function over 60 ----------------------------

PACKAGE = ROOT / "cleaner"
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60  # from ``def`` to the function's last line, docstring and comments included

# Functions that may be longer because they are declarative tables (a list of rules read top to
# bottom, not logic), each with why: "module path:qualified name" -> reason. Kept small.
DECLARATIVE_TABLES: dict[str, str] = {
    "cleaner/cli/app.py:clean": "typer's option table: one annotated parameter per command-line option, "
    "then four lines that build the arguments and run them",
}

def _functions(source: str) -> list[tuple[str, int, int]]:
    """(qualified name, first line, line count) of every function and method of ``source``, nested ones too."""
    found: list[tuple[str, int, int]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = prefix + child.name
                found.append((name, child.lineno, child.end_lineno - child.lineno + 1))
                visit(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix + child.name + ".")
            else:
                visit(child, prefix)

    visit(ast.parse(source), "")
    return found


def _modules() -> dict[str, str]:
    """Every module of the package: its path from the checkout (``cleaner/x.py``) -> source."""
    paths = sorted(PACKAGE.rglob("*.py"))
    return {path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8") for path in paths}


def _long_modules() -> dict[str, int]:
    return {name: len(source.splitlines()) for name, source in _modules().items()
            if len(source.splitlines()) > MAX_MODULE_LINES}


def _long_functions() -> dict[str, int]:
    """``"path:qualified name"`` -> lines, for every function over the limit."""
    return {f"{name}:{function}": lines for name, source in _modules().items()
            for function, _, lines in _functions(source) if lines > MAX_FUNCTION_LINES}


def test_the_function_count_runs_from_def_to_the_last_line_methods_and_nested_ones_too():
    source = (
        "@decorator\n"
        "def outer(x):\n"
        '    """Docstring."""\n'
        "    def inner():\n"
        "        return 1\n"
        "    return inner\n"
        "class Box:\n"
        "    async def method(self):\n"
        "        pass\n"
    )
    assert _functions(source) == [("outer", 2, 5), ("outer.inner", 4, 2), ("Box.method", 8, 2)]


def test_no_module_is_over_600_lines():
    over = {name: lines for name, lines in _long_modules().items()}
    assert over == {}, "split these by what they do (a module, or a package of modules)"


def test_no_function_is_over_60_lines():
    over = {
        name: lines for name, lines in _long_functions().items()
        if name not in DECLARATIVE_TABLES
    }
    assert over == {}, "cut these into named steps (or, for a declarative table, list it in DECLARATIVE_TABLES)"


def test_every_allowlisted_name_is_still_over_a_limit():
    long_functions = _long_functions()
    assert [name for name in DECLARATIVE_TABLES if name not in long_functions] == []


def test_tests_mirror_the_package():
    """tests/<part>/ holds the tests of cleaner/<part>/ (top-level modules' tests stay in tests/)."""
    folders = [p.name for p in (ROOT / "tests").iterdir() if p.is_dir() and p.name not in ("fixtures", "__pycache__")]
    assert folders, "tests/ should have a folder per package part"
    assert [name for name in folders if not (PACKAGE / name / "__init__.py").is_file()] == []
