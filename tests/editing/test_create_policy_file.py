"""`create_policy_file`: a new organisation's file, checked before anything
is made (the patterns read it there, its folder is inside the repository)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from policycoord.editing import Refusal, Saved
from policycoord.editing.new_files import create_policy_file

TEXT = "policycoord: 1\norganisation: {id: new-club, name: New Club, sector: sport}\n"


def test_made_with_its_folder_where_the_patterns_read_it(tmp_path: Path) -> None:
    made = create_policy_file(tmp_path, "orgs/sport/new-club.yaml", TEXT, ["orgs/**/*.yaml"])
    assert isinstance(made, Saved)
    assert (tmp_path / "orgs/sport/new-club.yaml").read_text(encoding="utf-8") == TEXT


@pytest.mark.parametrize(
    ("where", "patterns"),
    [
        ("orgs/new-club.yaml", ["orgs/**"]),
        ("orgs/sport/new-club.yaml", ["orgs/*.yaml"]),
        ("orgs/.sport/new-club.yaml", None),
        ("../new-club.yaml", None),
    ],
)
def test_nothing_is_made_where_the_patterns_would_not_read_it(
    tmp_path: Path, where: str, patterns: list[str] | None
) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    made = create_policy_file(root, where, TEXT, patterns)
    assert isinstance(made, Refusal) and "would not read" in made.reason
    assert list(tmp_path.rglob("*")) == [root]


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="symbolic links")
def test_no_folder_is_made_through_a_link_out_of_the_repository(tmp_path: Path) -> None:
    root, outside = tmp_path / "repo", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "orgs").symlink_to(outside)
    made = create_policy_file(root, "orgs/sport/new-club.yaml", TEXT, ["orgs/*/*.yaml"])
    assert isinstance(made, Refusal) and "outside the repository" in made.reason
    assert list(outside.iterdir()) == []


def test_never_over_a_file_that_is_there(tmp_path: Path) -> None:
    (tmp_path / "orgs").mkdir()
    (tmp_path / "orgs/new-club.yaml").write_text("mine\n", encoding="utf-8")
    made = create_policy_file(tmp_path, "orgs/new-club.yaml", TEXT, None)
    assert isinstance(made, Refusal) and "already exists" in made.reason
    assert (tmp_path / "orgs/new-club.yaml").read_text(encoding="utf-8") == "mine\n"
