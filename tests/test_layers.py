"""The import contract between the package's layers, read from the source (an AST walk, nothing imported).

Every ``import`` counts: at module level, inside functions (the lazy imports) and under
``if TYPE_CHECKING:`` (the root package names its lazy exports there). A layer that imports
upward only to dodge a cycle at run time is still tangled, so these tests see it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "cleaner"
TEXT = "cleaner.text"

# The edges between top-level parts of the package that would still close an import cycle, each
# with why it is there (none now: keep it so). The cycle test ignores these; once one is gone from the code
# the last test below fails until it is removed from here, so this list only shrinks.
# ("cleaner" is the root package, cleaner/__init__.py: the public API, on top of every layer.)
KNOWN_CYCLE_EDGES: frozenset[tuple[str, str]] = frozenset()  # none left


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _modules() -> dict[str, Path]:
    """Every module of the package: dotted name -> source file."""
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str) -> Iterator[tuple[str, int]]:
    """(imported cleaner module, line) for every import in module ``name``, wherever it stands.

    ``from cleaner.x import y`` names module ``cleaner.x.y`` when that is a module, else ``cleaner.x``.
    """
    path = _modules()[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "cleaner":
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the package, up level - 1 packages
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.split(".")[0] != "cleaner":
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                yield (sub if sub in _modules() else target), node.lineno


def _part(name: str) -> str:
    """The top-level part of the package a module belongs to: ``cleaner.detectors.base`` -> ``detectors``."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "cleaner"


def _graph(node_of) -> dict[str, dict[str, str]]:
    """node -> {imported node: where (first ``module:line`` that imports it)}, self-edges left out."""
    graph: dict[str, dict[str, str]] = {}
    for name in _modules():
        edges = graph.setdefault(node_of(name), {})
        for target, line in _imports(name):
            if node_of(target) != node_of(name):
                edges.setdefault(node_of(target), f"{name}:{line}")
                graph.setdefault(node_of(target), {})
    return graph


def _cycle(graph: dict[str, dict[str, str]]) -> list[str] | None:
    """One import cycle of ``graph`` as a readable chain, or ``None`` when it has none (depth-first search)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                loop = [*path[path.index(target) :], target]
                return [f"{a} -({graph[a][b]})-> {b}" for a, b in zip(loop, loop[1:], strict=False)]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_walk_sees_the_package():
    assert {"cleaner", "cleaner.runs.one", "cleaner.text.phrases", "cleaner.detectors.base"} <= set(_modules())
    assert "cleaner.text.phrases" in {target for target, _ in _imports("cleaner.detectors.footer")}


def test_the_text_layer_imports_nothing_above_it():
    upward = [
        f"{name}:{line} imports {target}"
        for name in _modules()
        if name == TEXT or name.startswith(TEXT + ".")
        for target, line in _imports(name)
        if not (target == TEXT or target.startswith(TEXT + "."))
    ]
    assert upward == [], "cleaner.text may import only the standard library, third parties and cleaner.text"


def test_the_detectors_do_not_import_the_metadata_extraction():
    # The vocabulary they share with it (dates, bylines, the headline) is in cleaner.text.
    upward = [
        f"{name}:{line} imports {target}"
        for name in _modules()
        if name.startswith("cleaner.detectors")
        for target, line in _imports(name)
        if target == "cleaner.metadata"
    ]
    assert upward == [], "detectors read dates, names and headlines from cleaner.text, not cleaner.metadata"


# The top of the house: the runs over inputs/outputs/pipeline, then the two ways in (the command
# line and the datatrove step) over the runs. The parts that may import each of them.
RUNS_USERS = {"runs", "cli", "integrations", "cleaner", "__main__"}  # "cleaner": the root's lazy exports
TOP = {"cli", "integrations"}


def _upward(exempt, imported_parts) -> list[str]:
    """Imports of ``imported_parts`` by the modules of parts not ``exempt`` (each as ``module:line imports target``)."""
    return [
        f"{name}:{line} imports {target}"
        for name in _modules()
        if not exempt(_part(name))
        for target, line in _imports(name)
        if _part(target) in imported_parts and _part(target) != _part(name)
    ]


def test_nothing_below_the_runs_imports_them_or_what_is_above_them():
    upward = _upward(lambda part: part in RUNS_USERS, {"runs", *TOP})
    assert upward == [], "inputs, outputs, the pipeline and below must not import cleaner.runs, cli or integrations"


def test_the_runs_import_neither_the_cli_nor_the_integrations():
    upward = _upward(lambda part: part != "runs", TOP)
    assert upward == [], "cleaner.runs is below the command line and the datatrove step"


def test_the_cli_and_the_integrations_stand_apart():
    assert _upward(lambda part: part != "cli", {"integrations"}) == []
    assert _upward(lambda part: part in {"cli", "__main__"}, {"cli"}) == []  # only `python -m cleaner` uses it


def test_the_contract_sees_an_upward_import():
    # The walk must tell a run importing the CLI apart from one that does not (the tests above could pass on nothing).
    assert "cleaner.runs.one" in {name for name in _modules() if _part(name) == "runs"}
    assert any(_part(target) == "runs" for target, _ in _imports("cleaner.cli.commands"))


def test_the_text_layer_has_no_import_cycle_inside():
    text = {name for name in _modules() if name.startswith(TEXT + ".")}
    graph = {name: edges for name, edges in _graph(lambda name: name).items() if name in text}
    graph = {name: {t: w for t, w in edges.items() if t in text} for name, edges in graph.items()}
    cycle = _cycle(graph)
    assert cycle is None, "import cycle in cleaner.text:\n  " + "\n  ".join(cycle or [])


def test_no_import_cycle_between_the_parts_of_the_package():
    graph = _graph(_part)
    for source, target in KNOWN_CYCLE_EDGES:
        graph.get(source, {}).pop(target, None)
    cycle = _cycle(graph)
    assert cycle is None, "import cycle between parts of cleaner:\n  " + "\n  ".join(cycle or [])


def test_every_known_cycle_edge_is_still_there():
    graph = _graph(_part)
    gone = sorted(edge for edge in KNOWN_CYCLE_EDGES if edge[1] not in graph.get(edge[0], {}))
    assert gone == [], "these edges are gone: remove them from KNOWN_CYCLE_EDGES"


# The whole ladder, lowest first: a module may import its own rung and those below, never one above.
# Leaf modules every layer may use (errors, version) stand on the ground floor with the text layer.
LADDER: dict[str, int] = {
    "text": 0, "errors": 0, "version": 0,
    "detectors": 1,
    "pipeline": 2, "render": 2, "metadata": 2, "explain": 2,
    "inputs": 3, "outputs": 3, "options": 3, "config": 3, "training": 3,
    "runs": 4,
    "cli": 5, "integrations": 5,
    "cleaner": 6, "__main__": 6,
}


def test_every_part_has_a_rung():
    assert sorted({_part(name) for name in _modules()} - set(LADDER)) == [], "place the new part on LADDER"


def test_no_part_imports_a_higher_rung():
    upward = [
        f"{name}:{line} imports {target}"
        for name in _modules()
        for target, line in _imports(name)
        if LADDER.get(_part(target), 0) > LADDER.get(_part(name), 0)
    ]
    assert upward == [], "text <- detectors <- pipeline <- inputs/outputs <- runs <- cli/integrations"
