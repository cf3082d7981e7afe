"""`would_discover`, the one answer to "will discovery read a file there?",
held to what discovery really reads (`discover` with the partnership's
`policies` patterns): a table of patterns, then patterns hypothesis makes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import make_repo, partnership
from hypothesis import given, settings
from hypothesis import strategies as st

from policycoord.core.findings import Location
from policycoord.editing.new_files import read_by_discovery
from policycoord.input.discovery import discover, would_discover
from policycoord.workflows.repository import would_be_discovered

PATHS = (
    "orgs/a.yaml",
    "orgs/b.yml",
    "orgs/notes.txt",
    "orgs/x/c.yaml",
    "orgs/x/y/d.yml",
    "orgs/.hidden/e.yaml",
    "orgs/.f.yaml",
    ".orgs/g.yaml",
    "top.yaml",
    "other/h.yaml",
    "other/orgs/i.yaml",
)
PATTERNS = (
    None,
    [],
    ["orgs/*.yaml"],
    ["orgs/*/*.yaml"],
    ["orgs/**"],
    ["orgs/**/*.yml"],
    ["orgs/**/*"],
    ["*.yaml"],
    ["**/*.yaml"],
    ["**"],
    ["orgs/.hidden/*.yaml"],
    [".orgs/*.yaml"],
    ["orgs/.*.yaml"],
    ["orgs/../orgs/*.yaml"],
    ["../orgs/*.yaml"],
    ["orgs/.."],
    ["/orgs/*.yaml"],
    ["."],
    [""],
    ["./orgs/*.yaml"],
    ["orgs/x**.yaml"],
    ["o*/[ab]*.y?ml"],
    ["orgs", "orgs/x"],
    ["partnership.yaml", "*"],
)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tree")
    (root / "partnership.yaml").write_text("", encoding="utf-8")
    for path in PATHS:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text("", encoding="utf-8")
    return root


def really_read(root: Path, patterns: list[str] | None) -> set[str]:
    globs = [(p, Location("partnership.yaml", 1, 1, "")) for p in patterns or []]
    found = discover(
        (),
        partnership=str(root / "partnership.yaml"),
        cwd=root,
        policies_globs=globs if patterns is not None else None,
    )
    return {policy.display for policy in found.policies}


def predicted(patterns: list[str] | None) -> set[str]:
    candidates = (*PATHS, "partnership.yaml")
    return {path for path in candidates if would_discover(path, patterns)}


@pytest.mark.parametrize("patterns", PATTERNS, ids=repr)
def test_says_what_discovery_reads(tree: Path, patterns: list[str] | None) -> None:
    assert predicted(patterns) == really_read(tree, patterns)


def test_a_pattern_of_folders_reads_no_file(tree: Path) -> None:
    # the review's case: `orgs/**` lists folders (Python before 3.13), so
    # discovery reads nothing there, and a new file there would not be read
    assert really_read(tree, ["orgs/**"]) == set()
    assert not would_discover("orgs/new.yaml", ["orgs/**"])


def test_never_a_path_outside_or_the_partnership_file() -> None:
    for path in ("../x.yaml", "/etc/x.yaml", "", "partnership.yaml", "orgs/../../x.yaml"):
        assert not would_discover(path, None)
        assert not would_discover(path, ["**/*.yaml", "*.yaml"])
    assert would_discover("partnership.yaml", None, partnership="setup/partnership.yaml")


PARTS = st.sampled_from(
    ["orgs", "x", "y", ".hidden", ".orgs", "other", "*", "**", "*.yaml", "*.yml", "?.yaml",
     "[ab]*", ".*", "..", ".", "top.yaml", "a.yaml"]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(PARTS, min_size=1, max_size=4).map("/".join), max_size=2))
def test_says_what_discovery_reads_for_any_pattern(tree: Path, patterns: list[str]) -> None:
    assert predicted(patterns) == really_read(tree, patterns)


@pytest.mark.parametrize("patterns", PATTERNS, ids=repr)
def test_the_workspace_and_the_reports_ask_the_same_question(
    tmp_path: Path, patterns: list[str] | None
) -> None:
    # a new organisation's file (editing.new_files) and a report that must
    # not be read as a policy (workflows.repository) are decided by the rule
    # discovery follows, for a partnership file that writes the patterns
    text = partnership()
    if patterns is not None:  # as a flow list, so that `[]` stays an empty list
        named = "  name: North Partnership\n"
        text = text.replace(named, f"{named}  policies: {json.dumps(patterns)}\n")
    root = make_repo(tmp_path, {"partnership.yaml": text})
    read = really_read_here(root, patterns)
    for path in PATHS:
        assert read_by_discovery(path, patterns) == (path in read), path
        assert would_be_discovered(root / path, root / "partnership.yaml") == (path in read), path


def really_read_here(root: Path, patterns: list[str] | None) -> set[str]:
    for path in PATHS:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text("", encoding="utf-8")
    try:
        return really_read(root, patterns)
    finally:
        for path in PATHS:
            (root / path).unlink()
