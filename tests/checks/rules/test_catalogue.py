"""The rule catalogue: every rule module registered once, in one shape,
documented in its docstring, and its documented examples true (the example
gives its code, the fixed version does not)."""

from __future__ import annotations

import ast
import datetime
import importlib
import pkgutil
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT

import policycoord.checks.rules as rules_package
from policycoord.checks.rules import ALL_RULES, RULES_BY_CODE
from policycoord.checks.rules.base import FAMILIES, Rule, examples, sections
from policycoord.core.findings import Severity
from policycoord.workflows.pipeline import Options, check

TODAY = datetime.date(2026, 11, 24)
REQUIRED_SECTIONS = ("What it does", "Why it matters", "Example", "Fixed")
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60
#: functions of rules/ longer than MAX_FUNCTION_LINES that read better whole,
#: by module and name, with the reason (none today)
LONG_FUNCTIONS: dict[str, str] = {}


def _rule_modules() -> list[str]:
    return sorted(
        name
        for _, name, _ in pkgutil.iter_modules(rules_package.__path__)
        if name.startswith("pc") and name[2:5].isdigit()
    )


def test_every_rule_module_is_registered_once() -> None:
    registered = {rule.__module__.rsplit(".", 1)[1] for rule in ALL_RULES}
    assert registered == set(_rule_modules())
    assert len(ALL_RULES) == len(set(ALL_RULES))


def test_codes_and_names_are_unique_and_match_their_modules() -> None:
    codes = [rule.code for rule in ALL_RULES]
    names = [rule.name for rule in ALL_RULES]
    assert len(codes) == len(set(codes))
    assert len(names) == len(set(names))
    for rule in ALL_RULES:
        module = rule.__module__.rsplit(".", 1)[1]
        assert module == f"{rule.code.lower()}_{rule.name.replace('-', '_')}"


@pytest.mark.parametrize("module", _rule_modules())
def test_module_holds_exactly_one_rule(module: str) -> None:
    loaded = importlib.import_module(f"policycoord.checks.rules.{module}")
    found = [
        value
        for value in vars(loaded).values()
        if isinstance(value, type)
        and issubclass(value, Rule)
        and value.__module__ == loaded.__name__
    ]
    assert len(found) == 1


def _statement_kind(node: ast.stmt) -> str:
    if isinstance(node, ast.Import | ast.ImportFrom):
        return "import"
    if isinstance(node, ast.Assign | ast.AnnAssign):
        return "constant"
    return "definition"


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_module_reads_from_the_top(rule: type[Rule]) -> None:
    """Module docstring, imports, the constants the rule class reads, the
    rule class (documentation, then check() or review()), then its helpers."""
    module = importlib.import_module(rule.__module__)
    tree = ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
    assert ast.get_docstring(tree) == f"{rule.code} {rule.name}.", "a one-line module docstring"
    kinds = [_statement_kind(node) for node in tree.body[1:]]
    first = kinds.index("definition")
    assert kinds[:first] == sorted(kinds[:first], key=("import", "constant").index), (
        f"{rule.code}: imports, then constants, before the rule class"
    )
    definition = tree.body[1 + first]
    assert isinstance(definition, ast.ClassDef), f"{rule.code}: the rule class before its helpers"
    assert definition.name == rule.__name__, f"{rule.code}: the rule class before {definition.name}"
    read = {node.id for node in ast.walk(definition) if isinstance(node, ast.Name)}
    for node in tree.body[1 : 1 + first]:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} & read
            assert names, f"{rule.code}: a constant above the class that it does not read"
    methods = [node.name for node in definition.body if isinstance(node, ast.FunctionDef)]
    assert not methods or methods[0] in ("check", "review"), f"{rule.code}: check() first"


@pytest.mark.parametrize(
    "path", sorted(Path(rules_package.__path__[0]).glob("*.py")), ids=lambda p: p.name
)
def test_modules_and_functions_stay_small(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert len(source.splitlines()) <= MAX_MODULE_LINES
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef):
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            size = (node.end_lineno or start) - start + 1
            key = f"{path.stem}.{node.name}"
            assert size <= MAX_FUNCTION_LINES or key in LONG_FUNCTIONS, (
                f"{key} is {size} lines: split it, or say in LONG_FUNCTIONS why it reads "
                "better whole"
            )


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_rule_is_documented(rule: type[Rule]) -> None:
    assert rule.family in FAMILIES
    assert isinstance(rule.default_severity, Severity)
    assert rule.summary() and rule.summary().endswith(".")
    found = sections(rule.documentation())
    for heading in REQUIRED_SECTIONS:
        assert found.get(heading), f"{rule.code} has no '## {heading}' section"
    assert examples(rule.documentation(), "Example"), f"{rule.code} has no example"
    assert examples(rule.documentation(), "Fixed"), f"{rule.code} has no fixed example"


def _codes_for(tmp_path: Path, files: dict[str, str]) -> list[str]:
    for name, text in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    report = check([str(tmp_path)], options=Options(today=TODAY))
    return [finding.code for finding in report.findings]


def _cases() -> list[tuple[str, str, int]]:
    cases = []
    for rule in ALL_RULES:
        for heading in ("Example", "Fixed"):
            for index, _ in enumerate(examples(rule.documentation(), heading)):
                cases.append((rule.code, heading, index))
    return cases


@pytest.mark.parametrize(("code", "heading", "index"), _cases(), ids=lambda v: str(v))
def test_documented_examples_are_true(tmp_path: Path, code: str, heading: str, index: int) -> None:
    rule = RULES_BY_CODE[code]
    example = examples(rule.documentation(), heading)[index]
    found = _codes_for(tmp_path, example.files)
    if heading == "Example":
        assert code in found, f"the example of {code} does not give {code}: {found}"
    else:
        assert code not in found, f"the fixed example of {code} still gives {code}"
        broken = {"PC001", "PC002", "PC003", "PC005", "PC010", "PC011"}
        assert not broken & set(found), f"the fixed example of {code} is itself broken: {found}"


def test_docs_rules_md_is_up_to_date() -> None:
    from policycoord.checks.catalogue import rules_markdown

    docs = PROJECT_ROOT / "docs" / "rules.md"
    assert docs.read_text(encoding="utf-8") == rules_markdown(), (
        "docs/rules.md is stale: run `python -m policycoord.checks.catalogue`"
    )


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_explain_prints_the_docstring(rule: type[Rule]) -> None:
    from policycoord.checks.catalogue import explain

    text = explain(rule.code.lower())
    assert text.startswith(f"# {rule.code} {rule.name}")
    assert "## Why it matters" in text
    assert "```yaml" in text
