"""Packaging: runtime dependencies, the PEP 561 marker, ``python -m cleaner``, and every module's ``__all__``."""

from __future__ import annotations

import ast
import importlib
import shutil
import subprocess
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "cleaner"
CLEAN = shutil.which("clean", path=str(Path(sys.executable).parent))
SEED = next((ROOT / "seeds").glob("*.txt"))

# Names imported from a cleaner module that are deliberately kept out of its `__all__`:
# (module, name). Keep this short: a name other modules need is public, so it belongs in `__all__`.
INTERNAL_IMPORTS: frozenset[tuple[str, str]] = frozenset()


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _requirement_name(requirement: str) -> str:
    return requirement.split(";")[0].split("[")[0].split("<")[0].split(">")[0].split("=")[0].strip().lower()


def test_pytest_is_a_test_dependency_not_a_runtime_one():
    project = _project()["project"]
    assert "pytest" not in {_requirement_name(r) for r in project["dependencies"]}
    assert "pytest" in {_requirement_name(r) for r in project["optional-dependencies"]["test"]}


def _module_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_nothing_in_the_package_imports_test_tools():
    found = []
    for path in _module_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] in ("pytest", "hypothesis")]
    assert found == []


def test_the_pep561_marker_is_shipped():
    assert (PACKAGE / "py.typed").is_file()
    assert "py.typed" in _project()["tool"]["setuptools"]["package-data"]["cleaner"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(CLEAN is None, reason="the clean console script is not installed beside this Python")
@pytest.mark.parametrize(
    "args",
    [["--version"], [str(SEED.relative_to(ROOT))], ["--no-such-option"]],
    ids=["version", "seed", "usage-error"],
)
def test_python_m_cleaner_is_the_clean_command(args: list[str]):
    module = _run(sys.executable, "-m", "cleaner", *args)
    script = _run(CLEAN, *args)
    assert (module.returncode, module.stdout, module.stderr) == (script.returncode, script.stdout, script.stderr)
    assert module.stdout or module.stderr


# --- __all__ --------------------------------------------------------------------------------


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _has_code(path: Path) -> bool:
    """A package ``__init__`` that defines or imports names (not only its docstring) is a module with an API."""
    body = ast.parse(path.read_text(encoding="utf-8")).body
    return any(not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)) for node in body)


def public_modules() -> list[str]:
    """Every module under cleaner/ whose file name does not start with ``_``, and every package whose
    ``__init__`` holds code (``cleaner.outputs.review``); ``__main__`` is no module to import."""
    return [
        _module_name(p)
        for p in _module_files()
        if not p.name.startswith("_") or (p.name == "__init__.py" and _has_code(p))
    ]


def _declared_all(module: str) -> list[str] | None:
    path = ROOT / (module.replace(".", "/") + ".py")
    if not path.exists():
        path = ROOT / module.replace(".", "/") / "__init__.py"
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
            return list(ast.literal_eval(node.value))
    return None


@pytest.mark.parametrize("module", public_modules())
def test_public_module_declares_all_and_every_name_in_it_exists(module: str):
    names = _declared_all(module)
    assert names is not None, f"{module} has no __all__"
    assert len(names) == len(set(names)), f"{module}.__all__ repeats a name"
    try:
        imported = importlib.import_module(module)
    except ImportError as err:  # an optional extra (datatrove) that is not installed
        pytest.skip(f"{module}: {err}")
    missing = [name for name in names if not hasattr(imported, name)]
    assert missing == [], f"{module}.__all__ names what it does not define"


def _imports_from_cleaner() -> dict[tuple[str, str], list[str]]:
    """(module, name) -> the files that import it, for every ``from cleaner... import name`` in the repository."""
    files = _module_files() + sorted(p for d in ("tests", "benchmarks", "examples") for p in (ROOT / d).rglob("*.py"))
    where: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "cleaner":
                for alias in node.names:
                    where[(node.module, alias.name)].append(str(path.relative_to(ROOT)))
    return where


def test_every_name_imported_from_a_cleaner_module_is_in_its_all():
    packages = [_module_name(p) for p in _module_files() if p.name == "__init__.py"]
    modules = set(public_modules()) | {p for p in packages if _declared_all(p) is not None}
    outside = []
    for (module, name), files in sorted(_imports_from_cleaner().items()):
        if name.startswith("_") or (module, name) in INTERNAL_IMPORTS:
            continue
        if (PACKAGE.parent / module.replace(".", "/") / name).with_suffix(".py").exists():
            continue  # a submodule (`from cleaner import progress`)
        if (PACKAGE.parent / module.replace(".", "/") / name / "__init__.py").exists():
            continue  # a subpackage
        if module not in modules:
            continue  # a package whose __init__ exports nothing (no __all__)
        if name not in (_declared_all(module) or []):
            outside.append(f"{module}.{name} (imported by {', '.join(sorted(set(files)))})")
    assert outside == [], "add these to their module's __all__, or to INTERNAL_IMPORTS with a reason"


def test_internal_imports_are_still_imported():
    stale = INTERNAL_IMPORTS - set(_imports_from_cleaner())
    assert not stale, f"no longer imported: {sorted(stale)}"


def test_the_version_is_pyprojects():
    from cleaner.version import __version__

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert __version__ == project["version"]
