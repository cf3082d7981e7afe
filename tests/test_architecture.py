"""The house (docs/architecture.md, ../shared/STYLE.md): packages by stage,
data flowing one way, no import cycles.

Every module's imports are read with `ast` (those inside functions and
`if TYPE_CHECKING:` blocks included, relative ones resolved) and checked:

- a module of one stage imports only from its own stage and the stages
  before it: core <- input <- model <- checks <- views <- workflows <- editing
  <- output, then the front ends (cli, serve, lsp, workbook, and the package's
  own `__init__`/`__main__`), which may import anything and which nothing
  below them imports;
- no reporter (anything in `output/`) imports a rule: the engine stamps what
  reports need on each Finding and Report;
- there is no cycle among the modules, at import time or at type level.

A failure names the two modules and the arrow.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT

SOURCE = PROJECT_ROOT / "src"
PACKAGE = SOURCE / "policycoord"

#: The stages in the order data flows through them; each may import from
#: those before it only.
STAGES = ("core", "input", "model", "checks", "views", "workflows", "editing", "output")
#: Front ends: they may import anything, and nothing below them imports them.
FRONT_ENDS = ("cli", "serve", "lsp", "workbook", "__init__", "__main__")
#: What a stage must never import, even from a stage before it.
FORBIDDEN = {"output": ("policycoord.checks.rules",)}
#: Besides the stages and the front ends, all there is at the top of
#: src/policycoord/ (12 entries in all today, with cli/ the one front end).
TOP_LEVEL_FILES = ("__init__.py", "__main__.py", "py.typed", "schemas")


def module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def stage_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "__init__"
    return parts[1]


def imported(module: str, path: Path, known: set[str]) -> Iterator[tuple[str, int]]:
    """The policycoord modules that `module` imports, each with its line. A
    name imported from a package is the submodule when there is one."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "policycoord":
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            if source.split(".")[0] != "policycoord":
                continue
            for alias in node.names:
                candidate = f"{source}.{alias.name}"
                yield (candidate if candidate in known else source), node.lineno


def edges() -> list[tuple[str, str, int]]:
    found = modules()
    known = set(found)
    return [
        (module, target, line)
        for module, path in found.items()
        for target, line in imported(module, path, known)
        if target != module
    ]


def arrow_problem(source: str, target: str) -> str | None:
    """Why `source` may not import `target`, or None when it may."""
    here, there = stage_of(source), stage_of(target)
    for prefix in FORBIDDEN.get(here, ()):
        if target == prefix or target.startswith(prefix + "."):
            return f"{here} must never import {prefix}"
    if here in FRONT_ENDS:
        return None
    if there in FRONT_ENDS:
        return f"{there} is a front end: nothing below the front ends imports one"
    if here not in STAGES or there not in STAGES:
        return f"{source if here not in STAGES else target} is in no stage of {STAGES}"
    if STAGES.index(there) > STAGES.index(here):
        return f"{here} comes before {there} in the flow {' <- '.join(STAGES)}"
    return None


def test_every_module_is_in_a_stage_or_a_front_end() -> None:
    strays = [m for m in modules() if stage_of(m) not in (*STAGES, *FRONT_ENDS)]
    assert strays == [], f"modules outside the stages and front ends: {strays}"


def test_the_top_of_the_package_holds_only_the_stages_and_front_ends() -> None:
    entries = sorted(p.name for p in PACKAGE.iterdir() if p.name != "__pycache__")
    allowed = {*TOP_LEVEL_FILES, *STAGES, *FRONT_ENDS}
    assert [entry for entry in entries if entry not in allowed] == [], entries


def test_imports_follow_the_flow() -> None:
    wrong = []
    for source, target, line in edges():
        problem = arrow_problem(source, target)
        if problem is not None:
            wrong.append(f"{source} (line {line}) imports {target}: {problem}")
    assert wrong == [], "imports against the flow:\n" + "\n".join(wrong)


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, without recursion: the components of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
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
    return found


def test_no_import_cycles() -> None:
    graph: dict[str, set[str]] = {module: set() for module in modules()}
    for source, target, _ in edges():
        graph[source].add(target)
    cycles = []
    for component in strongly_connected(graph):
        path = cycle_through(graph, component)
        cycles.append(
            " imports ".join(path) + f" (the modules in this knot: {', '.join(component)})"
        )
    assert cycles == [], "import cycles:\n" + "\n".join(cycles)


def cycle_through(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """One cycle of a knot of modules, as the chain of imports that closes it:
    [a, b, c, a] for a imports b, b imports c, c imports a."""
    members = set(component)
    start = component[0]
    came_from: dict[str, str] = {}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph[node] & members):
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [start, *reversed(path[:-1]), start] if node != start else [start, start]
            if child not in came_from:
                came_from[child] = node
                queue.append(child)
    return component


@pytest.mark.parametrize(
    ("source", "target", "allowed"),
    [
        ("policycoord.input.loading", "policycoord.core.findings", True),
        ("policycoord.core.findings", "policycoord.views", False),
        ("policycoord.checks.baseline", "policycoord.output.reporters.json_report", False),
        ("policycoord.output.reporters.sarif", "policycoord.checks.rules", False),
        ("policycoord.output.reporters.sarif", "policycoord.checks.catalogue", True),
        ("policycoord.workflows.pipeline", "policycoord.cli.app", False),
        ("policycoord.cli.app", "policycoord.output.reporters", True),
    ],
)
def test_the_arrow_rule_itself(source: str, target: str, allowed: bool) -> None:
    """The checker is tested too: it would be no guard if it passed everything."""
    assert (arrow_problem(source, target) is None) == allowed


def test_the_cycle_finder_itself() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert strongly_connected(graph) == [["a", "b", "c"]]
    knot = {"a": {"b", "d"}, "b": {"c"}, "c": {"a"}, "d": {"e"}, "e": set()}
    assert cycle_through(knot, ["a", "b", "c"]) == ["a", "b", "c", "a"]


def test_the_public_api_is_there_and_loads_lazily() -> None:
    """`from policycoord import check, Options, Report...` works, and importing
    one stage (as `validate`'s fast path does) does not load the others."""
    import subprocess
    import sys

    import policycoord

    for name in policycoord.__all__:
        assert getattr(policycoord, name) is not None, name
    probe = (
        "import sys, policycoord.core.findings; "
        "print(sorted(m for m in sys.modules if m.startswith('policycoord.')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert "policycoord.workflows" not in loaded and "policycoord.checks" not in loaded, loaded


#: The longest module, in lines.
MODULE_LIMIT = 600
#: The longest function, in lines, but for those below.
FUNCTION_LIMIT = 60
#: Functions that read better whole, and why.
WHOLE = {
    # the benchmark's inner loop over every YAML event of every file: its
    # lookups are cached in local variables, and a split costs a call per event
    "policycoord.input.loading.fast_path.plain_data",
    # the starter partnership file and organisation file that `init` writes:
    # YAML text with its comments, in the order a reader meets it
    "policycoord.workflows.init.partnership_text",
    "policycoord.workflows.init.organisation_text",
}


def test_modules_and_functions_stay_short() -> None:
    too_long = []
    for module, path in modules().items():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > MODULE_LIMIT:
            too_long.append(f"{module}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                name = f"{module}.{node.name}"
                if length > FUNCTION_LIMIT and name not in WHOLE:
                    too_long.append(f"{name} (line {node.lineno}): {length} lines")
    assert too_long == [], "\n".join(too_long)
