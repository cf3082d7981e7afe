"""SECURITY.md stays true: every test it names as proof exists, and every
bound it states is the one in the code (so neither can drift unnoticed)."""

from __future__ import annotations

import ast
import re
from functools import cache

import pytest
from conftest import PROJECT_ROOT

from policycoord.checks.engine import MAX_LISTED
from policycoord.checks.rules.pc301_undefined_acronym import MAX_EXPANDED_LETTERS
from policycoord.core.about import ISSUES_URL, __version__
from policycoord.input.loading import (
    DEFAULT_MAX_FILE_SIZE,
    MAX_ALIAS_EXPANSION,
    MAX_DEPTH,
    MAX_FINDINGS_PER_KIND,
)
from policycoord.input.validation import (
    MAX_SCHEMA_ERRORS_COUNTED,
    MAX_SCHEMA_FINDINGS,
    WINDOW_VALUES,
)
from policycoord.output.writing import READER_WAIT
from policycoord.serve.app import MAX_FIELDS
from policycoord.serve.security import MAX_BODY

SECURITY = PROJECT_ROOT / "SECURITY.md"
#: `tests/output/reporters/test_html.py::test_no_external_resources`
NAMED_TEST = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")


def text() -> str:
    return SECURITY.read_text(encoding="utf-8")


def named_tests() -> list[tuple[str, str]]:
    return sorted(set(NAMED_TEST.findall(text())))


@cache
def functions_in(path: str) -> frozenset[str]:
    tree = ast.parse((PROJECT_ROOT / path).read_text(encoding="utf-8"))
    return frozenset(
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    )


def test_security_md_names_tests() -> None:
    assert len(named_tests()) >= 40
    # nothing that looks like a reference but is written differently
    loose = re.findall(r"tests/[\w/]+\.py::\S+", text())
    assert len(loose) == len(NAMED_TEST.findall(text())), loose


@pytest.mark.parametrize(("path", "name"), named_tests())
def test_each_test_named_in_security_md_exists(path: str, name: str) -> None:
    assert (PROJECT_ROOT / path).is_file(), f"SECURITY.md names {path}, which does not exist"
    assert name in functions_in(path), f"SECURITY.md names {path}::{name}, which does not exist"


def test_the_bounds_in_security_md_are_the_code_s() -> None:
    document = " ".join(text().split())  # line breaks as spaces
    assert DEFAULT_MAX_FILE_SIZE % (1024 * 1024) == 0
    assert f"A file over {DEFAULT_MAX_FILE_SIZE // (1024 * 1024)} MB is not read" in document
    assert f"at most {MAX_ALIAS_EXPANSION:,} values" in document
    assert f"at most {MAX_DEPTH} levels deep" in document
    assert f"A body over {MAX_BODY // (1024 * 1024)} MB is refused" in document
    assert f"at most {MAX_FIELDS:,} fields" in document
    assert f"at most {MAX_FINDINGS_PER_KIND} findings per file" in document
    assert f"Every other rule lists at most {MAX_LISTED} findings in one file" in document
    assert f"PC003 gives at most {MAX_SCHEMA_FINDINGS} findings per file" in document
    assert (
        f"a file of more than {WINDOW_VALUES:,} values that breaks the schema is given to it "
        f"{WINDOW_VALUES:,} values at a time" in document
    )
    assert f"stops counting after {MAX_SCHEMA_ERRORS_COUNTED:,} problems" in document
    assert f"an acronym of more than {MAX_EXPANDED_LETTERS} letters is never" in document
    assert f"if nothing does within {READER_WAIT:g} seconds" in document


def test_security_md_names_the_supported_version_and_where_to_report() -> None:
    major, minor, _ = __version__.split(".", 2)
    assert f"| {major}.{minor}.x (the latest release) | yes |" in text()
    repository = ISSUES_URL.removesuffix("/issues")
    assert f"<{repository}/security/advisories/new>" in text()


def test_security_md_is_in_the_source_distribution() -> None:
    pyproject = (PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    include = re.search(r"\[tool\.hatch\.build\.targets\.sdist\]\ninclude = \[(.*)\]", pyproject)
    assert include is not None
    assert '"SECURITY.md"' in include.group(1)
