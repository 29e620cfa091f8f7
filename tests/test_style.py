import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


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
